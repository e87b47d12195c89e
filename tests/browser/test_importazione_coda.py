"""An import nobody picks up: after 10 s in the queue the page says, in Italian,
that no worker seems to run; the progress bar has a name and its steps."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from patrimonio.models import Importazione
from tests.conftest import totp_per

from .conftest import PASSWORD, accedi, violazioni_axe

pytestmark = pytest.mark.browser


def test_a_queued_import_warns_that_no_worker_runs(page, live_server, transactional_db):
    admin = get_user_model().objects.create_user(
        username="admin.coda", password=PASSWORD, is_superuser=True, is_staff=True
    )
    totp_per(admin)
    importazione = Importazione.objects.create(
        tipo="alloggi",
        nome_file="in-coda.xlsx",
        sha256="0" * 64,
        stato=Importazione.Stato.IN_ATTESA,
        progresso=0,
    )
    # Queued a minute ago (auto_now_add ignores the value given to create).
    Importazione.objects.filter(pk=importazione.pk).update(
        creata_il=timezone.now() - dt.timedelta(minutes=1)
    )
    accedi(page, live_server, "admin.coda")
    page.goto(f"{live_server.url}/patrimonio/importazioni/{importazione.pk}/")
    avviso = page.locator("#nessun-worker")
    avviso.wait_for(state="visible", timeout=8000)
    assert "nessun processo di elaborazione sembra attivo" in avviso.inner_text()
    assert "db_worker" in avviso.inner_text()
    barra = page.get_by_role("progressbar", name="Avanzamento dell’importazione")
    assert barra.get_attribute("aria-valuenow") == "0"
    assert page.locator("#passi li").count() == 3
    assert violazioni_axe(page) == []
