"""The plan document: one context assembler, two renderers from the same templates.

``documento_contesto`` reads the plan once (a fixed number of queries, whatever the
number of enti or comuni) and computes every table, total, count and sentence datum,
one builder per part of the document (a module each: ``frontespizio``,
``territorio``, ``patrimonio``, ``decisioni``, ``strategie``);
``documento_html`` renders it as a standalone page (the preview) and
``documento_pdf`` as an A4 PDF through WeasyPrint, with nothing fetched from the
network. The templates live in ``templates/piani/documento/<cartella>/``, where
``cartella`` is the ``cartella_template`` of the plan's layout (``ModelloDocumento``).
The document prints the plan's own narrative sections only.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from pianocasa.pdf import html_in_pdf

from ..documento_stampa import documento_font, documento_rifinisci
from ..documento_stato import documento_approvato, documento_stato
from ..models import PianoAnnuale
from .aiuti import data_riferimento_popolazione
from .conteggi import ConteggiBando, ConteggiFonte, conteggi_bando, conteggi_fonte
from .decisioni import contesto_decisioni
from .frontespizio import (
    CHIAVI_LETTERE,
    contesto_finestre,
    contesto_frontespizio,
    contesto_sezioni,
)
from .patrimonio import SEZIONE_DICHIARATI, UNITA_DICHIARATE, contesto_patrimonio
from .strategie import contesto_strategie
from .territorio import contesto_territorio

__all__ = [
    "CHIAVI_LETTERE",
    "SEZIONE_DICHIARATI",
    "UNITA_DICHIARATE",
    "ConteggiBando",
    "ConteggiFonte",
    "conteggi_bando",
    "conteggi_fonte",
    "data_riferimento_popolazione",
    "documento_contesto",
    "documento_html",
    "documento_pdf",
]

# One builder per part of the document, in reading order.
COSTRUTTORI = (
    contesto_frontespizio,
    contesto_sezioni,
    contesto_finestre,
    contesto_patrimonio,
    contesto_decisioni,
    contesto_territorio,
    contesto_strategie,
)


def documento_contesto(piano: PianoAnnuale) -> dict[str, Any]:
    """Everything the plan document prints, computed from the models.

    The number of queries does not depend on the size of the plan: every relation
    is fetched with select_related / prefetch_related.
    """
    piano = PianoAnnuale.objects.select_related(
        "ambito__comune_capofila", "ambito__ats", "normativa", "modello"
    ).get(pk=piano.pk)
    contesto: dict[str, Any] = {}
    for costruttore in COSTRUTTORI:
        contesto.update(costruttore(piano))
    # Status from the plan's state; the annex of every anomalia.
    contesto.update(documento_stato(piano))
    return contesto


# --- Renderers --------------------------------------------------------------------


def _template(contesto: dict[str, Any]) -> str:
    return f"piani/documento/{contesto['cartella']}/documento.html"


def _render(piano: PianoAnnuale, formato: str) -> str:
    with translation.override("it"):
        contesto = documento_contesto(piano)
        contesto["formato"] = formato
        contesto["font"] = documento_font(formato)
        html = render_to_string(_template(contesto), contesto)
        return documento_rifinisci(html, formato)


def documento_html(piano: PianoAnnuale) -> str:
    """The plan as a standalone HTML page (the preview)."""
    return _render(piano, "html")


def documento_pdf(piano: PianoAnnuale) -> bytes:
    """The plan as an A4, tagged PDF (title, author and language in its metadata):
    the approved revision as PDF/A-3a (archival, tagged), a draft as PDF/UA-1."""
    variante = "pdf/a-3a" if documento_approvato(piano) else "pdf/ua-1"
    return html_in_pdf(_render(piano, "pdf"), pdf_variant=variante, pdf_tags=True)
