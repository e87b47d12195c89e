"""Document context: chapter 3, the strategies with their bandi, funding acts and
sources, and the Ethos surveys."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from misure.models import Bando, FonteFinanziamento

from ..models import BloccoDgr, PianoAnnuale, SottosezioneStrategie
from .conteggi import conteggi_bando, conteggi_fonte


def _blocco_dgr(blocco: BloccoDgr) -> dict[str, Any]:
    assegnazione = blocco.assegnazione
    fonti = [
        {"fonte": f, "bando": f.bando, "conteggi": conteggi_fonte(f)}
        for f in assegnazione.fonti.all()
    ]
    return {
        "blocco": blocco,
        "assegnazione": assegnazione,
        "dgr": assegnazione.dgr,
        "impegnate": assegnazione.impegnate,
        "fonti": fonti,
    }


def _sottosezione(sottosezione: SottosezioneStrategie) -> dict[str, Any]:
    bando = sottosezione.bando
    fonti = list(bando.fonti.all()) if bando else []
    return {
        "sottosezione": sottosezione,
        "bando": bando,
        "conteggi": conteggi_bando(bando) if bando else None,
        "fonti": fonti,
        "totale_fonti": sum((f.importo or Decimal("0")) for f in fonti),
        # A bando that takes a stated share of each act spends its residual funds.
        "fonti_con_importo": bool(fonti) and all(f.importo is not None for f in fonti),
        "blocchi": [_blocco_dgr(b) for b in sottosezione.blocchi.all()],
    }


def _sottosezioni(piano: PianoAnnuale) -> list[SottosezioneStrategie]:
    # Counts of bandi managed in the app are annotated (con_conteggi), so the
    # chapter costs the same queries whatever the number of domande.
    bandi_con_conteggi = Prefetch("bando", queryset=Bando.objects.con_conteggi())
    fonti_per_assegnazione = (
        FonteFinanziamento.objects.con_conteggi()
        .prefetch_related(bandi_con_conteggi)
        .order_by("bando__data_pubblicazione", "bando_id", "ordine")
    )
    return list(
        piano.sottosezioni_strategie.prefetch_related(
            bandi_con_conteggi,
            Prefetch(
                "bando__fonti",
                queryset=FonteFinanziamento.objects.con_conteggi()
                .select_related("assegnazione__dgr")
                .order_by("ordine", "pk"),
            ),
            Prefetch(
                "blocchi",
                queryset=BloccoDgr.objects.select_related("assegnazione__dgr").order_by(
                    "ordine", "pk"
                ),
            ),
            Prefetch("blocchi__assegnazione__fonti", queryset=fonti_per_assegnazione),
        )
    )


def contesto_strategie(piano: PianoAnnuale) -> dict[str, Any]:
    return {
        "sottosezioni": [_sottosezione(s) for s in _sottosezioni(piano)],
        "rilevazioni_ethos": list(piano.rilevazioni_ethos.order_by("anno")),
    }
