"""A hypothesis state machine over the plan's transitions: whatever the order of
actions and users, no transition outside the graph is accepted, every accepted one
is recorded, and a frozen plan refuses changes to its data."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from ambiti.models import Ambito, Incarico
from piani import ciclo
from piani.models import (
    STATI_CONGELATI,
    PianoAnnuale,
    PianoCongelato,
    Sezione,
    VersioneNormativa,
)
from tests.piani.test_ciclo import pdf_finto

Stato = PianoAnnuale.Stato


@pytest.fixture
def storage_in_memoria(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def scenario(db, storage_in_memoria):
    """A tiny ambito without comuni or enti (cheap to approve) and its people."""
    ambito = Ambito.objects.create(nome="Ambito di prova", slug="prova", provincia="BG")
    altro = Ambito.objects.create(nome="Altro ambito", slug="altro", provincia="BG")
    crea = get_user_model().objects.create_user
    utenti = {
        "ufficio": crea("sm.ufficio"),
        "lettura": crea("sm.lettura"),
        "estraneo": crea("sm.estraneo"),
        "admin": crea("sm.admin", is_superuser=True),
    }
    Incarico.objects.create(
        utente=utenti["ufficio"], ambito=ambito, ruolo=Incarico.Ruolo.UFFICIO
    )
    Incarico.objects.create(
        utente=utenti["lettura"], ambito=ambito, ruolo=Incarico.Ruolo.LETTURA
    )
    Incarico.objects.create(
        utente=utenti["estraneo"], ambito=altro, ruolo=Incarico.Ruolo.UFFICIO
    )
    normativa = VersioneNormativa.objects.get(codice="rr-2-2025")
    return ambito, normativa, utenti


AUTORIZZATI = {"ufficio", "admin"}
# The graph as the issue states it, written independently of piani.ciclo.
AZIONI = {
    "apri_raccolta": ({"bozza"}, "raccolta_aperta"),
    "chiudi_raccolta": ({"raccolta_aperta"}, "raccolta_chiusa"),
    "approva": ({"raccolta_chiusa"}, "approvato"),
    "pubblica": ({"approvato"}, "pubblicato"),
    "riapri": ({"approvato", "pubblicato"}, "raccolta_chiusa"),
}
GRAFO_ATTESO = {(da, a) for origini, a in AZIONI.values() for da in origini}


def test_no_transition_outside_the_graph_is_ever_accepted(scenario):
    ambito, normativa, utenti = scenario
    visti: dict[tuple[str, str], int] = {}

    class CicloDelPiano(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            # Each run works in a savepoint rolled back at teardown.
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.piano = PianoAnnuale.objects.create(
                ambito=ambito, anno=2030, normativa=normativa
            )
            Sezione.objects.create(piano=self.piano, chiave="premessa", testo="Testo")
            self.accettate: list[tuple[str, str, str]] = []
            self.approvazioni = 0

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        @rule(
            azione=st.sampled_from(sorted(AZIONI)),
            chi=st.sampled_from(sorted(utenti)),
        )
        def esegui(self, azione, chi):
            self._prova(azione, chi, "Correzione dei dati di un ente")

        # Reopening has its own rule so that runs reach it often enough.
        @rule(
            chi=st.sampled_from(sorted(utenti)),
            motivo=st.sampled_from(["Correzione dei dati di un ente", "", "   "]),
        )
        def riapri(self, chi, motivo):
            self._prova("riapri", chi, motivo)

        # Random actions are mostly refused: this rule walks forward along the
        # graph (as the test reads it, not as the code does) so runs go deep.
        @rule(pubblica=st.booleans(), chi=st.sampled_from(sorted(AUTORIZZATI)))
        def avanza(self, pubblica, chi):
            azione = {
                Stato.BOZZA: "apri_raccolta",
                Stato.RACCOLTA_APERTA: "chiudi_raccolta",
                Stato.RACCOLTA_CHIUSA: "approva",
                Stato.APPROVATO: "pubblica" if pubblica else "riapri",
                Stato.PUBBLICATO: "riapri",
            }[self.piano.stato]
            self._prova(azione, chi, "Nuovi dati da un ente")

        def _prova(self, azione, chi, motivo):
            utente = utenti[chi]
            origini, destinazione = AZIONI[azione]
            prima = self.piano.stato
            nel_grafo = prima in origini
            atteso = (
                nel_grafo
                and chi in AUTORIZZATI
                and (azione != "riapri" or bool(motivo.strip()))
            )
            # A fresh instance each time: the services must not trust a stale one.
            piano = PianoAnnuale.objects.get(pk=self.piano.pk)
            try:
                if azione == "apri_raccolta":
                    ciclo.piano_apri_raccolta(piano=piano, utente=utente)
                elif azione == "chiudi_raccolta":
                    ciclo.piano_chiudi_raccolta(piano=piano, utente=utente)
                elif azione == "approva":
                    ciclo.piano_approva(
                        piano=piano,
                        utente=utente,
                        organo="Assemblea dei Sindaci",
                        data=date(2029, 12, 1),
                        luogo="Clusone",
                        renderer=pdf_finto,
                    )
                elif azione == "pubblica":
                    ciclo.piano_pubblica(piano=piano, utente=utente)
                else:
                    ciclo.piano_riapri(piano=piano, utente=utente, motivo=motivo)
                accettata = True
            except ciclo.TransizioneNonAmmessa:
                assert not nel_grafo
                accettata = False
            except PermissionDenied:
                assert nel_grafo and chi not in AUTORIZZATI
                accettata = False
            except ValidationError:
                assert azione == "riapri" and not motivo.strip()
                accettata = False
            assert accettata == atteso, (prima, azione, chi, motivo)
            self.piano.refresh_from_db()
            if accettata:
                assert self.piano.stato == destinazione
                self.accettate.append((prima, destinazione, utente.pk))
                visti[(prima, destinazione)] = visti.get((prima, destinazione), 0) + 1
                if azione == "approva":
                    self.approvazioni += 1
            else:
                assert self.piano.stato == prima

        @rule(testo=st.sampled_from(["a", "b"]))
        def modifica_i_dati(self, testo):
            sezione = self.piano.sezioni.get(chiave="premessa")
            sezione.testo = testo
            congelato = self.piano.stato in STATI_CONGELATI
            try:
                with transaction.atomic():
                    sezione.save()
                modificata = True
            except PianoCongelato:
                modificata = False
            assert modificata == (not congelato)

        @invariant()
        def ogni_transizione_accettata_e_registrata(self):
            registrate = [
                (t.da_stato, t.a_stato, t.utente_id)
                for t in self.piano.transizioni.order_by("avvenuta_il", "pk")
            ]
            assert registrate == self.accettate
            assert all((da, a) in GRAFO_ATTESO for da, a, _u in registrate)
            # The chain is unbroken from the draft to the current state.
            stato = Stato.BOZZA
            for da, a, _u in registrate:
                assert da == stato
                stato = a
            assert stato == self.piano.stato

        @invariant()
        def una_versione_per_approvazione(self):
            versioni = list(
                self.piano.versioni_approvate.values_list("revisione", flat=True)
            )
            assert versioni == list(range(1, self.approvazioni + 1))
            assert self.piano.revisione == self.approvazioni

    run_state_machine_as_test(
        CicloDelPiano,
        settings=settings(
            max_examples=200,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    # The runs did walk the whole graph, not just the first steps.
    assert set(visti) == GRAFO_ATTESO, visti
