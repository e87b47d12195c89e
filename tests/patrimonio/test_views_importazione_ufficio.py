"""L'Ufficio di Piano importa le tabelle per ente dei propri piani e la popolazione
dei comuni del proprio ambito, con anteprima e conferma; l'anagrafe degli alloggi
resta agli amministratori."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ambiti.models import Comune, PopolazioneComune
from patrimonio.models import Importazione
from tests.patrimonio.aiuti import csv_testo

CONSISTENZA = [
    "Ente Proprietario",
    "Numero Alloggi complessivi",
    "Numero Alloggi Servizio Abitativo Sociale (SAS)",
    "Numero Alloggi Servizio Abitativo Pubblico (SAP)",
    "Numero Alloggi altro uso residenziale",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _comune(ambito) -> Comune:
    return Comune.objects.filter(appartenenze__ambito=ambito).order_by("nome").first()


def _popolazione(*righe: tuple[Comune, int]) -> bytes:
    testo = "Popolazione residente al 1° gennaio 2031\r\n"
    testo += "Codice comune;Comune;Età;Totale Maschi;Totale Femmine;Totale\r\n"
    for comune, totale in righe:
        testo += f"{comune.codice_istat};{comune.nome};999;1;1;{totale}\r\n"
    return testo.encode("utf-8")


def _carica(client, contenuto: bytes, tipo: str, **altri):
    return client.post(
        reverse("patrimonio:importazione_create"),
        {"tipo": tipo, "file": SimpleUploadedFile("file.csv", contenuto), **altri},
    )


def test_staff_import_their_plan_tables_with_preview_and_confirm(
    client_staff_a, piano_a
):
    from piani.models import Comunicazione

    contenuto = csv_testo(
        [["COMUNE DI ARDESIO", "41", "0", "41", "0"]], CONSISTENZA
    ).encode("utf-8")
    risposta = _carica(client_staff_a, contenuto, "enti", piano=piano_a.pk)
    importazione = Importazione.objects.get()
    assert risposta.url == reverse(
        "patrimonio:importazione_detail", args=[importazione.pk]
    )
    assert importazione.stato == Importazione.Stato.ANTEPRIMA
    ardesio = Comunicazione.objects.get(
        piano=piano_a, ente__denominazione__icontains="ardesio"
    )
    assert ardesio.alloggi_totali != 41
    pagina = client_staff_a.get(risposta.url)
    assert pagina.status_code == 200 and "Conferma e importa" in pagina.content.decode()
    client_staff_a.post(
        reverse("patrimonio:importazione_conferma", args=[importazione.pk])
    )
    ardesio.refresh_from_db()
    assert ardesio.alloggi_totali == 41
    lista = client_staff_a.get(reverse("patrimonio:importazione_list"))
    assert lista.status_code == 200 and "file.csv" in lista.content.decode()


def test_staff_cannot_pick_another_ambitos_plan_nor_the_registry(
    client_staff_a, piano_b
):
    contenuto = csv_testo([["COMUNE DI ALBINO", "1", "0", "1", "0"]], CONSISTENZA)
    risposta = _carica(
        client_staff_a, contenuto.encode("utf-8"), "enti", piano=piano_b.pk
    )
    assert risposta.status_code == 200
    assert "piano" in risposta.context["form"].errors
    risposta = _carica(client_staff_a, b"Codice alloggio\r\nX\r\n", "alloggi")
    assert "tipo" in risposta.context["form"].errors
    assert not Importazione.objects.exists()
    assert client_staff_a.get(reverse("patrimonio:modello_alloggi")).status_code == 403


def test_staff_import_population_of_their_comuni(client_staff_a, ambito_a):
    comune = _comune(ambito_a)
    _carica(client_staff_a, _popolazione((comune, 4321)), "popolazione")
    importazione = Importazione.objects.get()
    assert importazione.stato == Importazione.Stato.ANTEPRIMA, importazione.errori
    client_staff_a.post(
        reverse("patrimonio:importazione_conferma", args=[importazione.pk])
    )
    assert (
        PopolazioneComune.objects.get(comune=comune, data__year=2031).popolazione
        == 4321
    )


def test_population_rows_outside_the_ambito_are_refused_naming_the_row(
    client_staff_a, ambito_a, ambito_b
):
    fuori = _comune(ambito_b)
    contenuto = _popolazione((_comune(ambito_a), 100), (fuori, 200))
    _carica(client_staff_a, contenuto, "popolazione")
    importazione = Importazione.objects.get()
    assert importazione.stato == Importazione.Stato.RIFIUTATA
    assert importazione.errori == [
        f"Riga 4, colonna Codice comune: il comune «{fuori.nome}» non appartiene "
        "agli ambiti che gestisci"
    ]
    assert not PopolazioneComune.objects.filter(data__year=2031).exists()


def test_the_administrator_imports_population_of_any_comune(
    client, admin_user, ambito_b
):
    client.force_login(admin_user)
    fuori = _comune(ambito_b)
    _carica(client, _popolazione((fuori, 200)), "popolazione")
    assert Importazione.objects.get().stato == Importazione.Stato.ANTEPRIMA


def test_sindaco_gets_403_on_every_import_page(client_sindaco_a, piano_a):
    for nome in ("importazione_list", "importazione_create"):
        assert client_sindaco_a.get(reverse(f"patrimonio:{nome}")).status_code == 403
    contenuto = csv_testo([["COMUNE DI ARDESIO", "1", "0", "1", "0"]], CONSISTENZA)
    risposta = _carica(
        client_sindaco_a, contenuto.encode("utf-8"), "enti", piano=piano_a.pk
    )
    assert risposta.status_code == 403
    assert not Importazione.objects.exists()


def test_another_ambitos_staff_get_404(client, staff_a, staff_b, piano_a):
    client.force_login(staff_a)
    contenuto = csv_testo([["COMUNE DI ARDESIO", "1", "0", "1", "0"]], CONSISTENZA)
    _carica(client, contenuto.encode("utf-8"), "enti", piano=piano_a.pk)
    importazione = Importazione.objects.get()
    client.force_login(staff_b)
    for nome in ("importazione_detail", "importazione_stato"):
        url = reverse(f"patrimonio:{nome}", args=[importazione.pk])
        assert client.get(url).status_code == 404
    url = reverse("patrimonio:importazione_conferma", args=[importazione.pk])
    assert client.post(url).status_code == 404
    lista = client.get(reverse("patrimonio:importazione_list")).content.decode()
    assert "file.csv" not in lista
    importazione.refresh_from_db()
    assert importazione.stato == Importazione.Stato.ANTEPRIMA


def test_anonymous_is_sent_to_login(client, db, settings):
    risposta = client.get(reverse("patrimonio:importazione_create"))
    assert risposta.status_code == 302 and risposta.url.startswith(
        reverse(settings.LOGIN_URL)
    )


def test_the_list_runs_a_fixed_number_of_queries(
    client_staff_a, piano_a, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    contenuto = csv_testo([["COMUNE DI ARDESIO", "1", "0", "1", "0"]], CONSISTENZA)
    _carica(client_staff_a, contenuto.encode("utf-8"), "enti", piano=piano_a.pk)
    url = reverse("patrimonio:importazione_list")
    client_staff_a.get(url)
    with CaptureQueriesContext(connection) as prima:
        client_staff_a.get(url)
    # Read now: every request resets connection.queries.
    attese = len(prima.captured_queries)
    for _n in range(4):
        _carica(client_staff_a, contenuto.encode("utf-8"), "enti", piano=piano_a.pk)
    with django_assert_num_queries(attese):
        risposta = client_staff_a.get(url)
    assert risposta.content.decode().count("file.csv") >= 5
