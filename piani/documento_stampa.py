"""Finishing of the rendered document's HTML, for a published act.

Applied to the whole page after the templates (the narrative is Markdown written by
staff, so the templates alone cannot guarantee it): headings in order with no skipped
level, and non-breaking spaces that keep «€ 16.875,00», «n. 5», «art. 14» and
«29 gennaio 2025» on one line.
"""

from __future__ import annotations

import re

from pianocasa.formati import MESI

NBSP = "\xa0"

_TITOLO = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
_SPAZI = (
    # «€ 16.875,00», «€ -1,00»
    (re.compile(r"€ (?=[-\d])"), "€" + NBSP),
    # «n. 5», «art. 14», «c. 2», «comma 10», «lett. f»: the abbreviation and its number.
    (
        re.compile(r"\b(n\.|art\.|artt\.|c\.|comma|lett\.|L\.R\.|R\.R\.) (?=\d)"),
        r"\1" + NBSP,
    ),
    # «29 gennaio 2025»
    (
        re.compile(r"\b(\d{1,2}) (" + "|".join(MESI) + r") (\d{4})\b"),
        r"\1" + NBSP + r"\2" + NBSP + r"\3",
    ),
)
_TITOLO_E_DESC = re.compile(
    r'(<title id="(?P<id>[^"]+)-t">)(?P<titolo>[^<]*)(</title>)'
    r'(?=<desc id="(?P=id)-d">(?P<desc>[^<]*)</desc>)'
)
# A list item that writes its own marker («1)», «a)», «8.b», «–»): the bullet goes.
_VOCE_CON_MARCATORE = re.compile(
    r"<li>(?=\s*(?:\d{1,2}[).]|[a-z]{1,3}\)|\d{1,2}\.[a-z]|[-–•])\s)"
)
_CORPO = re.compile(r"(<body\b.*)", re.DOTALL | re.IGNORECASE)


def titoli_in_ordine(html: str) -> str:
    """Every heading at most one level below the one before it (h2 then h4 becomes
    h2 then h3): screen readers and PDF bookmarks navigate by level."""
    precedente = 0
    aperti: list[int] = []

    def sostituisci(m: re.Match) -> str:
        nonlocal precedente
        if m.group(1):  # closing tag: the level its opening tag got
            livello = aperti.pop() if aperti else int(m.group(2))
            return f"</h{livello}"
        livello = min(int(m.group(2)), precedente + 1)
        precedente = livello
        aperti.append(livello)
        return f"<h{livello}"

    return _TITOLO.sub(sostituisci, html)


def spazi_unificatori(html: str) -> str:
    """Non-breaking spaces inside amounts, numbers and dates of the body's text
    (tags and attributes are left alone)."""
    m = _CORPO.search(html)
    if not m:
        return html
    testa, corpo = html[: m.start()], m.group(1)
    parti = re.split(r"(<[^>]*>)", corpo)
    for i in range(0, len(parti), 2):  # the text between tags
        for schema, sostituto in _SPAZI:
            parti[i] = schema.sub(sostituto, parti[i])
    return testa + "".join(parti)


def documento_font(formato: str) -> str:
    """Where the document's Titillium Web files are: a file: URL for WeasyPrint
    (its fetcher allows that folder only), the static URL for the preview; ''
    when the theme is not installed (the document falls back to DejaVu)."""
    from django.templatetags.static import static

    from pianocasa.pdf import CARTELLA_FONT, cartella_font

    cartella = cartella_font()
    if cartella is None:
        return ""
    return cartella.as_uri() if formato == "pdf" else static(CARTELLA_FONT)


def grafici_con_dati(html: str) -> str:
    """Each chart's <title> followed by its data (the <desc>): the PDF takes the
    figure's alternative text from the title only, and it must carry the data."""
    return _TITOLO_E_DESC.sub(
        lambda m: f"{m[1]}{m['titolo']}. {m['desc']}{m[4]}",
        html,
    )


def un_marcatore(html: str) -> str:
    """List items that write their own marker lose the bullet: one per item."""
    return _VOCE_CON_MARCATORE.sub('<li class="marcatore-proprio">', html)


def documento_rifinisci(html: str, formato: str = "html") -> str:
    """The rendered document ready to print: headings in order, non-breaking
    spaces, one marker per list item; in the PDF, charts whose alternative text
    carries their data."""
    html = un_marcatore(spazi_unificatori(titoli_in_ordine(html)))
    return grafici_con_dati(html) if formato == "pdf" else html
