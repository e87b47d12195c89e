"""Background work of a bando (the domande import, the graduatoria): its page,
polled for progress, for the bando's staff only."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _g
from django.views.generic import DetailView

from pianocasa.ui import PaginaMixin, avanzamento_json

from ..models import Elaborazione
from .kit import _bando_per_utente, _login_richiesto


def _elaborazione_per(user, pk: int, elaborazione_pk: int) -> Elaborazione:
    bando = _bando_per_utente(user, pk, scrittura=True)
    return get_object_or_404(
        Elaborazione.objects.select_related("bando__ambito", "utente"),
        bando=bando,
        pk=elaborazione_pk,
    )


class ElaborazioneDetailView(LoginRequiredMixin, PaginaMixin, DetailView):
    template_name = "misure/elaborazione_detail.html"
    context_object_name = "elaborazione"

    def get_object(self, queryset=None):
        return _elaborazione_per(
            self.request.user, self.kwargs["pk"], self.kwargs["elaborazione_pk"]
        )

    def get_titolo(self) -> str:
        return _g("%(tipo)s – %(bando)s") % {
            "tipo": self.object.get_tipo_display(),
            "bando": self.object.bando,
        }


@_login_richiesto
def elaborazione_stato(request, pk: int, elaborazione_pk: int):
    """The state as JSON for the progress bar (it is in the database, so it
    survives a reload)."""
    return avanzamento_json(_elaborazione_per(request.user, pk, elaborazione_pk))
