"""The ambito: its data, sub-ambiti, comuni and population, scoped to the user's
ambiti (another ambito answers 404, a read-only user 403 on any change)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from pianocasa.ui import PER_PAGINA, EsportaMixin, PaginaMixin

from .filtersets import ComuneFilterSet, PopolazioneFilterSet
from .forms import (
    AmbitoForm,
    AppartenenzaForm,
    AppartenenzaNuovaForm,
    IncaricoForm,
    PopolazioneForm,
    SerieDemograficaForm,
    SubAmbitoForm,
)
from .models import (
    Ambito,
    AmbitoComune,
    Incarico,
    PopolazioneComune,
    SerieDemografica,
    SubAmbito,
)
from .permessi import AmbitoScopedMixin, ambiti_visibili, puo_modificare
from .services import incarico_assegna, incarico_revoca
from .tables import AmbitoTable, ComuneTable, PopolazioneTable
from .viste import StoriaView


class AmbitoFiglioMixin(LoginRequiredMixin, PaginaMixin):
    """Views under /ambiti/<slug>/…: the ambito, if the user may see it."""

    scrittura = False

    @cached_property
    def ambito(self) -> Ambito:
        ambito = (
            ambiti_visibili(self.request.user)
            .select_related("comune_capofila", "ats")
            .filter(slug=self.kwargs["slug"])
            .first()
        )
        if ambito is None:
            raise Http404
        if self.scrittura and not puo_modificare(self.request.user, ambito):
            raise PermissionDenied
        return ambito

    @cached_property
    def puo_modificare(self) -> bool:
        return puo_modificare(self.request.user, self.ambito)

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["ambito"] = self.ambito
        contesto["puo_modificare"] = self.puo_modificare
        return contesto


class AmbitoListView(AmbitoScopedMixin, PaginaMixin, SingleTableView):
    model = Ambito
    ambito_lookup = "pk"
    table_class = AmbitoTable
    template_name = "generic/object_list.html"
    paginate_by = PER_PAGINA
    titolo = _("Ambiti territoriali")

    def get_queryset(self):
        return ambiti_visibili(self.request.user).select_related("comune_capofila")


class AmbitoDetailView(AmbitoFiglioMixin, DetailView):
    template_name = "ambiti/ambito_detail.html"

    def get_object(self, queryset=None):
        return self.ambito

    def get_titolo(self) -> str:
        return str(self.ambito)

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["sub_ambiti"] = list(self.ambito.sub_ambiti.all())
        contesto["serie"] = list(self.ambito.serie_demografica.all())
        contesto["n_comuni"] = self.ambito.appartenenze.count()
        contesto["piani"] = list(self.ambito.piani.all())
        return contesto


class AmbitoUpdateView(AmbitoFiglioMixin, UpdateView):
    scrittura = True
    form_class = AmbitoForm
    template_name = "ambiti/ambito_form.html"

    def get_object(self, queryset=None):
        return self.ambito

    def get_titolo(self) -> str:
        return _g("Modifica dell'ambito")

    def get_success_url(self) -> str:
        messages.success(self.request, _g("Dati dell'ambito salvati."))
        return reverse("ambiti:ambito_detail", args=[self.ambito.slug])


class AmbitoStoriaView(StoriaView):
    model = Ambito
    slug_field = "slug"
    ambito_lookup = "pk"

    def get_queryset(self):
        return ambiti_visibili(self.request.user)


class _SubAmbitoMixin(AmbitoFiglioMixin):
    scrittura = True
    model = SubAmbito
    form_class = SubAmbitoForm
    template_name = "ambiti/ambito_form.html"

    def get_queryset(self):
        return SubAmbito.objects.filter(ambito=self.ambito)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "ambito": self.ambito}

    def get_success_url(self) -> str:
        messages.success(self.request, _g("Sub-ambito salvato."))
        return reverse("ambiti:ambito_detail", args=[self.ambito.slug])


class SubAmbitoCreateView(_SubAmbitoMixin, CreateView):
    def get_titolo(self) -> str:
        return _g("Nuovo sub-ambito")


class SubAmbitoUpdateView(_SubAmbitoMixin, UpdateView):
    def get_titolo(self) -> str:
        return _g("Modifica del sub-ambito")


class _SoloAmministratoriMixin(AmbitoFiglioMixin):
    """Another ambito's page is 404 as everywhere; on their own ambito, users who
    are not administrators get 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.ambito  # noqa: B018 — 404 before 403, as on every page
            if not request.user.is_superuser:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AppartenenzaCreateView(_SoloAmministratoriMixin, CreateView):
    """A comune joins the ambito: an administrator's act (the comune's data then
    belong to this ambito's staff), recorded in the membership's history."""

    scrittura = True
    model = AmbitoComune
    form_class = AppartenenzaNuovaForm
    template_name = "ambiti/ambito_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "ambito": self.ambito}

    def get_titolo(self) -> str:
        return _g("Aggiungi un comune all'ambito")

    def get_success_url(self) -> str:
        messages.success(self.request, _g("Comune aggiunto all'ambito."))
        return reverse("ambiti:comune_list", args=[self.ambito.slug])


