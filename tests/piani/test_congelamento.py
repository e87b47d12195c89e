"""Frozen means frozen in the database: every write to a plan's data takes the
plan's row lock, approval takes the same lock (edits and approval serialize), a
PostgreSQL trigger refuses writes that bypass the models, the admin offers no
bulk delete, and ``verifica_piani`` compares each approved plan with its data."""

import json
import threading
import time
from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from ambiti.models import AmbitoComune, PopolazioneComune
from piani import ciclo, services
from piani.ciclo.approvazione import _modelli_del_piano
from piani.models import (
    BloccoDgr,
    Comunicazione,
    DatoDelPiano,
    PianoAnnuale,
    PianoCongelato,
    Sezione,
    VersioneApprovata,
)
from tests.piani.test_ciclo import (  # noqa: F401 - fixture
    approva,
    media_tmp,
    pdf_finto,
    riscontra_tutte,
)

SU_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
solo_postgres = pytest.mark.skipif(
    not SU_POSTGRES, reason="the trigger exists on PostgreSQL only"
)
Stato = PianoAnnuale.Stato
# Approved documents go to a throwaway MEDIA_ROOT.
pytestmark = pytest.mark.usefixtures("media_tmp")


def _approvato(piano, utente):
    riscontra_tutte(piano, utente)
    versione = approva(piano, utente)
    piano.refresh_from_db()
    return versione


def _clusone(piano) -> Comunicazione:
    return piano.comunicazioni.get(ente__denominazione="Comune di Clusone")


def _verifica() -> str:
    uscita = StringIO()
    call_command("verifica_piani", stdout=uscita)
    return uscita.getvalue()


def _righe_istantanea(versione: VersioneApprovata) -> dict:
    with default_storage.open(versione.istantanea.name, "rb") as f:
        documento = json.loads(f.read())
    return {(r["model"], r["pk"]): r["fields"] for r in documento["righe"]}


# --- the models and the services: lock and state in one transaction ---------------


def test_a_write_takes_the_plans_row_lock(piano_a):
    from django.test.utils import CaptureQueriesContext

    c = _clusone(piano_a)
    c.note = "con il lucchetto"
    with CaptureQueriesContext(connection) as query:
        c.save(update_fields=["note"])
    blocchi = [
        q["sql"]
        for q in query.captured_queries
        if "piani_pianoannuale" in q["sql"] and "stato" in q["sql"]
    ]
    assert len(blocchi) == 1
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in blocchi[0]


def test_a_stale_plan_instance_does_not_let_a_service_write(piano_a, staff_a):
    vecchio = PianoAnnuale.objects.get(pk=piano_a.pk)  # read before the approval
    _approvato(piano_a, staff_a)
    assert vecchio.stato == Stato.RACCOLTA_CHIUSA
    with pytest.raises(PianoCongelato):
        services.sezione_crea(
            piano=vecchio, titolo="Tardiva", testo="x", utente=staff_a
        )
    with pytest.raises(PianoCongelato):
        Sezione(piano=vecchio, chiave="tardiva", testo="x").save()
    assert not Sezione.objects.filter(piano=piano_a, titolo="Tardiva").exists()


def test_approval_refuses_a_pdf_rendered_while_the_data_changed(piano_a, staff_a):
    riscontra_tutte(piano_a, staff_a)
    riga = PopolazioneComune.objects.filter(
        comune__appartenenze__ambito=piano_a.ambito
    ).first()

    def renderer_e_nel_frattempo(piano):
        # The population printed in the PDF changes while it is rendered.
        PopolazioneComune.objects.filter(pk=riga.pk).update(
            popolazione=riga.popolazione + 1
        )
        return pdf_finto(piano)

    with pytest.raises(ValidationError) as errore:
        approva(piano_a, staff_a, renderer=renderer_e_nel_frattempo)
    assert errore.value.code == "dati_cambiati"
    assert "sono cambiati mentre il documento veniva generato" in str(errore.value)
    piano_a.refresh_from_db()
    assert (piano_a.stato, piano_a.revisione) == (Stato.RACCOLTA_CHIUSA, 0)
    assert not VersioneApprovata.objects.filter(piano=piano_a).exists()
    riga.refresh_from_db()  # rolled back with the approval
    assert PopolazioneComune.objects.get(pk=riga.pk).popolazione == riga.popolazione


