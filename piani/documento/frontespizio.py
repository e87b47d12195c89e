"""Document context: title page, approval, letters, narrative sections and
collection windows."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ..models import PianoAnnuale, Sezione
from .aiuti import articolo_organo

# Canonical contents that a regulation version letters (docs/architettura.md).
CHIAVI_LETTERE = (
    "consistenza",
    "carenza",
    "ristrutturazione",
    "nuova_edificazione",
    "turn_over",
    "privati",
    "totale",
    "indigenti",
    "ulteriore_categoria",
    "art14",
    "forze_ordine",
    "sat",
    "assegnate_anno_precedente",
)


def sezioni_narrative(
    piano: PianoAnnuale, chiavi: list[str]
) -> tuple[dict[str, Sezione], list[Sezione]]:
    """The plan's own narrative sections, and nothing else: by key those the layout
    places (``chiavi``); each carries in ``seguono`` the sections staff added after
    it (by ``ordine``), printed right after it. Added sections with no placed
    section before them follow the first placed one; with none at all they are
    returned apart, for the end of the document."""
    per_chiave: dict[str, Sezione] = {}
    senza_posto: list[Sezione] = []
    ultima: Sezione | None = None
    for sezione in sorted(piano.sezioni.all(), key=lambda s: (s.ordine, s.pk)):
        sezione.seguono = []
        if sezione.chiave in chiavi:
            per_chiave[sezione.chiave] = ultima = sezione
        elif ultima is not None:
            ultima.seguono.append(sezione)
        else:
            senza_posto.append(sezione)
    if per_chiave and senza_posto:
        prima = min(per_chiave.values(), key=lambda s: (s.ordine, s.pk))
        prima.seguono[:0] = senza_posto
        senza_posto = []
    return per_chiave, senza_posto


def contesto_frontespizio(piano: PianoAnnuale) -> dict[str, Any]:
    """Plan, ambito, regulation, layout, PDF metadata and approval."""
    ambito = piano.ambito
    normativa = piano.normativa
    impaginazione = piano.impaginazione
    return {
        "piano": piano,
        "ambito": ambito,
        "normativa": normativa,
        "lettere": {chiave: piano.lettera(chiave) for chiave in CHIAVI_LETTERE},
        "impaginazione": impaginazione,
        "cartella": (
            impaginazione.cartella_template
            if impaginazione
            else normativa.cartella_template
        ),
        "anno_precedente": piano.anno - 1,
        # PDF metadata (<title>, <meta name="author">).
        "titolo": _("Piano Annuale dell'Offerta Abitativa %(anno)s – %(ambito)s")
        % {"anno": piano.anno, "ambito": ambito},
        "autore": (
            _("%(ambito)s – Comune di %(capofila)s")
            % {"ambito": ambito, "capofila": ambito.comune_capofila.nome}
            if ambito.comune_capofila
            else str(ambito)
        ),
        "approvazione": {
            "organo": piano.organo_approvazione,
            "dall_organo": articolo_organo(piano.organo_approvazione),
            "data": piano.data_approvazione,
            "luogo": piano.luogo_approvazione,
        },
    }


def contesto_sezioni(piano: PianoAnnuale) -> dict[str, Any]:
    """The narrative sections, placed by the layout."""
    impaginazione = piano.impaginazione
    sezioni, senza_posto = sezioni_narrative(
        piano, impaginazione.chiavi if impaginazione else []
    )
    return {"sezioni": sezioni, "sezioni_senza_posto": senza_posto}


def contesto_finestre(piano: PianoAnnuale) -> dict[str, Any]:
    """The collection windows of the comunicazioni."""
    finestre = list(piano.finestre.all())
    return {
        "finestre": finestre,
        "apertura": finestre[0].inizio if finestre else None,
        "chiusura": max((f.fine for f in finestre), default=None),
    }
