"""The plan's life in a real browser: 2027 from 2026, collection opened and
closed, approval, publication, and the PDF on the public page without login."""

import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from piani.models import PianoAnnuale, VersioneApprovata
from tests.piani.test_ciclo import media_tmp, riscontra_tutte  # noqa: F401

from .conftest import accedi, violazioni_axe

pytestmark = pytest.mark.browser

SLUG = "valle-seriana-superiore"


def _stato(page) -> str:
    return page.locator("#stato-piano").inner_text()


def test_next_year_collection_approval_publication_public_pdf(
    page,
    browser,
    live_server,
    utenti_demo,
    media_tmp,  # noqa: F811
):
    piano_2026 = PianoAnnuale.objects.get(ambito__slug=SLUG, anno=2026)
    accedi(page, live_server, "ufficio.vss")
    page.goto(live_server.url + reverse("ciclo:piano_ciclo", args=[piano_2026.pk]))
    assert _stato(page) == "Raccolta chiusa"

    page.get_by_role("button", name="Crea il piano 2027 da questo").click()
    page.wait_for_url(re.compile(r"/piani/\d+/ciclo/$"))
    piano = PianoAnnuale.objects.get(ambito__slug=SLUG, anno=2027)
    assert f"/piani/{piano.pk}/ciclo/" in page.url
    assert _stato(page) == "Bozza"
    assert "Creata la bozza del piano 2027" in page.content()
    assert violazioni_axe(page) == []

    page.get_by_role("button", name="Apri la raccolta delle comunicazioni").click()
    page.wait_for_load_state()
    assert _stato(page) == "Raccolta aperta"

    page.get_by_role("button", name="Chiudi la raccolta delle comunicazioni").click()
    page.wait_for_load_state()
    assert _stato(page) == "Raccolta chiusa"
    assert page.locator("#enti-mancanti li").count() == 25
    assert page.locator("#anomalie-aperte").count() == 1

    # Staff acknowledge the anomalie (the checks' own pages are tested elsewhere).
    ufficio = get_user_model().objects.get(username="ufficio.vss")
    piano.refresh_from_db()
    assert riscontra_tutte(piano, ufficio) >= 25
    page.reload()
    assert page.locator("#anomalie-aperte").count() == 0
    assert violazioni_axe(page) == []  # the approval form and the lists

    page.fill("#id_organo", "Assemblea dei Sindaci")
    page.fill("#id_data", "2026-04-29")
    page.fill("#id_luogo", "Clusone")
    page.get_by_role("button", name="Registra l'approvazione").click()
    page.wait_for_load_state()
    assert "Approvazione registrata: revisione 1" in page.content()
    assert _stato(page) == "Approvato"
    versione = VersioneApprovata.objects.get(piano=piano)
    assert versione.data_seduta.isoformat() == "2026-04-29"

    # Publishing asks first: the modal passes axe, "Annulla" leaves it unpublished.
    page.get_by_role("button", name="Pubblica il piano approvato").click()
    conferma = page.get_by_role("dialog", name="Pubblicare il piano?")
    conferma.wait_for(state="visible")
    page.wait_for_timeout(600)  # the fade-in, or axe measures half-transparent text
    assert violazioni_axe(page) == []
    conferma.get_by_role("button", name="Annulla").click()
    conferma.wait_for(state="hidden")
    assert _stato(page) == "Approvato"
    page.get_by_role("button", name="Pubblica il piano approvato").click()
    conferma.get_by_role("button", name="Conferma la pubblicazione").click()
    page.wait_for_load_state()
    assert _stato(page) == "Pubblicato"
    assert violazioni_axe(page) == []  # versions, history, charts

    # A citizen, not logged in.
    anonimo = browser.new_context(locale="it-IT")
    pubblica = anonimo.new_page()
    pubblica.goto(f"{live_server.url}/pubblico/{SLUG}/")
    assert "Accedi" in pubblica.content()  # really not logged in
    link = pubblica.get_by_role("link", name="Piano annuale 2027 – revisione 1 (PDF)")
    href = link.get_attribute("href")
    assert href == f"/pubblico/{SLUG}/2027/rev1.pdf"
    assert violazioni_axe(pubblica) == []
    risposta = pubblica.request.get(live_server.url + href)
    assert risposta.status == 200
    assert risposta.headers["content-type"] == "application/pdf"
    corpo = risposta.body()
    assert corpo.startswith(b"%PDF")
    assert hashlib.sha256(corpo).hexdigest() == versione.sha256_pdf
    anonimo.close()
