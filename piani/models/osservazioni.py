"""Reviewers' observations on a draft: the Assemblea's members read the plan
before the sitting and write what they would change; staff answer them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import DatoDelPiano
from .comunicazioni import Comunicazione
from .narrativa import Sezione
from .piano import PianoAnnuale


class Osservazione(DatoDelPiano):
    """Osservazione di un revisore su una bozza, riferita al piano nel suo insieme,
    a una sezione o alla riga di un ente; l'ufficio risponde e la chiude."""

    class Stato(models.TextChoices):
        APERTA = "aperta", _("Aperta")
        CHIUSA = "chiusa", _("Affrontata")

    piano = models.ForeignKey(
        PianoAnnuale,
        on_delete=models.CASCADE,
        related_name="osservazioni",
        verbose_name=_("piano"),
    )
    # SET_NULL: the observation outlives a section removed because of it.
    sezione = models.ForeignKey(
        Sezione,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="osservazioni",
        verbose_name=_("sezione"),
    )
    comunicazione = models.ForeignKey(
        Comunicazione,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="osservazioni",
        verbose_name=_("riga dell'ente"),
    )
    # What it referred to, in words, kept when the section or row goes away.
    riferimento = models.CharField(_("riferita a"), max_length=300)
    testo = models.TextField(_("osservazione"))
    autore = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("autore"),
    )
    creata_il = models.DateTimeField(_("scritta il"), auto_now_add=True)
    stato = models.CharField(
        _("stato"), max_length=10, choices=Stato.choices, default=Stato.APERTA
    )
    risposta = models.TextField(_("risposta dell'ufficio"), blank=True)
    risposta_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("risposta di"),
    )
    risposta_il = models.DateTimeField(_("risposta il"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("osservazione dei revisori")
        verbose_name_plural = _("osservazioni dei revisori")
        ordering = ["piano", "creata_il", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(testo=""),
                name="osservazione_con_testo",
                violation_error_message=_("Scrivere il testo dell'osservazione."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.riferimento}: {self.testo[:60]}"

    @property
    def aperta(self) -> bool:
        return self.stato == self.Stato.APERTA
