"""Rent-support pages: bandi, graduatoria and its funding run, domande (entry,
edit, import), the publication of the graduatoria and its public pages (no
login), the DGR ledger.

Pages with applicants' personal data are for the ambito's staff only (read-only
users get 403, other ambiti 404) and every view of them is logged
(services.accesso_registra). Logic lives in services.py.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Sum
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import CreateView, DetailView, FormView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from ambiti.models import Ambito
from ambiti.permessi import (
    AmbitoScopedMixin,
    ambiti_modificabili,
    ambiti_visibili,
    get_object_for_user,
    puo_modificare,
)
from pianocasa.formati import euro
from pianocasa.ui import PER_PAGINA, PaginaMixin

from . import services
from .filtersets import BandoFilterSet, DomandaFilterSet
from .forms import (
    BandoForm,
    CriterioFormSet,
    DomandaForm,
    FonteFormSet,
    ImportaDomandeForm,
)
from .models import AssegnazioneDgr, Bando, Domanda, FonteFinanziamento
from .tables import AssegnazioneTable, BandoTable, DomandaTable


def _login_richiesto(vista):
    """For function views: anonymous users go to the login page."""

    def avvolta(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return vista(request, *args, **kwargs)

    avvolta.__name__ = vista.__name__
    avvolta.__doc__ = vista.__doc__
    return avvolta


# The graduatoria on a page: 500 rows at a time (a regional bando has tens of
# thousands, 20 s to render whole); the PDF and XLSX hold it all.
RIGHE_PER_PAGINA = 500


def _pagina_graduatoria(request, righe: list) -> dict:
    pagina = Paginator(righe, RIGHE_PER_PAGINA).get_page(request.GET.get("pagina"))
    return {"righe": pagina.object_list, "pagina_graduatoria": pagina}


def _bando_per_utente(user, pk: int, *, scrittura: bool = False) -> Bando:
    return get_object_for_user(
        user, Bando.objects.select_related("ambito"), scrittura=scrittura, pk=pk
    )


# --- Bandi ---------------------------------------------------------------------------


class BandoListView(PaginaMixin, AmbitoScopedMixin, SingleTableMixin, FilterView):
    model = Bando
    queryset = Bando.objects.con_conteggi().select_related("ambito")
    table_class = BandoTable
    filterset_class = BandoFilterSet
    template_name = "misure/bando_list.html"
    paginate_by = PER_PAGINA
    titolo = _("Bandi di sostegno all'affitto")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["ambiti"] = ambiti_visibili(self.request.user)
        return kwargs

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["puo_creare"] = ambiti_modificabili(self.request.user).exists()
        return contesto


class BandoDetailView(PaginaMixin, AmbitoScopedMixin, DetailView):
    """The bando, its sources with their counts and the graduatoria as it is
    published (no personal data: every user of the ambito may see it)."""

    model = Bando
    queryset = Bando.objects.con_conteggi().select_related("ambito")
    template_name = "misure/bando_detail.html"

    def get_titolo(self) -> str:
        return self.object.titolo

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        bando = self.object
        contesto["fonti"] = list(
            FonteFinanziamento.objects.con_conteggi()
            .filter(bando=bando)
            .select_related("assegnazione__dgr")
            .order_by("ordine", "pk")
        )
        contesto["criteri"] = list(bando.criteri.all())
        contesto["totale_fonti"] = sum(
            (f.importo for f in contesto["fonti"] if f.importo is not None),
            Decimal("0"),
        )
        contesto["fonti_non_quadrano"] = (
            bando.importo is not None
            and any(f.importo is not None for f in contesto["fonti"])
            and contesto["totale_fonti"] != bando.importo
        )
        contesto["puo_modificare"] = puo_modificare(self.request.user, bando.ambito)
        contesto.update(
            _pagina_graduatoria(
                self.request,
                services.graduatoria_pubblica(bando=bando) if bando.gestito else [],
            )
        )
        contesto["scorrimento"] = (
            bando.scorrimenti.select_related("eseguito_da")
            .filter(versione_graduatoria=bando.versione_graduatoria)
            .first()
        )
        contesto["scorrimento_eseguibile"] = (
            bando.gestito
            and bando.versione_graduatoria > 0
            and contesto["scorrimento"] is None
        )
        return contesto


@_login_richiesto
@require_POST
def graduatoria_calcola(request, pk: int):
    bando = _bando_per_utente(request.user, pk, scrittura=True)
    if not bando.gestito:
        raise Http404
    ammesse = services.graduatoria_calcola(bando=bando)
    messages.success(
        request,
        _g("Graduatoria calcolata: %(n)d domande ammesse.") % {"n": ammesse},
    )
    return HttpResponseRedirect(bando.get_absolute_url())


@_login_richiesto
@require_POST
def scorrimento_esegui(request, pk: int):
    bando = _bando_per_utente(request.user, pk, scrittura=True)
    if not bando.gestito:
        raise Http404
    try:
        scorrimento = services.scorrimento_esegui(bando=bando, utente=request.user)
    except services.ScorrimentoNonEseguibile as errore:
        messages.error(request, str(errore))
    else:
        messages.success(
            request,
            _g("Scorrimento eseguito: %(n)d domande finanziate per %(importo)s.")
            % {
                "n": scorrimento.domande_finanziate,
                "importo": euro(scorrimento.importo_erogato),
            },
        )
    return HttpResponseRedirect(bando.get_absolute_url())


@_login_richiesto
@require_POST
def graduatoria_pubblicazione(request, pk: int):
    """Publish (``pubblica=1``) or withdraw (``pubblica=0``) the graduatoria on
    the ambito's public page."""
    bando = _bando_per_utente(request.user, pk, scrittura=True)
    if not bando.gestito:
        raise Http404
    pubblica = request.POST.get("pubblica") == "1"
    try:
        services.graduatoria_pubblica_imposta(
            bando=bando, utente=request.user, pubblica=pubblica
        )
    except services.GraduatoriaNonPubblicabile as errore:
        messages.error(request, str(errore))
    else:
        messages.success(
            request,
            _g("Graduatoria pubblicata nella pagina pubblica dell'ambito.")
            if pubblica
            else _g("Graduatoria ritirata dalla pagina pubblica dell'ambito."),
        )
    return HttpResponseRedirect(bando.get_absolute_url())


