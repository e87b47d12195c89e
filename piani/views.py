"""The staff's workplace for a plan: list, dashboard, forms, lists, document.

Views are thin: scoping through ambiti.permessi, saving through piani.services.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from ambiti.permessi import (
    AmbitoScopedMixin,
    ambiti_modificabili,
    get_object_for_user,
    puo_modificare,
)
from patrimonio.territorio import enti_dell_ambito
from pianocasa.parole import tipo_storia

from . import services
from .anomalie import anomalie_calcola
from .ciclo import versione_corrente, versione_pdf
from .documento import documento_html, documento_pdf
from .filtersets import ComunicazioneFilterSet, DecisioneFilterSet
from .forms import (
    ComunicazioneForm,
    DecisioneComuneForm,
    DecisioneNuovaForm,
    FinestraFormSet,
    PianoForm,
    RiscontroForm,
    SezioneForm,
    TotaleDichiaratoForm,
)
from .models import (
    Comunicazione,
    DecisioneComune,
    FinestraRaccolta,
    PianoAnnuale,
    PianoCongelato,
    RiscontroAnomalia,
    Sezione,
)
from .services import ModificaConcorrente
from .tables import (
    ComunicazioneTable,
    DatiEnteTable,
    DecisioneTable,
    EsportaMixin,
    PianoTable,
    SezioneTable,
)

PER_PAGINA = 25


# --- Shared pieces ------------------------------------------------------------------


class PaginaMixin:
    """The page title for base.html (the menu comes from pianocasa.menu.menu)."""

    titolo = ""

    def get_titolo(self) -> str:
        return str(self.titolo)

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto.setdefault("titolo", self.get_titolo())
        return contesto


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


# --- Plans --------------------------------------------------------------------------


class PianoListView(AmbitoScopedMixin, PaginaMixin, SingleTableView):
    model = PianoAnnuale
    table_class = PianoTable
    paginate_by = PER_PAGINA
    template_name = "piani/piano_list.html"
    titolo = _("Piani annuali")

    def get_queryset(self):
        return super().get_queryset().select_related("ambito", "normativa")

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        # «Nuovo piano» for each ambito the user may write to.
        contesto["ambiti_nuovo_piano"] = ambiti_modificabili(self.request.user)
        return contesto


class PianoDetailView(AmbitoScopedMixin, PaginaMixin, DetailView):
    """The dashboard: state, windows, enti and comunicazioni, anomalie, counts."""

    model = PianoAnnuale
    template_name = "piani/piano_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("ambito", "normativa")
            .prefetch_related(
                Prefetch(
                    "finestre", queryset=FinestraRaccolta.objects.order_by("inizio")
                ),
                Prefetch(
                    "comunicazioni",
                    queryset=Comunicazione.objects.select_related("ente__comune"),
                ),
                Prefetch(
                    "riscontri",
                    queryset=RiscontroAnomalia.objects.select_related("utente"),
                ),
                "totali_dichiarati",
            )
        )

    def get_titolo(self) -> str:
        return str(self.object)

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        piano = self.object
        comunicazioni = sorted(
            piano.comunicazioni.all(),
            key=lambda c: (c.ente.comune_id is None, c.ente.nome_per_elenco.upper()),
        )
        senza_riga = list(
            enti_dell_ambito(piano.ambito_id)
            .exclude(comunicazioni__piano=piano)
            .order_by("denominazione")
        )
        anomalie = _anomalie(piano)
        modificabile = puo_modificare(self.request.user, piano.ambito)
        contesto.update(
            {
                "piano": piano,
                "comunicazioni": comunicazioni,
                "enti_senza_riga": senza_riga,
                "riepilogo": services.piano_riepilogo(piano=piano),
                "popolazione_mancante": services.popolazione_mancante(piano=piano),
                "anomalie_aperte": [a for a in anomalie if not a["riscontro"]],
                "anomalie_riscontrate": [a for a in anomalie if a["riscontro"]],
                "riscontri": list(piano.riscontri.all()),
                "puo_modificare": modificabile and piano.modificabile,
                "congelato": not piano.modificabile,
                "form_riscontro": RiscontroForm(),
                "totali_dichiarati": list(piano.totali_dichiarati.all()),
                "form_totale": TotaleDichiaratoForm(),
            }
        )
        return contesto


class PianoUpdateView(PianoFiglioMixin, View):
    """Plan data and its collection windows (inline formset), one optimistic save."""

    scrittura = True
    template_name = "piani/piano_form.html"

    def get_titolo(self) -> str:
        return _g("Modifica dei dati del piano")

    def _moduli(self, data=None):
        form = PianoForm(data, instance=self.piano)
        formset = FinestraFormSet(data, instance=self.piano, prefix="finestre")
        return form, formset

    def _mostra(self, form, formset, status=200, conflitto=False):
        contesto = {
            "form": form,
            "formset": formset,
            "conflitto": conflitto,
            "piano": self.piano,
            "titolo": self.get_titolo(),
            "puo_modificare": self.piano.modificabile,
            "congelato": not self.piano.modificabile,
        }
        return render(self.request, self.template_name, contesto, status=status)

    def get(self, request, *args, **kwargs):
        return self._mostra(*self._moduli())

    def post(self, request, *args, **kwargs):
        form, formset = self._moduli(request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self._mostra(form, formset)
        finestre = [
            services.FinestraDati(
                pk=f.instance.pk,
                inizio=f.cleaned_data.get("inizio"),
                fine=f.cleaned_data.get("fine"),
                elimina=bool(f.cleaned_data.get("DELETE")),
            )
            for f in formset.forms
            if f.has_changed() or f.cleaned_data.get("DELETE")
        ]
        try:
            services.piano_aggiorna(
                piano=self.piano,
                dati=form.dati(),
                versione=form.cleaned_data["versione"],
                utente=request.user,
                finestre=finestre,
            )
        except ModificaConcorrente as errore:
            form.add_error(None, str(errore))
            return self._mostra(form, formset, status=409, conflitto=True)
        except PianoCongelato as errore:
            form.add_error(None, str(errore) or str(services.MESSAGGIO_CONGELATO))
            return self._mostra(form, formset, status=409)
        except ValidationError as errore:
            form.add_error(None, errore)
            return self._mostra(form, formset)
        messages.success(request, _g("Dati del piano salvati."))
        return HttpResponseRedirect(reverse("piani:piano_detail", args=[self.piano.pk]))


# --- Records of a plan with optimistic locking --------------------------------------


class VersionataUpdateView(AmbitoScopedMixin, PaginaMixin, UpdateView):
    """Edit one record of a plan; the service refuses stale or frozen saves."""

    ambito_lookup = "piano__ambito"
    scrittura = True
    servizio = None  # the services.<entità>_aggiorna function
    nome_parametro = ""  # its keyword for the record
    messaggio_salvato = _("Dati salvati.")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("piano__ambito", "piano__normativa", "piano__modello")
        )

    def anomalie_del_record(self) -> list:
        return [
            r
            for r in _anomalie(self.object.piano)
            if _riguarda(r["anomalia"], self.object)
        ]

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["piano"] = self.object.piano
        contesto["congelato"] = not self.object.piano.modificabile
        contesto["puo_modificare"] = self.object.piano.modificabile
        contesto["anomalie"] = self.anomalie_del_record()
        contesto.setdefault("conflitto", False)
        return contesto

    def form_valid(self, form):
        funzione = type(self).servizio
        try:
            funzione(
                **{self.nome_parametro: self.object},
                dati=form.dati(),
                versione=form.cleaned_data["versione"],
                utente=self.request.user,
            )
        except ModificaConcorrente as errore:
            form.add_error(None, str(errore))
            return self.render_to_response(
                self.get_context_data(form=form, conflitto=True), status=409
            )
        except PianoCongelato as errore:
            form.add_error(None, str(errore) or str(services.MESSAGGIO_CONGELATO))
            return self.render_to_response(self.get_context_data(form=form), status=409)
        except ValidationError as errore:
            form.add_error(None, errore)
            return self.form_invalid(form)
        messages.success(self.request, str(self.messaggio_salvato))
        return HttpResponseRedirect(self.request.path)


def _riguarda(anomalia, oggetto) -> bool:
    """Does the anomalia point at this record?"""
    modello = (anomalia.modello or "").lower()
    return anomalia.pk == oggetto.pk and modello == type(oggetto).__name__.lower()


class ComunicazioneUpdateView(VersionataUpdateView):
    model = Comunicazione
    form_class = ComunicazioneForm
    template_name = "piani/comunicazione_form.html"
    servizio = services.comunicazione_aggiorna
    nome_parametro = "comunicazione"
    messaggio_salvato = _("Comunicazione salvata; anomalie ricalcolate.")

    def get_queryset(self):
        return super().get_queryset().select_related("ente")

    def get_titolo(self) -> str:
        return _g("Comunicazione di %(ente)s") % {"ente": self.object.ente}


class DecisioneUpdateView(VersionataUpdateView):
    model = DecisioneComune
    form_class = DecisioneComuneForm
    template_name = "piani/decisione_form.html"
    servizio = services.decisione_aggiorna
    nome_parametro = "decisione"
    messaggio_salvato = _("Decisione del comune salvata.")

    def get_queryset(self):
        return super().get_queryset().select_related("comune")

    def get_titolo(self) -> str:
        return _g("Decisioni del Comune di %(comune)s") % {"comune": self.object.comune}


class DecisioneCreateView(PianoFiglioMixin, View):
    """Decisions of a comune that has none yet in this plan."""

    scrittura = True
    template_name = "piani/decisione_form.html"

    def _mostra(self, form, status=200):
        contesto = {
            "form": form,
            "piano": self.piano,
            "titolo": _g("Nuove decisioni di un comune"),
            "congelato": not self.piano.modificabile,
            "puo_modificare": self.piano.modificabile,
        }
        return render(self.request, self.template_name, contesto, status=status)

    def get(self, request, *args, **kwargs):
        return self._mostra(DecisioneNuovaForm(piano=self.piano))

    def post(self, request, *args, **kwargs):
        form = DecisioneNuovaForm(request.POST, piano=self.piano)
        if not form.is_valid():
            return self._mostra(form)
        try:
            decisione = services.decisione_crea(
                piano=self.piano, dati=form.cleaned_data, utente=request.user
            )
        except PianoCongelato as errore:
            form.add_error(None, str(errore))
            return self._mostra(form, status=409)
        messages.success(request, _g("Decisione del comune salvata."))
        return HttpResponseRedirect(
            reverse("piani:decisione_update", args=[decisione.pk])
        )


class SezioneUpdateView(VersionataUpdateView):
    model = Sezione
    form_class = SezioneForm
    template_name = "piani/sezione_form.html"
    servizio = services.sezione_aggiorna
    nome_parametro = "sezione"
    messaggio_salvato = _("Sezione salvata.")

    def get_titolo(self) -> str:
        return _g("Sezione «%(titolo)s»") % {"titolo": self.object}


class ComunicazioneDetailView(AmbitoScopedMixin, PaginaMixin, DetailView):
    """Read-only page of one comunicazione (for reviewers too)."""

    model = Comunicazione
    ambito_lookup = "piano__ambito"
    template_name = "piani/comunicazione_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "ente", "piano__ambito", "piano__normativa", "piano__modello"
            )
        )

    def get_titolo(self) -> str:
        return _g("Comunicazione di %(ente)s") % {"ente": self.object.ente}

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        oggetto = self.object
        form = ComunicazioneForm(instance=oggetto)
        contesto["gruppi"] = [
            (
                titolo,
                [
                    (campo.label, getattr(oggetto, campo.name), campo.name)
                    for campo in campi
                ],
            )
            for titolo, campi in form.gruppi()
        ]
        contesto["piano"] = oggetto.piano
        contesto["puo_modificare"] = (
            puo_modificare(self.request.user, oggetto.piano.ambito)
            and oggetto.piano.modificabile
        )
        return contesto


class SezioneDetailView(AmbitoScopedMixin, PaginaMixin, DetailView):
    """A narrative section as it will print (Markdown, sanitised)."""

    model = Sezione
    ambito_lookup = "piano__ambito"
    template_name = "piani/sezione_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("piano__ambito")

    def get_titolo(self) -> str:
        return str(self.object)

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["piano"] = self.object.piano
        contesto["puo_modificare"] = (
            puo_modificare(self.request.user, self.object.piano.ambito)
            and self.object.piano.modificabile
        )
        return contesto


# --- Lists --------------------------------------------------------------------------


class ListaDelPianoView(PianoFiglioMixin, EsportaMixin, SingleTableMixin, FilterView):
    paginate_by = PER_PAGINA
    template_name = "generic/object_list.html"

    def get_table_kwargs(self):
        return {"puo_modificare": self.puo_modificare and self.piano.modificabile}

    def get_nome_esportazione(self) -> str:
        return f"{self.nome_esportazione}-{self.piano.ambito.slug}-{self.piano.anno}"


class ComunicazioneListView(ListaDelPianoView):
    model = Comunicazione
    table_class = ComunicazioneTable
    filterset_class = ComunicazioneFilterSet
    nome_esportazione = "comunicazioni"

    def get_titolo(self) -> str:
        return _g("Enti e comunicazioni – piano %(anno)s") % {"anno": self.piano.anno}

    def get_queryset(self):
        return Comunicazione.objects.filter(piano=self.piano).select_related("ente")


class DatiEnteListView(ComunicazioneListView):
    """The same rows, with the figures each ente communicated."""

    table_class = DatiEnteTable
    nome_esportazione = "dati-enti"

    def get_table_kwargs(self):
        return {}

    def get_titolo(self) -> str:
        return _g("Dati per ente – piano %(anno)s") % {"anno": self.piano.anno}


class DecisioneListView(ListaDelPianoView):
    model = DecisioneComune
    table_class = DecisioneTable
    filterset_class = DecisioneFilterSet
    nome_esportazione = "decisioni-comuni"
    template_name = "piani/decisione_list.html"

    def get_titolo(self) -> str:
        return _g("Decisioni dei comuni – piano %(anno)s") % {"anno": self.piano.anno}

    def get_queryset(self):
        return DecisioneComune.objects.filter(piano=self.piano).select_related("comune")


class SezioneListView(PianoFiglioMixin, SingleTableView):
    model = Sezione
    table_class = SezioneTable
    template_name = "generic/object_list.html"
    paginate_by = PER_PAGINA

    def get_table_kwargs(self):
        return {"puo_modificare": self.puo_modificare and self.piano.modificabile}

    def get_titolo(self) -> str:
        return _g("Sezioni narrative – piano %(anno)s") % {"anno": self.piano.anno}

    def get_queryset(self):
        return Sezione.objects.filter(piano=self.piano)


# --- Anomalie -----------------------------------------------------------------------


@method_decorator(require_POST, name="dispatch")
class AnomaliaRiscontraView(PianoFiglioMixin, View):
    """Acknowledge an anomalia with a written reason."""

    scrittura = True

    def post(self, request, *args, **kwargs):
        piano = self.piano
        form = RiscontroForm(request.POST)
        dashboard = reverse("piani:piano_detail", args=[piano.pk])
        if not form.is_valid():
            messages.error(
                request,
                " ".join(e for errori in form.errors.values() for e in errori),
            )
            return HttpResponseRedirect(dashboard + "#anomalie")
        try:
            services.anomalia_riscontra(
                piano=piano,
                codice=form.cleaned_data["codice"],
                oggetto=form.cleaned_data["oggetto"],
                motivazione=form.cleaned_data["motivazione"],
                utente=request.user,
            )
        except PianoCongelato as errore:
            messages.error(request, str(errore) or str(services.MESSAGGIO_CONGELATO))
        except ValidationError as errore:
            messages.error(request, " ".join(errore.messages))
        else:
            messages.success(request, _g("Presa d'atto registrata."))
        return HttpResponseRedirect(dashboard + "#anomalie")


@method_decorator(require_POST, name="dispatch")
class TotaleDichiaratoView(PianoFiglioMixin, View):
    """Enter, correct or remove an ambito-level total (no per-ente rows)."""

    scrittura = True

    def post(self, request, *args, **kwargs):
        piano = self.piano
        form = TotaleDichiaratoForm(request.POST)
        ritorno = reverse("piani:piano_detail", args=[piano.pk]) + "#totali"
        if not form.is_valid():
            messages.error(
                request,
                " ".join(
                    f"{form.fields[campo].label}: {e}" if campo in form.fields else e
                    for campo, errori in form.errors.items()
                    for e in errori
                ),
            )
            return HttpResponseRedirect(ritorno)
        try:
            services.totale_dichiarato_imposta(
                piano=piano,
                contenuto=form.cleaned_data["contenuto"],
                valore=form.cleaned_data["valore"],
                nota=form.cleaned_data["nota"],
                utente=request.user,
            )
        except PianoCongelato as errore:
            messages.error(request, str(errore) or str(services.MESSAGGIO_CONGELATO))
        except ValidationError as errore:
            messages.error(request, " ".join(errore.messages))
        else:
            messages.success(request, _g("Totale dell'ambito salvato."))
        return HttpResponseRedirect(ritorno)


# --- Document -----------------------------------------------------------------------


class DocumentoAnteprimaView(PianoFiglioMixin, View):
    """The document as the mayors will see it (standalone HTML)."""

    def get(self, request, *args, **kwargs):
        return HttpResponse(documento_html(self.piano))


class DocumentoPdfView(PianoFiglioMixin, View):
    """The plan's PDF: an approved or published plan is served as approved, from
    storage, byte for byte; an open plan is rendered now (with its BOZZA mark)."""

    def get(self, request, *args, **kwargs):
        piano = self.piano
        approvata = versione_corrente(piano)
        contenuto = versione_pdf(approvata) if approvata else documento_pdf(piano)
        risposta = HttpResponse(contenuto, content_type="application/pdf")
        nome = f"piano-annuale-{piano.anno}-{piano.ambito.slug}.pdf"
        risposta["Content-Disposition"] = f'attachment; filename="{nome}"'
        return risposta


# --- History ------------------------------------------------------------------------


class StoriaView(AmbitoScopedMixin, PaginaMixin, DetailView):
    """Who changed what and when (django-simple-history), newest first."""

    template_name = "generic/object_history.html"
    torna_a = ""  # URL name of the record's page

    def get_titolo(self) -> str:
        return _g("Storia delle modifiche: %(oggetto)s") % {"oggetto": self.object}

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["voci"] = voci_storia(self.object)
        contesto["url_oggetto"] = (
            reverse(self.torna_a, args=[self.object.pk]) if self.torna_a else ""
        )
        return contesto


def voci_storia(oggetto) -> list[dict]:
    """The history rows with their differences from the previous one; two queries."""
    record = list(
        oggetto.history.select_related("history_user").order_by(
            "history_date", "history_id"
        )
    )
    nomi = {f.attname: f for f in type(oggetto)._meta.concrete_fields}
    voci = []
    precedente = None
    for riga in record:
        modifiche = []
        if precedente is not None:
            for nome, campo in nomi.items():
                if nome == "versione":
                    continue
                prima, dopo = getattr(precedente, nome, None), getattr(riga, nome, None)
                if prima != dopo:
                    modifiche.append(
                        {"campo": campo.verbose_name, "prima": prima, "dopo": dopo}
                    )
        voci.append(
            {
                "data": riga.history_date,
                "utente": riga.history_user,
                "tipo": tipo_storia(riga.history_type),
                "modifiche": modifiche,
            }
        )
        precedente = riga
    voci.reverse()
    return voci


class PianoStoriaView(StoriaView):
    model = PianoAnnuale
    torna_a = "piani:piano_detail"


class ComunicazioneStoriaView(StoriaView):
    model = Comunicazione
    ambito_lookup = "piano__ambito"
    torna_a = "piani:comunicazione_detail"


class DecisioneStoriaView(StoriaView):
    model = DecisioneComune
    ambito_lookup = "piano__ambito"


class SezioneStoriaView(StoriaView):
    model = Sezione
    ambito_lookup = "piano__ambito"
    torna_a = "piani:sezione_detail"