class _SerieMixin(AmbitoFiglioMixin):
    scrittura = True
    model = SerieDemografica
    form_class = SerieDemograficaForm
    template_name = "ambiti/ambito_form.html"

    def get_queryset(self):
        return SerieDemografica.objects.filter(ambito=self.ambito)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "ambito": self.ambito}

    def get_success_url(self) -> str:
        messages.success(self.request, _g("Dato demografico salvato."))
        return reverse("ambiti:ambito_detail", args=[self.ambito.slug])


class SerieCreateView(_SerieMixin, CreateView):
    def get_titolo(self) -> str:
        return _g("Nuovo dato demografico dell'ambito")


class SerieUpdateView(_SerieMixin, UpdateView):
    def get_titolo(self) -> str:
        return _g("Dato demografico %(anno)s") % {"anno": self.object.anno}

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["url_storia"] = reverse(
            "ambiti:serie_history", args=[self.ambito.slug, self.object.pk]
        )
        return contesto


class SerieStoriaView(AmbitoFiglioMixin, StoriaView):
    model = SerieDemografica

    def get_queryset(self):
        return SerieDemografica.objects.filter(ambito=self.ambito)


class ComuneListView(AmbitoFiglioMixin, EsportaMixin, SingleTableMixin, FilterView):
    model = AmbitoComune
    table_class = ComuneTable
    filterset_class = ComuneFilterSet
    template_name = "ambiti/comune_list.html"
    paginate_by = PER_PAGINA
    nome_esportazione = "comuni"

    def get_titolo(self) -> str:
        return _g("Comuni dell'ambito")

    def get_nome_esportazione(self) -> str:
        return f"comuni-{self.ambito.slug}"

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "ambito": self.ambito}

    def get_table_kwargs(self):
        return {"ambito": self.ambito, "puo_modificare": self.puo_modificare}

    def get_queryset(self):
        ultima = PopolazioneComune.objects.filter(comune=OuterRef("comune")).order_by(
            "-data"
        )
        return (
            AmbitoComune.objects.filter(ambito=self.ambito)
            .select_related("comune", "sub_ambito", "ambito")
            .annotate(popolazione=Subquery(ultima.values("popolazione")[:1]))
            .order_by("comune__nome")
        )


class AppartenenzaUpdateView(AmbitoFiglioMixin, UpdateView):
    scrittura = True
    form_class = AppartenenzaForm
    template_name = "ambiti/ambito_form.html"

    def get_queryset(self):
        return AmbitoComune.objects.filter(ambito=self.ambito).select_related("comune")

    def get_titolo(self) -> str:
        return _g("Comune di %(comune)s nell'ambito") % {"comune": self.object.comune}

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["url_storia"] = reverse(
            "ambiti:appartenenza_history", args=[self.ambito.slug, self.object.pk]
        )
        return contesto

    def get_success_url(self) -> str:
        messages.success(self.request, _g("Dati del comune salvati."))
        return reverse("ambiti:comune_list", args=[self.ambito.slug])


class AppartenenzaStoriaView(AmbitoFiglioMixin, StoriaView):
    model = AmbitoComune

    def get_queryset(self):
        return AmbitoComune.objects.filter(ambito=self.ambito).select_related("comune")


