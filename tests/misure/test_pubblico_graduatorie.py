"""Publishing a graduatoria on the ambito's public page: the staff's decision
(who may take it, when it is refused), the public pages and downloads without
login (404 until published, on a wrong slug and after withdrawal), and no
personal data of the 200-application demo bando in any of them."""

import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from misure import services
from misure.esempi import bando_demo_carica
from misure.models import Bando, Domanda, Elaborazione

from .factories import assegnazione_di, bando_crea, domanda_crea, fonte_crea
from .test_pubblicazione import _cerca, _vietati


@pytest.fixture
def bando(ambito_a):
    bando = bando_crea(ambito_a, titolo="Bando 2026 di prova")
    Domanda.objects.bulk_create(
        [
            domanda_crea(bando, 1, cognome="Scandella", nome="Arturo"),
            domanda_crea(bando, 2, cognome="Tiraboschi", nome="Bice"),
        ]
    )
    fonte_crea(bando, assegnazione_di(ambito_a, 5292, 2025), "4500.00", 1)
    services.graduatoria_calcola(bando=bando)
    bando.refresh_from_db()
    return bando


def _pubblici(bando, slug=None) -> dict[str, str]:
    argomenti = [slug or bando.ambito.slug, bando.pk]
    return {
        nome: reverse(f"misure:{nome}", args=argomenti)
        for nome in (
            "graduatoria_pubblica",
            "graduatoria_pubblica_pdf",
            "graduatoria_pubblica_xlsx",
        )
    }


def _elenco(ambito) -> str:
    return reverse("misure:graduatorie_pubbliche", args=[ambito.slug])


def _pubblica(bando, utente, pubblica=True):
    services.graduatoria_pubblica_imposta(bando=bando, utente=utente, pubblica=pubblica)
    bando.refresh_from_db()


