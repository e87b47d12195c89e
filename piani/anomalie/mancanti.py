"""Controlli sui dati mancanti o fuori posto: comunicazioni non pervenute, fuori
finestra, «nessun patrimonio» con alloggi."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from pianocasa.formati import data as data_it
from pianocasa.formati import intero_o_zero

from ..models import (
    Comunicazione,
    PianoAnnuale,
)
from .base import (
    Anomalia,
    Codice,
    _Dati,
    _per_comunicazione,
    _somma,
)


def _nessun_patrimonio_con_alloggi(dati: _Dati) -> Iterable[Anomalia]:
    for c in dati.comunicazioni:
        if c.esito != Comunicazione.Esito.NESSUN_PATRIMONIO:
            continue
        alloggi = max(
            c.alloggi_totali or 0,
            _somma([c.alloggi_sas, c.alloggi_sap, c.alloggi_altro]),
        )
        if alloggi > 0:
            messaggio = _(
                "%(ente)s certifica di non possedere patrimonio pubblico residenziale, "
                "ma indica %(alloggi)s alloggi."
            ) % {"ente": c.ente.denominazione, "alloggi": intero_o_zero(alloggi)}
            yield _per_comunicazione(
                Codice.NESSUN_PATRIMONIO_CON_ALLOGGI,
                c,
                str(messaggio),
                "esito",
                alloggi=alloggi,
                esito=c.esito,
            )


def _fuori_finestra(dati: _Dati) -> Iterable[Anomalia]:
    # Solo la piattaforma ha finestre: le lettere si protocollano anche dopo.
    if not dati.finestre:
        return
    finestre = ", ".join(
        f"{data_it(f.inizio)} – {data_it(f.fine)}" for f in dati.finestre
    )
    for c in dati.comunicazioni:
        if c.canale != Comunicazione.Canale.PIATTAFORMA or c.data is None:
            continue
        if any(f.inizio <= c.data <= f.fine for f in dati.finestre):
            continue
        messaggio = _(
            "%(ente)s: la comunicazione attraverso la piattaforma è datata "
            "%(data)s, fuori dalle finestre di raccolta (%(finestre)s)."
        ) % {
            "ente": c.ente.denominazione,
            "data": data_it(c.data),
            "finestre": finestre,
        }
        yield _per_comunicazione(
            Codice.FUORI_FINESTRA,
            c,
            str(messaggio),
            "data",
            data=c.data,
            finestre=[(f.inizio, f.fine) for f in dati.finestre],
        )


def _comunicazione_mancante(dati: _Dati) -> Iterable[Anomalia]:
    # Finché la raccolta è aperta una comunicazione può ancora arrivare.
    if dati.piano.stato in {
        PianoAnnuale.Stato.BOZZA,
        PianoAnnuale.Stato.RACCOLTA_APERTA,
    }:
        return
    for c in dati.comunicazioni:
        if not c.esito:
            messaggio = _(
                "%(ente)s non ha inviato la comunicazione e la raccolta è chiusa."
            ) % {"ente": c.ente.denominazione}
            yield _per_comunicazione(
                Codice.COMUNICAZIONE_MANCANTE,
                c,
                str(messaggio),
                "esito",
                stato_piano=dati.piano.stato,
            )
    # Un comune dell'ambito senza alcuna riga nel piano manca anch'esso.
    con_riga = {c.ente.comune_id for c in dati.comunicazioni if c.ente.comune_id}
    for appartenenza in dati.appartenenze:
        comune = appartenenza.comune
        if comune.pk in con_riga:
            continue
        ente = getattr(comune, "ente", None)
        nome = (
            ente.denominazione
            if ente
            else str(_("Comune di %(nome)s") % {"nome": comune.nome})
        )
        messaggio = _(
            "%(ente)s non ha inviato la comunicazione e la raccolta è chiusa."
        ) % {"ente": nome}
        yield Anomalia(
            codice=Codice.COMUNICAZIONE_MANCANTE,
            oggetto=nome,
            messaggio=str(messaggio),
            valori={"comune": comune.nome},
            campo="ente",
            record=dati.piano,
        )
