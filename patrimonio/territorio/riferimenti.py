"""I dati di riferimento per creare un ambito: comuni ISTAT, ATS e le cinque ALER."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ambiti.services import ats_carica, comuni_carica
from patrimonio.models import EnteProprietario

ALER_CSV = Path(settings.BASE_DIR) / "fixtures" / "aler_lombardia.csv"


def aler_carica(*, percorso: str | Path | None = None) -> int:
    """Le cinque ALER lombarde con le province servite, per denominazione (la
    stessa dei piani d'esempio: nessun doppione); idempotente."""
    with open(percorso or ALER_CSV, encoding="utf-8", newline="") as handle:
        righe = list(csv.DictReader(handle))
    with transaction.atomic():
        for riga in righe:
            valori = {
                "tipo": EnteProprietario.Tipo.ALER,
                "denominazione_breve": riga["denominazione_breve"].strip(),
                "sigle_province": riga["sigle_province"].replace(" ", ""),
            }
            ente = EnteProprietario.objects.filter(
                denominazione=riga["denominazione"].strip()
            ).first()
            if ente is None:
                EnteProprietario.objects.create(
                    denominazione=riga["denominazione"].strip(), **valori
                )
            elif any(getattr(ente, k) != v for k, v in valori.items()):
                for k, v in valori.items():
                    setattr(ente, k, v)
                ente.save(update_fields=list(valori))
    return len(righe)


def riferimenti_carica() -> dict[str, int]:
    """Comuni ISTAT, ATS e ALER: tutto ciò che serve a creare un ambito."""
    with transaction.atomic():
        return {
            "comuni": comuni_carica(),
            "ats": ats_carica(),
            "aler": aler_carica(),
        }
