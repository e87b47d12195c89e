"""CPU of each page in one gunicorn worker: what the load benchmark spends its
two cores on. Writes "## CPU per pagina" in docs/benchmarks.md.

    DATABASE_URL=postgres://… .venv/bin/python bench/cpu_pagine.py [--richieste 30]

Same server, data and users as bench/carico.py (bin/serve with one worker, the
region loaded), but one request at a time: the worker's CPU (user + system, from
/proc) and its minor page faults per request, page by page. Many faults and much
system time mean memory mapped and unmapped within the request (see the section's
text for the cause found on CPython 3.11).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))

from bench.carico import (  # noqa: E402  (sets Django up)
    _porta_libera,
    _server_avvia,
    _server_ferma,
    dati_prepara,
    regione_assicura,
)
from bench.risultati import sezione_scrivi  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[float, float, int]:
    """CPU (user + system) and system seconds, minor faults of a process."""
    campi = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utente, sistema = int(campi[11]) / TICK, int(campi[12]) / TICK
    return utente + sistema, sistema, int(campi[7])


def _figli(pid: int) -> list[int]:
    uscita = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in uscita.stdout.split()]


def _worker(serve_pid: int) -> int:
    """bin/serve (bash) → gunicorn master → its one worker."""
    for _ in range(50):
        for master in _figli(serve_pid):
            worker = _figli(master)
            if worker:
                return worker[0]
        time.sleep(0.2)
    raise RuntimeError("worker di gunicorn non trovato")


def _accedi(base: str, utente: str, password: str):
    apri = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    pagina = apri.open(base + "/accesso/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pagina).group(1)
    dati = {"username": utente, "password": password, "csrfmiddlewaretoken": token}
    richiesta = urllib.request.Request(
        base + "/accesso/",
        data=urllib.parse.urlencode(dati).encode(),
        headers={"Referer": base + "/accesso/"},
    )
    if apri.open(richiesta).geturl().endswith("/accesso/"):
        raise RuntimeError(f"accesso rifiutato per {utente}")
    return apri


def _pagine(dati: dict) -> list[tuple[str, str, bool]]:
    a = dati["ambiti"][0]
    piano, bando, slug = a["piano"], a["bando"], a["slug"]
    pagine = [
        ("ufficio: cruscotto", f"/piani/{piano}/", True),
        ("ufficio: comunicazioni", f"/piani/{piano}/comunicazioni/", True),
        ("ufficio: alloggi", "/patrimonio/alloggi/", True),
        ("ufficio: modulo piano", f"/piani/{piano}/modifica/", True),
        ("ufficio: bando", f"/misure/bandi/{bando}/", True),
        ("ufficio: anteprima", f"/piani/{piano}/documento/", True),
        ("pubblico: ambito", f"/pubblico/{slug}/", False),
        ("pubblico: graduatoria", f"/misure/pubblico/{slug}/{bando}/", False),
    ]
    if dati.get("pdf"):
        pagine.append(("pubblico: PDF pubblicato", dati["pdf"], False))
    return pagine


def _misura_pagina(apri, richiesta, worker: int, richieste: int) -> dict:
    apri.open(richiesta).read()  # warmed up: templates, connections
    pareti = []
    cpu0, sis0, fault0 = _stat(worker)
    for _ in range(richieste):
        inizio = time.perf_counter()
        apri.open(richiesta).read()
        pareti.append(time.perf_counter() - inizio)
    cpu1, sis1, fault1 = _stat(worker)
    return {
        "cpu": 1000 * (cpu1 - cpu0) / richieste,
        "sistema": 1000 * (sis1 - sis0) / richieste,
        "fault": (fault1 - fault0) / richieste,
        "parete": 1000 * statistics.median(pareti),
    }


def misura(dati: dict, richieste: int) -> list[dict]:
    os.environ["WEB_CONCURRENCY"] = "1"
    porta = _porta_libera()
    base = f"http://127.0.0.1:{porta}"
    with tempfile.TemporaryDirectory() as cartella:
        processo = _server_avvia(porta, Path(cartella))
        try:
            worker = _worker(processo.pid)
            a = dati["ambiti"][0]
            ufficio = _accedi(base, a["utente"], dati["password"])
            anonimo = urllib.request.build_opener()
            risultati = []
            for n, (nome, url, personale) in enumerate(_pagine(dati)):
                # Each citizen its own address (the public pages' limit).
                intestazioni = {} if personale else {"X-Forwarded-For": f"203.0.1.{n}"}
                richiesta = urllib.request.Request(base + url, headers=intestazioni)
                apri = ufficio if personale else anonimo
                risultati.append(
                    {"pagina": nome}
                    | _misura_pagina(apri, richiesta, worker, richieste)
                )
            return risultati
        finally:
            _server_ferma(processo)


def _numero(valore: float) -> str:
    return f"{valore:.1f}".replace(".", ",")


def _sezione(risultati: list[dict], richieste: int) -> str:
    righe = [
        "## CPU per pagina",
        "",
        f"`bench/cpu_pagine.py`: `bin/serve` con un solo worker su PostgreSQL con la "
        f"regione caricata, {richieste} richieste in fila per pagina, gli stessi "
        "utenti e dati di `bench/carico.py`. CPU del worker (utente + sistema, da "
        "`/proc`) e page fault minori per richiesta; tempo di parete mediano.",
        "",
        "| pagina | CPU (ms) | di cui sistema (ms) | page fault | parete (ms) |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in risultati:
        righe.append(
            f"| {r['pagina']} | {_numero(r['cpu'])} | {_numero(r['sistema'])} | "
            f"{r['fault']:.0f} | {_numero(r['parete'])} |"
        )
    righe += [
        "",
        "Quando una pagina ha migliaia di page fault e molto tempo di sistema, "
        "CPython 3.11 sta allocando e liberando (mmap/munmap, 16 KiB per volta) un "
        "pezzo della pila dei frame a ogni chiamata che attraversa il confine fra "
        "due pezzi: un ciclo che gira proprio a quella profondità (le celle di una "
        "tabella) lo fa migliaia di volte per richiesta (`strace -c` sul worker: "
        "~4.000 coppie mmap/munmap per la pagina degli alloggi). È "
        "python/cpython#142183, corretto in 3.13 e 3.14 (un pezzo tenuto da "
        "parte), non in 3.11. La stessa pagina, servita dal client di test di "
        "Django in un processo dove la profondità è diversa, costa circa metà.",
    ]
    return "\n".join(righe) + "\n"


def main() -> None:
    from django.db import connection

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--richieste", type=int, default=30)
    argomenti = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Questa misura gira su PostgreSQL: impostare DATABASE_URL.")
    regione_assicura()
    dati = dati_prepara()
    connection.close()
    risultati = misura(dati, argomenti.richieste)
    for r in risultati:
        print(
            f"    {r['pagina']}: CPU {r['cpu']:.1f} ms (sistema {r['sistema']:.1f}), "
            f"{r['fault']:.0f} page fault, parete {r['parete']:.1f} ms"
        )
    sezione_scrivi("## CPU per pagina", _sezione(risultati, argomenti.richieste))


if __name__ == "__main__":
    main()
