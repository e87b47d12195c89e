"""Creating and changing a bando, with its sources and scoring criteria."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, UpdateView

from ambiti.permessi import (
    AmbitoScopedMixin,
    ambiti_modificabili,
)
from pianocasa.ui import PaginaMixin

from .. import services
from ..forms import (
    BandoForm,
    CriterioFormSet,
    FonteFormSet,
)
from ..models import Bando


class BandoUpdateView(PaginaMixin, AmbitoScopedMixin, UpdateView):
    """The bando with its sources (in scorrimento order) and scoring criteria."""

    model = Bando
    scrittura = True
    form_class = BandoForm
    template_name = "misure/bando_form.html"

    def get_titolo(self) -> str:
        return _g("Modifica bando")

    def _formset(self, classe, prefisso: str, **extra):
        dati = self.request.POST if self.request.method == "POST" else None
        return classe(dati, instance=self.object, prefix=prefisso, **extra)

    @cached_property
    def formsets(self) -> dict:
        return {
            "fonti": self._formset(
                FonteFormSet, "fonti", form_kwargs={"ambito": self.object.ambito}
            ),
            "criteri": self._formset(CriterioFormSet, "criteri"),
        }

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto.update(self.formsets)
        return contesto

    def form_valid(self, form):
        if not all(f.is_valid() for f in self.formsets.values()):
            return self.form_invalid(form)
        services.bando_salva(form=form, **self.formsets)
        messages.success(self.request, _g("Bando salvato."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class BandoCreateView(PaginaMixin, LoginRequiredMixin, CreateView):
    """A new bando of one of the user's ambiti; sources and criteria are added
    on its edit page."""

    model = Bando
    form_class = BandoForm
    template_name = "misure/bando_form.html"
    titolo = _("Nuovo bando")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not ambiti_modificabili(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["ambiti"] = ambiti_modificabili(self.request.user)
        return kwargs

    def form_valid(self, form):
        self.object = services.bando_salva(form=form)
        messages.success(
            self.request,
            _g("Bando creato: indicare le fonti di finanziamento e i criteri."),
        )
        return HttpResponseRedirect(
            reverse("misure:bando_update", args=[self.object.pk])
        )
