"""The domande import and the graduatoria as background work: queued from the
page, progress on its page, one at a time per bando, for the bando's staff only."""

import html
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from misure.models import Domanda, Elaborazione

from .factories import bando_crea
from .test_importazione import _riga, _xlsx

CODA_NEL_DATABASE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


@pytest.fixture
def bando(ambito_a):
    return bando_crea(ambito_a)


def _importa(client, bando, righe, **extra):
    return client.post(
        reverse("misure:domanda_import", args=[bando.pk]),
        {"file": SimpleUploadedFile("domande.xlsx", _xlsx(righe))},
        **extra,
    )


def _worker():
    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0
    )


@pytest.mark.django_db(transaction=True)
def test_the_import_is_queued_then_the_worker_writes_it(
    esempi_ricaricati, bando, client, staff_a, settings
):
    settings.TASKS = CODA_NEL_DATABASE
    client.force_login(staff_a)
    risposta = _importa(client, bando, [_riga(i) for i in range(1, 6)])
    elaborazione = Elaborazione.objects.get()
    assert risposta.url == elaborazione.get_absolute_url()
    assert elaborazione.stato == Elaborazione.Stato.IN_ATTESA
    assert not bando.domande.exists()  # nothing written in the request
    pagina = client.get(risposta.url).content.decode()
    assert 'role="progressbar"' in pagina and 'id="nessun-worker"' in pagina
    stato = client.get(
        reverse("misure:elaborazione_stato", args=[bando.pk, elaborazione.pk])
    ).json()
    assert stato["stato"] == "in_attesa" and stato["conclusa"] is False

    _worker()
    elaborazione.refresh_from_db()
    assert elaborazione.stato == Elaborazione.Stato.COMPLETATA
    assert elaborazione.risultato == 5 == bando.domande.count()
    assert elaborazione.progresso == 100
    # the applicants' file does not outlive the work
    assert elaborazione.contenuto is None
    assert "Importate 5 domande" in client.get(risposta.url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_second_work_waits_for_the_first(
    esempi_ricaricati, bando, client, staff_a, settings
):
    settings.TASKS = CODA_NEL_DATABASE
    client.force_login(staff_a)
    _importa(client, bando, [_riga(1)])
    prima = Elaborazione.objects.get()
    risposta = client.post(
        reverse("misure:graduatoria_calcola", args=[bando.pk]), follow=True
    )
    assert Elaborazione.objects.count() == 1  # refused, not queued
    testo = html.unescape(risposta.content.decode())
    assert "È già in corso un'elaborazione del bando" in testo
    assert risposta.redirect_chain[-1][0] == prima.get_absolute_url()

    _worker()
    client.post(reverse("misure:graduatoria_calcola", args=[bando.pk]))
    _worker()
    graduatoria = Elaborazione.objects.get(tipo=Elaborazione.Tipo.GRADUATORIA)
    assert graduatoria.stato == Elaborazione.Stato.COMPLETATA
    assert (
        graduatoria.risultato
        == bando.domande.filter(esito=Domanda.Esito.AMMESSA).count()
        == 1
    )


def test_the_graduatoria_page_shows_how_many_were_admitted(bando, client, staff_a):
    client.force_login(staff_a)
    _importa(client, bando, [_riga(1), _riga(2)])
    risposta = client.post(
        reverse("misure:graduatoria_calcola", args=[bando.pk]), follow=True
    )
    assert "Graduatoria calcolata: 2 domande ammesse." in risposta.content.decode()
    assert bando.domande.filter(posizione__isnull=False).count() == 2


def test_a_refused_file_keeps_every_error_and_no_file(bando, client, staff_a):
    client.force_login(staff_a)
    _importa(client, bando, [_riga(1, ISEE="x"), _riga(2, Componenti=0)])
    elaborazione = Elaborazione.objects.get()
    assert elaborazione.stato == Elaborazione.Stato.RIFIUTATA
    assert elaborazione.contenuto is None
    assert [e.split(":")[0] for e in elaborazione.errori] == [
        "Riga 2, colonna ISEE",
        "Riga 3, colonna Componenti",
    ]


def test_another_ambito_and_readers_cannot_see_the_work(
    bando, client, staff_a, staff_b, sindaco_a
):
    client.force_login(staff_a)
    _importa(client, bando, [_riga(1)])
    elaborazione = Elaborazione.objects.get()
    pagina = elaborazione.get_absolute_url()
    stato = reverse("misure:elaborazione_stato", args=[bando.pk, elaborazione.pk])
    client.force_login(staff_b)
    assert client.get(pagina).status_code == 404
    assert client.get(stato).status_code == 404
    client.force_login(sindaco_a)
    assert client.get(pagina).status_code == 403
    assert client.get(stato).status_code == 403
    # another bando's path does not reach it either
    altro = bando_crea(bando.ambito)
    client.force_login(staff_a)
    assert (
        client.get(
            reverse("misure:elaborazione_detail", args=[altro.pk, elaborazione.pk])
        ).status_code
        == 404
    )


def test_publication_runs_in_the_background_and_reports_its_rows(
    bando, client, staff_a
):
    client.force_login(staff_a)
    _importa(client, bando, [_riga(1), _riga(2), _riga(3)])
    client.post(reverse("misure:graduatoria_calcola", args=[bando.pk]))
    risposta = client.post(
        reverse("misure:graduatoria_pubblicazione", args=[bando.pk]),
        {"pubblica": "1"},
        follow=True,
    )
    lavoro = Elaborazione.objects.get(tipo=Elaborazione.Tipo.PUBBLICAZIONE)
    assert risposta.redirect_chain[-1][0] == lavoro.get_absolute_url()
    assert lavoro.stato == Elaborazione.Stato.COMPLETATA and lavoro.risultato == 3
    testo = html.unescape(risposta.content.decode())
    assert "Graduatoria pubblicata nella pagina pubblica dell'ambito: 3 righe." in testo
    assert bando.pubblicazioni.count() == 1
    # a second publication needs a reason: refused in the request, nothing queued
    risposta = client.post(
        reverse("misure:graduatoria_pubblicazione", args=[bando.pk]),
        {"pubblica": "1"},
        follow=True,
    )
    assert "va motivata" in risposta.content.decode()
    assert Elaborazione.objects.filter(tipo="pubblicazione").count() == 1


def test_work_whose_worker_died_no_longer_holds_the_bando(bando, client, staff_a):
    bloccata = Elaborazione.objects.create(
        bando=bando, tipo=Elaborazione.Tipo.GRADUATORIA, stato="in_corso"
    )
    Elaborazione.objects.filter(pk=bloccata.pk).update(
        creata_il=timezone.now() - timedelta(hours=3)
    )
    client.force_login(staff_a)
    _importa(client, bando, [_riga(1)])
    bloccata.refresh_from_db()
    assert bloccata.stato == Elaborazione.Stato.FALLITA
    nuova = Elaborazione.objects.exclude(pk=bloccata.pk).get()
    assert nuova.stato == Elaborazione.Stato.COMPLETATA
    assert bando.domande.count() == 1
