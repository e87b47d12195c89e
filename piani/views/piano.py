"""A plan's own pages: list, dashboard, edit form, document preview and PDF,
history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView
from django_tables2 import SingleTableView

from ambiti.permessi import (
    AmbitoScopedMixin,
    ambiti_modificabili,
    puo_modificare,
)
from patrimonio.services import importazioni_per

from .. import services
from ..anomalie_gruppi import anomalie_raggruppa
from ..ciclo import versione_corrente, versione_pdf
from ..documento import documento_html
from ..documento_cache import documento_pdf_pronto
from ..forms import (
    FinestraFormSet,
    PianoForm,
    RiscontroForm,
    TotaleDichiaratoForm,
)
from ..mancanti import enti_senza_riga
from ..models import (
    Comunicazione,
    DecisioneComune,
    FinestraRaccolta,
    PianoAnnuale,
    PianoCongelato,
    RiscontroAnomalia,
    Sezione,
)
from ..osservazioni import osservazioni_aperte_conta
from ..services import ModificaConcorrente
from ..tables import (
    PianoTable,
)
from .comune import (
    PianoFiglioMixin,
    _anomalie,
)
from .kit import PER_PAGINA, PaginaMixin, StoriaView

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
            # The PDF's readiness joins here: no query of its own.
            .select_related("ambito", "normativa", "documento_in_cache")
            # The reviewers' open observations, counted in the same query.
            .annotate(n_osservazioni_aperte=osservazioni_aperte_conta())
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
        senza_riga = list(enti_senza_riga(piano))
        anomalie = _anomalie(piano)
        aperte = [a for a in anomalie if not a["riscontro"]]
        verifiche = anomalie_raggruppa(aperte)
        verifica = self.request.GET.get("verifica", "")
        modificabile = puo_modificare(self.request.user, piano.ambito)
        contesto.update(
            {
                "piano": piano,
                "comunicazioni": comunicazioni,
                "enti_senza_riga": senza_riga,
                "riepilogo": services.piano_riepilogo(piano=piano),
                "popolazione_mancante": services.popolazione_mancante(piano=piano),
                "anomalie_aperte": aperte,
                # By the dozen: grouped by check, one group kept with ?verifica=.
                "gruppi_aperti": [
                    g for g in verifiche if not verifica or g.codice == verifica
                ],
                "verifiche": verifiche,
                "verifica": verifica,
                # What the last import of the plan's tables changed.
                "ultima_importazione": importazioni_per(self.request.user)
                .filter(piano=piano)
                .order_by("-creata_il")
                .first(),
                "anomalie_riscontrate": [a for a in anomalie if a["riscontro"]],
                "riscontri": list(piano.riscontri.all()),
                "puo_modificare": modificabile and piano.modificabile,
                "congelato": not piano.modificabile,
                "form_riscontro": RiscontroForm(),
                "totali_dichiarati": list(piano.totali_dichiarati.all()),
                "form_totale": TotaleDichiaratoForm(),
                "documento_pronto": getattr(piano, "documento_in_cache", None),
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


# --- Document -----------------------------------------------------------------------


class DocumentoAnteprimaView(PianoFiglioMixin, View):
    """The document as the mayors will see it (standalone HTML)."""

    def get(self, request, *args, **kwargs):
        return HttpResponse(documento_html(self.piano))


class DocumentoPdfView(PianoFiglioMixin, View):
    """The plan's PDF: an approved or published plan is served as approved, from
    storage, byte for byte; an open plan from the PDF kept ready while nothing that
    makes it changed, else rendered now (with its BOZZA mark)."""

    def get(self, request, *args, **kwargs):
        piano = self.piano
        approvata = versione_corrente(piano)
        contenuto = (
            versione_pdf(approvata) if approvata else documento_pdf_pronto(piano=piano)
        )
        risposta = HttpResponse(contenuto, content_type="application/pdf")
        nome = f"piano-annuale-{piano.anno}-{piano.ambito.slug}.pdf"
        risposta["Content-Disposition"] = f'attachment; filename="{nome}"'
        return risposta


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
