"""Who has not answered for a plan: the one home of «enti without a
comunicazione», used by the dashboard, the collection's closing and the
document's checks."""

from __future__ import annotations

from django.db.models import QuerySet

from patrimonio.models import EnteProprietario
from patrimonio.territorio import enti_dell_ambito

from .models import PianoAnnuale


def enti_senza_riga(piano: PianoAnnuale) -> QuerySet[EnteProprietario]:
    """The ambito's enti (comuni, ALER, other linked enti) with no row at all
    in the plan, by name."""
    return (
        enti_dell_ambito(piano.ambito_id)
        .exclude(comunicazioni__piano=piano)
        .order_by("denominazione")
    )


def enti_senza_comunicazione(piano: PianoAnnuale) -> list[EnteProprietario]:
    """Enti of the plan whose comunicazione has not arrived, plus the enti of the
    ambito that have no row at all."""
    mancanti = {
        c.ente
        for c in piano.comunicazioni.filter(esito="").select_related("ente__comune")
    }
    mancanti |= set(enti_senza_riga(piano).select_related("comune"))
    return sorted(mancanti, key=lambda e: (e.comune_id is None, e.nome_per_elenco))


def prossima_mancante(comunicazione) -> object | None:
    """The next comunicazione of the same plan still to arrive, in the enti's
    name order after this one (then from the top): the entry loop's next stop."""
    da_fare = list(
        comunicazione.piano.comunicazioni.filter(esito="")
        .exclude(pk=comunicazione.pk)
        .select_related("ente")
        .order_by("ente__denominazione", "pk")
    )
    nome = comunicazione.ente.denominazione
    dopo = [c for c in da_fare if c.ente.denominazione > nome]
    return (dopo or da_fare or [None])[0]
