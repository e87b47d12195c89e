"""Rate of the domande import (rows per second), the same service as the web page.

    .venv/bin/python bench/bench_domande.py [N ...]

Runs on a throw-away SQLite database (whatever DATABASE_URL says): one ambito with
one comune, an XLSX of N valid domande written with openpyxl, then
``domande_importa`` timed from the bytes to the committed rows. Goal (issue 12):
≥ 5.000 domande/s on SQLite.
"""

import io
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
cartella = tempfile.mkdtemp(prefix="bench-domande-")
# Always a throw-away SQLite database: the goal is on SQLite, and bench/run may
# be started with DATABASE_URL pointing at the load benchmark's PostgreSQL.
os.environ["DATABASE_URL"] = f"sqlite:///{cartella}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pianocasa.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from ambiti.models import Ambito, AmbitoComune, Comune  # noqa: E402
from bench.risultati import sezione_scrivi  # noqa: E402
from misure.models import Bando, Domanda  # noqa: E402
from misure.services import COLONNE_IMPORT, domande_importa  # noqa: E402
from pianocasa.formati import numero_it  # noqa: E402

TITOLO_SEZIONE = "## Import delle domande"
OBIETTIVO = 5000  # domande/s on SQLite (issue 12)


def file_domande(n: int) -> bytes:
    libro = Workbook(write_only=True)
    foglio = libro.create_sheet("Domande")
    foglio.append([h for _c, h in COLONNE_IMPORT])
    for i in range(n):
        foglio.append(
            [
                f"{i:07d}/2026",
                date(2026, 2, 1) + timedelta(days=i % 50),
                "Rossi",
                "Mario",
                "RSSMRA80A01H501U",
                date(1940, 1, 1) + timedelta(days=i * 7 % 20000),
                "016077",
                1 + i % 5,
                i % 5 // 2,
                1000 + i * 37 % 17000 + 0.5,
                250 + i % 400,
                "sì",
                24,
                "no",
                None,
                None,
            ]
        )
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()


def bando_nuovo() -> Bando:
    comune, _c = Comune.objects.get_or_create(
        codice_istat="016077",
        defaults={"nome": "Clusone", "provincia": "Bergamo", "sigla_provincia": "BG"},
    )
    ambito, _c = Ambito.objects.get_or_create(
        slug="bench", defaults={"nome": "Bench", "provincia": "Bergamo"}
    )
    AmbitoComune.objects.get_or_create(ambito=ambito, comune=comune)
    return Bando.objects.create(
        ambito=ambito,
        titolo=f"Bench import {time.time()}",
        gestito=True,
        data_pubblicazione=date(2026, 2, 1),
    )


def main(dimensioni: list[int]) -> None:
    call_command("migrate", verbosity=0)
    righe = []
    for n in dimensioni:
        contenuto = file_domande(n)
        bando = bando_nuovo()
        t0 = time.perf_counter()
        importate = domande_importa(bando=bando, contenuto=contenuto)
        secondi = time.perf_counter() - t0
        assert importate == n == Domanda.objects.filter(bando=bando).count()
        ritmo = n / secondi
        esito = "raggiunto" if ritmo >= OBIETTIVO else "non raggiunto"
        print(
            f"{n:>7} domande: {secondi:6.2f} s, {ritmo:8.0f} domande/s "
            f"(obiettivo ≥ {OBIETTIVO}/s su SQLite: {esito})"
        )
        righe.append(
            f"| {numero_it(n)} | {numero_it(len(contenuto) / 2**20, 1)} MB "
            f"| {numero_it(secondi, 2)} s | {numero_it(ritmo)} /s | {esito} |"
        )
    sezione_scrivi(
        TITOLO_SEZIONE,
        "\n".join(
            [
                TITOLO_SEZIONE,
                "",
                f"`bench/bench_domande.py` su {connection.vendor} "
                f"({timezone.localdate():%d/%m/%Y}): `domande_importa`, lo stesso "
                "servizio della pagina e del lavoro in background, dal file XLSX "
                "alle righe salvate (lettura protetta nel processo figlio, "
                "controllo di ogni riga con il modulo della domanda, scrittura in "
                f"blocco). Obiettivo: ≥ {numero_it(OBIETTIVO)} domande/s su SQLite.",
                "",
                "| domande | file | tempo | ritmo | obiettivo |",
                "|---|---|---|---|---|",
                *righe,
            ]
        ),
    )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2000, 20000])
