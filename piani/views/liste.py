"""The plan's lists (filterable, exportable), the acknowledgement of an anomalia
and the declared ambito totals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _g
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from .. import services
from ..anomalie_gruppi import anomalie_riscontra
from ..filtersets import ComunicazioneFilterSet, DecisioneFilterSet
from ..forms import (
    RiscontroForm,
    TotaleDichiaratoForm,
)
from ..models import (
    Comunicazione,
    DecisioneComune,
    PianoCongelato,
    Sezione,
)
from ..tables import (
    ComunicazioneTable,
    DatiEnteTable,
    DecisioneTable,
    EsportaMixin,
    SezioneTable,
)
from .comune import (
    PianoFiglioMixin,
)
from .kit import PER_PAGINA

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


class AnomalieRiscontraView(PianoFiglioMixin, View):
    """Acknowledge the selected anomalie of a group with one reason."""

    scrittura = True
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        piano = self.piano
        chiavi = [
            tuple(valore.split("::", 1))
            for valore in request.POST.getlist("anomalia")
            if "::" in valore
        ]
        dashboard = reverse("piani:piano_detail", args=[piano.pk]) + "#anomalie"
        try:
            n = anomalie_riscontra(
                piano=piano,
                chiavi=chiavi,
                motivazione=request.POST.get("motivazione", ""),
                utente=request.user,
            )
        except PianoCongelato as errore:
            messages.error(request, str(errore) or str(services.MESSAGGIO_CONGELATO))
        except ValidationError as errore:
            messages.error(request, " ".join(errore.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "Presa d'atto registrata per %(n)d anomalia.",
                    "Presa d'atto registrata per %(n)d anomalie.",
                    n,
                )
                % {"n": n},
            )
        return HttpResponseRedirect(dashboard)


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
