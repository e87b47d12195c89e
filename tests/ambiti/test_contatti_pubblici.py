"""The footer of an ambito's public pages: its own contacts, privacy notice and
accessibility statement (the site's when it has none); never another's."""

import pytest
from django.test import Client
from django.urls import reverse

from ambiti.forms import AmbitoForm
from ambiti.models import Ambito
from tests.piani.test_views import dati_form


@pytest.fixture
def inventato(db) -> Ambito:
    return Ambito.objects.create(
        nome="Valle Inventata",
        slug="valle-inventata",
        provincia="Bergamo",
        contatti_pubblici=(
            "Ufficio di Piano, Via Immaginaria 1\nufficio@inventato.example"
        ),
        url_privacy="https://inventato.example/privacy",
        url_accessibilita="https://form.agid.gov.it/view/inventato",
    )


def _pubblica(ambito) -> str:
    return (
        Client()
        .get(reverse("ciclo:pubblico_ambito", args=[ambito.slug]))
        .content.decode()
    )


def test_the_public_page_shows_the_ambitos_own_footer(inventato, ambito_a):
    html = _pubblica(inventato)
    assert "Via Immaginaria 1<br>ufficio@inventato.example" in html
    assert 'href="https://inventato.example/privacy"' in html
    assert 'href="https://form.agid.gov.it/view/inventato"' in html
    # Another ambito never gets these contacts.
    altro = _pubblica(ambito_a)
    assert "Via Immaginaria" not in altro and "inventato.example" not in altro


def test_without_its_own_statement_the_sites_is_linked(ambito_b, settings):
    settings.PIANOCASA_URL_ACCESSIBILITA = "https://form.agid.gov.it/view/sito"
    html = _pubblica(ambito_b)
    assert 'href="https://form.agid.gov.it/view/sito"' in html
    assert "Dichiarazione di accessibilità" in html


def test_staff_edit_the_contacts_on_the_ambito_form(client_staff_a, ambito_a):
    url = reverse("ambiti:ambito_update", args=[ambito_a.slug])
    dati = dati_form(
        AmbitoForm(instance=ambito_a),
        contatti_pubblici="Sportello casa\n035 000000",
        url_privacy="https://esempio.example/privacy",
        url_accessibilita="non un indirizzo",
    )
    risposta = client_staff_a.post(url, dati)
    assert risposta.status_code == 200  # the URL is refused, nothing saved
    assert "url_accessibilita" in risposta.content.decode()
    ambito_a.refresh_from_db()
    assert ambito_a.contatti_pubblici == ""
    dati["url_accessibilita"] = ""
    assert client_staff_a.post(url, dati).status_code == 302
    ambito_a.refresh_from_db()
    assert ambito_a.contatti_pubblici == "Sportello casa\n035 000000"
    assert ambito_a.url_privacy == "https://esempio.example/privacy"
