"""pianocasa.xlsx: exported spreadsheets hold real dates and numbers, a named
sheet and a frozen header; formulas stay text."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from pianocasa.xlsx import foglio_scrivi, nome_foglio_valido


def _foglio(contenuto: bytes):
    return load_workbook(io.BytesIO(contenuto)).active


def test_dates_and_numbers_are_real_values_under_a_frozen_header():
    contenuto = foglio_scrivi(
        [
            ["P-0007", dt.date(2025, 10, 27), Decimal("16875.00"), 2026, "=1+1"],
            ["P-0008", "03/11/2025", Decimal("1200.50"), 2026, None],
        ],
        ["Protocollo", "Data", "Importo", "Anno", "Note"],
        "Graduatoria Ambito Inventato",
    )
    foglio = _foglio(contenuto)
    assert foglio.title == "Graduatoria Ambito Inventato"
    assert foglio.freeze_panes == "A2"
    assert [c.value for c in foglio[1]] == [
        "Protocollo",
        "Data",
        "Importo",
        "Anno",
        "Note",
    ]
    assert foglio["A1"].font.bold
    assert foglio["B2"].value.date() == dt.date(2025, 10, 27)
    assert foglio["B2"].number_format == "DD/MM/YYYY"
    # An Italian date rendered as text by a table becomes a date again.
    assert foglio["B3"].value.date() == dt.date(2025, 11, 3)
    assert foglio["C3"].value == 1200.5
    assert foglio["C3"].number_format == "#,##0.00"
    assert foglio["D2"].value == 2026 and foglio["D2"].number_format == "General"
    assert foglio["E2"].value == "'=1+1" and foglio["E2"].data_type == "s"
    assert foglio["E3"].value is None


def test_aware_datetimes_are_written_in_local_time():
    ora = dt.datetime(2025, 10, 27, 9, 30, tzinfo=dt.UTC)
    foglio = _foglio(foglio_scrivi([[ora]], ["Quando"], "Registro"))
    # Europe/Rome in October: UTC+1.
    assert foglio["A2"].value.timetuple()[:5] == (2025, 10, 27, 10, 30)


def test_sheet_names_excel_refuses_are_cleaned():
    assert nome_foglio_valido("a/b:c*d?e[f]") == "a b c d e f"
    assert len(nome_foglio_valido("x" * 50)) == 31
    assert nome_foglio_valido("") == "Dati"
