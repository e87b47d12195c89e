"""Workflows of the plan's data: saving with optimistic locking, acknowledging an
anomalia, a new plan, its narrative, and the dashboard's summary.

Every save that the web forms make goes through here. Records with a ``versione``
are written with ``UPDATE … WHERE versione = n``: if nobody else saved in between
one row matches; if someone did, none does and the save is refused, so neither
edit is silently overwritten.

Modules: ``salvataggi`` (locking, frozen plan, the records' saves), ``creazione``
(a new plan), ``narrativa`` (sections, strategy paragraphs), ``cruscotto``
(dashboard counts).
"""

from .creazione import comunicazioni_inizializza, piano_crea
from .cruscotto import (
    PopolazioneMancante,
    Riepilogo,
    piano_riepilogo,
    popolazione_mancante,
)
from .narrativa import (
    sezione_crea,
    sezione_elimina,
    sezione_sposta,
    sottosezione_aggiorna,
    sottosezione_crea,
    sottosezione_elimina,
    sottosezione_sposta,
)
from .salvataggi import (
    MESSAGGIO_CONGELATO,
    FinestraDati,
    ModificaConcorrente,
    anomalia_riscontra,
    comunicazione_aggiorna,
    decisione_aggiorna,
    decisione_crea,
    piano_aggiorna,
    piano_verifica_modificabile,
    sezione_aggiorna,
    totale_dichiarato_imposta,
)

__all__ = [
    "MESSAGGIO_CONGELATO",
    "FinestraDati",
    "ModificaConcorrente",
    "PopolazioneMancante",
    "Riepilogo",
    "anomalia_riscontra",
    "comunicazione_aggiorna",
    "comunicazioni_inizializza",
    "decisione_aggiorna",
    "decisione_crea",
    "piano_aggiorna",
    "piano_crea",
    "piano_riepilogo",
    "piano_verifica_modificabile",
    "popolazione_mancante",
    "sezione_aggiorna",
    "sezione_crea",
    "sezione_elimina",
    "sezione_sposta",
    "sottosezione_aggiorna",
    "sottosezione_crea",
    "sottosezione_elimina",
    "sottosezione_sposta",
    "totale_dichiarato_imposta",
]
