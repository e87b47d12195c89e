"""Re-importing the registry: an unchanged file writes nothing; a changed row
gets one history record (who, which file), new and unchanged rows none; the
registry is read from the database while the file is parsed."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patrimonio.models import Alloggio
from patrimonio.services import alloggi_importa
from tests.patrimonio.aiuti import righe_alloggi, scrivi_xlsx

SCRITTURE = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def primo_file(tmp_path, anagrafe_base):
    percorso = scrivi_xlsx(tmp_path / "anagrafe.xlsx", righe_alloggi(60))
    esito = alloggi_importa(percorso=percorso, scrivi=True)
    assert esito.creati == 60 and not esito.errori
    return percorso


def test_an_unchanged_file_writes_nothing(primo_file):
    with CaptureQueriesContext(connection) as query:
        esito = alloggi_importa(percorso=primo_file, scrivi=True)
    assert esito.invariati == 60 and esito.creati == esito.modificati == 0
    scritture = [
        q["sql"] for q in query if q["sql"].lstrip().upper().startswith(SCRITTURE)
    ]
    assert scritture == []
    assert not Alloggio.history.exists()


def test_only_changed_rows_get_history(primo_file, tmp_path):
    utente = get_user_model().objects.create_user("import.storia")
    righe = righe_alloggi(62)  # two new rows
    righe[5][9] = "occupato" if righe[5][9] != "occupato" else "libero"
    righe[7][3] = "Via Nuova 1"
    percorso = scrivi_xlsx(tmp_path / "anagrafe-2.xlsx", righe)
    esito = alloggi_importa(percorso=percorso, scrivi=True, utente=utente)
    assert (esito.creati, esito.modificati, esito.invariati) == (2, 2, 58)
    storia = Alloggio.history.order_by("codice")
    assert [(h.codice, h.history_type) for h in storia] == [
        ("BG-000005", "~"),
        ("BG-000007", "~"),
    ]
    ultima = storia.get(codice="BG-000007")
    assert ultima.indirizzo == "Via Nuova 1"  # the new values
    assert ultima.history_user == utente
    assert ultima.history_change_reason == "Importazione anagrafe-2.xlsx"
    assert ultima.id == Alloggio.objects.get(codice="BG-000007").pk


def test_an_error_while_reading_the_registry_is_not_blamed_on_the_file(
    primo_file, monkeypatch
):
    from patrimonio.services import alloggi

    def guasto():
        raise RuntimeError("database irraggiungibile")

    monkeypatch.setattr(alloggi, "_alloggi_esistenti", guasto)
    with pytest.raises(RuntimeError, match="database irraggiungibile"):
        alloggi_importa(percorso=primo_file, scrivi=True)
