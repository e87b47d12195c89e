"""The plan's pages: dashboard, forms, lists, document, history."""

import csv
import io
from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from patrimonio.models import EnteProprietario
from piani.forms import ComunicazioneForm
from piani.models import Comunicazione, PianoAnnuale, RiscontroAnomalia, Sezione
from pianocasa.numeri import formatta_italiano


# --- helpers (also used by the other view tests) ------------------------------------
def valore_post(valore) -> str:
    if valore is None:
        return ""
    if isinstance(valore, date):
        return valore.isoformat()  # what the native date input posts
    if isinstance(valore, bool):
        return "on" if valore else ""
    if isinstance(valore, Decimal):
        return formatta_italiano(valore)  # as the number input shows it
    return str(valore)


def dati_form(form, **modifiche) -> dict[str, str]:
    """The unbound form's initial values, as a browser posts them, plus changes."""
    dati = {}
    for campo in form:
        valore = campo.value()
        if isinstance(valore, bool) and not valore:
            continue
        dati[campo.html_name] = valore_post(valore)
    dati.update({k: valore_post(v) for k, v in modifiche.items()})
    return dati


def dati_formset(formset) -> dict[str, str]:
    dati = {}
    for campo in formset.management_form:
        dati[campo.html_name] = valore_post(campo.value())
    for form in formset.forms:
        dati.update(dati_form(form))
    return dati


def _clusone(piano) -> Comunicazione:
    return Comunicazione.objects.get(
        piano=piano, ente__denominazione="Comune di Clusone"
    )


def _aggiungi_enti(piano, n: int) -> None:
    for i in range(n):
        ente = EnteProprietario.objects.create(
            tipo=EnteProprietario.Tipo.ALTRO, denominazione=f"Fondazione di prova {i}"
        )
        Comunicazione.objects.create(piano=piano, ente=ente)


# --- dashboard ------------------------------------------------------------------------


def test_the_dashboard_shows_the_three_g_anomalie(client_staff_a, piano_a):
    risposta = client_staff_a.get(reverse("piani:piano_detail", args=[piano_a.pk]))
    testo = risposta.content.decode()
    aperte = [a for a in risposta.context["anomalie_aperte"]]
    g = [r for r in aperte if r["anomalia"].codice == "totale_assegnabili"]
    assert sorted(r["anomalia"].oggetto for r in g) == [
        "Comune di Ardesio",
        "Comune di Azzone",
        "Comune di Clusone",
    ]
    # each links to the field to fix
    clusone = _clusone(piano_a)
    url = reverse("piani:comunicazione_update", args=[clusone.pk])
    assert f'href="{url}#id_assegnabili_totale"' in testo
    assert "50134198" in testo
    assert "10/10/2025 – 27/10/2025" in testo
    assert 'id="azione-pdf"' in testo


def test_the_dashboard_highlights_the_missing_comunicazioni(client_staff_a, piano_a):
    Comunicazione.objects.filter(pk=_clusone(piano_a).pk).update(esito="")
    testo = client_staff_a.get(
        reverse("piani:piano_detail", args=[piano_a.pk])
    ).content.decode()
    riga = testo[testo.index('<tr class="mancante">') :][:400]
    assert "Comune di Clusone" in riga
    assert "Non pervenuta" in riga


def test_the_read_only_user_sees_no_edit_controls(client_sindaco_a, piano_a):
    testo = client_sindaco_a.get(
        reverse("piani:piano_detail", args=[piano_a.pk])
    ).content.decode()
    assert "Anteprima del documento" in testo
    assert "Modifica" not in testo
    assert "Prendi atto" not in testo
    assert '<form method="post" action="/piani/' not in testo


def test_the_dashboard_shows_acknowledgements_with_user_and_reason(
    client_staff_a, piano_a, staff_a
):
    RiscontroAnomalia.objects.create(
        piano=piano_a,
        codice="totale_assegnabili",
        oggetto="Comune di Azzone",
        motivazione="Confermato dall'ente il 30/10/2025.",
        utente=staff_a,
    )
    risposta = client_staff_a.get(reverse("piani:piano_detail", args=[piano_a.pk]))
    testo = risposta.content.decode()
    assert "Confermato dall&#x27;ente il 30/10/2025." in testo
    assert staff_a.username in testo
    aperte = {r["anomalia"].oggetto for r in risposta.context["anomalie_aperte"]}
    assert "Comune di Azzone" not in aperte


