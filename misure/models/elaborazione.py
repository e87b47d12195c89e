"""Work on a bando that runs in the background: the domande import, the
graduatoria, its publication, a large PDF of it for the office. The page polls
its progress from here."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .bando import Bando


class Elaborazione(models.Model):
    """One run of the domande import, the graduatoria, its publication or its
    PDF: who asked, how far it got, how it ended (with every bad row of a
    refused file)."""

    class Tipo(models.TextChoices):
        IMPORTAZIONE = "importazione", _("Importazione delle domande")
        GRADUATORIA = "graduatoria", _("Calcolo della graduatoria")
        # 20.000 rows make a 400-page PDF: minutes, not a request.
        PUBBLICAZIONE = "pubblicazione", _("Pubblicazione della graduatoria")
        # The office's PDF of rows changed since publication, when too long to
        # render within a request.
        PDF = "pdf", _("PDF della graduatoria")

    class Stato(models.TextChoices):
        IN_ATTESA = "in_attesa", _("In attesa")
        IN_CORSO = "in_corso", _("In corso")
        COMPLETATA = "completata", _("Completata")
        RIFIUTATA = "rifiutata", _("Rifiutata: il file contiene errori")
        FALLITA = "fallita", _("Interrotta da un errore imprevisto")

    CONCLUSE = {Stato.COMPLETATA, Stato.RIFIUTATA, Stato.FALLITA}

    bando = models.ForeignKey(
        Bando,
        on_delete=models.CASCADE,
        related_name="elaborazioni",
        verbose_name=_("bando"),
    )
    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    stato = models.CharField(
        _("stato"), max_length=20, choices=Stato.choices, default=Stato.IN_ATTESA
    )
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    creata_il = models.DateTimeField(_("richiesta il"), auto_now_add=True)
    conclusa_il = models.DateTimeField(_("conclusa il"), null=True, blank=True)
    nome_file = models.CharField(_("nome del file"), max_length=255, blank=True)
    # The applicants' file, kept only until the task has read it (personal data).
    contenuto = models.BinaryField(_("contenuto del file"), null=True, editable=False)
    progresso = models.PositiveSmallIntegerField(_("avanzamento (%)"), default=0)
    fase = models.CharField(_("fase"), max_length=120, blank=True)
    risultato = models.PositiveIntegerField(
        _("risultato"),
        null=True,
        blank=True,
        help_text=_(
            "Domande importate, ammesse in graduatoria, righe pubblicate o righe "
            "del PDF."
        ),
    )
    errori = models.JSONField(_("errori"), default=list, blank=True)
    motivo = models.TextField(
        _("motivo"), blank=True, help_text=_("Di una nuova pubblicazione.")
    )
    # A PDF composed in the background, and the SHA-256 of the rows it shows:
    # served again while the graduatoria has not changed (only the newest is kept).
    documento = models.BinaryField(_("documento"), null=True, editable=False)
    sha256 = models.CharField(_("impronta delle righe"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("elaborazione")
        verbose_name_plural = _("elaborazioni")
        ordering = ["-creata_il", "-pk"]
        indexes = [models.Index(fields=["bando", "-creata_il"])]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} – {self.bando}"

    def get_absolute_url(self) -> str:
        return reverse("misure:elaborazione_detail", args=[self.bando_id, self.pk])

    @property
    def conclusa(self) -> bool:
        return self.stato in self.CONCLUSE
