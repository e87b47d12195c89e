"""The architecture, checked: every import points down the layers
(docs/architettura.md)."""

import ast
from pathlib import Path

import pytest

RADICE = Path(__file__).resolve().parent.parent
# pianocasa (core) ← ambiti ← patrimonio, misure ← piani
LIVELLI = {"pianocasa": 0, "ambiti": 1, "patrimonio": 2, "misure": 2, "piani": 3}
# Including the apps' URLconfs by dotted string is the one way up.
ECCEZIONI = {Path("pianocasa/urls.py")}


def _moduli() -> list[tuple[str, Path]]:
    return [
        (app, percorso.relative_to(RADICE))
        for app in LIVELLI
        for percorso in sorted((RADICE / app).rglob("*.py"))
        if "migrations" not in percorso.parts
    ]


def _importati(albero: ast.AST) -> list[tuple[int, str]]:
    nomi = []
    for nodo in ast.walk(albero):
        if isinstance(nodo, ast.ImportFrom) and nodo.module and not nodo.level:
            nomi.append((nodo.lineno, nodo.module))
        elif isinstance(nodo, ast.Import):
            nomi.extend((nodo.lineno, alias.name) for alias in nodo.names)
    return nomi


def test_the_modules_are_found():
    assert len(_moduli()) > 100


def test_every_import_points_down_the_layers():
    verso_l_alto = []
    for app, percorso in _moduli():
        if percorso in ECCEZIONI:
            continue
        albero = ast.parse((RADICE / percorso).read_text(encoding="utf-8"))
        for riga, modulo in _importati(albero):
            altra = modulo.split(".")[0]
            if altra in LIVELLI and altra != app and LIVELLI[altra] >= LIVELLI[app]:
                verso_l_alto.append(f"{percorso}:{riga} importa {modulo}")
    assert verso_l_alto == []


@pytest.mark.parametrize(
    "sorgente, atteso",
    [
        ("from piani.models import PianoAnnuale", ["piani.models"]),
        ("import misure.services", ["misure.services"]),
        ("from . import views", []),
    ],
)
def test_the_check_sees_every_kind_of_import(sorgente, atteso):
    assert [m for _, m in _importati(ast.parse(sorgente))] == atteso


def _funzioni(albero: ast.AST):
    for nodo in ast.walk(albero):
        if isinstance(nodo, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield nodo


def test_no_module_a_newcomer_has_to_scroll_through():
    lunghi = []
    for _app, percorso in _moduli():
        righe = len((RADICE / percorso).read_text(encoding="utf-8").splitlines())
        if righe > 500:
            lunghi.append(f"{percorso}: {righe} righe")
    assert lunghi == []


def test_no_function_over_80_lines():
    lunghe = []
    for _app, percorso in _moduli():
        albero = ast.parse((RADICE / percorso).read_text(encoding="utf-8"))
        for funzione in _funzioni(albero):
            righe = funzione.end_lineno - funzione.lineno + 1
            if righe > 80:
                lunghe.append(f"{percorso}:{funzione.lineno} {funzione.name}: {righe}")
    assert lunghe == []
