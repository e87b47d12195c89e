"""XLSX import of domande: all or nothing, every bad row reported in one pass."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from misure.models import Domanda
from misure.services import (
    COLONNE_IMPORT,
    ImportazioneNonValida,
    domande_importa,
    graduatoria_calcola,
)

from .factories import bando_crea

INTESTAZIONI = [h for _c, h in COLONNE_IMPORT]


def _riga(n: int, **extra) -> list:
    valori = {
        "Protocollo": f"{n:05d}/2026",
        "Data protocollo": date(2026, 2, 10),
        "Cognome": "Bonetti",
        "Nome": "Giulia",
        "Codice fiscale": "RSSMRA80A01H501U",
        "Data di nascita": date(1980, 1, 1),
        "Codice ISTAT comune": 16077,  # Clusone, typed as a number: 016077
        "Componenti": 3,
        "Minori": 1,
        "ISEE": 9876.54,
        "Canone mensile": "420,00",
        "Contratto registrato": "sì",
        "Mesi nell'alloggio": 30,
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


@pytest.fixture
def bando(ambito_a):
    return bando_crea(ambito_a)


def test_a_good_file_creates_every_domanda(bando):
    n = domande_importa(bando=bando, contenuto=_xlsx([_riga(i) for i in range(1, 31)]))
    assert n == 30 == bando.domande.count()
    d = bando.domande.get(protocollo="00001/2026")
    assert d.comune_residenza.codice_istat == "016077"
    assert str(d.isee) == "9876.54"
    assert str(d.canone_mensile) == "420.00"
    assert d.contratto_registrato and not d.inquilino_sap_sat
    assert d.procedura == Domanda.Procedura.NESSUNA
    assert graduatoria_calcola(bando=bando) == 30


def test_every_bad_row_is_reported_and_nothing_is_written(bando):
    righe = [
        _riga(1),
        _riga(2, ISEE="tanto"),  # row 3
        _riga(3),
        _riga(4, **{"Codice ISTAT comune": "999999", "Componenti": 0}),  # row 5
        _riga(5, **{"Codice fiscale": "RSSMRA80A01H501X"}),  # row 6
        _riga(1),  # row 7: protocol of row 2
        _riga(7, **{"Componenti": 2, "Minori": 2}),  # row 8
        _riga(8, **{"Contratto registrato": "forse"}),  # row 9
        _riga(9, **{"Data protocollo": "31/02/2026"}),  # row 10
    ]
    with pytest.raises(ImportazioneNonValida) as errore:
        domande_importa(bando=bando, contenuto=_xlsx(righe))
    errori = errore.value.errori
    testo = "\n".join(errori)
    assert "Riga 3, colonna ISEE:" in testo
    assert "Riga 5, colonna Codice ISTAT comune:" in testo
    assert "Riga 5, colonna Componenti:" in testo
    assert "Riga 6, colonna Codice fiscale:" in testo
    assert "Riga 7, colonna Protocollo: già presente alla riga 2" in testo
    assert "Riga 8, colonna Minori:" in testo
    assert "Riga 9, colonna Contratto registrato:" in testo
    assert "Riga 10, colonna Data protocollo:" in testo
    assert not any(e.startswith(("Riga 2,", "Riga 4,")) for e in errori)
    assert not bando.domande.exists()


def test_a_protocol_already_in_the_bando_is_an_error(bando):
    domande_importa(bando=bando, contenuto=_xlsx([_riga(1)]))
    with pytest.raises(ImportazioneNonValida) as errore:
        domande_importa(bando=bando, contenuto=_xlsx([_riga(2), _riga(1)]))
    assert any(e.startswith("Riga 3, colonna Protocollo:") for e in errore.value.errori)
    assert bando.domande.count() == 1


def test_missing_columns_are_named(bando):
    with pytest.raises(ImportazioneNonValida) as errore:
        domande_importa(
            bando=bando, contenuto=_xlsx([["x"]], intestazioni=["Protocollo"])
        )
    assert "ISEE" in errore.value.errori[0]
    assert "Codice fiscale" in errore.value.errori[0]


def test_headers_match_whatever_the_case_and_accents(bando):
    intestazioni = [h.upper() for h in INTESTAZIONI]
    domande_importa(bando=bando, contenuto=_xlsx([_riga(1)], intestazioni))
    assert bando.domande.count() == 1


def test_a_file_that_is_not_xlsx_is_refused(bando):
    with pytest.raises(ImportazioneNonValida):
        domande_importa(bando=bando, contenuto=b"non sono un foglio")


def test_the_upload_page_lists_every_error(bando, client, staff_a):
    client.force_login(staff_a)
    file = SimpleUploadedFile(
        "domande.xlsx", _xlsx([_riga(1, ISEE="x"), _riga(2, ISEE="y")])
    )
    risposta = client.post(
        reverse("misure:domanda_import", args=[bando.pk]), {"file": file}, follow=True
    )
    assert risposta.status_code == 200
    testo = risposta.content.decode()
    assert "Riga 2, colonna ISEE" in testo and "Riga 3, colonna ISEE" in testo
    assert "Rifiutata: il file contiene errori" in testo
    assert not bando.domande.exists()

    file = SimpleUploadedFile("domande.xlsx", _xlsx([_riga(1), _riga(2)]))
    risposta = client.post(
        reverse("misure:domanda_import", args=[bando.pk]), {"file": file}
    )
    assert risposta.status_code == 302
    assert bando.domande.count() == 2


def test_a_protocol_registered_while_the_file_was_checked_refuses_it_all(
    bando, monkeypatch
):
    from misure.services import importazione

    controllo = importazione._controllo_righe
    collega = []

    def controllo_e_concorrente(bando_):
        risultato = controllo(bando_)  # protocols already read
        if not collega:  # a colleague imports protocol 2 meanwhile
            collega.append(True)
            domande_importa(bando=bando_, contenuto=_xlsx([_riga(2)]))
        return risultato

    monkeypatch.setattr(importazione, "_controllo_righe", controllo_e_concorrente)
    with pytest.raises(ImportazioneNonValida) as errore:
        domande_importa(bando=bando, contenuto=_xlsx([_riga(1), _riga(2), _riga(3)]))
    assert "Nel frattempo è stata registrata una domanda" in errore.value.errori[0]
    assert list(bando.domande.values_list("protocollo", flat=True)) == ["00002/2026"]
