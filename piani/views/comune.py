"""Pieces shared by the plan's pages: the plan under /piani/<pk>/… scoped to the
user, and each anomalia's link to the form that fixes it."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.functional import cached_property

from ambiti.permessi import (
    get_object_for_user,
    puo_modificare,
)

from ..anomalie import anomalie_calcola
from ..models import (
    PianoAnnuale,
)
from .kit import PaginaMixin


def _piani():
    return PianoAnnuale.objects.select_related("ambito", "normativa", "modello")


class PianoFiglioMixin(LoginRequiredMixin, PaginaMixin):
    """Views under /piani/<pk>/…: the plan, scoped to the user's ambiti."""

    scrittura = False

    @cached_property
    def piano(self) -> PianoAnnuale:
        return get_object_for_user(
            self.request.user,
            _piani(),
            scrittura=self.scrittura,
            pk=self.kwargs["pk"],
        )

    @cached_property
    def puo_modificare(self) -> bool:
        return puo_modificare(self.request.user, self.piano.ambito)

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["piano"] = self.piano
        contesto["puo_modificare"] = self.puo_modificare and self.piano.modificabile
        return contesto


def _anomalie(piano: PianoAnnuale) -> list[dict]:
    """The anomalie with their link and acknowledgement."""
    return [
        {
            "anomalia": anomalia,
            "url": anomalia.url,
            "riscontro": anomalia.riscontro,
        }
        for anomalia in anomalie_calcola(piano)
    ]


def _riguarda(anomalia, oggetto) -> bool:
    """Does the anomalia point at this record?"""
    modello = (anomalia.modello or "").lower()
    return anomalia.pk == oggetto.pk and modello == type(oggetto).__name__.lower()
