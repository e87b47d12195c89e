"""The plan's population reference date: one fact of the plan, used by the
document, the dashboard, the checks, the charts and the comparison.

The rule that proposes it (when the plan is created, and while staff have not
fixed it): the latest date held for the ambito's comuni on or before 1 January of
the year before the plan (plan 2026 → 31/12/2024, plan 2025 → 01/01/2024, as the
published plans do); if the ambito has no population that old, the latest date it
has. Once stored on the plan (``PianoAnnuale.data_popolazione``) newer ISTAT data
never change the plan's figures until staff change the date.
"""

from __future__ import annotations

from datetime import date

from ambiti.models import PopolazioneComune

from .models import PianoAnnuale


def data_popolazione_proposta(*, ambito_id: int, anno: int) -> date | None:
    date_ambito = PopolazioneComune.objects.filter(
        comune__appartenenze__ambito_id=ambito_id
    ).order_by("-data")
    limite = date(anno - 1, 1, 1)
    return (
        date_ambito.filter(data__lte=limite).values_list("data", flat=True).first()
        or date_ambito.values_list("data", flat=True).first()
    )


def data_popolazione_del_piano(piano: PianoAnnuale) -> date | None:
    """The date stored on the plan, or the proposed one while none is stored."""
    if piano.data_popolazione is not None:
        return piano.data_popolazione
    return data_popolazione_proposta(ambito_id=piano.ambito_id, anno=piano.anno)


def popolazione_del_piano(
    piano: PianoAnnuale,
) -> tuple[date | None, list[PopolazioneComune]]:
    """The population of the ambito's comuni at the plan's date (a comune without
    a figure at that date is missing, never replaced by an older one): the date
    and the rows, largest first as the document prints them."""
    giorno = data_popolazione_del_piano(piano)
    if giorno is None:
        return None, []
    righe = list(
        PopolazioneComune.objects.filter(
            comune__appartenenze__ambito_id=piano.ambito_id, data=giorno
        )
        .select_related("comune")
        .order_by("-popolazione", "comune__nome")
    )
    return giorno, righe
