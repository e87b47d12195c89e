"""Time graduatoria_calcola and scorrimento_esegui on N generated domande.

    .venv/bin/python bench/bench_misure_graduatoria.py [N ...]

Runs on a throw-away SQLite database (or DATABASE_URL if set): migrates it,
creates one ambito with one comune, N admissible domande and 4 sources.
"""

import os
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))  # the project's apps and bench.risultati
cartella = tempfile.mkdtemp(prefix="bench-misure-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{cartella}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pianocasa.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from ambiti.models import Ambito, AmbitoComune, Comune  # noqa: E402
from bench.risultati import sezione_scrivi  # noqa: E402
from misure.models import (  # noqa: E402
    AssegnazioneDgr,
    Bando,
    CriterioPunteggio,
    Dgr,
    Domanda,
    FonteFinanziamento,
)
from misure.services import graduatoria_calcola, scorrimento_esegui  # noqa: E402
from pianocasa.formati import numero_it  # noqa: E402

TITOLO_SEZIONE = "## Graduatoria e scorrimento"


def prepara(n: int) -> Bando:
    comune, _c = Comune.objects.get_or_create(
        codice_istat="016077",
        defaults={"nome": "Clusone", "provincia": "Bergamo", "sigla_provincia": "BG"},
    )
    ambito, _c = Ambito.objects.get_or_create(
        slug="bench", defaults={"nome": "Bench", "provincia": "Bergamo"}
    )
    AmbitoComune.objects.get_or_create(ambito=ambito, comune=comune)
    bando = Bando.objects.create(
        ambito=ambito,
        titolo=f"Bench {n} {time.time()}",
        gestito=True,
        data_pubblicazione=date(2026, 2, 1),
        isee_massimo=Decimal("16000"),
        contributo_mensilita=10,
        contributo_massimo=Decimal("3600"),
    )
    for criterio, peso in (
        ("eta", "10"),
        ("componenti", "2"),
        ("minori", "3"),
        ("isee", "20"),
    ):
        CriterioPunteggio.objects.create(
            bando=bando, criterio=criterio, peso=Decimal(peso)
        )
    Domanda.objects.bulk_create(
        [
            Domanda(
                bando=bando,
                protocollo=f"{i:07d}/2026",
                data_protocollo=date(2026, 2, 1) + timedelta(days=i % 50),
                cognome="Rossi",
                nome="Mario",
                codice_fiscale="RSSMRA80A01H501U",
                data_nascita=date(1940, 1, 1) + timedelta(days=i * 7 % 20000),
                comune_residenza=comune,
                componenti=1 + i % 5,
                minori=i % 5 // 2,
                isee=Decimal(1000 + i * 37 % 17000),
                canone_mensile=Decimal(250 + i % 400),
                mesi_alloggio=24,
            )
            for i in range(n)
        ],
        batch_size=500,
    )
    totale = n * Decimal("2500")
    for ordine, numero in enumerate((5324, 6491, 6970, 1001), start=1):
        dgr, _c = Dgr.objects.get_or_create(tipo_atto="DGR", numero=numero, anno=2022)
        assegnazione, _c = AssegnazioneDgr.objects.get_or_create(ambito=ambito, dgr=dgr)
        FonteFinanziamento.objects.create(
            bando=bando, assegnazione=assegnazione, ordine=ordine, importo=totale / 8
        )
    return bando


def main(dimensioni: list[int]) -> None:
    call_command("migrate", verbosity=0)
    righe = []
    for n in dimensioni:
        bando = prepara(n)
        t0 = time.perf_counter()
        graduatoria_calcola(bando=bando)
        t1 = time.perf_counter()
        bando.refresh_from_db()
        scorrimento_esegui(bando=bando, utente=None)
        t2 = time.perf_counter()
        finanziate = Bando.objects.get(pk=bando.pk).n_finanziate
        print(
            f"{n:>6} domande: graduatoria {t1 - t0:6.2f} s, "
            f"scorrimento {t2 - t1:6.2f} s, finanziate {finanziate}"
        )
        righe.append(
            f"| {numero_it(n)} | {numero_it(t1 - t0, 2)} s | {numero_it(t2 - t1, 2)} s "
            f"| {numero_it(finanziate)} |"
        )
    motore = connection.vendor
    sezione_scrivi(
        TITOLO_SEZIONE,
        "\n".join(
            [
                TITOLO_SEZIONE,
                "",
                f"`bench/bench_misure_graduatoria.py` su {motore}, una esecuzione "
                f"per dimensione ({timezone.localdate():%d/%m/%Y}): "
                "`graduatoria_calcola` "
                "(requisiti, punteggio, ordinamento) e `scorrimento_esegui` "
                "(4 fonti, erogazioni scritte in una transazione).",
                "",
                "| domande | graduatoria | scorrimento | finanziate |",
                "|---|---|---|---|",
                *righe,
                "",
            ]
        ),
    )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [200, 2000, 10000])
