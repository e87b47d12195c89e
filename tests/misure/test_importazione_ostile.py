"""The applicants' spreadsheets go through the one hardened reader: every file of
the hostile corpus is refused with an Italian message and no domanda is written;
the far-corner XLSX of issue 13 is refused without any process dying."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from ambiti.models import Ambito
from misure.models import Domanda
from misure.services import COLONNE_IMPORT, ImportazioneNonValida, domande_importa
from tests.patrimonio.corpus import CASI, angolo_lontano

from .factories import bando_crea

INTESTAZIONI = [h for _c, h in COLONNE_IMPORT]
# Cases about the registry's own columns and values: for the domande import the
# headers are simply wrong, so it answers «Colonne mancanti».
_DEL_REGISTRO = ("Riga", "Manca", "Le colonne", "Nessun", "indicano entrambe")


@pytest.fixture
def bando(db):
    # An ambito invented for the test: nothing of the seed plans is needed.
    ambito = Ambito.objects.create(
        slug="ambito-di-prova-val-fittizia", nome="Val Fittizia", provincia="LO"
    )
    return bando_crea(ambito)


def _riga(n: int, **extra) -> list:
    valori = {
        "Protocollo": f"{n:05d}/2026",
        "Data protocollo": date(2026, 2, 10),
        "Cognome": "Ferrari",
        "Nome": "Anna",
        "Codice fiscale": "RSSMRA80A01H501U",
        "Data di nascita": date(1980, 1, 1),
        "Codice ISTAT comune": "098031",  # Lodi
        "Componenti": 2,
        "Minori": 0,
        "ISEE": 8000,
        "Canone mensile": 350,
        "Contratto registrato": "sì",
        "Mesi nell'alloggio": 24,
        "Inquilino SAP/SAT": "no",
        "Altri contributi percepiti il": None,
        "Procedura di rilascio": "",
    }
    valori.update(extra)
    return [valori[h] for h in INTESTAZIONI]


def _xlsx(righe: list[list], intestazioni=INTESTAZIONI) -> bytes:
    libro = Workbook()
    foglio = libro.active
    foglio.append(intestazioni)
    for riga in righe:
        foglio.append(riga)
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()


@pytest.mark.parametrize("caso", CASI, ids=[c.nome for c in CASI])
def test_it_refuses_every_hostile_file_and_writes_nothing(caso, bando):
    prima = Domanda.objects.count()
    with pytest.raises(ImportazioneNonValida) as errore:
        domande_importa(
            bando=bando, contenuto=caso.contenuto(), nome_file=caso.nome_file
        )
    errori = errore.value.errori
    assert errori and all(isinstance(e, str) and e for e in errori)
    del_registro = any(segno in caso.atteso for segno in _DEL_REGISTRO)
    if del_registro or caso.tipo != "alloggi":
        assert any(
            e.startswith(("Colonne mancanti", "Riga")) or caso.atteso in e
            for e in errori
        ), errori
    else:
        # File-level refusals: the same Italian message as the registry import.
        assert any(caso.atteso in e for e in errori), errori
    assert Domanda.objects.count() == prima


def test_the_far_corner_file_is_2_kb_and_refused_naming_the_cell(bando):
    contenuto = angolo_lontano()
    assert len(contenuto) < 2048
    with pytest.raises(ImportazioneNonValida) as errore:
        domande_importa(bando=bando, contenuto=contenuto)
    assert "XFD1048576" in errore.value.errori[0]
    assert not bando.domande.exists()


def test_the_upload_page_refuses_the_far_corner_file(ambito_a, client_staff_a):
    bando_a = bando_crea(ambito_a)
    risposta = client_staff_a.post(
        reverse("misure:domanda_import", args=[bando_a.pk]),
        {"file": SimpleUploadedFile("domande.xlsx", angolo_lontano())},
        follow=True,
    )
    assert risposta.status_code == 200
    assert "XFD1048576" in risposta.content.decode()
    assert not bando_a.domande.exists()


@pytest.mark.parametrize(
    ("campo", "valore", "atteso"),
    [
        ("ISEE", date(2026, 1, 1), "Riga 2, colonna ISEE:"),
        ("Componenti", "tre", "Riga 2, colonna Componenti:"),
        ("Componenti", 2.5, "Riga 2, colonna Componenti:"),
        ("Data protocollo", 45000.5, "Riga 2, colonna Data protocollo:"),
        ("Data di nascita", True, "Riga 2, colonna Data di nascita:"),
        ("Canone mensile", "=1/0", "Riga 2, colonna Canone mensile:"),
        ("Contratto registrato", 7, "Riga 2, colonna Contratto registrato:"),
        ("Codice ISTAT comune", "Lodi", "Riga 2, colonna Codice ISTAT comune:"),
        ("Mesi nell'alloggio", -4, "Riga 2, colonna Mesi nell'alloggio:"),
    ],
)
def test_a_cell_of_the_wrong_type_names_row_and_column(bando, campo, valore, atteso):
    with pytest.raises(ImportazioneNonValida) as errore:
        domande_importa(
            bando=bando, contenuto=_xlsx([_riga(1, **{campo: valore}), _riga(2)])
        )
    assert any(e.startswith(atteso) for e in errore.value.errori), errore.value.errori
    assert not bando.domande.exists()


def test_a_good_file_is_imported_through_the_child_reader(bando):
    n = domande_importa(bando=bando, contenuto=_xlsx([_riga(i) for i in range(1, 6)]))
    assert n == 5 == bando.domande.count()
    assert bando.domande.get(protocollo="00003/2026").comune_residenza.nome == "Lodi"


def test_typographic_apostrophes_in_headers_are_recognised(bando):
    intestazioni = [h.replace("'", "’") for h in INTESTAZIONI]
    assert "Mesi nell’alloggio" in intestazioni
    domande_importa(bando=bando, contenuto=_xlsx([_riga(1)], intestazioni))
    assert bando.domande.get().mesi_alloggio == 24