def test_anonymous_gets_404_before_publication_and_200_after(bando, ambito_a, staff_a):
    anonimo = Client()
    for url in _pubblici(bando).values():
        assert anonimo.get(url).status_code == 404
    elenco = anonimo.get(_elenco(ambito_a))
    assert elenco.status_code == 200
    assert "Non ci sono graduatorie pubblicate." in elenco.content.decode()
    assert "Bando 2026 di prova" not in elenco.content.decode()

    _pubblica(bando, staff_a)
    assert bando.graduatoria_pubblicata_da == staff_a
    assert bando.graduatoria_pubblicata_il is not None
    urls = _pubblici(bando)
    pagina = anonimo.get(_elenco(ambito_a)).content.decode()
    assert "Bando 2026 di prova" in pagina
    assert all(url in pagina for url in urls.values())
    dettaglio = anonimo.get(urls["graduatoria_pubblica"])
    assert dettaglio.status_code == 200
    assert "00001/2026" in dettaglio.content.decode()
    pdf = anonimo.get(urls["graduatoria_pubblica_pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = anonimo.get(urls["graduatoria_pubblica_xlsx"])
    assert xlsx.status_code == 200
    foglio = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).worksheets[0]
    protocolli = {r[1] for r in foglio.iter_rows(min_row=3, values_only=True)}
    assert protocolli == {"00001/2026", "00002/2026"}


def test_a_wrong_slug_or_unknown_ambito_is_404(bando, ambito_b, staff_a):
    _pubblica(bando, staff_a)
    anonimo = Client()
    for url in _pubblici(bando, slug=ambito_b.slug).values():
        assert anonimo.get(url).status_code == 404
    assert "Bando 2026 di prova" not in anonimo.get(_elenco(ambito_b)).content.decode()
    assert anonimo.get("/misure/pubblico/nessuno/").status_code == 404


def test_withdrawing_hides_it_again(bando, ambito_a, staff_a):
    _pubblica(bando, staff_a)
    _pubblica(bando, staff_a, pubblica=False)
    assert bando.graduatoria_pubblicata_il is None
    assert bando.graduatoria_pubblicata_da is None
    anonimo = Client()
    for url in _pubblici(bando).values():
        assert anonimo.get(url).status_code == 404
    assert "Bando 2026 di prova" not in anonimo.get(_elenco(ambito_a)).content.decode()


def test_recomputing_the_graduatoria_withdraws_it(bando, staff_a):
    _pubblica(bando, staff_a)
    services.graduatoria_calcola(bando=bando)
    bando.refresh_from_db()
    assert not bando.graduatoria_pubblicata
    assert Client().get(_pubblici(bando)["graduatoria_pubblica"]).status_code == 404


def test_it_refuses_a_graduatoria_never_computed(ambito_a, staff_a):
    nuovo = bando_crea(ambito_a)
    storico = bando_crea(ambito_a, gestito=False, domande_pervenute=10)
    for b in (nuovo, storico):
        with pytest.raises(
            services.GraduatoriaNonPubblicabile,
            match="La graduatoria non è ancora stata calcolata",
        ):
            services.graduatoria_pubblica_imposta(
                bando=b, utente=staff_a, pubblica=True
            )
        b.refresh_from_db()
        assert b.graduatoria_pubblicata_il is None
    assert not Bando.objects.graduatoria_pubblicata().filter(ambito=ambito_a).exists()


def test_the_view_reports_the_refusal_in_italian(ambito_a, client_staff_a):
    nuovo = bando_crea(ambito_a)
    url = reverse("misure:graduatoria_pubblicazione", args=[nuovo.pk])
    risposta = client_staff_a.post(url, {"pubblica": "1"}, follow=True)
    assert "La graduatoria non è ancora stata calcolata" in risposta.content.decode()
    nuovo.refresh_from_db()
    assert nuovo.graduatoria_pubblicata_il is None


def test_the_staff_action_permission_matrix(bando, staff_a, staff_b, sindaco_a):
    url = reverse("misure:graduatoria_pubblicazione", args=[bando.pk])

    def pubblicata() -> bool:
        bando.refresh_from_db()
        return bando.graduatoria_pubblicata_il is not None

    client = Client()
    risposta = client.post(url, {"pubblica": "1"})
    assert risposta.status_code == 302
    assert risposta["Location"].startswith(resolve_url(settings.LOGIN_URL))
    client.force_login(sindaco_a)
    assert client.post(url, {"pubblica": "1"}).status_code == 403
    client.force_login(staff_b)
    assert client.post(url, {"pubblica": "1"}).status_code == 404
    assert not pubblicata()
    client.force_login(staff_a)
    assert client.get(url).status_code == 405
    assert not pubblicata()

    senza_csrf = Client(enforce_csrf_checks=True)
    senza_csrf.force_login(staff_a)
    assert senza_csrf.post(url, {"pubblica": "1"}).status_code == 403
    assert not pubblicata()

    risposta = client.post(url, {"pubblica": "1"})
    assert risposta.status_code == 302
    # composed in the background: the page of the work follows it
    lavoro = Elaborazione.objects.get(bando=bando)
    assert lavoro.tipo == Elaborazione.Tipo.PUBBLICAZIONE
    assert risposta["Location"] == lavoro.get_absolute_url()
    assert pubblicata()
    client.force_login(sindaco_a)
    assert client.post(url, {"pubblica": "0"}).status_code == 403
    assert pubblicata()
    client.force_login(staff_a)
    client.post(url, {"pubblica": "0"})
    assert not pubblicata()


def test_the_bando_page_offers_the_button_to_staff_only(
    bando, client, staff_a, sindaco_a
):
    url_azione = reverse("misure:graduatoria_pubblicazione", args=[bando.pk])
    client.force_login(sindaco_a)
    assert url_azione not in client.get(bando.get_absolute_url()).content.decode()
    client.force_login(staff_a)
    pagina = client.get(bando.get_absolute_url()).content.decode()
    assert url_azione in pagina and "Pubblica la graduatoria" in pagina
    _pubblica(bando, staff_a)
    pagina = client.get(bando.get_absolute_url()).content.decode()
    assert "Ritira dalla pagina pubblica" in pagina
    assert _pubblici(bando)["graduatoria_pubblica"] in pagina


def test_the_ambito_page_links_them_with_a_fixed_query_count(
    bando, ambito_a, ambito_b, staff_a
):
    pagina_ambito = reverse("ciclo:pubblico_ambito", args=[ambito_a.slug])
    anonimo = Client()

    def visita() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as query:
            risposta = anonimo.get(pagina_ambito)
        assert risposta.status_code == 200
        return risposta.content.decode(), len(query)

    pagina, prima = visita()
    assert _elenco(ambito_a) not in pagina
    _pubblica(bando, staff_a)
    secondo = bando_crea(ambito_a, titolo="Altro bando")
    Domanda.objects.bulk_create([domanda_crea(secondo, 1)])
    services.graduatoria_calcola(bando=secondo)
    _pubblica(secondo, staff_a)
    pagina, dopo = visita()
    assert _elenco(ambito_a) in pagina
    assert "Graduatorie pubbliche del sostegno" in pagina
    assert dopo == prima
    # the other ambito has none published: no link
    altra = anonimo.get(reverse("ciclo:pubblico_ambito", args=[ambito_b.slug]))
    assert "graduatorie-pubbliche" not in altra.content.decode()


def test_the_demo_bando_is_published_without_personal_data(ambito_a, staff_a):
    demo = bando_demo_carica(ambito=ambito_a)
    assert demo.domande.count() == 200
    _pubblica(demo, staff_a)
    vietati = _vietati(demo)
    protocolli = list(demo.domande.values_list("protocollo", flat=True))
    anonimo = Client()
    urls = _pubblici(demo)

    for url in (_elenco(ambito_a), urls["graduatoria_pubblica"]):
        risposta = anonimo.get(url)
        assert risposta.status_code == 200
        html = risposta.content.decode()
        assert _cerca(html, vietati) == []
    # the page really holds the graduatoria: every protocol number, and only
    # the five public columns
    assert all(p in html for p in protocolli)
    tabella = html.split('id="graduatoria"', 1)[1].split("</thead>", 1)[0]
    # key columns first: on a phone the protocol and the amount come first
    assert re.findall(r"<th[^>]*>([^<]+)</th>", tabella) == [
        "Protocollo",
        "Esito",
        "Contributo assegnato",
        "Posizione",
        "Punteggio",
    ]

    risposta = anonimo.get(urls["graduatoria_pubblica_pdf"])
    testo = "\n".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(b"".join(risposta.streaming_content))).pages
    )
    assert all(p in testo for p in protocolli)
    assert _cerca(testo, vietati) == []

    risposta = anonimo.get(urls["graduatoria_pubblica_xlsx"])
    libro = load_workbook(io.BytesIO(b"".join(risposta.streaming_content)))
    celle = [
        str(c)
        for foglio in libro.worksheets
        for riga in foglio.iter_rows(values_only=True)
        for c in riga
        if c is not None
    ]
    assert set(protocolli) <= set(celle)
    assert _cerca("\n".join(celle), vietati) == []


def test_the_admin_shows_the_publication_read_only(bando, client, admin_user, staff_a):
    _pubblica(bando, staff_a)
    client.force_login(admin_user)
    risposta = client.get(reverse("admin:misure_bando_change", args=[bando.pk]))
    assert risposta.status_code == 200
    pagina = risposta.content.decode()
    assert "t.ufficio.a" in pagina
    assert 'name="graduatoria_pubblicata_il"' not in pagina
