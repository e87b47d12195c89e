"""Playwright against pytest-django's live_server, driving Debian's chromium
(``apt-get install chromium``; never ``playwright install``)."""

import os
import shutil
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from ambiti.models import Ambito, Incarico

CHROMIUM = os.environ.get("PIANOCASA_CHROMIUM", "/usr/bin/chromium")
AXE = Path(
    os.environ.get("PIANOCASA_AXE")
    or Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
)
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
    # Whatever the Content-Security-Policy refuses, chromium reports on the console:
    # a page that needs a refused script or style fails its test here.
    rifiutati = []
    pagina.on(
        "console",
        lambda m: (
            rifiutati.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    yield pagina
    contesto.close()
    assert rifiutati == [], "Content-Security-Policy: " + " | ".join(rifiutati)


@pytest.fixture
def utenti_demo(esempi_ricaricati):
    """The demo users of the seeds (password «demo»), created by the test."""
    Utente = get_user_model()
    for username, slug, ruolo in UTENTI:
        utente = Utente.objects.create_user(username=username, password=PASSWORD)
        Incarico.objects.create(
            utente=utente, ambito=Ambito.objects.get(slug=slug), ruolo=ruolo
        )


def codice_totp(username: str, passi: int = 1) -> str:
    """The code of the user's authenticator ``passi`` time steps ahead (the code
    of the current step may have been used at enrolment), seen through the
    device's drift: a code typed as its step ended was accepted one step late,
    and django-otp then centres its window one step back."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    dispositivo = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(
        dispositivo.bin_key, dispositivo.step, dispositivo.t0, 6, dispositivo.drift
    )
    totp.time = time.time() + passi * dispositivo.step
    return f"{totp.token():06d}"


def amministratore_crea(username: str):
    """A superuser with a confirmed authenticator app, as after enrolment: the
    second factor is then asked at login (``accedi`` types the code)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    utente = get_user_model().objects.create_superuser(username, password=PASSWORD)
    TOTPDevice.objects.create(user=utente, name="app di prova", confirmed=True)
    return utente


def accedi(page, live_server, username: str) -> None:
    """Logs in through the login page; for a user with an authenticator (every
    administrator) also through the second step."""
    page.goto(f"{live_server.url}/accesso/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accesso/" not in url)
    if "/sicurezza/verifica/" in page.url:
        page.fill("#id_codice", codice_totp(username))
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/sicurezza/verifica/" not in url)


def violazioni_axe(page) -> list[dict]:
    """axe-core's violations on the current page (all rules axe runs by default)."""
    # Evaluated through the DevTools protocol: a <script> tag (add_script_tag)
    # would be an inline script, which the Content-Security-Policy refuses.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    risultato = page.evaluate("async () => await axe.run(document)")
    return [
        {
            "id": v["id"],
            "impatto": v["impact"],
            "nodi": [n["target"] for n in v["nodes"]][:5],
        }
        for v in risultato["violations"]
    ]
