"""Le fondamenta dei controlli: codici, l'anomalia, i dati del piano caricati una
volta e i piccoli aiuti comuni a più famiglie di controlli."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ambiti.models import AmbitoComune, Comune, PopolazioneComune, SerieDemografica
from misure.models import AssegnazioneDgr, Bando

from ..models import (
    Comunicazione,
    DecisioneComune,
    PianoAnnuale,
    RiscontroAnomalia,
    VersioneNormativa,
)
from ..popolazione import data_popolazione_del_piano

TETTO_SPESE_GESTIONE_PREDEFINITO = Decimal("10")
_LUNGHEZZA_OGGETTO = RiscontroAnomalia._meta.get_field("oggetto").max_length


def tetto_spese_gestione() -> Decimal:
    """Percentuale massima di spese di gestione su una DGR regionale, da
    ``settings.PIANOCASA_TETTO_SPESE_GESTIONE`` (predefinita 10)."""
    valore = getattr(settings, "PIANOCASA_TETTO_SPESE_GESTIONE", None)
    if valore is None:
        return TETTO_SPESE_GESTIONE_PREDEFINITO
    return Decimal(str(valore))


class Codice(models.TextChoices):
    """Codici stabili delle anomalie: restano in `RiscontroAnomalia.codice`."""

    TOTALE_ASSEGNABILI = "totale_assegnabili", _("Totale assegnabili diverso da b)–f)")
    CONSISTENZA = "consistenza", _("Consistenza: SAS + SAP + altro ≠ totale")
    STATO_SAP = "stato_sap", _("Stato del patrimonio SAP ≠ alloggi SAP")
    TETTO_ART14 = "tetto_art14", _("Riserva art. 14 oltre il tetto")
    TETTO_FORZE_ORDINE = (
        "tetto_forze_ordine",
        _("Quota forze dell'ordine oltre il tetto"),
    )
    TETTO_SAT = "tetto_sat", _("Unità SAT oltre il tetto")
    INDIGENTI = "indigenti", _("Quota indigenti sotto la soglia di legge")
    COMUNICAZIONE_MANCANTE = "comunicazione_mancante", _("Comunicazione mancante")
    NESSUN_PATRIMONIO_CON_ALLOGGI = (
        "nessun_patrimonio_con_alloggi",
        _("Certifica di non avere patrimonio ma indica alloggi"),
    )
    FUORI_FINESTRA = (
        "fuori_finestra",
        _("Comunicazione fuori dalle finestre di raccolta"),
    )
    NOME_NON_RICONOSCIUTO = "nome_non_riconosciuto", _("Nome non riconosciuto")
    POPOLAZIONE = "popolazione", _("Popolazione dei comuni ≠ totale dell'ambito")
    SPESE_GESTIONE = "spese_gestione", _("Spese di gestione oltre il tetto")
    EROGATE = "erogate", _("Risorse erogate oltre le impegnate")
    REGISTRO_DIVERSO = (
        "registro_diverso",
        _("Dato comunicato diverso dall'anagrafe del patrimonio"),
    )
    FONTI_BANDO = "fonti_bando", _("Fonti del bando ≠ importo del bando")
    # A check that needs a value not communicated: it says so instead of firing
    # on a fake 0. Like every anomalia it is fixed or acknowledged before approval.
    DATO_MANCANTE = "dato_mancante", _("Dato mancante: controllo non eseguibile")
    TOTALE_DICHIARATO = (
        "totale_dichiarato",
        _("Totale dichiarato dell'ambito ≠ somma degli enti"),
    )


@dataclass
class Anomalia:
    """Un'incoerenza del piano: cosa (`codice`), dove (`oggetto`, chiave testuale
    stabile: l'ente, il comune, l'atto, il nome scritto male), il messaggio, i
    valori coinvolti e il campo da correggere (`modello`, `pk`, `campo`)."""

    codice: str
    oggetto: str
    messaggio: str
    valori: dict[str, Any] = field(default_factory=dict)
    campo: str = ""
    modello: str = ""
    pk: int | None = None
    riscontro: RiscontroAnomalia | None = None
    # The record to fix: ``modello`` and ``pk`` come from it, the link from its
    # ``url_modifica()``, never from a guessed URL name.
    record: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.codice = str(self.codice)  # il valore, non il membro di Codice
        if self.record is not None:
            self.modello = type(self.record).__name__.lower()
            self.pk = self.record.pk

    @property
    def url(self) -> str | None:
        """The form that fixes it, anchored to the field when it is a form."""
        url_modifica = getattr(self.record, "url_modifica", None)
        if url_modifica is None:
            return None
        indirizzo = url_modifica()
        if self.campo and "#" not in indirizzo:
            indirizzo += f"#id_{self.campo}"
        return indirizzo

    @property
    def chiave(self) -> tuple[str, str]:
        return (self.codice, self.oggetto)

    @property
    def aperta(self) -> bool:
        return self.riscontro is None

    @property
    def titolo(self) -> str:
        try:
            return str(Codice(self.codice).label)
        except ValueError:
            return self.codice


# --- dati del piano, caricati una volta -----------------------------------------


class _Dati:
    """Tutto ciò che serve ai controlli, in un numero fisso di query."""

    def __init__(self, piano: PianoAnnuale) -> None:
        self.piano = piano
        self.normativa: VersioneNormativa = piano.normativa
        self.ambito = piano.ambito
        self.comunicazioni: list[Comunicazione] = list(
            piano.comunicazioni.select_related("ente", "ente__comune").order_by(
                "ente__denominazione", "pk"
            )
        )
        self.appartenenze: list[AmbitoComune] = list(
            AmbitoComune.objects.filter(ambito_id=piano.ambito_id)
            .select_related("comune", "comune__ente")
            .order_by("comune__nome", "pk")
        )
        self.decisioni: list[DecisioneComune] = list(
            piano.decisioni.select_related("comune").order_by("comune__nome", "pk")
        )
        self.finestre = list(piano.finestre.order_by("inizio"))
        self.sezioni = list(piano.sezioni.order_by("ordine", "pk"))
        self.sottosezioni = list(piano.sottosezioni_strategie.order_by("ordine", "pk"))
        # Up to the plan's reference date: newer ISTAT data do not change the
        # checks of an existing plan (piani/popolazione.py).
        giorno = data_popolazione_del_piano(piano)
        self.popolazioni = list(
            PopolazioneComune.objects.filter(
                comune__appartenenze__ambito_id=piano.ambito_id,
                **({"data__lte": giorno} if giorno else {}),
            ).values_list("comune_id", "data", "popolazione")
        )
        self.serie = list(
            SerieDemografica.objects.filter(ambito_id=piano.ambito_id).order_by("anno")
        )
        self.assegnazioni: list[AssegnazioneDgr] = list(
            AssegnazioneDgr.objects.filter(ambito_id=piano.ambito_id)
            .select_related("dgr")
            .order_by("dgr__anno", "dgr__numero", "pk")
        )
        self.bandi: list[Bando] = list(
            Bando.objects.filter(ambito_id=piano.ambito_id)
            .prefetch_related("fonti")
            .order_by("data_pubblicazione", "pk")
        )
        self.riscontri = list(piano.riscontri.all())
        self.totali_dichiarati = list(piano.totali_dichiarati.all())

    @property
    def comuni(self) -> list[Comune]:
        return [a.comune for a in self.appartenenze]


def _somma(valori: Iterable[int | None]) -> int:
    return sum(v or 0 for v in valori)


def _nel_modello(dati: _Dati, campo: str) -> bool:
    """Whether the plan's layout has this figure: some ente gives it. Seed 002
    has no «altro» column: its None is no missing value."""
    return any(getattr(c, campo) is not None for c in dati.comunicazioni)


def _dato_mancante(
    c: Comunicazione, controllo: str, campi: list[str], campo: str
) -> Anomalia:
    etichette = ", ".join(
        str(Comunicazione._meta.get_field(f).verbose_name) for f in campi
    )
    messaggio = _(
        "%(ente)s: manca il dato «%(campi)s», quindi il controllo «%(controllo)s» "
        "non si può eseguire."
    ) % {"ente": c.ente.denominazione, "campi": etichette, "controllo": controllo}
    anomalia = _per_comunicazione(
        Codice.DATO_MANCANTE, c, str(messaggio), campo, campi=campi
    )
    # One per ente and check: an ente may lack data for several.
    anomalia.oggetto = f"{anomalia.oggetto} – {controllo}"
    return anomalia


def _per_comunicazione(
    codice: str, c: Comunicazione, messaggio: str, campo: str, **valori: Any
) -> Anomalia:
    return Anomalia(
        codice=codice,
        oggetto=c.ente.denominazione,
        messaggio=messaggio,
        valori=valori,
        campo=campo,
        record=c,
    )
