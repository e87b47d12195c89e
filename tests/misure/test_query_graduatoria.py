"""The bando page and the public graduatoria run the same queries with 200 and
with 2.000 domande (issue 12: they ran one query per domanda, 210 → 2.010).

The demo bando (200 domande, ranked and funded) grows to 2.000 domande, then the
graduatoria and the funding run are recomputed by the services, as the staff would.
"""

import pytest
from django.urls import reverse

from misure import services
from misure.esempi import TITOLO_DEMO
from misure.models import Bando
from tests.crescita import domande_aggiungi, pubblicazione_registra
from tests.misure.factories import pubblica

# Pinned: session, user, incarichi, bando, fonti, criteri, erogazioni, domande,
# scorrimento, the menu's ambiti, whether it was published before, the
# staff's recent background work.
QUERY_BANDO = 12
# bando (with its ambito), its frozen publication.
QUERY_PUBBLICA = 2


@pytest.fixture
def bando_demo(ambito_a) -> Bando:
    bando = Bando.objects.get(ambito=ambito_a, titolo=TITOLO_DEMO)
    return pubblica(bando)


# The sizes: 200 (the demo) and 20.000 domande, 100× apart.
GRANDE = 20_000


def _cresci(bando: Bando, utente, n: int = GRANDE, *, file: bool = False) -> None:
    domande_aggiungi(bando=bando, n=n - bando.domande.count())
    services.graduatoria_calcola(bando=bando)
    bando.refresh_from_db()
    services.scorrimento_esegui(bando=bando, utente=utente)
    # Recomputing withdraws the graduatoria; publish it again (with a reason):
    # with its PDF at 2.000 rows, rows only at 20.000 (a 400-page PDF).
    if file:
        pubblica(bando)
    else:
        pubblicazione_registra(bando)
    bando.refresh_from_db()


def test_the_bando_page_runs_the_same_queries_with_200_and_20000_domande(
    client_staff_a, staff_a, bando_demo, django_assert_num_queries
):
    url = reverse("misure:bando_detail", args=[bando_demo.pk])
    client_staff_a.get(url)  # warm the session and the caches
    assert bando_demo.domande.count() == 200
    with django_assert_num_queries(QUERY_BANDO):
        piccola = client_staff_a.get(url)
    _cresci(bando_demo, staff_a)
    assert bando_demo.domande.count() == GRANDE
    client_staff_a.get(url)  # the session's activity stamp, renewed after a while
    with django_assert_num_queries(QUERY_BANDO):
        grande = client_staff_a.get(url)
    assert piccola.status_code == grande.status_code == 200
    # The page does show the grown graduatoria (every domanda is ranked or
    # excluded once the graduatoria is computed), 500 rows at a time.
    assert piccola.context["pagina_graduatoria"].paginator.count == 200
    assert grande.context["pagina_graduatoria"].paginator.count == GRANDE
    assert len(grande.context["righe"]) == 500


def test_the_public_graduatoria_runs_the_same_queries_with_200_and_20000_domande(
    client, staff_a, bando_demo, django_assert_num_queries
):
    url = reverse(
        "misure:graduatoria_pubblica", args=[bando_demo.ambito.slug, bando_demo.pk]
    )
    with django_assert_num_queries(QUERY_PUBBLICA):
        piccola = client.get(url)
    _cresci(bando_demo, staff_a)
    with django_assert_num_queries(QUERY_PUBBLICA):
        grande = client.get(url)
    assert piccola.status_code == grande.status_code == 200
    assert len(piccola.context["righe"]) == 200
    assert grande.context["pagina_graduatoria"].paginator.count == GRANDE


def test_a_long_graduatoria_is_shown_500_rows_a_page_and_none_is_lost(
    client, staff_a, bando_demo
):
    _cresci(bando_demo, staff_a, 2000, file=True)
    url = reverse(
        "misure:graduatoria_pubblica", args=[bando_demo.ambito.slug, bando_demo.pk]
    )
    prima = client.get(url).content.decode()
    assert "Righe 1–500 di 2.000" in prima
    assert 'href="?pagina=2"' in prima
    assert "?pagina=0" not in prima  # no «previous» link on the first page
    protocolli = []
    for numero in range(1, 5):
        risposta = client.get(url, {"pagina": numero})
        protocolli += [r.protocollo for r in risposta.context["righe"]]
    ultima = risposta.content.decode()
    assert "Righe 1.501–2.000 di 2.000" in ultima
    assert 'href="?pagina=3"' in ultima and "?pagina=5" not in ultima
    assert len(protocolli) == len(set(protocolli)) == 2000
    # Ranked rows first, in order, across the pages.
    posizioni = [r.posizione for r in services.graduatoria_pubblica(bando=bando_demo)]
    ammesse = [p for p in posizioni if p is not None]
    assert ammesse == sorted(ammesse)
    # A page past the end shows the last one, a bad number the first.
    assert (
        client.get(url, {"pagina": 99}).context["righe"][-1].protocollo
        == (protocolli[-1])
    )
    assert (
        client.get(url, {"pagina": "x"}).context["righe"][0].protocollo
        == (protocolli[0])
    )
