"""Controlli incrociati del piano annuale («anomalie», domain.md §5).

Un valore impossibile (un conteggio negativo, una percentuale oltre 100) è un errore
del modulo; un'incoerenza fra campi è un'anomalia: il piano la elenca, il PDF resta
«BOZZA» finché ce n'è una aperta, e per approvarlo ognuna va corretta o presa d'atto
con una motivazione scritta (`RiscontroAnomalia`, legato a `codice` + `oggetto`).

`anomalie_calcola(piano)` esegue sempre lo stesso numero di query, qualunque sia il
numero di enti e comuni: prima carica tutto, poi controlla in memoria.

Cosa si guarda: le comunicazioni e le decisioni del piano, i comuni dell'ambito e
la loro popolazione, i testi narrativi (`Sezione` e `SottosezioneStrategie`: nomi di
comuni dell'ambito scritti male, solo dove il contesto dice che sono comuni) e il
registro delle misure dell'ambito (tutte le sue `AssegnazioneDgr` e i suoi `Bando`).

Impostazione: ``PIANOCASA_TETTO_SPESE_GESTIONE`` (settings di Django, percentuale,
predefinita 10) è la quota massima delle risorse di una DGR regionale destinabile a
spese di gestione; oltre, l'anomalia ``spese_gestione``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ambiti.corrispondenze import Abbinatore, nomi_sospetti_nel_testo, normalizza
from ambiti.models import AmbitoComune, Comune, PopolazioneComune, SerieDemografica
from misure.models import AssegnazioneDgr, Bando, Dgr
from piani.models import (
    Comunicazione,
    DecisioneComune,
    PianoAnnuale,
    RiscontroAnomalia,
    VersioneNormativa,
)
from pianocasa.formati import data as data_it
from pianocasa.formati import euro, intero_o_zero, percentuale

__all__ = [
    "TETTO_SPESE_GESTIONE_PREDEFINITO",
    "Anomalia",
    "Codice",
    "anomalie_aperte",
    "anomalie_calcola",
    "tetto_spese_gestione",
]

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

    def __post_init__(self) -> None:
        self.codice = str(self.codice)  # il valore, non il membro di Codice

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


def anomalie_calcola(piano: PianoAnnuale) -> list[Anomalia]:
    """Tutte le anomalie del piano, in ordine stabile (per controllo, poi per ente
    o comune), ciascuna con la sua presa d'atto se c'è."""
    dati = _Dati(piano)
    anomalie: dict[tuple[str, str], Anomalia] = {}
    for controllo in _CONTROLLI:
        for anomalia in controllo(dati):
            anomalia.oggetto = anomalia.oggetto[:_LUNGHEZZA_OGGETTO]
            anomalie.setdefault(anomalia.chiave, anomalia)
    riscontri = {(r.codice, r.oggetto): r for r in dati.riscontri}
    for anomalia in anomalie.values():
        anomalia.riscontro = riscontri.get(anomalia.chiave)
    return list(anomalie.values())


def anomalie_aperte(piano: PianoAnnuale) -> list[Anomalia]:
    """Le anomalie non ancora prese d'atto."""
    return [a for a in anomalie_calcola(piano) if a.riscontro is None]


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
        self.popolazioni = list(
            PopolazioneComune.objects.filter(
                comune__appartenenze__ambito_id=piano.ambito_id
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
        modello="comunicazione",
        pk=c.pk,
    )


# --- controlli sulle comunicazioni degli enti -----------------------------------


_VOCI_ASSEGNABILI = (
    "carenza",
    "ristrutturazione",
    "nuova_edificazione",
    "turn_over",
    "privati",
)


def _voci_assegnabili(piano: PianoAnnuale) -> str:
    """Come l'impaginazione del piano chiama le voci che compongono il totale:
    «le voci da b) a f)» (R.R. 2/2025) o «le colonne della lettera b)» (R.R. 4/2017)."""
    lettere = list(dict.fromkeys(filter(None, map(piano.lettera, _VOCI_ASSEGNABILI))))
    if len(lettere) > 1:
        return str(
            _("le voci da %(prima)s) a %(ultima)s)")
            % {"prima": lettere[0], "ultima": lettere[-1]}
        )
    if lettere:
        return str(_("le colonne della lettera %(lettera)s)") % {"lettera": lettere[0]})
    return str(_("le singole voci"))


def _totale_assegnabili(dati: _Dati) -> Iterable[Anomalia]:
    voci = _voci_assegnabili(dati.piano)
    for c in dati.comunicazioni:
        if c.assegnabili_totale is None:
            continue
        if c.somma_assegnabili is None and c.assegnabili_totale:
            yield _dato_mancante(
                c,
                str(Codice.TOTALE_ASSEGNABILI.label),
                list(Comunicazione.CAMPI_ASSEGNABILI),
                "assegnabili_carenza",
            )
            continue
        somma = c.somma_assegnabili or 0
        if somma != c.assegnabili_totale:
            messaggio = _(
                "%(ente)s: il totale delle unità assegnabili comunicato è "
                "%(totale)s, ma %(voci)s sommano %(somma)s."
            ) % {
                "ente": c.ente.denominazione,
                "totale": intero_o_zero(c.assegnabili_totale),
                "voci": voci,
                "somma": intero_o_zero(somma),
            }
            yield _per_comunicazione(
                Codice.TOTALE_ASSEGNABILI,
                c,
                str(messaggio),
                "assegnabili_totale",
                totale=c.assegnabili_totale,
                somma=somma,
                carenza=c.assegnabili_carenza,
                ristrutturazione=c.assegnabili_ristrutturazione,
                nuova_edificazione=c.assegnabili_nuova_edificazione,
                turn_over=c.assegnabili_turnover,
                privati=c.assegnabili_privati,
            )


def _consistenza(dati: _Dati) -> Iterable[Anomalia]:
    for c in dati.comunicazioni:
        if c.alloggi_totali is None:
            continue
        somma = _somma([c.alloggi_sas, c.alloggi_sap, c.alloggi_altro])
        vuoti = [
            f
            for f in ("alloggi_sas", "alloggi_sap", "alloggi_altro")
            if getattr(c, f) is None and _nel_modello(dati, f)
        ]
        if somma != c.alloggi_totali and vuoti:
            yield _dato_mancante(c, str(Codice.CONSISTENZA.label), vuoti, vuoti[0])
            continue
        if somma != c.alloggi_totali:
            messaggio = _(
                "%(ente)s: gli alloggi complessivi sono %(totale)s, ma SAS, SAP e "
                "altro uso residenziale sommano %(somma)s."
            ) % {
                "ente": c.ente.denominazione,
                "totale": intero_o_zero(c.alloggi_totali),
                "somma": intero_o_zero(somma),
            }
            yield _per_comunicazione(
                Codice.CONSISTENZA,
                c,
                str(messaggio),
                "alloggi_totali",
                totale=c.alloggi_totali,
                somma=somma,
                sas=c.alloggi_sas,
                sap=c.alloggi_sap,
                altro=c.alloggi_altro,
            )


def _stato_sap(dati: _Dati) -> Iterable[Anomalia]:
    for c in dati.comunicazioni:
        stato = [getattr(c, campo) for campo in Comunicazione.CAMPI_STATO_SAP]
        if all(v is None for v in stato):
            continue  # stato del patrimonio non comunicato (es. piani R.R. 4/2017)
        somma = _somma(stato)
        if c.alloggi_sap is None:
            yield _dato_mancante(
                c, str(Codice.STATO_SAP.label), ["alloggi_sap"], "alloggi_sap"
            )
            continue
        if somma != (c.alloggi_sap or 0):
            messaggio = _(
                "%(ente)s: gli alloggi SAP sono %(sap)s, ma liberi, sfitti per "
                "carenze, sfitti per ristrutturazione e occupati sommano %(somma)s."
            ) % {
                "ente": c.ente.denominazione,
                "sap": intero_o_zero(c.alloggi_sap),
                "somma": intero_o_zero(somma),
            }
            yield _per_comunicazione(
                Codice.STATO_SAP,
                c,
                str(messaggio),
                "sap_occupati",
                sap=c.alloggi_sap,
                somma=somma,
                liberi=c.sap_liberi,
                carenze=c.sap_carenze,
                ristrutturazione=c.sap_ristrutturazione,
                occupati=c.sap_occupati,
            )


def _tetto_art14(dati: _Dati) -> Iterable[Anomalia]:
    tetto = dati.normativa.tetto_art14
    if tetto is None:
        return
    for c in dati.comunicazioni:
        if c.quota_art14 is not None and c.quota_art14 > tetto:
            messaggio = _(
                "%(ente)s: la quota riservata alle categorie dell'art. 14 è "
                "%(quota)s, oltre il tetto del %(tetto)s."
            ) % {
                "ente": c.ente.denominazione,
                "quota": percentuale(c.quota_art14),
                "tetto": percentuale(tetto),
            }
            yield _per_comunicazione(
                Codice.TETTO_ART14,
                c,
                str(messaggio),
                "quota_art14",
                quota=c.quota_art14,
                tetto=tetto,
            )


def _nessun_patrimonio_con_alloggi(dati: _Dati) -> Iterable[Anomalia]:
    for c in dati.comunicazioni:
        if c.esito != Comunicazione.Esito.NESSUN_PATRIMONIO:
            continue
        alloggi = max(
            c.alloggi_totali or 0,
            _somma([c.alloggi_sas, c.alloggi_sap, c.alloggi_altro]),
        )
        if alloggi > 0:
            messaggio = _(
                "%(ente)s certifica di non possedere patrimonio pubblico residenziale, "
                "ma indica %(alloggi)s alloggi."
            ) % {"ente": c.ente.denominazione, "alloggi": intero_o_zero(alloggi)}
            yield _per_comunicazione(
                Codice.NESSUN_PATRIMONIO_CON_ALLOGGI,
                c,
                str(messaggio),
                "esito",
                alloggi=alloggi,
                esito=c.esito,
            )


def _fuori_finestra(dati: _Dati) -> Iterable[Anomalia]:
    # Solo la piattaforma ha finestre: le lettere si protocollano anche dopo.
    if not dati.finestre:
        return
    finestre = ", ".join(
        f"{data_it(f.inizio)} – {data_it(f.fine)}" for f in dati.finestre
    )
    for c in dati.comunicazioni:
        if c.canale != Comunicazione.Canale.PIATTAFORMA or c.data is None:
            continue
        if any(f.inizio <= c.data <= f.fine for f in dati.finestre):
            continue
        messaggio = _(
            "%(ente)s: la comunicazione attraverso la piattaforma è datata "
            "%(data)s, fuori dalle finestre di raccolta (%(finestre)s)."
        ) % {
            "ente": c.ente.denominazione,
            "data": data_it(c.data),
            "finestre": finestre,
        }
        yield _per_comunicazione(
            Codice.FUORI_FINESTRA,
            c,
            str(messaggio),
            "data",
            data=c.data,
            finestre=[(f.inizio, f.fine) for f in dati.finestre],
        )


def _comunicazione_mancante(dati: _Dati) -> Iterable[Anomalia]:
    # Finché la raccolta è aperta una comunicazione può ancora arrivare.
    if dati.piano.stato in {
        PianoAnnuale.Stato.BOZZA,
        PianoAnnuale.Stato.RACCOLTA_APERTA,
    }:
        return
    for c in dati.comunicazioni:
        if not c.esito:
            messaggio = _(
                "%(ente)s non ha inviato la comunicazione e la raccolta è chiusa."
            ) % {"ente": c.ente.denominazione}
            yield _per_comunicazione(
                Codice.COMUNICAZIONE_MANCANTE,
                c,
                str(messaggio),
                "esito",
                stato_piano=dati.piano.stato,
            )
    # Un comune dell'ambito senza alcuna riga nel piano manca anch'esso.
    con_riga = {c.ente.comune_id for c in dati.comunicazioni if c.ente.comune_id}
    for appartenenza in dati.appartenenze:
        comune = appartenenza.comune
        if comune.pk in con_riga:
            continue
        ente = getattr(comune, "ente", None)
        nome = (
            ente.denominazione
            if ente
            else str(_("Comune di %(nome)s") % {"nome": comune.nome})
        )
        messaggio = _(
            "%(ente)s non ha inviato la comunicazione e la raccolta è chiusa."
        ) % {"ente": nome}
        yield Anomalia(
            codice=Codice.COMUNICAZIONE_MANCANTE,
            oggetto=nome,
            messaggio=str(messaggio),
            valori={"comune": comune.nome},
            campo="ente",
            modello="pianoannuale",
            pk=dati.piano.pk,
        )


# --- controlli sulle decisioni dei comuni e sul totale dell'ambito -------------


def _per_decisione(
    codice: str, d: DecisioneComune, messaggio: str, campo: str, **valori: Any
) -> Anomalia:
    return Anomalia(
        codice=codice,
        oggetto=d.comune.nome,
        messaggio=messaggio,
        valori=valori,
        campo=campo,
        modello="decisionecomune",
        pk=d.pk,
    )


def _tetto_forze_ordine(dati: _Dati) -> Iterable[Anomalia]:
    tetto = dati.normativa.tetto_forze_ordine
    for d in dati.decisioni:
        if d.quota_forze_ordine is None and d.quota_polizia_locale is None:
            continue
        quota = (d.quota_forze_ordine or Decimal(0)) + (
            d.quota_polizia_locale or Decimal(0)
        )
        if quota > tetto:
            messaggio = _(
                "%(comune)s: le quote per Forze di Polizia, Vigili del Fuoco, Forze "
                "Armate (art. 7 bis) e Polizia Locale (art. 7 ter) sommano "
                "%(quota)s, oltre il tetto del %(tetto)s."
            ) % {
                "comune": d.comune.nome,
                "quota": percentuale(quota),
                "tetto": percentuale(tetto),
            }
            yield _per_decisione(
                Codice.TETTO_FORZE_ORDINE,
                d,
                str(messaggio),
                "quota_forze_ordine",
                quota=quota,
                forze_ordine=d.quota_forze_ordine,
                polizia_locale=d.quota_polizia_locale,
                tetto=tetto,
            )


def _indigenti(dati: _Dati) -> Iterable[Anomalia]:
    soglia = dati.normativa.soglia_indigenti
    for d in dati.decisioni:
        if d.quota_indigenti is not None and d.quota_indigenti < soglia:
            messaggio = _(
                "%(comune)s: la quota per i nuclei in condizione di indigenza è "
                "%(quota)s, sotto la soglia di legge del %(soglia)s."
            ) % {
                "comune": d.comune.nome,
                "quota": percentuale(d.quota_indigenti),
                "soglia": percentuale(soglia),
            }
            yield _per_decisione(
                Codice.INDIGENTI,
                d,
                str(messaggio),
                "quota_indigenti",
                quota=d.quota_indigenti,
                soglia=soglia,
            )


def _tetto_sat(dati: _Dati) -> Iterable[Anomalia]:
    sat = _somma(c.unita_sat for c in dati.comunicazioni)
    if sat == 0:
        return
    tetto = dati.piano.tetto_sat_effettivo
    if dati.normativa.base_tetto_sat == VersioneNormativa.BaseSat.DISPONIBILI_ANNO:
        base = _somma(
            c.assegnabili_totale
            if c.assegnabili_totale is not None
            else c.somma_assegnabili
            for c in dati.comunicazioni
        )
        descrizione = _("unità SAP disponibili nell'anno")
    else:
        base = _somma(c.alloggi_sap for c in dati.comunicazioni)
        descrizione = _("alloggi SAP dell'ambito")
    quota = (Decimal(sat) * 100 / Decimal(base)) if base else None
    if quota is not None and quota <= tetto:
        return
    non_pervenute = [c for c in dati.comunicazioni if not c.esito]
    if non_pervenute:
        # The base lacks these enti: the ratio is not known yet.
        messaggio = _(
            "Il tetto delle unità SAT non si può verificare: mancano le "
            "comunicazioni di %(n)s enti (%(enti)s)."
        ) % {
            "n": len(non_pervenute),
            "enti": ", ".join(c.ente.denominazione for c in non_pervenute),
        }
        yield Anomalia(
            codice=Codice.DATO_MANCANTE,
            oggetto=f"{dati.ambito.nome} – {Codice.TETTO_SAT.label}",
            messaggio=str(messaggio),
            valori={"sat": sat, "base": base, "non_pervenute": len(non_pervenute)},
            campo="tetto_sat",
            modello="pianoannuale",
            pk=dati.piano.pk,
        )
        return
    messaggio = _(
        "Le unità destinate ai servizi abitativi transitori sono %(sat)s su "
        "%(base)s %(descrizione)s (%(quota)s), oltre il tetto del %(tetto)s."
    ) % {
        "sat": intero_o_zero(sat),
        "base": intero_o_zero(base),
        "descrizione": descrizione,
        "quota": percentuale(quota.quantize(Decimal("0.1"))) if quota else "—",
        "tetto": percentuale(tetto),
    }
    yield Anomalia(
        codice=Codice.TETTO_SAT,
        oggetto=dati.ambito.nome,
        messaggio=str(messaggio),
        valori={"sat": sat, "base": base, "quota": quota, "tetto": tetto},
        campo="tetto_sat",
        modello="pianoannuale",
        pk=dati.piano.pk,
    )


def _popolazione(dati: _Dati) -> Iterable[Anomalia]:
    somme: dict[date, int] = defaultdict(int)
    presenti: dict[date, set[int]] = defaultdict(set)
    for comune_id, giorno, popolazione in dati.popolazioni:
        somme[giorno] += popolazione
        presenti[giorno].add(comune_id)
    comuni = {a.comune_id for a in dati.appartenenze}
    for riga in dati.serie:
        if riga.data not in somme or somme[riga.data] == riga.popolazione:
            continue
        mancanti = sorted(
            a.comune.nome
            for a in dati.appartenenze
            if a.comune_id not in presenti[riga.data]
        )
        messaggio = _(
            "Al %(data)s la popolazione dei comuni somma %(somma)s abitanti, ma il "
            "totale dell'ambito è %(totale)s."
        ) % {
            "data": data_it(riga.data),
            "somma": intero_o_zero(somme[riga.data]),
            "totale": intero_o_zero(riga.popolazione),
        }
        if mancanti:
            messaggio = (
                str(messaggio)
                + " "
                + str(
                    _("Manca il dato di: %(comuni)s.") % {"comuni": ", ".join(mancanti)}
                )
            )
        yield Anomalia(
            codice=Codice.POPOLAZIONE,
            oggetto=data_it(riga.data),
            messaggio=str(messaggio),
            valori={
                "data": riga.data,
                "somma_comuni": somme[riga.data],
                "totale_ambito": riga.popolazione,
                "comuni": len(comuni),
                "comuni_mancanti": mancanti,
            },
            campo="popolazione",
            modello="seriedemografica",
            pk=riga.pk,
        )


# --- nomi scritti male -----------------------------------------------------------


def _nome_non_riconosciuto(dati: _Dati) -> Iterable[Anomalia]:
    enti = [c.ente for c in dati.comunicazioni]
    abbinatore_enti = Abbinatore.per_enti(enti)
    for c in dati.comunicazioni:
        ricevuta = c.denominazione_ricevuta.strip()
        if not ricevuta:
            continue
        ufficiali = {normalizza(n) for n in _nomi_ente(c.ente)}
        if normalizza(ricevuta) in ufficiali:
            continue
        corrispondenza = abbinatore_enti.trova(ricevuta)
        if corrispondenza.oggetto is c.ente:
            messaggio = corrispondenza.messaggio
        else:
            messaggio = str(
                _(
                    "«%(testo)s» non corrisponde al nome dell'ente a cui è attribuita "
                    "la comunicazione, «%(ente)s»."
                )
                % {"testo": ricevuta, "ente": c.ente.denominazione}
            )
        yield Anomalia(
            codice=Codice.NOME_NON_RICONOSCIUTO,
            oggetto=ricevuta,
            messaggio=messaggio,
            valori={
                "testo": ricevuta,
                "ente": c.ente.denominazione,
                "suggerimento": corrispondenza.suggerimento,
            },
            campo="denominazione_ricevuta",
            modello="comunicazione",
            pk=c.pk,
        )

    # Nelle sezioni narrative: nomi di comuni dell'ambito scritti male.
    abbinatore_comuni = Abbinatore.per_comuni(dati.comuni)
    testi: list[tuple[Any, str, str, str, str]] = [
        (s, "sezione", s.chiave, s.titolo or s.chiave, s.testo) for s in dati.sezioni
    ] + [
        (s, "sottosezionestrategie", str(s.pk), s.titolo, s.testo)
        for s in dati.sottosezioni
    ]
    trovati: dict[str, _NomeNelPiano] = {}
    for oggetto, modello, chiave, titolo, testo in testi:
        for nome in nomi_sospetti_nel_testo(testo, abbinatore_comuni):
            if nome.testo not in trovati:
                trovati[nome.testo] = _NomeNelPiano(
                    oggetto, modello, nome.corrispondenza.suggerimento
                )
            trovati[nome.testo].chiavi.append(chiave)
            trovati[nome.testo].titoli.append(titolo)
    if not trovati:
        return
    # Un nome che è quello di un altro comune lombardo (fuori dall'ambito) è giusto.
    altri = {
        normalizza(n)
        for n in Comune.objects.filter(
            reduce(or_, (Q(nome__iexact=t) for t in trovati))
        ).values_list("nome", flat=True)
    }
    for testo, trovato in trovati.items():
        if normalizza(testo) in altri:
            continue
        messaggio = _(
            "Nel testo del piano (%(sezioni)s) «%(testo)s» non corrisponde "
            "esattamente a nessun comune dell'ambito: forse «%(suggerimento)s»?"
        ) % {
            "sezioni": ", ".join(f"«{t}»" for t in trovato.titoli),
            "testo": testo,
            "suggerimento": trovato.suggerimento,
        }
        yield Anomalia(
            codice=Codice.NOME_NON_RICONOSCIUTO,
            oggetto=testo,
            messaggio=str(messaggio),
            valori={
                "testo": testo,
                "suggerimento": trovato.suggerimento,
                "sezioni": trovato.chiavi,
            },
            campo="testo",
            modello=trovato.modello,
            pk=trovato.oggetto.pk,
        )


@dataclass
class _NomeNelPiano:
    oggetto: Any
    modello: str
    suggerimento: str
    chiavi: list[str] = field(default_factory=list)
    titoli: list[str] = field(default_factory=list)


def _nomi_ente(ente: Any) -> list[str]:
    nomi = [ente.denominazione, ente.denominazione_breve]
    if ente.comune_id:
        nomi.append(ente.comune.nome)
    return [n for n in nomi if n]


# --- sostegno all'affitto (misure) -------------------------------------------------


def _spese_gestione(dati: _Dati) -> Iterable[Anomalia]:
    tetto = tetto_spese_gestione()
    for a in dati.assegnazioni:
        if a.dgr.fonte != Dgr.Fonte.REGIONALE or a.assegnate is None:
            continue
        if a.spese_gestione * 100 > a.assegnate * tetto:
            messaggio = _(
                "%(dgr)s: le spese di gestione (%(spese)s) superano il %(tetto)s delle "
                "risorse assegnate (%(assegnate)s)."
            ) % {
                "dgr": a.dgr.breve,
                "spese": euro(a.spese_gestione),
                "tetto": percentuale(tetto),
                "assegnate": euro(a.assegnate),
            }
            yield Anomalia(
                codice=Codice.SPESE_GESTIONE,
                oggetto=a.dgr.breve,
                messaggio=str(messaggio),
                valori={
                    "spese_gestione": a.spese_gestione,
                    "assegnate": a.assegnate,
                    "tetto": tetto,
                },
                campo="spese_gestione",
                modello="assegnazionedgr",
                pk=a.pk,
            )


def _erogate(dati: _Dati) -> Iterable[Anomalia]:
    for a in dati.assegnazioni:
        impegnate = a.impegnate
        if a.erogate is None or impegnate is None or a.erogate <= impegnate:
            continue
        messaggio = _(
            "%(dgr)s: le risorse erogate (%(erogate)s) superano le impegnate "
            "(%(impegnate)s)."
        ) % {
            "dgr": a.dgr.breve,
            "erogate": euro(a.erogate),
            "impegnate": euro(impegnate),
        }
        yield Anomalia(
            codice=Codice.EROGATE,
            oggetto=a.dgr.breve,
            messaggio=str(messaggio),
            valori={"erogate": a.erogate, "impegnate": impegnate},
            campo="erogate",
            modello="assegnazionedgr",
            pk=a.pk,
        )


def _fonti_bando(dati: _Dati) -> Iterable[Anomalia]:
    for bando in dati.bandi:
        fonti = list(bando.fonti.all())
        if bando.importo is None or not fonti:
            continue
        if any(f.importo is None for f in fonti):
            continue  # importi delle fonti non tutti noti: nulla da confrontare
        somma = sum((f.importo for f in fonti), Decimal(0))
        if somma == bando.importo:
            continue
        messaggio = _(
            "Bando «%(bando)s»: le fonti di finanziamento sommano %(somma)s, ma "
            "l'importo del bando è %(importo)s."
        ) % {
            "bando": bando.titolo,
            "somma": euro(somma),
            "importo": euro(bando.importo),
        }
        yield Anomalia(
            codice=Codice.FONTI_BANDO,
            oggetto=bando.titolo,
            messaggio=str(messaggio),
            valori={"somma_fonti": somma, "importo": bando.importo},
            campo="importo",
            modello="bando",
            pk=bando.pk,
        )


def _registro_diverso(dati: _Dati) -> Iterable[Anomalia]:
    """Consistenza e stato SAP comunicati che l'anagrafe importata non conferma
    (solo per gli enti che hanno alloggi nell'anagrafe)."""
    from .importazioni import registro_confronta

    per_pk = {c.pk: c for c in dati.comunicazioni}
    for d in registro_confronta(piano=dati.piano):
        anomalia = _per_comunicazione(
            Codice.REGISTRO_DIVERSO,
            per_pk[d.comunicazione_id],
            str(d.messaggio),
            d.campo,
            comunicato=d.comunicato,
            registro=d.registro,
        )
        # One anomalia per field: an ente may differ on several.
        anomalia.oggetto = f"{anomalia.oggetto} – {d.campo}"
        yield anomalia


def _totale_dichiarato(dati: _Dati) -> Iterable[Anomalia]:
    """An ambito-level total entered from the source, against the sum of the
    arrived per-ente rows when there are any."""
    pervenute = [c for c in dati.comunicazioni if c.esito]
    non_pervenute = len(dati.comunicazioni) - len(pervenute)
    for t in dati.totali_dichiarati:
        valori = [getattr(c, t.contenuto) for c in pervenute]
        valori = [v for v in valori if v is not None]
        if not valori or sum(valori) == t.valore:
            continue
        messaggio = _(
            "%(contenuto)s: il totale dichiarato dell'ambito è %(totale)s, ma gli "
            "enti sommano %(somma)s."
        ) % {
            "contenuto": t.get_contenuto_display(),
            "totale": intero_o_zero(t.valore),
            "somma": intero_o_zero(sum(valori)),
        }
        if non_pervenute:
            messaggio = f"{messaggio} " + str(
                _("Mancano le comunicazioni di %(n)s enti.") % {"n": non_pervenute}
            )
        yield Anomalia(
            codice=Codice.TOTALE_DICHIARATO,
            oggetto=str(t.get_contenuto_display()),
            messaggio=str(messaggio),
            valori={"dichiarato": t.valore, "somma": sum(valori)},
            campo="valore",
            modello="totaledichiarato",
            pk=t.pk,
        )


_CONTROLLI: list[Callable[[_Dati], Iterable[Anomalia]]] = [
    _comunicazione_mancante,
    _fuori_finestra,
    _nome_non_riconosciuto,
    _nessun_patrimonio_con_alloggi,
    _consistenza,
    _stato_sap,
    _registro_diverso,
    _totale_assegnabili,
    _tetto_art14,
    _indigenti,
    _tetto_forze_ordine,
    _tetto_sat,
    _totale_dichiarato,
    _popolazione,
    _spese_gestione,
    _erogate,
    _fonti_bando,
]
