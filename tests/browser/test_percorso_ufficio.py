"""The issue's walk-through in a real browser, on the seed data."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from piani.models import Comunicazione, PianoAnnuale, RiscontroAnomalia

from .conftest import accedi, violazioni_axe

pytestmark = pytest.mark.browser


def _piano(slug: str) -> PianoAnnuale:
    return PianoAnnuale.objects.get(ambito__slug=slug)


def test_staff_fixes_acknowledges_previews_and_downloads(
    page, live_server, utenti_demo
):
    piano = _piano("valle-seriana-superiore")
    accedi(page, live_server, "ufficio.vss")

    # the plan list, then the 2026 plan's dashboard
    page.get_by_role("link", name="2026").click()
    page.wait_for_url(re.compile(rf"/piani/{piano.pk}/$"))
    aperte = page.locator('#anomalie-aperte li[data-codice="totale_assegnabili"]')
    assert aperte.count() == 3
    assert sorted(aperte.evaluate_all("ls => ls.map(l => l.dataset.oggetto)")) == [
        "Comune di Ardesio",
        "Comune di Azzone",
        "Comune di Clusone",
    ]
    assert violazioni_axe(page) == []

    # Clusone: the link goes to the field to fix; g) = b)+…+f) = 2
    clusone = page.locator(
        '#anomalie-aperte li[data-codice="totale_assegnabili"]'
        '[data-oggetto="Comune di Clusone"]'
    )
    clusone.get_by_role("link", name=re.compile("Correggi")).click()
    page.wait_for_url(re.compile(r"/modifica/#id_assegnabili_totale$"))
    assert page.locator("#somma-valore").inner_text() == "2"
    assert page.locator("#somma-diversa").is_visible()
    page.fill("#id_assegnabili_totale", "2")
    assert not page.locator("#somma-diversa").is_visible()
    page.get_by_role("button", name="Salva", exact=True).click()
    page.wait_for_load_state()
    assert "Comunicazione salvata" in page.content()
    assert page.locator("#anomalie-record").inner_text() == "Nessuna anomalia."
    c = Comunicazione.objects.get(piano=piano, ente__denominazione="Comune di Clusone")
    assert c.assegnabili_totale == 2

    # back on the dashboard Clusone's anomalia is gone
    page.goto(f"{live_server.url}{reverse('piani:piano_detail', args=[piano.pk])}")
    oggetti = page.locator(
        '#anomalie-aperte li[data-codice="totale_assegnabili"]'
    ).evaluate_all("ls => ls.map(l => l.dataset.oggetto)")
    assert sorted(oggetti) == ["Comune di Ardesio", "Comune di Azzone"]

    # acknowledge every other open anomalia with a reason
    motivo = "Dato confermato dall'ente con nota del 30/10/2025."
    # One reason per check, every anomalia of the group selected.
    while page.locator("#anomalie-aperte details").count():
        gruppo = page.locator("#anomalie-aperte details").first
        if gruppo.get_attribute("open") is None:
            gruppo.locator("summary").click()
        gruppo.locator("textarea").fill(motivo)
        gruppo.get_by_role("button", name=re.compile("Prendi atto")).click()
        page.wait_for_load_state()
        assert "Presa d'atto registrata per" in page.content()
    assert page.locator("#anomalie-aperte").inner_text() == "Nessuna anomalia aperta."
    riscontri = RiscontroAnomalia.objects.filter(piano=piano)
    assert {r.oggetto for r in riscontri if r.codice == "totale_assegnabili"} == {
        "Comune di Ardesio",
        "Comune di Azzone",
    }
    assert all(r.utente.username == "ufficio.vss" for r in riscontri)
    assert page.locator("#riscontri").get_by_text(motivo).count() == riscontri.count()

    # the preview, as the mayors will see it
    page.locator("#azione-anteprima").click()
    page.wait_for_url(re.compile(r"/documento/$"))
    assert "Clusone" in page.content()
    assert violazioni_axe(page) == []
    page.go_back()

    # the PDF
    with page.expect_download() as scaricamento:
        page.locator("#azione-pdf").click()
    contenuto = Path(scaricamento.value.path()).read_bytes()
    assert contenuto.startswith(b"%PDF")
    assert scaricamento.value.suggested_filename.endswith(".pdf")


def test_a_form_with_errors_and_a_list_pass_axe(page, live_server, utenti_demo):
    piano = _piano("valle-seriana-superiore")
    c = Comunicazione.objects.get(piano=piano, ente__denominazione="Comune di Clusone")
    accedi(page, live_server, "ufficio.vss")

    page.goto(f"{live_server.url}{reverse('piani:comunicazione_update', args=[c.pk])}")
    page.fill("#id_quota_art14", "140")
    # A count typed with a decimal point: refused, the field named and marked.
    page.fill("#id_alloggi_sap", "12.5")
    page.get_by_role("button", name="Salva", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("#id_quota_art14_error").inner_text().startswith("Assicurati")
    assert page.locator("#id_alloggi_sap").get_attribute("aria-invalid") == "true"
    assert violazioni_axe(page) == []

    page.goto(
        f"{live_server.url}{reverse('piani:comunicazione_list', args=[piano.pk])}"
    )
    assert page.locator("table tbody tr").count() == 25
    assert violazioni_axe(page) == []


def test_the_mayor_reads_but_cannot_change(page, live_server, utenti_demo):
    piano = _piano("valle-seriana-superiore")
    accedi(page, live_server, "sindaco.vss")
    page.get_by_role("link", name="2026").click()
    page.wait_for_url(re.compile(rf"/piani/{piano.pk}/$"))
    assert page.locator("#anomalie-aperte li").count() > 0
    assert page.get_by_role("link", name=re.compile("Modifica")).count() == 0
    assert page.get_by_role("link", name=re.compile("Correggi")).count() == 0
    assert page.get_by_role("button", name=re.compile("Prendi atto")).count() == 0
    assert page.locator("main form[method=post]").count() == 0

    # a forged POST (with a valid CSRF token) is refused by permission
    token = next(k["value"] for k in page.context.cookies() if k["name"] == "csrftoken")
    c = Comunicazione.objects.get(piano=piano, ente__denominazione="Comune di Clusone")
    for url, dati in [
        (
            reverse("piani:comunicazione_update", args=[c.pk]),
            {"versione": str(c.versione), "assegnabili_totale": "2"},
        ),
        (
            reverse("piani:anomalia_riscontra", args=[piano.pk]),
            {
                "codice": "totale_assegnabili",
                "oggetto": "Comune di Clusone",
                "motivazione": "x",
            },
        ),
    ]:
        risposta = page.request.post(
            f"{live_server.url}{url}", form=dati, headers={"X-CSRFToken": token}
        )
        assert risposta.status == 403
        assert "CSRF" not in risposta.text()
    c.refresh_from_db()
    assert c.assegnabili_totale == 3
    assert not RiscontroAnomalia.objects.filter(piano=piano).exists()


def test_another_ambitos_staff_gets_404_everywhere(page, live_server, utenti_demo):
    from tests.ambiti.test_views import _url_dell_ambito
    from tests.piani.test_views import _url_del_piano

    piano = _piano("valle-seriana-superiore")
    urls = _url_del_piano(piano) + _url_dell_ambito(piano.ambito)
    accedi(page, live_server, "ufficio.vs")
    for url in urls:
        risposta = page.goto(f"{live_server.url}{url}")
        assert risposta.status == 404, url
    # their own plan opens
    proprio = _piano("valle-seriana")
    risposta = page.goto(
        f"{live_server.url}{reverse('piani:piano_detail', args=[proprio.pk])}"
    )
    assert risposta.status == 200
