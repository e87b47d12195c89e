"""The annual plan, its transitions, its approved versions and the
acknowledged anomalies."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambiti.models import Ambito
from pianocasa.versioni import versione_avanza

from .base import (
    CAMPI_DEL_CICLO,
    PERCENTUALE,
    DatoDelPiano,
    _percentuale_valida,
    documento_dopo_modifica,
    in_transazione,
    piano_blocca_e_verifica,
)
from .normativa import ModelloDocumento, VersioneNormativa


class PianoAnnuale(models.Model):
    """Piano Annuale dell'Offerta Abitativa di un ambito (L.R. 16/2016 art. 6 c. 3;
    R.R. 4/2017 art. 4), approvato dall'Assemblea dei Sindaci."""

    class Stato(models.TextChoices):
        BOZZA = "bozza", _("Bozza")
        RACCOLTA_APERTA = "raccolta_aperta", _("Raccolta aperta")
        RACCOLTA_CHIUSA = "raccolta_chiusa", _("Raccolta chiusa")
        APPROVATO = "approvato", _("Approvato")
        PUBBLICATO = "pubblicato", _("Pubblicato")

    ambito = models.ForeignKey(
        Ambito,
        on_delete=models.PROTECT,
        related_name="piani",
        verbose_name=_("ambito territoriale"),
    )
    anno = models.PositiveSmallIntegerField(
        _("anno"), validators=[MinValueValidator(2017), MaxValueValidator(2100)]
    )
    normativa = models.ForeignKey(
        VersioneNormativa,
        verbose_name=_("versione normativa"),
        on_delete=models.PROTECT,
        related_name="piani",
    )
    modello = models.ForeignKey(
        ModelloDocumento,
        verbose_name=_("impaginazione del documento"),
        on_delete=models.PROTECT,
        related_name="piani",
        null=True,
        blank=True,
        help_text=_("Vuota: quella della cartella della versione normativa."),
    )
    id_piattaforma = models.CharField(
        _("ID procedimento sulla piattaforma regionale"), max_length=30, blank=True
    )
    stato = models.CharField(
        _("stato"), max_length=20, choices=Stato.choices, default=Stato.BOZZA
    )
    revisione = models.PositiveSmallIntegerField(
        _("revisione"),
        default=0,
        help_text=_("0 finché non è approvato; ogni approvazione la incrementa."),
    )
    organo_approvazione = models.CharField(
        _("organo che approva"),
        max_length=200,
        blank=True,
        default="Assemblea dei Sindaci",
    )
    data_approvazione = models.DateField(_("data della seduta"), null=True, blank=True)
    luogo_approvazione = models.CharField(
        _("luogo della seduta"), max_length=120, blank=True
    )
    tetto_sat = models.DecimalField(
        _("tetto unità SAT (%) per questo piano"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENTUALE,
        help_text=_("Vuoto: quello della versione normativa."),
    )
    # One fact of the plan (piani/popolazione.py): proposed at creation, changed
    # only by staff, so that newer ISTAT data never change an existing plan.
    data_popolazione = models.DateField(
        _("data di riferimento della popolazione"),
        null=True,
        blank=True,
        help_text=_(
            "La popolazione dei comuni che il piano stampa e confronta. Proposta: "
            "la più recente al 1° gennaio dell'anno precedente al piano."
        ),
    )
    versione = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("versione del record")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("piano annuale")
        verbose_name_plural = _("piani annuali")
        ordering = ["ambito", "-anno"]
        constraints = [
            models.UniqueConstraint(
                fields=["ambito", "anno"],
                name="un_piano_per_ambito_e_anno",
                violation_error_message=_(
                    "Esiste già un piano per questo ambito e anno."
                ),
            ),
            _percentuale_valida("tetto_sat"),
        ]

    def __str__(self) -> str:
        return f"Piano annuale {self.anno} – {self.ambito.nome}"

    def save(self, *args, **kwargs):
        campi = kwargs.get("update_fields")
        solo_ciclo = campi is not None and set(campi) <= CAMPI_DEL_CICLO
        if self._state.adding and self.data_popolazione is None:
            from ..popolazione import data_popolazione_proposta

            self.data_popolazione = data_popolazione_proposta(
                ambito_id=self.ambito_id, anno=self.anno
            )
        with in_transazione():
            # The lifecycle services hold the row lock already.
            if self.pk and not solo_ciclo:
                piano_blocca_e_verifica(self.pk)
            versione_avanza(self, kwargs)
            super().save(*args, **kwargs)
        documento_dopo_modifica(self.pk)

    def delete(self, *args, **kwargs):
        with in_transazione():
            piano_blocca_e_verifica(self.pk)
            return super().delete(*args, **kwargs)

    def url_modifica(self) -> str:
        """The form that changes this record (the checks link to it)."""
        return reverse("piani:piano_update", args=[self.pk])

    @property
    def impaginazione(self) -> ModelloDocumento | None:
        """The plan's layout; plans made before layouts existed (or by hand) use
        the one whose templates are the regulation version's."""
        if self.modello_id:
            return self.modello
        if not hasattr(self, "_impaginazione"):
            self._impaginazione = ModelloDocumento.objects.filter(
                cartella_template=self.normativa.cartella_template
            ).first()
        return self._impaginazione

    def lettera(self, contenuto: str) -> str:
        """The letter the plan's document prints for a canonical content."""
        impaginazione = self.impaginazione
        if impaginazione is not None:
            return impaginazione.lettera(contenuto)
        return self.normativa.lettera(contenuto)

    @property
    def tetto_sat_effettivo(self) -> Decimal:
        return (
            self.tetto_sat if self.tetto_sat is not None else self.normativa.tetto_sat
        )

    @property
    def modificabile(self) -> bool:
        """Approvato o pubblicato, il piano è congelato: si corregge per revisione."""
        return self.stato not in {self.Stato.APPROVATO, self.Stato.PUBBLICATO}


class RiscontroAnomalia(DatoDelPiano):
    """Presa d'atto motivata di un'anomalia: chi, quando e perché la si accetta."""

    piano = models.ForeignKey(
        PianoAnnuale,
        on_delete=models.CASCADE,
        related_name="riscontri",
        verbose_name=_("piano"),
    )
    codice = models.CharField(_("codice anomalia"), max_length=40)
    oggetto = models.CharField(
        _("oggetto"), max_length=200, help_text=_("Ente, comune o sezione interessati.")
    )
    motivazione = models.TextField(_("motivazione"))
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("utente"),
    )
    creato_il = models.DateTimeField(_("registrato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("presa d'atto di anomalia")
        verbose_name_plural = _("prese d'atto di anomalie")
        ordering = ["piano", "creato_il"]
        constraints = [
            models.UniqueConstraint(
                fields=["piano", "codice", "oggetto"],
                name="un_riscontro_per_anomalia",
                violation_error_message=_(
                    "Questa anomalia è già stata presa in carico."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(motivazione=""),
                name="riscontro_con_motivazione",
                violation_error_message=_("Serve una motivazione scritta."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.codice} {self.oggetto}"

    @property
    def titolo(self) -> str:
        """The check's Italian label, not its code."""
        from ..anomalie import Codice  # the checks build on the models

        try:
            return str(Codice(self.codice).label)
        except ValueError:
            return self.codice


class Transizione(models.Model):
    """Passaggio di stato di un piano (bozza → raccolta → approvazione →
    pubblicazione), con chi lo ha fatto, quando e perché."""

    piano = models.ForeignKey(
        PianoAnnuale,
        on_delete=models.CASCADE,
        related_name="transizioni",
        verbose_name=_("piano"),
    )
    da_stato = models.CharField(
        _("da"), max_length=20, choices=PianoAnnuale.Stato.choices
    )
    a_stato = models.CharField(
        _("a"), max_length=20, choices=PianoAnnuale.Stato.choices
    )
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("utente"),
    )
    avvenuta_il = models.DateTimeField(_("avvenuta il"), auto_now_add=True)
    nota = models.TextField(_("nota"), blank=True)

    class Meta:
        verbose_name = _("transizione di stato")
        verbose_name_plural = _("transizioni di stato")
        ordering = ["piano", "avvenuta_il", "pk"]

    def __str__(self) -> str:
        return f"{self.da_stato} → {self.a_stato}"


def _percorso_documento(istanza: "VersioneApprovata", nome: str) -> str:
    piano = istanza.piano
    return f"piani/{piano.ambito.slug}/{piano.anno}/rev{istanza.revisione}/{nome}"


class VersioneApprovata(models.Model):
    """Documento approvato dall'Assemblea dei Sindaci, congelato: il PDF come
    generato e l'istantanea JSON dei dati, ciascuno con il suo SHA-256."""

    piano = models.ForeignKey(
        PianoAnnuale,
        on_delete=models.PROTECT,
        related_name="versioni_approvate",
        verbose_name=_("piano"),
    )
    revisione = models.PositiveSmallIntegerField(_("revisione"))
    organo = models.CharField(_("organo"), max_length=200)
    data_seduta = models.DateField(_("data della seduta"))
    luogo_seduta = models.CharField(_("luogo della seduta"), max_length=120)
    pdf = models.FileField(_("documento PDF"), upload_to=_percorso_documento)
    sha256_pdf = models.CharField(max_length=64, verbose_name=_("SHA-256 del PDF"))
    istantanea = models.FileField(
        _("istantanea dei dati"), upload_to=_percorso_documento
    )
    sha256_istantanea = models.CharField(
        max_length=64, verbose_name=_("SHA-256 dell'istantanea")
    )
    motivo_revisione = models.TextField(_("motivo della revisione"), blank=True)
    # The reviewers' observations still open when the Assemblea approved.
    osservazioni_aperte = models.PositiveIntegerField(
        _("osservazioni ancora aperte all'approvazione"), default=0
    )
    approvata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrata da"),
    )
    registrata_il = models.DateTimeField(_("registrata il"), auto_now_add=True)

    class Meta:
        verbose_name = _("versione approvata")
        verbose_name_plural = _("versioni approvate")
        ordering = ["piano", "revisione"]
        constraints = [
            models.UniqueConstraint(
                fields=["piano", "revisione"], name="una_versione_per_revisione"
            )
        ]

    def __str__(self) -> str:
        return f"{self.piano} – revisione {self.revisione}"
