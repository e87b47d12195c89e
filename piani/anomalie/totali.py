"""Controlli sui totali: le voci che compongono un totale, la consistenza, lo
stato SAP, l'anagrafe, i totali dichiarati dell'ambito e la popolazione."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext_lazy as _

from pianocasa.formati import data as data_it
from pianocasa.formati import intero_o_zero

from ..models import (
    Comunicazione,
    PianoAnnuale,
)
from .base import (
    Anomalia,
    Codice,
    _Dati,
    _dato_mancante,
    _nel_modello,
    _per_comunicazione,
    _somma,
)

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
            record=riga,
        )


def _registro_diverso(dati: _Dati) -> Iterable[Anomalia]:
    """Consistenza e stato SAP comunicati che l'anagrafe importata non conferma
    (solo per gli enti che hanno alloggi nell'anagrafe)."""
    from ..importazioni import registro_confronta

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
            record=t,
        )
