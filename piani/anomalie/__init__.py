"""Controlli incrociati del piano annuale («anomalie», domain.md §5).

Un valore impossibile (un conteggio negativo, una percentuale oltre 100) è un errore
del modulo; un'incoerenza fra campi è un'anomalia: il piano la elenca, il PDF resta
«BOZZA» finché ce n'è una aperta, e per approvarlo ognuna va corretta o presa d'atto
con una motivazione scritta (`RiscontroAnomalia`, legato a `codice` + `oggetto`).

`anomalie_calcola(piano)` esegue sempre lo stesso numero di query, qualunque sia il
numero di enti e comuni: prima carica tutto, poi controlla in memoria.

Cosa si guarda: le comunicazioni e le decisioni del piano, i comuni dell'ambito e
la loro popolazione, i testi narrativi (`Sezione` e `SottosezioneStrategie`: nomi di
comuni dell'ambito scritti male, solo dove il contesto dice che sono comuni) e il
registro delle misure dell'ambito (tutte le sue `AssegnazioneDgr` e i suoi `Bando`).

Impostazione: ``PIANOCASA_TETTO_SPESE_GESTIONE`` (settings di Django, percentuale,
predefinita 10) è la quota massima delle risorse di una DGR regionale destinabile a
spese di gestione; oltre, l'anomalia ``spese_gestione``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..models import PianoAnnuale
from .base import (
    _LUNGHEZZA_OGGETTO,
    TETTO_SPESE_GESTIONE_PREDEFINITO,
    Anomalia,
    Codice,
    _Dati,
    tetto_spese_gestione,
)
from .denaro import _erogate, _fonti_bando, _spese_gestione
from .mancanti import (
    _comunicazione_mancante,
    _fuori_finestra,
    _nessun_patrimonio_con_alloggi,
)
from .nomi import _nome_non_riconosciuto
from .tetti import _indigenti, _tetto_art14, _tetto_forze_ordine, _tetto_sat
from .totali import (
    _consistenza,
    _popolazione,
    _registro_diverso,
    _stato_sap,
    _totale_assegnabili,
    _totale_dichiarato,
)

__all__ = [
    "TETTO_SPESE_GESTIONE_PREDEFINITO",
    "Anomalia",
    "Codice",
    "anomalie_aperte",
    "anomalie_calcola",
    "tetto_spese_gestione",
]


def anomalie_calcola(piano: PianoAnnuale) -> list[Anomalia]:
    """Tutte le anomalie del piano, in ordine stabile (per controllo, poi per ente
    o comune), ciascuna con la sua presa d'atto se c'è."""
    dati = _Dati(piano)
    anomalie: dict[tuple[str, str], Anomalia] = {}
    for controllo in _CONTROLLI:
        for anomalia in controllo(dati):
            anomalia.oggetto = anomalia.oggetto[:_LUNGHEZZA_OGGETTO]
            anomalie.setdefault(anomalia.chiave, anomalia)
    riscontri = {(r.codice, r.oggetto): r for r in dati.riscontri}
    for anomalia in anomalie.values():
        anomalia.riscontro = riscontri.get(anomalia.chiave)
    return list(anomalie.values())


def anomalie_aperte(piano: PianoAnnuale) -> list[Anomalia]:
    """Le anomalie non ancora prese d'atto."""
    return [a for a in anomalie_calcola(piano) if a.riscontro is None]


_CONTROLLI: list[Callable[[_Dati], Iterable[Anomalia]]] = [
    _comunicazione_mancante,
    _fuori_finestra,
    _nome_non_riconosciuto,
    _nessun_patrimonio_con_alloggi,
    _consistenza,
    _stato_sap,
    _registro_diverso,
    _totale_assegnabili,
    _tetto_art14,
    _indigenti,
    _tetto_forze_ordine,
    _tetto_sat,
    _totale_dichiarato,
    _popolazione,
    _spese_gestione,
    _erogate,
    _fonti_bando,
]
