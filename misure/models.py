from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambiti.models import Ambito

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
            testo += f" del {self.data:%d/%m/%Y}"
        return testo


class AssegnazioneDgr(models.Model):
    """Riga del registro delle risorse di un atto per un ambito: assegnate, spese di
    gestione, erogate. Le impegnate sono assegnate − spese di gestione."""

    ambito = models.ForeignKey(
        Ambito, on_delete=models.PROTECT, related_name="assegnazioni_dgr"
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

    @property
    def impegnate(self) -> Decimal | None:
        if self.assegnate is None:
            return None
        return self.assegnate - self.spese_gestione


class Bando(models.Model):
    """Bando o avviso pubblico di sostegno all'affitto dell'ambito (misura unica o
    complementare). I bandi storici portano i totali; quelli gestiti nell'app li
    ricavano dalle domande."""

    class Misura(models.TextChoices):
        UNICA = "unica", _("Misura unica")
        COMPLEMENTARE = "complementare", _("Misura complementare")

    ambito = models.ForeignKey(Ambito, on_delete=models.PROTECT, related_name="bandi")
    titolo = models.CharField(_("titolo"), max_length=500)
    descrizione_breve = models.CharField(
        _("descrizione breve"),
        max_length=300,
        blank=True,
        help_text=_(
            "Come lo citano i prospetti DGR, es. «bando emanato per l'assegnazione "
            "delle "
            "risorse di cui alla DGR XI/6970 del 19/09/2022»."
        ),
    )
    misura = models.CharField(
        _("misura"), max_length=20, choices=Misura.choices, default=Misura.UNICA
    )
    data_pubblicazione = models.DateField(
        _("data di pubblicazione"), null=True, blank=True
    )
    data_scadenza = models.DateField(_("data di scadenza"), null=True, blank=True)
    importo = models.DecimalField(
        _("importo complessivo"), null=True, blank=True, **EURO
    )
    domande_pervenute = models.PositiveIntegerField(
        _("domande pervenute (bando storico)"), null=True, blank=True
    )
    domande_accolte = models.PositiveIntegerField(
        _("domande accolte (bando storico)"), null=True, blank=True
    )
    domande_finanziate = models.PositiveIntegerField(
        _("domande finanziate (bando storico)"), null=True, blank=True
    )
    importo_richiesto = models.DecimalField(
        _("importo complessivo richiesto"), null=True, blank=True, **EURO
    )
    data_rilevazione = models.DateField(
        _("data di rilevazione delle domande"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bando")
        verbose_name_plural = _("bandi")
        ordering = ["ambito", "data_pubblicazione"]
        constraints = [
            models.CheckConstraint(
                condition=Q(data_scadenza__isnull=True)
                | Q(data_pubblicazione__isnull=True)
                | Q(data_scadenza__gte=F("data_pubblicazione")),
                name="bando_scadenza_dopo_pubblicazione",
                violation_error_message=_(
                    "La scadenza non può precedere la data di pubblicazione."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.titolo

    # The plan's chapter 3 reads the counts only through these properties: for a
    # historical bando they are the printed totals; for a bando managed in the app
    # they are computed from its domande (rent-support issue).
    @property
    def n_pervenute(self) -> int | None:
        return self.domande_pervenute

    @property
    def n_accolte(self) -> int | None:
        return self.domande_accolte

    @property
    def n_finanziate(self) -> int | None:
        return self.domande_finanziate


class FonteFinanziamento(models.Model):
    """Una fonte di un bando: l'assegnazione di un atto e l'importo che vi destina.
    Le fonti si applicano in ordine nello scorrimento della graduatoria."""

    bando = models.ForeignKey(Bando, on_delete=models.CASCADE, related_name="fonti")
    assegnazione = models.ForeignKey(
        AssegnazioneDgr,
        verbose_name=_("risorse"),
        on_delete=models.PROTECT,
        related_name="fonti",
    )
    ordine = models.PositiveSmallIntegerField(_("ordine di scorrimento"), default=0)
    importo = models.DecimalField(_("importo destinato"), null=True, blank=True, **EURO)
    domande_finanziate = models.PositiveIntegerField(
        _("domande finanziate per intero (bando storico)"), null=True, blank=True
    )
    domande_parziali = models.PositiveIntegerField(
        _("domande finanziate in parte (bando storico)"), null=True, blank=True
    )
    nota_pervenute = models.CharField(
        _("nota alle domande pervenute"), max_length=400, blank=True
    )
    nota_finanziate = models.CharField(
        _("nota alle domande finanziate"), max_length=400, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fonte di finanziamento")
        verbose_name_plural = _("fonti di finanziamento")
        ordering = ["bando", "ordine"]
        constraints = [
            models.UniqueConstraint(
                fields=["bando", "assegnazione"],
                name="fonte_una_volta_per_bando",
                violation_error_message=_("Questa fonte è già indicata nel bando."),
            ),
            models.CheckConstraint(
                condition=Q(importo__isnull=True) | Q(importo__gte=0),
                name="fonte_importo_non_negativo",
                violation_error_message=_("L'importo non può essere negativo."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bando} ← {self.assegnazione.dgr.breve}"

    @property
    def n_finanziate(self) -> int | None:
        """Domande this source paid in full (see Bando.n_pervenute)."""
        return self.domande_finanziate

    @property
    def n_parziali(self) -> int | None:
        """Domande this source paid in part: a top-up of an earlier partial, or the
        one where it ran out."""
        return self.domande_parziali
