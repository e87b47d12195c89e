"""Background work of a bando (the domande import, the graduatoria, its
publication, its PDF): its page, polled for progress, for the bando's staff
only; the PDF also for those who may read the bando, who asked for it."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _g
from django.views.decorators.http import require_GET
from django.views.generic import DetailView

from pianocasa.ui import PaginaMixin, avanzamento_json

from ..models import Elaborazione
from .kit import _bando_per_utente, _login_richiesto, pdf_graduatoria


def _elaborazione_per(user, pk: int, elaborazione_pk: int) -> Elaborazione:
    bando = _bando_per_utente(user, pk)
    elaborazione = get_object_or_404(
        Elaborazione.objects.select_related("bando__ambito", "utente").defer(
            "contenuto", "documento"
        ),
        bando=bando,
        pk=elaborazione_pk,
    )
    if elaborazione.tipo != Elaborazione.Tipo.PDF:
        # Work that writes: its page is for those who may change the bando (403).
        _bando_per_utente(user, pk, scrittura=True)
    return elaborazione


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


@_login_richiesto
@require_GET
def elaborazione_pdf(request, pk: int, elaborazione_pk: int):
    """The PDF the worker composed (404 until it is there, or once a newer one
    replaced it)."""
    elaborazione = _elaborazione_per(request.user, pk, elaborazione_pk)
    documento = (
        Elaborazione.objects.filter(pk=elaborazione.pk, tipo=Elaborazione.Tipo.PDF)
        .values_list("documento", flat=True)
        .first()
    )
    if documento is None:
        raise Http404
    return pdf_graduatoria(bytes(documento), pk)
