"""Public endpoints: a published PDF is served as stored with its hash as ETag
and cacheable; a revalidation gets 304 with no body; one address that asks too
often gets 429 in Italian, the others are still served."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from piani import ciclo
from tests.piani.test_ciclo import approva, media_tmp, riscontra_tutte  # noqa: F401


@pytest.fixture
def pubblicato(piano_a, staff_a, media_tmp):  # noqa: F811
    riscontra_tutte(piano_a, staff_a)
    versione = approva(piano_a, staff_a)
    ciclo.piano_pubblica(piano=piano_a, utente=staff_a)
    return versione


def _url_pdf(versione):
    piano = versione.piano
    return reverse(
        "ciclo:pubblico_pdf", args=[piano.ambito.slug, piano.anno, versione.revisione]
    )


def test_the_published_pdf_carries_its_hash_and_revalidates_with_304(
    client, pubblicato
):
    risposta = client.get(_url_pdf(pubblicato))
    assert risposta.status_code == 200
    assert risposta["ETag"] == f'"{pubblicato.sha256_pdf}"'
    assert "public" in risposta["Cache-Control"]
    assert "max-age=300" in risposta["Cache-Control"]
    di_nuovo = client.get(_url_pdf(pubblicato), HTTP_IF_NONE_MATCH=risposta["ETag"])
    assert di_nuovo.status_code == 304
    assert di_nuovo.content == b""
    # Another hash (an older copy) gets the file again.
    altra = client.get(_url_pdf(pubblicato), HTTP_IF_NONE_MATCH='"0000"')
    assert altra.status_code == 200


def test_a_logged_in_users_copy_is_private(client_staff_a, pubblicato, ambito_a):
    pagina = client_staff_a.get(reverse("ciclo:pubblico_ambito", args=[ambito_a.slug]))
    assert "private" in pagina["Cache-Control"]
    assert "public" not in pagina["Cache-Control"]


def test_an_unpublished_revision_has_no_etag_and_is_404(client, piano_a, db):
    url = reverse("ciclo:pubblico_pdf", args=[piano_a.ambito.slug, piano_a.anno, 1])
    risposta = client.get(url)
    assert risposta.status_code == 404
    assert not risposta.has_header("ETag")


@pytest.fixture
def limite(settings):
    settings.PIANOCASA_LIMITE_PUBBLICO = "3/60"
    caches["limiti"].clear()
    yield
    caches["limiti"].clear()


def test_one_address_over_the_limit_gets_429_others_are_served(
    client, ambito_a, limite
):
    url = reverse("ciclo:pubblico_ambito", args=[ambito_a.slug])
    for _ in range(3):
        assert client.get(url, REMOTE_ADDR="10.0.0.1").status_code == 200
    troppo = client.get(url, REMOTE_ADDR="10.0.0.1")
    assert troppo.status_code == 429
    assert 1 <= int(troppo["Retry-After"]) <= 60
    assert "Troppe richieste" in troppo.content.decode()
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_counts(
    client, ambito_a, limite, settings
):
    settings.PIANOCASA_PROXY_NUMERO = 1
    url = reverse("ciclo:pubblico_ambito", args=[ambito_a.slug])
    for _ in range(3):
        client.get(url, REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert (
        client.get(
            url, REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.5"
        ).status_code
        == 429
    )
    # The same proxy, another visitor: served.
    assert (
        client.get(
            url, REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.6"
        ).status_code
        == 200
    )
    # A spoofed chain: only the last hop (the proxy's view) is believed.
    assert (
        client.get(
            url,
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5",
        ).status_code
        == 429
    )