def test_the_dashboard_runs_a_fixed_number_of_queries(
    client_staff_a, piano_a, django_assert_num_queries
):
    url = reverse("piani:piano_detail", args=[piano_a.pk])
    client_staff_a.get(url)  # warm up the session and content types
    with CaptureQueriesContext(connection) as prima:
        client_staff_a.get(url)
    _aggiungi_enti(piano_a, 30)
    with django_assert_num_queries(len(prima.captured_queries)):
        risposta = client_staff_a.get(url)
    assert len(risposta.context["comunicazioni"]) == 55


# --- comunicazione form ---------------------------------------------------------------


def test_the_form_shows_the_computed_sum_beside_g(client_staff_a, piano_a):
    c = _clusone(piano_a)
    testo = client_staff_a.get(
        reverse("piani:comunicazione_update", args=[c.pk])
    ).content.decode()
    assert "g) Totale assegnabili come comunicato" in testo
    assert 'id="somma-valore">2<' in testo
    assert 'id="somma-diversa">– diversa dal totale comunicato' in testo


def test_saving_g_equal_to_the_sum_removes_the_anomalia(client_staff_a, piano_a):
    c = _clusone(piano_a)
    url = reverse("piani:comunicazione_update", args=[c.pk])
    dati = dati_form(ComunicazioneForm(instance=c), assegnabili_totale=2)
    risposta = client_staff_a.post(url, dati, follow=True)
    assert risposta.status_code == 200
    assert risposta.context["anomalie"] == []
    assert "Comunicazione salvata" in risposta.content.decode()
    assert _clusone(piano_a).assegnabili_totale == 2


def test_invalid_values_show_inline_italian_errors(client_staff_a, piano_a):
    c = _clusone(piano_a)
    url = reverse("piani:comunicazione_update", args=[c.pk])
    dati = dati_form(
        ComunicazioneForm(instance=c),
        quota_art14="140",
        alloggi_sap="-3",
        data="31/02/2025",
    )
    risposta = client_staff_a.post(url, dati)
    testo = risposta.content.decode()
    assert risposta.status_code == 200
    assert 'id="id_quota_art14_error"' in testo
    assert "Assicurati che questo valore sia minore o uguale a 100." in testo
    assert "Assicurati che questo valore sia maggiore o uguale a 0." in testo
    assert "Inserisci una data valida." in testo
    assert _clusone(piano_a).alloggi_sap != -3


def test_a_stale_form_is_refused_with_a_reload_link(client_staff_a, piano_a):
    c = _clusone(piano_a)
    url = reverse("piani:comunicazione_update", args=[c.pk])
    copia_1 = dati_form(ComunicazioneForm(instance=c), note="Prima persona")
    copia_2 = dati_form(ComunicazioneForm(instance=c), note="Seconda persona")
    assert client_staff_a.post(url, copia_1).status_code == 302
    risposta = client_staff_a.post(url, copia_2)
    testo = risposta.content.decode()
    assert risposta.status_code == 409
    assert "modificati da un&#x27;altra persona" in testo
    assert f'<a href="{url}">Ricarica i dati aggiornati</a>' in testo
    assert _clusone(piano_a).note == "Prima persona"


def test_the_history_shows_who_changed_what(client_staff_a, piano_a, staff_a):
    c = _clusone(piano_a)
    url = reverse("piani:comunicazione_update", args=[c.pk])
    client_staff_a.post(
        url, dati_form(ComunicazioneForm(instance=c), assegnabili_totale=2)
    )
    testo = client_staff_a.get(
        reverse("piani:comunicazione_history", args=[c.pk])
    ).content.decode()
    assert staff_a.username in testo
    assert "Totale assegnabili come comunicato: 3 → 2" in testo


# --- lists ----------------------------------------------------------------------------


def test_the_list_filters_sorts_and_paginates(client_staff_a, piano_a):
    url = reverse("piani:comunicazione_list", args=[piano_a.pk])
    r = client_staff_a.get(url, {"q": "clus"})
    assert [c.ente.denominazione for c in r.context["table"].page.object_list.data] == [
        "Comune di Clusone"
    ]
    r = client_staff_a.get(url, {"esito": "nessun_patrimonio"})
    assert r.context["table"].paginator.count == 14
    _aggiungi_enti(piano_a, 10)
    r = client_staff_a.get(url, {"sort": "-ente"})
    righe = list(r.context["table"].page.object_list)
    assert len(righe) == 25
    assert r.context["table"].paginator.count == 35
    assert righe[0].record.ente.denominazione == "Fondazione di prova 9"
    r = client_staff_a.get(url, {"pervenuta": "false"})
    assert r.context["table"].paginator.count == 10


