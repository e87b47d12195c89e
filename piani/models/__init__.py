"""The plan's models, one module per domain noun; Django finds them here.

From the bottom: ``base`` (frozen states, ``DatoDelPiano``), ``normativa``
(regulation versions, layouts), ``piano`` (the plan, its transitions, approved
versions, acknowledged anomalies), ``comunicazioni``, ``decisioni``, ``narrativa``,
``osservazioni`` (the reviewers' observations on a draft).
"""

# The PDF kept ready (its own module: derived data, not a DatoDelPiano).
from ..models_documento import DocumentoInCache
from .base import (
    CAMPI_DEL_CICLO,
    PERCENTUALE,
    STATI_CONGELATI,
    DatoDelPiano,
    PianoCongelato,
    _percentuale_valida,
    piano_blocca_e_verifica,
    piano_congelato,
)
from .comunicazioni import Comunicazione, FinestraRaccolta, TotaleDichiarato
from .decisioni import DecisioneComune
from .narrativa import BloccoDgr, RilevazioneEthos, Sezione, SottosezioneStrategie
from .normativa import ModelloDocumento, VersioneNormativa
from .osservazioni import Osservazione
from .piano import (
    PianoAnnuale,
    RiscontroAnomalia,
    Transizione,
    VersioneApprovata,
    _percorso_documento,
)

__all__ = [
    "CAMPI_DEL_CICLO",
    "PERCENTUALE",
    "STATI_CONGELATI",
    "BloccoDgr",
    "Comunicazione",
    "DatoDelPiano",
    "DecisioneComune",
    "DocumentoInCache",
    "FinestraRaccolta",
    "ModelloDocumento",
    "Osservazione",
    "PianoAnnuale",
    "PianoCongelato",
    "RilevazioneEthos",
    "RiscontroAnomalia",
    "Sezione",
    "SottosezioneStrategie",
    "TotaleDichiarato",
    "Transizione",
    "VersioneApprovata",
    "VersioneNormativa",
    "_percentuale_valida",
    "_percorso_documento",
    "piano_blocca_e_verifica",
    "piano_congelato",
]
