"""The per-comune decisions of the plan."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambiti.models import Comune

from .base import (
    PERCENTUALE,
    DatoDelPiano,
    _percentuale_valida,
)
from .piano import PianoAnnuale


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

    def url_modifica(self) -> str:
        """The form that changes this record (the checks link to it)."""
        return reverse("piani:decisione_update", args=[self.pk])