# --- (a) the race: edits against approval, on PostgreSQL ----------------------------


def _pdf_della_corsa(c: Comunicazione, altra: Comunicazione) -> bytes:
    return (
        f"%PDF-1.4 note={c.note}|tot={c.assegnabili_totale}|altra={altra.note}\n"
    ).encode()


@pytest.mark.postgres
@pytest.mark.skipif(not SU_POSTGRES, reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_edits_racing_an_approval_never_leave_a_document_that_disagrees(
    esempi_ricaricati, django_user_model, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    from ambiti.models import Incarico

    piano = PianoAnnuale.objects.get(ambito__slug="valle-seriana-superiore", anno=2026)
    utente = django_user_model.objects.create_user("t.corsa.approva", password="x")
    Incarico.objects.create(
        utente=utente, ambito=piano.ambito, ruolo=Incarico.Ruolo.UFFICIO
    )
    riscontra_tutte(piano, utente)
    pk = _clusone(piano).pk
    # Raw SQL on another row: it locks the row before its trigger locks the plan,
    # the application the other way round, so on one row the two could deadlock
    # (PostgreSQL would abort one of them; nothing inconsistent is stored).
    pk_sql = piano.comunicazioni.exclude(pk=pk).order_by("pk").first().pk
    partenza = threading.Barrier(4)
    esiti: dict[str, str] = {}
    scritte: dict[str, list[str]] = {"modello": [], "servizio": [], "sql": []}
    blocco = threading.Lock()

    def renderer(p):
        # Read, wait (an edit would slip in here without the lock), print.
        c = Comunicazione.objects.get(pk=pk)
        time.sleep(0.3)
        altra = Comunicazione.objects.get(pk=pk_sql)
        return _pdf_della_corsa(c, altra)

    def approvazione():
        try:
            partenza.wait(timeout=30)
            time.sleep(0.05)
            approva(piano, utente, renderer=renderer)
            esiti["approvazione"] = "approvato"
        except Exception as errore:  # noqa: BLE001 - reported by the test
            esiti["approvazione"] = repr(errore)
        finally:
            connection.close()

    def modifica(via: str):
        try:
            partenza.wait(timeout=30)
            for n in range(2000):
                testo = f"{via} {n}"
                try:
                    c = Comunicazione.objects.select_related("piano").get(pk=pk)
                    if via == "modello":
                        c.note = testo
                        c.save(update_fields=["note"])
                    elif via == "servizio":
                        services.comunicazione_aggiorna(
                            comunicazione=c,
                            dati={"assegnabili_totale": n},
                            versione=c.versione,
                            utente=utente,
                        )
                        testo = str(n)
                    else:  # raw SQL: only the trigger stands in the way
                        with transaction.atomic(), connection.cursor() as cur:
                            cur.execute(
                                "UPDATE piani_comunicazione SET note = %s "
                                "WHERE id = %s",
                                [testo, pk_sql],
                            )
                except services.ModificaConcorrente:
                    continue
                except (PianoCongelato, IntegrityError):
                    esiti[via] = "rifiutata dopo l'approvazione"
                    return
                with blocco:
                    scritte[via].append(testo)
            esiti[via] = "mai rifiutata"
        except Exception as errore:  # noqa: BLE001
            esiti[via] = repr(errore)
        finally:
            connection.close()

    fili = [threading.Thread(target=approvazione)] + [
        threading.Thread(target=modifica, args=(via,)) for via in scritte
    ]
    for f in fili:
        f.start()
    for f in fili:
        f.join(timeout=180)

    assert esiti == {
        "approvazione": "approvato",
        "modello": "rifiutata dopo l'approvazione",
        "servizio": "rifiutata dopo l'approvazione",
        "sql": "rifiutata dopo l'approvazione",
    }
    assert scritte["modello"] or scritte["sql"]  # the race did happen
    finale = Comunicazione.objects.get(pk=pk)
    altra = Comunicazione.objects.get(pk=pk_sql)
    versione = VersioneApprovata.objects.get(piano=piano, revisione=1)
    with default_storage.open(versione.pdf.name, "rb") as f:
        assert f.read() == _pdf_della_corsa(finale, altra)
    righe = _righe_istantanea(versione)
    riga = righe[("piani.comunicazione", pk)]
    assert (riga["note"], riga["assegnabili_totale"]) == (
        finale.note,
        finale.assegnabili_totale,
    )
    assert righe[("piani.comunicazione", pk_sql)]["note"] == altra.note
    assert all(c.ok for c in ciclo.istantanee_verifica())


# --- (b) the database refuses writes that bypass the models -------------------------


@solo_postgres
def test_raw_sql_cannot_change_a_frozen_plans_data(piano_a, staff_a):
    c = _clusone(piano_a)
    with transaction.atomic(), connection.cursor() as cur:  # open: allowed
        cur.execute(
            "UPDATE piani_comunicazione SET note = 'prima' WHERE id = %s", [c.pk]
        )
    _approvato(piano_a, staff_a)
    blocco = BloccoDgr.objects.filter(sottosezione__piano=piano_a).first()
    tentativi = [
        ("UPDATE piani_comunicazione SET note = 'dopo' WHERE id = %s", [c.pk]),
        ("DELETE FROM piani_comunicazione WHERE id = %s", [c.pk]),
        (
            "INSERT INTO piani_sezione (piano_id, chiave, titolo, testo, ordine, "
            "versione) VALUES (%s, 'nuova', '', 'x', 99, 0)",
            [piano_a.pk],
        ),
    ]
    if blocco is not None:  # through the paragraph to the plan
        tentativi.append(("DELETE FROM piani_bloccodgr WHERE id = %s", [blocco.pk]))
    for sql, parametri in tentativi:
        with pytest.raises(IntegrityError, match="approvato o pubblicato"):
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql, parametri)
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Comunicazione.objects.filter(pk=c.pk).update(note="bulk")
    c.refresh_from_db()
    assert c.note == "prima"
    # The plan row itself stays the lifecycle's: publication and reopening work.
    ciclo.piano_pubblica(piano=piano_a, utente=staff_a)
    ciclo.piano_riapri(piano=piano_a, utente=staff_a, motivo="Correzione")
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "UPDATE piani_comunicazione SET note = 'riaperto' WHERE id = %s", [c.pk]
        )
    c.refresh_from_db()
    assert c.note == "riaperto"


