"""Anagrafe → piano: consistenza e stato SAP per ente e per comune."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from ambiti.models import Comune
from patrimonio.models import Alloggio, EnteProprietario, Servizio, StatoAlloggio

CAMPI_REGISTRO = (
    "alloggi_totali",
    "alloggi_sas",
    "alloggi_sap",
    "alloggi_altro",
    "sap_liberi",
    "sap_carenze",
    "sap_ristrutturazione",
    "sap_occupati",
)
_STATO_CAMPO = {
    StatoAlloggio.LIBERO: "sap_liberi",
    StatoAlloggio.CARENZA: "sap_carenze",
    StatoAlloggio.RISTRUTTURAZIONE: "sap_ristrutturazione",
    StatoAlloggio.OCCUPATO: "sap_occupati",
}


@dataclass
class RigaRegistro:
    """Consistenza e stato del patrimonio SAP di un ente (o di un comune) secondo
    l'anagrafe, nei comuni dell'ambito del piano."""

    oggetto: Any
    valori: dict[str, int]

    @property
    def celle(self) -> list[int]:
        """I valori nell'ordine delle colonne (CAMPI_REGISTRO)."""
        return [self.valori[c] for c in CAMPI_REGISTRO]


@dataclass
class TabellaRegistro:
    per_ente: list[RigaRegistro]
    per_comune: list[RigaRegistro]


def _vuoti() -> dict[str, int]:
    return dict.fromkeys(CAMPI_REGISTRO, 0)


def registro_calcola(*, piano) -> TabellaRegistro:
    """Le tabelle a) e dello stato SAP calcolate dall'anagrafe, per ente e per
    comune, sugli alloggi nei comuni dell'ambito del piano. Le unità SAT si contano
    nel SAP (sono alloggi SAP destinati al servizio transitorio)."""
    conteggi = (
        Alloggio.objects.filter(comune__appartenenze__ambito=piano.ambito)
        .values_list("ente_id", "comune_id", "servizio", "stato")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_ente: dict[int, dict[str, int]] = defaultdict(_vuoti)
    per_comune: dict[int, dict[str, int]] = defaultdict(_vuoti)
    for ente_id, comune_id, servizio, stato, n in conteggi:
        for destinazione in (per_ente[ente_id], per_comune[comune_id]):
            destinazione["alloggi_totali"] += n
            if servizio in (Servizio.SAP, Servizio.SAT):
                destinazione["alloggi_sap"] += n
                destinazione[_STATO_CAMPO[stato]] += n
            elif servizio == Servizio.SAS:
                destinazione["alloggi_sas"] += n
            else:
                destinazione["alloggi_altro"] += n
    enti = EnteProprietario.objects.in_bulk(list(per_ente))
    comuni = Comune.objects.in_bulk(list(per_comune))
    return TabellaRegistro(
        per_ente=sorted(
            (RigaRegistro(enti[k], v) for k, v in per_ente.items()),
            key=lambda r: (-r.valori["alloggi_sap"], r.oggetto.denominazione),
        ),
        per_comune=sorted(
            (RigaRegistro(comuni[k], v) for k, v in per_comune.items()),
            key=lambda r: r.oggetto.nome,
        ),
    )
