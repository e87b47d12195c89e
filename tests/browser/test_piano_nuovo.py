"""«Nuovo piano» and the plan's own narrative in a real browser."""

import re

import pytest

from piani.models import PianoAnnuale

from .conftest import AXE, accedi, violazioni_axe

pytestmark = pytest.mark.browser


def _accessibile(page) -> bool:
    # axe-core comes from npm (bin/setup); without it only the flow is checked.
    return not AXE.exists() or violazioni_axe(page) == []


def test_staff_create_next_years_plan_and_add_a_section(page, live_server, utenti_demo):
    accedi(page, live_server, "ufficio.vs")

    page.get_by_role("link", name=re.compile("Nuovo piano")).click()
    page.wait_for_url(re.compile(r"/piani/ambiti/valle-seriana/nuovo/$"))
    # Last plan 2025: 2026 proposed, with the version in force on 1 January 2026.
    assert page.locator("#id_anno").input_value() == "2026"
    assert "R.R. 2/2025" in page.locator("#id_normativa option:checked").inner_text()
    assert _accessibile(page)
    page.get_by_role("button", name="Crea il piano").click()
    page.wait_for_load_state()
    piano = PianoAnnuale.objects.get(ambito__slug="valle-seriana", anno=2026)
    assert "Creata la bozza del piano 2026." in page.content()

    page.get_by_role("link", name=re.compile("Testi del piano")).click()
    page.wait_for_url(re.compile(rf"/piani/{piano.pk}/testi/$"))
    assert _accessibile(page)
    page.get_by_role("link", name="Aggiungi una sezione").click()
    page.fill("#id_titolo", "Tavolo delle politiche abitative")
    page.fill("#id_testo", "Il tavolo si riunisce ogni trimestre.")
    page.get_by_role("button", name="Salva", exact=True).click()
    page.wait_for_url(re.compile(rf"/piani/{piano.pk}/testi/$"))
    assert "Tavolo delle politiche abitative" in page.content()

    page.goto(f"{live_server.url}/piani/{piano.pk}/documento/")
    assert "Il tavolo si riunisce ogni trimestre." in page.content()
