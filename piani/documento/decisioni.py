"""Document context: the per-comune decisions (letters h, i, i ter / c, d, e)."""

from __future__ import annotations

from typing import Any

from ..models import PianoAnnuale
from .aiuti import positivo


def contesto_decisioni(piano: PianoAnnuale) -> dict[str, Any]:
    decisioni = list(piano.decisioni.select_related("comune"))
    soglia = piano.normativa.soglia_indigenti
    return {
        "decisioni": {
            "tutte": decisioni,
            "indigenti": [
                d
                for d in decisioni
                if d.quota_indigenti is not None and d.quota_indigenti != soglia
            ],
            "ulteriore_categoria": [d for d in decisioni if d.categoria_ulteriore],
            "forze_ordine": [
                d
                for d in decisioni
                if positivo(d.quota_forze_ordine) or positivo(d.quota_polizia_locale)
            ],
        },
        "soglia_indigenti": soglia,
    }
