"""The public graduatoria: search by protocol number (?q=), key columns first,
each cell labelled for the card layout on phones, a link back to the ambito."""

import pytest
from django.test import Client
from django.urls import reverse

from misure import services

from .test_pubblico_graduatorie import _pubblica, bando  # noqa: F401


@pytest.fixture
def pubblicata(bando, staff_a):  # noqa: F811
    _pubblica(bando, staff_a)
    return bando


def _pagina(b, **get) -> str:
    url = reverse("misure:graduatoria_pubblica", args=[b.ambito.slug, b.pk])
    risposta = Client().get(url, get)
    assert risposta.status_code == 200
    return risposta.content.decode()


def test_search_finds_one_protocol(pubblicata):
    protocolli = [r.protocollo for r in services.graduatoria_pubblica(bando=pubblicata)]
    assert len(protocolli) == 2
    cercato, altro = protocolli
    html = _pagina(pubblicata, q=cercato.lower())
    assert cercato in html and altro not in html
    assert f'value="{cercato.lower()}"' in html
    assert "Mostra tutta la graduatoria" in html


def test_search_without_match_says_so(pubblicata):
    html = _pagina(pubblicata, q="NON-ESISTE-999")
    assert "Nessuna domanda con protocollo «NON-ESISTE-999»" in html


def test_cells_carry_their_column_name_and_the_page_links_back(pubblicata):
    html = _pagina(pubblicata)
    assert 'data-etichetta="Contributo assegnato"' in html
    assert "table-responsive" in html
    assert reverse("ciclo:pubblico_ambito", args=[pubblicata.ambito.slug]) in html


def test_the_searched_page_has_a_pinned_query_count(
    pubblicata, django_assert_num_queries
):
    # Ambito and bando, the frozen publication (its rows are one JSON field).
    with django_assert_num_queries(3):
        _pagina(pubblicata, q="1")
