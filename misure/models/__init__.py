"""Rent-support models, one module per domain noun: ``dgr`` (acts and their
assignments), ``bando`` (bandi, sources, criteria), ``domanda`` (domande, funding
runs, payments, the access log). Django finds them here."""

from .bando import (
    Bando,
    BandoQuerySet,
    CriterioPunteggio,
    FonteFinanziamento,
    FonteQuerySet,
    codice_fiscale_validator,
)
from .dgr import (
    EURO,
    AssegnazioneDgr,
    Dgr,
)
from .domanda import (
    AccessoDatiPersonali,
    Domanda,
    Erogazione,
    Scorrimento,
)
from .elaborazione import Elaborazione
from .pubblicazione import GraduatoriaPubblicata

__all__ = [
    "GraduatoriaPubblicata",
    "AccessoDatiPersonali",
    "AssegnazioneDgr",
    "Bando",
    "BandoQuerySet",
    "CriterioPunteggio",
    "Dgr",
    "Elaborazione",
    "Domanda",
    "EURO",
    "Erogazione",
    "FonteFinanziamento",
    "FonteQuerySet",
    "Scorrimento",
    "codice_fiscale_validator",
]