@solo_postgres
def test_next_years_plan_is_made_from_a_frozen_one(piano_b, staff_b):
    _approvato(piano_b, staff_b)
    nuovo = ciclo.piano_successivo(piano=piano_b, utente=staff_b)
    assert nuovo.comunicazioni.count() >= piano_b.comunicazioni.count() > 0


@solo_postgres
def test_every_plan_data_table_has_the_trigger(db):
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE '%%_congelato' AND NOT t.tgisinternal"
        )
        con_trigger = {r[0] for r in cur.fetchall()}
    tabelle = {m._meta.db_table for m, _ in _modelli_del_piano()}
    assert tabelle and tabelle <= con_trigger
    assert "piani_pianoannuale" not in con_trigger


# --- (c) the admin ------------------------------------------------------------------


def test_the_admin_has_no_bulk_delete_of_plan_data(client_admin, admin_user):
    risposta = client_admin.get(reverse("admin:piani_comunicazione_changelist"))
    assert risposta.status_code == 200
    assert "delete_selected" not in risposta.content.decode()
    richiesta = RequestFactory().get("/")
    richiesta.user = admin_user
    modelli = [m for m in admin.site._registry if issubclass(m, DatoDelPiano)]
    assert Comunicazione in modelli and len(modelli) >= 7
    for modello in [*modelli, PianoAnnuale]:
        azioni = admin.site._registry[modello].get_actions(richiesta)
        assert "delete_selected" not in azioni, modello


