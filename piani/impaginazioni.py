"""Document layouts (``ModelloDocumento``) and what a new plan starts from.

- ``modelli_documento_carica()``: the three layouts of
  ``fixtures/modelli_documento.json`` (idempotent; also run by a migration and by
  ``carica_esempi``).
- ``normativa_proposta(anno=...)`` / ``normativa_avviso(anno=..., normativa=...)``: the
  regulation version in force on 1 January of the plan's year, and the warning (not an
  error) when another one is chosen.
- ``modello_proposto(...)``: the previous year's layout, else the one proposed for
  the version.
- ``sezioni_iniziali(piano=...)``: the starter narrative of a new plan, rendered from
  generic templates with the ambito's own data, never from another ambito's text.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import engines
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import gettext as _

from ambiti.models import Ambito
from patrimonio.territorio import enti_dell_ambito

from .models import ModelloDocumento, PianoAnnuale, Sezione, VersioneNormativa
from .popolazione import popolazione_del_piano

FILE_VERSIONI = Path(settings.BASE_DIR) / "fixtures" / "versioni_normative.json"
FILE_MODELLI = Path(settings.BASE_DIR) / "fixtures" / "modelli_documento.json"


def modelli_dati() -> list[dict[str, Any]]:
    """The layouts as data (also read by the migration that creates them)."""
    return json.loads(FILE_MODELLI.read_text(encoding="utf-8"))["modelli"]


def modelli_documento_carica(*, modello=ModelloDocumento) -> int:
    """Create or update the layouts by codice; returns how many were written.
    ``modello`` lets a migration pass its historical model."""
    return _per_codice_carica(modelli_dati(), modello)


def versioni_normative_carica(*, modello=VersioneNormativa) -> int:
    """The regulation versions (the law's lettering and caps, the same for every
    ambito) from ``fixtures/versioni_normative.json``: reference data, so that a
    new deployment can create plans without loading any seed."""
    voci = json.loads(FILE_VERSIONI.read_text(encoding="utf-8"))
    return _per_codice_carica(voci, modello)


def _per_codice_carica(voci: list[dict[str, Any]], modello) -> int:
    scritti = 0
    for voce in voci:
        valori = {k: v for k, v in voce.items() if k != "codice"}
        oggetto = modello.objects.filter(codice=voce["codice"]).first()
        if oggetto is None:
            modello.objects.create(codice=voce["codice"], **valori)
            scritti += 1
            continue
        cambiati = [k for k, v in valori.items() if getattr(oggetto, k) != v]
        if cambiati:
            for k in cambiati:
                setattr(oggetto, k, valori[k])
            oggetto.save(update_fields=cambiati)
            scritti += 1
    return scritti


# --- Version and layout proposed for a year -----------------------------------------


def normativa_proposta(*, anno: int) -> VersioneNormativa | None:
    """The version in force on 1 January of the plan's year (a plan is built in
    the autumn before, under the rules that will hold for its year)."""
    return (
        VersioneNormativa.objects.filter(in_vigore_dal__lte=date(anno, 1, 1))
        .order_by("-in_vigore_dal")
        .first()
    )


def normativa_avviso(*, anno: int, normativa: VersioneNormativa) -> str:
    """A warning when the chosen version is not the one in force for the year;
    '' when they agree."""
    proposta = normativa_proposta(anno=anno)
    if proposta is None or proposta.pk == normativa.pk:
        return ""
    return _(
        "Attenzione: il 1° gennaio %(anno)s era in vigore «%(proposta)s», non "
        "«%(scelta)s». Verificare la versione normativa scelta."
    ) % {"anno": anno, "proposta": proposta.nome, "scelta": normativa.nome}


def modello_proposto(
    *, ambito: Ambito, anno: int, normativa: VersioneNormativa | None
) -> ModelloDocumento | None:
    precedente = (
        PianoAnnuale.objects.filter(ambito=ambito, anno=anno - 1)
        .select_related("modello", "normativa")
        .first()
    )
    if precedente is not None and precedente.impaginazione is not None:
        return precedente.impaginazione
    modelli = ModelloDocumento.objects.order_by("ordine", "codice")
    if normativa is not None:
        proposto = modelli.filter(normativa_codice=normativa.codice).first()
        if proposto is not None:
            return proposto
    return modelli.first()


# --- Starter narrative --------------------------------------------------------------


def _contesto_iniziale(piano: PianoAnnuale) -> dict[str, Any]:
    ambito = piano.ambito
    comuni = sorted(c.nome for c in ambito.comuni.all())
    data_popolazione, popolazioni = popolazione_del_piano(piano)
    enti = sorted(
        enti_dell_ambito(ambito).select_related("comune"),
        key=lambda e: (e.comune_id is None, e.nome_per_elenco),
    )
    return {
        "piano": piano,
        "anno": piano.anno,
        "ambito": ambito,
        "nome_ambito": ambito.nome_con_ambito,
        "provincia": ambito.provincia,
        "capofila": ambito.comune_capofila.nome if ambito.comune_capofila else "",
        "comuni": comuni,
        "n_comuni": len(comuni),
        "sub_ambiti": [s.nome for s in ambito.sub_ambiti.all()],
        "popolazione_totale": sum(p.popolazione for p in popolazioni),
        "data_popolazione": data_popolazione,
        "enti": [e.denominazione for e in enti],
        "n_enti": len(enti),
        "altri_enti": [e.denominazione for e in enti if e.comune_id is None],
        "normativa": piano.normativa,
    }


def _titolo(titolo: str, contesto: dict[str, Any]) -> str:
    if "{" not in titolo:
        return titolo
    # Years never take a thousands separator (2026, not 2.026).
    sorgente = "{% load l10n %}{% localize off %}" + titolo + "{% endlocalize %}"
    return engines["django"].from_string(sorgente).render(contesto).strip()


def sezioni_iniziali(*, piano: PianoAnnuale) -> list[Sezione]:
    """The new plan's sections (unsaved): the layout's «iniziali», each text rendered
    from ``piani/documento/<cartella>/iniziali/<chiave>.md`` with the plan's data."""
    impaginazione = piano.impaginazione
    if impaginazione is None:
        return []
    contesto = _contesto_iniziale(piano)
    sezioni = []
    with translation.override("it"):
        for ordine, voce in enumerate(impaginazione.sezioni, start=1):
            if not voce.get("iniziale"):
                continue
            nome = (
                f"piani/documento/{impaginazione.cartella_template}/iniziali/"
                f"{voce['chiave']}.md"
            )
            testo = get_template(nome).render(contesto).strip()
            sezioni.append(
                Sezione(
                    piano=piano,
                    chiave=voce["chiave"],
                    titolo=_titolo(voce.get("titolo", ""), contesto),
                    testo=testo,
                    ordine=ordine * 10,
                )
            )
    return sezioni
