"""The lifecycle pages: works, read-only users get 403 on POST, another ambito 404."""

import pytest
from django.test import Client
from django.urls import reverse

from piani import ciclo
from piani.models import PianoAnnuale, VersioneApprovata
from tests.piani.test_ciclo import contenuto, media_tmp, riscontra_tutte, sha  # noqa: F401

Stato = PianoAnnuale.Stato


def _url(nome, piano, *altro):
    return reverse(f"ciclo:{nome}", args=[piano.pk, *altro])


DATI_APPROVAZIONE = {
    "organo": "Assemblea dei Sindaci",
    "data": "2025-11-20",
    "luogo": "Clusone",
}


def test_the_page_shows_state_actions_and_charts(client_staff_a, piano_a):
    risposta = client_staff_a.get(_url("piano_ciclo", piano_a))
    assert risposta.status_code == 200
    testo = risposta.content.decode()
    assert '<strong id="stato-piano">Raccolta chiusa</strong>' in testo
    assert _url("piano_approva", piano_a) in testo
    assert "Crea il piano 2027 da questo" in testo
    assert "anomalie non risolte" in testo
    assert testo.count('role="img"') == 2
    assert "Popolazione residente nell&#x27;Ambito 9" in testo or "Popolazione" in testo


def test_read_only_users_see_no_actions_and_get_403(client_sindaco_a, piano_a):
    testo = client_sindaco_a.get(_url("piano_ciclo", piano_a)).content.decode()
    assert _url("piano_approva", piano_a) not in testo
    for nome in (
        "piano_apri_raccolta",
        "piano_chiudi_raccolta",
        "piano_approva",
        "piano_pubblica",
        "piano_riapri",
        "piano_crea_successivo",
    ):
        assert (
            client_sindaco_a.post(_url(nome, piano_a), DATI_APPROVAZIONE).status_code
            == 403
        )
    piano_a.refresh_from_db()
    assert piano_a.stato == Stato.RACCOLTA_CHIUSA


def test_another_ambito_gets_404(client_staff_b, piano_a, client):
    assert client_staff_b.get(_url("piano_ciclo", piano_a)).status_code == 404
    assert (
        client_staff_b.post(
            _url("piano_approva", piano_a), DATI_APPROVAZIONE
        ).status_code
        == 404
    )
    assert client_staff_b.get(_url("piano_confronto", piano_a)).status_code == 404
    assert client_staff_b.get(_url("versione_pdf", piano_a, 1)).status_code == 404


def test_anonymous_users_are_sent_to_login(client, piano_a):
    risposta = client.get(_url("piano_ciclo", piano_a))
    assert risposta.status_code == 302 and "/accesso/" in risposta["Location"]


def test_a_refused_transition_is_explained(client_staff_a, piano_a):
    risposta = client_staff_a.post(_url("piano_apri_raccolta", piano_a), follow=True)
    testo = risposta.content.decode()
    assert "non può passare a «Raccolta aperta»" in testo
    risposta = client_staff_a.post(
        _url("piano_approva", piano_a), DATI_APPROVAZIONE, follow=True
    )
    assert "anomalie non risolte né prese in carico" in risposta.content.decode()
    assert not VersioneApprovata.objects.filter(piano=piano_a).exists()


def test_approve_publish_reopen_through_the_pages(
    client_staff_a,
    sindaco_a,
    piano_a,
    staff_a,
    media_tmp,  # noqa: F811
):
    # A second browser: the persona clients share one test client.
    client_sindaco_a = Client()
    client_sindaco_a.force_login(sindaco_a)
    riscontra_tutte(piano_a, staff_a)
    risposta = client_staff_a.post(_url("piano_approva", piano_a), {"organo": ""})
    assert risposta.status_code == 200  # the form again, with its errors
    assert "Questo campo è obbligatorio" in risposta.content.decode()

    risposta = client_staff_a.post(
        _url("piano_approva", piano_a), DATI_APPROVAZIONE, follow=True
    )
    assert "Approvazione registrata: revisione 1" in risposta.content.decode()
    versione = VersioneApprovata.objects.get(piano=piano_a)
    assert (versione.organo, versione.luogo_seduta) == (
        "Assemblea dei Sindaci",
        "Clusone",
    )
    assert versione.data_seduta.isoformat() == "2025-11-20"

    scaricato = client_sindaco_a.get(_url("versione_pdf", piano_a, 1))
    assert scaricato["X-Content-SHA256"] == versione.sha256_pdf
    assert sha(contenuto(scaricato)) == versione.sha256_pdf
    json_ = client_sindaco_a.get(_url("versione_istantanea", piano_a, 1))
    assert sha(contenuto(json_)) == versione.sha256_istantanea
    assert client_sindaco_a.get(_url("versione_pdf", piano_a, 2)).status_code == 404

    client_staff_a.post(_url("piano_pubblica", piano_a))
    piano_a.refresh_from_db()
    assert piano_a.stato == Stato.PUBBLICATO

    risposta = client_staff_a.post(_url("piano_riapri", piano_a), {"motivo": ""})
    assert risposta.status_code == 200
    piano_a.refresh_from_db()
    assert piano_a.stato == Stato.PUBBLICATO
    risposta = client_staff_a.post(
        _url("piano_riapri", piano_a), {"motivo": "Dati ALER corretti"}, follow=True
    )
    assert "la prossima approvazione sarà la revisione 2" in risposta.content.decode()
    piano_a.refresh_from_db()
    assert piano_a.stato == Stato.RACCOLTA_CHIUSA
    testo = client_staff_a.get(_url("piano_ciclo", piano_a)).content.decode()
    assert "Dati ALER corretti" in testo  # in the history of transitions
    assert _url("versione_pdf", piano_a, 1) in testo  # still downloadable


def test_creating_next_year_from_the_page(client_staff_a, piano_a):
    risposta = client_staff_a.post(_url("piano_crea_successivo", piano_a))
    nuovo = PianoAnnuale.objects.get(ambito=piano_a.ambito, anno=2027)
    assert risposta.status_code == 302
    assert risposta["Location"] == _url("piano_ciclo", nuovo)
    testo = client_staff_a.get(_url("piano_ciclo", piano_a)).content.decode()
    assert "Vai al piano 2027" in testo
    risposta = client_staff_a.post(_url("piano_crea_successivo", piano_a), follow=True)
    assert "Esiste già il piano 2027" in risposta.content.decode()


@pytest.mark.parametrize("nome", ["piano_approva", "piano_riapri"])
def test_the_form_urls_redirect_on_get(client_staff_a, piano_a, nome):
    assert client_staff_a.get(_url(nome, piano_a)).status_code == 302


def test_closing_the_collection_lists_missing_enti(client_staff_a, piano_a, staff_a):
    nuovo = ciclo.piano_successivo(piano=piano_a, utente=staff_a)
    ciclo.piano_apri_raccolta(piano=nuovo, utente=staff_a)
    risposta = client_staff_a.post(_url("piano_chiudi_raccolta", nuovo), follow=True)
    testo = risposta.content.decode()
    assert "Enti senza comunicazione (25)" in testo
    assert "25 enti senza comunicazione" in testo
    assert 'id="enti-mancanti"' in testo
