"""Domande: personal data, staff of the ambito only, every view logged."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import F
from django.http import Http404, HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _g
from django.views.decorators.http import require_GET
from django.views.generic import CreateView, DetailView, FormView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from ambiti.permessi import (
    get_object_for_user,
)
from pianocasa.ui import PER_PAGINA, PaginaMixin

from .. import services
from ..filtersets import DomandaFilterSet
from ..forms import (
    DomandaForm,
    ImportaDomandeForm,
)
from ..models import Bando, Domanda, Elaborazione
from ..tables import DomandaTable
from .bandi import TIPO_XLSX
from .kit import _bando_per_utente, _login_richiesto, elaborazione_avvia_e_mostra

# --- Domande: personal data, staff of the ambito only, every view logged ------------


class BandoPersonaleMixin(LoginRequiredMixin, PaginaMixin):
    """Views under /bandi/<pk>/domande/: the bando for staff only."""

    @cached_property
    def bando(self) -> Bando:
        bando = _bando_per_utente(self.request.user, self.kwargs["pk"], scrittura=True)
        if not bando.gestito:
            raise Http404
        return bando

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["bando"] = self.bando
        return contesto


class DomandaListView(BandoPersonaleMixin, SingleTableMixin, FilterView):
    model = Domanda
    table_class = DomandaTable
    filterset_class = DomandaFilterSet
    template_name = "misure/domanda_list.html"
    paginate_by = PER_PAGINA

    def get_titolo(self) -> str:
        return _g("Domande – %(bando)s") % {"bando": self.bando}

    def get_queryset(self):
        # the graduatoria first, then the excluded and those not yet checked
        return self.bando.domande.select_related("comune_residenza").order_by(
            F("posizione").asc(nulls_last=True), "data_protocollo", "protocollo"
        )

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        tabella = contesto["table"]
        services.accesso_registra(
            utente=self.request.user,
            bando=self.bando,
            domande=[riga.record for riga in tabella.paginated_rows],
            vista="domanda_list",
        )
        return contesto


class DomandaMixin(LoginRequiredMixin, PaginaMixin):
    model = Domanda
    vista = ""

    def get_object(self, queryset=None):
        return get_object_for_user(
            self.request.user,
            Domanda.objects.select_related("bando__ambito", "comune_residenza"),
            "bando__ambito",
            scrittura=True,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["bando"] = self.object.bando
        if self.request.method == "GET":
            services.accesso_registra(
                utente=self.request.user,
                bando=self.object.bando,
                domande=[self.object],
                vista=self.vista,
            )
        return contesto


class DomandaDetailView(DomandaMixin, DetailView):
    template_name = "misure/domanda_detail.html"
    vista = "domanda_detail"

    def get_titolo(self) -> str:
        return str(self.object)

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["erogazioni"] = list(
            self.object.erogazioni.select_related("fonte__assegnazione__dgr")
        )
        return contesto


class DomandaUpdateView(DomandaMixin, UpdateView):
    form_class = DomandaForm
    template_name = "misure/domanda_form.html"
    vista = "domanda_update"

    def get_titolo(self) -> str:
        return _g("Modifica %(domanda)s") % {"domanda": self.object}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["ambito"] = self.object.bando.ambito
        return kwargs

    def form_valid(self, form):
        risposta = super().form_valid(form)
        services.accesso_registra(
            utente=self.request.user,
            bando=self.object.bando,
            domande=[self.object],
            vista="domanda_update",
        )
        messages.success(
            self.request,
            _g("Domanda salvata. Ricalcolare la graduatoria per aggiornare l'esito."),
        )
        return risposta


class DomandaCreateView(BandoPersonaleMixin, CreateView):
    form_class = DomandaForm
    template_name = "misure/domanda_form.html"

    def get_titolo(self) -> str:
        return _g("Nuova domanda – %(bando)s") % {"bando": self.bando}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["ambito"] = self.bando.ambito
        kwargs["instance"] = Domanda(bando=self.bando)
        return kwargs

    def form_valid(self, form):
        risposta = super().form_valid(form)
        services.accesso_registra(
            utente=self.request.user,
            bando=self.bando,
            domande=[self.object],
            vista="domanda_create",
        )
        messages.success(self.request, _g("Domanda registrata."))
        return risposta


class DomandaImportView(BandoPersonaleMixin, FormView):
    """The file is checked and written in the background (all or nothing); the
    page of the work shows its progress and every bad row."""

    form_class = ImportaDomandeForm
    template_name = "misure/domanda_import.html"

    def get_titolo(self) -> str:
        return _g("Importa domande – %(bando)s") % {"bando": self.bando}

    def form_valid(self, form):
        file = form.cleaned_data["file"]
        return elaborazione_avvia_e_mostra(
            self.request,
            bando=self.bando,
            tipo=Elaborazione.Tipo.IMPORTAZIONE,
            contenuto=file.read(),
            nome_file=file.name,
        )


@_login_richiesto
@require_GET
def domanda_modello(request, pk: int):
    """The empty XLSX template of the import (headers only)."""
    _bando_per_utente(request.user, pk)
    risposta = HttpResponse(
        services.domande_modello_xlsx(),
        content_type=TIPO_XLSX,
    )
    risposta["Content-Disposition"] = 'attachment; filename="modello-domande.xlsx"'
    return risposta
