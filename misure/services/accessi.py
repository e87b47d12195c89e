"""The log of every view of applicants' personal data."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from ..models import (
    AccessoDatiPersonali,
    Bando,
    Domanda,
)

logger_accessi = logging.getLogger("pianocasa.accessi")


def accesso_registra(
    *, utente, bando: Bando, domande: Iterable[Domanda | None], vista: str
) -> None:
    """Record who saw which domanda, in the table and in «pianocasa.accessi»."""
    righe = [
        AccessoDatiPersonali(utente=utente, bando=bando, domanda=d, vista=vista)
        for d in domande
    ] or [AccessoDatiPersonali(utente=utente, bando=bando, domanda=None, vista=vista)]
    AccessoDatiPersonali.objects.bulk_create(righe)
    for riga in righe:
        logger_accessi.info(
            "accesso dati personali: utente=%s vista=%s bando=%s domanda=%s",
            utente.get_username(),
            vista,
            bando.pk,
            riga.domanda.pk if riga.domanda else "-",
        )
