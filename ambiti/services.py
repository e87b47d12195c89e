"""Servizi dell'app ambiti: dati di riferimento dei comuni."""

import csv
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ambiti.models import Comune

COMUNI_CSV = Path(settings.BASE_DIR) / "fixtures" / "comuni_lombardia.csv"
_CAMPI_AGGIORNATI = [
    "nome",
    "provincia",
    "sigla_provincia",
    "regione",
    "superficie_kmq",
]


def _comune_da_riga(riga: dict[str, str]) -> Comune:
    superficie = (riga.get("superficie_kmq") or "").strip()
    return Comune(
        codice_istat=riga["codice_istat"].strip().zfill(6),
        nome=riga["nome"].strip(),
        provincia=riga["provincia"].strip(),
        sigla_provincia=riga["sigla_provincia"].strip(),
        regione=riga.get("regione", "").strip() or "Lombardia",
        superficie_kmq=Decimal(superficie) if superficie else None,
    )


def comuni_carica(*, percorso: str | Path | None = None) -> int:
    """Carica (o aggiorna) i comuni dall'elenco ISTAT in CSV, per codice ISTAT.

    Idempotente: una seconda esecuzione non crea nulla e lascia i valori uguali.
    Restituisce il numero di comuni presenti nel file.
    """
    with open(percorso or COMUNI_CSV, encoding="utf-8", newline="") as handle:
        comuni = [_comune_da_riga(riga) for riga in csv.DictReader(handle)]
    with transaction.atomic():
        # Un solo upsert in blocco: 1.502 righe in una manciata di query.
        Comune.objects.bulk_create(
            comuni,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["codice_istat"],
            update_fields=_CAMPI_AGGIORNATI,
        )
    return len(comuni)
