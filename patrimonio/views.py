"""Pagine dell'anagrafe e delle importazioni. L'anagrafe degli alloggi si importa
solo dagli amministratori; le tabelle per ente e la popolazione anche dall'Ufficio
di Piano, per i piani e i comuni del proprio ambito. La logica sta in services/,
qui solo il flusso delle pagine."""

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from ambiti.corrispondenze import Abbinatore
from ambiti.models import AmbitoComune, Comune
from ambiti.permessi import ambiti_modificabili, ambiti_visibili
from ambiti.services import comuni_gia_assegnati
from patrimonio.filtersets import AlloggioFilterSet
from patrimonio.forms import (
    AmbitoNuovoForm,
    ImportazioneForm,
    MappaturaForm,
    RisoluzioneForm,
)
from patrimonio.models import Alloggio, Importazione
from patrimonio.services import (
    CAMPI_ALLOGGI,
    importazione_crea,
    importazione_esegui,
    importazioni_per,
    mappatura_ricorda,
)
from patrimonio.tables import AlloggioTable, ImportazioneTable
from patrimonio.tasks import importazione_in_background
from patrimonio.territorio import (
    AltroEnte,
    aler_del_territorio,
    ambito_con_enti_crea,
    comuni_abbinatore,
    enti_dell_ambito,
)
from pianocasa.ui import avanzamento_json

# Oltre questa dimensione anteprima e scrittura girano nel worker (db_worker).
SOGLIA_BACKGROUND = getattr(settings, "PIANOCASA_IMPORT_SOGLIA_BACKGROUND", 1 * 2**20)


class SoloAmministratori(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self) -> bool:
        return self.request.user.is_superuser


class UfficioOAmministratori(LoginRequiredMixin, UserPassesTestMixin):
    """Administrators, or staff (Ufficio di Piano) of at least one ambito: a
    read-only user gets 403, anonymous users go to the login page."""

    def test_func(self) -> bool:
        user = self.request.user
        return user.is_superuser or ambiti_modificabili(user).exists()


def _importazione_per(user, pk: int) -> Importazione:
    importazione = importazioni_per(user).filter(pk=pk).first()
    if importazione is None:
        raise Http404
    return importazione


def _avvia(importazione: Importazione, *, scrivi: bool) -> None:
    if importazione.dimensione > SOGLIA_BACKGROUND:
        Importazione.objects.filter(pk=importazione.pk).update(
            stato=Importazione.Stato.IN_ATTESA, scrittura=scrivi, progresso=0, fase=""
        )
        importazione_in_background.enqueue(importazione.pk, scrivi)
    else:
        importazione_esegui(importazione=importazione, scrivi=scrivi)


class AlloggioListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    model = Alloggio
    table_class = AlloggioTable
    filterset_class = AlloggioFilterSet
    template_name = "generic/object_list.html"
    extra_context = {"titolo": _("Anagrafe del patrimonio")}

    def get_queryset(self):
        alloggi = Alloggio.objects.select_related("ente", "comune")
        if self.request.user.is_superuser:
            return alloggi
        # IN (a list of ids), neither a join (no DISTINCT to remove duplicates)
        # nor a subquery, which PostgreSQL re-ran for every alloggio walked in
        # codice order: a page of the region's registry 15,9 → 2,2 ms.
        comuni = list(
            AmbitoComune.objects.filter(
                ambito__in=ambiti_visibili(self.request.user)
            ).values_list("comune_id", flat=True)
        )
        return alloggi.filter(comune_id__in=comuni)


class ImportazioneListView(UfficioOAmministratori, SingleTableView):
    model = Importazione
    table_class = ImportazioneTable
    template_name = "patrimonio/importazione_list.html"
    extra_context = {"titolo": _("Importazioni")}

    def get_queryset(self):
        return importazioni_per(self.request.user)


class ImportazioneCreateView(UfficioOAmministratori, FormView):
    form_class = ImportazioneForm
    template_name = "patrimonio/importazione_form.html"
    extra_context = {"titolo": _("Nuova importazione")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "utente": self.request.user}

    def get_initial(self):
        predefinito = (
            Importazione.Tipo.ALLOGGI
            if self.request.user.is_superuser
            else Importazione.Tipo.ENTI
        )
        return {
            "tipo": self.request.GET.get("tipo", predefinito),
            "piano": self.request.GET.get("piano"),
        }

    def form_valid(self, form):
        dati = form.cleaned_data
        importazione = importazione_crea(
            tipo=dati["tipo"],
            file=dati["file"],
            utente=self.request.user,
            piano=dati.get("piano") if dati["tipo"] == Importazione.Tipo.ENTI else None,
            data_riferimento=dati.get("data_riferimento"),
        )
        _avvia(importazione, scrivi=False)
        return redirect("patrimonio:importazione_detail", pk=importazione.pk)


