"""Sessions: they end after PIANOCASA_INATTIVITA_MINUTI (30) without a request,
and no page seen by a logged-in user may be kept by a cache."""

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from ambiti.models import Ambito, Comune, Incarico
from misure.models import Domanda
from pianocasa.sicurezza.services import SESSIONE_ATTIVITA
from tests.misure.factories import bando_crea, domanda_crea


@pytest.fixture
def ambito_inventato(db):
    ambito = Ambito.objects.create(
        nome="Ambito Alto Lario Inventato", slug="alto-lario-inventato", provincia="CO"
    )
    ambito.comuni.add(*Comune.objects.order_by("codice_istat")[:2])
    return ambito


@pytest.fixture
def ufficio(ambito_inventato):
    utente = get_user_model().objects.create_user(username="g.negri", password="x")
    Incarico.objects.create(
        utente=utente, ambito=ambito_inventato, ruolo=Incarico.Ruolo.UFFICIO
    )
    return utente


@pytest.fixture
def domanda(ambito_inventato):
    bando = bando_crea(ambito_inventato, titolo="Bando affitti 2027 inventato")
    domanda = domanda_crea(bando, 7, cognome="Invernizzi", isee=Decimal("7000.00"))
    domanda.save()
    return Domanda.objects.get(pk=domanda.pk)


def _sessione(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_domanda_page_is_never_stored(client, ufficio, domanda):
    client.force_login(ufficio)
    risposta = client.get(reverse("misure:domanda_detail", args=[domanda.pk]))
    assert risposta.status_code == 200
    assert "Invernizzi" in risposta.content.decode()
    direttive = {d.strip() for d in risposta["Cache-Control"].split(",")}
    assert {"no-store", "private", "no-cache"} <= direttive


def test_every_page_of_a_logged_in_user_is_never_stored(client, ufficio):
    client.force_login(ufficio)
    for url in (reverse("piani:piano_list"), reverse("sicurezza:sicurezza")):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_the_public_pages_stay_cacheable_for_anonymous_visitors(
    client, ambito_inventato
):
    url = reverse("ciclo:pubblico_ambito", args=[ambito_inventato.slug])
    risposta = client.get(url)
    assert risposta.status_code == 200
    assert "no-store" not in risposta.get("Cache-Control", "")


def test_the_session_lasts_thirty_minutes_of_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_an_idle_session_ends(client, ufficio):
    client.force_login(ufficio)
    assert client.get(reverse("piani:piano_list")).status_code == 200
    # 31 minutes without a request: the stored session has expired.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    risposta = client.get(reverse("piani:piano_list"))
    assert risposta.status_code == 302
    assert risposta["Location"].startswith(reverse("login"))


def test_activity_pushes_the_end_of_the_session_forward(client, ufficio):
    client.force_login(ufficio)
    sessione = client.session
    sessione[SESSIONE_ATTIVITA] = int(time.time()) - 120
    sessione.save()
    Session.objects.filter(session_key=sessione.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=3)
    )

    client.get(reverse("piani:piano_list"))

    scadenza = _sessione(client).expire_date
    assert scadenza > timezone.now() + timedelta(minutes=29)


def test_the_expiry_is_renewed_at_most_once_a_minute(client, ufficio):
    # Not on every request: a page view writes no session row.
    client.force_login(ufficio)
    client.get(reverse("piani:piano_list"))
    prima = _sessione(client).expire_date
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=prima - timedelta(minutes=5)
    )
    client.get(reverse("piani:piano_list"))
    assert _sessione(client).expire_date == prima - timedelta(minutes=5)