def test_list_pages_run_a_fixed_number_of_queries(
    client_staff_a, piano_a, django_assert_num_queries
):
    for nome in ["comunicazione_list", "dati_ente_list"]:
        url = reverse(f"piani:{nome}", args=[piano_a.pk])
        client_staff_a.get(url)
        with CaptureQueriesContext(connection) as prima:
            client_staff_a.get(url)
        _aggiungi_enti(piano_a, 30) if nome == "comunicazione_list" else None
        with django_assert_num_queries(len(prima.captured_queries)):
            client_staff_a.get(url)


def test_the_plan_decision_and_section_lists_run_a_fixed_number_of_queries(
    client_staff_a, piano_a, django_assert_num_queries
):
    from ambiti.models import Comune
    from piani.models import DecisioneComune

    comuni = list(Comune.objects.filter(appartenenze__ambito=piano_a.ambito)[:11])
    # from one row (with none the page query is skipped) to many
    DecisioneComune.objects.create(piano=piano_a, comune=comuni[0], quota_indigenti=20)
    urls = [
        reverse("piani:piano_list"),
        reverse("piani:decisione_list", args=[piano_a.pk]),
        reverse("piani:sezione_list", args=[piano_a.pk]),
    ]
    prima = {}
    for url in urls:
        client_staff_a.get(url)
        with CaptureQueriesContext(connection) as q:
            client_staff_a.get(url)
        prima[url] = len(q.captured_queries)
    for anno in range(2030, 2034):
        PianoAnnuale.objects.create(
            ambito=piano_a.ambito, anno=anno, normativa=piano_a.normativa
        )
    for comune in comuni[1:]:
        DecisioneComune.objects.create(piano=piano_a, comune=comune, quota_indigenti=20)
    for n in range(10):
        Sezione.objects.create(
            piano=piano_a, chiave=f"prova-{n}", testo="x", ordine=90 + n
        )
    for url in urls:
        with django_assert_num_queries(prima[url]):
            client_staff_a.get(url)


def test_the_csv_export_neutralises_formulas(client_staff_a, piano_a):
    Comunicazione.objects.filter(pk=_clusone(piano_a).pk).update(
        protocollo='=HYPERLINK("http://x")', denominazione_ricevuta="@SUM(A1)"
    )
    risposta = client_staff_a.get(
        reverse("piani:comunicazione_list", args=[piano_a.pk]), {"_export": "csv"}
    )
    assert risposta["Content-Type"].startswith("text/csv")
    righe = list(
        csv.reader(io.StringIO(risposta.content.decode("utf-8-sig")), delimiter=";")
    )
    assert righe[0][0] == "Ente proprietario"
    assert len(righe) == 26  # header + every ente, not only one page
    riga = next(r for r in righe if r[0] == "Comune di Clusone")
    assert '\'=HYPERLINK("http://x")' in riga
    assert "'@SUM(A1)" in riga
    assert "Modifica" not in righe[0]


def test_the_xlsx_export_neutralises_formulas(client_staff_a, piano_a):
    Comunicazione.objects.filter(pk=_clusone(piano_a).pk).update(
        protocollo="+39 035", note="x", denominazione_ricevuta="-1+1"
    )
    risposta = client_staff_a.get(
        reverse("piani:dati_ente_list", args=[piano_a.pk]), {"_export": "xlsx"}
    )
    foglio = load_workbook(io.BytesIO(risposta.content)).active
    righe = list(foglio.iter_rows(values_only=True))
    assert righe[0][0] == "Ente proprietario"
    assert len(righe) == 26
    clusone = next(r for r in righe if r[0] == "Comune di Clusone")
    assert 3 in clusone  # numbers stay numbers
    risposta = client_staff_a.get(
        reverse("piani:comunicazione_list", args=[piano_a.pk]), {"_export": "xlsx"}
    )
    foglio = load_workbook(io.BytesIO(risposta.content)).active
    valori = [c.value for riga in foglio.iter_rows() for c in riga]
    assert "'+39 035" in valori
    assert "'-1+1" in valori
    assert not any(
        isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for v in valori
    )


