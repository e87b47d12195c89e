"""Pieces shared by the plan's pages: the plan under /piani/<pk>/… scoped to the
user, and each anomalia's link to the form that fixes it."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import NoReverseMatch, reverse
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


# Model named by the checks engine → URL name of the form that fixes it (pk kwarg).
FORM_DEL_MODELLO = {
    "comunicazione": "piani:comunicazione_update",
    "decisionecomune": "piani:decisione_update",
    "sezione": "piani:sezione_update",
    "pianoannuale": "piani:piano_update",
    "finestraraccolta": "piani:piano_update",
}


def _url_anomalia(anomalia, piano: PianoAnnuale) -> str | None:
    """The form where the anomalia is fixed, anchored to its field (the checks
    engine names model, pk and field; the mapping to URLs lives here)."""
    modello, pk = (anomalia.modello or "").lower(), anomalia.pk
    ancora = f"#id_{anomalia.campo}" if anomalia.campo else ""
    nome = FORM_DEL_MODELLO.get(modello)
    if nome == "piani:piano_update":
        return reverse(nome, kwargs={"pk": piano.pk}) + ancora
    if nome and pk:
        return reverse(nome, kwargs={"pk": pk}) + ancora
    if modello == "totaledichiarato":
        return reverse("piani:piano_detail", args=[piano.pk]) + "#totali"
    if modello in {"seriedemografica", "popolazionecomune"}:
        return reverse("ambiti:popolazione_list", args=[piano.ambito.slug])
    if pk:
        # Pages of other apps (misure, patrimonio): not every model has a form.
        for app in ("misure", "patrimonio"):
            try:
                return reverse(f"{app}:{modello}_update", kwargs={"pk": pk}) + ancora
            except NoReverseMatch:
                continue
    return None


def _anomalie(piano: PianoAnnuale) -> list[dict]:
    """The anomalie with their link and acknowledgement."""
    return [
        {
            "anomalia": anomalia,
            "url": _url_anomalia(anomalia, piano),
            "riscontro": anomalia.riscontro,
        }
        for anomalia in anomalie_calcola(piano)
    ]


def _riguarda(anomalia, oggetto) -> bool:
    """Does the anomalia point at this record?"""
    modello = (anomalia.modello or "").lower()
    return anomalia.pk == oggetto.pk and modello == type(oggetto).__name__.lower()
