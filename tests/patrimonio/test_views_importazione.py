"""Pagine delle importazioni: solo amministratori; upload → anteprima → conferma;
mappatura ricordata; stato in JSON; modello XLSX."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from patrimonio.models import Alloggio, Importazione, MappaturaColonne
from tests.patrimonio.aiuti import (
    csv_testo,
    righe_alloggi,
)


@pytest.fixture
def amministratore(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    utente = get_user_model().objects.create_user(
        "t.imp.admin", password="pw-test-123", is_superuser=True, is_staff=True
    )
    client.force_login(utente)
    return client


def _carica(client, contenuto: bytes, nome="anagrafe.csv", tipo="alloggi"):
    return client.post(
        reverse("patrimonio:importazione_create"),
        {"tipo": tipo, "file": SimpleUploadedFile(nome, contenuto)},
    )


def test_non_administrators_get_403(client, db):
    utente = get_user_model().objects.create_user("t.imp.staff", password="pw-test-123")
    client.force_login(utente)
    for nome in ("importazione_list", "importazione_create", "modello_alloggi"):
        assert client.get(reverse(f"patrimonio:{nome}")).status_code == 403
    assert _carica(client, b"x").status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    risposta = client.get(reverse("patrimonio:importazione_list"))
    assert risposta.status_code == 302


def test_upload_preview_confirm(amministratore, anagrafe_base):
    contenuto = csv_testo(righe_alloggi(12)).encode("utf-8-sig")
    risposta = _carica(amministratore, contenuto)
    importazione = Importazione.objects.get()
    assert risposta.url == reverse(
        "patrimonio:importazione_detail", args=[importazione.pk]
    )
    assert importazione.stato == Importazione.Stato.ANTEPRIMA
    assert importazione.creati == 12
    assert importazione.nome_file == "anagrafe.csv"
    assert len(importazione.sha256) == 64
    assert not Alloggio.objects.filter(codice__startswith="BG-").exists()

    pagina = amministratore.get(risposta.url)
    assert "Conferma e importa" in pagina.content.decode()

    amministratore.post(
        reverse("patrimonio:importazione_conferma", args=[importazione.pk])
    )
    importazione.refresh_from_db()
    assert importazione.stato == Importazione.Stato.COMPLETATA
    assert Alloggio.objects.filter(codice__startswith="BG-").count() == 12

    stato = amministratore.get(
        reverse("patrimonio:importazione_stato", args=[importazione.pk])
    ).json()
    assert stato["conclusa"] and stato["progresso"] == 100
    lista = amministratore.get(reverse("patrimonio:importazione_list")).content.decode()
    assert "anagrafe.csv" in lista


def test_bad_file_lists_every_row_and_cannot_be_confirmed(
    amministratore, anagrafe_base
):
    righe = righe_alloggi(12)
    righe[2][9] = "libbero"
    righe[7][7] = -1
    _carica(amministratore, csv_testo(righe).encode())
    importazione = Importazione.objects.get()
    assert importazione.stato == Importazione.Stato.RIFIUTATA
    pagina = amministratore.get(
        reverse("patrimonio:importazione_detail", args=[importazione.pk])
    ).content.decode()
    assert (
        "Riga 4, colonna Stato: valore &#x27;libbero&#x27; non riconosciuto" in pagina
    )
    assert "Riga 9, colonna Vani: valore negativo" in pagina
    assert "Conferma e importa" not in pagina
    amministratore.post(
        reverse("patrimonio:importazione_conferma", args=[importazione.pk])
    )
    assert not Alloggio.objects.filter(codice__startswith="BG-").exists()


def test_hostile_upload_is_refused_with_its_message(amministratore, anagrafe_base):
    _carica(amministratore, b"Codice;Stato\r\n1;libero\r\n", nome="finto.xlsx")
    importazione = Importazione.objects.get()
    assert importazione.stato == Importazione.Stato.RIFIUTATA
    assert "file di testo" in importazione.errori[0]


def test_unknown_column_is_mapped_on_the_page_and_remembered(
    amministratore, anagrafe_base
):
    righe = [[r[0], r[1], r[2], r[8], r[9], r[7]] for r in righe_alloggi(4)]
    intestazioni = ["Codice", "Ente", "ISTAT", "Servizio", "Stato", "Camere"]
    _carica(amministratore, csv_testo(righe, intestazioni).encode())
    importazione = Importazione.objects.get()
    assert importazione.colonne_sconosciute == ["Camere"]
    pagina = amministratore.get(
        reverse("patrimonio:importazione_detail", args=[importazione.pk])
    ).content.decode()
    assert "Colonne non riconosciute" in pagina
    amministratore.post(
        reverse("patrimonio:importazione_mappa", args=[importazione.pk]),
        {"colonna_0": "vani"},
    )
    importazione.refresh_from_db()
    assert importazione.colonne_sconosciute == []
    assert importazione.mappatura["Camere"] == "vani"
    assert MappaturaColonne.objects.filter(intestazione="camere", campo="vani").exists()
    amministratore.post(
        reverse("patrimonio:importazione_conferma", args=[importazione.pk])
    )
    assert Alloggio.objects.get(codice="BG-000003").vani == 4


def test_big_files_go_to_the_task_queue_with_progress(
    amministratore, anagrafe_base, monkeypatch
):
    from patrimonio import views

    monkeypatch.setattr(views, "SOGLIA_BACKGROUND", 10)
    _carica(amministratore, csv_testo(righe_alloggi(5)).encode())
    importazione = Importazione.objects.get()
    # I test usano il backend immediato: il task ha già girato.
    assert importazione.stato == Importazione.Stato.ANTEPRIMA
    assert importazione.progresso == 100


def test_template_xlsx_has_the_recognised_headers(amministratore, tmp_path):
    risposta = amministratore.get(reverse("patrimonio:modello_alloggi"))
    assert risposta["Content-Type"].startswith("application/vnd.openxmlformats")
    percorso = tmp_path / "modello.xlsx"
    percorso.write_bytes(risposta.content)
    righe = CalamineWorkbook.from_path(str(percorso)).get_sheet_by_index(0).to_python()
    assert righe[0][0] == "Codice alloggio" and "Stato" in righe[0]
    assert righe[1][2] == "016077"  # codice ISTAT come testo


def test_alloggi_list_is_scoped_and_paginated(client, db):
    utente = get_user_model().objects.create_user("t.imp.vede", password="pw-test-123")
    client.force_login(utente)
    risposta = client.get(reverse("patrimonio:alloggio_list"))
    assert risposta.status_code == 200
    assert risposta.context["table"].paginator.count == 0


def test_running_import_shows_the_stored_progress(amministratore):
    importazione = Importazione.objects.create(
        tipo="alloggi",
        nome_file="grande.xlsx",
        sha256="0" * 64,
        stato=Importazione.Stato.IN_CORSO,
        progresso=40,
        fase="Controllo delle righe",
    )
    pagina = amministratore.get(
        reverse("patrimonio:importazione_detail", args=[importazione.pk])
    ).content.decode()
    assert 'aria-valuenow="40"' in pagina and "Controllo delle righe" in pagina
    stato = amministratore.get(
        reverse("patrimonio:importazione_stato", args=[importazione.pk])
    ).json()
    assert stato == {
        "stato": "in_corso",
        "stato_testo": "In corso",
        "progresso": 40,
        "fase": "Controllo delle righe",
        "conclusa": False,
        "url": reverse("patrimonio:importazione_detail", args=[importazione.pk]),
    }


def test_oversized_upload_is_refused_before_storing(amministratore, settings):
    settings.PIANOCASA_MAX_UPLOAD_BYTES = 100
    risposta = _carica(amministratore, b"x" * 200)
    # Fermato dal gestore degli upload mentre arriva (pianocasa/caricamenti.py).
    assert risposta.status_code == 413
    assert "Il file è troppo grande" in risposta.content.decode()
    assert not Importazione.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_worker_runs_the_import(
    amministratore, anagrafe_base, monkeypatch, settings
):
    from django.core.management import call_command

    from patrimonio import views

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    monkeypatch.setattr(views, "SOGLIA_BACKGROUND", 10)
    _carica(amministratore, csv_testo(righe_alloggi(5)).encode())
    importazione = Importazione.objects.get()
    assert importazione.stato == Importazione.Stato.IN_ATTESA
    pagina = amministratore.get(
        reverse("patrimonio:importazione_detail", args=[importazione.pk])
    ).content.decode()
    assert 'role="progressbar"' in pagina

    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0
    )
    importazione.refresh_from_db()
    assert importazione.stato == Importazione.Stato.ANTEPRIMA
    assert importazione.creati == 5


def test_enti_tables_need_a_plan_and_update_it(amministratore, piano_esempio):
    from piani.models import Comunicazione

    contenuto = csv_testo(
        [["COMUNE DI PARRE", "17", "0", "17", "0"]],
        [
            "Ente Proprietario",
            "Numero Alloggi complessivi",
            "Numero Alloggi Servizio Abitativo Sociale (SAS)",
            "Numero Alloggi Servizio Abitativo Pubblico (SAP)",
            "Numero Alloggi altro uso residenziale",
        ],
    ).encode()
    senza_piano = _carica(amministratore, contenuto, tipo="enti")
    assert "Indicare il piano" in senza_piano.content.decode()
    amministratore.post(
        reverse("patrimonio:importazione_create"),
        {
            "tipo": "enti",
            "piano": piano_esempio.pk,
            "file": SimpleUploadedFile("enti.csv", contenuto),
        },
    )
    importazione = Importazione.objects.get()
    assert (importazione.stato, importazione.modificati) == ("anteprima", 1)
    amministratore.post(
        reverse("patrimonio:importazione_conferma", args=[importazione.pk])
    )
    parre = Comunicazione.objects.get(piano=piano_esempio, ente__comune__nome="Parre")
    assert parre.alloggi_totali == 17


def test_alloggi_list_shows_only_the_users_ambiti(
    tmp_path,
    anagrafe_base,
    piano_esempio,
    staff_a,
    staff_b,
    django_assert_max_num_queries,
):
    from django.test import Client

    from patrimonio.services import alloggi_importa
    from tests.patrimonio.aiuti import scrivi_csv

    righe = righe_alloggi(40)  # Clusone, Ardesio, Parre: ambito A
    fuori = list(righe[0])
    fuori[0], fuori[2] = "BG-FUORI", "016024"  # Bergamo: in nessun ambito dei seed
    alloggi_importa(
        percorso=scrivi_csv(tmp_path / "a.csv", [*righe, fuori]), scrivi=True
    )
    cliente_a, cliente_b = Client(), Client()
    cliente_a.force_login(staff_a)
    cliente_b.force_login(staff_b)
    url = reverse("patrimonio:alloggio_list")
    with django_assert_max_num_queries(12):
        risposta = cliente_a.get(url)
    assert risposta.context["table"].paginator.count == 40
    assert "BG-000000" in risposta.content.decode()
    assert cliente_b.get(url).context["table"].paginator.count == 0
    filtrata = cliente_a.get(url, {"stato": "libero"})
    assert filtrata.context["table"].paginator.count == 10
