"""Document context: the ambito's comuni, population and demographic series."""

from __future__ import annotations

from typing import Any

from ambiti.models import AmbitoComune

from .. import grafici
from ..models import PianoAnnuale
from ..popolazione import popolazione_del_piano
from .aiuti import variazione


def _variazioni(serie: list) -> dict[str, Any] | None:
    """Change between the last two years of the series."""
    if len(serie) < 2:
        return None
    ultimo, penultimo = serie[-1], serie[-2]
    return {
        "anno": ultimo.anno,
        "anno_precedente": penultimo.anno,
        "nati": variazione(ultimo.nati, penultimo.nati),
        "stranieri": variazione(ultimo.stranieri, penultimo.stranieri),
        "popolazione": variazione(ultimo.popolazione, penultimo.popolazione),
    }


def contesto_territorio(piano: PianoAnnuale) -> dict[str, Any]:
    """The ambito's comuni and their population at the plan's reference date."""
    ambito = piano.ambito
    appartenenze = list(
        AmbitoComune.objects.filter(ambito=ambito).select_related(
            "comune", "sub_ambito"
        )
    )
    comuni = sorted((a.comune for a in appartenenze), key=lambda c: c.nome)
    data_popolazione, popolazione = popolazione_del_piano(piano)
    serie = list(ambito.serie_demografica.all())
    return {
        "comuni": comuni,
        "appartenenze": appartenenze,
        "popolazione": popolazione,
        "popolazione_per_nome": sorted(popolazione, key=lambda p: p.comune.nome),
        "data_popolazione": data_popolazione,
        "popolazione_totale": sum(p.popolazione for p in popolazione),
        "serie": serie,
        "variazioni": _variazioni(serie),
        # Inline SVG, built from the rows above (no further query).
        "grafico_popolazione": (
            grafici.svg_popolazione_ambito(
                ambito, [(s.anno, s.popolazione) for s in serie]
            )
            if len(serie) > 1
            else ""
        ),
    }
