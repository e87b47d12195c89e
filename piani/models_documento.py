"""The plan's PDF kept ready: one row per plan, with the fingerprint of what made
the stored file (``piani.documento_cache``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def _percorso_cache(istanza: "DocumentoInCache", nome: str) -> str:
    return f"piani/cache/{istanza.piano_id}/{nome}"


class DocumentoInCache(models.Model):
    """PDF del documento di un piano non ancora approvato, generato in background
    dopo ogni modifica e servito finché i dati non cambiano."""

    class Stato(models.TextChoices):
        IN_CODA = "in_coda", _("In coda")
        IN_CORSO = "in_corso", _("In preparazione")
        PRONTO = "pronto", _("Pronto")
        ERRORE = "errore", _("Errore")

    piano = models.OneToOneField(
        "piani.PianoAnnuale",
        on_delete=models.CASCADE,
        related_name="documento_in_cache",
        verbose_name=_("piano"),
    )
    stato = models.CharField(
        _("stato"), max_length=10, choices=Stato.choices, default=Stato.IN_CODA
    )
    impronta = models.CharField(
        _("impronta dei dati e dei modelli"), max_length=64, blank=True
    )
    pdf = models.FileField(_("documento PDF"), upload_to=_percorso_cache, blank=True)
    richiesto_il = models.DateTimeField(_("richiesto il"), null=True, blank=True)
    generato_il = models.DateTimeField(_("generato il"), null=True, blank=True)
    durata_ms = models.PositiveIntegerField(
        _("durata della generazione (ms)"), null=True, blank=True
    )
    errore = models.TextField(_("errore"), blank=True)

    class Meta:
        verbose_name = _("documento pronto")
        verbose_name_plural = _("documenti pronti")

    def __str__(self) -> str:
        return f"{self.piano_id}: {self.get_stato_display()}"
