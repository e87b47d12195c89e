"""The daily entry loop in the browser: from the dashboard's count of missing
comunicazioni to a form, «1.000» typed in a count is a thousand, «Salva e passa
al prossimo ente mancante» leads to the next one, «1.00» is refused naming the
field, and the pages stay free of axe violations."""

import re

import pytest

from .conftest import AXE, accedi, violazioni_axe

pytestmark = pytest.mark.browser


def test_staff_enter_a_thousand_and_move_to_the_next_missing_ente(
    page, live_server, utenti_demo
):
    from piani.models import Comunicazione, PianoAnnuale

    piano = PianoAnnuale.objects.get(ambito__slug="valle-seriana-superiore", anno=2026)
    mancanti = list(
        piano.comunicazioni.filter(esito="")
        .select_related("ente")
        .order_by("ente__denominazione", "pk")
    )
    if len(mancanti) < 2:  # the seed has them; make sure, whatever its state
        for c in piano.comunicazioni.order_by("pk")[:2]:
            Comunicazione.objects.filter(pk=c.pk).update(esito="")
        mancanti = list(
            piano.comunicazioni.filter(esito="")
            .select_related("ente")
            .order_by("ente__denominazione", "pk")
        )
    primo, secondo = mancanti[0], mancanti[1]

    accedi(page, live_server, "ufficio.vss")
    page.goto(f"{live_server.url}/piani/{piano.pk}/")
    page.locator("#link-mancanti").click()
    page.wait_for_url(re.compile(r"pervenuta=false"))
    page.goto(f"{live_server.url}/piani/comunicazioni/{primo.pk}/modifica/")

    # A count typed the Italian way with a stray dot: refused, field named.
    page.fill("#id_alloggi_totali", "1.00")
    page.get_by_role("button", name="Salva", exact=True).click()
    page.wait_for_selector("#errori-modulo")
    assert "Alloggi" in page.locator("#errori-modulo").inner_text()
    primo.refresh_from_db()
    assert primo.alloggi_totali != 100

    page.select_option("#id_esito", "dati")
    page.fill("#id_alloggi_totali", "1.000")
    page.get_by_role("button", name="Salva e passa al prossimo ente mancante").click()
    page.wait_for_url(re.compile(rf"/comunicazioni/{secondo.pk}/modifica/"))
    primo.refresh_from_db()
    assert primo.alloggi_totali == 1000
    assert page.get_by_role("link", name="Annulla").count() == 1
    if AXE.exists():
        assert violazioni_axe(page) == []
