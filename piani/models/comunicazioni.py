"""What the enti communicate: collection windows, comunicazioni and the declared
ambito totals."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from patrimonio.models import EnteProprietario
from pianocasa.formati import data as data_it

from .base import (
    PERCENTUALE,
    DatoDelPiano,
    _percentuale_valida,
)
from .piano import PianoAnnuale


class FinestraRaccolta(DatoDelPiano):
    """Finestra temporale in cui la piattaforma regionale accetta le comunicazioni."""

    piano = models.ForeignKey(
        PianoAnnuale, on_delete=models.CASCADE, related_name="finestre"
    )
    inizio = models.DateField(_("apertura"))
    fine = models.DateField(_("chiusura"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finestra di raccolta")
        verbose_name_plural = _("finestre di raccolta")
        ordering = ["piano", "inizio"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fine__gte=F("inizio")),
                name="finestra_fine_dopo_inizio",
                violation_error_message=_(
                    "La data di chiusura non può precedere quella di apertura."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{data_it(self.inizio)} – {data_it(self.fine)}"

    def url_modifica(self) -> str:
        """The form that changes this record (the checks link to it)."""
        return reverse("piani:piano_update", args=[self.piano_id])


class Comunicazione(DatoDelPiano):
    """Comunicazione di un ente proprietario per il piano annuale e i dati che
    contiene (R.R. 4/2017 art. 4 c. 2): consistenza, stato del patrimonio SAP e
    unità assegnabili nell'anno. Senza esito la comunicazione non è pervenuta."""

    class Esito(models.TextChoices):
        DATI = "dati", _("Trasmette i dati degli alloggi in disponibilità")
        NON_DISPONIBILITA = "non_disponibilita", _("Non disponibilità di alloggi")
        NESSUN_PATRIMONIO = (
            "nessun_patrimonio",
            _("Non possiede patrimonio pubblico residenziale"),
        )

    class Canale(models.TextChoices):
        PIATTAFORMA = "piattaforma", _("Piattaforma regionale")
        PROTOCOLLO = "protocollo", _("Lettera protocollata")

    piano = models.ForeignKey(
        PianoAnnuale,
        on_delete=models.CASCADE,
        related_name="comunicazioni",
        verbose_name=_("piano"),
    )
    ente = models.ForeignKey(
        EnteProprietario,
        verbose_name=_("ente proprietario"),
        on_delete=models.PROTECT,
        related_name="comunicazioni",
    )
    esito = models.CharField(
        _("esito"), max_length=20, choices=Esito.choices, blank=True
    )
    canale = models.CharField(
        _("canale"), max_length=20, choices=Canale.choices, blank=True
    )
    data = models.DateField(_("data"), null=True, blank=True)
    protocollo = models.CharField(_("numero di protocollo"), max_length=40, blank=True)
    denominazione_ricevuta = models.CharField(
        _("denominazione come scritta dall'ente"),
        max_length=200,
        blank=True,
        help_text=_(
            "Come compare nella comunicazione; vuota se uguale a quella ufficiale."
        ),
    )
    # a) consistenza
    alloggi_totali = models.PositiveIntegerField(
        _("alloggi complessivi"), null=True, blank=True
    )
    alloggi_sas = models.PositiveIntegerField(_("alloggi SAS"), null=True, blank=True)
    alloggi_sap = models.PositiveIntegerField(_("alloggi SAP"), null=True, blank=True)
    alloggi_altro = models.PositiveIntegerField(
        _("alloggi altro uso residenziale"), null=True, blank=True
    )
    # stato del patrimonio SAP
    sap_liberi = models.PositiveIntegerField(_("SAP liberi"), null=True, blank=True)
    sap_carenze = models.PositiveIntegerField(
        _("SAP sfitti per carenze manutentive"), null=True, blank=True
    )
    sap_ristrutturazione = models.PositiveIntegerField(
        _("SAP sfitti per ristrutturazione"), null=True, blank=True
    )
    sap_occupati = models.PositiveIntegerField(_("SAP occupati"), null=True, blank=True)
    # b)–g) unità assegnabili nell'anno
    assegnabili_carenza = models.PositiveIntegerField(
        _("in carenza manutentiva assegnabili nello stato di fatto"),
        null=True,
        blank=True,
    )
    assegnabili_ristrutturazione = models.PositiveIntegerField(
        _("da ristrutturazione, recupero, riqualificazione"), null=True, blank=True
    )
    assegnabili_nuova_edificazione = models.PositiveIntegerField(
        _("da nuova edificazione"), null=True, blank=True
    )
    assegnabili_turnover = models.PositiveIntegerField(
        _("da turn over"), null=True, blank=True
    )
    assegnabili_privati = models.PositiveIntegerField(
        _("conferite da privati (art. 23 c. 2)"), null=True, blank=True
    )
    assegnabili_totale = models.PositiveIntegerField(
        _("totale assegnabili come comunicato"), null=True, blank=True
    )
    # i bis) riserva art. 14
    quota_art14 = models.DecimalField(
        _("quota riservata art. 14 (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENTUALE,
    )
    categorie_art14 = models.TextField(_("categorie art. 14"), blank=True)
    # j) e k)
    unita_sat = models.PositiveIntegerField(
        _("unità destinate a SAT"), null=True, blank=True
    )
    assegnate_anno_precedente = models.PositiveIntegerField(
        _("unità SAP assegnate l'anno precedente"), null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    versione = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("versione del record")
    )
    history = HistoricalRecords()

    # The per-ente figures, named once for the form, the tables, the document, the
    # seeds and next year's plan (in the order of the regional form).
    CAMPI_CONSISTENZA = (
        "alloggi_totali",
        "alloggi_sas",
        "alloggi_sap",
        "alloggi_altro",
    )
    CAMPI_STATO_SAP = (
        "sap_liberi",
        "sap_carenze",
        "sap_ristrutturazione",
        "sap_occupati",
    )
    # b)–f): their sum is compared with the total the ente declares (g).
    CAMPI_ASSEGNABILI = (
        "assegnabili_carenza",
        "assegnabili_ristrutturazione",
        "assegnabili_nuova_edificazione",
        "assegnabili_turnover",
        "assegnabili_privati",
    )
    # i bis)–k) and the notes («Riserve e altre unità» on the form).
    CAMPI_RISERVE = (
        "quota_art14",
        "categorie_art14",
        "unita_sat",
        "assegnate_anno_precedente",
        "note",
    )
    # Every figure the ente communicates, after the reception data.
    CAMPI_DATI = (
        *CAMPI_CONSISTENZA,
        *CAMPI_STATO_SAP,
        *CAMPI_ASSEGNABILI,
        "assegnabili_totale",
        *CAMPI_RISERVE,
    )
    # The whole numbers among them (summed over the enti).
    CAMPI_NUMERICI = (
        *CAMPI_CONSISTENZA,
        *CAMPI_STATO_SAP,
        *CAMPI_ASSEGNABILI,
        "assegnabili_totale",
        "unita_sat",
        "assegnate_anno_precedente",
    )

    class Meta:
        verbose_name = _("comunicazione")
        verbose_name_plural = _("comunicazioni")
        ordering = ["piano", "ente__denominazione"]
        constraints = [
            models.UniqueConstraint(
                fields=["piano", "ente"],
                name="una_comunicazione_per_ente_e_piano",
                violation_error_message=_(
                    "Per questo ente esiste già una comunicazione nel piano."
                ),
            ),
            _percentuale_valida("quota_art14"),
        ]

    def __str__(self) -> str:
        return f"{self.ente} – {self.piano.anno}"

    def url_modifica(self) -> str:
        """The form that changes this record (the checks link to it)."""
        return reverse("piani:comunicazione_update", args=[self.pk])

    @property
    def pervenuta(self) -> bool:
        return bool(self.esito)

    @property
    def denominazione_stampata(self) -> str:
        return self.denominazione_ricevuta or self.ente.denominazione

    @property
    def somma_assegnabili(self) -> int | None:
        """b)+c)+d)+e)+f): None se l'ente non ne ha comunicata nessuna."""
        valori = [getattr(self, campo) for campo in self.CAMPI_ASSEGNABILI]
        if all(v is None for v in valori):
            return None
        return sum(v or 0 for v in valori)


class TotaleDichiarato(DatoDelPiano):
    """Totale dell'ambito come lo dà la fonte quando non ci sono le righe per ente
    (es. «699 alloggi» senza dettaglio): si stampa come dato complessivo e, se le
    righe ci sono, si confronta con la loro somma."""

    class Contenuto(models.TextChoices):
        # The values are the per-ente fields of Comunicazione they total.
        ALLOGGI_TOTALI = "alloggi_totali", _("Consistenza: alloggi complessivi")
        ALLOGGI_SAS = "alloggi_sas", _("Consistenza: alloggi SAS")
        ALLOGGI_SAP = "alloggi_sap", _("Consistenza: alloggi SAP")
        ALLOGGI_ALTRO = "alloggi_altro", _("Consistenza: altro uso residenziale")
        ASSEGNABILI_TOTALE = (
            "assegnabili_totale",
            _("Unità assegnabili nell'anno (totale)"),
        )
        UNITA_SAT = "unita_sat", _("Unità destinate a SAT")
        ASSEGNATE_ANNO_PRECEDENTE = (
            "assegnate_anno_precedente",
            _("Unità SAP assegnate l'anno precedente"),
        )

    piano = models.ForeignKey(
        PianoAnnuale,
        verbose_name=_("piano"),
        on_delete=models.CASCADE,
        related_name="totali_dichiarati",
    )
    contenuto = models.CharField(
        _("contenuto"), max_length=40, choices=Contenuto.choices
    )
    valore = models.PositiveIntegerField(_("valore"))
    nota = models.CharField(
        _("fonte o nota"),
        max_length=300,
        blank=True,
        help_text=_("Da dove viene il dato, es. «comunicazione ALER del 20/10»."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("totale dichiarato dell'ambito")
        verbose_name_plural = _("totali dichiarati dell'ambito")
        ordering = ["piano", "contenuto"]
        constraints = [
            models.UniqueConstraint(
                fields=["piano", "contenuto"],
                name="un_totale_dichiarato_per_contenuto",
                violation_error_message=_(
                    "Per questo contenuto il piano ha già un totale dichiarato."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_contenuto_display()}: {self.valore}"

    def url_modifica(self) -> str:
        """The form that changes this record (the checks link to it)."""
        # Entered on the dashboard, in its own box.
        return reverse("piani:piano_detail", args=[self.piano_id]) + "#totali"
