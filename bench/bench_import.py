"""Benchmark dell'import dell'anagrafe a scala regionale (166.000 righe).

Un comando: ``.venv/bin/python bench/bench_import.py`` genera i dati se mancano
(``bench/genera_anagrafe.py``), poi misura in processi separati, ``--ripetizioni``
volte ciascuno (mediana):

- la sola lettura con python-calamine dello stesso XLSX (il riferimento);
- l'import completo (lettura, controllo di ogni riga, confronto, scrittura in una
  transazione) in un'anagrafe vuota, su SQLite e su PostgreSQL;
- il reimport dello stesso file (tutto invariato: solo lettura e confronto);

con il picco di memoria (RSS) di ogni processo, e scrive la sezione «Import
dell'anagrafe» di ``docs/benchmarks.md``.

PostgreSQL: ``--pg postgres://…/pianocasa_bench_import`` (il database si crea se
manca); ``--senza-pg`` per saltarlo.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

RADICE = Path(__file__).resolve().parent.parent
USCITA = RADICE / "bench" / "out"
PG_PREDEFINITO = "postgres://pianocasa:pianocasa@127.0.0.1:5432/pianocasa_bench_import"
TITOLO = "## Import dell'anagrafe"


# --- processi figli ------------------------------------------------------------------


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def figlio_lettura(percorso: str) -> dict:
    from python_calamine import CalamineWorkbook

    inizio = time.perf_counter()
    libro = CalamineWorkbook.from_path(percorso)
    righe = libro.get_sheet_by_index(0).to_python(skip_empty_area=False)
    durata = time.perf_counter() - inizio
    return {"secondi": durata, "righe": len(righe) - 1, "rss_mib": _rss_mib()}


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-non-per-produzione")
    os.environ.pop("DJANGO_DEBUG", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pianocasa.settings"
    sys.path.insert(0, str(RADICE))
    import django

    django.setup()


def figlio_prepara(database_url: str) -> dict:
    """Schema, comuni ISTAT, ambiti ed enti (non misurati)."""
    import csv

    _django(database_url)
    from django.core.management import call_command
    from django.db import transaction

    from ambiti.models import Ambito, AmbitoComune, Comune
    from ambiti.services import comuni_carica
    from patrimonio.models import Alloggio, EnteProprietario

    call_command("migrate", verbosity=0)
    comuni_carica()
    comuni = {c.codice_istat: c for c in Comune.objects.all()}
    with transaction.atomic():
        Alloggio.objects.all().delete()
        with open(USCITA / "ambiti.csv", encoding="utf-8") as handle:
            for riga in csv.DictReader(handle):
                slug = "bench-" + riga["ambito"].lower().replace(" ", "-").strip("()")
                slug = slug.replace("(", "").replace(")", "")
                ambito, _ = Ambito.objects.get_or_create(
                    slug=slug, defaults={"nome": riga["ambito"], "provincia": ""}
                )
                AmbitoComune.objects.get_or_create(
                    ambito=ambito, comune=comuni[riga["codice_istat"]]
                )
        with open(USCITA / "enti.csv", encoding="utf-8") as handle:
            for riga in csv.DictReader(handle):
                if riga["tipo"] == "comune":
                    EnteProprietario.objects.get_or_create(
                        comune=comuni[riga["codice_istat"]],
                        defaults={
                            "tipo": "comune",
                            "denominazione": riga["denominazione"],
                        },
                    )
                else:
                    EnteProprietario.objects.get_or_create(
                        denominazione=riga["denominazione"],
                        defaults={"tipo": riga["tipo"]},
                    )
    risultato = {
        "enti": EnteProprietario.objects.count(),
        "ambiti": Ambito.objects.count(),
    }
    from django.db import connection

    if connection.vendor == "sqlite":
        # Tutto nel file principale: le corse ne copiano solo quello.
        with connection.cursor() as cursore:
            cursore.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return risultato


def figlio_import(database_url: str, percorso: str) -> dict:
    _django(database_url)
    from django.db import connection

    from patrimonio.models import Alloggio
    from patrimonio.services import alloggi_importa

    with connection.cursor() as cursore:
        if connection.vendor == "postgresql":
            # TRUNCATE, non DELETE: ogni corsa parte da tabella e indici puliti.
            cursore.execute(f"TRUNCATE {Alloggio._meta.db_table}")
        else:
            cursore.execute(f"DELETE FROM {Alloggio._meta.db_table}")
    inizio = time.perf_counter()
    esito = alloggi_importa(percorso=percorso, scrivi=True)
    durata = time.perf_counter() - inizio
    rss = _rss_mib()
    if esito.errori:
        return {"errore": esito.errori[:5]}
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as query:
        inizio = time.perf_counter()
        di_nuovo = alloggi_importa(percorso=percorso, scrivi=True)
        reimport = time.perf_counter() - inizio
    scritture = sum(
        q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COPY"))
        for q in query
    )
    return {
        "secondi": durata,
        "rss_mib": rss,
        "creati": esito.creati,
        "alloggi": Alloggio.objects.count(),
        "reimport_secondi": reimport,
        "reimport_invariati": di_nuovo.invariati,
        "reimport_scritture": scritture,
        "rss_dopo_reimport_mib": _rss_mib(),
    }


# --- orchestrazione ------------------------------------------------------------------


def _esegui(*argomenti: str) -> tuple[dict, float]:
    inizio = time.perf_counter()
    risultato = subprocess.run(
        [sys.executable, __file__, "--figlio", *argomenti],
        capture_output=True,
        text=True,
        cwd=RADICE,
        check=False,
    )
    totale = time.perf_counter() - inizio
    if risultato.returncode != 0:
        raise SystemExit(f"processo figlio fallito:\n{risultato.stderr[-3000:]}")
    return json.loads(risultato.stdout.strip().splitlines()[-1]), totale


def _pg_crea(database_url: str) -> None:
    import psycopg

    nome = database_url.rsplit("/", 1)[1]
    amministrazione = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(amministrazione, autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [nome]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{nome}"')


def _mediana(valori: list[float]) -> float:
    return statistics.median(valori)


def _s(secondi: float) -> str:
    return f"{secondi:.1f}".replace(".", ",") + " s"


def _migliaia(numero: int) -> str:
    return f"{numero:,}".replace(",", ".")


def _mib(valore: float) -> str:
    return f"{valore:,.0f}".replace(",", ".") + " MiB"


def _pg_predefinito() -> str:
    """A database of its own on the server DATABASE_URL names, if PostgreSQL
    (bench/run with the load benchmark's database), else the local default."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.rsplit("/", 1)[0] + "/pianocasa_bench_import"
    return PG_PREDEFINITO


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ripetizioni", type=int, default=3)
    parser.add_argument("--pg", default=_pg_predefinito())
    parser.add_argument("--senza-pg", action="store_true")
    parser.add_argument("--rigenera", action="store_true")
    parser.add_argument("--righe", type=int, default=166_000)
    parser.add_argument("--figlio", nargs="+")
    parser.add_argument("--non-scrivere-doc", action="store_true")
    argomenti = parser.parse_args()

    if argomenti.figlio:
        tipo, *resto = argomenti.figlio
        funzione = {"lettura": figlio_lettura, "prepara": figlio_prepara,
                    "import": figlio_import}[tipo]  # fmt: skip
        print(json.dumps(funzione(*resto)))
        return

    xlsx = USCITA / "anagrafe.xlsx"
    if argomenti.rigenera or not xlsx.exists() or not (USCITA / "enti.csv").exists():
        print(f"Genero l'anagrafe ({argomenti.righe} righe)…", flush=True)
        subprocess.run(
            [sys.executable, str(RADICE / "bench" / "genera_anagrafe.py"),
             "--righe", str(argomenti.righe)],
            check=True,
        )  # fmt: skip
    carico_inizio = os.getloadavg()
    cartella = Path(tempfile.mkdtemp(prefix="bench-import-"))
    modello = cartella / "modello.sqlite3"
    basi = {"SQLite": f"sqlite:///{modello}"}
    if not argomenti.senza_pg:
        _pg_crea(argomenti.pg)
        basi["PostgreSQL"] = argomenti.pg
    risultati: dict[str, list[dict]] = {}
    try:
        print("Lettura con calamine…", flush=True)
        letture = []
        for _i in range(argomenti.ripetizioni):
            dati, totale = _esegui("lettura", str(xlsx))
            dati["processo"] = totale
            letture.append(dati)
            print(f"  {dati['secondi']:.2f} s, {dati['rss_mib']:.0f} MiB", flush=True)
        risultati["lettura"] = letture
        for nome, url in basi.items():
            print(f"Preparo {nome}…", flush=True)
            _esegui("prepara", url)
            corse = []
            for _i in range(argomenti.ripetizioni):
                if nome == "SQLite":
                    copia = cartella / "corsa.sqlite3"
                    shutil.copy(modello, copia)
                    url_corsa = f"sqlite:///{copia}"
                else:
                    url_corsa = url
                dati, totale = _esegui("import", url_corsa, str(xlsx))
                if "errore" in dati:
                    raise SystemExit(f"import rifiutato: {dati['errore']}")
                dati["processo"] = totale
                corse.append(dati)
                print(
                    f"  {nome}: {dati['secondi']:.2f} s, {dati['rss_mib']:.0f} MiB, "
                    f"reimport {dati['reimport_secondi']:.2f} s",
                    flush=True,
                )
            risultati[nome] = corse
    finally:
        shutil.rmtree(cartella, ignore_errors=True)
    risultati["carico"] = [list(carico_inizio), list(os.getloadavg())]
    testo = _sezione(risultati, xlsx)
    print(testo)
    if not argomenti.non_scrivere_doc:
        sys.path.insert(0, str(RADICE))
        from bench.risultati import FILE_RISULTATI, sezione_scrivi

        sezione_scrivi(TITOLO, testo)
        print(f"Scritto {FILE_RISULTATI}")


def _sezione(risultati: dict[str, list[dict]], xlsx: Path) -> str:
    lettura = risultati["lettura"]
    righe = lettura[0]["righe"]
    base = _mediana([r["secondi"] for r in lettura])
    n = len(lettura)
    oggi = datetime.now(UTC).strftime("%d/%m/%Y")
    testo = [
        TITOLO,
        "",
        f"Misurato il {oggi} con `.venv/bin/python bench/bench_import.py` su "
        f"{os.cpu_count()} core, Python {platform.python_version()}; mediane di {n} "
        "esecuzioni, ognuna in un processo nuovo. File: "
        f"`bench/out/anagrafe.xlsx` da `bench/genera_anagrafe.py` "
        f"({_migliaia(righe)} righe × 13 colonne, "
        f"{f'{xlsx.stat().st_size / 2**20:.1f}'.replace('.', ',')} MB; "
        "~93 ambiti, 1.502 comuni, 5 ALER + i comuni proprietari).",
        "",
        "| misura | tempo (mediana) | rispetto alla sola lettura | picco RSS |",
        "|---|---|---|---|",
        f"| sola lettura python-calamine (`to_python`) | {_s(base)} | 1,0× | "
        f"{_mib(max(r['rss_mib'] for r in lettura))} |",
    ]
    for nome in ("SQLite", "PostgreSQL"):
        corse = risultati.get(nome)
        if not corse:
            continue
        tempo = _mediana([c["secondi"] for c in corse])
        rapporto = f"{tempo / base:.1f}×".replace(".", ",")
        testo.append(
            f"| import completo, {nome} (anagrafe vuota → "
            f"{_migliaia(corse[0]['alloggi'])} alloggi) | {_s(tempo)} | {rapporto} | "
            f"{_mib(max(c['rss_mib'] for c in corse))} |"
        )
        reimport = _mediana([c["reimport_secondi"] for c in corse])
        testo.append(
            f"| reimport dello stesso file, {nome} (tutto invariato) | {_s(reimport)} "
            f"| "
            f"{f'{reimport / base:.1f}×'.replace('.', ',')} | "
            f"{_mib(max(c['rss_dopo_reimport_mib'] for c in corse))} |"
        )
    testo += [
        "",
        "Singole esecuzioni (secondi, import completo): "
        + "; ".join(
            f"{nome} "
            + ", ".join(
                f"{c['secondi']:.2f}".replace(".", ",") for c in risultati[nome]
            )
            for nome in ("SQLite", "PostgreSQL")
            if nome in risultati
        )
        + "; sola lettura "
        + ", ".join(f"{r['secondi']:.2f}".replace(".", ",") for r in lettura)
        + ".",
        "",
        "La macchina è condivisa: carico medio 1/5/15 min "
        + " all'inizio, ".join(
            " / ".join(f"{v:.2f}".replace(".", ",") for v in carico)
            for carico in risultati["carico"]
        )
        + " alla fine.",
        "",
        "L'import completo è `patrimonio.services.alloggi_importa(scrivi=True)`, lo "
        "stesso servizio della pagina web e di `manage.py importa_alloggi`: "
        "controlli di sicurezza sull'archivio (dimensione, rapporto di compressione, "
        "macro, DTD, formule senza valore), lettura con calamine, conversione e "
        "controllo colonna per colonna con funzioni semplici e memoria dei valori "
        "già visti (nessun `full_clean` per riga), enti e comuni riconosciuti una "
        "volta per testo distinto (`Abbinatore`), confronto con l'anagrafe "
        "esistente, scrittura di tuple ordinate per codice in una transazione: "
        "SQLite `executemany` (INSERT per i nuovi, `ON CONFLICT (codice) DO "
        "UPDATE` per i modificati; GC sospeso, cache di pagine ampia, chiavi "
        "esterne verificate una volta sulla tabella prima del commit); PostgreSQL "
        "`COPY` in una tabella temporanea e `INSERT … SELECT` (upsert per i "
        "modificati). I controlli dell'archivio e la lettura dell'anagrafe dal "
        "database avvengono nel processo padre mentre il figlio legge il foglio; "
        "un file invariato non scrive nulla (nessuna transazione, nessuna "
        "istruzione); solo gli alloggi modificati ricevono un record di storia. "
        "Il tempo esclude l'avvio di Django; il picco RSS è quello "
        "dell'intero processo.",
        "",
        _verdetto(risultati, base),
        "",
    ]
    return "\n".join(testo)


def _verdetto(risultati: dict, base: float) -> str:
    righe = []
    for nome in ("SQLite", "PostgreSQL"):
        corse = risultati.get(nome)
        if not corse:
            continue
        tempo = _mediana([c["secondi"] for c in corse])
        rss = max(c["rss_mib"] for c in corse)
        ok = tempo <= 20 and tempo <= 4 * base and rss < 1024
        righe.append(f"{nome} **{'raggiunto' if ok else 'NON raggiunto'}**")
    testo = [
        "Obiettivo (issue 4: ≤ 20 s, ≤ 4× la sola lettura, picco RSS < 1 GB): "
        + "; ".join(righe)
        + "."
    ]
    corse = risultati.get("PostgreSQL")
    if corse:
        completo = _mediana([c["secondi"] for c in corse]) / base
        di_nuovo = _mediana([c["reimport_secondi"] for c in corse]) / base
        scritture = max(c.get("reimport_scritture", 0) for c in corse)
        esito_completo = _esito(completo <= 2)
        esito_reimport = _esito(di_nuovo <= 1.2 and not scritture)
        testo.append(
            "Obiettivi issue 12 su PostgreSQL: import completo ≤ 2× la sola lettura: "
            f"{_x(completo)} ({esito_completo}); reimport invariato ≤ 1,2× e "
            f"nessuna scrittura: {_x(di_nuovo)}, {scritture} istruzioni di "
            f"scrittura ({esito_reimport})."
        )
    return "\n\n".join(testo)


def _esito(ok: bool) -> str:
    return "**raggiunto**" if ok else "**NON raggiunto**"


def _x(rapporto: float) -> str:
    return f"{rapporto:.1f}×".replace(".", ",")


if __name__ == "__main__":
    main()
