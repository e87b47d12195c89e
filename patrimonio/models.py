from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambiti.models import Comune


class Servizio(models.TextChoices):
    """Servizio abitativo cui è destinata un'unità (L.R. 16/2016 art. 1)."""

    SAP = "SAP", _("Servizi Abitativi Pubblici (SAP)")
    SAS = "SAS", _("Servizi Abitativi Sociali (SAS)")
    SAT = "SAT", _("Servizi Abitativi Transitori (SAT)")
    ALTRO = "ALTRO", _("Altro uso residenziale")


class StatoAlloggio(models.TextChoices):
    """Stato d'uso di un'unità abitativa nell'anagrafe regionale del patrimonio."""

    LIBERO = "libero", _("Libero")
    CARENZA = "carenza", _("Sfitto per carenze manutentive")
    RISTRUTTURAZIONE = "ristrutturazione", _("Sfitto per ristrutturazione")
    OCCUPATO = "occupato", _("Occupato")


class EnteProprietario(models.Model):
    """Proprietario di alloggi pubblici che comunica i propri dati per il piano
    annuale (R.R. 4/2017 art. 4): un comune, un'ALER o un altro ente."""

    class Tipo(models.TextChoices):
        COMUNE = "comune", _("Comune")
        ALER = "aler", _("ALER")
        ALTRO = "altro", _("Altro ente")

    tipo = models.CharField(_("tipo"), max_length=10, choices=Tipo.choices)
    denominazione = models.CharField(_("denominazione"), max_length=200, unique=True)
    denominazione_breve = models.CharField(
        _("denominazione breve"),
        max_length=60,
        blank=True,
        help_text=_(
            "Usata nelle tabelle dei piani che la prevedono (es. ALER BG-LC-SO)."
        ),
    )
    comune = models.OneToOneField(
        Comune,
        verbose_name=_("comune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ente",
        help_text=_("Per gli enti di tipo Comune: il comune stesso."),
    )
    codice_fiscale = models.CharField(_("codice fiscale"), max_length=16, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ente proprietario")
        verbose_name_plural = _("enti proprietari")
        ordering = ["denominazione"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tipo="comune", comune__isnull=False)
                | (~Q(tipo="comune") & Q(comune__isnull=True)),
                name="ente_comune_ha_il_suo_comune",
                violation_error_message=_(
                    "Un ente di tipo Comune deve indicare il comune; gli altri enti no."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.denominazione

    def natural_key(self) -> tuple[str]:
        return (self.denominazione,)

    @property
    def nome_per_elenco(self) -> str:
        """Chiave d'ordinamento dei piani: prima i comuni per nome, poi gli altri."""
        return self.comune.nome if self.comune_id else self.denominazione


class Alloggio(models.Model):
    """Unità abitativa dell'anagrafe regionale del patrimonio (L.R. 16/2016 art. 3),
    una riga per alloggio."""

    codice = models.CharField(_("codice alloggio"), max_length=40, unique=True)
    ente = models.ForeignKey(
        EnteProprietario,
        verbose_name=_("ente proprietario"),
        on_delete=models.PROTECT,
        related_name="alloggi",
    )
    comune = models.ForeignKey(
        Comune,
        verbose_name=_("comune"),
        on_delete=models.PROTECT,
        related_name="alloggi",
    )
    indirizzo = models.CharField(_("indirizzo"), max_length=200, blank=True)
    civico = models.CharField(_("civico"), max_length=20, blank=True)
    piano = models.CharField(_("piano"), max_length=20, blank=True)
    superficie_mq = models.DecimalField(
        _("superficie (m²)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    vani = models.PositiveSmallIntegerField(_("vani"), null=True, blank=True)
    servizio = models.CharField(_("servizio"), max_length=5, choices=Servizio.choices)
    stato = models.CharField(_("stato"), max_length=20, choices=StatoAlloggio.choices)
    anno_costruzione = models.PositiveSmallIntegerField(
        _("anno di costruzione"), null=True, blank=True
    )
    aggiornato_il = models.DateField(_("ultimo aggiornamento"), null=True, blank=True)

    class Meta:
        verbose_name = _("alloggio")
        verbose_name_plural = _("alloggi")
        ordering = ["codice"]
        indexes = [models.Index(fields=["ente", "comune", "servizio", "stato"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(superficie_mq__isnull=True) | Q(superficie_mq__gt=0),
                name="alloggio_superficie_positiva",
                violation_error_message=_(
                    "La superficie deve essere maggiore di zero."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.codice
