"""Rent-support pages: bandi, graduatoria and its funding run, domande (entry,
edit, import), the publication of the graduatoria and its public pages (no
login), the DGR ledger.

Pages with applicants' personal data are for the ambito's staff only (read-only
users get 403, other ambiti 404) and every view of them is logged
(services.accesso_registra). Logic lives in services.

One module per page family: ``kit``, ``bandi``, ``bandi_modifica``, ``pubblico``,
``domande``, ``elaborazioni`` (background work), ``dgr``; misure/urls.py reaches
every view through this package.
"""

from .bandi import (
    TIPO_XLSX,
    BandoDetailView,
    BandoListView,
    graduatoria_calcola,
    graduatoria_pdf,
    graduatoria_pubblicazione,
    graduatoria_xlsx,
    scorrimento_esegui,
)
from .bandi_modifica import (
    BandoCreateView,
    BandoUpdateView,
)
from .dgr import (
    AssegnazioneListView,
    AssegnazioneUpdateView,
)
from .domande import (
    BandoPersonaleMixin,
    DomandaCreateView,
    DomandaDetailView,
    DomandaImportView,
    DomandaListView,
    DomandaMixin,
    DomandaUpdateView,
    domanda_modello,
)
from .elaborazioni import (
    ElaborazioneDetailView,
    elaborazione_pdf,
    elaborazione_stato,
)
from .kit import (
    RIGHE_PER_PAGINA,
)
from .pubblico import (
    graduatoria_pubblica,
    graduatoria_pubblica_pdf,
    graduatoria_pubblica_xlsx,
    graduatorie_pubbliche,
)

__all__ = [
    "AssegnazioneListView",
    "AssegnazioneUpdateView",
    "BandoCreateView",
    "BandoDetailView",
    "BandoListView",
    "BandoPersonaleMixin",
    "BandoUpdateView",
    "DomandaCreateView",
    "DomandaDetailView",
    "DomandaImportView",
    "DomandaListView",
    "DomandaMixin",
    "DomandaUpdateView",
    "ElaborazioneDetailView",
    "RIGHE_PER_PAGINA",
    "TIPO_XLSX",
    "domanda_modello",
    "elaborazione_pdf",
    "elaborazione_stato",
    "graduatoria_calcola",
    "graduatoria_pdf",
    "graduatoria_pubblica",
    "graduatoria_pubblica_pdf",
    "graduatoria_pubblica_xlsx",
    "graduatoria_pubblicazione",
    "graduatoria_xlsx",
    "graduatorie_pubbliche",
    "scorrimento_esegui",
]
