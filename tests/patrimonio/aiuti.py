"""Dati e file di prova per le importazioni.

Le fixture non dipendono dai piani d'esempio: caricano i comuni ISTAT e creano gli
enti che servono (idempotenti, convivono con ``carica_esempi``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from ambiti.models import Comune
from ambiti.services import comuni_carica
from patrimonio.models import EnteProprietario

INTESTAZIONI_ALLOGGI = [
    "Codice alloggio",
    "Ente proprietario",
    "Codice ISTAT comune",
    "Indirizzo",
    "Civico",
    "Piano",
    "Superficie (m²)",
    "Vani",
    "Servizio",
    "Stato",
    "Anno di costruzione",
    "Ultimo aggiornamento",
]
ALER = "ALER Bergamo - Lecco - Sondrio"
# Comuni dell'Alta Valle Seriana (seed 000): ISTAT di Clusone, Ardesio, Parre.
ISTAT = {"Clusone": "016077", "Ardesio": "016012", "Parre": "016158"}
STATI = ["libero", "occupato", "Sfitto per carenze manutentive", "ristrutturazione"]
SERVIZI = ["SAP", "SAP", "SAS", "altro", "SAT"]


@pytest.fixture
def anagrafe_base(db) -> dict[str, EnteProprietario]:
    """I comuni ISTAT, l'ALER e gli enti di tre comuni."""
    if Comune.objects.count() < 1500:
        comuni_carica()
    enti = {}
    for nome, codice in ISTAT.items():
        comune = Comune.objects.get(codice_istat=codice)
        enti[nome], _ = EnteProprietario.objects.get_or_create(
            comune=comune,
            defaults={"tipo": "comune", "denominazione": f"Comune di {comune.nome}"},
        )
    aler = EnteProprietario.objects.filter(
        tipo="aler", denominazione__icontains="bergamo"
    ).first()
    if aler is None:
        aler = EnteProprietario.objects.create(tipo="aler", denominazione=ALER)
    enti["ALER"] = aler
    return enti


def riga_alloggio(i: int) -> list:
    comune = list(ISTAT)[i % 3]
    ente = "ALER BERGAMO - LECCO - SONDRIO" if i % 2 else f"Comune di {comune}"
    return [
        f"BG-{i:06d}",
        ente,
        ISTAT[comune],
        f"Via Roma {i % 97}",
        str(i % 40 + 1),
        str(i % 5),
        f"{40 + i % 80},5",
        i % 6 + 1,
        SERVIZI[i % 5],
        STATI[i % 4],
        1950 + i % 70,
        "27/10/2025",
    ]


def righe_alloggi(n: int) -> list[list]:
    return [riga_alloggio(i) for i in range(n)]


def scrivi_xlsx(percorso: Path, righe: list[list], intestazioni=None) -> Path:
    libro = Workbook()
    foglio = libro.active
    foglio.append(intestazioni if intestazioni is not None else INTESTAZIONI_ALLOGGI)
    for riga in righe:
        foglio.append(riga)
    libro.save(percorso)
    return percorso


def csv_testo(righe: list[list], intestazioni=None, separatore=";") -> str:
    uscita = io.StringIO()
    scrittore = csv.writer(uscita, delimiter=separatore, lineterminator="\r\n")
    scrittore.writerow(
        intestazioni if intestazioni is not None else INTESTAZIONI_ALLOGGI
    )
    scrittore.writerows(righe)
    return uscita.getvalue()


def scrivi_csv(percorso: Path, righe, intestazioni=None, codifica="utf-8-sig") -> Path:
    percorso.write_text(csv_testo(righe, intestazioni), encoding=codifica)
    return percorso


@pytest.fixture
def piano_esempio(db):
    """Il piano 2026 del seed 000 (Ambito 9), caricato se la sessione non l'ha già."""
    from piani.models import PianoAnnuale

    piano = PianoAnnuale.objects.filter(
        ambito__slug="valle-seriana-superiore", anno=2026
    ).first()
    if piano is None:
        from piani.esempi import esempi_carica

        esempi_carica()
        piano = PianoAnnuale.objects.get(
            ambito__slug="valle-seriana-superiore", anno=2026
        )
    return piano
