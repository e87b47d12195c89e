"""What the plan document says about its own status, and its annex of checks.

The status comes from the plan's state only (never from the anomalie): until the
Assemblea approves it the document is a draft («BOZZA» on every page, a proposal
on the cover); the approval line is printed only by the approved revision, from
its approval record. The annex lists every anomalia, open or acknowledged, with
the reason, who and when: the names as the ente wrote them appear only there;
then the reviewers' observations with the staff's answers.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pianocasa import formati

from .anomalie import Anomalia, anomalie_calcola
from .models import PianoAnnuale, Transizione, VersioneApprovata
from .osservazioni import osservazioni_del_piano

Stato = PianoAnnuale.Stato
STATI_APPROVATI = (Stato.APPROVATO, Stato.PUBBLICATO)


def _articolo_organo(organo: str) -> str:
    """«dall'Assemblea …», «dal Consiglio …»."""
    if not organo:
        return ""
    if organo[0].lower() in "aeiou":
        return _("dall'%(organo)s") % {"organo": organo}
    return _("dal %(organo)s") % {"organo": organo}


def _preposizione_organo(organo: str) -> str:
    """«dell'Assemblea dei Sindaci», «del Consiglio …»."""
    organo = organo or _("Assemblea dei Sindaci")
    if organo[0].lower() in "aeiou":
        return _("dell'%(organo)s") % {"organo": organo}
    return _("del %(organo)s") % {"organo": organo}


def documento_approvato(piano: PianoAnnuale) -> bool:
    """Whether the document is the approved revision (state, not anomalie)."""
    return piano.stato in STATI_APPROVATI


def documento_approvazione(piano: PianoAnnuale) -> dict[str, Any] | None:
    """The approval line's data, only for an approved plan: from the revision's
    stored record, or (while ``piano_approva`` renders it, before the record is
    saved) from the approval transition and the sitting it wrote on the plan."""
    if not documento_approvato(piano):
        return None
    versione = (
        VersioneApprovata.objects.filter(piano=piano, revisione=piano.revisione)
        .only("organo", "data_seduta", "luogo_seduta")
        .first()
    )
    if versione is not None:
        organo, data, luogo = (
            versione.organo,
            versione.data_seduta,
            versione.luogo_seduta,
        )
    elif Transizione.objects.filter(piano=piano, a_stato=Stato.APPROVATO).exists():
        organo, data, luogo = (
            piano.organo_approvazione,
            piano.data_approvazione,
            piano.luogo_approvazione,
        )
    else:
        return None
    if not data:
        return None
    return {
        "organo": organo,
        "dall_organo": _articolo_organo(organo),
        "data": data,
        "luogo": luogo,
    }


def documento_revisioni(piano: PianoAnnuale) -> list[dict[str, Any]]:
    """The earlier approved revisions, each with why it was reopened (the next
    revision's reason): «what changed and why» for the annex."""
    versioni = list(VersioneApprovata.objects.filter(piano=piano).order_by("revisione"))
    return [
        {
            "revisione": v.revisione,
            "data": v.data_seduta,
            "organo": v.organo,
            "motivo": v.motivo_revisione,
        }
        for v in versioni
    ]


def _valore(valore: Any) -> str:
    """A value of an anomalia as the document prints figures (43.221; 12,50)."""
    if isinstance(valore, bool) or valore is None:
        return {True: _("sì"), False: _("no"), None: "–"}[valore]
    if isinstance(valore, int):
        return formati.intero(valore)
    if isinstance(valore, Decimal | float):
        return formati.decimale(valore)
    if isinstance(valore, date):
        return formati.data(valore)
    if isinstance(valore, list | tuple):
        return ", ".join(_valore(v) for v in valore)
    return str(valore)


def documento_anomalie(piano: PianoAnnuale) -> list[Anomalia]:
    """Every anomalia of the plan, open ones first, each with its acknowledgement
    (reason, who, when) when there is one."""
    anomalie = anomalie_calcola(piano)
    utenti = {
        r.pk: r for r in piano.riscontri.select_related("utente") if r is not None
    }
    for a in anomalie:
        if a.riscontro is not None and a.riscontro.pk in utenti:
            a.riscontro = utenti[a.riscontro.pk]
        a.valori_stampa = [
            (str(chiave).replace("_", " "), _valore(v))
            for chiave, v in a.valori.items()
        ]
        if a.riscontro is not None:
            utente = a.riscontro.utente
            a.riscontro_da = utente.get_full_name() or utente.get_username()
            a.riscontro_il = formati.data(timezone.localtime(a.riscontro.creato_il))
    return sorted(anomalie, key=lambda a: not a.aperta)


def documento_osservazioni(piano: PianoAnnuale) -> list[dict[str, Any]]:
    """The reviewers' observations as the annex prints them: who, when, the
    answer and whether it was addressed (one query)."""

    def nome(utente) -> str:
        return (utente.get_full_name() or utente.get_username()) if utente else ""

    return [
        {
            "riferimento": o.riferimento,
            "testo": o.testo,
            "autore": nome(o.autore),
            "data": formati.data(timezone.localtime(o.creata_il)),
            "risposta": o.risposta,
            "risposta_da": nome(o.risposta_da),
            "risposta_il": (
                formati.data(timezone.localtime(o.risposta_il)) if o.risposta_il else ""
            ),
            "aperta": o.aperta,
        }
        for o in osservazioni_del_piano(piano)
    ]


def documento_stato(piano: PianoAnnuale) -> dict[str, Any]:
    """The context keys of the document's status and annex."""
    anomalie = documento_anomalie(piano)
    approvazione = documento_approvazione(piano)
    return {
        "bozza": not documento_approvato(piano),
        "approvazione": approvazione or {},
        "anomalie": [a for a in anomalie if a.aperta],
        "allegato_anomalie": anomalie,
        "revisioni": documento_revisioni(piano),
        "osservazioni": documento_osservazioni(piano),
        "dell_organo": _preposizione_organo(piano.organo_approvazione),
    }
