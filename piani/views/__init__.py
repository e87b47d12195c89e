"""The staff's workplace for a plan: list, dashboard, forms, lists, document.

Views are thin: scoping through ambiti.permessi, saving through piani.services.
Modules: ``kit`` (page size, page title, history page: the UI kit other apps
import from here), ``comune`` (the plan under /piani/<pk>/…, links of the
anomalie), ``piano``, ``record``, ``liste``, ``ciclo`` (lifecycle and public
pages), ``narrativa`` (a new plan, sections and strategy paragraphs).
"""

from .comune import PianoFiglioMixin
from .kit import PER_PAGINA, PaginaMixin, StoriaView, voci_storia
from .liste import (
    AnomaliaRiscontraView,
    AnomalieRiscontraView,
    ComunicazioneListView,
    DatiEnteListView,
    DecisioneListView,
    ListaDelPianoView,
    SezioneListView,
    TotaleDichiaratoView,
)
from .piano import (
    ComunicazioneStoriaView,
    DecisioneStoriaView,
    DocumentoAnteprimaView,
    DocumentoPdfView,
    PianoDetailView,
    PianoListView,
    PianoStoriaView,
    PianoUpdateView,
    SezioneStoriaView,
)
from .record import (
    ComunicazioneDetailView,
    ComunicazioneUpdateView,
    DecisioneCreateView,
    DecisioneUpdateView,
    SezioneDetailView,
    SezioneUpdateView,
    VersionataUpdateView,
)

__all__ = [
    "PER_PAGINA",
    "AnomaliaRiscontraView",
    "AnomalieRiscontraView",
    "ComunicazioneDetailView",
    "ComunicazioneListView",
    "ComunicazioneStoriaView",
    "ComunicazioneUpdateView",
    "DatiEnteListView",
    "DecisioneCreateView",
    "DecisioneListView",
    "DecisioneStoriaView",
    "DecisioneUpdateView",
    "DocumentoAnteprimaView",
    "DocumentoPdfView",
    "ListaDelPianoView",
    "PaginaMixin",
    "PianoDetailView",
    "PianoFiglioMixin",
    "PianoListView",
    "PianoStoriaView",
    "PianoUpdateView",
    "SezioneDetailView",
    "SezioneListView",
    "SezioneStoriaView",
    "SezioneUpdateView",
    "StoriaView",
    "TotaleDichiaratoView",
    "VersionataUpdateView",
    "voci_storia",
]
