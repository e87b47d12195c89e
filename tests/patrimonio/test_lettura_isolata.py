"""calamine legge in un processo figlio con limiti di memoria e di tempo: un file
che gli farebbe chiedere troppa memoria uccide il figlio, non il server né il
worker; l'importazione finisce «rifiutata» con un messaggio italiano, mai «in
corso» per sempre."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from patrimonio.models import Alloggio, Importazione
from pianocasa.lettori import ErroreImport, processo, tabella_leggi
from tests.patrimonio.corpus import INTESTAZIONE_A_MANO, angolo_lontano, xlsx_a_mano

# 250.000 righe × 100 colonne: entro i limiti di righe e colonne, ma calamine
# alloca 800 MB per costruire il rettangolo.
AREA_GRANDE = xlsx_a_mano(
    [INTESTAZIONE_A_MANO + b'<row r="250000"><c r="CV250000"><v>1</v></c></row>']
)


@pytest.fixture
def amministratore(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    utente = get_user_model().objects.create_user(
        "t.iso.admin", password="pw-test-123", is_superuser=True, is_staff=True
    )
    client.force_login(utente)
    return client


def _carica_in_background(client, monkeypatch, contenuto: bytes) -> Importazione:
    from patrimonio import views

    monkeypatch.setattr(views, "SOGLIA_BACKGROUND", 10)
    client.post(
        reverse("patrimonio:importazione_create"),
        {"tipo": "alloggi", "file": SimpleUploadedFile("anagrafe.xlsx", contenuto)},
    )
    return Importazione.objects.get()


def test_the_far_corner_is_refused_by_the_checks_and_the_child_is_stopped(
    tmp_path, monkeypatch
):
    # The checks run in the parent while the child (memory and time limits)
    # parses: the checks' clear message wins and the child does not outlive it.
    percorso = tmp_path / "angolo.xlsx"
    percorso.write_bytes(angolo_lontano())
    figli = []
    avvia = processo._avvia

    def avvia_e_ricorda(*args, **kwargs):
        figli.append(avvia(*args, **kwargs))
        return figli[-1]

    monkeypatch.setattr(processo, "_avvia", avvia_e_ricorda)
    with pytest.raises(ErroreImport) as errore:
        tabella_leggi(percorso)
    assert errore.value.messaggi == [
        "Il foglio «Foglio1» ha una cella in XFD1048576, oltre il limite di "
        "250.010 righe e 100 colonne: rifiutato per sicurezza."
    ]
    assert len(figli) == 1 and figli[0].returncode is not None


def test_a_child_out_of_memory_is_an_italian_error(tmp_path, settings):
    settings.PIANOCASA_LETTURA_MAX_MEMORIA = 300 * 2**20
    percorso = tmp_path / "grande.xlsx"
    percorso.write_bytes(AREA_GRANDE)
    with pytest.raises(ErroreImport) as errore:
        tabella_leggi(percorso)
    assert errore.value.messaggi == [
        "Il file non può essere letto in sicurezza: la lettura richiederebbe più "
        "memoria dei 300 MB consentiti ed è stata interrotta."
    ]


def test_a_child_over_time_is_an_italian_error(tmp_path, settings):
    settings.PIANOCASA_LETTURA_MAX_SECONDI = 0
    percorso = tmp_path / "grande.xlsx"
    percorso.write_bytes(AREA_GRANDE)
    with pytest.raises(ErroreImport) as errore:
        tabella_leggi(percorso)
    assert "superato il tempo massimo di 0 secondi" in errore.value.messaggi[0]


def test_the_child_refuses_an_area_over_the_cell_limit(tmp_path, settings):
    settings.PIANOCASA_LETTURA_MAX_CELLE = 1_000
    percorso = tmp_path / "largo.xlsx"
    percorso.write_bytes(
        xlsx_a_mano(
            [INTESTAZIONE_A_MANO + b'<row r="2000"><c r="B2000"><v>1</v></c></row>']
        )
    )
    with pytest.raises(ErroreImport) as errore:
        tabella_leggi(percorso)
    assert errore.value.messaggi == [
        "Il foglio ha troppe celle (2.000 righe × 2 colonne): il massimo è 1.000 celle."
    ]


def test_a_task_with_the_far_corner_ends_refused(amministratore, monkeypatch):
    importazione = _carica_in_background(amministratore, monkeypatch, angolo_lontano())
    assert importazione.stato == Importazione.Stato.RIFIUTATA
    assert "XFD1048576" in importazione.errori[0]
    assert not Alloggio.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_a_child_killed_for_memory(
    amministratore, monkeypatch, settings
):
    from django.core.management import call_command

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.PIANOCASA_LETTURA_MAX_MEMORIA = 300 * 2**20
    importazione = _carica_in_background(amministratore, monkeypatch, AREA_GRANDE)
    assert importazione.stato == Importazione.Stato.IN_ATTESA
    # Il worker gira in questo processo: se calamine abortisse qui, il test morirebbe.
    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0
    )
    importazione.refresh_from_db()
    assert importazione.stato == Importazione.Stato.RIFIUTATA
    assert "non può essere letto in sicurezza" in importazione.errori[0]
    assert not Alloggio.objects.exists()


def test_empty_formatting_rows_far_below_are_not_refused(tmp_path):
    # LibreOffice scrive righe vuote (solo formato) fino in fondo al foglio: calamine
    # non alloca nulla per loro, e il file si legge.
    percorso = tmp_path / "formattato.xlsx"
    percorso.write_bytes(
        xlsx_a_mano(
            [
                INTESTAZIONE_A_MANO
                + b'<row r="2"><c r="A2" t="inlineStr"><is><t>X1</t></is></c>'
                b'<c r="B2" t="inlineStr"><is><t>libero</t></is></c></row>'
                b'<row r="1048575" customFormat="1"></row>'
                b'<row r="1048576" customFormat="1"/>'
            ]
        )
    )
    tabella = tabella_leggi(percorso)
    assert tabella.intestazioni == ["Codice alloggio", "Stato"]
    assert tabella.righe == [["X1", "libero"]]


def test_a_child_that_cannot_start_is_an_italian_error(tmp_path, monkeypatch):
    monkeypatch.setattr(processo, "PYTHON", str(tmp_path / "nessun-interprete"))
    percorso = tmp_path / "a.xlsx"
    percorso.write_bytes(xlsx_a_mano([INTESTAZIONE_A_MANO]))
    with pytest.raises(ErroreImport) as errore:
        tabella_leggi(percorso)
    assert "il server non riesce ad avviare la lettura" in errore.value.messaggi[0]
