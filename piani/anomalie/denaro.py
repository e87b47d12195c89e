"""Controlli sul denaro del sostegno all'affitto (misure): spese di gestione,
risorse erogate, fonti dei bandi."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from misure.fonti import fonti_confronta
from misure.models import Dgr
from pianocasa.formati import euro, percentuale

from .base import (
    Anomalia,
    Codice,
    _Dati,
    tetto_spese_gestione,
)


def _spese_gestione(dati: _Dati) -> Iterable[Anomalia]:
    tetto = tetto_spese_gestione()
    for a in dati.assegnazioni:
        if a.dgr.fonte != Dgr.Fonte.REGIONALE or a.assegnate is None:
            continue
        if a.spese_gestione * 100 > a.assegnate * tetto:
            messaggio = _(
                "%(dgr)s: le spese di gestione (%(spese)s) superano il %(tetto)s delle "
                "risorse assegnate (%(assegnate)s)."
            ) % {
                "dgr": a.dgr.breve,
                "spese": euro(a.spese_gestione),
                "tetto": percentuale(tetto),
                "assegnate": euro(a.assegnate),
            }
            yield Anomalia(
                codice=Codice.SPESE_GESTIONE,
                oggetto=a.dgr.breve,
                messaggio=str(messaggio),
                valori={
                    "spese_gestione": a.spese_gestione,
                    "assegnate": a.assegnate,
                    "tetto": tetto,
                },
                campo="spese_gestione",
                record=a,
            )


def _erogate(dati: _Dati) -> Iterable[Anomalia]:
    for a in dati.assegnazioni:
        impegnate = a.impegnate
        if a.erogate is None or impegnate is None or a.erogate <= impegnate:
            continue
        messaggio = _(
            "%(dgr)s: le risorse erogate (%(erogate)s) superano le impegnate "
            "(%(impegnate)s)."
        ) % {
            "dgr": a.dgr.breve,
            "erogate": euro(a.erogate),
            "impegnate": euro(impegnate),
        }
        yield Anomalia(
            codice=Codice.EROGATE,
            oggetto=a.dgr.breve,
            messaggio=str(messaggio),
            valori={"erogate": a.erogate, "impegnate": impegnate},
            campo="erogate",
            record=a,
        )


def _fonti_bando(dati: _Dati) -> Iterable[Anomalia]:
    """The bando's own rule (misure.fonti), as an anomalia of the plan."""
    for bando in dati.bandi:
        confronto = fonti_confronta(bando, bando.fonti.all())
        if confronto is None or confronto.quadra:
            continue
        valori = {
            "bando": bando.titolo,
            "somma": euro(confronto.somma),
            "importo": euro(confronto.importo),
            "n": confronto.senza_importo,
        }
        if confronto.senza_importo:
            messaggio = (
                _(
                    "Bando «%(bando)s»: %(n)s fonti di finanziamento senza importo (le "
                    "altre sommano %(somma)s): non si può verificare che coprano "
                    "l'importo del bando, %(importo)s."
                )
                % valori
            )
        else:
            messaggio = (
                _(
                    "Bando «%(bando)s»: le fonti di finanziamento sommano "
                    "%(somma)s, ma l'importo del bando è %(importo)s."
                )
                % valori
            )
        yield Anomalia(
            codice=Codice.FONTI_BANDO,
            oggetto=bando.titolo,
            messaggio=str(messaggio),
            valori={
                "somma_fonti": confronto.somma,
                "importo": bando.importo,
                "fonti_senza_importo": confronto.senza_importo,
            },
            campo="importo",
            record=bando,
        )
