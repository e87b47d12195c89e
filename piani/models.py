from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambiti.models import Ambito, Comune
from patrimonio.models import EnteProprietario
from pianocasa.formati import data as data_it

PERCENTUALE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def _percentuale_valida(campo: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{campo}__isnull": True})
        | Q(**{f"{campo}__gte": 0, f"{campo}__lte": 100}),
        name=f"%(class)s_{campo}_0_100",
        violation_error_message=_("Una percentuale è compresa tra 0 e 100."),
    )


STATI_CONGELATI = ("approvato", "pubblicato")
# What a lifecycle service may still write on a frozen plan.
CAMPI_DEL_CICLO = frozenset({"stato", "revisione", "versione"})


class PianoCongelato(PermissionDenied):
    """Raised on any change to the data of an approved or published plan: the
    approved document must come back byte for byte; corrections need a revision."""

    def __init__(self, piano_id: int | None = None):
        super().__init__(
            _(
                "Il piano è approvato o pubblicato: i suoi dati non si possono "
                "modificare. Per correggerli va riaperto con una revisione motivata."
            )
        )
        self.piano_id = piano_id


def piano_congelato(piano_id: int | None) -> bool:
    """Read from the database, not from a cached instance that may be stale."""
    if piano_id is None:
        return False
    return PianoAnnuale.objects.filter(pk=piano_id, stato__in=STATI_CONGELATI).exists()


def _documento_dopo_modifica(piano_id: int | None) -> None:
    """The plan's PDF is rendered again in background after a change."""
    from .documento_cache import documento_dopo_modifica

    documento_dopo_modifica(piano_id)


class DatoDelPiano(models.Model):
    """Base of every model holding a plan's data: refuses writes while the plan is
    frozen, whatever the path (form, admin, import, service)."""

    percorso_piano = "piano_id"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._verifica_modificabile()
        super().save(*args, **kwargs)
        _documento_dopo_modifica(self._piano_id())

    def delete(self, *args, **kwargs):
        self._verifica_modificabile()
        piano_id = self._piano_id()
        risultato = super().delete(*args, **kwargs)
        _documento_dopo_modifica(piano_id)
        return risultato

    def _piano_id(self) -> int | None:
        valore = self
        for parte in self.percorso_piano.split("."):
            valore = getattr(valore, parte, None)
            if valore is None:
                return None
        return valore

    def _verifica_modificabile(self) -> None:
        piano_id = self._piano_id()
        if piano_congelato(piano_id):
            raise PianoCongelato(piano_id)


