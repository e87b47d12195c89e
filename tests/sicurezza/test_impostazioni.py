"""The production settings (pianocasa.settings) in a process of their own, with a
production environment: `check --deploy` has nothing to say, a missing key stops
them, and no environment variable turns on the test conveniences."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

RADICE = Path(__file__).resolve().parents[2]


def _produzione(tmp_path, **extra) -> dict[str, str]:
    ambiente = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PIANOCASA_", "DATABASE_"))
    }
    ambiente.update(
        {
            "DJANGO_SETTINGS_MODULE": "pianocasa.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "casa.ambito-inventato.example",
            "PIANOCASA_VAR_DIR": str(tmp_path),
        }
    )
    ambiente.update(extra)
    return ambiente


def _esegui(argomenti, ambiente):
    return subprocess.run(
        [sys.executable, *argomenti],
        env=ambiente,
        cwd=RADICE,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issue_with_the_production_settings(tmp_path):
    risultato = _esegui(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _produzione(tmp_path),
    )
    assert risultato.returncode == 0, risultato.stdout + risultato.stderr
    assert "System check identified no issues (0 silenced)." in risultato.stdout
    assert "WARNINGS" not in risultato.stdout + risultato.stderr


def test_check_deploy_behind_a_tls_proxy_too(tmp_path):
    risultato = _esegui(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _produzione(
            tmp_path,
            DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
            PIANOCASA_PROXY_NUMERO="1",
        ),
    )
    assert risultato.returncode == 0, risultato.stdout + risultato.stderr
    assert "no issues" in risultato.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    ambiente = _produzione(tmp_path)
    del ambiente["DJANGO_SECRET_KEY"]
    risultato = _esegui(["manage.py", "check"], ambiente)
    assert risultato.returncode != 0
    assert "Impostare DJANGO_SECRET_KEY" in risultato.stderr


def test_no_environment_variable_turns_on_the_test_conveniences(tmp_path):
    # Before: PIANOCASA_TESTING=1 (or pytest imported) gave a hard-coded key, MD5
    # password hashing and tasks run in the web process.
    programma = (
        "import pytest, django; django.setup(); from django.conf import settings as s;"
        "print(s.PASSWORD_HASHERS[0]); print(s.TASKS['default']['BACKEND']);"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    ambiente = _produzione(tmp_path, PIANOCASA_TESTING="1")
    del ambiente["DJANGO_SECRET_KEY"]
    senza_chiave = _esegui(["-c", programma], ambiente)
    assert senza_chiave.returncode != 0
    assert "Impostare DJANGO_SECRET_KEY" in senza_chiave.stderr

    risultato = _esegui(["-c", programma], _produzione(tmp_path, PIANOCASA_TESTING="1"))
    assert risultato.returncode == 0, risultato.stderr
    hasher, backend, sicurezza = risultato.stdout.splitlines()
    assert "MD5" not in hasher
    assert backend == "django_tasks_db.DatabaseBackend"
    assert sicurezza == "True True 31536000"


def test_the_suite_runs_on_the_test_settings_module(settings):
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "pianocasa.settings_test"
    assert settings.PASSWORD_HASHERS == [
        "django.contrib.auth.hashers.MD5PasswordHasher"
    ]


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_to_https(client):
    risposta = client.get(reverse("login"))
    assert risposta.status_code == 301
    assert risposta["Location"].startswith("https://")


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_behind_a_tls_proxy_the_forwarded_scheme_counts(client):
    risposta = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert risposta.status_code == 200
    assert "max-age=31536000" in risposta["Strict-Transport-Security"]
