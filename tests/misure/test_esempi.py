from decimal import Decimal

import pytest

from misure.codice_fiscale import controllo_valido
from misure.esempi import N_DOMANDE, bando_demo_carica
from misure.models import Domanda, Erogazione, Scorrimento


@pytest.fixture
def bando_demo(ambito_a):
    return bando_demo_carica(ambito=ambito_a)


def test_demo_bando_has_200_ranked_and_funded_applications(bando_demo):
    assert bando_demo.gestito
    assert bando_demo.domande.count() == N_DOMANDE
    assert bando_demo.n_pervenute == N_DOMANDE
    ammesse = bando_demo.domande.filter(esito=Domanda.Esito.AMMESSA)
    escluse = bando_demo.domande.filter(esito=Domanda.Esito.ESCLUSA)
    assert ammesse.count() == bando_demo.n_accolte
    assert 0 < escluse.count() < N_DOMANDE // 2
    assert all(d.motivi_esclusione for d in escluse)
    assert sorted(ammesse.values_list("posizione", flat=True)) == list(
        range(1, ammesse.count() + 1)
    )
    assert Scorrimento.objects.filter(bando=bando_demo).count() == 1
    pagato = sum(
        Erogazione.objects.filter(domanda__bando=bando_demo).values_list(
            "importo", flat=True
        ),
        Decimal("0"),
    )
    assert pagato == Decimal("10816.00")
    assert bando_demo.n_finanziate > 1


def test_demo_data_look_real(bando_demo):
    domande = list(bando_demo.domande.all())
    assert all(controllo_valido(d.codice_fiscale) for d in domande)
    assert len({d.protocollo for d in domande}) == N_DOMANDE
    assert len({(d.cognome, d.nome) for d in domande}) > 100
    assert all(d.minori < d.componenti for d in domande)


def test_demo_loading_is_idempotent(bando_demo, ambito_a):
    ids = set(bando_demo.domande.values_list("pk", flat=True))
    again = bando_demo_carica(ambito=ambito_a)
    assert again.pk == bando_demo.pk
    assert set(again.domande.values_list("pk", flat=True)) == ids
    assert Scorrimento.objects.filter(bando=bando_demo).count() == 1


def test_demo_is_the_same_every_time(bando_demo, ambito_a):
    prima = list(bando_demo.domande.values_list("protocollo", "codice_fiscale", "isee"))
    bando_demo.domande.all().delete()
    bando_demo_carica(ambito=ambito_a)
    dopo = list(bando_demo.domande.values_list("protocollo", "codice_fiscale", "isee"))
    assert sorted(prima) == sorted(dopo)
