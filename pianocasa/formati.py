"""Italian formats, independent of the active locale: 41.813; € 15.187,50;
27/10/2025; 29 gennaio 2025; 20%.

Written by hand instead of relying on the locale, so that the PDF, the stored
reasons and the messages read the same whatever language a management command or
a worker happens to run in. The template filters (``piani.templatetags.formati_it``)
wrap these functions.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MESI = (
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
)


def _raggruppa(cifre: str) -> str:
    """'41813' → '41.813'."""
    gruppi = []
    while len(cifre) > 3:
        gruppi.insert(0, cifre[-3:])
        cifre = cifre[:-3]
    gruppi.insert(0, cifre)
    return ".".join(gruppi)


def numero_it(valore, decimali: int = 0) -> str:
    """Number in Italian notation; '' for None or a value that is not a number."""
    if valore is None or valore == "":
        return ""
    try:
        numero = Decimal(str(valore))
    except (InvalidOperation, ValueError):
        return str(valore)
    quanto = Decimal(1).scaleb(-decimali)
    numero = numero.quantize(quanto, rounding=ROUND_HALF_UP)
    segno = "-" if numero < 0 else ""
    testo = f"{abs(numero):.{decimali}f}"
    intera, _, frazione = testo.partition(".")
    risultato = segno + _raggruppa(intera)
    if decimali:
        risultato += "," + frazione
    return risultato


def intero(valore) -> str:
    """41813 → «41.813»; None → ''."""
    return numero_it(valore, 0)


def intero_o_zero(valore) -> str:
    """Like ``intero``, but None prints as «0» (columns the seeds print as zeros)."""
    return numero_it(0 if valore is None else valore, 0)


def decimale(valore, decimali: int = 2) -> str:
    """15187.5 → «15.187,50»."""
    return numero_it(valore, int(decimali))


def euro(valore) -> str:
    """15187.5 → «€ 15.187,50»; None → ''."""
    testo = numero_it(valore, 2)
    return f"€ {testo}" if testo else ""


def percentuale(valore) -> str:
    """20 → «20%», 12.5 → «12,5%»; None → ''."""
    if valore is None or valore == "":
        return ""
    numero = Decimal(str(valore)).normalize()
    decimali = max(0, -numero.as_tuple().exponent)
    return numero_it(numero, decimali) + "%"


def data(valore) -> str:
    """date(2025, 10, 27) → «27/10/2025»; None → ''."""
    if not isinstance(valore, datetime.date):
        return ""
    return f"{valore.day:02d}/{valore.month:02d}/{valore.year}"


def data_lunga(valore) -> str:
    """date(2025, 1, 29) → «29 gennaio 2025»; None → ''."""
    if not isinstance(valore, datetime.date):
        return ""
    return f"{valore.day} {MESI[valore.month - 1]} {valore.year}"
