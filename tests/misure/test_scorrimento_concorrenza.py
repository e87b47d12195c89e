"""Two funding runs of one bando cannot both commit (proved on PostgreSQL, where
runs really are concurrent; SQLite serialises every writer anyway)."""

import threading

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from misure.models import Bando, Domanda, Erogazione, Scorrimento
from misure.services import (
    ScorrimentoNonEseguibile,
    graduatoria_calcola,
    scorrimento_esegui,
)

from .factories import assegnazione_di, bando_crea, domanda_crea, fonte_crea

SU_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
N_CORSE = 20


def _bando_pronto(ambito):
    bando = bando_crea(ambito)
    Domanda.objects.bulk_create([domanda_crea(bando, n) for n in range(60)])
    fonte_crea(bando, assegnazione_di(ambito, 6970, 2022), "50000.00", 1)
    fonte_crea(bando, assegnazione_di(ambito, 1001, 2023), "13593.39", 2)
    graduatoria_calcola(bando=bando)
    bando.refresh_from_db()
    return bando


def test_a_second_run_of_the_same_graduatoria_is_refused(ambito_a, staff_a):
    bando = _bando_pronto(ambito_a)
    scorrimento_esegui(bando=bando, utente=staff_a)
    with pytest.raises(ScorrimentoNonEseguibile):
        scorrimento_esegui(bando=bando, utente=staff_a)
    assert Scorrimento.objects.filter(bando=bando).count() == 1


def test_a_run_on_a_stale_graduatoria_is_refused(ambito_a, staff_a):
    bando = _bando_pronto(ambito_a)
    vecchio = Bando.objects.get(pk=bando.pk)
    graduatoria_calcola(bando=bando)
    with pytest.raises(ScorrimentoNonEseguibile):
        scorrimento_esegui(bando=vecchio, utente=staff_a)
    assert not Scorrimento.objects.filter(bando=bando).exists()


def test_the_database_refuses_two_runs_of_one_version(ambito_a):
    bando = _bando_pronto(ambito_a)
    dati = {"bando": bando, "versione_graduatoria": 1, "importo_erogato": 0}
    Scorrimento.objects.create(domande_finanziate=0, **dati)
    with pytest.raises(IntegrityError), transaction.atomic():
        Scorrimento.objects.create(domande_finanziate=0, **dati)


@pytest.mark.postgres
@pytest.mark.skipif(
    not SU_POSTGRES,
    reason="concurrent runs need PostgreSQL (DATABASE_URL=postgres://…): SQLite "
    "allows one writer at a time, so it cannot show the race",
)
@pytest.mark.django_db(transaction=True)
def test_20_concurrent_runs_commit_exactly_one(esempi_ricaricati, django_user_model):
    from ambiti.models import Ambito

    ambito = Ambito.objects.get(slug="valle-seriana-superiore")
    utente = django_user_model.objects.create_user("t.concorrenza", password="x")
    bando = _bando_pronto(ambito)
    partenza = threading.Barrier(N_CORSE)
    esiti: list[str] = []
    blocco = threading.Lock()

    def corsa():
        try:
            mio = Bando.objects.get(pk=bando.pk)
            partenza.wait(timeout=30)
            scorrimento_esegui(bando=mio, utente=utente)
            esito = "eseguito"
        except ScorrimentoNonEseguibile:
            esito = "rifiutato"
        except Exception as errore:  # anything else is a failure of the test
            esito = repr(errore)
        finally:
            connection.close()
        with blocco:
            esiti.append(esito)

    corse = [threading.Thread(target=corsa) for _ in range(N_CORSE)]
    for c in corse:
        c.start()
    for c in corse:
        c.join(timeout=120)

    assert sorted(esiti) == ["eseguito"] + ["rifiutato"] * (N_CORSE - 1)
    assert Scorrimento.objects.filter(bando=bando).count() == 1
    scorrimento = Scorrimento.objects.get(bando=bando)
    assert Erogazione.objects.filter(domanda__bando=bando).count() == (
        scorrimento.erogazioni.count()
    )
    # € 3.000 each: 50.000 pays 16 + a part of the 17th, 13.593,39 completes it
    # and pays 4 more and a part of the 22nd
    assert scorrimento.domande_finanziate == 22
