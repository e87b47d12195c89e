"""Bandi, their funding sources and their scoring criteria."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambiti.models import Ambito
from pianocasa.versioni import versione_avanza

from .dgr import EURO, AssegnazioneDgr


def _conta(queryset, campo: str) -> Coalesce:
    """A correlated COUNT as a subquery (no GROUP BY on the outer query, so it
    composes with select_for_update and with other annotations)."""
    sub = (
        queryset.order_by()
        .annotate(_gruppo=Value(1))
        .values("_gruppo")
        .annotate(n=Count(campo, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(sub, output_field=models.IntegerField()), 0)


class BandoQuerySet(models.QuerySet):
    def con_conteggi(self) -> "BandoQuerySet":
        from .domanda import Domanda, Erogazione  # they point at the bando

        domande = Domanda.objects.filter(bando=OuterRef("pk"))
        return self.annotate(
            conteggio_pervenute=_conta(domande, "pk"),
            conteggio_accolte=_conta(domande.filter(esito=Domanda.Esito.AMMESSA), "pk"),
            conteggio_finanziate=_conta(
                Erogazione.objects.filter(domanda__bando=OuterRef("pk")), "domanda"
            ),
        )

    def graduatoria_pubblicata(self) -> "BandoQuerySet":
        """Bandi managed in the app whose graduatoria the staff published."""
        return self.filter(
            gestito=True,
            versione_graduatoria__gt=0,
            graduatoria_pubblicata_il__isnull=False,
        )


class FonteQuerySet(models.QuerySet):
    def con_conteggi(self) -> "FonteQuerySet":
        from .domanda import Erogazione  # it points at the source

        erogazioni = Erogazione.objects.filter(fonte=OuterRef("pk"))
        return self.annotate(
            bando_gestito=F("bando__gestito"),
            conteggio_finanziate=_conta(
                erogazioni.filter(importo__gte=F("domanda__contributo")), "domanda"
            ),
            conteggio_parziali=_conta(
                erogazioni.filter(importo__lt=F("domanda__contributo")), "domanda"
            ),
        )


class Bando(models.Model):
    """Bando o avviso pubblico di sostegno all'affitto dell'ambito (misura unica o
    complementare). I bandi storici portano i totali; quelli gestiti nell'app li
    ricavano dalle domande."""

    class Misura(models.TextChoices):
        UNICA = "unica", _("Misura unica")
        COMPLEMENTARE = "complementare", _("Misura complementare")

    ambito = models.ForeignKey(
        Ambito,
        on_delete=models.PROTECT,
        related_name="bandi",
        verbose_name=_("ambito territoriale"),
    )
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
    # --- bandi gestiti nell'app: domande, requisiti, contributo, punteggi ---
    gestito = models.BooleanField(
        _("domande gestite in pianocasa"),
        default=False,
        help_text=_(
            "Se attivo, i conteggi del piano si ricavano dalle domande e dallo "
            "scorrimento; altrimenti si usano i totali del bando storico."
        ),
    )
    finalita = models.CharField(
        _("finalità (misura complementare)"), max_length=300, blank=True
    )
    isee_massimo = models.DecimalField(_("ISEE massimo"), null=True, blank=True, **EURO)
    richiede_residenza_ambito = models.BooleanField(
        _("residenza in un comune dell'ambito"), default=True
    )
    richiede_contratto_registrato = models.BooleanField(
        _("contratto di locazione registrato"), default=True
    )
    mesi_minimi_alloggio = models.PositiveSmallIntegerField(
        _("mesi minimi di residenza nell'alloggio"), null=True, blank=True
    )
    esclude_inquilini_sap_sat = models.BooleanField(
        _("esclusi gli inquilini SAP/SAT"), default=True
    )
    altri_contributi_dal = models.DateField(
        _("esclusi altri contributi per l'alloggio percepiti dal"),
        null=True,
        blank=True,
    )
    richiede_procedura_rilascio = models.BooleanField(
        _("richiesta una procedura di sfratto o pignoramento"), default=False
    )
    contributo_mensilita = models.PositiveSmallIntegerField(
        _("mensilità di canone riconosciute"), null=True, blank=True
    )
    contributo_massimo = models.DecimalField(
        _("contributo massimo per domanda"), null=True, blank=True, **EURO
    )
    spareggio = models.CharField(
        _("criterio di spareggio"),
        max_length=20,
        choices=[
            ("isee_protocollo", _("ISEE più basso, poi protocollo anteriore")),
            ("protocollo", _("protocollo anteriore")),
        ],
        default="isee_protocollo",
    )
    versione_graduatoria = models.PositiveIntegerField(
        _("versione della graduatoria"), default=0, editable=False
    )
    # The staff's decision to publish the graduatoria on the ambito's public page
    # (set and cleared only by services.graduatoria_pubblica_imposta).
    graduatoria_pubblicata_il = models.DateTimeField(
        _("graduatoria pubblicata il"), null=True, blank=True, editable=False
    )
    graduatoria_pubblicata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("graduatoria pubblicata da"),
    )
    # Optimistic locking (pianocasa.versioni): every save moves it on.
    versione = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("versione del record")
    )
    history = HistoricalRecords()

    objects = BandoQuerySet.as_manager()

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

    def save(self, *args, **kwargs):
        versione_avanza(self, kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("misure:bando_detail", args=[self.pk])

    def url_modifica(self) -> str:
        """The form that changes this record (the checks link to it)."""
        return reverse("misure:bando_update", args=[self.pk])

    # The plan's chapter 3 reads the counts only through these properties: for a
    # historical bando they are the printed totals; for a bando managed in the app
    # they are computed from its domande. ``Bando.objects.con_conteggi()``
    # annotates them (one query for any number of bandi); without it a managed
    # bando costs one query the first time.
    @property
    def n_pervenute(self) -> int | None:
        if not self.gestito:
            return self.domande_pervenute
        return self._conteggio("pervenute")

    @property
    def n_accolte(self) -> int | None:
        if not self.gestito:
            return self.domande_accolte
        return self._conteggio("accolte")

    @property
    def n_finanziate(self) -> int | None:
        if not self.gestito:
            return self.domande_finanziate
        return self._conteggio("finanziate")

    def _conteggio(self, nome: str) -> int:
        annotato = getattr(self, f"conteggio_{nome}", None)
        if annotato is not None:
            return annotato
        if "_conteggi" not in self.__dict__:
            riga = (
                Bando.objects.con_conteggi()
                .filter(pk=self.pk)
                .values(
                    "conteggio_pervenute", "conteggio_accolte", "conteggio_finanziate"
                )[0]
            )
            self.__dict__["_conteggi"] = riga
        return self.__dict__["_conteggi"][f"conteggio_{nome}"]

    @property
    def graduatoria_pubblicabile(self) -> bool:
        """A graduatoria exists to publish: a managed bando, computed at least once."""
        return self.gestito and self.versione_graduatoria > 0

    @property
    def graduatoria_pubblicata(self) -> bool:
        return (
            self.graduatoria_pubblicabile and self.graduatoria_pubblicata_il is not None
        )

    def conteggi_fonti(self) -> dict[int, tuple[int, int]]:
        """{fonte id: (finanziate per intero, in parte)}, one query, cached."""
        if "_conteggi_fonti" not in self.__dict__:
            self.__dict__["_conteggi_fonti"] = {
                r["pk"]: (r["conteggio_finanziate"], r["conteggio_parziali"])
                for r in FonteFinanziamento.objects.filter(bando=self)
                .con_conteggi()
                .values("pk", "conteggio_finanziate", "conteggio_parziali")
            }
        return self.__dict__["_conteggi_fonti"]


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

    objects = FonteQuerySet.as_manager()

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
        if not self._gestito():
            return self.domande_finanziate
        return self._conteggio(0)

    @property
    def n_parziali(self) -> int | None:
        """Domande this source paid in part: a top-up of an earlier partial, or the
        one where it ran out."""
        if not self._gestito():
            return self.domande_parziali
        return self._conteggio(1)

    def _gestito(self) -> bool:
        # con_conteggi() annotates it, so a plain list of fonti costs no query
        annotato = getattr(self, "bando_gestito", None)
        return self.bando.gestito if annotato is None else annotato

    def _conteggio(self, indice: int) -> int:
        nome = ("conteggio_finanziate", "conteggio_parziali")[indice]
        annotato = getattr(self, nome, None)
        if annotato is not None:
            return annotato
        return self.bando.conteggi_fonti().get(self.pk, (0, 0))[indice]


class CriterioPunteggio(models.Model):
    """Criterio di punteggio di un bando con il suo peso (es. seed 002: età del
    richiedente, componenti del nucleo, presenza di minori, valore ISEE)."""

    class Criterio(models.TextChoices):
        ETA = "eta", _("età del richiedente (almeno «soglia» anni)")
        COMPONENTI = "componenti", _("componenti del nucleo (fino a «soglia»)")
        MINORI = "minori", _("minori nel nucleo (fino a «soglia»)")
        ISEE = "isee", _("ISEE (più basso, più punti)")

    # Defaults of «soglia» when left blank.
    SOGLIE = {"eta": 65, "componenti": 6, "minori": 4}

    bando = models.ForeignKey(Bando, on_delete=models.CASCADE, related_name="criteri")
    criterio = models.CharField(_("criterio"), max_length=20, choices=Criterio.choices)
    peso = models.DecimalField(
        _("peso"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    soglia = models.PositiveSmallIntegerField(_("soglia"), null=True, blank=True)
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterio di punteggio")
        verbose_name_plural = _("criteri di punteggio")
        ordering = ["bando", "ordine", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bando", "criterio"],
                name="criterio_una_volta_per_bando",
                violation_error_message=_("Il criterio è già indicato nel bando."),
            ),
            models.CheckConstraint(
                condition=Q(peso__gte=0),
                name="criterio_peso_non_negativo",
                violation_error_message=_("Il peso non può essere negativo."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_criterio_display()} × {self.peso}"


codice_fiscale_validator = RegexValidator(
    r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z]"
    r"[0-9LMNPQRSTUV]{3}[A-Z]$",
    _("Codice fiscale non valido."),
)
