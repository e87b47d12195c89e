"""The DGR ledger of the ambito."""

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import UpdateView
from django_tables2 import SingleTableView

from ambiti.permessi import (
    AmbitoScopedMixin,
    ambiti_modificabili,
)
from pianocasa.ui import PER_PAGINA, PaginaMixin

from ..forms import AssegnazioneForm
from ..models import AssegnazioneDgr
from ..tables import AssegnazioneTable

# --- DGR ledger ----------------------------------------------------------------------


class AssegnazioneListView(PaginaMixin, AmbitoScopedMixin, SingleTableView):
    model = AssegnazioneDgr
    queryset = (
        AssegnazioneDgr.objects.select_related("dgr", "ambito")
        .annotate(destinate=Sum("fonti__importo"))
        .order_by("ambito__nome", "dgr__anno", "dgr__numero")
    )
    table_class = AssegnazioneTable
    template_name = "misure/assegnazione_list.html"
    paginate_by = PER_PAGINA
    titolo = _("Registro delle risorse DGR")

    def get_table_kwargs(self):
        return {
            "modificabili": frozenset(
                ambiti_modificabili(self.request.user).values_list("pk", flat=True)
            )
        }


class AssegnazioneUpdateView(PaginaMixin, AmbitoScopedMixin, UpdateView):
    model = AssegnazioneDgr
    scrittura = True
    template_name = "misure/bando_form.html"
    form_class = AssegnazioneForm

    def get_titolo(self) -> str:
        return str(self.object)

    def get_success_url(self) -> str:
        return reverse("misure:dgr_list")
