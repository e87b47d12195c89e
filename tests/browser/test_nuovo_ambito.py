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

from .conftest import AXE, PASSWORD, accedi, amministratore_crea, violazioni_axe

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
    amministratore_crea("amministratore")
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


def _comunicazione_inserisci(page, ente: str, *, esito: str, totali: int) -> None:
    """Staff open an ente's comunicazione from the plan page and record it."""
    riga = page.locator("tr", has_text=ente).filter(has_text="Non pervenuta").first
    riga.get_by_role("link", name=re.compile("Modifica")).click()
    page.wait_for_selector("#id_esito")
    page.select_option("#id_esito", esito)
    page.select_option("#id_canale", "piattaforma")
    page.fill("#id_data", "21/10/2025")
    page.fill("#id_alloggi_totali", str(totali))
    page.fill("#id_alloggi_sap", str(totali))
    page.get_by_role("button", name="Salva", exact=True).click()
    page.wait_for_selector("text=Comunicazione salvata")


def test_a_new_ambito_goes_from_nothing_to_its_own_draft_plan(
    page, live_server, transactional_db
):
    """The whole afternoon of a new office: the ambito from a pasted list (one
    name misspelled, resolved by picking), staff assigned, the 2026 plan created,
    three comunicazioni entered, the others «non pervenute», and a preview that is
    the new ambito's own: its name, all its comuni and enti, no seed sentence and
    no seed place name."""
    from piani.impaginazioni import modelli_documento_carica, versioni_normative_carica
    from tests.piani.test_piano_nuovo import _frasi_dei_seed, _luoghi_dei_seed

    call_command("flush", "--noinput", verbosity=0)
    call_command("carica_riferimenti", verbosity=0)
    # What the migrations load on a new database (flush removed it).
    versioni_normative_carica()
    modelli_documento_carica()
    Utente = get_user_model()
    amministratore_crea("amministratore")
    Utente.objects.create_user("l.bianchi", password=PASSWORD)

    accedi(page, live_server, "amministratore")
    page.goto(f"{live_server.url}/patrimonio/ambiti/nuovo/")
    page.fill("#id_nome", "Lomellina")
    page.fill("#id_slug", "lomellina")
    page.select_option("#id_ats", label="ATS di Pavia")
    page.fill("#id_capofila", "Mortara")
    page.fill("#id_comuni", "\n".join(COMUNI).replace("Tromello", "Tromelo"))
    page.get_by_role("button", name="Riconosci i comuni").click()
    riga = page.locator("#tabella-comuni tbody tr", has_text="Tromelo")
    riga.locator("label", has_text=re.compile(r"Tromello \(PV")).click()
    page.get_by_role("button", name="Crea l'ambito").click()
    page.wait_for_url(re.compile(r"/ambiti/lomellina/incarichi/$"))
    page.fill("#id_username", "l.bianchi")
    page.select_option("#id_ruolo", "ufficio")
    page.get_by_role("button", name="Assegna").click()
    page.wait_for_selector("#incarichi >> text=l.bianchi")

    page.context.clear_cookies()
    accedi(page, live_server, "l.bianchi")
    page.goto(f"{live_server.url}/piani/ambiti/lomellina/nuovo/")
    page.fill("#id_anno", "2026")
    page.get_by_role("button", name="Crea il piano").click()
    page.wait_for_selector("text=Creata la bozza del piano 2026.")
    piano = Ambito.objects.get(slug="lomellina").piani.get(anno=2026)
    pagina_piano = f"{live_server.url}/piani/{piano.pk}/"
    # 22 comuni + ALER Pavia - Lodi, every one «non pervenuta» to begin with.
    assert page.locator("tr.mancante").count() == 23
    for ente, totali in [
        ("Comune di Mortara", 40),
        ("Comune di Vigevano", 120),
        ("ALER Pavia - Lodi", 300),
    ]:
        page.goto(pagina_piano)
        _comunicazione_inserisci(page, ente, esito="dati", totali=totali)
    page.goto(pagina_piano)
    assert page.locator("tr.mancante").count() == 20
    assert "20 enti non pervenuti" in page.content()

    page.goto(f"{live_server.url}/piani/{piano.pk}/documento/")
    testo = page.locator("body").inner_text()
    assert "Lomellina" in testo
    for comune in COMUNI:
        assert comune in testo, comune
    for ente in enti_dell_ambito(piano.ambito):
        assert ente.denominazione in testo, ente.denominazione
    assert "non pervenuta" in testo.lower()
    testo_piatto = re.sub(r"\s+", " ", testo)
    frasi = _frasi_dei_seed()
    assert len(frasi) > 50  # the seeds' narrative is read for real
    # The layout's own captions (printed by every plan of that layout) are also
    # in seed 000: at most two, counted in test_piano_nuovo; they are not narrative.
    copiate = [f for f in frasi if f in testo_piatto]
    assert len(copiate) <= 2, copiate
    luoghi = [
        luogo
        for luogo in _luoghi_dei_seed()
        if re.search(rf"(?<!\w){re.escape(luogo)}(?!\w)", testo_piatto)
    ]
    assert luoghi == []
