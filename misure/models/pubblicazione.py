"""A graduatoria as published: the public rows frozen with their hash, and the
PDF and XLSX stored at publication (citizens download them, nothing renders for
them). A correction is a new publication with its reason."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .bando import Bando


def _percorso(istanza: "GraduatoriaPubblicata", nome: str) -> str:
    bando = istanza.bando
    return f"graduatorie/{bando.ambito.slug}/{bando.pk}/{nome}"


class GraduatoriaPubblicata(models.Model):
    """Pubblicazione di una graduatoria: le righe pubbliche (protocollo,
    posizione, punteggio, esito, importo: nessun dato personale) congelate con
    il loro SHA-256, il PDF e l'XLSX come pubblicati."""

    bando = models.ForeignKey(
        Bando,
        on_delete=models.PROTECT,
        related_name="pubblicazioni",
        verbose_name=_("bando"),
    )
    versione_graduatoria = models.PositiveIntegerField(_("versione della graduatoria"))
    righe = models.JSONField(_("righe pubblicate"))
    sha256 = models.CharField(_("SHA-256 delle righe"), max_length=64)
    pdf = models.FileField(_("PDF"), upload_to=_percorso)
    sha256_pdf = models.CharField(_("SHA-256 del PDF"), max_length=64)
    xlsx = models.FileField(_("XLSX"), upload_to=_percorso)
    sha256_xlsx = models.CharField(_("SHA-256 dell'XLSX"), max_length=64)
    pubblicata_il = models.DateTimeField(_("pubblicata il"), auto_now_add=True)
    pubblicata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("pubblicata da"),
    )
    motivo = models.TextField(_("motivo della nuova pubblicazione"), blank=True)

    class Meta:
        verbose_name = _("graduatoria pubblicata")
        verbose_name_plural = _("graduatorie pubblicate")
        ordering = ["bando", "-pubblicata_il", "-pk"]

    def __str__(self) -> str:
        return f"{self.bando} – {self.pubblicata_il:%d/%m/%Y %H:%M}"
