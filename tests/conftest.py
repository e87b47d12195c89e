"""Shared fixtures: the two seed ambiti, loaded once per test session, and the
personas every view is tested with (admin, staff of ambito A and B, a read-only
sindaco of A).

Ambito A = ``valle-seriana-superiore`` (seed 000, plan 2026, R.R. 2/2025);
ambito B = ``valle-seriana`` (seed 002, plan 2025, older lettering).

Administrators must verify a TOTP code after the password (pianocasa.sicurezza).
In tests, ``client.force_login(admin)`` gives an already verified session: the
receiver below gives the admin an authenticator and marks the session as
verified by it, exactly as the verification page does. Only the test client's
``force_login``/``login`` do that (their request is a bare ``HttpRequest``); a
login through the login page still goes through the second step.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core.management import call_command
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ambiti.models import Ambito, Incarico
from piani.models import PianoAnnuale

SLUG_A = "valle-seriana-superiore"
SLUG_B = "valle-seriana"


def totp_per(utente) -> TOTPDevice:
    """The user's confirmed authenticator (created if missing)."""
    dispositivo = TOTPDevice.objects.filter(user=utente, confirmed=True).first()
    if dispositivo is None:
        dispositivo = TOTPDevice.objects.create(
            user=utente, name="test", confirmed=True
        )
    return dispositivo


def _admin_verificato_in_test(sender, request, user, **kwargs):
    if type(request) is HttpRequest and (user.is_superuser or user.is_staff):
        request.session[DEVICE_ID_SESSION_KEY] = totp_per(user).persistent_id


user_logged_in.connect(_admin_verificato_in_test, dispatch_uid="tests.admin_verificato")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The seeds are reference data for most tests: load them once; each test then
    # runs in a transaction that is rolled back.
    with django_db_blocker.unblock():
        call_command("carica_esempi", verbosity=0)


@pytest.fixture
def ambito_a(db) -> Ambito:
    return Ambito.objects.get(slug=SLUG_A)


@pytest.fixture
def ambito_b(db) -> Ambito:
    return Ambito.objects.get(slug=SLUG_B)


@pytest.fixture
def piano_a(ambito_a) -> PianoAnnuale:
    return PianoAnnuale.objects.get(ambito=ambito_a, anno=2026)


@pytest.fixture
def piano_b(ambito_b) -> PianoAnnuale:
    return PianoAnnuale.objects.get(ambito=ambito_b, anno=2025)


def _utente(username: str, **extra):
    return get_user_model().objects.create_user(
        username=username, password="pw-test-123", **extra
    )


@pytest.fixture
def admin_user(db):
    return _utente("t.admin", is_superuser=True, is_staff=True)


@pytest.fixture
def staff_a(ambito_a):
    user = _utente("t.ufficio.a")
    Incarico.objects.create(utente=user, ambito=ambito_a, ruolo=Incarico.Ruolo.UFFICIO)
    return user


@pytest.fixture
def staff_b(ambito_b):
    user = _utente("t.ufficio.b")
    Incarico.objects.create(utente=user, ambito=ambito_b, ruolo=Incarico.Ruolo.UFFICIO)
    return user


@pytest.fixture
def sindaco_a(ambito_a):
    user = _utente("t.sindaco.a")
    Incarico.objects.create(utente=user, ambito=ambito_a, ruolo=Incarico.Ruolo.LETTURA)
    return user


@pytest.fixture
def client_admin(client, admin_user):
    """The administrator, logged in and verified by the second factor."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def client_staff_a(client, staff_a):
    client.force_login(staff_a)
    return client


@pytest.fixture
def client_staff_b(client, staff_b):
    client.force_login(staff_b)
    return client


@pytest.fixture
def client_sindaco_a(client, sindaco_a):
    client.force_login(sindaco_a)
    return client


def _transazionale(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return True
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(fixtures & {"transactional_db", "live_server", "esempi_ricaricati"})


def pytest_collection_modifyitems(config, items):
    # Transactional tests (live server, concurrency) flush the database when they
    # end, which removes the session's seed data: run them after all the others.
    items.sort(key=_transazionale)


@pytest.fixture
def esempi_ricaricati(transactional_db):
    """For transactional tests: the seeds loaded afresh (a flush removed them)."""
    call_command("carica_esempi", verbosity=0)
