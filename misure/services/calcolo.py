"""The pure functions of rent support: eligibility, score, contribution, the funding
run's allocation on plain numbers (tested on many generated cases)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _t

from pianocasa.formati import data as data_it
from pianocasa.formati import euro

from ..models import (
    Bando,
    CriterioPunteggio,
    Domanda,
)

CENTESIMO = Decimal("0.01")
ZERO = Decimal("0.00")
# Reference ISEE for the ISEE criterion when the bando sets no cap.
ISEE_RIFERIMENTO = Decimal("26000")


def _cent(valore: Decimal) -> Decimal:
    return valore.quantize(CENTESIMO, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------
# Pure functions
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Quota:
    """A share of an application's contribution paid by one source (indices into
    the ranked contributions and the ordered sources)."""

    domanda: int
    fonte: int
    importo: Decimal


def scorrimento_ripartisci(
    *, contributi: Sequence[Decimal], disponibilita: Sequence[Decimal]
) -> list[Quota]:
    """Pour the sources, in order, down the ranked list of contributions.

    Each source pays from the first application not yet fully funded; when it
    runs out, that application stays partial and the next source first completes
    it. At most one application ends partial: the lowest-ranked funded one.
    """
    quote: list[Quota] = []
    i = 0
    residuo_domanda = contributi[0] if contributi else ZERO
    for f, disponibile in enumerate(disponibilita):
        while disponibile > 0 and i < len(contributi):
            if residuo_domanda <= 0:
                # nothing due (should not happen for admitted domande): skip it
                i += 1
                residuo_domanda = contributi[i] if i < len(contributi) else ZERO
                continue
            pagato = min(disponibile, residuo_domanda)
            quote.append(Quota(i, f, pagato))
            disponibile -= pagato
            residuo_domanda -= pagato
            if residuo_domanda == 0:
                i += 1
                residuo_domanda = contributi[i] if i < len(contributi) else ZERO
    return quote


def contributo_calcola(
    *, canone_mensile: Decimal, mensilita: int | None, massimo: Decimal | None
) -> Decimal:
    """Months × rent, up to the cap, to the cent (e.g. 10 months, at most 3.600)."""
    if mensilita:
        importo = canone_mensile * mensilita
    elif massimo is not None:
        importo = massimo
    else:
        importo = canone_mensile
    if massimo is not None:
        importo = min(importo, massimo)
    return _cent(importo)


def eta_calcola(nascita: date, al: date) -> int:
    return al.year - nascita.year - ((al.month, al.day) < (nascita.month, nascita.day))


def requisiti_verifica(
    *, domanda: Domanda, bando: Bando, comuni_ambito: set[int]
) -> list[str]:
    """The reasons for excluding the domanda; empty if it is admitted."""
    motivi: list[str] = []
    if bando.isee_massimo is not None and domanda.isee > bando.isee_massimo:
        motivi.append(
            _t("ISEE %(isee)s superiore al limite di %(tetto)s")
            % {"isee": euro(domanda.isee), "tetto": euro(bando.isee_massimo)}
        )
    if (
        bando.richiede_residenza_ambito
        and domanda.comune_residenza_id not in comuni_ambito
    ):
        motivi.append(_t("Residenza in un comune che non appartiene all'ambito"))
    if bando.richiede_contratto_registrato and not domanda.contratto_registrato:
        motivi.append(_t("Contratto di locazione non registrato"))
    if (
        bando.mesi_minimi_alloggio
        and domanda.mesi_alloggio < bando.mesi_minimi_alloggio
    ):
        motivi.append(
            _t("Residenza nell'alloggio da %(mesi)d mesi, ne sono richiesti %(minimo)d")
            % {"mesi": domanda.mesi_alloggio, "minimo": bando.mesi_minimi_alloggio}
        )
    if bando.esclude_inquilini_sap_sat and domanda.inquilino_sap_sat:
        motivi.append(_t("Inquilino di un alloggio SAP o SAT"))
    if (
        bando.altri_contributi_dal
        and domanda.altri_contributi_data
        and domanda.altri_contributi_data >= bando.altri_contributi_dal
    ):
        motivi.append(
            _t("Altro contributo per l'alloggio percepito dopo il %(data)s")
            % {"data": data_it(bando.altri_contributi_dal)}
        )
    if (
        bando.richiede_procedura_rilascio
        and domanda.procedura == Domanda.Procedura.NESSUNA
    ):
        motivi.append(_t("Nessuna procedura di sfratto o pignoramento in corso"))
    if domanda.canone_mensile <= 0:
        motivi.append(_t("Canone mensile nullo: nessun contributo spettante"))
    return motivi


def punteggio_calcola(
    *, domanda: Domanda, criteri: Iterable[CriterioPunteggio], bando: Bando
) -> Decimal:
    """Σ peso × fattore: età ≥ soglia → 1; componenti e minori contati fino
    alla soglia; ISEE → (riferimento − ISEE) / riferimento, mai negativo."""
    al = bando.data_scadenza or domanda.data_protocollo
    totale = Decimal("0")
    for criterio in criteri:
        soglia = criterio.soglia or CriterioPunteggio.SOGLIE.get(criterio.criterio, 0)
        match criterio.criterio:
            case CriterioPunteggio.Criterio.ETA:
                fattore = Decimal(int(eta_calcola(domanda.data_nascita, al) >= soglia))
            case CriterioPunteggio.Criterio.COMPONENTI:
                fattore = Decimal(min(domanda.componenti, soglia))
            case CriterioPunteggio.Criterio.MINORI:
                fattore = Decimal(min(domanda.minori, soglia))
            case CriterioPunteggio.Criterio.ISEE:
                riferimento = bando.isee_massimo or ISEE_RIFERIMENTO
                fattore = max(Decimal("0"), (riferimento - domanda.isee) / riferimento)
            case _:
                fattore = Decimal("0")
        totale += criterio.peso * fattore
    return _cent(totale)


def _protocollo_chiave(protocollo: str) -> tuple:
    # «99» before «100»: compare the digits as numbers
    cifre = "".join(c for c in protocollo if c.isdigit())
    return (int(cifre) if cifre else 0, protocollo)


def graduatoria_chiave(domanda: Domanda, spareggio: str) -> tuple:
    """Higher score first; ties by lower ISEE (if chosen), then earlier protocol."""
    chiave: tuple = (-domanda.punteggio,)
    if spareggio == "isee_protocollo":
        chiave += (domanda.isee,)
    return chiave + (
        domanda.data_protocollo,
        _protocollo_chiave(domanda.protocollo),
        domanda.pk or 0,
    )
