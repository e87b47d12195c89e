"""Domande (applicants' personal data), funding runs and their payments, the
log of accesses to personal data."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambiti.models import Comune
from pianocasa.versioni import versione_avanza

from .bando import Bando, FonteFinanziamento, codice_fiscale_validator
from .dgr import EURO


class Domanda(models.Model):
    """Domanda di contributo presentata a un bando: richiedente, nucleo, ISEE,
    canone; l'esito dell'istruttoria, il punteggio e il contributo spettante."""

    class Procedura(models.TextChoices):
        NESSUNA = "nessuna", _("nessuna")
        INTIMAZIONE = "intimazione", _("intimazione di sfratto")
        CONVALIDA = "convalida", _("convalida di sfratto")
        ESECUZIONE = "esecuzione", _("sfratto in esecuzione")
        PIGNORAMENTO = "pignoramento", _("pignoramento dell'abitazione")

    class Esito(models.TextChoices):
        DA_VALUTARE = "da_valutare", _("da valutare")
        AMMESSA = "ammessa", _("ammessa")
        ESCLUSA = "esclusa", _("esclusa")

    bando = models.ForeignKey(
        Bando, on_delete=models.CASCADE, related_name="domande", verbose_name=_("bando")
    )
    protocollo = models.CharField(_("numero di protocollo"), max_length=30)
    data_protocollo = models.DateField(_("data di protocollo"))
    cognome = models.CharField(_("cognome"), max_length=100)
    nome = models.CharField(_("nome"), max_length=100)
    codice_fiscale = models.CharField(
        _("codice fiscale"), max_length=16, validators=[codice_fiscale_validator]
    )
    data_nascita = models.DateField(_("data di nascita"))
    comune_residenza = models.ForeignKey(
        Comune,
        verbose_name=_("comune di residenza"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    componenti = models.PositiveSmallIntegerField(
        _("componenti del nucleo"), validators=[MinValueValidator(1)]
    )
    minori = models.PositiveSmallIntegerField(_("minori nel nucleo"), default=0)
    isee = models.DecimalField(_("ISEE"), **EURO)
    canone_mensile = models.DecimalField(_("canone mensile"), **EURO)
    contratto_registrato = models.BooleanField(
        _("contratto di locazione registrato"), default=True
    )
    mesi_alloggio = models.PositiveSmallIntegerField(
        _("mesi di residenza nell'alloggio")
    )
    inquilino_sap_sat = models.BooleanField(
        _("inquilino di alloggio SAP o SAT"), default=False
    )
    altri_contributi_data = models.DateField(
        _("ultimo altro contributo per l'alloggio percepito il"),
        null=True,
        blank=True,
    )
    procedura = models.CharField(
        _("procedura di rilascio"),
        max_length=20,
        choices=Procedura.choices,
        default=Procedura.NESSUNA,
    )
    # Written by graduatoria_calcola.
    esito = models.CharField(
        _("esito"),
        max_length=20,
        choices=Esito.choices,
        default=Esito.DA_VALUTARE,
        editable=False,
    )
    motivi_esclusione = models.JSONField(
        _("motivi di esclusione"), default=list, blank=True, editable=False
    )
    punteggio = models.DecimalField(
        _("punteggio"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    posizione = models.PositiveIntegerField(
        _("posizione in graduatoria"), null=True, blank=True, editable=False
    )
    contributo = models.DecimalField(
        _("contributo spettante"), null=True, blank=True, editable=False, **EURO
    )
    # Every change of personal data (ISEE, rent, household) and every deletion
    # stays on record, with who and when.
    # Optimistic locking (pianocasa.versioni): every save moves it on.
    versione = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("versione del record")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("domanda")
        verbose_name_plural = _("domande")
        ordering = ["bando", "posizione", "data_protocollo", "protocollo"]
        constraints = [
            models.UniqueConstraint(
                fields=["bando", "protocollo"],
                name="domanda_protocollo_unico_per_bando",
                violation_error_message=_(
                    "Esiste già una domanda con questo protocollo nel bando."
                ),
            ),
            models.CheckConstraint(
                condition=Q(minori__lt=F("componenti")),
                name="domanda_minori_meno_dei_componenti",
                violation_error_message=_(
                    "I minori devono essere meno dei componenti del nucleo."
                ),
            ),
            models.CheckConstraint(
                condition=Q(isee__gte=0) & Q(canone_mensile__gte=0),
                name="domanda_importi_non_negativi",
                violation_error_message=_("Gli importi non possono essere negativi."),
            ),
        ]

    def __str__(self) -> str:
        return _("Domanda prot. %(protocollo)s") % {"protocollo": self.protocollo}

    def save(self, *args, **kwargs):
        versione_avanza(self, kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("misure:domanda_detail", args=[self.pk])


class Scorrimento(models.Model):
    """Esecuzione dello scorrimento di una graduatoria: chi, quando, su quale
    versione. Una sola esecuzione per versione della graduatoria: due esecuzioni
    concorrenti non possono entrambe andare a buon fine."""

    bando = models.ForeignKey(
        Bando,
        on_delete=models.CASCADE,
        related_name="scorrimenti",
        verbose_name=_("bando"),
    )
    versione_graduatoria = models.PositiveIntegerField(_("versione della graduatoria"))
    eseguito_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eseguito da"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    eseguito_il = models.DateTimeField(_("eseguito il"), auto_now_add=True)
    importo_erogato = models.DecimalField(_("importo assegnato"), **EURO)
    domande_finanziate = models.PositiveIntegerField(_("domande finanziate"))
    # A run is never deleted: a new ranking or run supersedes it, with its quotas.
    superato_il = models.DateTimeField(_("superato il"), null=True, blank=True)

    class Meta:
        verbose_name = _("scorrimento")
        verbose_name_plural = _("scorrimenti")
        ordering = ["bando", "-eseguito_il"]
        constraints = [
            models.UniqueConstraint(
                fields=["bando", "versione_graduatoria"],
                name="uno_scorrimento_per_versione",
                violation_error_message=_(
                    "Lo scorrimento di questa graduatoria è già stato eseguito."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.bando} – {self.eseguito_il:%d/%m/%Y %H:%M}"


class ErogazioniCorrenti(models.Manager):
    """The quotas of the runs in force; ``Erogazione.tutte`` keeps the others."""

    def get_queryset(self):
        return super().get_queryset().filter(scorrimento__superato_il__isnull=True)


class Erogazione(models.Model):
    """Quota del contributo di una domanda pagata da una fonte del bando: una riga
    per (scorrimento, domanda, fonte, importo). Le quote degli scorrimenti superati
    restano (``Erogazione.tutte``)."""

    scorrimento = models.ForeignKey(
        Scorrimento,
        on_delete=models.CASCADE,
        related_name="erogazioni",
        verbose_name=_("scorrimento"),
    )
    domanda = models.ForeignKey(
        Domanda,
        on_delete=models.CASCADE,
        related_name="erogazioni",
        verbose_name=_("domanda"),
    )
    fonte = models.ForeignKey(
        FonteFinanziamento,
        on_delete=models.PROTECT,
        related_name="erogazioni",
        verbose_name=_("fonte di finanziamento"),
    )
    importo = models.DecimalField(_("importo"), **EURO)

    tutte = models.Manager()
    objects = ErogazioniCorrenti()

    class Meta:
        verbose_name = _("quota di contributo")
        verbose_name_plural = _("quote di contributo")
        # Deletions and related lookups see every quota, superseded ones too.
        base_manager_name = "tutte"
        default_manager_name = "objects"
        ordering = ["domanda__posizione", "fonte__ordine"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorrimento", "domanda", "fonte"],
                name="erogazione_una_per_domanda_e_fonte",
                violation_error_message=_("La fonte paga già questa domanda."),
            ),
            models.CheckConstraint(
                condition=Q(importo__gt=0),
                name="erogazione_importo_positivo",
                violation_error_message=_("L'importo deve essere positivo."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domanda} ← {self.fonte}: {self.importo}"


class AccessoDatiPersonali(models.Model):
    """Registro degli accessi ai dati personali dei richiedenti: chi, quando,
    quale domanda (GDPR art. 5 c. 2, responsabilizzazione)."""

    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("utente"),
    )
    momento = models.DateTimeField(_("momento"), auto_now_add=True)
    bando = models.ForeignKey(
        Bando, on_delete=models.CASCADE, related_name="+", verbose_name=_("bando")
    )
    domanda = models.ForeignKey(
        Domanda,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("domanda"),
    )
    vista = models.CharField(_("pagina"), max_length=60)

    class Meta:
        verbose_name = _("accesso ai dati personali")
        verbose_name_plural = _("accessi ai dati personali")
        ordering = ["-momento"]

    def __str__(self) -> str:
        return f"{self.utente} {self.vista} {self.momento:%d/%m/%Y %H:%M}"
