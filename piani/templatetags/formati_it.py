"""Template filters for the plan document and the pages that show its figures:
41.813; € 15.187,50; 27/10/2025; 29 gennaio 2025; 20% (the functions of
``pianocasa.formati``); Markdown sanitised with nh3.
"""

import re

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

from pianocasa import formati

register = template.Library()

# What the narrative sections may contain: the seeds use paragraphs, lists, bold,
# italics, headings, superscript footnote marks and the odd table. No images, so
# nothing in a text can make the PDF renderer fetch a resource.
TAG_CONSENTITI = {
    "p", "br", "strong", "b", "em", "i", "u", "sup", "sub", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "thead", "tbody",
    "tr", "th", "td", "hr", "a", "span", "code", "pre", "div",
}  # fmt: skip
# Only links keep attributes (href, title): a class, a style or an id would let a
# text borrow the page's own styles (a full-page overlay) or hijack its anchors.
# The one exception is the id Markdown's footnotes give the mark and the note
# ("fnref:1", "fn:1"), which the footnote links point to; any other id goes.
ATTRIBUTI_CONSENTITI = {
    "a": {"href", "title"},
    "sup": {"id"},
    "li": {"id"},
}
_ID_NOTA = re.compile(r"fn(?:ref\d*)?:[\w-]+")


def _attributo_filtrato(elemento: str, attributo: str, valore: str) -> str | None:
    if attributo == "id" and not _ID_NOTA.fullmatch(valore):
        return None
    return valore


# The figures: the plain functions of pianocasa.formati, as filters.
intero = register.filter(formati.intero)
intero_o_zero = register.filter(formati.intero_o_zero)
decimale = register.filter(formati.decimale)
euro = register.filter(formati.euro)
percentuale = register.filter(formati.percentuale)
data = register.filter(formati.data)
data_lunga = register.filter(formati.data_lunga)


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
        attribute_filter=_attributo_filtrato,
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
