"""The plan's texts: narrative sections, Ethos surveys, strategy subsections and
their DGR blocks."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import (
    DatoDelPiano,
)
from .piano import PianoAnnuale


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

    def url_modifica(self) -> str:
        """The form that changes this record (the checks link to it)."""
        return reverse("piani:sezione_update", args=[self.pk])


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

    def url_modifica(self) -> str:
        """The form that changes this record (the checks link to it)."""
        return reverse("piani:sottosezione_update", args=[self.pk])


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
