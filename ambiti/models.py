from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pianocasa.formati import data as data_it


class Comune(models.Model):
    """Comune italiano dell'elenco ISTAT, identificato dal codice ISTAT (6 cifre).

    Dato di riferimento: si carica dall'elenco ISTAT, non si crea da un nome digitato.
    """

    codice_istat = models.CharField(_("codice ISTAT"), max_length=6, unique=True)
    nome = models.CharField(_("denominazione"), max_length=100)
    provincia = models.CharField(_("provincia"), max_length=60)
    sigla_provincia = models.CharField(_("sigla provincia"), max_length=2)
    regione = models.CharField(_("regione"), max_length=40, default="Lombardia")
    superficie_kmq = models.DecimalField(
        _("superficie (km²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")
        ordering = ["nome"]
        constraints = [
            models.CheckConstraint(
                condition=Q(codice_istat__regex=r"^[0-9]{6}$"),
                name="comune_codice_istat_6_cifre",
                violation_error_message=_("Il codice ISTAT è composto da 6 cifre."),
            )
        ]

    def __str__(self) -> str:
        return self.nome

    def natural_key(self) -> tuple[str]:
        return (self.codice_istat,)


class Ats(models.Model):
    """Agenzia di Tutela della Salute (L.R. 23/2015): le otto ATS lombarde, dato di
    riferimento caricato da fixtures/ats_lombardia.csv."""

    codice = models.CharField(_("codice"), max_length=10, unique=True)
    nome = models.CharField(_("denominazione"), max_length=120, unique=True)
    territorio = models.CharField(_("territorio"), max_length=300, blank=True)
    sigle_province = models.CharField(
        _("province"),
        max_length=60,
        blank=True,
        help_text=_("Sigle delle province servite, separate da virgole."),
    )

    class Meta:
        verbose_name = _("ATS")
        verbose_name_plural = _("ATS")
        ordering = ["codice"]

    def __str__(self) -> str:
        return self.nome

    def natural_key(self) -> tuple[str]:
        return (self.codice,)


class Ambito(models.Model):
    """Ambito Territoriale sociale (L.R. 3/2008 art. 18): l'unità di programmazione
    dell'offerta abitativa (L.R. 16/2016 art. 6), guidata da un comune capofila."""

    numero = models.PositiveSmallIntegerField(_("numero"), null=True, blank=True)
    nome = models.CharField(_("denominazione"), max_length=200)
    slug = models.SlugField(_("identificativo"), max_length=80, unique=True)
    provincia = models.CharField(_("provincia"), max_length=60)
    comune_capofila = models.ForeignKey(
        Comune,
        verbose_name=_("comune capofila"),
        on_delete=models.PROTECT,
        related_name="ambiti_capofila",
        null=True,
        blank=True,
    )
    superficie_kmq = models.DecimalField(
        _("superficie (km²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    ats = models.ForeignKey(
        Ats,
        verbose_name=_("ATS"),
        on_delete=models.PROTECT,
        related_name="ambiti",
        null=True,
        blank=True,
    )
    comuni = models.ManyToManyField(
        Comune, through="AmbitoComune", related_name="ambiti", verbose_name=_("comuni")
    )
    # Footer of the ambito's public pages (obligations of a PA site). Empty by
    # default: never another ambito's contacts.
    contatti_pubblici = models.TextField(
        _("contatti per il pubblico"),
        blank=True,
        help_text=_("Ufficio, indirizzo, telefono, e-mail o PEC: uno per riga."),
    )
    url_privacy = models.URLField(_("indirizzo dell'informativa privacy"), blank=True)
    url_accessibilita = models.URLField(
        _("indirizzo della dichiarazione di accessibilità"),
        blank=True,
        help_text=_("Se vuoto si usa quella del sito pianocasa."),
    )
    # A data URI written only by ambiti.stemma.stemma_sanifica (PNG or cleaned SVG).
    stemma = models.TextField(_("stemma"), blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ambito territoriale")
        verbose_name_plural = _("ambiti territoriali")
        ordering = ["nome"]

    def __str__(self) -> str:
        if self.numero:
            return f"Ambito {self.numero} – {self.nome_senza_ambito}"
        return self.nome

    @property
    def nome_senza_ambito(self) -> str:
        """The name without a leading «Ambito» (some ambiti put it in their name),
        so that «Ambito …» is never printed twice."""
        nome = self.nome.strip()
        for prefisso in ("ambito territoriale ", "ambito "):
            if nome.lower().startswith(prefisso):
                resto = nome[len(prefisso) :].strip()
                if resto.lower().startswith("n. "):
                    resto = resto[3:].strip()
                # «Ambito 9 Valle …» with numero 9: the number is printed apart.
                numero = str(self.numero or "")
                if numero and resto.startswith(numero + " "):
                    resto = resto[len(numero) :].strip(" –-")
                return resto or nome
        return nome

    @property
    def nome_con_ambito(self) -> str:
        """«Ambito Valle Seriana», also when the name is «Ambito Valle Seriana»."""
        return f"Ambito {self.nome_senza_ambito}"


class SubAmbito(models.Model):
    """Suddivisione interna di un ambito (es. "Alto Serio" nell'Ambito 9)."""

    ambito = models.ForeignKey(
        Ambito,
        verbose_name=_("ambito territoriale"),
        on_delete=models.CASCADE,
        related_name="sub_ambiti",
    )
    nome = models.CharField(_("denominazione"), max_length=120)
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("sub-ambito")
        verbose_name_plural = _("sub-ambiti")
        ordering = ["ambito", "ordine", "nome"]
        constraints = [
            models.UniqueConstraint(
                fields=["ambito", "nome"],
                name="subambito_unico_per_ambito",
                violation_error_message=_("Esiste già un sub-ambito con questo nome."),
            )
        ]

    def __str__(self) -> str:
        return self.nome


class AmbitoComune(models.Model):
    """Appartenenza di un comune a un ambito, con il sub-ambito e l'area geografica
    (es. "Valle di Scalve") in cui il piano lo raggruppa."""

    ambito = models.ForeignKey(
        Ambito,
        verbose_name=_("ambito territoriale"),
        on_delete=models.CASCADE,
        related_name="appartenenze",
    )
    comune = models.ForeignKey(
        Comune,
        verbose_name=_("comune"),
        on_delete=models.PROTECT,
        related_name="appartenenze",
    )
    sub_ambito = models.ForeignKey(
        SubAmbito,
        verbose_name=_("sub-ambito"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appartenenze",
    )
    area = models.CharField(_("area geografica"), max_length=120, blank=True)
    # A change of membership is an administrator's act: kept with who and when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comune dell'ambito")
        verbose_name_plural = _("comuni dell'ambito")
        ordering = ["ambito", "comune__nome"]
        constraints = [
            # One owner for the comune's data (population, enti): one ambito.
            models.UniqueConstraint(
                fields=["comune"],
                name="comune_in_un_solo_ambito",
                violation_error_message=_(
                    "Il comune appartiene già a un altro ambito."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.comune} ({self.ambito})"

    def clean(self) -> None:
        """The refusal names the ambito the comune belongs to."""
        if not self.comune_id:
            return
        altra = (
            AmbitoComune.objects.filter(comune_id=self.comune_id)
            .exclude(pk=self.pk)
            .select_related("ambito", "comune")
            .first()
        )
        if altra is not None:
            raise ValidationError(
                {
                    "comune": _(
                        "Il comune %(comune)s appartiene già all'ambito «%(ambito)s»: "
                        "un comune sta in un solo ambito. Lo sposta un amministratore."
                    )
                    % {"comune": altra.comune, "ambito": altra.ambito}
                }
            )


class PopolazioneComune(models.Model):
    """Popolazione residente di un comune a una data (fonte ISTAT)."""

    comune = models.ForeignKey(
        Comune,
        verbose_name=_("comune"),
        on_delete=models.CASCADE,
        related_name="popolazioni",
    )
    data = models.DateField(_("data di riferimento"))
    popolazione = models.PositiveIntegerField(_("popolazione residente"))
    fonte = models.CharField(_("fonte"), max_length=120, blank=True, default="ISTAT")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("popolazione del comune")
        verbose_name_plural = _("popolazione dei comuni")
        ordering = ["comune__nome", "-data"]
        constraints = [
            models.UniqueConstraint(
                fields=["comune", "data"],
                name="popolazione_una_per_comune_e_data",
                violation_error_message=_(
                    "Per questo comune esiste già un dato di popolazione a questa data."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.comune}: {self.popolazione} al {data_it(self.data)}"


class SerieDemografica(models.Model):
    """Dato annuale dell'ambito nel suo complesso: popolazione, nati, stranieri
    residenti (Piano di Zona, fonte ISTAT)."""

    ambito = models.ForeignKey(
        Ambito,
        verbose_name=_("ambito territoriale"),
        on_delete=models.CASCADE,
        related_name="serie_demografica",
    )
    anno = models.PositiveSmallIntegerField(_("anno"))
    data = models.DateField(_("data di riferimento"))
    popolazione = models.PositiveIntegerField(_("popolazione residente"))
    nati = models.PositiveIntegerField(_("nati"), null=True, blank=True)
    stranieri = models.PositiveIntegerField(_("stranieri"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dato demografico dell'ambito")
        verbose_name_plural = _("serie demografica dell'ambito")
        ordering = ["ambito", "anno"]
        constraints = [
            models.UniqueConstraint(
                fields=["ambito", "anno"],
                name="serie_un_dato_per_ambito_e_anno",
                violation_error_message=_("Per questo anno esiste già un dato."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.ambito} {self.anno}: {self.popolazione}"

    def url_modifica(self) -> str:
        """The form that changes this record (the checks link to it)."""
        return reverse("ambiti:serie_update", args=[self.ambito.slug, self.pk])


class Incarico(models.Model):
    """Ruolo di un utente in un ambito: personale dell'Ufficio di Piano (lettura e
    scrittura) o revisore in sola lettura (sindaco, segreteria dell'Assemblea).
    Gli amministratori sono i superutenti e vedono tutti gli ambiti."""

    class Ruolo(models.TextChoices):
        UFFICIO = "ufficio", _("Ufficio di Piano (lettura e scrittura)")
        LETTURA = "lettura", _("Revisore (sola lettura)")

    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="incarichi",
    )
    ambito = models.ForeignKey(
        Ambito,
        verbose_name=_("ambito territoriale"),
        on_delete=models.CASCADE,
        related_name="incarichi",
    )
    ruolo = models.CharField(_("ruolo"), max_length=10, choices=Ruolo.choices)
    # Who was given which role, and when it was revoked.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incarico")
        verbose_name_plural = _("incarichi")
        constraints = [
            models.UniqueConstraint(
                fields=["utente", "ambito"],
                name="un_incarico_per_utente_e_ambito",
                violation_error_message=_(
                    "L'utente ha già un incarico in questo ambito."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.utente} – {self.ambito} ({self.get_ruolo_display()})"
