"""Concurrent saves of one comunicazione from the same version: exactly one is
stored (proved on PostgreSQL, where the saves really run at once)."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from piani import services
from piani.models import Comunicazione

SU_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
N_CORSE = 10


@pytest.mark.postgres
@pytest.mark.skipif(
    not SU_POSTGRES,
    reason="concurrent saves need PostgreSQL (DATABASE_URL=postgres://…)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_version_store_exactly_one(
    esempi_ricaricati, django_user_model
):
    utente = django_user_model.objects.create_user("t.concorrenza.piani", password="x")
    pk = Comunicazione.objects.get(
        piano__anno=2026, ente__denominazione="Comune di Clusone"
    ).pk
    versione = Comunicazione.objects.get(pk=pk).versione
    partenza = threading.Barrier(N_CORSE)
    esiti: dict[int, str] = {}
    blocco = threading.Lock()

    def corsa(n: int):
        try:
            mia = Comunicazione.objects.select_related("piano").get(pk=pk)
            partenza.wait(timeout=30)
            services.comunicazione_aggiorna(
                comunicazione=mia,
                dati={"note": f"copia {n}", "assegnabili_totale": n},
                versione=versione,
                utente=utente,
            )
            esito = "salvata"
        except services.ModificaConcorrente:
            esito = "rifiutata"
        except Exception as errore:  # anything else is a failure of the test
            esito = repr(errore)
        finally:
            connection.close()
        with blocco:
            esiti[n] = esito

    corse = [threading.Thread(target=corsa, args=(n,)) for n in range(N_CORSE)]
    for c in corse:
        c.start()
    for c in corse:
        c.join(timeout=120)

    assert sorted(esiti.values()) == ["rifiutata"] * (N_CORSE - 1) + ["salvata"]
    vincitrice = next(n for n, e in esiti.items() if e == "salvata")
    salvata = Comunicazione.objects.get(pk=pk)
    assert (salvata.note, salvata.assegnabili_totale) == (
        f"copia {vincitrice}",
        vincitrice,
    )
    assert salvata.versione == versione + 1
    assert salvata.history.filter(note__startswith="copia").count() == 1
