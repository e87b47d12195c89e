"""Review before the sitting: reviewers write observations on a draft (on a
section, an ente's row or the whole plan), staff answer or close them, the
draft's annex prints both, the approval records how many were still open, and a
frozen plan takes no more. Reviewers still change no data."""

from datetime import date

import pytest
from django.urls import reverse

from piani import ciclo
from piani.documento import documento_html
from piani.models import Osservazione
from tests.piani.test_ciclo import media_tmp, pdf_finto, riscontra_tutte  # noqa: F401

TESTO = "La tabella dei canoni non riporta il comune di Ardesio: verificare."
RISPOSTA = "Il comune ha comunicato il dato il 3 novembre: tabella aggiornata."


def _sezione(piano):
    return piano.sezioni.order_by("ordine").first()


def _osserva(client, piano, **dati):
    return client.post(reverse("piani:osservazioni", args=[piano.pk]), dati)


def test_a_reviewer_writes_an_observation_on_a_section(client_sindaco_a, piano_a):
    sezione = _sezione(piano_a)
    pagina = client_sindaco_a.get(
        reverse("piani:osservazioni", args=[piano_a.pk]), {"sezione": sezione.pk}
    )
    assert pagina.status_code == 200
    assert pagina.context["form"].initial["riferimento"] == f"sezione:{sezione.pk}"

    risposta = _osserva(
        client_sindaco_a, piano_a, riferimento=f"sezione:{sezione.pk}", testo=TESTO
    )
    assert risposta.status_code == 302
    osservazione = Osservazione.objects.get(piano=piano_a)
    assert osservazione.sezione == sezione
    assert osservazione.riferimento == f"Sezione «{sezione}»"
    assert osservazione.aperta
    assert osservazione.autore.username == "t.sindaco.a"


def test_an_observation_on_an_entes_row_names_the_ente(client_sindaco_a, piano_a):
    riga = piano_a.comunicazioni.select_related("ente").first()
    _osserva(client_sindaco_a, piano_a, riferimento=f"riga:{riga.pk}", testo=TESTO)
    osservazione = Osservazione.objects.get(piano=piano_a)
    assert osservazione.comunicazione == riga
    assert osservazione.riferimento == f"Dati di {riga.ente}"


def test_an_empty_observation_is_refused_naming_the_field(client_sindaco_a, piano_a):
    risposta = _osserva(client_sindaco_a, piano_a, riferimento="piano", testo="  ")
    assert risposta.status_code == 400
    assert "Scrivere il testo dell&#x27;osservazione." in risposta.content.decode()
    assert not Osservazione.objects.filter(piano=piano_a).exists()


def test_a_section_of_another_plan_cannot_be_referred_to(
    client_sindaco_a, piano_a, piano_b
):
    altra = _sezione(piano_b)
    risposta = _osserva(
        client_sindaco_a, piano_a, riferimento=f"sezione:{altra.pk}", testo=TESTO
    )
    assert risposta.status_code == 400
    assert not Osservazione.objects.exists()


def test_staff_answer_and_close_it_reviewers_cannot(
    client, sindaco_a, staff_a, piano_a
):
    client.force_login(sindaco_a)
    _osserva(client, piano_a, riferimento="piano", testo=TESTO)
    osservazione = Osservazione.objects.get(piano=piano_a)
    url = reverse("piani:osservazione_risposta", args=[osservazione.pk])
    assert client.post(url, {"risposta": "no", "chiudi": "on"}).status_code == 403

    client.force_login(staff_a)
    client.post(url, {"risposta": RISPOSTA, "chiudi": "on"})
    osservazione.refresh_from_db()
    assert osservazione.risposta == RISPOSTA
    assert osservazione.risposta_da == staff_a
    assert not osservazione.aperta
    # With history: written, then answered.
    assert osservazione.history.count() == 2
    storia = client.get(reverse("piani:osservazione_history", args=[osservazione.pk]))
    assert storia.status_code == 200
    assert "Risposta dell&#x27;ufficio" in storia.content.decode()


def test_an_answer_without_text_or_closing_is_refused(client_staff_a, piano_a, staff_a):
    osservazione = Osservazione.objects.create(
        piano=piano_a, riferimento="Il piano", testo=TESTO, autore=staff_a
    )
    risposta = client_staff_a.post(
        reverse("piani:osservazione_risposta", args=[osservazione.pk]),
        {"risposta": ""},
        follow=True,
    )
    assert "Scrivere una risposta o segnare" in risposta.content.decode()
    osservazione.refresh_from_db()
    assert osservazione.aperta and osservazione.risposta == ""