# --- document -------------------------------------------------------------------------


def test_the_preview_is_the_document(client_sindaco_a, piano_a):
    risposta = client_sindaco_a.get(reverse("piani:piano_documento", args=[piano_a.pk]))
    assert risposta.status_code == 200
    assert "Clusone" in risposta.content.decode()


def test_the_pdf_downloads(client_staff_a, piano_a):
    risposta = client_staff_a.get(reverse("piani:piano_pdf", args=[piano_a.pk]))
    assert risposta.status_code == 200
    assert risposta["Content-Type"] == "application/pdf"
    assert "attachment" in risposta["Content-Disposition"]
    assert risposta.content.startswith(b"%PDF")


# --- scoping of every page ------------------------------------------------------------


def _url_del_piano(piano) -> list[str]:
    c = piano.comunicazioni.first()
    s = piano.sezioni.first()
    urls = [
        reverse(f"piani:{nome}", args=[piano.pk])
        for nome in [
            "piano_detail",
            "piano_update",
            "piano_history",
            "piano_documento",
            "piano_pdf",
            "comunicazione_list",
            "dati_ente_list",
            "decisione_list",
            "decisione_create",
            "sezione_list",
        ]
    ]
    urls += [
        reverse(f"piani:{nome}", args=[c.pk])
        for nome in [
            "comunicazione_detail",
            "comunicazione_update",
            "comunicazione_history",
        ]
    ]
    urls += [
        reverse(f"piani:{nome}", args=[s.pk])
        for nome in ["sezione_detail", "sezione_update", "sezione_history"]
    ]
    d = piano.decisioni.first()
    if d is not None:
        urls += [
            reverse(f"piani:{nome}", args=[d.pk])
            for nome in ["decisione_update", "decisione_history"]
        ]
    return urls


def test_every_page_of_another_ambito_answers_404(
    client_staff_b, client, piano_a, piano_b
):
    urls = _url_del_piano(piano_a)
    assert len(urls) >= 16
    for url in urls:
        assert client_staff_b.get(url).status_code == 404, url
    # …and the same pages of their own plan open
    for url in _url_del_piano(piano_b):
        if url.endswith(".pdf"):
            continue
        assert client_staff_b.get(url).status_code == 200, url


def test_the_plan_list_shows_only_the_users_ambiti(client_staff_b, piano_a, piano_b):
    risposta = client_staff_b.get(reverse("piani:piano_list"))
    piani = [r.record for r in risposta.context["table"].page.object_list]
    assert piani == [piano_b]


# --- plan form with its windows -------------------------------------------------------


def _dati_piano(piano, **modifiche) -> dict[str, str]:
    from piani.forms import FinestraFormSet, PianoForm

    dati = dati_form(PianoForm(instance=piano), **modifiche)
    dati.update(dati_formset(FinestraFormSet(instance=piano, prefix="finestre")))
    return dati


def test_the_plan_form_adds_and_removes_windows(client_staff_a, piano_a):
    url = reverse("piani:piano_update", args=[piano_a.pk])
    dati = _dati_piano(piano_a)
    dati["finestre-1-inizio"] = "03/11/2025"
    dati["finestre-1-fine"] = "07/11/2025"
    assert client_staff_a.post(url, dati).status_code == 302
    finestre = list(piano_a.finestre.order_by("inizio").values_list("inizio", "fine"))
    assert finestre[-1] == (date(2025, 11, 3), date(2025, 11, 7))
    assert len(finestre) == 2

    piano_a.refresh_from_db()
    dati = _dati_piano(piano_a)
    dati["finestre-0-DELETE"] = "on"
    assert client_staff_a.post(url, dati).status_code == 302
    assert list(piano_a.finestre.values_list("inizio", flat=True)) == [
        date(2025, 11, 3)
    ]


def test_a_window_ending_before_it_starts_is_an_inline_error(client_staff_a, piano_a):
    url = reverse("piani:piano_update", args=[piano_a.pk])
    dati = _dati_piano(piano_a)
    dati["finestre-0-fine"] = "01/10/2025"
    risposta = client_staff_a.post(url, dati)
    assert risposta.status_code == 200
    assert "La data di chiusura non può precedere quella di apertura." in (
        risposta.content.decode()
    )
    assert piano_a.finestre.get().fine == date(2025, 10, 27)


