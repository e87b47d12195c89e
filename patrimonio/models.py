from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambiti.corrispondenze import normalizza
from ambiti.models import Ambito, Comune


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
    sigle_province = models.CharField(
        _("province servite"),
        max_length=60,
        blank=True,
        help_text=_(
            "Per le ALER: sigle delle province del territorio, separate da virgole."
        ),
    )
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

    def clean(self) -> None:
        super().clean()
        # «Comune di Gromo» linked to the comune of Gorno used to pass unnoticed.
        if (
            self.tipo == self.Tipo.COMUNE
            and self.comune_id
            and self.denominazione
            and normalizza(self.denominazione) != normalizza(self.comune.nome)
        ):
            raise ValidationError(
                {
                    "comune": _(
                        "La denominazione «%(denominazione)s» non corrisponde al "
                        "comune scelto (%(comune)s)."
                    )
                    % {"denominazione": self.denominazione, "comune": self.comune}
                }
            )

    @property
    def nome_per_elenco(self) -> str:
        """Chiave d'ordinamento dei piani: prima i comuni per nome, poi gli altri."""
        return self.comune.nome if self.comune_id else self.denominazione


class EnteDellAmbito(models.Model):
    """Un ente proprietario che comunica i dati al piano di un ambito (R.R. 4/2017
    art. 4): i comuni dell'ambito, l'ALER del territorio e gli altri enti (ASP,
    fondazioni, cooperative). Gli enti sono globali: un'ALER serve molti ambiti."""

    ambito = models.ForeignKey(
        Ambito,
        verbose_name=_("ambito territoriale"),
        on_delete=models.CASCADE,
        related_name="enti_collegati",
    )
    ente = models.ForeignKey(
        EnteProprietario,
        verbose_name=_("ente proprietario"),
        on_delete=models.PROTECT,
        related_name="ambiti_collegati",
    )
    comune = models.ForeignKey(
        Comune,
        verbose_name=_("comune di sede"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Per gli altri enti: il comune dell'ambito in cui hanno sede."),
    )

    class Meta:
        verbose_name = _("ente dell'ambito")
        verbose_name_plural = _("enti dell'ambito")
        ordering = ["ambito", "ente__denominazione"]
        constraints = [
            models.UniqueConstraint(
                fields=["ambito", "ente"],
                name="ente_una_volta_per_ambito",
                violation_error_message=_("L'ente è già collegato a questo ambito."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.ente} ({self.ambito})"

    def clean(self) -> None:
        super().clean()
        # An ente saved against a comune of another ambito went unnoticed before.
        if (
            self.comune_id
            and self.ambito_id
            and not self.ambito.appartenenze.filter(comune_id=self.comune_id).exists()
        ):
            raise ValidationError(
                {
                    "comune": _(
                        "Il comune %(comune)s non fa parte dell'ambito %(ambito)s."
                    )
                    % {"comune": self.comune, "ambito": self.ambito}
                }
            )


class Alloggio(models.Model):
    """Unità abitativa dell'anagrafe regionale del patrimonio (L.R. 16/2016 art. 3),
    una riga per alloggio."""

    codice = models.CharField(_("codice alloggio"), max_length=40, unique=True)
    # No single-column index on ente and comune: the composite indexes below
    # start with them and serve the same lookups; two fewer indexes to maintain
    # make the 166.000-row import's INSERT cheaper.
    ente = models.ForeignKey(
        EnteProprietario,
        verbose_name=_("ente proprietario"),
        on_delete=models.PROTECT,
        related_name="alloggi",
        db_index=False,
    )
    comune = models.ForeignKey(
        Comune,
        verbose_name=_("comune"),
        on_delete=models.PROTECT,
        related_name="alloggi",
        db_index=False,
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
    # Edits through the pages and the admin record themselves; an import records
    # only the rows it changed (one set-based INSERT, patrimonio.services).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alloggio")
        verbose_name_plural = _("alloggi")
        ordering = ["codice"]
        # The list's filters with its default order (codice): one range scan each.
        indexes = [
            models.Index(fields=["ente", "comune", "servizio", "stato"]),
            models.Index(fields=["comune", "codice"], name="alloggio_comune_codice"),
            models.Index(fields=["ente", "codice"], name="alloggio_ente_codice"),
        ]
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


class Importazione(models.Model):
    """Un file importato (o rifiutato): chi, quando, quale file, con quale esito.

    Tiene anche l'avanzamento delle importazioni in background, che la pagina legge
    a ogni aggiornamento.
    """

    class Tipo(models.TextChoices):
        ALLOGGI = "alloggi", _("Anagrafe del patrimonio (un alloggio per riga)")
        ENTI = "enti", _("Tabelle per ente di un piano")
        POPOLAZIONE = "popolazione", _("Popolazione dei comuni (ISTAT)")

    class Stato(models.TextChoices):
        IN_ATTESA = "in_attesa", _("In attesa")
        IN_CORSO = "in_corso", _("In corso")
        ANTEPRIMA = "anteprima", _("Anteprima pronta: da confermare")
        RIFIUTATA = "rifiutata", _("Rifiutata: il file contiene errori")
        COMPLETATA = "completata", _("Importata")
        FALLITA = "fallita", _("Interrotta da un errore imprevisto")

    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="importazioni",
    )
    creata_il = models.DateTimeField(_("caricata il"), auto_now_add=True)
    conclusa_il = models.DateTimeField(_("conclusa il"), null=True, blank=True)
    nome_file = models.CharField(_("nome del file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    dimensione = models.PositiveBigIntegerField(_("dimensione (byte)"), default=0)
    file = models.FileField(_("file"), upload_to="importazioni/%Y/%m/", blank=True)
    piano = models.ForeignKey(
        "piani.PianoAnnuale",
        verbose_name=_("piano"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="importazioni",
    )
    data_riferimento = models.DateField(_("data di riferimento"), null=True, blank=True)
    stato = models.CharField(
        _("stato"), max_length=20, choices=Stato.choices, default=Stato.IN_ATTESA
    )
    scrittura = models.BooleanField(
        _("scrittura richiesta"),
        default=False,
        help_text=_("Falso durante l'anteprima; vero dopo la conferma."),
    )
    progresso = models.PositiveSmallIntegerField(_("avanzamento (%)"), default=0)
    fase = models.CharField(_("fase"), max_length=120, blank=True)
    righe = models.PositiveIntegerField(_("righe lette"), default=0)
    creati = models.PositiveIntegerField(_("nuovi"), default=0)
    modificati = models.PositiveIntegerField(_("modificati"), default=0)
    invariati = models.PositiveIntegerField(_("invariati"), default=0)
    mancanti = models.PositiveIntegerField(_("mancanti nel file"), default=0)
    righe_errate = models.PositiveIntegerField(_("righe con errori"), default=0)
    errori = models.JSONField(_("errori"), default=list, blank=True)
    avvisi = models.JSONField(_("avvisi"), default=list, blank=True)
    colonne_sconosciute = models.JSONField(
        _("colonne non riconosciute"), default=list, blank=True
    )
    mappatura = models.JSONField(_("mappatura delle colonne"), default=dict, blank=True)
    esempi = models.JSONField(_("esempi"), default=dict, blank=True)

    class Meta:
        verbose_name = _("importazione")
        verbose_name_plural = _("importazioni")
        ordering = ["-creata_il"]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()}: {self.nome_file}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("patrimonio:importazione_detail", args=[self.pk])

    @property
    def conclusa(self) -> bool:
        return self.stato in {
            self.Stato.ANTEPRIMA,
            self.Stato.RIFIUTATA,
            self.Stato.COMPLETATA,
            self.Stato.FALLITA,
        }

    @property
    def confermabile(self) -> bool:
        return self.stato == self.Stato.ANTEPRIMA and not self.errori


class MappaturaColonne(models.Model):
    """Colonna di un file che l'utente ha associato a un campo dell'import: si
    ricorda e si applica ai file successivi con la stessa intestazione."""

    tipo = models.CharField(_("tipo"), max_length=20, choices=Importazione.Tipo.choices)
    intestazione = models.CharField(_("intestazione (normalizzata)"), max_length=200)
    campo = models.CharField(
        _("campo"),
        max_length=60,
        blank=True,
        help_text=_("Vuoto: colonna da ignorare."),
    )
    aggiornata_il = models.DateTimeField(_("aggiornata il"), auto_now=True)

    class Meta:
        verbose_name = _("mappatura di colonna")
        verbose_name_plural = _("mappature di colonne")
        ordering = ["tipo", "intestazione"]
        constraints = [
            models.UniqueConstraint(
                fields=["tipo", "intestazione"],
                name="mappatura_una_per_tipo_e_intestazione",
                violation_error_message=_("Questa intestazione ha già una mappatura."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.intestazione} → {self.campo or '—'}"