def test_the_bulk_delete_action_posted_anyway_deletes_nothing(client_admin, piano_a):
    c = _clusone(piano_a)
    client_admin.post(
        reverse("admin:piani_comunicazione_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk], "post": "yes"},
    )
    assert Comunicazione.objects.filter(pk=c.pk).exists()


def test_the_admin_refuses_changes_to_a_frozen_plans_rows(
    client_admin, piano_a, staff_a
):
    _approvato(piano_a, staff_a)
    c = _clusone(piano_a)
    url = reverse("admin:piani_comunicazione_change", args=[c.pk])
    pagina = client_admin.get(url)
    assert pagina.status_code == 200
    assert 'name="_save"' not in pagina.content.decode()  # read-only
    assert "si possono solo consultare" in pagina.content.decode()
    risposta = client_admin.post(url, {"note": "dall'admin"}, follow=True)
    assert risposta.redirect_chain == [(url, 302)]
    assert "Il piano è approvato o pubblicato" in risposta.content.decode()
    elimina = reverse("admin:piani_comunicazione_delete", args=[c.pk])
    risposta = client_admin.post(elimina, {"post": "yes"}, follow=True)
    assert risposta.redirect_chain == [(url, 302)]
    assert "Il piano è approvato o pubblicato" in risposta.content.decode()
    c.refresh_from_db()
    assert c.note != "dall'admin"
    url_piano = reverse("admin:piani_pianoannuale_delete", args=[piano_a.pk])
    client_admin.post(url_piano, {"post": "yes"})
    assert PianoAnnuale.objects.filter(pk=piano_a.pk).exists()


def test_the_admin_still_edits_an_open_plans_rows(client_admin, piano_a):
    c = _clusone(piano_a)
    url = reverse("admin:piani_comunicazione_change", args=[c.pk])
    assert 'name="_save"' in client_admin.get(url).content.decode()


# --- (d) verifica_piani against the live data ----------------------------------------


def _altera_alle_spalle(piano, **valori):
    """A change that skips the models (and, on PostgreSQL, the trigger)."""
    c = _clusone(piano)
    with transaction.atomic():
        if SU_POSTGRES:  # DDL in the test's transaction: rolled back with it
            with connection.cursor() as cur:
                cur.execute("ALTER TABLE piani_comunicazione DISABLE TRIGGER USER")
        Comunicazione.objects.filter(pk=c.pk).update(**valori)
        if SU_POSTGRES:
            with connection.cursor() as cur:
                cur.execute("ALTER TABLE piani_comunicazione ENABLE TRIGGER USER")
    return c


def test_verifica_piani_finds_a_row_changed_behind_its_back(piano_a, staff_a):
    _approvato(piano_a, staff_a)
    testo = _verifica()
    assert "DATI OK   valle-seriana-superiore 2026 rev1" in testo
    c = _altera_alle_spalle(piano_a, alloggi_totali=9999)
    uscita = StringIO()
    with pytest.raises(CommandError, match="1 piani approvati su 1 con dati diversi"):
        call_command("verifica_piani", stdout=uscita)
    testo = uscita.getvalue()
    assert (
        f"DIVERSO   valle-seriana-superiore 2026 rev1: comunicazione n. {c.pk} "
        f"(piani.comunicazione), campo «alloggi_totali»: approvato «{c.alloggi_totali}»"
        ", nel database «9999»"
    ) in testo
    # The stored files are intact: only the data changed.
    assert "OK        valle-seriana-superiore 2026 rev1 pdf" in testo


def test_verifica_piani_exits_with_status_1_on_changed_data(piano_a, staff_a):
    _approvato(piano_a, staff_a)
    _altera_alle_spalle(piano_a, note="alterata")
    with pytest.raises(SystemExit) as uscita:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "verifica_piani"]).execute()
    assert uscita.value.code == 1


def test_publication_and_new_reference_data_are_not_tampering(piano_a, staff_a):
    _approvato(piano_a, staff_a)
    ciclo.piano_pubblica(piano=piano_a, utente=staff_a)  # stato and versione change
    comune = AmbitoComune.objects.filter(ambito=piano_a.ambito).first().comune
    PopolazioneComune.objects.create(
        comune=comune, data=date(2030, 1, 1), popolazione=1234
    )
    testo = _verifica()  # a warning, not an error: the command exits 0
    assert "AVVISO    valle-seriana-superiore 2026 rev1: " in testo
    assert "aggiunta dopo l'approvazione" in testo
    assert "1 piani approvati: dati uguali all'istantanea." in testo


def test_verifica_piani_skips_earlier_revisions_after_a_reopening(piano_a, staff_a):
    _approvato(piano_a, staff_a)
    ciclo.piano_riapri(piano=piano_a, utente=staff_a, motivo="Correzione")
    c = _clusone(piano_a)
    c.note = "corretta nella revisione"
    c.save()
    testo = _verifica()  # rev1 no longer describes the data: not compared
    assert "0 piani approvati: dati uguali all'istantanea." in testo
