"""Every misure page: works for the ambito's staff, read-only users get 403 on
pages with personal data or that change data (200 on the public ones), other
ambiti get 404, POSTs without CSRF token are refused."""

import logging
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from misure.models import AccessoDatiPersonali, Bando, Domanda, Scorrimento
from misure.services import graduatoria_calcola, scorrimento_esegui

from .factories import assegnazione_di, bando_crea, domanda_crea, fonte_crea


@pytest.fixture
def bando(ambito_a):
    bando = bando_crea(ambito_a, titolo="Bando 2026 di prova")
    Domanda.objects.bulk_create(
        [
            domanda_crea(bando, 1, cognome="Scandella", nome="Arturo"),
            domanda_crea(bando, 2, cognome="Tiraboschi", nome="Bice"),
            domanda_crea(
                bando, 3, cognome="Zucchelli", nome="Carla", isee=Decimal("25000.00")
            ),
        ]
    )
    fonte_crea(bando, assegnazione_di(ambito_a, 5292, 2025), "4500.00", 1)
    graduatoria_calcola(bando=bando)
    bando.refresh_from_db()
    return bando


@pytest.fixture
def domanda(bando):
    return bando.domande.get(cognome="Scandella")


# (url name, kwargs from the fixtures, read-only user's status)
PAGINE_GET = [
    ("misure:bando_detail", "bando", 200),
    ("misure:graduatoria_pdf", "bando", 200),
    ("misure:graduatoria_xlsx", "bando", 200),
    ("misure:domanda_modello", "bando", 200),
    ("misure:bando_update", "bando", 403),
    ("misure:domanda_list", "bando", 403),
    ("misure:domanda_create", "bando", 403),
    ("misure:domanda_import", "bando", 403),
    ("misure:domanda_detail", "domanda", 403),
    ("misure:domanda_update", "domanda", 403),
]


def _url(nome, oggetto):
    return reverse(nome, args=[oggetto.pk])


@pytest.mark.parametrize(("nome", "oggetto", "stato_lettura"), PAGINE_GET)
def test_each_page_is_scoped_to_the_ambito(
    request, nome, oggetto, stato_lettura, staff_a, staff_b, sindaco_a
):
    url = _url(nome, request.getfixturevalue(oggetto))
    client = Client()
    client.force_login(staff_a)
    assert client.get(url).status_code == 200
    client.force_login(sindaco_a)
    assert client.get(url).status_code == stato_lettura
    client.force_login(staff_b)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_bando_list_shows_only_the_users_ambiti(bando, client, staff_a, staff_b):
    client.force_login(staff_a)
    risposta = client.get(reverse("misure:bando_list"))
    assert risposta.status_code == 200
    assert "Bando 2026 di prova" in risposta.content.decode()
    client.force_login(staff_b)
    risposta = client.get(reverse("misure:bando_list"))
    assert risposta.status_code == 200
    assert "Bando 2026 di prova" not in risposta.content.decode()
    # B's own (historical) bando is there
    assert "Bando sostegno alla locazione 2023" in risposta.content.decode()


def test_dgr_ledger_shows_impegnate(client, staff_a, staff_b):
    client.force_login(staff_a)
    risposta = client.get(reverse("misure:dgr_list"))
    # seed 000: 16.875,00 − 1.687,50 = 15.187,50
    for cifra in ("€ 16.875,00", "€ 1.687,50", "€ 15.187,50"):
        assert cifra in risposta.content.decode()
    client.force_login(staff_b)
    assert "€ 15.187,50" not in client.get(reverse("misure:dgr_list")).content.decode()


def test_dgr_ledger_shows_what_goes_to_the_bandi(client, admin_user):
    client.force_login(admin_user)
    testo = client.get(reverse("misure:dgr_list") + "?per_page=100").content.decode()
    # DGR 6491/2022, seed 002: € 22.467,60 to the 2023 bando
    assert "€ 22.467,60" in testo


def test_ledger_row_edit_is_scoped(client, ambito_a, staff_a, staff_b, sindaco_a):
    riga = assegnazione_di(ambito_a, 6491, 2022)
    url = reverse("misure:assegnazionedgr_update", args=[riga.pk])
    client.force_login(staff_a)
    assert client.get(url).status_code == 200
    client.force_login(sindaco_a)
    assert client.get(url).status_code == 403
    client.force_login(staff_b)
    assert client.get(url).status_code == 404


def test_bando_detail_shows_the_graduatoria_without_personal_data(
    bando, client, sindaco_a
):
    client.force_login(sindaco_a)
    risposta = client.get(bando.get_absolute_url())
    testo = risposta.content.decode()
    assert "00001/2026" in testo
    assert "Ammessa, non finanziata" in testo  # no funding run yet
    for personale in ("Scandella", "Tiraboschi", "Zucchelli", "8.000,00"):
        assert personale not in testo
    # read-only: no action buttons
    assert reverse("misure:scorrimento_esegui", args=[bando.pk]) not in testo


