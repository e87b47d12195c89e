"""Every view of piani that changes data: works for the ambito's staff, 403 for a
read-only user, 404 for another ambito's staff, refused without a CSRF token."""

import pytest
from django.test import Client
from django.urls import reverse

from piani.forms import (
    ComunicazioneForm,
    DecisioneComuneForm,
    FinestraFormSet,
    PianoForm,
    SezioneForm,
)
from piani.models import (
    Comunicazione,
    DecisioneComune,
    PianoAnnuale,
    RiscontroAnomalia,
)

from .test_views import dati_form, dati_formset


def _clusone(piano):
    return Comunicazione.objects.get(
        piano=piano, ente__denominazione="Comune di Clusone"
    )


def caso_comunicazione(piano):
    c = _clusone(piano)
    url = reverse("piani:comunicazione_update", args=[c.pk])
    dati = dati_form(ComunicazioneForm(instance=c), note="Verificata al telefono.")

    def salvato() -> bool:
        return Comunicazione.objects.get(pk=c.pk).note == "Verificata al telefono."

    return url, dati, salvato


def _decisione(piano) -> DecisioneComune:
    # Seed 000 records no per-comune decision: the capofila's comes first.
    return DecisioneComune.objects.create(
        piano=piano, comune=piano.ambito.comune_capofila, quota_indigenti=20
    )


def caso_decisione(piano):
    d = _decisione(piano)
    url = reverse("piani:decisione_update", args=[d.pk])
    dati = dati_form(
        DecisioneComuneForm(instance=d), categoria_ulteriore="Anziani soli"
    )

    def salvato() -> bool:
        d.refresh_from_db()
        return d.categoria_ulteriore == "Anziani soli"

    return url, dati, salvato


def caso_decisione_nuova(piano):
    comune = piano.ambito.comune_capofila
    url = reverse("piani:decisione_create", args=[piano.pk])
    dati = {"comune": comune.pk, "quota_indigenti": "25", "quota_forze_ordine": "10"}

    def salvato() -> bool:
        return DecisioneComune.objects.filter(
            piano=piano, comune=comune, quota_indigenti=25
        ).exists()

    return url, dati, salvato


def caso_sezione(piano):
    s = piano.sezioni.order_by("ordine").first()
    url = reverse("piani:sezione_update", args=[s.pk])
    dati = dati_form(SezioneForm(instance=s), testo="Testo **nuovo**.")

    def salvato() -> bool:
        s.refresh_from_db()
        return s.testo == "Testo **nuovo**."

    return url, dati, salvato


def caso_piano(piano):
    url = reverse("piani:piano_update", args=[piano.pk])
    dati = dati_form(PianoForm(instance=piano), id_piattaforma="99999999")
    dati.update(dati_formset(FinestraFormSet(instance=piano, prefix="finestre")))

    def salvato() -> bool:
        return PianoAnnuale.objects.get(pk=piano.pk).id_piattaforma == "99999999"

    return url, dati, salvato


def caso_riscontro(piano):
    from piani.anomalie import anomalie_aperte

    anomalia = next(
        a for a in anomalie_aperte(piano) if a.codice == "totale_assegnabili"
    )
    url = reverse("piani:anomalia_riscontra", args=[piano.pk])
    dati = {
        "codice": anomalia.codice,
        "oggetto": anomalia.oggetto,
        "motivazione": "Confermato dall'ente con nota scritta.",
    }

    def salvato() -> bool:
        return RiscontroAnomalia.objects.filter(
            piano=piano, codice=anomalia.codice, oggetto=anomalia.oggetto
        ).exists()

    return url, dati, salvato


CASI = [
    caso_comunicazione,
    caso_decisione,
    caso_decisione_nuova,
    caso_sezione,
    caso_piano,
    caso_riscontro,
]


@pytest.mark.parametrize("caso", CASI, ids=lambda f: f.__name__)
def test_it_saves_for_the_ambitos_staff(client_staff_a, piano_a, caso):
    url, dati, salvato = caso(piano_a)
    risposta = client_staff_a.post(url, dati)
    assert risposta.status_code == 302, getattr(risposta, "context", {}) and [
        f.errors for f in [risposta.context.get("form")] if f
    ]
    assert salvato()


@pytest.mark.parametrize("caso", CASI, ids=lambda f: f.__name__)
def test_it_answers_403_to_a_read_only_user(client_sindaco_a, piano_a, caso):
    url, dati, salvato = caso(piano_a)
    assert client_sindaco_a.post(url, dati).status_code == 403
    assert not salvato()


@pytest.mark.parametrize("caso", CASI, ids=lambda f: f.__name__)
def test_it_answers_404_to_another_ambitos_staff(client_staff_b, piano_a, caso):
    url, dati, salvato = caso(piano_a)
    assert client_staff_b.post(url, dati).status_code == 404
    assert not salvato()


@pytest.mark.parametrize("caso", CASI, ids=lambda f: f.__name__)
def test_it_refuses_a_post_without_csrf_token(staff_a, piano_a, caso):
    url, dati, salvato = caso(piano_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_a)
    assert client.post(url, dati).status_code == 403
    assert not salvato()


@pytest.mark.parametrize("caso", CASI, ids=lambda f: f.__name__)
def test_it_sends_anonymous_users_to_the_login_page(client, piano_a, caso):
    url, dati, salvato = caso(piano_a)
    risposta = client.post(url, dati)
    assert risposta.status_code == 302
    assert risposta["Location"].startswith(reverse("login"))
    assert not salvato()


@pytest.mark.parametrize(
    "caso",
    [
        caso_comunicazione,
        caso_decisione,
        caso_decisione_nuova,
        caso_sezione,
        caso_piano,
    ],
    ids=lambda f: f.__name__,
)
def test_it_refuses_changes_to_an_approved_plan(client_staff_a, piano_a, caso):
    url, dati, salvato = caso(piano_a)
    PianoAnnuale.objects.filter(pk=piano_a.pk).update(
        stato=PianoAnnuale.Stato.APPROVATO
    )
    risposta = client_staff_a.post(url, dati)
    assert risposta.status_code == 409
    assert "approvato o pubblicato" in risposta.content.decode()
    assert not salvato()


def test_the_read_only_user_cannot_open_the_edit_forms(client_sindaco_a, piano_a):
    c = _clusone(piano_a)
    for url in [
        reverse("piani:comunicazione_update", args=[c.pk]),
        reverse("piani:piano_update", args=[piano_a.pk]),
    ]:
        assert client_sindaco_a.get(url).status_code == 403
