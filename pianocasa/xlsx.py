"""Spreadsheets written by the site: real dates and numbers (not text), a named
sheet, the header row bold and frozen, formulas neutralised."""

import datetime as dt
import io
import re
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

# A cell starting with one of these is read as a formula by spreadsheets.
INIZI_PERICOLOSI = ("=", "+", "-", "@", "\t", "\r")
# Excel refuses these in a sheet name, and names longer than 31 characters.
CARATTERI_VIETATI = re.compile(r"[\[\]:*?/\\]")
FORMATO_DATA = "DD/MM/YYYY"
# Tables render their dates as Italian text: turned back into dates.
DATA_ITALIANA = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
FORMATO_DATA_ORA = "DD/MM/YYYY HH:MM"
FORMATO_DECIMALE = "#,##0.00"


def nome_foglio_valido(nome: str) -> str:
    """The name as Excel accepts it (no []:*?/\\, at most 31 characters)."""
    pulito = CARATTERI_VIETATI.sub(" ", str(nome)).strip().strip("'")
    return pulito[:31] or _("Dati")


def _cella(valore):
    """(value, number format or None) for one cell."""
    if valore is None:
        return None, None
    if isinstance(valore, bool):
        return (_("Sì") if valore else _("No")), None
    if isinstance(valore, dt.datetime):
        if timezone.is_aware(valore):
            valore = timezone.make_naive(valore)
        return valore, FORMATO_DATA_ORA
    if isinstance(valore, dt.date):
        return valore, FORMATO_DATA
    if isinstance(valore, Decimal):
        # Amounts and percentages keep two decimals; whole numbers stay whole.
        formato = None if valore == valore.to_integral_value() else FORMATO_DECIMALE
        return valore, formato
    if isinstance(valore, int | float):
        # Years and counts: no thousands separator (General format).
        return valore, None
    testo = str(valore)
    if trovata := DATA_ITALIANA.match(testo):
        giorno, mese, anno = (int(g) for g in trovata.groups())
        try:
            return dt.date(anno, mese, giorno), FORMATO_DATA
        except ValueError:
            pass
    if testo.startswith(INIZI_PERICOLOSI):
        testo = "'" + testo
    return testo, None


def foglio_scrivi(
    righe: Iterable[Iterable], intestazioni: Iterable, nome_foglio: str
) -> bytes:
    """An XLSX file (bytes) with one sheet ``nome_foglio``: the header row, bold
    and frozen, then the rows with dates as dates and numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    libro = Workbook()
    foglio = libro.active
    foglio.title = nome_foglio_valido(nome_foglio)
    intestazioni = [str(v) for v in intestazioni]
    foglio.append(intestazioni)
    for cella in foglio[1]:
        cella.font = Font(bold=True)
        cella.data_type = "s"
    larghezze = [len(t) for t in intestazioni]
    for riga in righe:
        valori = [_cella(v) for v in riga]
        foglio.append([v for v, _f in valori])
        for cella, (valore, formato) in zip(
            foglio[foglio.max_row], valori, strict=False
        ):
            if isinstance(valore, str):
                # Strings stay strings: openpyxl would store "=..." as a formula.
                cella.data_type = "s"
            if formato:
                cella.number_format = formato
        for i, (valore, _f) in enumerate(valori):
            lunghezza = 10 if isinstance(valore, dt.date) else len(str(valore or ""))
            if i < len(larghezze):
                larghezze[i] = max(larghezze[i], lunghezza)
            else:
                larghezze.append(lunghezza)
    foglio.freeze_panes = "A2"
    foglio.auto_filter.ref = foglio.dimensions
    from openpyxl.utils import get_column_letter

    for i, larghezza in enumerate(larghezze, start=1):
        foglio.column_dimensions[get_column_letter(i)].width = (
            min(max(larghezza, 8), 60) + 2
        )
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()
