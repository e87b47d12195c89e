"""The reviewers' observations on a draft: written by anyone who may read the
plan (reviewers included, who change no data), answered or closed by staff.

Scoping (who may read or write which plan) is the views' job, through
``ambiti.permessi``; these functions keep the observation consistent with its
plan. A frozen plan refuses both, as every ``DatoDelPiano`` does.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Comunicazione, Osservazione, PianoAnnuale, Sezione


def _riferimento(
    piano: PianoAnnuale, sezione: Sezione | None, comunicazione: Comunicazione | None
) -> str:
    if sezione is not None and comunicazione is not None:
        raise ValidationError(
            _(
                "Un'osservazione riguarda una sezione o la riga di un ente, "
                "non entrambe."
            )
        )
    if sezione is not None:
        if sezione.piano_id != piano.pk:
            raise ValidationError({"sezione": _("La sezione non è di questo piano.")})
        return _("Sezione «%(titolo)s»") % {"titolo": sezione}
    if comunicazione is not None:
        if comunicazione.piano_id != piano.pk:
            raise ValidationError(
                {"comunicazione": _("La riga dell'ente non è di questo piano.")}
            )
        return _("Dati di %(ente)s") % {"ente": comunicazione.ente}
    return _("Il piano nel suo insieme")


def osservazione_crea(
    *,
    piano: PianoAnnuale,
    utente,
    testo: str,
    sezione: Sezione | None = None,
    comunicazione: Comunicazione | None = None,
) -> Osservazione:
    """A new open observation on the plan, a section or an ente's row."""
    testo = (testo or "").strip()
    if not testo:
        raise ValidationError({"testo": _("Scrivere il testo dell'osservazione.")})
    osservazione = Osservazione(
        piano=piano,
        sezione=sezione,
        comunicazione=comunicazione,
        riferimento=_riferimento(piano, sezione, comunicazione)[:300],
        testo=testo,
        autore=utente,
    )
    osservazione.save()
    return osservazione


def osservazione_rispondi(
    *, osservazione: Osservazione, utente, risposta: str, chiudi: bool
) -> Osservazione:
    """Staff's answer; ``chiudi`` marks the observation addressed. An answer
    without closing keeps it open (the reviewer may still disagree)."""
    risposta = (risposta or "").strip()
    if not risposta and not chiudi:
        raise ValidationError(
            {
                "risposta": _(
                    "Scrivere una risposta o segnare l'osservazione affrontata."
                )
            }
        )
    with transaction.atomic():
        osservazione = Osservazione.objects.select_for_update().get(pk=osservazione.pk)
        if risposta:
            osservazione.risposta = risposta
            osservazione.risposta_da = utente
            osservazione.risposta_il = timezone.now()
        if chiudi:
            osservazione.stato = Osservazione.Stato.CHIUSA
        osservazione.save()
    return osservazione


def osservazione_riapri(*, osservazione: Osservazione) -> Osservazione:
    """A closed observation open again (the reviewer was not satisfied)."""
    osservazione.stato = Osservazione.Stato.APERTA
    osservazione.save(update_fields=["stato"])
    return osservazione


def osservazioni_del_piano(piano: PianoAnnuale) -> list[Osservazione]:
    """Every observation of the plan with its authors: one query."""
    return list(
        piano.osservazioni.select_related(
            "autore", "risposta_da", "sezione", "comunicazione__ente"
        ).order_by("creata_il", "pk")
    )


def osservazioni_aperte_conta() -> Coalesce:
    """An annotation on plans: how many observations are still open (a subquery,
    so a list or dashboard keeps its number of queries)."""
    aperte = (
        Osservazione.objects.filter(
            piano=OuterRef("pk"), stato=Osservazione.Stato.APERTA
        )
        .order_by()
        .values("piano")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(aperte), 0)
