"""Genera un'anagrafe del patrimonio di scala regionale per il benchmark.

166.000 alloggi (il patrimonio SAP lombardo, 64% ALER) nei 1.502 comuni ISTAT di
``fixtures/comuni_lombardia.csv``, raggruppati in ~90 ambiti; il solo ambito di
Milano ne ha ~91.000. Enti: le 5 ALER lombarde e i comuni proprietari. Scrive in
``bench/out/`` (ignorata da git):

- ``anagrafe.xlsx`` e ``anagrafe.csv``: una riga per alloggio, 13 colonne con le
  intestazioni che l'import riconosce;
- ``enti.csv``: gli enti proprietari (denominazione, tipo, codice ISTAT del comune);
- ``ambiti.csv``: codice ISTAT → ambito.

Uso: ``.venv/bin/python bench/genera_anagrafe.py [--righe 166000] [--seme 2025]``.
Deterministico a parità di seme.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

RADICE = Path(__file__).resolve().parent.parent
USCITA = RADICE / "bench" / "out"
COMUNI_CSV = RADICE / "fixtures" / "comuni_lombardia.csv"

INTESTAZIONI = [
    "Codice alloggio",
    "Ente proprietario",
    "Codice ISTAT comune",
    "Comune",
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
# Le ALER lombarde (L.R. 17/2013) e le province che servono.
ALER = {
    "ALER Milano": ("MI",),
    "ALER Bergamo - Lecco - Sondrio": ("BG", "LC", "SO"),
    "ALER Brescia - Cremona - Mantova": ("BS", "CR", "MN"),
    "ALER Pavia - Lodi": ("PV", "LO"),
    "ALER Varese - Como - Monza Brianza - Busto Arsizio": ("VA", "CO", "MB"),
}
VIE = [
    "Via Roma", "Via Giuseppe Garibaldi", "Via Giuseppe Mazzini", "Via Cavour",
    "Via Dante Alighieri", "Via Alessandro Manzoni", "Via Giacomo Matteotti",
    "Via Papa Giovanni XXIII", "Via Don Lorenzo Milani", "Via XX Settembre",
    "Via IV Novembre", "Viale Lombardia", "Via Vittorio Veneto", "Piazza della "
    "Repubblica",
    "Via Antonio Gramsci", "Via della Libertà", "Via Monte Grappa", "Via Sant'Ambrogio",
    "Via dei Mille", "Via Leonardo da Vinci", "Viale Europa", "Via Aldo Moro",
    "Via Fratelli Cervi", "Via Enrico Fermi", "Via Guglielmo Marconi", "Largo Alpini",
    "Via Trieste", "Via Trento", "Via Brescia", "Via Bergamo", "Via Quarto Oggiaro",
    "Via Lorenteggio", "Via Giambellino", "Via dei Ciclamini", "Via San Siro",
]  # fmt: skip
SERVIZI = [("SAP", 0.90), ("SAS", 0.05), ("SAT", 0.01), ("altro", 0.04)]
STATI = [
    ("occupato", 0.85),
    ("Sfitto per carenze manutentive", 0.08),
    ("ristrutturazione", 0.03),
    ("libero", 0.04),
]
PIANI = ["T", "R", "1", "1", "2", "2", "3", "3", "4", "5", "6", "7", "8", "10", "S1"]


def _comuni() -> list[dict[str, str]]:
    with open(COMUNI_CSV, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _ambiti(comuni: list[dict[str, str]], casuale: random.Random) -> dict[str, str]:
    """~90 ambiti: ogni provincia divisa in gruppi di comuni vicini (per codice)."""
    per_provincia: dict[str, list[dict[str, str]]] = defaultdict(list)
    for comune in comuni:
        per_provincia[comune["sigla_provincia"]].append(comune)
    ambiti: dict[str, str] = {}
    numero = 0
    for sigla in sorted(per_provincia):
        elenco = sorted(per_provincia[sigla], key=lambda c: c["codice_istat"])
        gruppi = max(1, round(len(elenco) / 1502 * 90))
        dimensione = -(-len(elenco) // gruppi)
        for inizio in range(0, len(elenco), dimensione):
            numero += 1
            for comune in elenco[inizio : inizio + dimensione]:
                ambiti[comune["codice_istat"]] = f"Ambito {numero:02d} ({sigla})"
    milano = next(c["codice_istat"] for c in comuni if c["nome"] == "Milano")
    ambiti[milano] = "Ambito Milano"
    return ambiti


def _scegli(casuale: random.Random, pesi: list[tuple[str, float]]) -> str:
    return casuale.choices([v for v, _p in pesi], weights=[p for _v, p in pesi])[0]


def righe_genera(
    righe: int = 166_000, seme: int = 2025
) -> tuple[list[list], dict[str, tuple[str, str]], dict[str, str]]:
    """The registry in memory: the rows (INTESTAZIONI order), the enti
    (denominazione → (tipo, codice ISTAT)) and the ambiti (codice ISTAT → name).
    Also used by genera_regione.py, which loads them straight into the database."""
    casuale = random.Random(seme)
    comuni = _comuni()
    ambiti = _ambiti(comuni, casuale)
    milano = next(c for c in comuni if c["nome"] == "Milano")
    aler_di = {sigla: nome for nome, sigle in ALER.items() for sigla in sigle}
    # Milano: ~91.000 alloggi (ambito di Milano); il resto con pesi a coda lunga.
    quota_milano = round(righe * 91_000 / 166_000)
    altri = [c for c in comuni if c is not milano]
    pesi = [casuale.paretovariate(1.2) for _c in altri]
    scelti = casuale.choices(altri, weights=pesi, k=righe - quota_milano)
    ubicazioni = [milano] * quota_milano + scelti
    casuale.shuffle(ubicazioni)
    contatori: dict[str, int] = defaultdict(int)
    enti: dict[str, tuple[str, str]] = {n: ("aler", "") for n in ALER}
    oggi = date(2025, 10, 31)
    dati: list[list] = []
    for comune in ubicazioni:
        aler = casuale.random() < 0.64
        ente = (
            aler_di[comune["sigla_provincia"]]
            if aler
            else f"Comune di {comune['nome']}"
        )
        if not aler:
            enti[ente] = ("comune", comune["codice_istat"])
        prefisso = (
            ente.split(" - ")[0].replace(" ", "").upper()
            if aler
            else f"C{comune['codice_istat']}"
        )
        contatori[prefisso] += 1
        codice = f"{prefisso}-{contatori[prefisso]:07d}"
        servizio = _scegli(casuale, SERVIZI)
        stato = _scegli(casuale, STATI)
        dati.append(
            [
                codice,
                ente.upper() if casuale.random() < 0.3 else ente,
                comune["codice_istat"],
                comune["nome"],
                casuale.choice(VIE),
                str(casuale.randint(1, 180)),
                casuale.choice(PIANI),
                round(casuale.uniform(28, 125), 2),
                casuale.randint(1, 6),
                servizio,
                stato,
                casuale.randint(1920, 2022),
                oggi - timedelta(days=casuale.randint(0, 700)),
            ]
        )
    return dati, enti, ambiti


def genera(righe: int = 166_000, seme: int = 2025) -> dict[str, Path]:
    dati, enti, ambiti = righe_genera(righe, seme)
    USCITA.mkdir(parents=True, exist_ok=True)
    percorsi = {
        "xlsx": USCITA / "anagrafe.xlsx",
        "csv": USCITA / "anagrafe.csv",
        "enti": USCITA / "enti.csv",
        "ambiti": USCITA / "ambiti.csv",
    }
    _scrivi_xlsx(percorsi["xlsx"], dati)
    with open(percorsi["csv"], "w", encoding="utf-8-sig", newline="") as handle:
        scrittore = csv.writer(handle, delimiter=";")
        scrittore.writerow(INTESTAZIONI)
        for riga in dati:
            scrittore.writerow(
                [*riga[:7], str(riga[7]).replace(".", ","), *riga[8:12],
                 riga[12].strftime("%d/%m/%Y")]
            )  # fmt: skip
    with open(percorsi["enti"], "w", encoding="utf-8", newline="") as handle:
        scrittore = csv.writer(handle)
        scrittore.writerow(["denominazione", "tipo", "codice_istat"])
        for nome, (tipo, istat) in sorted(enti.items()):
            scrittore.writerow([nome, tipo, istat])
    with open(percorsi["ambiti"], "w", encoding="utf-8", newline="") as handle:
        scrittore = csv.writer(handle)
        scrittore.writerow(["codice_istat", "ambito"])
        for istat, ambito in sorted(ambiti.items()):
            scrittore.writerow([istat, ambito])
    return percorsi


def _scrivi_xlsx(percorso: Path, dati: list[list]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    libro = Workbook(write_only=True)
    foglio = libro.create_sheet("Anagrafe")
    foglio.append(INTESTAZIONI)
    for riga in dati:
        # Il codice ISTAT come testo: un numero perderebbe lo zero iniziale.
        cella = WriteOnlyCell(foglio, value=riga[2])
        cella.number_format = "@"
        data = WriteOnlyCell(foglio, value=riga[12])
        data.number_format = "DD/MM/YYYY"
        foglio.append([riga[0], riga[1], cella, *riga[3:12], data])
    libro.save(percorso)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--righe", type=int, default=166_000)
    parser.add_argument("--seme", type=int, default=2025)
    argomenti = parser.parse_args()
    inizio = time.perf_counter()
    percorsi = genera(argomenti.righe, argomenti.seme)
    durata = time.perf_counter() - inizio
    for nome, percorso in percorsi.items():
        print(f"{nome}: {percorso} ({percorso.stat().st_size / 2**20:.1f} MB)")
    print(f"{argomenti.righe} righe in {durata:.1f} s")


if __name__ == "__main__":
    main()
