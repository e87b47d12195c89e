"""Document context: the enti's comunicazioni, their orders, totals and the
units assignable in the year (chapter 2)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _l

from patrimonio.models import EnteProprietario

from .. import grafici
from ..models import Comunicazione, PianoAnnuale, TotaleDichiarato
from .aiuti import mancanti, nome_breve, positivo, soggetto, somma

# What the declared total counts, as the sentence names it.
UNITA_DICHIARATE = {
    TotaleDichiarato.Contenuto.ALLOGGI_TOTALI: _l("alloggi"),
    TotaleDichiarato.Contenuto.ALLOGGI_SAS: _l("alloggi SAS"),
    TotaleDichiarato.Contenuto.ALLOGGI_SAP: _l("alloggi SAP"),
    TotaleDichiarato.Contenuto.ALLOGGI_ALTRO: _l("alloggi ad altro uso residenziale"),
    TotaleDichiarato.Contenuto.ASSEGNABILI_TOTALE: _l(
        "unità abitative assegnabili nell'anno"
    ),
    TotaleDichiarato.Contenuto.UNITA_SAT: _l("unità destinate ai servizi transitori"),
    TotaleDichiarato.Contenuto.ASSEGNATE_ANNO_PRECEDENTE: _l(
        "unità SAP assegnate l'anno precedente"
    ),
}
# The document section that prints each content.
SEZIONE_DICHIARATI = {
    "alloggi_totali": "consistenza",
    "alloggi_sas": "consistenza",
    "alloggi_sap": "consistenza",
    "alloggi_altro": "consistenza",
    "assegnabili_totale": "totale",
    "unita_sat": "sat",
    "assegnate_anno_precedente": "assegnate_anno_precedente",
}
# Rows of the «assegnabili» tables: document key → field of the comunicazione.
CAMPI_ASSEGNABILI = {
    "carenza": "assegnabili_carenza",
    "ristrutturazione": "assegnabili_ristrutturazione",
    "nuova_edificazione": "assegnabili_nuova_edificazione",
    "turn_over": "assegnabili_turnover",
    "privati": "assegnabili_privati",
    "totale": "assegnabili_totale",
    "sat": "unita_sat",
    "assegnate_anno_precedente": "assegnate_anno_precedente",
}


def dichiarati(
    piano: PianoAnnuale, totali: dict[str, int | None]
) -> dict[str, list[dict[str, Any]]]:
    """Declared ambito totals to print, by section: only where no arrived
    comunicazione gives the figure (with rows, the check compares them)."""
    per_sezione: dict[str, list[dict[str, Any]]] = {
        sezione: [] for sezione in SEZIONE_DICHIARATI.values()
    }
    for t in piano.totali_dichiarati.all():
        if totali.get(t.contenuto) is not None:
            continue
        per_sezione[SEZIONE_DICHIARATI[t.contenuto]].append(
            {"valore": t.valore, "unita": UNITA_DICHIARATE[t.contenuto], "nota": t.nota}
        )
    return per_sezione


def _comunicazioni(piano: PianoAnnuale) -> list[Comunicazione]:
    """The plan's comunicazioni, each with the names the document prints."""
    comunicazioni = list(piano.comunicazioni.select_related("ente__comune"))
    for c in comunicazioni:
        c.nome_ufficiale = c.ente.denominazione
        c.nome_breve = nome_breve(c.ente)
        c.soggetto = soggetto(c)
        # The older lettering prints c) and d) in one column.
        c.assegnabili_ristrutturazione_e_nuove = somma(
            [c], "assegnabili_ristrutturazione", "assegnabili_nuova_edificazione"
        )
    return comunicazioni


