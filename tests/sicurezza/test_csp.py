"""The Content-Security-Policy: scripts only from our own origin, or inline ones
the policy names (the request's nonce, or the hash of the theme's two fixed
snippets). If design-django-theme changes its inline scripts, these tests say so
before a browser silently refuses them."""

import base64
import hashlib
import re

import pytest
from django.urls import reverse

from piani.models import Comunicazione

SCRIPT = re.compile(r"<script(?P<attributi>[^>]*)>(?P<corpo>.*?)</script>", re.S)


def _politica(risposta) -> dict[str, list[str]]:
    direttive = {}
    for parte in risposta["Content-Security-Policy"].split(";"):
        nome, *valori = parte.split()
        direttive[nome] = valori
    return direttive


def _inline_non_consentiti(risposta) -> list[str]:
    script_src = _politica(risposta)["script-src"]
    rifiutati = []
    for script in SCRIPT.finditer(risposta.content.decode()):
        if "src=" in script["attributi"]:
            continue
        nonce = re.search(r'nonce="([^"]+)"', script["attributi"])
        impronta = base64.b64encode(
            hashlib.sha256(script["corpo"].encode()).digest()
        ).decode()
        if nonce and f"'nonce-{nonce.group(1)}'" in script_src:
            continue
        if f"'sha256-{impronta}'" in script_src:
            continue
        rifiutati.append(script["corpo"][:80])
    return rifiutati


def test_the_policy_allows_no_inline_script_by_default(client, db):
    politica = _politica(client.get(reverse("login")))
    assert politica["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in politica["script-src"]
    assert "'unsafe-eval'" not in politica["script-src"]
    assert politica["object-src"] == ["'none'"]
    assert politica["frame-ancestors"] == ["'none'"]
    assert politica["base-uri"] == ["'none'"]


def test_every_inline_script_of_the_login_page_is_allowed(client, db):
    assert _inline_non_consentiti(client.get(reverse("login"))) == []


def test_every_inline_script_of_a_page_with_its_own_script_is_allowed(
    client_staff_a, piano_a
):
    comunicazione = Comunicazione.objects.filter(piano=piano_a).first()
    risposta = client_staff_a.get(
        reverse("piani:comunicazione_update", args=[comunicazione.pk])
    )
    assert risposta.status_code == 200
    testo = risposta.content.decode()
    assert 'nonce="' in testo and "somma-valore" in testo
    assert _inline_non_consentiti(risposta) == []


def test_a_script_without_the_nonce_would_be_refused(client, db):
    # The check above can fail: an inline script the policy does not name.
    risposta = client.get(reverse("login"))
    risposta.content += b"<script>alert(1)</script>"
    assert _inline_non_consentiti(risposta) == ["alert(1)"]


@pytest.mark.parametrize("nome", ["login", "password_reset"])
def test_anonymous_pages_carry_the_policy(client, db, nome):
    assert "script-src 'self'" in client.get(reverse(nome))["Content-Security-Policy"]