TIPO_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _risposta_pdf(bando: Bando) -> HttpResponse:
    risposta = HttpResponse(
        services.graduatoria_pdf(bando=bando), content_type="application/pdf"
    )
    risposta["Content-Disposition"] = (
        f'attachment; filename="graduatoria-{bando.pk}.pdf"'
    )
    return risposta


def _risposta_xlsx(bando: Bando) -> HttpResponse:
    risposta = HttpResponse(
        services.graduatoria_xlsx(bando=bando), content_type=TIPO_XLSX
    )
    risposta["Content-Disposition"] = (
        f'attachment; filename="graduatoria-{bando.pk}.xlsx"'
    )
    return risposta


@_login_richiesto
@require_GET
def graduatoria_pdf(request, pk: int):
    """The graduatoria as it is published: protocol, rank, score, outcome,
    amount only."""
    bando = _bando_per_utente(request.user, pk)
    if not bando.gestito:
        raise Http404
    return _risposta_pdf(bando)


@_login_richiesto
@require_GET
def graduatoria_xlsx(request, pk: int):
    bando = _bando_per_utente(request.user, pk)
    if not bando.gestito:
        raise Http404
    return _risposta_xlsx(bando)


# --- Public pages: no login, published graduatorie only ----------------------------


def _bando_pubblicato(slug: str, pk: int) -> Bando:
    """404 unless the bando belongs to that ambito and its graduatoria is
    published."""
    return get_object_or_404(
        Bando.objects.graduatoria_pubblicata().select_related("ambito"),
        ambito__slug=slug,
        pk=pk,
    )


@require_GET
def graduatorie_pubbliche(request, slug: str):
    """The ambito's bandi with a published graduatoria."""
    ambito = get_object_or_404(Ambito, slug=slug)
    bandi = list(
        Bando.objects.graduatoria_pubblicata()
        .con_conteggi()
        .filter(ambito=ambito)
        .order_by("-data_pubblicazione", "-pk")
    )
    return render(
        request,
        "pubblico/graduatorie.html",
        {
            "ambito": ambito,
            "bandi": bandi,
            "titolo": _g("Graduatorie del sostegno all'affitto – %(ambito)s")
            % {"ambito": ambito},
        },
    )


@require_GET
def graduatoria_pubblica(request, slug: str, pk: int):
    """One published graduatoria as a page: the same five columns as the files."""
    bando = _bando_pubblicato(slug, pk)
    righe = services.graduatoria_pubblica(bando=bando)
    # Citizens look for their own protocol number (?q=, part of it is enough).
    q = request.GET.get("q", "").strip()[:60]
    if q:
        righe = [r for r in righe if q.casefold() in r.protocollo.casefold()]
    return render(
        request,
        "pubblico/graduatoria.html",
        {
            "ambito": bando.ambito,
            "bando": bando,
            "q": q,
            **_pagina_graduatoria(request, righe),
            "titolo": _g("Graduatoria – %(bando)s") % {"bando": bando},
        },
    )


@require_GET
def graduatoria_pubblica_pdf(request, slug: str, pk: int):
    return _risposta_pdf(_bando_pubblicato(slug, pk))


@require_GET
def graduatoria_pubblica_xlsx(request, slug: str, pk: int):
    return _risposta_xlsx(_bando_pubblicato(slug, pk))


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
    """All or nothing: every bad row is listed, nothing is saved if one is bad."""

    form_class = ImportaDomandeForm
    template_name = "misure/domanda_import.html"

    def get_titolo(self) -> str:
        return _g("Importa domande – %(bando)s") % {"bando": self.bando}

    def form_valid(self, form):
        try:
            file = form.cleaned_data["file"]
            n = services.domande_importa(
                bando=self.bando, contenuto=file.read(), nome_file=file.name
            )
        except services.ImportazioneNonValida as errore:
            return self.render_to_response(
                self.get_context_data(form=form, errori=errore.errori)
            )
        messages.success(
            self.request,
            _g("Importate %(n)d domande. Ricalcolare la graduatoria.") % {"n": n},
        )
        return HttpResponseRedirect(
            reverse("misure:domanda_list", args=[self.bando.pk])
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
    fields = ["assegnate", "nota_assegnate", "spese_gestione", "erogate", "misura"]

    def get_titolo(self) -> str:
        return str(self.object)

    def get_success_url(self) -> str:
        return reverse("misure:dgr_list")
