"""Review before the sitting, in the browser: the reviewer (a mayor) leaves an
observation on a section, staff answer it, the draft's preview prints both in
its annex; the reviewer still has no way to change the data."""

import pytest

from .conftest import AXE, accedi, violazioni_axe

pytestmark = pytest.mark.browser

TESTO = "Nella premessa manca il riferimento alla DGR sul contributo affitto."
RISPOSTA = "Aggiunto il riferimento nella premessa."


def test_reviewer_observes_staff_answer_annex_shows_both(
    page, live_server, utenti_demo
):
    from piani.models import PianoAnnuale

    piano = PianoAnnuale.objects.get(ambito__slug="valle-seriana-superiore", anno=2026)
    sezione = piano.sezioni.order_by("ordine").first()

    accedi(page, live_server, "sindaco.vss")
    page.goto(f"{live_server.url}/piani/sezioni/{sezione.pk}/")
    # Read-only: no edit button, but a way to write an observation.
    assert page.get_by_role("link", name="Modifica").count() == 0
    page.get_by_role("link", name="Scrivi un'osservazione").click()
    page.wait_for_selector("#id_testo")
    assert page.input_value("#id_riferimento") == f"sezione:{sezione.pk}"
    page.fill("#id_testo", TESTO)
    page.get_by_role("button", name="Registra l'osservazione").click()
    page.wait_for_selector("text=Osservazione registrata.")
    assert page.get_by_text(TESTO).is_visible()
    # The reviewer cannot answer: no answer form.
    assert page.get_by_role("button", name="Registra la risposta").count() == 0
    if AXE.exists():
        assert violazioni_axe(page) == []
    page.goto(f"{live_server.url}/piani/{piano.pk}/")
    assert page.get_by_role("link", name="Modifica i dati del piano").count() == 0
    page.get_by_role("button", name="Esci").click()
    page.wait_for_url(lambda url: "/piani/" not in url)

    accedi(page, live_server, "ufficio.vss")
    page.goto(f"{live_server.url}/piani/{piano.pk}/")
    page.locator("#azione-osservazioni").click()
    page.get_by_label("Risposta dell'ufficio").fill(RISPOSTA)
    page.get_by_role("button", name="Registra la risposta").click()
    page.wait_for_selector("text=Risposta registrata.")
    assert page.get_by_text("Affrontata").first.is_visible()

    page.goto(f"{live_server.url}/piani/{piano.pk}/documento/")
    allegato = page.locator("#allegato-anomalie")
    assert allegato.get_by_text(TESTO).count() == 1
    assert allegato.get_by_text(RISPOSTA).count() == 1
