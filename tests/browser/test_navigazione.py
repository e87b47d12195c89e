"""Navigation on narrow screens and the Italian error pages, in a real browser
under the Content-Security-Policy, checked with axe-core."""

import pytest

from pianocasa.menu import VOCI

from .conftest import accedi, violazioni_axe

pytestmark = pytest.mark.browser

VOCI_UFFICIO = [
    str(etichetta) for _o, etichetta, _n, _p, solo_admin in VOCI if not solo_admin
]


@pytest.mark.parametrize("larghezza", [768, 390])
def test_the_menu_opens_on_narrow_screens(page, live_server, utenti_demo, larghezza):
    page.set_viewport_size({"width": larghezza, "height": 844})
    accedi(page, live_server, "ufficio.vss")
    menu = page.locator("#menu-principale")
    toggler = page.get_by_role("button", name="Menu")
    assert toggler.is_visible()
    # Closed: the entries are hidden until the toggler opens the panel.
    assert not menu.get_by_role("link", name=VOCI_UFFICIO[0]).is_visible()
    assert page.get_by_role("button", name="Esci").is_visible()
    toggler.click()
    # The panel slides in: wait until it has come to rest inside the screen.
    page.wait_for_function(
        "() => document.querySelector('#menu-principale .menu-wrapper')"
        ".getBoundingClientRect().left >= 0"
    )
    page.wait_for_timeout(400)
    for etichetta in VOCI_UFFICIO + ["Sicurezza"]:
        voce = menu.get_by_role("link", name=etichetta, exact=True)
        voce.wait_for(state="visible")
        box = voce.bounding_box()
        assert (
            box is not None and box["x"] >= 0 and box["x"] + box["width"] <= larghezza
        )
    assert violazioni_axe(page) == []
    # Every top-level entry leads somewhere.
    menu.get_by_role("link", name=VOCI_UFFICIO[-1], exact=True).click()
    page.wait_for_load_state()
    assert "/misure/" in page.url
    # "Esci" stays within the screen.
    esci = page.get_by_role("button", name="Esci").bounding_box()
    assert esci["x"] + esci["width"] <= larghezza


def test_at_desktop_width_the_menu_is_open_without_toggler(
    page, live_server, utenti_demo
):
    accedi(page, live_server, "ufficio.vss")
    assert not page.get_by_role("button", name="Menu").is_visible()
    for etichetta in VOCI_UFFICIO:
        assert (
            page.locator("#menu-principale")
            .get_by_role("link", name=etichetta, exact=True)
            .is_visible()
        )


@pytest.mark.django_db
def test_the_404_page_is_italian_and_passes_axe(page, live_server):
    risposta = page.goto(f"{live_server.url}/questa-pagina-non-esiste/")
    assert risposta.status == 404
    assert page.get_by_role("heading", name="Pagina non trovata").is_visible()
    assert page.get_by_role("link", name="Torna alla pagina iniziale").is_visible()
    assert "Lorem" not in page.content()
    assert violazioni_axe(page) == []


def test_the_403_and_404_for_staff_pass_axe(page, live_server, utenti_demo):
    page.set_viewport_size({"width": 390, "height": 844})
    accedi(page, live_server, "ufficio.vs")
    risposta = page.goto(f"{live_server.url}/ambiti/valle-seriana-superiore/modifica/")
    assert risposta.status == 404
    assert page.get_by_role("heading", name="Pagina non trovata").is_visible()
    assert violazioni_axe(page) == []
