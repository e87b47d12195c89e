"""Guessing passwords: django-axes locks a username out (from the address the
attempts come from) after PIANOCASA_ACCESSI_TENTATIVI wrong passwords, even for
the right one; an administrator, or a password reset, unlocks it."""

import re

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse

from pianocasa.sicurezza.services import indirizzo_client

PASSWORD = "pw-test-123"


@pytest.fixture
def utente(db):
    return get_user_model().objects.create_user(
        username="m.rota", password=PASSWORD, email="m.rota@ambito-inventato.example"
    )


def _accedi(client, password, indirizzo="10.0.0.7", username="m.rota"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=indirizzo,
    )


def test_the_right_password_is_refused_after_five_wrong_ones(client, utente, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _accedi(client, "sbagliata").status_code == 200
    quinta = _accedi(client, "sbagliata")
    assert quinta.status_code == 429

    risposta = _accedi(client, PASSWORD)

    assert risposta.status_code == 429
    testo = risposta.content.decode()
    assert "Accesso bloccato" in testo
    assert "dopo 5 password errate l'account è bloccato" in testo
    assert "Riprovare tra 15 minuti" in testo
    assert SESSION_KEY not in client.session


def test_four_wrong_passwords_do_not_lock(client, utente):
    for _ in range(4):
        _accedi(client, "sbagliata")
    risposta = _accedi(client, PASSWORD)
    assert risposta.status_code == 302
    assert client.session[SESSION_KEY] == str(utente.pk)


def test_the_lockout_holds_for_the_address_the_attempts_came_from(client, utente):
    # Someone guessing from elsewhere cannot lock the user out of their office.
    for _ in range(5):
        _accedi(client, "sbagliata", indirizzo="203.0.113.9")
    assert _accedi(client, PASSWORD, indirizzo="203.0.113.9").status_code == 429
    assert _accedi(client, PASSWORD, indirizzo="10.0.0.7").status_code == 302


def test_the_admin_login_page_is_guarded_too(client, utente):
    for _ in range(5):
        client.post(
            reverse("admin:login"),
            {"username": "m.rota", "password": "sbagliata"},
            REMOTE_ADDR="10.0.0.7",
        )
    assert _accedi(client, PASSWORD).status_code == 429


def test_an_administrator_unlocks_a_user_with_the_axes_command(client, utente, capsys):
    for _ in range(5):
        _accedi(client, "sbagliata")
    assert _accedi(client, PASSWORD).status_code == 429

    call_command("axes_reset_username", "m.rota")

    assert _accedi(client, PASSWORD).status_code == 302


def test_a_completed_password_reset_lifts_the_lockout(client, utente, mailoutbox):
    for _ in range(5):
        _accedi(client, "sbagliata")
    client.post(reverse("password_reset"), {"email": utente.email})
    collegamento = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    pagina = client.get(collegamento, follow=True)
    nuova = "Nuova-parola-Segreta-42"
    client.post(
        pagina.redirect_chain[-1][0],
        {"new_password1": nuova, "new_password2": nuova},
    )

    assert _accedi(client, nuova).status_code == 302


@override_settings(PIANOCASA_PROXY_NUMERO=1)
def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw():
    richiesta = RequestFactory().get(
        "/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20"
    )
    # 1.2.3.4 was written by the client: only the proxy's entry is trusted.
    assert indirizzo_client(richiesta) == "198.51.100.20"


@override_settings(PIANOCASA_PROXY_NUMERO=0)
def test_without_proxies_forwarded_headers_are_ignored():
    richiesta = RequestFactory().get(
        "/", REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert indirizzo_client(richiesta) == "198.51.100.20"
