"""Queries and time of the bando page and of the public graduatoria with N domande.

    .venv/bin/python bench/bench_pagine_query.py [N ...]     (default 200 2000 20000)

Runs on a throw-away SQLite database (or DATABASE_URL if set): migrates it, loads
the comuni and the seed ambiti (`carica_esempi`, with the 200-domanda demo bando),
then grows the demo bando to each N (tests/crescita.py), recomputes its graduatoria
and funding run, publishes it and fetches both pages as the staff and as anyone.
The query counts must not change with N (tests/test_crawl_query.py checks it at
smaller sizes on every run of the suite).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))  # the project's apps, bench.risultati, tests.crescita
cartella = tempfile.mkdtemp(prefix="bench-pagine-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{cartella}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pianocasa.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from ambiti.models import Ambito, Incarico  # noqa: E402
from bench.risultati import sezione_scrivi  # noqa: E402
from misure.esempi import TITOLO_DEMO  # noqa: E402
from misure.models import Bando  # noqa: E402
from misure.services import (  # noqa: E402
    graduatoria_calcola,
    graduatoria_pubblica_imposta,
    scorrimento_esegui,
)
from pianocasa.formati import numero_it  # noqa: E402
from tests.crescita import domande_aggiungi  # noqa: E402

TITOLO_SEZIONE = "## Pagine della graduatoria"
RIPETIZIONI = 3


def misura(client: Client, url: str) -> tuple[int, float]:
    """Queries of one request and the median time of RIPETIZIONI."""
    tempi = []
    for _ in range(RIPETIZIONI):
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as catturate:
            risposta = client.get(url)
        tempi.append(time.perf_counter() - t0)
        assert risposta.status_code == 200, (url, risposta.status_code)
    return len(catturate), statistics.median(tempi)


def main(dimensioni: list[int]) -> None:
    setup_test_environment()  # the test client's host is allowed
    call_command("migrate", verbosity=0)
    call_command("carica_esempi", verbosity=0)
    ambito = Ambito.objects.get(slug="valle-seriana-superiore")
    bando = Bando.objects.get(ambito=ambito, titolo=TITOLO_DEMO)
    utente, _c = get_user_model().objects.get_or_create(username="bench.ufficio")
    Incarico.objects.get_or_create(
        utente=utente, ambito=ambito, defaults={"ruolo": Incarico.Ruolo.UFFICIO}
    )
    staff = Client()
    staff.force_login(utente)
    anonimo = Client()
    url_bando = reverse("misure:bando_detail", args=[bando.pk])
    url_pubblica = reverse("misure:graduatoria_pubblica", args=[ambito.slug, bando.pk])

    righe = []
    for n in sorted(dimensioni):
        mancano = n - bando.domande.count()
        if mancano > 0:
            domande_aggiungi(bando=bando, n=mancano)
            graduatoria_calcola(bando=bando)
            bando.refresh_from_db()
            scorrimento_esegui(bando=bando, utente=utente)
        graduatoria_pubblica_imposta(
            bando=bando, utente=None, pubblica=True, motivo="benchmark"
        )
        q_bando, t_bando = misura(staff, url_bando)
        q_pubblica, t_pubblica = misura(anonimo, url_pubblica)
        print(
            f"{n:>6} domande: pagina del bando {q_bando} query {t_bando:6.2f} s, "
            f"graduatoria pubblica {q_pubblica} query {t_pubblica:6.2f} s"
        )
        righe.append(
            f"| {numero_it(n)} | {q_bando} | {numero_it(t_bando, 2)} s "
            f"| {q_pubblica} | {numero_it(t_pubblica, 2)} s |"
        )
    sezione_scrivi(
        TITOLO_SEZIONE,
        "\n".join(
            [
                TITOLO_SEZIONE,
                "",
                f"`bench/bench_pagine_query.py` su {connection.vendor} "
                f"({timezone.localdate():%d/%m/%Y}): il bando dimostrativo cresciuto "
                "a N domande, graduatoria e scorrimento ricalcolati; query di una "
                f"richiesta e mediana di {RIPETIZIONI} richieste (client di test, "
                "senza rete). Le pagine mostrano 500 righe per volta; il tempo "
                "che resta cresce con le domande (la graduatoria è ordinata intera "
                "in Python prima di prenderne una pagina), le query no.",
                "",
                "| domande | pagina del bando (ufficio): query | tempo "
                "| graduatoria pubblica: query | tempo |",
                "|---|---|---|---|---|",
                *righe,
                "",
            ]
        ),
    )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [200, 2000, 20000])