class VersioneNormativa(models.Model):
    """Versione del regolamento regionale che fissa contenuto e lettere del piano
    annuale (R.R. 4/2017, come modificato dal R.R. 2/2025). Una nuova versione si
    aggiunge come dati (lettere, soglie) più i suoi template, senza toccare i modelli.
    """

    class BaseSat(models.TextChoices):
        PATRIMONIO_SAP = "patrimonio_sap", _("Patrimonio SAP dell'ambito")
        DISPONIBILI_ANNO = "disponibili_anno", _("Unità SAP disponibili nell'anno")

    codice = models.SlugField(_("codice"), max_length=40, unique=True)
    nome = models.CharField(_("denominazione"), max_length=200)
    in_vigore_dal = models.DateField(_("in vigore dal"))
    cartella_template = models.CharField(
        _("cartella dei template del documento"),
        max_length=100,
        help_text=_("Sotto templates/piani/documento/, es. «rr2025»."),
    )
    lettere = models.JSONField(
        _("lettere delle sezioni"),
        default=dict,
        help_text=_('Contenuto canonico → lettera stampata, es. {"turn_over": "e"}.'),
    )
    soglia_indigenti = models.DecimalField(
        _("soglia minima indigenti (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=PERCENTUALE,
    )
    tetto_art14 = models.DecimalField(
        _("tetto riserva art. 14 (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENTUALE,
    )
    tetto_forze_ordine = models.DecimalField(
        _("tetto quota forze dell'ordine (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=PERCENTUALE,
    )
    tetto_sat = models.DecimalField(
        _("tetto unità SAT (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=PERCENTUALE,
    )
    base_tetto_sat = models.CharField(
        _("base del tetto SAT"),
        max_length=20,
        choices=BaseSat.choices,
        default=BaseSat.PATRIMONIO_SAP,
    )

    class Meta:
        verbose_name = _("versione normativa")
        verbose_name_plural = _("versioni normative")
        ordering = ["-in_vigore_dal"]

    def __str__(self) -> str:
        return self.nome

    def natural_key(self) -> tuple[str]:
        return (self.codice,)

    def lettera(self, contenuto: str) -> str:
        """La lettera con cui questa versione stampa un contenuto ('' se non lo ha)."""
        return self.lettere.get(contenuto, "")


class ModelloDocumento(models.Model):
    """Impaginazione del documento del piano: lettere dei contenuti, cartella dei
    template e sezioni narrative previste (R.R. 2/2025; comunicato regionale
    n. 45/2019; i punti dell'art. 4 c. 3 del R.R. 4/2017). Distinta dalla versione
    normativa, che fissa tetti e soglie."""

    codice = models.SlugField(_("codice"), max_length=40, unique=True)
    nome = models.CharField(_("denominazione"), max_length=200)
    cartella_template = models.CharField(
        _("cartella dei template del documento"),
        max_length=100,
        help_text=_("Sotto templates/piani/documento/, es. «rr2025»."),
    )
    lettere = models.JSONField(
        _("lettere delle sezioni"),
        default=dict,
        help_text=_('Contenuto canonico → lettera stampata, es. {"turn_over": "e"}.'),
    )
    sezioni = models.JSONField(
        _("sezioni narrative"),
        default=list,
        help_text=_(
            "Le sezioni che l'impaginazione colloca, in ordine: "
            '[{"chiave": "premessa", "titolo": "Premessa", "iniziale": true}]. '
            "Quelle «iniziali» si creano nei piani nuovi da un testo di partenza."
        ),
    )
    normativa_codice = models.SlugField(
        _("versione normativa per cui è proposta"), max_length=40, blank=True
    )
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("impaginazione del documento")
        verbose_name_plural = _("impaginazioni del documento")
        ordering = ["ordine", "codice"]

    def __str__(self) -> str:
        return self.nome

    def natural_key(self) -> tuple[str]:
        return (self.codice,)

    def lettera(self, contenuto: str) -> str:
        """La lettera con cui questa impaginazione stampa un contenuto ('' se no)."""
        return self.lettere.get(contenuto, "")

    @property
    def chiavi(self) -> list[str]:
        return [voce["chiave"] for voce in self.sezioni]


class PianoAnnuale(models.Model):
    """Piano Annuale dell'Offerta Abitativa di un ambito (L.R. 16/2016 art. 6 c. 3;
    R.R. 4/2017 art. 4), approvato dall'Assemblea dei Sindaci."""

    class Stato(models.TextChoices):
        BOZZA = "bozza", _("Bozza")
        RACCOLTA_APERTA = "raccolta_aperta", _("Raccolta aperta")
        RACCOLTA_CHIUSA = "raccolta_chiusa", _("Raccolta chiusa")
        APPROVATO = "approvato", _("Approvato")
        PUBBLICATO = "pubblicato", _("Pubblicato")

    ambito = models.ForeignKey(
        Ambito,
        on_delete=models.PROTECT,
        related_name="piani",
        verbose_name=_("ambito territoriale"),
    )
    anno = models.PositiveSmallIntegerField(
        _("anno"), validators=[MinValueValidator(2017), MaxValueValidator(2100)]
    )
    normativa = models.ForeignKey(
        VersioneNormativa,
        verbose_name=_("versione normativa"),
        on_delete=models.PROTECT,
        related_name="piani",
    )
    modello = models.ForeignKey(
        ModelloDocumento,
        verbose_name=_("impaginazione del documento"),
        on_delete=models.PROTECT,
        related_name="piani",
        null=True,
        blank=True,
        help_text=_("Vuota: quella della cartella della versione normativa."),
    )
    id_piattaforma = models.CharField(
        _("ID procedimento sulla piattaforma regionale"), max_length=30, blank=True
    )
    stato = models.CharField(
        _("stato"), max_length=20, choices=Stato.choices, default=Stato.BOZZA
    )
    revisione = models.PositiveSmallIntegerField(
        _("revisione"),
        default=0,
        help_text=_("0 finché non è approvato; ogni approvazione la incrementa."),
    )
    organo_approvazione = models.CharField(
        _("organo che approva"),
        max_length=200,
        blank=True,
        default="Assemblea dei Sindaci",
    )
    data_approvazione = models.DateField(_("data della seduta"), null=True, blank=True)
    luogo_approvazione = models.CharField(
        _("luogo della seduta"), max_length=120, blank=True
    )
    tetto_sat = models.DecimalField(
        _("tetto unità SAT (%) per questo piano"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENTUALE,
        help_text=_("Vuoto: quello della versione normativa."),
    )
    versione = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("versione del record")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("piano annuale")
        verbose_name_plural = _("piani annuali")
        ordering = ["ambito", "-anno"]
        constraints = [
            models.UniqueConstraint(
                fields=["ambito", "anno"],
                name="un_piano_per_ambito_e_anno",
                violation_error_message=_(
                    "Esiste già un piano per questo ambito e anno."
                ),
            ),
            _percentuale_valida("tetto_sat"),
        ]

    def __str__(self) -> str:
        return f"Piano annuale {self.anno} – {self.ambito.nome}"

    def save(self, *args, **kwargs):
        campi = kwargs.get("update_fields")
        solo_ciclo = campi is not None and set(campi) <= CAMPI_DEL_CICLO
        if self.pk and not solo_ciclo and piano_congelato(self.pk):
            raise PianoCongelato(self.pk)
        super().save(*args, **kwargs)
        _documento_dopo_modifica(self.pk)

    def delete(self, *args, **kwargs):
        if piano_congelato(self.pk):
            raise PianoCongelato(self.pk)
        return super().delete(*args, **kwargs)

    @property
    def impaginazione(self) -> ModelloDocumento | None:
        """The plan's layout; plans made before layouts existed (or by hand) use
        the one whose templates are the regulation version's."""
        if self.modello_id:
            return self.modello
        if not hasattr(self, "_impaginazione"):
            self._impaginazione = ModelloDocumento.objects.filter(
                cartella_template=self.normativa.cartella_template
            ).first()
        return self._impaginazione

    def lettera(self, contenuto: str) -> str:
        """The letter the plan's document prints for a canonical content."""
        impaginazione = self.impaginazione
        if impaginazione is not None:
            return impaginazione.lettera(contenuto)
        return self.normativa.lettera(contenuto)

    @property
    def tetto_sat_effettivo(self) -> Decimal:
        return (
            self.tetto_sat if self.tetto_sat is not None else self.normativa.tetto_sat
        )

    @property
    def modificabile(self) -> bool:
        """Approvato o pubblicato, il piano è congelato: si corregge per revisione."""
        return self.stato not in {self.Stato.APPROVATO, self.Stato.PUBBLICATO}


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


class DecisioneComune(DatoDelPiano):
    """Scelte di un comune per l'anno: soglia indigenti (L.R. 16/2016 art. 23 c. 3),
    ulteriore categoria (R.R. 4/2017 art. 14 c. 1 f), quote per forze dell'ordine
    (art. 7 bis) e polizia locale (art. 7 ter)."""

    piano = models.ForeignKey(
        PianoAnnuale,
        on_delete=models.CASCADE,
        related_name="decisioni",
        verbose_name=_("piano"),
    )
    comune = models.ForeignKey(
        Comune,
        on_delete=models.PROTECT,
        related_name="decisioni",
        verbose_name=_("comune"),
    )
    quota_indigenti = models.DecimalField(
        _("quota indigenti (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENTUALE,
        help_text=_("Vuoto: la soglia di legge."),
    )
    categoria_ulteriore = models.TextField(_("ulteriore categoria"), blank=True)
    motivazione_categoria = models.TextField(_("motivazione"), blank=True)
    quota_forze_ordine = models.DecimalField(
        _("quota Forze di Polizia, Vigili del Fuoco, Forze Armate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENTUALE,
    )
    quota_polizia_locale = models.DecimalField(
        _("quota Polizia Locale (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENTUALE,
    )
    versione = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("versione del record")
    )
    history = HistoricalRecords()

    # What the comune decides (the form; carried forward to next year's plan).
    CAMPI_DATI = (
        "quota_indigenti",
        "categoria_ulteriore",
        "motivazione_categoria",
        "quota_forze_ordine",
        "quota_polizia_locale",
    )

    class Meta:
        verbose_name = _("decisione del comune")
        verbose_name_plural = _("decisioni dei comuni")
        ordering = ["piano", "comune__nome"]
        constraints = [
            models.UniqueConstraint(
                fields=["piano", "comune"],
                name="una_decisione_per_comune_e_piano",
                violation_error_message=_(
                    "Per questo comune esiste già una decisione."
                ),
            ),
            _percentuale_valida("quota_indigenti"),
            _percentuale_valida("quota_forze_ordine"),
            _percentuale_valida("quota_polizia_locale"),
        ]

    def __str__(self) -> str:
        return f"{self.comune} – {self.piano.anno}"


class Sezione(DatoDelPiano):
    """Testo narrativo di un piano (premessa, contesto, strategie…), in Markdown."""

    piano = models.ForeignKey(
        PianoAnnuale,
        on_delete=models.CASCADE,
        related_name="sezioni",
        verbose_name=_("piano"),
    )
    chiave = models.SlugField(_("chiave"), max_length=60)
    titolo = models.CharField(_("titolo"), max_length=300, blank=True)
    testo = models.TextField(_("testo (Markdown)"), blank=True)
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)
    versione = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("versione del record")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sezione narrativa")
        verbose_name_plural = _("sezioni narrative")
        ordering = ["piano", "ordine"]
        constraints = [
            models.UniqueConstraint(
                fields=["piano", "chiave"],
                name="sezione_unica_per_piano",
                violation_error_message=_(
                    "Il piano ha già una sezione con questa chiave."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.titolo or self.chiave


class RilevazioneEthos(DatoDelPiano):
    """Nuclei presi in carico per condizione di esclusione abitativa secondo la
    classificazione europea ETHOS, in un anno."""

    piano = models.ForeignKey(
        PianoAnnuale,
        on_delete=models.CASCADE,
        related_name="rilevazioni_ethos",
        verbose_name=_("piano"),
    )
    anno = models.PositiveSmallIntegerField(_("anno"))
    senza_tetto = models.PositiveIntegerField(_("senza tetto"))
    senza_casa = models.PositiveIntegerField(_("senza casa"))
    sistemazione_insicura = models.PositiveIntegerField(_("sistemazione insicura"))
    sistemazione_inadeguata = models.PositiveIntegerField(_("sistemazione inadeguata"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rilevazione ETHOS")
        verbose_name_plural = _("rilevazioni ETHOS")
        constraints = [
            models.UniqueConstraint(fields=["piano", "anno"], name="ethos_una_per_anno")
        ]

    def __str__(self) -> str:
        return f"ETHOS {self.anno}"

    @property
    def totale(self) -> int:
        return (
            self.senza_tetto
            + self.senza_casa
            + self.sistemazione_insicura
            + self.sistemazione_inadeguata
        )


class SottosezioneStrategie(DatoDelPiano):
    """Paragrafo del capitolo sulle strategie a sostegno dell'emergenza abitativa
    (es. 3.2): un bando e i prospetti delle DGR che lo hanno finanziato."""

    piano = models.ForeignKey(
        PianoAnnuale,
        on_delete=models.CASCADE,
        related_name="sottosezioni_strategie",
        verbose_name=_("piano"),
    )
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)
    titolo = models.CharField(_("titolo"), max_length=500)
    bando = models.ForeignKey(
        "misure.Bando",
        verbose_name=_("bando"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sottosezioni",
    )
    testo = models.TextField(
        _("testo (Markdown)"),
        blank=True,
        help_text=_("Stampato dopo la frase generata sul bando."),
    )
    assegnazioni = models.ManyToManyField(
        "misure.AssegnazioneDgr",
        through="BloccoDgr",
        related_name="sottosezioni",
        verbose_name=_("prospetti DGR"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paragrafo delle strategie")
        verbose_name_plural = _("paragrafi delle strategie")
        ordering = ["piano", "ordine"]

    def __str__(self) -> str:
        return self.titolo


class BloccoDgr(DatoDelPiano):
    """Prospetto di una DGR (risorse assegnate, impegnate, erogate, domande) dentro
    un paragrafo delle strategie."""

    percorso_piano = "sottosezione.piano_id"

    sottosezione = models.ForeignKey(
        SottosezioneStrategie, on_delete=models.CASCADE, related_name="blocchi"
    )
    assegnazione = models.ForeignKey(
        "misure.AssegnazioneDgr", on_delete=models.PROTECT, related_name="blocchi"
    )
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)
    con_intestazione = models.BooleanField(
        _("stampa l'intestazione della DGR"), default=True
    )

    class Meta:
        verbose_name = _("prospetto DGR")
        verbose_name_plural = _("prospetti DGR")
        ordering = ["sottosezione", "ordine"]

    def __str__(self) -> str:
        return f"{self.sottosezione} – {self.assegnazione}"


class RiscontroAnomalia(DatoDelPiano):
    """Presa d'atto motivata di un'anomalia: chi, quando e perché la si accetta."""

    piano = models.ForeignKey(
        PianoAnnuale,
        on_delete=models.CASCADE,
        related_name="riscontri",
        verbose_name=_("piano"),
    )
    codice = models.CharField(_("codice anomalia"), max_length=40)
    oggetto = models.CharField(
        _("oggetto"), max_length=200, help_text=_("Ente, comune o sezione interessati.")
    )
    motivazione = models.TextField(_("motivazione"))
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("utente"),
    )
    creato_il = models.DateTimeField(_("registrato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("presa d'atto di anomalia")
        verbose_name_plural = _("prese d'atto di anomalie")
        ordering = ["piano", "creato_il"]
        constraints = [
            models.UniqueConstraint(
                fields=["piano", "codice", "oggetto"],
                name="un_riscontro_per_anomalia",
                violation_error_message=_(
                    "Questa anomalia è già stata presa in carico."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(motivazione=""),
                name="riscontro_con_motivazione",
                violation_error_message=_("Serve una motivazione scritta."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.codice} {self.oggetto}"


class Transizione(models.Model):
    """Passaggio di stato di un piano (bozza → raccolta → approvazione →
    pubblicazione), con chi lo ha fatto, quando e perché."""

    piano = models.ForeignKey(
        PianoAnnuale,
        on_delete=models.CASCADE,
        related_name="transizioni",
        verbose_name=_("piano"),
    )
    da_stato = models.CharField(
        _("da"), max_length=20, choices=PianoAnnuale.Stato.choices
    )
    a_stato = models.CharField(
        _("a"), max_length=20, choices=PianoAnnuale.Stato.choices
    )
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("utente"),
    )
    avvenuta_il = models.DateTimeField(_("avvenuta il"), auto_now_add=True)
    nota = models.TextField(_("nota"), blank=True)

    class Meta:
        verbose_name = _("transizione di stato")
        verbose_name_plural = _("transizioni di stato")
        ordering = ["piano", "avvenuta_il", "pk"]

    def __str__(self) -> str:
        return f"{self.da_stato} → {self.a_stato}"


def _percorso_documento(istanza: "VersioneApprovata", nome: str) -> str:
    piano = istanza.piano
    return f"piani/{piano.ambito.slug}/{piano.anno}/rev{istanza.revisione}/{nome}"


class VersioneApprovata(models.Model):
    """Documento approvato dall'Assemblea dei Sindaci, congelato: il PDF come
    generato e l'istantanea JSON dei dati, ciascuno con il suo SHA-256."""

    piano = models.ForeignKey(
        PianoAnnuale,
        on_delete=models.PROTECT,
        related_name="versioni_approvate",
        verbose_name=_("piano"),
    )
    revisione = models.PositiveSmallIntegerField(_("revisione"))
    organo = models.CharField(_("organo"), max_length=200)
    data_seduta = models.DateField(_("data della seduta"))
    luogo_seduta = models.CharField(_("luogo della seduta"), max_length=120)
    pdf = models.FileField(_("documento PDF"), upload_to=_percorso_documento)
    sha256_pdf = models.CharField(max_length=64, verbose_name=_("SHA-256 del PDF"))
    istantanea = models.FileField(
        _("istantanea dei dati"), upload_to=_percorso_documento
    )
    sha256_istantanea = models.CharField(
        max_length=64, verbose_name=_("SHA-256 dell'istantanea")
    )
    motivo_revisione = models.TextField(_("motivo della revisione"), blank=True)
    approvata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrata da"),
    )
    registrata_il = models.DateTimeField(_("registrata il"), auto_now_add=True)

    class Meta:
        verbose_name = _("versione approvata")
        verbose_name_plural = _("versioni approvate")
        ordering = ["piano", "revisione"]
        constraints = [
            models.UniqueConstraint(
                fields=["piano", "revisione"], name="una_versione_per_revisione"
            )
        ]

    def __str__(self) -> str:
        return f"{self.piano} – revisione {self.revisione}"


# The PDF kept ready (its own module: derived data, not a DatoDelPiano).
from .models_documento import DocumentoInCache  # noqa: E402, F401
