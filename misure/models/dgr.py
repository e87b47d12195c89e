"""Regional acts (DGR and decrees) and what each assigns to an ambito: the
ledger of rent-support resources."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambiti.models import Ambito
from pianocasa.formati import data as data_it

EURO = {"max_digits": 12, "decimal_places": 2}


class Dgr(models.Model):
    """Atto regionale che assegna risorse per il sostegno all'affitto: una Delibera
    di Giunta Regionale (es. DGR XI/6970 del 19/09/2022) o un decreto."""

    class TipoAtto(models.TextChoices):
        DGR = "DGR", _("Delibera di Giunta Regionale")
        DECRETO = "decreto", _("Decreto")

    class Fonte(models.TextChoices):
        REGIONALE = "regionale", _("risorse regionali")
        STATALE = "statale", _("risorse statali")

    tipo_atto = models.CharField(
        _("tipo di atto"), max_length=10, choices=TipoAtto.choices, default=TipoAtto.DGR
    )
    legislatura = models.CharField(_("legislatura"), max_length=5, blank=True)
    numero = models.PositiveIntegerField(_("numero"))
    anno = models.PositiveSmallIntegerField(_("anno"))
    data = models.DateField(_("data"), null=True, blank=True)
    titolo = models.CharField(_("titolo"), max_length=500, blank=True)
    fonte = models.CharField(
        _("fonte"), max_length=10, choices=Fonte.choices, blank=True
    )

    class Meta:
        verbose_name = _("DGR o decreto")
        verbose_name_plural = _("DGR e decreti")
        ordering = ["anno", "numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["tipo_atto", "numero", "anno"],
                name="atto_unico",
                violation_error_message=_("Questo atto è già registrato."),
            )
        ]

    def __str__(self) -> str:
        return self.estremi

    @property
    def breve(self) -> str:
        """«DGR 6970/2022», come i piani citano l'atto nel testo corrente."""
        return f"{self.tipo_atto} {self.numero}/{self.anno}"

    @property
    def estremi(self) -> str:
        """«DGR XI/6970 del 19/09/2022»."""
        numero = (
            f"{self.legislatura}/{self.numero}"
            if self.legislatura
            else str(self.numero)
        )
        testo = f"{self.tipo_atto} {numero}"
        if self.data:
            testo += f" del {data_it(self.data)}"
        return testo


class AssegnazioneDgr(models.Model):
    """Riga del registro delle risorse di un atto per un ambito: assegnate, spese di
    gestione, erogate. Le impegnate sono assegnate − spese di gestione."""

    ambito = models.ForeignKey(
        Ambito,
        on_delete=models.PROTECT,
        related_name="assegnazioni_dgr",
        verbose_name=_("ambito territoriale"),
    )
    dgr = models.ForeignKey(
        Dgr,
        verbose_name=_("atto"),
        on_delete=models.PROTECT,
        related_name="assegnazioni",
    )
    assegnate = models.DecimalField(
        _("risorse assegnate e trasferite"), null=True, blank=True, **EURO
    )
    nota_assegnate = models.CharField(
        _("nota sulle risorse assegnate"), max_length=300, blank=True
    )
    spese_gestione = models.DecimalField(
        _("risorse destinate a spese di gestione"), default=Decimal("0"), **EURO
    )
    erogate = models.DecimalField(_("risorse erogate"), null=True, blank=True, **EURO)
    misura = models.CharField(
        _("misura cui sono impegnate"),
        max_length=60,
        blank=True,
        help_text=_("Es. MISURA UNICA; vuoto se il piano non la specifica."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assegnazione di risorse")
        verbose_name_plural = _("registro delle risorse DGR")
        ordering = ["ambito", "dgr__anno", "dgr__numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["ambito", "dgr"],
                name="una_assegnazione_per_ambito_e_atto",
                violation_error_message=_("L'ambito ha già una riga per questo atto."),
            ),
            models.CheckConstraint(
                condition=Q(spese_gestione__gte=0)
                & (Q(assegnate__isnull=True) | Q(assegnate__gte=0))
                & (Q(erogate__isnull=True) | Q(erogate__gte=0)),
                name="assegnazione_importi_non_negativi",
                violation_error_message=_("Gli importi non possono essere negativi."),
            ),
            models.CheckConstraint(
                condition=Q(assegnate__isnull=True)
                | Q(spese_gestione__lte=F("assegnate")),
                name="spese_non_oltre_assegnate",
                violation_error_message=_(
                    "Le spese di gestione non possono superare le risorse assegnate."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dgr.breve} – {self.ambito}"

    def url_modifica(self) -> str:
        """The form that changes this record (the checks link to it)."""
        return reverse("misure:assegnazionedgr_update", args=[self.pk])

    @property
    def impegnate(self) -> Decimal | None:
        if self.assegnate is None:
            return None
        return self.assegnate - self.spese_gestione
