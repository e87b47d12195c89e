"""Il lettore: celle con formula, righe di titolo, numeri e codici."""

import io
import re
import zipfile
from datetime import date

from openpyxl import Workbook

from patrimonio import lettori


def _xlsx_con_formula(percorso, valore_calcolato: bytes | None):
    libro = Workbook()
    foglio = libro.active
    foglio.append(["Codice alloggio", "Vani"])
    foglio.append(["A1", "=2+1"])
    uscita = io.BytesIO()
    libro.save(uscita)
    entrata = zipfile.ZipFile(io.BytesIO(uscita.getvalue()))
    with zipfile.ZipFile(percorso, "w") as nuovo:
        for nome in entrata.namelist():
            dati = entrata.read(nome)
            if nome == "xl/worksheets/sheet1.xml" and valore_calcolato is not None:
                # openpyxl writes an empty cached value: «<v />», «<v/>» or
                # «<v></v>» depending on whether lxml is installed.
                dati = re.sub(
                    rb"<v\s*/>|<v></v>", b"<v>" + valore_calcolato + b"</v>", dati
                )
            nuovo.writestr(nome, dati)
    return percorso


def test_formula_with_cached_value_is_read(tmp_path):
    percorso = _xlsx_con_formula(tmp_path / "f.xlsx", b"3")
    tabella = lettori.tabella_leggi(percorso)
    assert tabella.formule_senza_valore == []
    assert tabella.righe[0][1] == 3


def test_formula_without_cached_value_is_flagged_with_row_and_column(tmp_path):
    percorso = _xlsx_con_formula(tmp_path / "f.xlsx", None)
    tabella = lettori.tabella_leggi(percorso)
    assert tabella.formule_senza_valore == [(2, 1)]


def test_title_rows_above_the_header_are_skipped(tmp_path):
    percorso = tmp_path / "t.csv"
    percorso.write_text("Anagrafe 2025\r\n\r\nCodice;Stato\r\nA1;libero\r\n")
    tabella = lettori.tabella_leggi(
        percorso, riconosci=lambda f: f in {"codice", "stato"}
    )
    assert tabella.intestazioni == ["Codice", "Stato"]
    assert tabella.titolo == ["Anagrafe 2025"]
    assert tabella.numero_riga(0) == 4


def test_converters_read_italian_and_excel_values():
    assert lettori.converti_intero("1.234") == 1234
    assert lettori.converti_intero(9.0) == 9
    assert lettori.converti_intero("3,0") == 3
    assert str(lettori.converti_decimale("1.234,5")) == "1234.50"
    assert str(lettori.converti_decimale(65.5)) == "65.50"
    assert lettori.converti_data("27/10/2025") == date(2025, 10, 27)
    assert lettori.converti_data("2025-10-27") == date(2025, 10, 27)
    assert lettori.testo_cella(16077.0) == "16077"