class ImportazioneDetailView(UfficioOAmministratori, DetailView):
    model = Importazione
    template_name = "patrimonio/importazione_detail.html"
    context_object_name = "importazione"

    def get_queryset(self):
        return importazioni_per(self.request.user)

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        importazione = self.object
        contesto["titolo"] = importazione
        if importazione.colonne_sconosciute and importazione.stato in {
            Importazione.Stato.ANTEPRIMA,
            Importazione.Stato.RIFIUTATA,
        }:
            contesto["form_mappatura"] = MappaturaForm(importazione=importazione)
        return contesto


class ImportazioneMappaView(UfficioOAmministratori, View):
    """Salva (e ricorda) la mappatura delle colonne sconosciute e rifà l'anteprima."""

    def post(self, request, pk):
        importazione = _importazione_per(request.user, pk)
        form = MappaturaForm(request.POST, importazione=importazione)
        if form.is_valid() and importazione.stato != Importazione.Stato.COMPLETATA:
            mappatura_ricorda(tipo=importazione.tipo, mappatura=form.mappatura())
            _avvia(importazione, scrivi=False)
        return redirect("patrimonio:importazione_detail", pk=pk)


class ImportazioneConfermaView(UfficioOAmministratori, View):
    def post(self, request, pk):
        importazione = _importazione_per(request.user, pk)
        if importazione.confermabile:
            _avvia(importazione, scrivi=True)
        return redirect("patrimonio:importazione_detail", pk=pk)


class ImportazioneStatoView(UfficioOAmministratori, View):
    """Lo stato in JSON, per la barra di avanzamento (sopravvive al ricaricamento:
    sta nel database)."""

    def get(self, request, pk):
        importazione = _importazione_per(request.user, pk)
        return avanzamento_json(
            importazione, url=reverse("patrimonio:importazione_detail", args=[pk])
        )


