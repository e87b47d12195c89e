"""The plan document's context builder and HTML preview: computed figures, a fixed
number of queries, lettering from the regulation version, sanitised narrative."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambiti.models import Comune
from patrimonio.models import EnteProprietario
from piani.documento import documento_contesto, documento_html, documento_pdf
from piani.models import Comunicazione, DecisioneComune, PianoAnnuale, Sezione
from piani.templatetags import formati_it
from tests.piani.test_documento_cifre import leggi_html, leggi_pdf

pytestmark = pytest.mark.django_db


def test_the_context_computes_totals_and_counts_from_the_rows(piano_a):
    contesto = documento_contesto(piano_a)
    comunicazioni = list(piano_a.comunicazioni.all())

    assert contesto["totali"]["alloggi_totali"] == sum(
        c.alloggi_totali or 0 for c in comunicazioni
    )
    assert contesto["totali"]["alloggi_sap"] == 249
    assert contesto["conteggi"] == {
        "enti": 25,
        "comuni": 24,
        "pervenute": 25,
        "con_dati": 3,
        "nessun_patrimonio": 14,
    }
    assert contesto["popolazione_totale"] == 41813
    assert contesto["lettere"]["turn_over"] == "e"


def test_it_follows_the_orders_of_the_architecture_notes(piano_a):
    contesto = documento_contesto(piano_a)
    per_sap = [c.alloggi_sap for c in contesto["comunicazioni"]["per_sap"]]
    assert per_sap == sorted(per_sap, reverse=True)
    per_elenco = contesto["comunicazioni"]["per_elenco"]
    # Comuni by comune name (Piario, written «Pario», sorts as Piario), ALER last.
    assert per_elenco[-1].ente.tipo == EnteProprietario.Tipo.ALER
    nomi = [c.ente.comune.nome for c in per_elenco[:-1]]
    assert nomi == sorted(nomi, key=str.upper)
    popolazione = [p.popolazione for p in contesto["popolazione"]]
    assert popolazione == sorted(popolazione, reverse=True)


def test_changing_a_number_in_the_database_changes_the_document(piano_a):
    clusone = piano_a.comunicazioni.get(ente__comune__nome="Clusone")
    clusone.alloggi_totali = 70
    clusone.alloggi_sap = 70
    clusone.sap_occupati = 57
    clusone.save()

    testo = leggi_html(documento_html(piano_a))

    assert "COMUNE DI CLUSONE 70 0 70 0" in testo
    assert "Totale 262 0 258 4" in testo
    assert "Totale 258 10 31 34 183 5" in testo
    assert "Totale 253 0 249 4" not in testo


def test_an_empty_section_becomes_a_table_when_data_arrive(piano_a):
    sentenza = "Non sono pervenute disponibilità di unità immobiliari da destinarsi"
    assert sentenza in leggi_html(documento_html(piano_a))
    piano_a.comunicazioni.filter(ente__comune__nome__in=["Clusone", "Parre"]).update(
        unita_sat=2
    )

    testo = leggi_html(documento_html(piano_a))

    assert sentenza not in testo
    assert "COMUNE DI CLUSONE 2 COMUNE DI PARRE 2 Totale 4" in testo


def test_per_comune_decisions_replace_the_default_sentences(piano_a):
    vilminore = Comune.objects.get(nome="Vilminore di Scalve")
    DecisioneComune.objects.create(
        piano=piano_a,
        comune=vilminore,
        quota_indigenti=Decimal("30"),
        categoria_ulteriore="Donne vittime di violenza",
        motivazione_categoria="Casi segnalati dai servizi sociali",
        quota_forze_ordine=Decimal("10"),
        quota_polizia_locale=Decimal("5.5"),
    )

    testo = leggi_html(documento_html(piano_a))

    assert "Vilminore di Scalve 30%" in testo
    assert "I Comuni hanno comunicato che intendono non eccedere" not in testo
    assert (
        "Vilminore di Scalve Donne vittime di violenza Casi segnalati dai servizi "
        "sociali" in testo
    )
    assert "Vilminore di Scalve 10% 5,5%" in testo


def test_lettering_comes_from_the_plan_layout(piano_a):
    modello = piano_a.modello
    modello.lettere = {**modello.lettere, "sat": "z"}
    modello.save()

    testo = leggi_html(documento_html(piano_a))

    assert (
        "z) Le unità abitative da destinarsi ai servizi abitativi transitori" in testo
    )
    assert "j) Le unità abitative da destinarsi" not in testo


def test_the_older_version_uses_its_own_templates(piano_b):
    testo = leggi_html(documento_html(piano_b))
    assert "b) Unità abitative destinate ai servizi abitativi pubblici" in testo
    assert "i bis)" not in testo
    assert documento_contesto(piano_b)["cartella"] == "rr2017"


def test_the_number_of_queries_does_not_grow_with_the_enti(piano_a):
    with CaptureQueriesContext(connection) as prima:
        documento_contesto(piano_a)
    for i in range(15):
        ente = EnteProprietario.objects.create(
            tipo=EnteProprietario.Tipo.ALTRO, denominazione=f"Fondazione di prova {i}"
        )
        Comunicazione.objects.create(
            piano=piano_a,
            ente=ente,
            esito=Comunicazione.Esito.DATI,
            canale=Comunicazione.Canale.PIATTAFORMA,
            data=datetime.date(2025, 10, 20),
            alloggi_totali=2,
            alloggi_sas=0,
            alloggi_sap=2,
            alloggi_altro=0,
            sap_liberi=0,
            sap_carenze=0,
            sap_ristrutturazione=0,
            sap_occupati=2,
            assegnabili_totale=0,
        )

    with CaptureQueriesContext(connection) as dopo:
        contesto = documento_contesto(piano_a)

    assert contesto["conteggi"]["enti"] == 40
    assert len(dopo.captured_queries) == len(prima.captured_queries)
    assert len(dopo.captured_queries) <= 40


def test_the_preview_is_a_standalone_italian_page(piano_a):
    pagina = documento_html(piano_a)
    assert pagina.startswith("<!DOCTYPE html>")
    assert '<html lang="it-IT">' in pagina
    assert "<title>Piano Annuale dell&#x27;Offerta Abitativa 2026" in pagina
    assert "€\xa015.187,50" in pagina  # one line: non-breaking space
    assert "41.813" in pagina
    # Nothing to fetch: no external stylesheet, script or image.
    assert "<link" not in pagina
    assert "<script" not in pagina
    assert "<img" not in pagina


def test_the_preview_lists_the_open_anomalie(piano_a):
    pytest.importorskip("piani.anomalie")
    from piani.anomalie import anomalie_aperte

    aperte = anomalie_aperte(piano_a)
    assert aperte, "seed 000 has anomalie (g ≠ b+…+f, Pario, Piaro)"
    pagina = documento_html(piano_a)
    assert 'class="banner-anomalie"' in pagina
    testo = leggi_html(pagina)
    for anomalia in aperte:
        assert leggi_html(str(anomalia.messaggio)) in testo


def test_narrative_markdown_is_sanitised(piano_a):
    Sezione.objects.filter(piano=piano_a, chiave="premessa").update(
        testo=(
            "Testo **in grassetto**.\n\n<script>alert(1)</script>"
            '<img src="http://esempio.invalid/x.png"> <a href="javascript:x()">link</a>'
        )
    )

    pagina = documento_html(piano_a)

    assert "<strong>in grassetto</strong>" in pagina
    assert "<script>alert" not in pagina
    assert "esempio.invalid" not in pagina
    assert "javascript:" not in pagina


def test_a_plan_prints_only_its_own_sections(piano_a):
    premessa = Sezione.objects.get(piano=piano_a, chiave="premessa")
    frase = premessa.testo.split(".")[0]
    assert frase in documento_html(piano_a)

    premessa.delete()

    pagina = documento_html(piano_a)
    assert frase not in pagina
    assert 'href="#premessa"' not in pagina


@pytest.mark.parametrize(
    ("filtro", "valore", "atteso"),
    [
        ("intero", 41813, "41.813"),
        ("intero", 950, "950"),
        ("intero", None, ""),
        ("intero_o_zero", None, "0"),
        ("euro", Decimal("15187.5"), "€ 15.187,50"),
        ("euro", Decimal("495849.12"), "€ 495.849,12"),
        ("euro", Decimal("0"), "€ 0,00"),
        ("percentuale", Decimal("20.00"), "20%"),
        ("percentuale", Decimal("12.50"), "12,5%"),
        ("data", datetime.date(2025, 10, 27), "27/10/2025"),
        ("data_lunga", datetime.date(2025, 1, 29), "29 gennaio 2025"),
        ("data", None, ""),
        ("decimale", Decimal("1234.5"), "1.234,50"),
        ("elenco_italiano", ["Cene", "Peia", "Selvino"], "Cene, Peia e Selvino"),
        ("tra_parentesi", "nota", "(nota)"),
        ("tra_parentesi", "(nota)", "(nota)"),
    ],
)
def test_italian_formats(filtro, valore, atteso):
    assert getattr(formati_it, filtro)(valore) == atteso


def test_a_new_empty_plan_renders_with_the_empty_sentences(piano_a):
    nuovo = PianoAnnuale.objects.create(
        ambito=piano_a.ambito, anno=2027, normativa=piano_a.normativa
    )

    testo = leggi_html(documento_html(nuovo))

    assert "Enti proprietari: n. 0" in testo
    assert "Dai dati pervenuti, sono 0 le unità abitative assegnate" in testo
    assert "Non sono pervenute disponibilità di unità immobiliari in carenza" in testo
    assert "Totale 0 0 0 0" in testo
    assert "Piano Annuale dell'offerta abitativa" in leggi_pdf(documento_pdf(nuovo))