# --- POST actions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "nome", ["misure:graduatoria_calcola", "misure:scorrimento_esegui"]
)
def test_post_actions_are_for_staff_only(bando, nome, staff_a, staff_b, sindaco_a):
    url = reverse(nome, args=[bando.pk])
    client = Client()
    client.force_login(sindaco_a)
    assert client.post(url).status_code == 403
    client.force_login(staff_b)
    assert client.post(url).status_code == 404
    client.force_login(staff_a)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302


def test_funding_run_button_runs_once(bando, client, staff_a):
    client.force_login(staff_a)
    url = reverse("misure:scorrimento_esegui", args=[bando.pk])
    client.post(url)
    risposta = client.post(url, follow=True)
    assert "già stato eseguito" in risposta.content.decode()
    assert Scorrimento.objects.filter(bando=bando).count() == 1
    assert Bando.objects.get(pk=bando.pk).n_finanziate == 2


def test_recalculating_bumps_the_graduatoria_version(bando, client, staff_a):
    client.force_login(staff_a)
    client.post(reverse("misure:graduatoria_calcola", args=[bando.pk]))
    assert Bando.objects.get(pk=bando.pk).versione_graduatoria == 2


@pytest.mark.parametrize(
    ("nome", "oggetto"),
    [
        ("misure:graduatoria_calcola", "bando"),
        ("misure:scorrimento_esegui", "bando"),
        ("misure:bando_update", "bando"),
        ("misure:domanda_create", "bando"),
        ("misure:domanda_import", "bando"),
        ("misure:domanda_update", "domanda"),
    ],
)
def test_posts_without_csrf_token_are_refused(request, nome, oggetto, bando, staff_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_a)
    url = _url(nome, request.getfixturevalue(oggetto))
    risposta = client.post(url, {"protocollo": "X", "titolo": "X"})
    assert risposta.status_code == 403
    # nothing changed
    bando = Bando.objects.get(pk=bando.pk)
    assert bando.versione_graduatoria == 1
    assert bando.titolo == "Bando 2026 di prova"
    assert not Scorrimento.objects.filter(bando=bando).exists()
    assert sorted(bando.domande.values_list("protocollo", flat=True)) == [
        "00001/2026",
        "00002/2026",
        "00003/2026",
    ]
    # and the same POST with the token goes through the CSRF check
    client.get(
        url if "domand" in nome or "update" in nome else bando.get_absolute_url()
    )
    token = client.cookies["csrftoken"].value
    risposta = client.post(
        url, {"protocollo": "X", "titolo": "X", "csrfmiddlewaretoken": token}
    )
    assert risposta.status_code != 403


# --- Domande: entry, edit, access log -------------------------------------------


def _dati_domanda(comune, **extra):
    dati = {
        "protocollo": "00099/2026",
        "data_protocollo": "2026-02-10",
        "cognome": "Rossi",
        "nome": "Mario",
        "codice_fiscale": "rssmra80a01h501u",
        "data_nascita": "1980-01-01",
        "comune_residenza": comune.pk,
        "componenti": "3",
        "minori": "1",
        "isee": "9.876,54",
        "canone_mensile": "420,00",
        "contratto_registrato": "on",
        "mesi_alloggio": "30",
        "procedura": "nessuna",
    }
    dati.update(extra)
    return dati


def test_staff_enters_a_domanda_in_italian_formats(bando, client, staff_a, ambito_a):
    client.force_login(staff_a)
    comune = ambito_a.comuni.get(codice_istat="016077")
    risposta = client.post(
        reverse("misure:domanda_create", args=[bando.pk]), _dati_domanda(comune)
    )
    assert risposta.status_code == 302
    nuova = bando.domande.get(protocollo="00099/2026")
    assert nuova.isee == Decimal("9876.54")
    assert nuova.codice_fiscale == "RSSMRA80A01H501U"
    assert AccessoDatiPersonali.objects.filter(
        domanda=nuova, utente=staff_a, vista="domanda_create"
    ).exists()


def test_a_wrong_tax_code_control_character_is_a_form_error(
    bando, client, staff_a, ambito_a
):
    client.force_login(staff_a)
    comune = ambito_a.comuni.get(codice_istat="016077")
    risposta = client.post(
        reverse("misure:domanda_create", args=[bando.pk]),
        _dati_domanda(comune, codice_fiscale="RSSMRA80A01H501X"),
    )
    assert risposta.status_code == 200
    assert "carattere di controllo" in risposta.content.decode()
    assert not bando.domande.filter(protocollo="00099/2026").exists()