class PopolazioneListView(
    AmbitoFiglioMixin, EsportaMixin, SingleTableMixin, FilterView
):
    model = PopolazioneComune
    table_class = PopolazioneTable
    filterset_class = PopolazioneFilterSet
    template_name = "ambiti/popolazione_list.html"
    paginate_by = PER_PAGINA

    def get_titolo(self) -> str:
        return _g("Popolazione dei comuni")

    def get_nome_esportazione(self) -> str:
        return f"popolazione-{self.ambito.slug}"

    def get_table_kwargs(self):
        return {"ambito": self.ambito, "puo_modificare": self.puo_modificare}

    def get_queryset(self):
        return (
            PopolazioneComune.objects.filter(comune__appartenenze__ambito=self.ambito)
            .select_related("comune")
            .order_by("comune__nome", "-data")
        )


class _PopolazioneMixin(AmbitoFiglioMixin):
    scrittura = True
    model = PopolazioneComune
    form_class = PopolazioneForm
    template_name = "ambiti/ambito_form.html"

    def get_queryset(self):
        return PopolazioneComune.objects.filter(
            comune__appartenenze__ambito=self.ambito
        ).select_related("comune")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "ambito": self.ambito}

    def get_success_url(self) -> str:
        messages.success(self.request, _g("Dato di popolazione salvato."))
        return reverse("ambiti:popolazione_list", args=[self.ambito.slug])


class PopolazioneCreateView(_PopolazioneMixin, CreateView):
    def get_titolo(self) -> str:
        return _g("Nuovo dato di popolazione")


class PopolazioneUpdateView(_PopolazioneMixin, UpdateView):
    def get_titolo(self) -> str:
        return _g("Modifica del dato di popolazione")

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["url_storia"] = reverse(
            "ambiti:popolazione_history", args=[self.ambito.slug, self.object.pk]
        )
        return contesto


class PopolazioneStoriaView(AmbitoFiglioMixin, StoriaView):
    model = PopolazioneComune

    def get_queryset(self):
        return PopolazioneComune.objects.filter(
            comune__appartenenze__ambito=self.ambito
        ).select_related("comune")


# --- incarichi (amministratori) ---------------------------------------------------


class IncaricoListView(_SoloAmministratoriMixin, FormView):
    """Who works on the ambito: the staff and reviewers, and the form to add one."""

    form_class = IncaricoForm
    template_name = "ambiti/incarico_list.html"

    def get_titolo(self) -> str:
        return _g("Incarichi")

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["incarichi"] = list(
            self.ambito.incarichi.select_related("utente").order_by(
                "ruolo", "utente__username"
            )
        )
        # Every assignment, change and revocation, newest first.
        contesto["storia_incarichi"] = list(
            Incarico.history.filter(ambito_id=self.ambito.pk)
            .select_related("utente", "history_user")
            .order_by("-history_date", "-history_id")[:100]
        )
        return contesto

    def form_valid(self, form):
        dati = form.cleaned_data
        try:
            incarico, creato = incarico_assegna(
                ambito=self.ambito,
                username=dati["username"],
                ruolo=dati["ruolo"],
                email=dati["email"],
                password=dati["password"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for campo, errori in exc.message_dict.items():
                    form.add_error(campo if campo in form.fields else None, errori)
            else:
                form.add_error(None, exc.messages)
            return self.form_invalid(form)
        testo = (
            _g("Utente «%(utente)s» creato e assegnato: %(ruolo)s.")
            if creato
            else _g("Utente «%(utente)s» assegnato: %(ruolo)s.")
        )
        messages.success(
            self.request,
            testo
            % {
                "utente": incarico.utente.username,
                "ruolo": incarico.get_ruolo_display(),
            },
        )
        return redirect("ambiti:incarico_list", slug=self.ambito.slug)


class IncaricoRevocaView(_SoloAmministratoriMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug: str, pk: int):
        incarico = get_object_or_404(
            Incarico.objects.select_related("utente"), ambito=self.ambito, pk=pk
        )
        incarico_revoca(incarico=incarico)
        messages.success(
            request,
            _g("Incarico di «%(utente)s» revocato.")
            % {"utente": incarico.utente.username},
        )
        return redirect("ambiti:incarico_list", slug=self.ambito.slug)
