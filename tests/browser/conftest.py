"""Playwright against pytest-django's live_server, driving Debian's chromium
(``apt-get install chromium``; never ``playwright install``)."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from ambiti.models import Ambito, Incarico

CHROMIUM = os.environ.get("PIANOCASA_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARGOMENTI = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "demo"
UTENTI = [
    ("ufficio.vss", "valle-seriana-superiore", Incarico.Ruolo.UFFICIO),
    ("ufficio.vs", "valle-seriana", Incarico.Ruolo.UFFICIO),
    ("sindaco.vss", "valle-seriana-superiore", Incarico.Ruolo.LETTURA),
]


@pytest.fixture(scope="session")
def _playwright():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("chromium non installato (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own
    # ORM calls are synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=ARGOMENTI)
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    contesto = browser.new_context(
        locale="it-IT", accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    pagina = contesto.new_page()
    pagina.set_default_timeout(20_000)
    yield pagina
    contesto.close()


@pytest.fixture
def utenti_demo(esempi_ricaricati):
    """The demo users of the seeds (password «demo»), created by the test."""
    Utente = get_user_model()
    for username, slug, ruolo in UTENTI:
        utente = Utente.objects.create_user(username=username, password=PASSWORD)
        Incarico.objects.create(
            utente=utente, ambito=Ambito.objects.get(slug=slug), ruolo=ruolo
        )


def accedi(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accesso/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accesso/" not in url)


def violazioni_axe(page) -> list[dict]:
    """axe-core's violations on the current page (all rules axe runs by default)."""
    page.add_script_tag(path=str(AXE))
    risultato = page.evaluate("async () => await axe.run(document)")
    return [
        {
            "id": v["id"],
            "impatto": v["impact"],
            "nodi": [n["target"] for n in v["nodes"]][:5],
        }
        for v in risultato["violations"]
    ]