def test_staff_edits_a_domanda(domanda, client, staff_a):
    client.force_login(staff_a)
    dati = _dati_domanda(
        domanda.comune_residenza,
        protocollo=domanda.protocollo,
        cognome="Scandella",
        codice_fiscale=domanda.codice_fiscale,
        isee="7.000,00",
    )
    risposta = client.post(reverse("misure:domanda_update", args=[domanda.pk]), dati)
    assert risposta.status_code == 302
    domanda.refresh_from_db()
    assert domanda.isee == Decimal("7000.00")


def test_every_view_of_personal_data_is_logged(bando, domanda, client, staff_a, caplog):
    client.force_login(staff_a)
    with caplog.at_level(logging.INFO, logger="pianocasa.accessi"):
        risposta = client.get(reverse("misure:domanda_list", args=[bando.pk]))
        assert "Scandella" in risposta.content.decode()
        client.get(reverse("misure:domanda_detail", args=[domanda.pk]))
        client.get(reverse("misure:domanda_update", args=[domanda.pk]))
    elenco = AccessoDatiPersonali.objects.filter(vista="domanda_list", utente=staff_a)
    assert set(elenco.values_list("domanda_id", flat=True)) == set(
        bando.domande.values_list("pk", flat=True)
    )
    for vista in ("domanda_detail", "domanda_update"):
        accesso = AccessoDatiPersonali.objects.get(vista=vista)
        assert (accesso.utente, accesso.domanda, accesso.bando) == (
            staff_a,
            domanda,
            bando,
        )
        assert accesso.momento is not None
    righe = [r for r in caplog.records if r.name == "pianocasa.accessi"]
    assert len(righe) == 3 + 2
    assert all("t.ufficio.a" in r.getMessage() for r in righe)
    assert any(f"domanda={domanda.pk}" in r.getMessage() for r in righe)


def test_refused_users_leave_no_access_record(domanda, client, sindaco_a, staff_b):
    for utente in (sindaco_a, staff_b):
        client.force_login(utente)
        client.get(reverse("misure:domanda_detail", args=[domanda.pk]))
    assert not AccessoDatiPersonali.objects.exists()


def test_bando_list_runs_a_fixed_number_of_queries(
    bando, client, staff_a, ambito_a, django_assert_max_num_queries
):
    for n in range(5):
        bando_crea(ambito_a, titolo=f"Altro bando {n}")
    client.force_login(staff_a)
    with django_assert_max_num_queries(12):
        risposta = client.get(reverse("misure:bando_list"))
    assert risposta.status_code == 200


def test_funding_run_via_service_matches_the_detail_page(bando, client, staff_a):
    scorrimento_esegui(bando=bando, utente=staff_a)
    client.force_login(staff_a)
    testo = client.get(bando.get_absolute_url()).content.decode()
    assert "Finanziata in parte" in testo  # € 4.500 for two € 3.000 contributions
    assert "€ 1.500,00" in testo
    # The sources, in scorrimento order, with what each paid.
    assert "In ordine di scorrimento" in testo
    for fonte in bando.fonti.select_related("assegnazione__dgr"):
        assert fonte.assegnazione.dgr.estremi in testo


# --- Bando: creation and edit with sources and criteria ------------------------------


def test_staff_creates_a_bando_of_their_ambito(client, staff_a, ambito_a, ambito_b):
    client.force_login(staff_a)
    url = reverse("misure:bando_create")
    assert client.get(url).status_code == 200
    dati = {
        "ambito": ambito_a.pk,
        "titolo": "Bando 2027",
        "misura": "unica",
        "data_pubblicazione": "2027-02-01",
        "data_scadenza": "2027-03-31",
        "importo": "10.816,00",
        "gestito": "on",
        "isee_massimo": "16.000,00",
        "contributo_mensilita": "10",
        "contributo_massimo": "3.600,00",
        "spareggio": "isee_protocollo",
    }
    risposta = client.post(url, dati)
    assert risposta.status_code == 302
    bando = Bando.objects.get(titolo="Bando 2027")
    assert (bando.ambito, bando.importo) == (ambito_a, Decimal("10816.00"))
    # another ambito is not a choice
    risposta = client.post(url, dict(dati, ambito=ambito_b.pk, titolo="Altro"))
    assert risposta.status_code == 200
    assert not Bando.objects.filter(titolo="Altro").exists()


def test_read_only_users_cannot_create_bandi(client, sindaco_a):
    client.force_login(sindaco_a)
    assert client.get(reverse("misure:bando_create")).status_code == 403