def test_another_ambito_sees_nothing(client_staff_b, piano_a, staff_a):
    osservazione = Osservazione.objects.create(
        piano=piano_a, riferimento="Il piano", testo=TESTO, autore=staff_a
    )
    urls_get = [
        reverse("piani:osservazioni", args=[piano_a.pk]),
        reverse("piani:osservazione_history", args=[osservazione.pk]),
    ]
    for url in urls_get:
        assert client_staff_b.get(url).status_code == 404
    for nome in ("osservazione_risposta", "osservazione_riapertura"):
        url = reverse(f"piani:{nome}", args=[osservazione.pk])
        assert client_staff_b.post(url, {"chiudi": "on"}).status_code == 404
    assert (
        _osserva(client_staff_b, piano_a, riferimento="piano", testo="x").status_code
        == 404
    )
    assert Osservazione.objects.filter(piano=piano_a).count() == 1


def test_the_dashboard_counts_the_open_ones(client_staff_a, piano_a, staff_a):
    url = reverse("piani:piano_detail", args=[piano_a.pk])
    assert "aperte</span>" not in client_staff_a.get(url).content.decode()
    for _ in range(2):
        Osservazione.objects.create(
            piano=piano_a, riferimento="Il piano", testo=TESTO, autore=staff_a
        )
    assert "2 aperte" in client_staff_a.get(url).content.decode()


def test_the_drafts_annex_prints_observation_and_answer(
    client, sindaco_a, staff_a, piano_a
):
    client.force_login(sindaco_a)
    _osserva(
        client, piano_a, riferimento=f"sezione:{_sezione(piano_a).pk}", testo=TESTO
    )
    osservazione = Osservazione.objects.get(piano=piano_a)
    client.force_login(staff_a)
    client.post(
        reverse("piani:osservazione_risposta", args=[osservazione.pk]),
        {"risposta": RISPOSTA, "chiudi": "on"},
    )
    html = documento_html(piano_a)
    allegato = html[html.index('id="allegato-anomalie"') :]
    assert "Osservazioni dei revisori" in allegato
    assert TESTO in allegato
    assert RISPOSTA in allegato
    assert "t.sindaco.a" in allegato and "t.ufficio.a" in allegato
    assert "Affrontata" in allegato


def test_approval_records_the_open_ones_and_freezes_them(
    client_sindaco_a,
    piano_a,
    staff_a,
    media_tmp,  # noqa: F811
):
    _osserva(client_sindaco_a, piano_a, riferimento="piano", testo=TESTO)
    riscontra_tutte(piano_a, staff_a)
    versione = ciclo.piano_approva(
        piano=piano_a,
        utente=staff_a,
        organo="Assemblea dei Sindaci",
        data=date(2026, 3, 12),
        luogo="Clusone",
        renderer=pdf_finto,
    )
    assert versione.osservazioni_aperte == 1
    # Frozen: no new observation, no answer.
    risposta = _osserva(client_sindaco_a, piano_a, riferimento="piano", testo="Tardi")
    assert risposta.status_code == 409
    assert "le osservazioni sono chiuse" in risposta.content.decode()
    assert Osservazione.objects.filter(piano=piano_a).count() == 1


def test_reviewers_still_change_no_data(client_sindaco_a, piano_a):
    sezione = _sezione(piano_a)
    risposta = client_sindaco_a.post(
        reverse("piani:sezione_update", args=[sezione.pk]),
        {"titolo": "Cambiato", "testo": "x"},
    )
    assert risposta.status_code == 403
    sezione.refresh_from_db()
    assert sezione.titolo != "Cambiato"


@pytest.mark.parametrize("numero", [1, 20])
def test_the_page_runs_the_same_queries_whatever_the_number(
    client_staff_a, piano_a, staff_a, numero, django_assert_max_num_queries
):
    Osservazione.objects.bulk_create(
        Osservazione(piano=piano_a, riferimento="Il piano", testo=TESTO, autore=staff_a)
        for _ in range(numero)
    )
    with django_assert_max_num_queries(14):
        assert (
            client_staff_a.get(
                reverse("piani:osservazioni", args=[piano_a.pk])
            ).status_code
            == 200
        )
