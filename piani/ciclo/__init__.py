"""The plan's life: collection, approval by the Assemblea, frozen document,
revisions, next year's plan, integrity check of the stored documents.

Every transition is a keyword-only service that checks the graph and the user's
role (both in the tables of ``transizioni``), writes in one transaction and records
a ``Transizione``. The approved PDF and a canonical JSON snapshot of the plan's data
are stored through Django's default storage (filesystem or S3-compatible) with
their SHA-256; they are served from there and never rendered again.

Modules, from the bottom: ``transizioni`` (graph, roles, plain transitions),
``versioni`` (stored versions and their check), ``approvazione`` (approval and
freeze, the snapshot), ``istantanee`` (the stored snapshot against the live data),
``successivo`` (next year's plan), ``confronto`` (two plans
side by side).
"""

from .approvazione import piano_approva, piano_istantanea, sha256
from .confronto import (
    CAMPI_CONFRONTO_ENTE,
    Confronto,
    RigaConfronto,
    Variazione,
    data_popolazione,
    piani_confronta,
)
from .istantanee import (
    ConfrontoIstantanea,
    istantanea_confronta,
    istantanee_verifica,
)
from .successivo import (
    CAMPI_DECISIONE,
    CAMPI_RIPORTATI,
    piano_da_precedente,
    piano_successivo,
)
from .transizioni import (
    GRAFO,
    ORGANO_PREDEFINITO,
    PASSAGGI,
    UFFICIO,
    Passaggio,
    Stato,
    TransizioneNonAmmessa,
    enti_senza_comunicazione,
    passaggi_possibili,
    piano_apri_raccolta,
    piano_chiudi_raccolta,
    piano_pubblica,
    piano_riapri,
    puo_eseguire,
)
from .versioni import (
    EsitoVerifica,
    revisioni_pubblicate,
    revisioni_pubblicate_per_piano,
    versione_corrente,
    versione_pdf,
    versioni_verifica,
)

__all__ = [
    "CAMPI_CONFRONTO_ENTE",
    "CAMPI_DECISIONE",
    "CAMPI_RIPORTATI",
    "GRAFO",
    "ORGANO_PREDEFINITO",
    "PASSAGGI",
    "UFFICIO",
    "Confronto",
    "ConfrontoIstantanea",
    "EsitoVerifica",
    "Passaggio",
    "RigaConfronto",
    "Stato",
    "TransizioneNonAmmessa",
    "Variazione",
    "data_popolazione",
    "enti_senza_comunicazione",
    "istantanea_confronta",
    "istantanee_verifica",
    "passaggi_possibili",
    "piani_confronta",
    "piano_apri_raccolta",
    "piano_approva",
    "piano_chiudi_raccolta",
    "piano_da_precedente",
    "piano_istantanea",
    "piano_pubblica",
    "piano_riapri",
    "piano_successivo",
    "puo_eseguire",
    "revisioni_pubblicate",
    "revisioni_pubblicate_per_piano",
    "sha256",
    "versione_corrente",
    "versione_pdf",
    "versioni_verifica",
]
