"""Controlli sui tetti: riserva art. 14, forze dell'ordine, indigenti, servizi
abitativi transitori."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from pianocasa.formati import intero_o_zero, percentuale

from ..models import (
    DecisioneComune,
    VersioneNormativa,
)
from .base import (
    Anomalia,
    Codice,
    _Dati,
    _per_comunicazione,
    _somma,
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


def _per_decisione(
    codice: str, d: DecisioneComune, messaggio: str, campo: str, **valori: Any
) -> Anomalia:
    return Anomalia(
        codice=codice,
        oggetto=d.comune.nome,
        messaggio=messaggio,
        valori=valori,
        campo=campo,
        record=d,
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
            record=dati.piano,
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
        record=dati.piano,
    )