class ModelloAlloggiView(SoloAmministratori, View):
    """Il modello XLSX dell'anagrafe: le intestazioni riconosciute e una riga
    d'esempio (codici come testo, per non perdere gli zeri iniziali ISTAT)."""

    def get(self, request):
        from openpyxl import Workbook
        from openpyxl.styles import Font

        libro = Workbook()
        foglio = libro.active
        foglio.title = "Anagrafe"
        foglio.append([str(c.etichetta) for c in CAMPI_ALLOGGI])
        foglio.append(
            ["BG-000001", "ALER Bergamo - Lecco - Sondrio", "016077", "Clusone",
             "Via Roma", "12", "1", 65.5, 3, "SAP", "occupato", 1975, None]
        )  # fmt: skip
        for cella in foglio[1]:
            cella.font = Font(bold=True)
        for colonna in ("A", "C", "F", "G"):
            for cella in foglio[colonna]:
                cella.number_format = "@"
        uscita = io.BytesIO()
        libro.save(uscita)
        risposta = HttpResponse(
            uscita.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        risposta["Content-Disposition"] = 'attachment; filename="modello-anagrafe.xlsx"'
        return risposta


# --- nuovo ambito (amministratori) ----------------------------------------------------


def _altri_enti_leggi(
    testo: str, comuni: list[Comune], abbinatore: Abbinatore
) -> tuple[list[AltroEnte], list[str]]:
    """«Denominazione; comune» per riga; il comune deve essere dell'ambito."""
    enti: list[AltroEnte] = []
    errori: list[str] = []
    dell_ambito = {c.pk for c in comuni}
    for numero, riga in enumerate((testo or "").splitlines(), start=1):
        if not riga.strip():
            continue
        denominazione, _sep, nome_comune = riga.rpartition(";")
        if not denominazione.strip() or not nome_comune.strip():
            errori.append(
                _g("Altri enti, riga %(n)s: scrivere «Denominazione; comune di sede».")
                % {"n": numero}
            )
            continue
        trovato = abbinatore.trova(nome_comune.strip())
        if not trovato.esatta:
            errori.append(
                _g("Altri enti, riga %(n)s: %(messaggio)s")
                % {"n": numero, "messaggio": trovato.messaggio}
            )
        elif trovato.oggetto.pk not in dell_ambito:
            errori.append(
                _g(
                    "Altri enti, riga %(n)s: il comune %(comune)s non fa parte "
                    "dell'ambito."
                )
                % {"n": numero, "comune": trovato.oggetto.nome}
            )
        else:
            enti.append(AltroEnte(denominazione.strip(), trovato.oggetto))
    return enti, errori


class AmbitoNuovoView(SoloAmministratori, View):
    """Nuovo ambito in due passi: dati e comuni incollati → tabella di
    riconoscimento (ogni nome non esatto si conferma) → creazione, tutto o niente."""

    template_name = "patrimonio/ambito_nuovo.html"

    def get(self, request):
        return self._mostra(AmbitoNuovoForm(), None, [])

    def post(self, request):
        form = AmbitoNuovoForm(request.POST)
        if not form.is_valid():
            return self._mostra(form, None, [])
        dati = form.cleaned_data
        abbinatore = comuni_abbinatore()
        righe = [
            {"campo": f"scelta_{i}", "numero": i + 1, "testo": testo, "sub": sub}
            for i, (testo, sub) in enumerate(dati["comuni"])
        ]
        righe.append(
            {"campo": "scelta_capofila", "numero": "", "testo": dati["capofila"]}
        )
        for riga in righe:
            riga["corrispondenza"] = abbinatore.trova(riga["testo"])
        probabili = [
            r["corrispondenza"].oggetto or (r["corrispondenza"].candidati or [None])[0]
            for r in righe
        ]
        probabili = [getattr(c, "oggetto", c) for c in probabili if c is not None]
        gia = comuni_gia_assegnati(probabili)
        for riga in righe:
            oggetto = riga["corrispondenza"].oggetto
            riga["altro_ambito"] = (
                gia.get(oggetto.pk)
                if oggetto and riga["corrispondenza"].esatta
                else None
            )
        if request.POST.get("azione") != "salva":
            risoluzione = RisoluzioneForm(
                righe=righe, initial={"aler": aler_del_territorio(probabili)}
            )
            return self._mostra(form, risoluzione, righe)
        risoluzione = RisoluzioneForm(request.POST, righe=righe)
        if not risoluzione.is_valid():
            return self._mostra(form, risoluzione, righe)
        errori = [
            r["corrispondenza"].messaggio
            for r in righe
            if not r["corrispondenza"].esatta and not r["corrispondenza"].candidati
        ]
        capofila = risoluzione.comune_scelto(righe[-1])
        scelti = [(risoluzione.comune_scelto(r), r["sub"]) for r in righe[:-1]]
        comuni = [c for c, _sub in scelti if c is not None]
        sub_ambiti = {c.pk: sub for c, sub in scelti if c is not None and sub}
        altri, errori_enti = _altri_enti_leggi(dati["altri_enti"], comuni, abbinatore)
        errori += errori_enti
        if not errori and capofila is not None:
            try:
                ambito = ambito_con_enti_crea(
                    nome=dati["nome"],
                    slug=dati["slug"],
                    numero=dati["numero"],
                    ats=dati["ats"],
                    comune_capofila=capofila,
                    comuni=comuni,
                    aler=list(risoluzione.cleaned_data["aler"]),
                    altri_enti=altri,
                    sub_ambiti=sub_ambiti,
                )
            except ValidationError as exc:
                errori += exc.messages
            else:
                messages.success(
                    request,
                    _g("Ambito «%(ambito)s» creato: %(comuni)s comuni, %(enti)s enti.")
                    % {
                        "ambito": ambito,
                        "comuni": len(comuni),
                        "enti": enti_dell_ambito(ambito).count(),
                    },
                )
                return redirect("ambiti:incarico_list", slug=ambito.slug)
        for errore in errori:
            risoluzione.add_error(None, errore)
        return self._mostra(form, risoluzione, righe)

    def _mostra(self, form, risoluzione, righe):
        if risoluzione is not None:
            for riga in righe:
                if riga["campo"] in risoluzione.fields:
                    riga["campo_form"] = risoluzione[riga["campo"]]
        contesto = {
            "titolo": _g("Nuovo ambito"),
            "form": form,
            "risoluzione": risoluzione,
            "righe": righe[:-1],
            "riga_capofila": righe[-1] if righe else None,
            "comuni_istat": Comune.objects.only("nome", "sigla_provincia"),
        }
        return render(self.request, self.template_name, contesto)
