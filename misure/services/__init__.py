"""Rent-support workflows: eligibility, graduatoria, scorrimento, import,
publication and the log of accesses to applicants' personal data.

The allocation itself (``scorrimento_ripartisci``) is a pure function on plain
numbers, so its invariants can be tested on many generated cases; the database
services wrap it.

One module per step: ``calcolo`` (pure functions), ``graduatoria`` (ranking and
funding run), ``importazione`` (domande from XLSX), ``elaborazioni`` (the import and the
graduatoria as background work), ``pubblicazione`` (the public
graduatoria), ``accessi`` (the personal-data access log); every name is
re-exported here, where views, commands and operators' scripts import them.
"""

from .accessi import (
    accesso_registra,
)
from .calcolo import (
    CENTESIMO,
    ISEE_RIFERIMENTO,
    ZERO,
    Quota,
    contributo_calcola,
    eta_calcola,
    graduatoria_chiave,
    punteggio_calcola,
    requisiti_verifica,
    scorrimento_ripartisci,
)
from .elaborazioni import (
    ElaborazioneInCorso,
    elaborazione_avvia,
    elaborazione_esegui,
    pdf_composto,
)
from .graduatoria import (
    ScorrimentoNonEseguibile,
    bando_salva,
    graduatoria_calcola,
    scorrimenti_supera,
    scorrimento_esegui,
)
from .importazione import (
    _PER_INTESTAZIONE,
    COLONNE_IMPORT,
    FACOLTATIVE,
    INTESTAZIONI,
    ImportazioneNonValida,
    domande_importa,
    domande_leggi_xlsx,
    domande_modello_xlsx,
)
from .pubblicazione import (
    INTESTAZIONI_PUBBLICHE,
    GraduatoriaNonPubblicabile,
    RigaPubblica,
    graduatoria_html,
    graduatoria_pdf,
    graduatoria_pubblica,
    graduatoria_pubblica_imposta,
    graduatoria_xlsx,
    pubblicazione_corrente,
    pubblicazione_righe,
    pubblicazione_verifica,
    righe_pubblicate,
)

__all__ = [
    "pubblicazione_righe",
    "pubblicazione_verifica",
    "ElaborazioneInCorso",
    "elaborazione_avvia",
    "elaborazione_esegui",
    "pdf_composto",
    "scorrimenti_supera",
    "pubblicazione_corrente",
    "righe_pubblicate",
    "_PER_INTESTAZIONE",
    "CENTESIMO",
    "COLONNE_IMPORT",
    "FACOLTATIVE",
    "GraduatoriaNonPubblicabile",
    "INTESTAZIONI",
    "INTESTAZIONI_PUBBLICHE",
    "ISEE_RIFERIMENTO",
    "ImportazioneNonValida",
    "Quota",
    "RigaPubblica",
    "ScorrimentoNonEseguibile",
    "ZERO",
    "accesso_registra",
    "bando_salva",
    "contributo_calcola",
    "domande_importa",
    "domande_leggi_xlsx",
    "domande_modello_xlsx",
    "eta_calcola",
    "graduatoria_calcola",
    "graduatoria_chiave",
    "graduatoria_html",
    "graduatoria_pdf",
    "graduatoria_pubblica",
    "graduatoria_pubblica_imposta",
    "graduatoria_xlsx",
    "punteggio_calcola",
    "requisiti_verifica",
    "scorrimento_esegui",
    "scorrimento_ripartisci",
]
