"""Logins in a real browser, under the Content-Security-Policy: an administrator
enrols the authenticator at the first login and types its code at the next;
the lockout and the security pages pass axe."""

import base64
import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP

from .conftest import PASSWORD, accedi, codice_totp, violazioni_axe

pytestmark = pytest.mark.browser


def test_an_admin_enrols_then_verifies_the_second_factor(
    page, live_server, utenti_demo
):
    get_user_model().objects.create_user(
        username="admin.inventato", password=PASSWORD, is_superuser=True, is_staff=True
    )
    page.goto(f"{live_server.url}/accesso/")
    page.fill("#id_username", "admin.inventato")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")

    # First login: straight to the enrolment, QR code drawn as an image.
    page.wait_for_url(re.compile(r"/sicurezza/app/attiva/"))
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()
    assert violazioni_axe(page) == []
    segreto = page.locator("#segreto-totp").inner_text().replace(" ", "")
    chiave = base64.b32decode(segreto + "=" * (-len(segreto) % 8))
    page.fill("#id_codice", f"{TOTP(chiave).token():06d}")
    page.get_by_role("button", name="Conferma e attiva").click()
    page.wait_for_url(re.compile(r"/piani/$"))
    assert "Verifica in due passaggi attivata." in page.content()

    # Next login: the code is asked after the password.
    page.get_by_role("button", name="Esci").click()
    page.wait_for_url(re.compile(r"/accesso/"))
    page.fill("#id_username", "admin.inventato")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/sicurezza/verifica/"))
    assert violazioni_axe(page) == []
    page.goto(f"{live_server.url}/ambiti/")
    page.wait_for_url(re.compile(r"/sicurezza/verifica/"))
    page.fill("#id_codice", "000000")
    page.click("main button[type=submit]")
    assert page.locator("#errori-modulo").is_visible()

    page.goto(f"{live_server.url}/accesso/")
    page.fill("#id_username", "admin.inventato")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/sicurezza/verifica/"))
    page.wait_for_timeout(1_500)  # the wrong code above holds the next one 1 s
    page.fill("#id_codice", codice_totp("admin.inventato"))
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/piani/$"))
    assert page.get_by_role("link", name="Amministrazione").is_visible()


def test_the_lockout_page_and_the_security_page_pass_axe(
    page, live_server, utenti_demo
):
    for _ in range(5):
        page.goto(f"{live_server.url}/accesso/")
        page.fill("#id_username", "sindaco.vss")
        page.fill("#id_password", "sbagliata")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    assert "Accesso bloccato" in page.content()
    assert violazioni_axe(page) == []

    accedi(page, live_server, "ufficio.vss")
    page.get_by_role("link", name="Sicurezza").click()
    page.wait_for_url(re.compile(r"/sicurezza/$"))
    assert violazioni_axe(page) == []
    page.get_by_role("link", name="Cambia la password").click()
    page.wait_for_url(re.compile(r"/sicurezza/password/$"))
    assert violazioni_axe(page) == []
