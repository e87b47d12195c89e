"""The public graduatoria on a phone (390 px): every column readable without
scrolling sideways, the protocol search finds a number, axe finds nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ambiti.models import Ambito
from misure import services
from misure.models import Domanda
from tests.misure.factories import assegnazione_di, bando_crea, domanda_crea, fonte_crea

from .conftest import violazioni_axe

pytestmark = pytest.mark.browser

COLONNE = ["Protocollo", "Esito", "Contributo assegnato", "Posizione", "Punteggio"]


@pytest.fixture
def bando_pubblicato(esempi_ricaricati):
    ambito = Ambito.objects.get(slug="valle-seriana-superiore")
    bando = bando_crea(ambito, titolo="Bando inventato di prova")
    Domanda.objects.bulk_create([domanda_crea(bando, n) for n in range(1, 31)])
    fonte_crea(bando, assegnazione_di(ambito, 5292, 2025), "9000.00", 1)
    services.graduatoria_calcola(bando=bando)
    bando.refresh_from_db()
    utente = get_user_model().objects.create_user(username="staff.prova")
    services.graduatoria_pubblica_imposta(bando=bando, utente=utente, pubblica=True)
    return bando


def test_the_graduatoria_fits_a_phone_and_finds_a_protocol(
    page, live_server, bando_pubblicato
):
    page.set_viewport_size({"width": 390, "height": 844})
    url = reverse(
        "misure:graduatoria_pubblica",
        args=[bando_pubblicato.ambito.slug, bando_pubblicato.pk],
    )
    page.goto(f"{live_server.url}{url}")
    tabella = page.locator("#graduatoria")
    prima = tabella.locator("tbody tr").first
    # Each cell of a card shows its column's name, all inside the screen.
    for colonna in COLONNE:
        cella = prima.locator(f"[data-etichetta='{colonna}']")
        assert cella.is_visible()
        box = cella.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    larghezza = page.evaluate("document.documentElement.scrollWidth")
    assert larghezza <= 390
    assert violazioni_axe(page) == []

    page.get_by_label("Cerca il numero di protocollo della domanda").fill("00017")
    page.get_by_role("button", name="Cerca", exact=True).click()
    page.wait_for_load_state()
    righe = tabella.locator("tbody tr")
    assert righe.count() == 1
    assert "00017/2026" in righe.first.inner_text()
    assert violazioni_axe(page) == []
