"""A graduatoria too long to render within a request: the office's PDF of rows
changed since publication is composed by the worker, downloaded from the page
of that work, served again while the rows stay the same; readers may ask for
it too, another ambito never sees it."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from misure.models import Domanda, Elaborazione

from .factories import bando_con_graduatoria
from .test_elaborazioni import CODA_NEL_DATABASE, _worker


@pytest.fixture
def bando(ambito_a):
    return bando_con_graduatoria(ambito_a, "Bando lungo")


@pytest.fixture
def lunga(settings):
    """Three rows count as «too long»; the work waits in the database queue."""
    settings.PIANOCASA_PDF_GRADUATORIA_RIGHE = 2
    settings.TASKS = CODA_NEL_DATABASE


def _testo(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def _url_pdf(bando) -> str:
    return reverse("misure:graduatoria_pdf", args=[bando.pk])


@pytest.mark.django_db(transaction=True)
def test_a_long_pdf_is_composed_by_the_worker_and_served_while_current(
    esempi_ricaricati, bando, lunga, staff_a
):
    client = Client()
    client.force_login(staff_a)
    risposta = client.get(_url_pdf(bando))
    elaborazione = Elaborazione.objects.get(tipo=Elaborazione.Tipo.PDF)
    assert risposta.status_code == 302
    assert risposta.url == elaborazione.get_absolute_url()
    assert elaborazione.documento is None  # nothing rendered in the request

    _worker()
    elaborazione.refresh_from_db()
    assert elaborazione.stato == Elaborazione.Stato.COMPLETATA
    assert elaborazione.risultato == 3
    pagina = client.get(risposta.url).content.decode()
    scarica = reverse("misure:elaborazione_pdf", args=[bando.pk, elaborazione.pk])
    assert "PDF della graduatoria pronto: 3 righe." in pagina and scarica in pagina
    testo = _testo(client.get(scarica).content)
    assert all(f"0000{n}/2026" in testo for n in (1, 2, 3))

    # The same rows: the composed PDF at once, no new work.
    di_nuovo = client.get(_url_pdf(bando))
    assert di_nuovo.status_code == 200
    assert di_nuovo["Content-Type"] == "application/pdf"
    assert di_nuovo.content == bytes(elaborazione.documento)
    assert Elaborazione.objects.filter(tipo=Elaborazione.Tipo.PDF).count() == 1

    # A corrected protocol: new rows, a new PDF; the old one is dropped.
    Domanda.objects.filter(bando=bando, protocollo="00001/2026").update(
        protocollo="99999/2026"
    )
    nuova = client.get(_url_pdf(bando))
    assert nuova.status_code == 302 and nuova.url != risposta.url
    _worker()
    testo = _testo(client.get(_url_pdf(bando)).content)
    assert "99999/2026" in testo and "00001/2026" not in testo
    assert client.get(scarica).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_reader_may_ask_for_the_pdf_but_not_see_the_work_that_writes(
    esempi_ricaricati, bando, lunga, sindaco_a, staff_a
):
    lettore = Client()
    lettore.force_login(sindaco_a)
    risposta = lettore.get(_url_pdf(bando))
    assert risposta.status_code == 302
    _worker()
    assert "Scarica il PDF" in lettore.get(risposta.url).content.decode()

    ufficio = Client()
    ufficio.force_login(staff_a)
    ufficio.post(reverse("misure:graduatoria_calcola", args=[bando.pk]))
    calcolo = Elaborazione.objects.get(tipo=Elaborazione.Tipo.GRADUATORIA)
    assert lettore.get(calcolo.get_absolute_url()).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_another_ambito_never_reaches_the_pdf(
    esempi_ricaricati, bando, lunga, staff_a, staff_b
):
    ufficio = Client()
    ufficio.force_login(staff_a)
    ufficio.get(_url_pdf(bando))
    _worker()
    elaborazione = Elaborazione.objects.get(tipo=Elaborazione.Tipo.PDF)
    estraneo = Client()
    estraneo.force_login(staff_b)
    for url in (
        _url_pdf(bando),
        elaborazione.get_absolute_url(),
        reverse("misure:elaborazione_pdf", args=[bando.pk, elaborazione.pk]),
    ):
        assert estraneo.get(url).status_code == 404, url
    assert Elaborazione.objects.filter(tipo=Elaborazione.Tipo.PDF).count() == 1


def test_a_short_pdf_is_still_rendered_in_the_request(bando, client_staff_a):
    risposta = client_staff_a.get(_url_pdf(bando))
    assert risposta.status_code == 200
    assert "00002/2026" in _testo(risposta.content)
    assert not Elaborazione.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_invented_ambito_gets_its_long_pdf_too(esempi_ricaricati, lunga):
    from django.contrib.auth import get_user_model

    from tests.piani.ambito_inventato import ambito_inventato_crea

    ufficio = get_user_model().objects.create_user(username="t.ufficio.inventato")
    ambito = ambito_inventato_crea(utente_ufficio=ufficio)
    bando = bando_con_graduatoria(ambito, "Bando dell'ambito inventato")
    client = Client()
    client.force_login(ufficio)
    risposta = client.get(_url_pdf(bando))
    assert risposta.status_code == 302
    _worker()
    assert "00003/2026" in _testo(client.get(_url_pdf(bando)).content)
