"""The records of a plan (comunicazioni, decisioni, sezioni): detail pages and
forms with optimistic locking."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, UpdateView

from ambiti.permessi import (
    AmbitoScopedMixin,
    puo_modificare,
)

from .. import services
from ..forms import (
    ComunicazioneForm,
    DecisioneComuneForm,
    DecisioneNuovaForm,
    SezioneForm,
)
from ..mancanti import prossima_mancante
from ..models import (
    Comunicazione,
    DecisioneComune,
    PianoCongelato,
    Sezione,
)
from ..services import ModificaConcorrente
from .comune import (
    PianoFiglioMixin,
    _anomalie,
    _riguarda,
)
from .kit import PaginaMixin

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
        # The entry loop: save and go back, save and go on, or leave unsaved.
        contesto["url_annulla"] = self.url_elenco()
        contesto["pulsanti_salva"] = self.pulsanti_salva()
        return contesto

    def url_elenco(self) -> str:
        return reverse("piani:piano_detail", args=[self.object.piano_id])

    def pulsanti_salva(self) -> list[tuple[str, str]]:
        return [("elenco", _g("Salva e torna all'elenco"))]

    def url_dopo(self) -> str:
        """Where a successful save leads, from the button pressed."""
        if self.request.POST.get("azione") == "elenco":
            return self.url_elenco()
        return self.request.path

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
        return HttpResponseRedirect(self.url_dopo())


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

    def url_elenco(self) -> str:
        return reverse("piani:comunicazione_list", args=[self.object.piano_id])

    def pulsanti_salva(self) -> list[tuple[str, str]]:
        return [
            *super().pulsanti_salva(),
            ("prossimo", _g("Salva e passa al prossimo ente mancante")),
        ]

    def url_dopo(self) -> str:
        if self.request.POST.get("azione") != "prossimo":
            return super().url_dopo()
        prossima = prossima_mancante(self.object)
        if prossima is None:
            messages.info(self.request, _g("Non ci sono altri enti mancanti."))
            return self.url_elenco()
        return reverse("piani:comunicazione_update", args=[prossima.pk])


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
