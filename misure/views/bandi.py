"""Bandi: list, page with sources and graduatoria, computing the graduatoria and the
funding run, publication, the graduatoria as PDF and XLSX."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from ambiti.permessi import (
    AmbitoScopedMixin,
    ambiti_modificabili,
    ambiti_visibili,
    puo_modificare,
)
from pianocasa.formati import euro
from pianocasa.pubblico import file_conservato
from pianocasa.ui import PER_PAGINA, PaginaMixin

from .. import services
from ..filtersets import BandoFilterSet
from ..fonti import fonti_confronta
from ..models import Bando, Elaborazione, FonteFinanziamento
from ..tables import BandoTable
from .kit import (
    _bando_per_utente,
    _login_richiesto,
    _pagina_graduatoria,
    elaborazione_avvia_e_mostra,
    pdf_graduatoria,
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
        # The plan's checks apply the same rule (misure.fonti).
        confronto = fonti_confronta(bando, contesto["fonti"])
        contesto["totale_fonti"] = confronto.somma if confronto else Decimal("0")
        contesto["confronto_fonti"] = confronto
        contesto["fonti_non_quadrano"] = confronto is not None and not confronto.quadra
        # A graduatoria published before is corrected by a motivated publication.
        contesto["gia_pubblicata"] = bando.pubblicazioni.exists()
        contesto["puo_modificare"] = puo_modificare(self.request.user, bando.ambito)
        # The staff's recent background work (import, graduatoria) and its state.
        contesto["elaborazioni"] = (
            list(
                bando.elaborazioni.select_related("utente").defer(
                    "contenuto", "documento"
                )[:5]
            )
            if contesto["puo_modificare"] and bando.gestito
            else []
        )
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
    return elaborazione_avvia_e_mostra(
        request, bando=bando, tipo=Elaborazione.Tipo.GRADUATORIA
    )


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
    if request.POST.get("pubblica") != "1":
        services.graduatoria_pubblica_imposta(
            bando=bando, utente=request.user, pubblica=False
        )
        messages.success(
            request, _g("Graduatoria ritirata dalla pagina pubblica dell'ambito.")
        )
        return HttpResponseRedirect(bando.get_absolute_url())
    try:
        motivo = services.pubblicazione_verifica(
            bando=bando, motivo=request.POST.get("motivo", "")
        )
    except services.GraduatoriaNonPubblicabile as errore:
        messages.error(request, str(errore))
        return HttpResponseRedirect(bando.get_absolute_url())
    # Rows, PDF and XLSX are composed in the background (minutes for 20.000).
    return elaborazione_avvia_e_mostra(
        request, bando=bando, tipo=Elaborazione.Tipo.PUBBLICAZIONE, motivo=motivo
    )


TIPO_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _risposta_pdf(request, bando: Bando) -> HttpResponse:
    righe = services.graduatoria_pubblica(bando=bando)
    impronta = services.pubblicazione_righe(righe)[1]
    pubblicazione = services.pubblicazione_corrente(bando)
    pubblicata = pubblicazione is not None and pubblicazione.pdf
    if pubblicata and impronta == pubblicazione.sha256:
        # Unchanged since it was published: the stored PDF, not minutes of
        # rendering (20.000 rows make 400 pages).
        nome = f"graduatoria-{bando.pk}.pdf"
        risposta = file_conservato(pubblicazione, "pdf", "application/pdf", nome)
        risposta["Content-Disposition"] = f'attachment; filename="{nome}"'
        return risposta
    if len(righe) <= settings.PIANOCASA_PDF_GRADUATORIA_RIGHE:
        pdf = services.graduatoria_pdf(bando=bando, righe=righe)
        return pdf_graduatoria(pdf, bando.pk)
    if composto := services.pdf_composto(bando=bando, impronta=impronta):
        return pdf_graduatoria(bytes(composto.documento), bando.pk)
    # Too long for a request (about 5 ms a row): composed by the worker,
    # downloaded from the page of that work.
    return elaborazione_avvia_e_mostra(request, bando=bando, tipo=Elaborazione.Tipo.PDF)


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
    return _risposta_pdf(request, bando)


@_login_richiesto
@require_GET
def graduatoria_xlsx(request, pk: int):
    bando = _bando_per_utente(request.user, pk)
    if not bando.gestito:
        raise Http404
    return _risposta_xlsx(bando)
