"""Regulation versions and document layouts."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import (
    PERCENTUALE,
)


class VersioneNormativa(models.Model):
    """Versione del regolamento regionale che fissa contenuto e lettere del piano
    annuale (R.R. 4/2017, come modificato dal R.R. 2/2025). Una nuova versione si
    aggiunge come dati (lettere, soglie) più i suoi template, senza toccare i modelli.
    """

    class BaseSat(models.TextChoices):
        PATRIMONIO_SAP = "patrimonio_sap", _("Patrimonio SAP dell'ambito")
        DISPONIBILI_ANNO = "disponibili_anno", _("Unità SAP disponibili nell'anno")

    codice = models.SlugField(_("codice"), max_length=40, unique=True)
    nome = models.CharField(_("denominazione"), max_length=200)
    in_vigore_dal = models.DateField(_("in vigore dal"))
    cartella_template = models.CharField(
        _("cartella dei template del documento"),
        max_length=100,
        help_text=_("Sotto templates/piani/documento/, es. «rr2025»."),
    )
    lettere = models.JSONField(
        _("lettere delle sezioni"),
        default=dict,
        help_text=_('Contenuto canonico → lettera stampata, es. {"turn_over": "e"}.'),
    )
    soglia_indigenti = models.DecimalField(
        _("soglia minima indigenti (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=PERCENTUALE,
    )
    tetto_art14 = models.DecimalField(
        _("tetto riserva art. 14 (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENTUALE,
    )
    tetto_forze_ordine = models.DecimalField(
        _("tetto quota forze dell'ordine (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=PERCENTUALE,
    )
    tetto_sat = models.DecimalField(
        _("tetto unità SAT (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=PERCENTUALE,
    )
    base_tetto_sat = models.CharField(
        _("base del tetto SAT"),
        max_length=20,
        choices=BaseSat.choices,
        default=BaseSat.PATRIMONIO_SAP,
    )

    class Meta:
        verbose_name = _("versione normativa")
        verbose_name_plural = _("versioni normative")
        ordering = ["-in_vigore_dal"]

    def __str__(self) -> str:
        return self.nome

    def natural_key(self) -> tuple[str]:
        return (self.codice,)

    def lettera(self, contenuto: str) -> str:
        """La lettera con cui questa versione stampa un contenuto ('' se non lo ha)."""
        return self.lettere.get(contenuto, "")


class ModelloDocumento(models.Model):
    """Impaginazione del documento del piano: lettere dei contenuti, cartella dei
    template e sezioni narrative previste (R.R. 2/2025; comunicato regionale
    n. 45/2019; i punti dell'art. 4 c. 3 del R.R. 4/2017). Distinta dalla versione
    normativa, che fissa tetti e soglie."""

    codice = models.SlugField(_("codice"), max_length=40, unique=True)
    nome = models.CharField(_("denominazione"), max_length=200)
    cartella_template = models.CharField(
        _("cartella dei template del documento"),
        max_length=100,
        help_text=_("Sotto templates/piani/documento/, es. «rr2025»."),
    )
    lettere = models.JSONField(
        _("lettere delle sezioni"),
        default=dict,
        help_text=_('Contenuto canonico → lettera stampata, es. {"turn_over": "e"}.'),
    )
    sezioni = models.JSONField(
        _("sezioni narrative"),
        default=list,
        help_text=_(
            "Le sezioni che l'impaginazione colloca, in ordine: "
            '[{"chiave": "premessa", "titolo": "Premessa", "iniziale": true}]. '
            "Quelle «iniziali» si creano nei piani nuovi da un testo di partenza."
        ),
    )
    normativa_codice = models.SlugField(
        _("versione normativa per cui è proposta"), max_length=40, blank=True
    )
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("impaginazione del documento")
        verbose_name_plural = _("impaginazioni del documento")
        ordering = ["ordine", "codice"]

    def __str__(self) -> str:
        return self.nome

    def natural_key(self) -> tuple[str]:
        return (self.codice,)

    def lettera(self, contenuto: str) -> str:
        """La lettera con cui questa impaginazione stampa un contenuto ('' se no)."""
        return self.lettere.get(contenuto, "")

    @property
    def chiavi(self) -> list[str]:
        return [voce["chiave"] for voce in self.sezioni]
