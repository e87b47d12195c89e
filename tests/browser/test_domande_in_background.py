"""The domande import runs in the background: the page shows the queued work
with its steps, and when a worker has written the file it shows the outcome
by itself (it polls the state), without the user reloading."""

import io
import re

import pytest
from django.core.management import call_command
from openpyxl import Workbook
from playwright.sync_api import expect

from ambiti.models import Ambito
from misure.models import Domanda, Elaborazione
from misure.services import COLONNE_IMPORT
from tests.misure.factories import bando_crea
from tests.misure.test_importazione import _riga

from .conftest import accedi, violazioni_axe

pytestmark = pytest.mark.browser


def _file(n: int) -> bytes:
    libro = Workbook()
    foglio = libro.active
    foglio.append([h for _c, h in COLONNE_IMPORT])
    for i in range(1, n + 1):
        foglio.append(_riga(i))
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()


def test_the_import_page_follows_the_work_to_its_end(
    page, live_server, utenti_demo, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    bando = bando_crea(Ambito.objects.get(slug="valle-seriana-superiore"))
    accedi(page, live_server, "ufficio.vss")
    page.goto(f"{live_server.url}/misure/bandi/{bando.pk}/domande/importa/")
    page.get_by_label("File XLSX delle domande").set_input_files(
        files=[
            {
                "name": "domande.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": _file(3),
            }
        ]
    )
    page.get_by_role("button", name="Importa").click()
    expect(page).to_have_url(re.compile(r"/elaborazioni/\d+/$"))
    barra = page.get_by_role("progressbar", name="Importazione delle domande")
    expect(barra).to_have_attribute("aria-valuenow", "0")
    assert page.locator("#passi li").count() == 3
    assert not Domanda.objects.filter(bando=bando).exists()
    assert violazioni_axe(page) == []

    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0
    )
    assert Elaborazione.objects.get().stato == Elaborazione.Stato.COMPLETATA
    expect(page.get_by_text("Importate 3 domande.")).to_be_visible(timeout=10000)
    assert Domanda.objects.filter(bando=bando).count() == 3