def test_staff_sets_sources_and_criteria_of_a_bando(bando, client, staff_a, ambito_a):
    client.force_login(staff_a)
    url = reverse("misure:bando_update", args=[bando.pk])
    risposta = client.get(url)
    fonte = bando.fonti.get()
    dati = {
        "titolo": bando.titolo,
        "misura": "unica",
        "data_pubblicazione": "2026-02-01",
        "data_scadenza": "2026-03-31",
        "gestito": "on",
        "contributo_mensilita": "10",
        "contributo_massimo": "3.600,00",
        "spareggio": "isee_protocollo",
        "fonti-TOTAL_FORMS": "2",
        "fonti-INITIAL_FORMS": "1",
        "fonti-0-id": fonte.pk,
        "fonti-0-ordine": "1",
        "fonti-0-assegnazione": fonte.assegnazione_id,
        "fonti-0-importo": "4.000,00",
        "fonti-1-ordine": "2",
        "fonti-1-assegnazione": assegnazione_di(ambito_a, 1001, 2023).pk,
        "fonti-1-importo": "2.500,50",
        "criteri-TOTAL_FORMS": "1",
        "criteri-INITIAL_FORMS": "0",
        "criteri-0-criterio": "isee",
        "criteri-0-peso": "20",
        "criteri-0-ordine": "1",
    }
    risposta = client.post(url, dati)
    assert risposta.status_code == 302, risposta.content.decode()[:3000]
    assert [
        (f.assegnazione.dgr.breve, f.importo) for f in bando.fonti.order_by("ordine")
    ] == [
        ("DGR 5292/2025", Decimal("4000.00")),
        ("DGR 1001/2023", Decimal("2500.50")),
    ]
    assert [c.criterio for c in bando.criteri.all()] == ["isee"]


def test_bando_create_without_csrf_token_is_refused(staff_a, ambito_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_a)
    risposta = client.post(
        reverse("misure:bando_create"),
        {"ambito": ambito_a.pk, "titolo": "Senza token", "misura": "unica"},
    )
    assert risposta.status_code == 403
    assert not Bando.objects.filter(titolo="Senza token").exists()


def test_bando_detail_warns_when_sources_do_not_add_up(bando, client, staff_a):
    bando.importo = Decimal("5000.00")
    bando.save()
    client.force_login(staff_a)
    testo = client.get(bando.get_absolute_url()).content.decode()
    assert "€ 4.500,00" in testo and "€ 5.000,00" in testo
    assert "non corrisponde" in testo


def test_a_historical_bando_page_shows_the_printed_counts(client, sindaco_a, ambito_a):
    storico = Bando.objects.get(ambito=ambito_a, data_pubblicazione="2022-08-04")
    client.force_login(sindaco_a)
    risposta = client.get(storico.get_absolute_url())
    assert risposta.status_code == 200
    testo = risposta.content.decode()
    assert '<dd class="col-sm-9" id="n-pervenute">137</dd>' in testo
    assert '<dd class="col-sm-9" id="n-accolte">135</dd>' in testo
    assert "DGR XI/6491 del 13/06/2022" in testo
    # no graduatoria nor funding buttons for a bando entered as totals
    assert reverse("misure:graduatoria_pdf", args=[storico.pk]) not in testo


def test_a_source_that_paid_cannot_be_removed(bando, client, staff_a):
    scorrimento_esegui(bando=bando, utente=staff_a)
    fonte = bando.fonti.get()
    client.force_login(staff_a)
    risposta = client.post(
        reverse("misure:bando_update", args=[bando.pk]),
        {
            "titolo": bando.titolo,
            "misura": "unica",
            "gestito": "on",
            "spareggio": "isee_protocollo",
            "fonti-TOTAL_FORMS": "1",
            "fonti-INITIAL_FORMS": "1",
            "fonti-0-id": fonte.pk,
            "fonti-0-ordine": "1",
            "fonti-0-assegnazione": fonte.assegnazione_id,
            "fonti-0-importo": "4.500,00",
            "fonti-0-DELETE": "on",
            "criteri-TOTAL_FORMS": "0",
            "criteri-INITIAL_FORMS": "0",
        },
    )
    assert risposta.status_code == 200
    assert "ha già finanziato domande" in risposta.content.decode()
    assert bando.fonti.filter(pk=fonte.pk).exists()


def test_ledger_offers_the_edit_link_only_to_who_may_edit(client, staff_a, sindaco_a):
    url = reverse("misure:dgr_list")
    client.force_login(staff_a)
    assert "/modifica/" in client.get(url).content.decode()
    client.force_login(sindaco_a)
    risposta = client.get(url)
    assert "€ 16.875,00" in risposta.content.decode()
    assert "/modifica/" not in risposta.content.decode()
