"""Un corpo oltre PIANOCASA_MAX_UPLOAD_BYTES è rifiutato con un messaggio italiano
prima di essere letto: dal Content-Length senza leggere nulla, oppure appena i byte
del file passano il limite (il resto del corpo non si legge)."""

import io

import pytest
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from misure.models import Domanda
from patrimonio.models import Importazione
from tests.misure.factories import bando_crea


class Contatore(io.BytesIO):
    """Il corpo della richiesta, che ricorda quanti byte gli sono stati letti."""

    letti = 0

    def read(self, n=-1):
        dati = super().read(n)
        self.letti += len(dati)
        return dati

    def readline(self, n=-1):
        dati = super().readline(n)
        self.letti += len(dati)
        return dati


def _invia(percorso: str, corpo: bytes, *, lunghezza: int | None = None):
    flusso = Contatore(corpo)
    ambiente = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": percorso,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": flusso,
        "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": MULTIPART_CONTENT,
        "CONTENT_LENGTH": str(len(corpo) if lunghezza is None else lunghezza),
    }
    stato = []
    # Come il client di test: a fine richiesta Django chiuderebbe la connessione,
    # che su PostgreSQL è quella della transazione del test.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        risposta = WSGIHandler()(ambiente, lambda s, h: stato.append(s))
        testo = b"".join(risposta).decode()
        risposta.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return int(stato[0].split()[0]), testo, flusso.letti


def _corpo(dimensione: int) -> bytes:
    return encode_multipart(
        BOUNDARY,
        {"tipo": "alloggi", "file": SimpleUploadedFile("a.xlsx", b"x" * dimensione)},
    )


@pytest.mark.django_db
def test_a_declared_body_over_the_limit_is_refused_unread(settings):
    settings.PIANOCASA_MAX_UPLOAD_BYTES = 100 * 2**10
    corpo = _corpo(2 * 2**20)
    # Counted, not assumed empty: the seeds reloaded by other tests may hold imports.
    prima = Importazione.objects.count()
    stato, testo, letti = _invia(reverse("patrimonio:importazione_create"), corpo)
    assert stato == 413
    assert "Il file è troppo grande: il massimo è 0,1 MB" in testo
    assert letti == 0
    assert Importazione.objects.count() == prima


@pytest.mark.django_db
def test_the_handler_stops_reading_when_the_file_passes_the_limit(settings):
    settings.PIANOCASA_MAX_UPLOAD_BYTES = 100 * 2**10
    corpo = _corpo(3 * 2**20)
    # Un Content-Length che mente (entro il margine): conta ciò che arriva davvero.
    stato, testo, letti = _invia(
        reverse("patrimonio:importazione_create"), corpo, lunghezza=len(corpo)
    )
    assert stato == 413
    assert "Il file è troppo grande" in testo
    # Letto il limite più al massimo un paio di blocchi da 64 KB, non 3 MB.
    assert letti < 100 * 2**10 + 3 * 64 * 2**10 < len(corpo)


def test_the_handler_stops_a_domande_upload_early(settings, ambito_a, client_staff_a):
    settings.PIANOCASA_MAX_UPLOAD_BYTES = 50 * 2**10
    bando = bando_crea(ambito_a)
    risposta = client_staff_a.post(
        reverse("misure:domanda_import", args=[bando.pk]),
        {"file": SimpleUploadedFile("domande.xlsx", b"x" * (60 * 2**10))},
    )
    assert risposta.status_code == 413
    assert "Il file è troppo grande" in risposta.content.decode()
    assert not Domanda.objects.filter(bando=bando).exists()


def test_a_body_within_the_limit_reaches_the_view(settings, ambito_a, client_staff_a):
    settings.PIANOCASA_MAX_UPLOAD_BYTES = 50 * 2**10
    bando = bando_crea(ambito_a)
    risposta = client_staff_a.post(
        reverse("misure:domanda_import", args=[bando.pk]),
        {"file": SimpleUploadedFile("domande.xlsx", b"x" * (40 * 2**10))},
        follow=True,
    )
    assert risposta.status_code == 200
    # La vista ha letto il file: il lettore lo rifiuta perché non è un .xlsx.
    assert "ma è un file di testo" in risposta.content.decode()
