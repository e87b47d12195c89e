"""Quanto costa leggere in sicurezza l'anagrafe di 166.000 righe.

Un comando: ``.venv/bin/python bench/bench_lettura.py [--ripetizioni 5]`` (genera
``bench/out/anagrafe.xlsx`` se manca). Misura, ciascuna in un processo nuovo:

- ``calamine``: python-calamine nello stesso processo, senza controlli (il
  riferimento, come nel benchmark dell'import);
- ``figlio``: calamine nel processo figlio con i limiti (``righe_isolate``);
- ``lettore``: ``pianocasa.lettori.tabella_leggi`` intero (controlli sull'archivio,
  scansione delle dimensioni, figlio, ricerca dell'intestazione).

Tempo di parete e CPU (padre + figli), mediana; picco di memoria del padre e del
figlio. Scrive la sezione «Lettura isolata dei fogli» di ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

RADICE = Path(__file__).resolve().parent.parent
XLSX = RADICE / "bench" / "out" / "anagrafe.xlsx"
TITOLO = "## Lettura isolata dei fogli"
MODI = ("calamine", "figlio", "lettore")


def figlio(modo: str) -> dict:
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-non-per-produzione")
    os.environ["DJANGO_SETTINGS_MODULE"] = "pianocasa.settings"
    sys.path.insert(0, str(RADICE))
    import django

    django.setup()
    from pianocasa.lettori import limiti, tabella_leggi, xlsx

    def cpu() -> float:
        a = resource.getrusage(resource.RUSAGE_SELF)
        b = resource.getrusage(resource.RUSAGE_CHILDREN)
        return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime

    inizio, cpu_inizio = time.perf_counter(), cpu()
    if modo == "calamine":
        righe = len(xlsx.righe_in_processo(XLSX))
    elif modo == "figlio":
        righe = len(
            xlsx.righe_isolate(
                XLSX,
                max_righe=250_010,
                max_colonne=100,
                max_celle=limiti()["celle"],
                memoria=limiti()["memoria"],
                secondi=limiti()["secondi"],
            )
        )
    else:
        righe = len(tabella_leggi(XLSX).righe) + 1
    return {
        "secondi": time.perf_counter() - inizio,
        "cpu": cpu() - cpu_inizio,
        "righe": righe,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_figlio_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ripetizioni", type=int, default=5)
    parser.add_argument("--figlio")
    parser.add_argument("--non-scrivere-doc", action="store_true")
    argomenti = parser.parse_args()
    if argomenti.figlio:
        print(json.dumps(figlio(argomenti.figlio)))
        return
    if not XLSX.exists():
        subprocess.run(
            [sys.executable, str(RADICE / "bench" / "genera_anagrafe.py")], check=True
        )
    corse: dict[str, list[dict]] = {m: [] for m in MODI}
    carico = os.getloadavg()
    for _i in range(argomenti.ripetizioni):
        for modo in MODI:  # alternati, così il rumore della macchina si spalma
            uscita = subprocess.run(
                [sys.executable, __file__, "--figlio", modo],
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ, "PIANOCASA_TESTING": ""},
            )
            corse[modo].append(json.loads(uscita.stdout.strip().splitlines()[-1]))
    testo = _sezione(corse, carico, os.getloadavg())
    print(testo)
    if not argomenti.non_scrivere_doc:
        sys.path.insert(0, str(RADICE))
        from bench.risultati import sezione_scrivi

        sezione_scrivi(TITOLO, testo)


def _sezione(corse: dict[str, list[dict]], carico_prima, carico_dopo) -> str:
    def mediana(modo: str, chiave: str) -> float:
        return statistics.median(c[chiave] for c in corse[modo])

    base_s, base_cpu = mediana("calamine", "secondi"), mediana("calamine", "cpu")
    righe_file = corse["calamine"][0]["righe"]
    etichette = {
        "calamine": "calamine nel processo, senza controlli",
        "figlio": "calamine nel processo figlio (limiti, righe a blocchi)",
        "lettore": "`tabella_leggi` intero (controlli + scansione + figlio)",
    }
    righe = [
        TITOLO,
        "",
        f"`bench/bench_lettura.py`, {XLSX.name} ({_it(righe_file, 0)} righe × 13 "
        f"colonne), mediana di {len(corse['calamine'])} corse per modo, ciascuna in "
        f"un processo nuovo; carico della macchina {_it(carico_prima[0], 1)} → "
        f"{_it(carico_dopo[0], 1)} (2 core). Il tempo di parete risente del carico; "
        "la CPU (padre + figlio) meno. Il costo del figlio è la serializzazione "
        "delle righe (pickle nel figlio, unpickle nel padre); `tabella_leggi` "
        "comprende anche i controlli sull'archivio che c'erano già (DTD, macro, "
        "formule senza valore) e la scansione delle dimensioni.",
        "",
        "| lettura | parete (s) | CPU (s) | rispetto a calamine | RSS padre | "
        "RSS figlio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for modo in MODI:
        secondi, cpu = mediana(modo, "secondi"), mediana(modo, "cpu")
        figlio_rss = mediana(modo, "rss_figlio_mib")
        righe.append(
            f"| {etichette[modo]} | {_it(secondi, 2)} | {_it(cpu, 2)} | "
            f"{_it(secondi / base_s, 2)}× parete, {_it(cpu / base_cpu, 2)}× CPU | "
            f"{_it(mediana(modo, 'rss_mib'), 0)} MiB | "
            f"{f'{_it(figlio_rss, 0)} MiB' if figlio_rss > 1 else '—'} |"
        )
    return "\n".join(righe) + "\n"


def _it(numero: float, decimali: int) -> str:
    """1234.5 → '1.234,50' (formato italiano, come il resto del documento)."""
    testo = f"{numero:,.{decimali}f}"
    return testo.replace(",", "_").replace(".", ",").replace("_", ".")


if __name__ == "__main__":
    main()
