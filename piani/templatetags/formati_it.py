"""Italian formats for the plan document and the pages that show its figures:
41.813; € 15.187,50; 27/10/2025; 29 gennaio 2025; 20%; Markdown sanitised with nh3.

Written by hand instead of relying on the active locale, so that the PDF reads the
same whatever language a management command or a worker happens to run in.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

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

# What the narrative sections may contain: the seeds use paragraphs, lists, bold,
# italics, headings, superscript footnote marks and the odd table. No images, so
# nothing in a text can make the PDF renderer fetch a resource.
TAG_CONSENTITI = {
    "p", "br", "strong", "b", "em", "i", "u", "sup", "sub", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "thead", "tbody",
    "tr", "th", "td", "hr", "a", "span", "code", "pre", "div",
}  # fmt: skip
ATTRIBUTI_CONSENTITI = {
    "a": {"href", "title", "class"},
    "td": {"colspan"},
    "th": {"colspan"},
    # Markdown footnotes ([^1]) link the mark to the note by id.
    "sup": {"id"},
    "li": {"id"},
    "div": {"class"},
}


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


@register.filter
def intero(valore) -> str:
    """41813 → «41.813»; None → ''."""
    return numero_it(valore, 0)


@register.filter
def intero_o_zero(valore) -> str:
    """Like ``intero``, but None prints as «0» (columns the seeds print as zeros)."""
    return numero_it(0 if valore is None else valore, 0)


@register.filter
def decimale(valore, decimali: int = 2) -> str:
    """15187.5 → «15.187,50»."""
    return numero_it(valore, int(decimali))


@register.filter
def euro(valore) -> str:
    """15187.5 → «€ 15.187,50»; None → ''."""
    testo = numero_it(valore, 2)
    return f"€ {testo}" if testo else ""


@register.filter
def percentuale(valore) -> str:
    """20 → «20%», 12.5 → «12,5%»; None → ''."""
    if valore is None or valore == "":
        return ""
    numero = Decimal(str(valore)).normalize()
    decimali = max(0, -numero.as_tuple().exponent)
    return numero_it(numero, decimali) + "%"


@register.filter
def data(valore) -> str:
    """date(2025, 10, 27) → «27/10/2025»; None → ''."""
    if not isinstance(valore, datetime.date):
        return ""
    return f"{valore.day:02d}/{valore.month:02d}/{valore.year}"


@register.filter
def data_lunga(valore) -> str:
    """date(2025, 1, 29) → «29 gennaio 2025»; None → ''."""
    if not isinstance(valore, datetime.date):
        return ""
    return f"{valore.day} {MESI[valore.month - 1]} {valore.year}"


def markdown_sicuro(testo: str) -> SafeString:
    """Markdown to HTML, then sanitised: the texts are typed by staff."""
    if not testo:
        return mark_safe("")
    html = markdown_lib.markdown(
        testo,
        extensions=["tables", "sane_lists", "footnotes"],
        extension_configs={"footnotes": {"BACKLINK_TEXT": ""}},
    )
    pulito = nh3.clean(
        html,
        tags=TAG_CONSENTITI,
        attributes=ATTRIBUTI_CONSENTITI,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    return mark_safe(pulito)  # noqa: S308 - sanitised by nh3 just above


@register.filter(name="markdown")
def markdown_filtro(testo: str) -> SafeString:
    return markdown_sicuro(testo)


@register.filter
def markdown_in_linea(testo: str) -> SafeString:
    """Markdown for a short text printed inside a line (no enclosing <p>)."""
    html = str(markdown_sicuro(testo)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)  # noqa: S308 - already sanitised


@register.filter
def elenco_italiano(valori) -> str:
    """['a', 'b', 'c'] → «a, b e c»."""
    valori = [str(v) for v in valori]
    if len(valori) <= 1:
        return "".join(valori)
    return ", ".join(valori[:-1]) + " e " + valori[-1]


@register.filter
def tra_parentesi(testo: str) -> str:
    """A note printed beside a figure, in parentheses unless it already has them."""
    testo = (testo or "").strip()
    if not testo or (testo.startswith("(") and testo.endswith(")")):
        return testo
    return f"({testo})"