# --- login, frozen plans, Markdown ---------------------------------------------------


def test_the_login_page_is_italian(client, staff_a):
    risposta = client.get(reverse("login"))
    assert "Accedi" in risposta.content.decode()
    risposta = client.post(
        reverse("login"), {"username": staff_a.username, "password": "sbagliata"}
    )
    assert "Inserisci nome utente e password corretti" in risposta.content.decode()
    risposta = client.post(
        reverse("login"), {"username": staff_a.username, "password": "pw-test-123"}
    )
    assert risposta.status_code == 302


def test_anonymous_users_are_sent_to_the_login_page(client, piano_a):
    risposta = client.get(reverse("piani:piano_detail", args=[piano_a.pk]))
    assert risposta.status_code == 302
    assert risposta["Location"].startswith("/accesso/")


def test_an_approved_plan_shows_its_forms_read_only(client_staff_a, piano_a):
    PianoAnnuale.objects.filter(pk=piano_a.pk).update(
        stato=PianoAnnuale.Stato.APPROVATO
    )
    c = _clusone(piano_a)
    testo = client_staff_a.get(
        reverse("piani:comunicazione_update", args=[c.pk])
    ).content.decode()
    assert "approvato o pubblicato" in testo
    assert ">Salva</button>" not in testo
    testo = client_staff_a.get(
        reverse("piani:piano_detail", args=[piano_a.pk])
    ).content.decode()
    assert "Prendi atto" not in testo
    assert "Modifica i dati del piano" not in testo


def test_narrative_sections_are_rendered_sanitised(client_staff_a, piano_a):
    sezione = piano_a.sezioni.order_by("ordine").first()
    Sezione.objects.filter(pk=sezione.pk).update(
        testo="Testo **forte**.\n\n<script>alert(1)</script>"
        "<img src=x onerror=alert(2)>"
    )
    testo = client_staff_a.get(
        reverse("piani:sezione_detail", args=[sezione.pk])
    ).content.decode()
    assert "<strong>forte</strong>" in testo
    assert "<script>alert(1)" not in testo
    assert "onerror" not in testo


def test_the_dashboard_lists_the_comuni_without_population_at_the_document_date(
    client_staff_a, piano_a
):
    from ambiti.models import PopolazioneComune

    pagina = client_staff_a.get(reverse("piani:piano_detail", args=[piano_a.pk]))
    assert pagina.context["popolazione_mancante"].comuni == []
    assert 'id="popolazione-mancante"' not in pagina.content.decode()
    ultima = PopolazioneComune.objects.filter(
        comune__appartenenze__ambito=piano_a.ambito
    ).latest("data")
    ultima.delete()
    pagina = client_staff_a.get(reverse("piani:piano_detail", args=[piano_a.pk]))
    mancante = pagina.context["popolazione_mancante"]
    assert [c.pk for c in mancante.comuni] == [ultima.comune_id]
    testo = pagina.content.decode()
    assert f"Comuni senza popolazione al {ultima.data:%d/%m/%Y}" in testo
    assert f"<li>{ultima.comune.nome}</li>" in testo


def test_the_population_box_and_declared_totals_keep_the_query_count(
    client_staff_a, piano_a, django_assert_num_queries
):
    from ambiti.models import AmbitoComune, Comune
    from piani.models import TotaleDichiarato

    url = reverse("piani:piano_detail", args=[piano_a.pk])
    client_staff_a.get(url)  # warm up the session and content types
    with CaptureQueriesContext(connection) as prima:
        client_staff_a.get(url)
    # Ten more comuni without population and two declared totals.
    for comune in Comune.objects.filter(appartenenze__isnull=True)[:10]:
        AmbitoComune.objects.create(ambito=piano_a.ambito, comune=comune)
    for contenuto, valore in (("unita_sat", 3), ("assegnate_anno_precedente", 9)):
        TotaleDichiarato.objects.create(
            piano=piano_a, contenuto=contenuto, valore=valore
        )
    with django_assert_num_queries(len(prima.captured_queries)):
        risposta = client_staff_a.get(url)
    assert len(risposta.context["popolazione_mancante"].comuni) == 10
    assert len(risposta.context["totali_dichiarati"]) == 2