def _elenchi(comunicazioni: list[Comunicazione]) -> dict[str, list]:
    """Orders (docs/architettura.md) and groups by outcome."""
    per_nome = sorted(comunicazioni, key=lambda c: c.nome_ufficiale.upper())
    per_elenco = sorted(
        comunicazioni,
        key=lambda c: (c.ente.comune_id is None, c.ente.nome_per_elenco.upper()),
    )
    nessun_patrimonio = [
        c for c in per_elenco if c.esito == Comunicazione.Esito.NESSUN_PATRIMONIO
    ]
    return {
        "per_nome": per_nome,
        "per_elenco": per_elenco,
        # stable: the name order holds inside each group
        "per_consistenza": sorted(
            per_nome, key=lambda c: not positivo(c.alloggi_totali)
        ),
        "per_sap": sorted(per_nome, key=lambda c: -(c.alloggi_sap or 0)),
        "con_dati": [c for c in per_elenco if c.esito == Comunicazione.Esito.DATI],
        "pervenute": [c for c in comunicazioni if c.esito],
        "nessun_patrimonio": nessun_patrimonio,
        "nessun_patrimonio_protocollo": [
            c for c in nessun_patrimonio if c.canale != Comunicazione.Canale.PIATTAFORMA
        ],
        "nessun_patrimonio_piattaforma": [
            c for c in nessun_patrimonio if c.canale == Comunicazione.Canale.PIATTAFORMA
        ],
        "non_disponibilita": [
            c for c in per_elenco if c.esito == Comunicazione.Esito.NON_DISPONIBILITA
        ],
    }


def _totali(pervenute: list[Comunicazione]) -> dict[str, int | None]:
    # Only arrived comunicazioni count: a row not yet arrived may hold last
    # year's stock carried forward, to be confirmed, not communicated.
    totali = {campo: somma(pervenute, campo) for campo in Comunicazione.CAMPI_NUMERICI}
    totali["assegnabili_ristrutturazione_e_nuove"] = somma(
        pervenute, "assegnabili_ristrutturazione_e_nuove"
    )
    return totali


def _assegnabili(per_nome: list, totali: dict[str, int | None]) -> dict[str, Any]:
    """For each letter, the enti with a positive figure and the total."""

    def con_valore(campo: str) -> dict[str, Any]:
        righe = [
            {"c": c, "valore": getattr(c, campo)}
            for c in per_nome
            if positivo(getattr(c, campo))
        ]
        return {"righe": righe, "totale": totali[campo]}

    assegnabili: dict[str, Any] = {
        chiave: con_valore(campo) for chiave, campo in CAMPI_ASSEGNABILI.items()
    }
    assegnabili["art14"] = [
        c for c in per_nome if positivo(c.quota_art14) or c.categorie_art14
    ]
    return assegnabili


def contesto_patrimonio(piano: PianoAnnuale) -> dict[str, Any]:
    """Comunicazioni, counts, totals (with what each lacks) and assignable units."""
    comunicazioni = _comunicazioni(piano)
    elenchi = _elenchi(comunicazioni)
    per_elenco, pervenute = elenchi["per_elenco"], elenchi["pervenute"]
    totali = _totali(pervenute)
    return {
        "comunicazioni": elenchi,
        "conteggi": {
            "enti": len(comunicazioni),
            "comuni": sum(
                1 for c in comunicazioni if c.ente.tipo == EnteProprietario.Tipo.COMUNE
            ),
            "pervenute": len(pervenute),
            "con_dati": len(elenchi["con_dati"]),
            "nessun_patrimonio": len(elenchi["nessun_patrimonio"]),
        },
        "altri_enti": [
            c for c in per_elenco if c.ente.tipo != EnteProprietario.Tipo.COMUNE
        ],
        "totali": totali,
        # A missing value is never summed as 0: each total says how many enti it lacks.
        "mancanti": mancanti(comunicazioni, [*totali]),
        "dichiarati": dichiarati(piano, totali),
        "non_pervenute": [c for c in per_elenco if not c.esito],
        "assegnabili": _assegnabili(elenchi["per_nome"], totali),
        "grafico_sap": (
            grafici.svg_patrimonio_del_piano(piano, elenchi["per_sap"])
            if any(c.alloggi_sap for c in elenchi["per_sap"])
            else ""
        ),
    }
