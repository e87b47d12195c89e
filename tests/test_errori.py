"""Error pages with production settings (DEBUG=False): Italian, in the site's
layout, with a way back; never the theme's demo pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import include, path, reverse

from pianocasa.errori import errore_400, errore_500


def _guasto(request):
    raise RuntimeError("guasto di prova")


# This module doubles as a URLconf: the real site plus a view that fails.
urlpatterns = [
    path("guasto/", _guasto),
    path("", include("pianocasa.urls")),
]
handler400 = "pianocasa.errori.errore_400"
handler403 = "pianocasa.errori.errore_403"
handler404 = "pianocasa.errori.errore_404"
handler500 = "pianocasa.errori.errore_500"

DEMO_DEL_TEMA = [
    "Nome Organizzazione",
    "Lorem",
    "Page or Resource not found",
    "encourrend",
]


def _testo(risposta) -> str:
    return risposta.content.decode()


@pytest.mark.django_db
def test_404_is_italian_in_the_sites_layout(client, settings):
    settings.DEBUG = False
    risposta = client.get("/non-esiste-questa-pagina/")
    assert risposta.status_code == 404
    testo = _testo(risposta)
    assert "Pagina non trovata" in testo
    assert "Torna alla pagina iniziale" in testo
    assert "it-header-wrapper" in testo  # the site's header
    for demo in DEMO_DEL_TEMA:
        assert demo not in testo


def test_404_for_another_ambitos_staff_is_the_italian_page(
    client_staff_b, ambito_a, settings
):
    settings.DEBUG = False
    url = reverse("ambiti:ambito_update", args=[ambito_a.slug])
    risposta = client_staff_b.get(url)
    assert risposta.status_code == 404
    assert "Pagina non trovata" in _testo(risposta)
    # Logged in: the menu is there, the login link is not.
    assert "menu-principale" in _testo(risposta)
    assert "Accedi all&#x27;area riservata" not in _testo(risposta)


def test_403_for_a_read_only_user_explains_in_italian(
    client_sindaco_a, ambito_a, settings
):
    settings.DEBUG = False
    risposta = client_sindaco_a.post(
        reverse("ambiti:ambito_update", args=[ambito_a.slug]), {}
    )
    assert risposta.status_code == 403
    testo = _testo(risposta)
    assert "Operazione non consentita" in testo
    assert "Torna alla pagina iniziale" in testo
    assert "403 Forbidden" not in testo


@pytest.mark.urls("tests.test_errori")
@pytest.mark.django_db
def test_500_renders_the_self_contained_italian_page(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    risposta = client.get("/guasto/")
    assert risposta.status_code == 500
    testo = _testo(risposta)
    assert "Errore del servizio" in testo
    assert 'lang="it"' in testo
    assert 'href="/"' in testo
    for demo in DEMO_DEL_TEMA + ["Internal Error"]:
        assert demo not in testo


def test_500_needs_no_database(settings):
    # No django_db mark: any query would fail the test.
    risposta = errore_500(None)
    assert risposta.status_code == 500
    assert "Errore del servizio" in risposta.content.decode()


@pytest.mark.django_db
def test_400_is_italian(settings):
    settings.DEBUG = False
    richiesta = RequestFactory().get("/")
    richiesta.user = AnonymousUser()
    risposta = errore_400(richiesta)
    assert risposta.status_code == 400
    assert "Richiesta non valida" in risposta.content.decode()


def test_handlers_are_registered():
    from pianocasa import urls

    assert urls.handler404 == "pianocasa.errori.errore_404"
    assert urls.handler500 == "pianocasa.errori.errore_500"


@pytest.mark.django_db
def test_csrf_failure_is_italian(settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    risposta = client.post(reverse("logout"))
    assert risposta.status_code == 403
    testo = _testo(risposta)
    assert "Modulo scaduto" in testo
    assert "Forbidden" not in testo
