"""The published graduatoria of the 200-application demo bando carries protocol
number, rank, score, outcome and amount only: none of the applicants' names,
tax codes, ISEE values or household data, in the PDF text or any XLSX cell."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from misure.esempi import bando_demo_carica
from misure.models import Domanda, Erogazione
from misure.services import (
    graduatoria_calcola,
    graduatoria_pdf,
    graduatoria_pubblica,
    graduatoria_xlsx,
)
from pianocasa.formati import numero_it

from .factories import assegnazione_di, bando_crea, domanda_crea, fonte_crea


@pytest.fixture
def bando_demo(ambito_a):
    return bando_demo_carica(ambito=ambito_a)


def _vietati(bando) -> dict[str, set[str]]:
    """Every personal value of the applicants, as it could be printed."""
    vietati: dict[str, set[str]] = {
        "nomi": set(),
        "codici fiscali": set(),
        "ISEE": set(),
        "nascita": set(),
    }
    for d in bando.domande.all():
        vietati["nomi"] |= {d.cognome.lower(), d.nome.lower()}
        vietati["codici fiscali"].add(d.codice_fiscale.lower())
        vietati["ISEE"] |= {
            numero_it(d.isee, 2),
            f"{d.isee}",
            f"{d.isee:.2f}".replace(".", ","),
        }
        vietati["nascita"] |= {f"{d.data_nascita:%d/%m/%Y}", d.data_nascita.isoformat()}
    return vietati


def _cerca(testo: str, vietati: dict[str, set[str]]) -> list[str]:
    """Whole-word matches («Ion» is a first name, not a hit in «locazione»)."""
    testo = testo.lower()
    return [
        f"{tipo}: {v}"
        for tipo, valori in vietati.items()
        for v in valori
        if re.search(rf"(?<![\w.,]){re.escape(v)}(?![\w]|[.,]\d)", testo)
    ]


INTESTAZIONI_PERSONALI = [
    "componenti",
    "minori",
    "nucleo",
    "isee",
    "codice fiscale",
    "cognome",
    "canone",
    "residenza",
]


def test_the_pdf_has_no_personal_data(bando_demo):
    lettore = PdfReader(io.BytesIO(graduatoria_pdf(bando=bando_demo)))
    testo = "\n".join(pagina.extract_text() for pagina in lettore.pages)
    # the graduatoria is really there: every protocol number
    for d in bando_demo.domande.all():
        assert d.protocollo in testo
    assert _cerca(testo, _vietati(bando_demo)) == []
    intestazione = testo.lower().split("posizione", 1)[1][:200]
    assert [h for h in INTESTAZIONI_PERSONALI if h in intestazione] == []


def test_the_xlsx_has_no_personal_data(bando_demo):
    libro = load_workbook(io.BytesIO(graduatoria_xlsx(bando=bando_demo)))
    celle = [
        c
        for foglio in libro.worksheets
        for riga in foglio.iter_rows(values_only=True)
        for c in riga
        if c is not None
    ]
    vietati = _vietati(bando_demo)
    # one search over all the cells, each kept apart by a line break
    assert _cerca("\n".join(str(c) for c in celle), vietati) == []
    foglio = libro.worksheets[0]
    righe = list(foglio.iter_rows(values_only=True))
    intestazioni = [str(c).lower() for c in righe[1]]
    assert intestazioni == [
        "posizione",
        "protocollo",
        "punteggio",
        "esito",
        "contributo assegnato (€)",
    ]
    dati = righe[2:]
    assert len(dati) == 200
    # only five columns: nothing else (household data included) is exported
    assert all(len([c for c in r if c is not None]) <= 5 for r in dati)
    assert {r[1] for r in dati} == set(
        bando_demo.domande.values_list("protocollo", flat=True)
    )


def test_the_published_amounts_are_the_funding_records(bando_demo):
    righe = graduatoria_pubblica(bando=bando_demo)
    totale = sum((r.importo for r in righe), Decimal("0"))
    assert totale == Decimal("10816.00")
    assert sum(r.esito == "Finanziata in parte" for r in righe) == 1
    finanziate = [r for r in righe if r.importo]
    assert [r.posizione for r in finanziate] == list(range(1, len(finanziate) + 1))
    assert (
        len(finanziate)
        == Erogazione.objects.filter(domanda__bando=bando_demo)
        .values("domanda")
        .distinct()
        .count()
    )
    escluse = [r for r in righe if r.esito == "Esclusa"]
    assert escluse and all(r.posizione is None and not r.importo for r in escluse)


def test_formula_like_cells_are_neutralised(ambito_a):
    bando = bando_crea(ambito_a, titolo='=HYPERLINK("http://x")')
    Domanda.objects.bulk_create(
        [
            domanda_crea(bando, 1, protocollo="=1+1"),
            domanda_crea(bando, 2, protocollo="@SUM(A1)"),
            domanda_crea(bando, 3, protocollo="-3"),
            domanda_crea(bando, 4, protocollo="+39"),
        ]
    )
    fonte_crea(bando, assegnazione_di(ambito_a, 5292, 2025), "100.00", 1)
    graduatoria_calcola(bando=bando)
    libro = load_workbook(io.BytesIO(graduatoria_xlsx(bando=bando)))
    foglio = libro.worksheets[0]
    testi = [
        c for r in foglio.iter_rows(values_only=True) for c in r if isinstance(c, str)
    ]
    assert all(t[0] not in "=+-@" for t in testi)
    assert "'=1+1" in testi and "'@SUM(A1)" in testi
    assert all(c.data_type != "f" for r in foglio.iter_rows() for c in r)


def test_the_search_would_find_a_leak(bando_demo):
    d = bando_demo.domande.order_by("pk").first()
    vietati = _vietati(bando_demo)
    fuga = (
        f"Posizione 1 {d.cognome.upper()} {d.nome}\n{d.codice_fiscale}\n"
        f"ISEE € {numero_it(d.isee, 2)}"
    )
    trovati = _cerca(fuga, vietati)
    assert f"nomi: {d.cognome.lower()}" in trovati
    assert f"codici fiscali: {d.codice_fiscale.lower()}" in trovati
    assert f"ISEE: {numero_it(d.isee, 2)}" in trovati
