"""An administrator starts a new ambito from the browser on a database that holds
only the reference data: 22 Lomellina comuni pasted (one misspelled and resolved
by picking the suggestion), then a staff user assigned, who can then work on it."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ambiti.models import Ambito, Incarico
from patrimonio.models import EnteProprietario
from patrimonio.territorio import enti_dell_ambito

from .conftest import AXE, PASSWORD, accedi, violazioni_axe

pytestmark = pytest.mark.browser

# Real comuni of the Lomellina (Pavia), none of them in the seed ambiti.
COMUNI = [
    "Mortara", "Vigevano", "Garlasco", "Gambolò", "Cilavegna", "Cassolnovo",
    "Gravellona Lomellina", "Tromello", "Parona", "Cergnago",
    "Olevano di Lomellina", "Castello d'Agogna", "Ceretto Lomellina", "Nicorvo",
    "Albonese", "Borgo San Siro", "Alagna", "Sartirana Lomellina", "Mede",
    "Lomello", "Ottobiano", "Valle Lomellina",
]  # fmt: skip


def _axe(page) -> list[dict]:
    # axe-core comes from npm (bin/setup); without it only the flow is checked.
    return violazioni_axe(page) if AXE.exists() else []


def test_admin_creates_an_ambito_by_pasting_comuni_and_assigns_staff(
    page, live_server, transactional_db
):
    # Nothing but the reference data: no seed ambito, no seed plan.
    call_command("flush", "--noinput", verbosity=0)
    call_command("carica_riferimenti", verbosity=0)
    assert not Ambito.objects.exists()
    Utente = get_user_model()
    Utente.objects.create_superuser("amministratore", password=PASSWORD)
    Utente.objects.create_user("l.bianchi", password=PASSWORD)

    accedi(page, live_server, "amministratore")
    page.get_by_role("link", name="Nuovo ambito").first.click()
    page.wait_for_url(re.compile(r"/patrimonio/ambiti/nuovo/$"))
    page.fill("#id_nome", "Lomellina")
    page.fill("#id_slug", "lomellina")
    page.select_option("#id_ats", label="ATS di Pavia")
    page.fill("#id_capofila", "Mortara")
    incollati = "\n".join(c for c in COMUNI if c != "Vigevano")
    page.fill("#id_comuni", incollati.replace("Cassolnovo", "Cassolnuovo"))
    # One comune through the search box instead of the paste.
    page.fill("#cerca-comune", "Vigevano")
    page.get_by_role("button", name="Aggiungi all'elenco").click()
    assert page.input_value("#id_comuni").endswith("Valle Lomellina\nVigevano")
    page.get_by_role("button", name="Riconosci i comuni").click()
    page.wait_for_selector("#tabella-comuni")

    assert page.locator("#tabella-comuni tbody tr").count() == 23  # + capofila
    riga = page.locator("#tabella-comuni tbody tr", has_text="Cassolnuovo")
    assert "non corrisponde esattamente" in riga.inner_text()
    # Not guessed: saving before picking the suggestion is refused.
    page.get_by_role("button", name="Crea l'ambito").click()
    page.wait_for_selector("#tabella-comuni")
    assert "Scegliere quale comune si intende." in page.content()
    assert not Ambito.objects.exists()

    riga = page.locator("#tabella-comuni tbody tr", has_text="Cassolnuovo")
    # Bootstrap Italia draws the radio on its label: the user clicks the label.
    riga.locator("label", has_text="Cassolnovo (PV, 018035)").click()
    assert riga.get_by_label("Cassolnovo (PV, 018035)").is_checked()
    assert page.get_by_label(re.compile(r"ALER Pavia - Lodi")).is_checked()
    assert not page.get_by_label(re.compile(r"ALER Milano")).is_checked()
    assert _axe(page) == []
    page.get_by_role("button", name="Crea l'ambito").click()
    page.wait_for_url(re.compile(r"/ambiti/lomellina/incarichi/$"))
    assert "«Lomellina» creato: 22 comuni, 23 enti." in page.content()

    page.fill("#id_username", "l.bianchi")
    page.select_option("#id_ruolo", "ufficio")
    page.get_by_role("button", name="Assegna").click()
    page.wait_for_selector("#incarichi >> text=l.bianchi")
    assert _axe(page) == []

    ambito = Ambito.objects.get(slug="lomellina")
    assert ambito.comune_capofila.nome == "Mortara"
    assert ambito.ats.nome == "ATS di Pavia"
    assert sorted(ambito.comuni.values_list("nome", flat=True)) == sorted(COMUNI)
    enti = enti_dell_ambito(ambito)
    assert enti.filter(tipo=EnteProprietario.Tipo.COMUNE).count() == 22
    assert enti.get(tipo=EnteProprietario.Tipo.ALER).denominazione == (
        "ALER Pavia - Lodi"
    )
    incarico = Incarico.objects.get(utente__username="l.bianchi")
    assert incarico.ambito == ambito and incarico.ruolo == Incarico.Ruolo.UFFICIO

    # The new staff user works on the new ambito.
    page.context.clear_cookies()
    accedi(page, live_server, "l.bianchi")
    page.goto(f"{live_server.url}/ambiti/lomellina/comuni/")
    assert "Cassolnovo" in page.content()
    assert "22 risultati" in page.content()
