"""Un solo normalizzatore di testo (``pianocasa.testo.semplifica``): le intestazioni
delle importazioni, i nomi di comuni ed enti e le colonne delle domande passano
tutti da lì, e nessun altro modulo ne tiene una copia."""

import ast
from pathlib import Path

import pytest

from ambiti.corrispondenze import normalizza
from misure.services import _PER_INTESTAZIONE
from patrimonio.lettori import normalizza_intestazione as vecchio_percorso
from pianocasa.lettori import normalizza_intestazione
from pianocasa.testo import semplifica

RADICE = Path(__file__).resolve().parents[2]
APP = ("ambiti", "patrimonio", "misure", "piani", "pianocasa")


@pytest.mark.parametrize(
    ("testo", "forma"),
    [
        ("NUMERO U.I. CHE SI LIBERERANNO…", "numero u i che si libereranno"),
        ("Mesi nell’alloggio", "mesi nell alloggio"),
        ("Mesi nell'alloggio", "mesi nell alloggio"),
        ("  Città  di  Clusone ", "citta di clusone"),
        ("Inquilino SAP/SAT", "inquilino sap sat"),
        ("Superficie (m²)", "superficie m2"),
        (None, ""),
        (16077, "16077"),
    ],
)
def test_one_simple_form(testo, forma):
    assert semplifica(testo) == forma
    assert normalizza_intestazione(testo) == forma
    assert vecchio_percorso(testo) == forma


def test_name_matching_builds_on_the_simple_form():
    # Le regole dei nomi (prefisso, santi, sigle) si aggiungono alla forma semplice.
    assert normalizza("Comune di Sant’Omobono Terme") == "s omobono terme"
    assert normalizza("A.L.E.R. Bergamo") == "aler bergamo"
    assert normalizza("CITTÀ DI LOVERE") == "lovere"


def test_domande_headers_use_the_same_form():
    assert _PER_INTESTAZIONE[semplifica("MESI NELL’ALLOGGIO")] == "mesi_alloggio"
    assert _PER_INTESTAZIONE[semplifica("inquilino sap sat")] == "inquilino_sap_sat"


def test_no_other_module_keeps_a_copy_of_the_normaliser():
    copie = []
    for app in APP:
        for percorso in (RADICE / app).rglob("*.py"):
            if "migrations" in percorso.parts or percorso.name == "testo.py":
                continue
            albero = ast.parse(percorso.read_text(encoding="utf-8"))
            for nodo in ast.walk(albero):
                if isinstance(nodo, ast.Import | ast.ImportFrom):
                    nomi = [a.name for a in nodo.names]
                    modulo = getattr(nodo, "module", None) or ""
                    if "unicodedata" in nomi or modulo == "unicodedata":
                        copie.append(str(percorso.relative_to(RADICE)))
    assert copie == []


def test_misure_reads_spreadsheets_without_importing_patrimonio():
    # Il lettore è nel nucleo: misure (strato intermedio) non importa patrimonio.
    for percorso in (RADICE / "misure").rglob("*.py"):
        albero = ast.parse(percorso.read_text(encoding="utf-8"))
        for nodo in ast.walk(albero):
            if isinstance(nodo, ast.ImportFrom) and nodo.module:
                assert not nodo.module.startswith("patrimonio"), percorso
            if isinstance(nodo, ast.Import):
                assert not any(a.name.startswith("patrimonio") for a in nodo.names)
