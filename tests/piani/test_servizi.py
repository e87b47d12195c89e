"""piani.services: optimistic locking, history, frozen plans, acknowledgements."""

import pytest
from django.core.exceptions import ValidationError

from piani import services
from piani.models import Comunicazione, PianoAnnuale, PianoCongelato, RiscontroAnomalia


def _clusone(piano) -> Comunicazione:
    return Comunicazione.objects.get(
        piano=piano, ente__denominazione="Comune di Clusone"
    )


def test_two_stale_copies_store_exactly_one(piano_a, staff_a, sindaco_a):
    prima = _clusone(piano_a)
    copia_1 = _clusone(piano_a)
    copia_2 = _clusone(piano_a)
    versione = prima.versione

    services.comunicazione_aggiorna(
        comunicazione=copia_1,
        dati={"assegnabili_totale": 2, "note": "prima copia"},
        versione=versione,
        utente=staff_a,
    )
    with pytest.raises(services.ModificaConcorrente) as errore:
        services.comunicazione_aggiorna(
            comunicazione=copia_2,
            dati={"assegnabili_totale": 7, "note": "seconda copia"},
            versione=versione,
            utente=staff_a,
        )

    assert "Ricarica" in str(errore.value)
    salvata = _clusone(piano_a)
    assert (salvata.assegnabili_totale, salvata.note) == (2, "prima copia")
    assert salvata.versione == versione + 1


def test_a_save_with_the_current_version_goes_through_twice(piano_a, staff_a):
    c = _clusone(piano_a)
    v = c.versione
    services.comunicazione_aggiorna(
        comunicazione=c, dati={"note": "uno"}, versione=v, utente=staff_a
    )
    services.comunicazione_aggiorna(
        comunicazione=c, dati={"note": "due"}, versione=v + 1, utente=staff_a
    )
    assert _clusone(piano_a).note == "due"
    assert _clusone(piano_a).versione == v + 2


def test_every_save_is_in_the_history_with_its_user(piano_a, staff_a):
    c = _clusone(piano_a)
    righe_prima = c.history.count()
    services.comunicazione_aggiorna(
        comunicazione=c,
        dati={"assegnabili_totale": 2},
        versione=c.versione,
        utente=staff_a,
    )
    ultima = c.history.order_by("-history_date", "-history_id").first()
    assert c.history.count() == righe_prima + 1
    assert ultima.history_user == staff_a
    assert ultima.assegnabili_totale == 2
    assert ultima.history_type == "~"


def test_it_refuses_invalid_values(piano_a, staff_a):
    c = _clusone(piano_a)
    with pytest.raises(ValidationError):
        services.comunicazione_aggiorna(
            comunicazione=c,
            dati={"quota_art14": 140},
            versione=c.versione,
            utente=staff_a,
        )
    assert _clusone(piano_a).quota_art14 != 140


def test_it_refuses_to_change_an_approved_plan(piano_a, staff_a):
    c = _clusone(piano_a)
    PianoAnnuale.objects.filter(pk=piano_a.pk).update(
        stato=PianoAnnuale.Stato.APPROVATO
    )
    with pytest.raises(PianoCongelato):
        services.comunicazione_aggiorna(
            comunicazione=c,
            dati={"note": "tardiva"},
            versione=c.versione,
            utente=staff_a,
        )
    assert _clusone(piano_a).note != "tardiva"


def test_an_acknowledgement_needs_a_written_reason(piano_a, staff_a):
    with pytest.raises(ValidationError):
        services.anomalia_riscontra(
            piano=piano_a,
            codice="totale_assegnabili",
            oggetto="Comune di Ardesio",
            motivazione="   ",
            utente=staff_a,
        )
    assert not RiscontroAnomalia.objects.filter(piano=piano_a).exists()


def test_an_acknowledgement_is_stored_with_user_and_reason(piano_a, staff_a):
    from piani.anomalie import anomalie_aperte

    r = services.anomalia_riscontra(
        piano=piano_a,
        codice="totale_assegnabili",
        oggetto="Comune di Ardesio",
        motivazione="Dato confermato dall'ente.",
        utente=staff_a,
    )
    assert (r.utente, r.motivazione) == (staff_a, "Dato confermato dall'ente.")
    assert r.creato_il is not None
    aperte = {(a.codice, a.oggetto) for a in anomalie_aperte(piano_a)}
    assert ("totale_assegnabili", "Comune di Ardesio") not in aperte


def test_it_refuses_to_acknowledge_an_anomalia_that_does_not_exist(piano_a, staff_a):
    with pytest.raises(ValidationError):
        services.anomalia_riscontra(
            piano=piano_a,
            codice="totale_assegnabili",
            oggetto="Comune di Castione della Presolana",
            motivazione="Inventata.",
            utente=staff_a,
        )


def test_the_summary_counts_the_seed(piano_a, piano_b):
    a = services.piano_riepilogo(piano=piano_a)
    assert (a.enti, a.pervenute, a.non_pervenute) == (25, 25, 0)
    assert a.con_dati + a.non_disponibilita + a.nessun_patrimonio == 25
    assert (a.assegnabili_comunicate, a.assegnabili_calcolate) == (5, 2)
    b = services.piano_riepilogo(piano=piano_b)
    assert b.enti == 19
    assert b.nessun_patrimonio == 6
