"""Plans known only by totals: an ambito-level total where per-ente rows are not
available, printed as such, checked against the rows when both exist, entered by
staff from the plan page."""

import pytest
from django.conf import settings
from django.urls import reverse

from piani.anomalie import Codice, anomalie_calcola
from piani.documento import documento_html
from piani.models import PianoAnnuale, PianoCongelato, TotaleDichiarato
from piani.services import comunicazioni_inizializza, totale_dichiarato_imposta
from tests.piani.test_non_pervenute import _due_enti_con_dati, piano_prova  # noqa: F401

pytestmark = pytest.mark.django_db
ALLOGGI = TotaleDichiarato.Contenuto.ALLOGGI_TOTALI


def test_a_total_without_rows_is_printed_as_such(piano_prova, admin_user):  # noqa: F811
    comunicazioni_inizializza(piano=piano_prova)
    totale_dichiarato_imposta(
        piano=piano_prova,
        contenuto=ALLOGGI,
        valore=699,
        nota="nota ALER del 12/03/2030",
        utente=admin_user,
    )
    html = documento_html(piano_prova)
    assert (
        "Totale dell'ambito: 699 alloggi (dato complessivo, senza dettaglio per "
        "ente) – nota ALER del 12/03/2030." in html
    )
    assert not [
        a for a in anomalie_calcola(piano_prova) if a.codice == Codice.TOTALE_DICHIARATO
    ]


def test_with_rows_it_is_checked_against_their_sum(piano_prova, admin_user):  # noqa: F811
    _due_enti_con_dati(piano_prova)  # 30 + 12 alloggi, two enti non pervenuti
    totale_dichiarato_imposta(
        piano=piano_prova, contenuto=ALLOGGI, valore=40, utente=admin_user
    )
    html = documento_html(piano_prova)
    assert "Totale dell'ambito: 40" not in html  # the rows are printed instead
    (anomalia,) = [
        a for a in anomalie_calcola(piano_prova) if a.codice == Codice.TOTALE_DICHIARATO
    ]
    assert anomalia.valori == {"dichiarato": 40, "somma": 42}
    assert "il totale dichiarato dell'ambito è 40, ma gli enti sommano 42" in (
        anomalia.messaggio
    )
    assert "Mancano le comunicazioni di 2 enti." in anomalia.messaggio

    totale_dichiarato_imposta(
        piano=piano_prova, contenuto=ALLOGGI, valore=42, utente=admin_user
    )
    assert TotaleDichiarato.objects.get(piano=piano_prova).valore == 42
    codici = {a.codice for a in anomalie_calcola(piano_prova)}
    assert Codice.TOTALE_DICHIARATO not in codici


def test_an_empty_value_removes_it_and_a_frozen_plan_refuses_it(
    piano_prova,  # noqa: F811
    admin_user,
):
    totale_dichiarato_imposta(
        piano=piano_prova, contenuto=ALLOGGI, valore=5, utente=admin_user
    )
    totale_dichiarato_imposta(
        piano=piano_prova, contenuto=ALLOGGI, valore=None, utente=admin_user
    )
    assert not TotaleDichiarato.objects.filter(piano=piano_prova).exists()
    totale_dichiarato_imposta(
        piano=piano_prova, contenuto=ALLOGGI, valore=5, utente=admin_user
    )
    PianoAnnuale.objects.filter(pk=piano_prova.pk).update(stato="approvato")
    with pytest.raises(PianoCongelato):
        totale_dichiarato_imposta(
            piano=piano_prova, contenuto=ALLOGGI, valore=6, utente=admin_user
        )
    with pytest.raises(PianoCongelato):
        TotaleDichiarato.objects.get(piano=piano_prova).delete()


def _invia(client, piano, **dati):
    return client.post(
        reverse("piani:totale_dichiarato_imposta", args=[piano.pk]),
        {"contenuto": "alloggi_sap", "valore": "249", "nota": "", **dati},
    )


def test_staff_enter_it_from_the_plan_page(client_staff_a, piano_a):
    pagina = client_staff_a.get(reverse("piani:piano_detail", args=[piano_a.pk]))
    assert (
        'action="{}"'.format(
            reverse("piani:totale_dichiarato_imposta", args=[piano_a.pk])
        )
        in pagina.content.decode()
    )
    risposta = _invia(client_staff_a, piano_a, nota="fonte di prova")
    assert risposta.status_code == 302 and risposta.url.endswith("#totali")
    totale = TotaleDichiarato.objects.get(piano=piano_a)
    assert (totale.contenuto, totale.valore, totale.nota) == (
        "alloggi_sap",
        249,
        "fonte di prova",
    )
    pagina = client_staff_a.get(reverse("piani:piano_detail", args=[piano_a.pk]))
    assert "fonte di prova" in pagina.content.decode()


def test_a_bad_value_is_refused_naming_the_field(client_staff_a, piano_a):
    risposta = _invia(client_staff_a, piano_a, valore="-3")
    pagina = client_staff_a.get(risposta.url)
    assert "Totale dell&#x27;ambito:" in pagina.content.decode()
    assert not TotaleDichiarato.objects.exists()


def test_sindaco_gets_403(client_sindaco_a, piano_a):
    assert _invia(client_sindaco_a, piano_a).status_code == 403
    assert not TotaleDichiarato.objects.exists()


def test_another_ambitos_staff_get_404(client_staff_b, piano_a):
    assert _invia(client_staff_b, piano_a).status_code == 404
    assert not TotaleDichiarato.objects.exists()


def test_anonymous_is_sent_to_login(client, piano_a):
    risposta = _invia(client, piano_a)
    assert risposta.status_code == 302
    assert risposta.url.startswith(reverse(settings.LOGIN_URL))
