"""The one export helper of the site: CSV and XLSX downloads with spreadsheet
formulas neutralised (cells starting with = + - @, tab, CR)."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from pianocasa.xlsx import foglio_scrivi

FORMATI_ESPORTAZIONE = ("csv", "xlsx")
# A cell starting with one of these is read as a formula by spreadsheets
# (CSV/formula injection): it is written as text with a leading apostrophe.
INIZI_PERICOLOSI = ("=", "+", "-", "@", "\t", "\r")


def neutralizza(valore):
    """A text that a spreadsheet would run as a formula, as text; anything else
    unchanged (also for the spreadsheets built cell by cell, e.g. misure)."""
    if isinstance(valore, str) and valore.startswith(INIZI_PERICOLOSI):
        return "'" + valore
    return valore


def cella_sicura(valore):
    """The value as it goes into an exported cell."""
    if valore is None:
        return ""
    if isinstance(valore, bool):
        return _("Sì") if valore else _("No")
    if isinstance(valore, int | float | Decimal):
        return valore
    return neutralizza(str(valore))


def esporta(
    righe: Iterable[Iterable], formato: str, nome_file: str, nome_foglio: str = ""
) -> HttpResponse:
    """Rows (the first is the header) as a CSV or XLSX download."""
    if formato == "xlsx":
        # Real dates and numbers, a named sheet, frozen header: pianocasa.xlsx.
        righe = list(righe)
        risposta = HttpResponse(
            foglio_scrivi(
                righe[1:], righe[0] if righe else [], nome_foglio or nome_file
            ),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        righe = [[cella_sicura(v) for v in riga] for riga in righe]
        buffer = io.StringIO()
        # Italian spreadsheets expect ";" and a BOM to read UTF-8.
        scrittore = csv.writer(buffer, delimiter=";")
        for riga in righe:
            scrittore.writerow(
                [
                    str(v).replace(".", ",") if isinstance(v, Decimal | float) else v
                    for v in riga
                ]
            )
        risposta = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    risposta["Content-Disposition"] = f'attachment; filename="{nome_file}.{formato}"'
    return risposta


class EsportaMixin:
    """For list views with a django-tables2 table: ``?_export=csv`` or ``xlsx``
    downloads every filtered row (not only the page) with the visible columns."""

    nome_esportazione = "elenco"

    def get_nome_esportazione(self) -> str:
        return self.nome_esportazione

    def render_to_response(self, context, **kwargs):
        formato = self.request.GET.get("_export")
        if formato in FORMATI_ESPORTAZIONE:
            tabella = context.get("table") or self.get_table()
            return esporta(
                tabella.as_values(),
                formato,
                self.get_nome_esportazione(),
            )
        return super().render_to_response(context, **kwargs)
