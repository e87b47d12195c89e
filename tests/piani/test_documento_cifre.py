"""Every figure and sentence of the two seed plans, read back from the generated
documents: the PDF (text extracted with pypdf) and the HTML preview (tags stripped).

The expected values are those printed in the seeds (../shared/seeds/000 and 002);
the documents compute them from the database.
"""

import html
import io
import re

import pytest
from pypdf import PdfReader

from piani.documento import documento_html, documento_pdf
from piani.models import PianoAnnuale
from tests.conftest import SLUG_A, SLUG_B

# --- reading the documents back ----------------------------------------------------

_RIGHE_DI_SERVIZIO = re.compile(
    r"^(BOZZA|Pagina \d+ di \d+"
    r"|Piano annuale (dell'offerta abitativa|offerta abitativa) \d{4} – .*"
    r"|[•◦▪‣·]|\d+\.)\s*$"
)


def normalizza(testo: str) -> str:
    """One line of text, single spaces: tables and sentences read as in the seed."""
    testo = testo.replace("\xa0", " ").replace("\u00ad", "")
    return re.sub(r"\s+", " ", testo).strip()


def leggi_pdf(contenuto: bytes) -> str:
    """The PDF's text without the running header, footer, watermark and list marks,
    so that a sentence that crosses a page break reads whole."""
    pagine = []
    for pagina in PdfReader(io.BytesIO(contenuto)).pages:
        righe = [
            r
            for r in pagina.extract_text().splitlines()
            if not _RIGHE_DI_SERVIZIO.match(r.strip())
        ]
        pagine.append("\n".join(righe))
    # A line that breaks after a word's own hyphen ("turn-|over", "BG-LC-|SO") joins
    # without a space: the document is not hyphenated automatically.
    return normalizza(re.sub(r"(?<=\w)-\n", "-", "\n".join(pagine)))


def leggi_html(pagina: str) -> str:
    corpo = re.sub(r"<(style|title|head)[^>]*>.*?</\1>", " ", pagina, flags=re.S)
    return normalizza(html.unescape(re.sub(r"<[^>]+>", " ", corpo)))


@pytest.fixture(scope="module")
def documenti(django_db_setup, django_db_blocker):
    """Both seeds rendered once for the module, in both formats."""
    testi = {}
    with django_db_blocker.unblock():
        for chiave, slug, anno in (("A", SLUG_A, 2026), ("B", SLUG_B, 2025)):
            piano = PianoAnnuale.objects.get(ambito__slug=slug, anno=anno)
            testi[(chiave, "pdf")] = leggi_pdf(documento_pdf(piano))
            testi[(chiave, "html")] = leggi_html(documento_html(piano))
    return testi


FORMATI = ["pdf", "html"]


def _manca(testo: str, attesi: list[str]) -> list[str]:
    return [a for a in attesi if normalizza(a) not in testo]


def _tra(testo: str, inizio: str, fine: str) -> str:
    """The text of a section: from its heading to the next one (the last occurrence
    of the heading: the first is the sommario's)."""
    a = testo.rindex(inizio)
    return testo[a : testo.index(fine, a + len(inizio))]


# --- seed 000: Ambito 9, plan 2026, R.R. 2/2025 lettering -------------------------

POPOLAZIONE_A = [
    ("Clusone", "8.600"),
    ("Rovetta", "4.177"),
    ("Castione della Presolana", "3.349"),
    ("Ardesio", "3.258"),
    ("Parre", "2.669"),
    ("Villa d'Ogna", "1.804"),
    ("Ponte Nossa", "1.734"),
    ("Cerete", "1.618"),
    ("Gorno", "1.452"),
    ("Vilminore di Scalve", "1.431"),
    ("Gromo", "1.143"),
    ("Fino del Monte", "1.132"),
    ("Schilpario", "1.122"),
    ("Colere", "1.089"),
    ("Premolo", "1.071"),
    ("Piario", "1.003"),
    ("Gandellino", "950"),
    ("Onore", "939"),
    ("Valbondione", "931"),
    ("Songavazzo", "717"),
    ("Oneta", "571"),
    ("Valgoglio", "561"),
    ("Azzone", "360"),
    ("Oltressenda Alta", "132"),
]

SERIE_A = [
    "2015 43.221 306 1.848",
    "2016 43.092 300 1.771",
    "2017 42.919 257 1.780",
    "2018 42.812 293 1.784",
    "2019 42.607 263 1.736",
    "2020 42.119 263 1.723",
    "2021 41.992 260 1.708",
    "2022 41.868 228 1.710",
    "2023 41.814 233 1.825",
    "2024 41.813 241 1.921",
]

CONSISTENZA_A = [
    "ALER BERGAMO - LECCO - SONDRIO 63 0 63 0",
    "COMUNE DI ARDESIO 36 0 36 0",
    "COMUNE DI AZZONE 4 0 4 0",
    "COMUNE DI CASTIONE DELLA PRESOLANA 9 0 9 0",
    "COMUNE DI CERETE 8 0 8 0",
    "COMUNE DI CLUSONE 61 0 61 0",
    "COMUNE DI GROMO 6 0 6 0",
    "COMUNE DI OLTRESSENDA ALTA 4 0 4 0",
    "COMUNE DI PARRE 16 0 16 0",
    "COMUNE DI PONTE NOSSA 42 0 42 0",
    "COMUNE DI ROVETTA 4 0 0 4",
    "COMUNE DI VILMINORE DI SCALVE 0 0 0 0",
    "Totale 253 0 249 4",
]

STATO_SAP_A = [
    "ALER Bergamo - Lecco - Sondrio 63 7 6 6 44 0",
    "Comune di Clusone 61 0 9 4 48 3",
    "Comune di Ponte Nossa 42 0 1 20 21 0",
    "Comune di Ardesio 36 2 7 0 27 1",
    "Comune di Parre 16 0 4 0 12 0",
    "Comune di Castione della Presolana 9 0 0 4 5 0",
    "Comune di Cerete 8 0 1 0 7 0",
    "Comune di Gromo 6 0 1 0 5 0",
    "Comune di Azzone 4 1 1 0 2 1",
    "Comune di Oltressenda Alta 4 0 1 0 3 0",
    "Totale 249 10 31 34 174 5",
]

COMUNICAZIONI_A = [
    "In data 21/10/2025 il Comune di Ardesio trasmette attraverso la piattaforma regionale per la gestione dei servizi abitativi i dati degli alloggi in disponibilità per l'anno 2026.",  # noqa: E501
    "In data 15/10/2025 il Comune di Azzone trasmette attraverso la piattaforma regionale per la gestione dei servizi abitativi i dati degli alloggi in disponibilità per l'anno 2026.",  # noqa: E501
    "In data 21/10/2025 il Comune di Castione della Presolana trasmette attraverso la piattaforma regionale per la gestione dei servizi abitativi la non disponibilità di alloggi per l'anno 2026.",  # noqa: E501
    "In data 22/10/2025 il Comune di Cerete trasmette attraverso la piattaforma regionale per la gestione dei servizi abitativi la non disponibilità di alloggi per l'anno 2026.",  # noqa: E501
    "In data 22/10/2025 il Comune di Clusone trasmette attraverso la piattaforma regionale per la gestione dei servizi abitativi i dati degli alloggi in disponibilità per l'anno 2026.",  # noqa: E501
    "Con prot. n. 0019695/2025 del 25/10/2025 il Comune di Colere comunica che non possiede patrimonio immobiliare pubblico di tipo residenziale.",  # noqa: E501
    "Con prot. n. 0019609/2025 del 24/10/2025 il Comune di Fino del Monte comunica che non possiede patrimonio immobiliare pubblico di tipo residenziale.",  # noqa: E501
    "Con prot. n. 0019571/2025 del 23/10/2025 il Comune di Gandellino comunica che non possiede patrimonio immobiliare pubblico di tipo residenziale.",  # noqa: E501
    "Con prot. n. 0019529/2025 del 23/10/2025 il Comune di Gorno comunica che non possiede patrimonio immobiliare pubblico di tipo residenziale.",  # noqa: E501
    "Con prot. n. 0019591/2025 del 24/10/2025 il Comune di Gromo comunica la non disponibilità di alloggi per l'anno 2026.",  # noqa: E501
    "In data 21/10/2025 il Comune di Oltressenda Alta trasmette attraverso la piattaforma regionale per la gestione dei servizi abitativi la non disponibilità di alloggi per l'anno 2026.",  # noqa: E501
    "Con prot. n. 0019626/2025 del 24/10/2025 il Comune di Oneta comunica che non possiede patrimonio immobiliare pubblico di tipo residenziale.",  # noqa: E501
    "Con prot. n. 0019690/2025 del 25/10/2025 il Comune di Onore comunica che non possiede patrimonio immobiliare pubblico di tipo residenziale.",  # noqa: E501
    "In data 22/10/2025 il Comune di Parre trasmette attraverso la piattaforma regionale per la gestione dei servizi abitativi la non disponibilità di alloggi per l'anno 2026.",  # noqa: E501
    # The seed writes «Pario» and «ALER BERGAMO-LECCO-SONDARIO» as the enti did; the
    # document prints the registry's names (the written ones are in the annex).
    "Con prot. n. 0019624/2025 del 24/10/2025 il Comune di Piario comunica che non possiede patrimonio immobiliare pubblico di tipo residenziale.",  # noqa: E501
    "Con prot. n. 0019788/2025 del 27/10/2025 il Comune di Ponte Nossa comunica la non disponibilità di alloggi per l'anno 2026.",  # noqa: E501
    "In data 13/10/2025 il Comune di Premolo comunica attraverso la piattaforma regionale per la gestione dei servizi abitativi che non possiede patrimonio immobiliare pubblico di tipo residenziale.",  # noqa: E501
    "In data 14/10/2025 il Comune di Rovetta trasmette attraverso la piattaforma regionale per la gestione dei servizi abitativi la non disponibilità di alloggi per l'anno 2026.",  # noqa: E501
    "Con prot. n. 0019678/2025 del 25/10/2025 il Comune di Schilpario comunica che non possiede patrimonio immobiliare pubblico di tipo residenziale.",  # noqa: E501
    "Con prot. n. 0019821/2025 del 28/10/2025 il Comune di Songavazzo comunica che non possiede patrimonio immobiliare pubblico di tipo residenziale.",  # noqa: E501
    "In data 24/10/2025 il Comune di Valbondione comunica attraverso la piattaforma regionale per la gestione dei servizi abitativi che non possiede patrimonio immobiliare pubblico di tipo residenziale.",  # noqa: E501
    "In data 13/10/2025 il Comune di Valgoglio comunica attraverso la piattaforma regionale per la gestione dei servizi abitativi che non possiede patrimonio immobiliare pubblico di tipo residenziale.",  # noqa: E501
    "Con prot. n. 0018904/2025 del 16/10/2025 il Comune di Villa d'Ogna comunica che non possiede patrimonio immobiliare pubblico di tipo residenziale.",  # noqa: E501
    "Con prot. n. 0019820/2025 del 28/10/2025 il Comune di Vilminore di Scalve comunica che non possiede patrimonio immobiliare pubblico di tipo residenziale.",  # noqa: E501
    "In data 21/10/2025 ALER Bergamo - Lecco - Sondrio trasmette attraverso la piattaforma regionale per la gestione dei servizi abitativi la non disponibilità di alloggi per l'anno 2026.",  # noqa: E501
]

DGR_A = [
    "Risorse assegnate e trasferite da Regione: € 16.875,00",
    "Risorse destinate a spese di gestione: € 1.687,50",
    "Risorse impegnate: € 15.187,50",
    "Risorse erogate: € 15.187,50",
    "N° domande finanziate: 13 + 1 parzialmente finanziata",
    "Risorse assegnate e trasferite da Regione: € 145.834,00 (compresa assegnazione "
    "risorse residue DGR 5324/2021, Decreto 16342 del 26/11/2021)",
    "Risorse impegnate: € 145.834,00",
    "51 + 1 parzialmente finanziata",
    "DGR 6491/2022 (risorse regionali)",
    "Risorse assegnate e trasferite da Regione: € 10.921,00",
    "Risorse destinate a spese di gestione: € 1.092,10",
    "Risorse impegnate per MISURA UNICA: € 9.828,90",
    "Risorse erogate per MISURA UNICA: € 9.828,90",
    "N° domande pervenute per MISURA UNICA: 137",
    "N° domande finanziate per MISURA UNICA: 4 + 2 parzialmente finanziate",
    "DGR 6970/2022 (risorse statali)",
    "Risorse impegnate per MISURA UNICA: € 202.281,00",
    "78 + 1 parzialmente finanziata",
    "28 + 1 parzialmente finanziata",
    "DGR 1001/2023 (risorse regionali)",
    "Risorse assegnate e trasferite da Regione: € 14.132,00",
    "Risorse destinate a spese di gestione: € 538,61",
    "Risorse impegnate per MISURA UNICA: € 13.593,39",
    "Risorse erogate per MISURA UNICA: € 13.593,39",
    "N° domande finanziate per MISURA UNICA: 7 + 1 parzialmente finanziata",
    "In data 17/03/2021 è stato pubblicato il bando pubblico a scadenza",
    "Alla data di chiusura del bando risultano pervenute n. 141 domande, di cui n. 136 "
    "accolte.",
    "In data 04/08/2022 è stato pubblicato il bando pubblico a scadenza",
    "risultano pervenute n. 137 domande, di cui n. 135 accolte.",
    "risultano pervenute n. 227 domande, di cui n. 218 accolte.",
]


@pytest.mark.parametrize("formato", FORMATI)
class TestSeed000:
    def test_cover_and_platform_counts(self, documenti, formato):
        testo = documenti[("A", formato)]
        assert not _manca(
            testo,
            [
                "2026 Piano Annuale dell'offerta abitativa COMUNE DI CLUSONE "
                "Provincia di Bergamo Ambito Territoriale n. 9 "
                "Valle Seriana Superiore e Valle di Scalve",
                "Il Piano annuale ID 50134198 è stato aperto in data 10/10/2025 e "
                "chiuso in data 27/10/2025.",
                "Enti proprietari: n. 25 di cui 24 Comuni + ALER",
                "Comunicazioni ricevute: n. 25",
                "Enti proprietari che non hanno alloggi nel territorio: n. 14 di cui:",
                "Certificazioni di assenza patrimonio abitativo: n. 14",
            ],
        )

    def test_population_by_comune_with_computed_total(self, documenti, formato):
        testo = documenti[("A", formato)]
        righe = [
            f"{i} Comune di {nome} {abitanti}"
            for i, (nome, abitanti) in enumerate(POPOLAZIONE_A, start=1)
        ]
        assert not _manca(testo, righe)
        assert "Popolazione al 31/12/2024" in testo
        tabella = _tra(testo, "1 Comune di Clusone 8.600", "2. Tabella con i Comuni")
        assert tabella.endswith("Totale 41.813 ")

    def test_yearly_series_and_the_sentence_computed_from_it(self, documenti, formato):
        testo = documenti[("A", formato)]
        assert not _manca(testo, SERIE_A)
        assert not _manca(
            testo,
            [
                "nell'anno 2024 i nuovi nati sono maggiori di 8 unità rispetto al "
                "2023 e la popolazione straniera è aumentata, rispetto all'anno "
                "precedente, di 96 unità.",
                "La popolazione totale dell'Ambito dal 2023 al 2024 risulta comunque "
                "diminuita di 1 unità.",
            ],
        )

    def test_consistenza_rows_and_totals(self, documenti, formato):
        testo = documenti[("A", formato)]
        assert not _manca(testo, CONSISTENZA_A)
        # Rows with units first, then the zeros, each group by name.
        assert testo.index("COMUNE DI ROVETTA 4 0 0 4") < testo.index(
            "COMUNE DI COLERE 0 0 0 0"
        )

    def test_stock_state_by_sap_desc_with_totals(self, documenti, formato):
        testo = documenti[("A", formato)]
        assert not _manca(testo, STATO_SAP_A)
        posizioni = [testo.index(riga) for riga in STATO_SAP_A]
        assert posizioni == sorted(posizioni)

    def test_one_sentence_per_comunicazione_in_the_seed_wording(
        self, documenti, formato
    ):
        testo = documenti[("A", formato)]
        assert not _manca(testo, COMUNICAZIONI_A)
        posizioni = [testo.index(normalizza(f)) for f in COMUNICAZIONI_A]
        assert posizioni == sorted(posizioni)

    def test_empty_sections_print_the_seed_sentence(self, documenti, formato):
        testo = documenti[("A", formato)]
        assert not _manca(
            testo,
            [
                "Non sono pervenute disponibilità di unità immobiliari in carenza "
                "manutentiva assegnabili nello stato di fatto nel corso dell'anno.",
                "Non sono pervenute disponibilità di unità immobiliari destinate a "
                "servizi abitativi pubblici oggetto di piani e programmi già "
                "formalizzati di ristrutturazione, recupero, riqualificazione.",
                "Non sono pervenute disponibilità di unità immobiliari oggetto di "
                "piani e programmi già formalizzati di nuova edificazione assegnabili "
                "nel corso dell'anno.",
                "Non sono pervenute disponibilità di unità immobiliari conferite da "
                "soggetti privati assegnabili nel corso dell'anno.",
                "I Comuni hanno comunicato che intendono non eccedere la soglia "
                "stabilita dalla legge del 20% per l'assegnazione ai nuclei familiari "
                "in condizione di indigenza.",
                "I Comuni non hanno segnalato altre categorie di particolare "
                "rilevanza sociale.",
                "Non sono pervenute disponibilità di unità immobiliari da destinarsi "
                "ai servizi abitativi transitori.",
            ],
        )

    def test_turn_over_total_and_assigned_last_year(self, documenti, formato):
        testo = documenti[("A", formato)]
        e = _tra(testo, "e) Il numero delle unità", "f) Le unità abitative conferite")
        assert "COMUNE DI CLUSONE 2" in e
        g = _tra(testo, "g) Il numero complessivo", "h) Per ciascun comune")
        assert (
            "Il numero complessivo delle unità immobiliari SAP prevedibilmente "
            "assegnabili nel corso dell'anno sono 5:" in g
        )
        assert not _manca(
            g,
            [
                "COMUNE DI ARDESIO 1 0",
                "COMUNE DI AZZONE 1 0",
                "COMUNE DI CLUSONE 3 2",
                "Totale 5 2",
            ],
        )
        k = _tra(testo, "k) Per ciascun comune", "3. Strategie")
        assert "Dai dati pervenuti, sono 5 le unità abitative assegnate" in k
        assert not _manca(
            k,
            [
                "ALER BERGAMO - LECCO - SONDRIO 3",
                "COMUNE DI CERETE 1",
                "COMUNE DI OLTRESSENDA ALTA 1",
            ],
        )

    def test_dgr_blocks_of_chapter_3(self, documenti, formato):
        testo = documenti[("A", formato)]
        assert not _manca(testo, DGR_A)
        # Management costs are printed only when there are any.
        assert "Risorse destinate a spese di gestione: € 0,00" not in testo

    def test_lettering_of_the_2025_regulation(self, documenti, formato):
        testo = documenti[("A", formato)]
        for lettera in ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"):
            assert f" {lettera}) " in testo
        assert "i bis) Per ciascun ente proprietario" in testo
        assert "i ter) Per ciascun comune" in testo


# --- seed 002: Ambito Valle Seriana, plan 2025, older lettering -------------------

POPOLAZIONE_B = [
    "Albino 17.492",
    "Alzano Lombardo 13.495",
    "Aviatico 580",
    "Casnigo 3.036",
    "Cazzano Sant'Andrea 1.690",
    "Cene 4.073",
    "Colzate 1.619",
    "Fiorano al Serio 2.933",
    "Gandino 5.156",
    "Gazzaniga 4.923",
    "Leffe 4.330",
    "Nembro 11.209",
    "Peia 1.699",
    "Pradalunga 4.526",
    "Ranica 5.885",
    "Selvino 1.995",
    "Vertova 4.347",
    "Villa di Serio 6.579",
    "Totale 95.567",
]

CONSISTENZA_B = [
    "Albino 35 0 35",
    "Alzano Lombardo 60 0 60",
    "Aviatico 0 0 0",
    "Casnigo 8 0 8",
    "Cazzano Sant'Andrea 0 0 0",
    "Cene 0 0 0",
    "Colzate 4 0 0",
    "Fiorano al Serio 22 0 22",
    "Gandino 23 0 23",
    "Gazzaniga 19 0 19",
    "Leffe 15 0 15",
    "Nembro 51 10 19",
    "Peia 0 0 0",
    "Pradalunga 6 0 6",
    "Ranica 28 0 17",
    "Selvino 0 0 0",
    "Vertova 0 0 0",
    "Villa di Serio 14 0 14",
    "ALER BG-LC-SO 294 0 294",
]

ASSEGNABILI_B = [
    "Albino 0 0 0",
    "Alzano Lombardo 1 0 2",
    "Casnigo 0 0 0",
    "Colzate 0 0 0",
    "Fiorano al Serio 0 0 0",
    "Gandino 2 0 0",
    "Gazzaniga 2 0 0",
    "Leffe 0 0 0",
    "Nembro 1 0 0",
    "Pradalunga 0 0 0",
    "Ranica 0 0 0",
    "Villa di Serio 0 0 0",
    "ALER BG-LC-SO 9 0 9",
]

BANDO_B = (
    "In data 13 febbraio 2023 è stato pubblicato un bando per un importo complessivo "
    "di € 495.849,12 con scadenza 31 marzo 2023, finanziato con le risorse residue "
    "della DGR 5324/2021 per € 85.974,52, della DGR 6491/2022 per € 22.467,60, della "
    "DGR 6970/2022 per € 382.396,00 e del decreto 16342/2022 per € 5.011,00."
)


@pytest.mark.parametrize("formato", FORMATI)
class TestSeed002:
    def test_cover_lists_the_comuni_and_the_approval(self, documenti, formato):
        testo = documenti[("B", formato)]
        assert not _manca(
            testo,
            [
                "Comuni di Albino, Alzano Lombardo, Aviatico, Casnigo, Cazzano "
                "Sant'Andrea, Cene, Colzate, Fiorano al Serio, Gandino, Gazzaniga, "
                "Leffe, Nembro, Peia, Pradalunga, Ranica, Selvino, Vertova, Villa di "
                "Serio, Comunità Montana Valle Seriana",
                "(Provincia di Bergamo)",
                "PIANO ANNUALE OFFERTA ABITATIVA ANNO 2025",
            ],
        )
        # The seed is the approved revision; the draft prints no approval line.
        assert "Approvato dall'" not in testo

    def test_the_approved_revision_prints_the_seeds_approval(
        self, formato, piano_b, staff_b, settings, tmp_path
    ):
        from datetime import date

        from piani import ciclo
        from tests.piani.test_ciclo import riscontra_tutte

        settings.MEDIA_ROOT = tmp_path
        riscontra_tutte(piano_b, staff_b)
        renderer = documento_pdf if formato == "pdf" else documento_html
        ciclo.piano_approva(
            piano=piano_b,
            utente=staff_b,
            organo="Assemblea distrettuale dei Sindaci",
            data=date(2025, 4, 29),
            luogo="Albino",
            renderer=lambda p: (
                renderer(p) if formato == "pdf" else renderer(p).encode()
            ),
        )
        piano_b.refresh_from_db()
        if formato == "pdf":
            testo = leggi_pdf(documento_pdf(piano_b))
        else:
            testo = leggi_html(documento_html(piano_b))
        assert (
            "Approvato dall'Assemblea distrettuale dei Sindaci nella seduta del "
            "29/04/2025, in Albino" in testo
        )
        assert "BOZZA" not in testo

    def test_population_sentence_and_table_with_computed_total(
        self, documenti, formato
    ):
        testo = documenti[("B", formato)]
        assert (
            "L'Ambito ha una popolazione di 95.567 abitanti (dati al 01/01/2024), "
            "così suddivisi:" in testo
        )
        assert not _manca(testo, POPOLAZIONE_B)

    def test_platform_dates_in_long_format_and_counts(self, documenti, formato):
        testo = documenti[("B", formato)]
        assert not _manca(
            testo,
            [
                "Il Piano annuale ID. 44107748 è stato aperto in data 29 gennaio 2025 "
                "e chiuso in data 21 marzo 2025.",
                "Enti proprietari: n. 19 di cui 18 Comuni + ALER BG-LC-SO",
                "Comunicazioni ricevute dagli enti proprietari: n. 13",
                "Enti proprietari che non hanno alloggi nel territorio: n. 6 di cui:",
                "Certificazioni di assenza patrimonio abitativo: n. 4 (Cazzano "
                "Sant'Andrea, Cene, Peia, Selvino)",
                "Assenza patrimonio abitativo stabilito attraverso la Piattaforma "
                "CASA: n. 2 (Aviatico, Vertova)",
            ],
        )

    def test_consistenza_without_the_altro_column(self, documenti, formato):
        testo = documenti[("B", formato)]
        a = _tra(testo, "a) Consistenza aggiornata", "b) Unità abitative")
        assert not _manca(a, CONSISTENZA_B)
        assert "altro uso residenziale" not in a
        # Comuni by name, then the other enti.
        assert a.index("Villa di Serio 14 0 14") < a.index("ALER BG-LC-SO 294 0 294")

    def test_b_in_three_columns_and_the_totals_table(self, documenti, formato):
        testo = documenti[("B", formato)]
        b = _tra(testo, "b) Unità abitative", "c) Soglia percentuale")
        assert not _manca(
            b,
            [
                "Numero U.I. libere e che si libereranno per effetto del turn-over",
                "Numero U.I. in carenza manutentiva assegnabili nello stato di fatto",
                "Numero U.I. disponibili per nuova edificazione, ristrutturazione, "
                "recupero, riqualificazione",
                *ASSEGNABILI_B,
                "Numero complessivo U.I. disponibili nell'anno",
                "Alzano Lombardo 3",
                "Gandino 2",
                "Gazzaniga 2",
                "Nembro 1",
                "ALER BG-LC-SO 9",
                "Totale 17",
            ],
        )

    def test_c_d_e_sentences_and_f_g_tables(self, documenti, formato):
        testo = documenti[("B", formato)]
        assert not _manca(
            testo,
            [
                "i Comuni dell'Ambito non hanno segnalato, per l'anno 2025, la volontà "
                "di eccedere rispetto alla soglia indicata dalla normativa.",
                "i Comuni dell'Ambito non hanno segnalato, per l'anno 2025, altre "
                "categorie di particolare rilevanza sociale.",
                "comunicata dai Comuni dell'Ambito è pari a 0 (zero).",
            ],
        )
        f = _tra(testo, "f) Unità abitative da destinare", "g) Unità abitative")
        assert not _manca(f, ["Casnigo 1", "Nembro 2", "Ranica 1", "Totale 5"])
        g = _tra(testo, "g) Unità abitative assegnate", "STRATEGIE")
        assert not _manca(
            g,
            [
                "U.I. assegnate nel 2024",
                "Albino 2",
                "Leffe 3",
                "Nembro 3",
                "ALER BG-LC-SO 9",
                "Totale 23",
            ],
        )

    def test_ethos_counts_and_their_total(self, documenti, formato):
        testo = documenti[("B", formato)]
        assert not _manca(
            testo,
            [
                "Nell'anno 2024 nell'Ambito Valle Seriana sono stati presi in carico:",
                "24 nuclei familiari senza tetto;",
                "54 nuclei senza casa;",
                "36 nuclei in situazioni insicure;",
                "60 nuclei in sistemazioni inadeguate",
                "Quindi complessivamente sono presenti 174 situazioni",
            ],
        )

    def test_bando_with_its_four_sources_and_the_applications(self, documenti, formato):
        testo = documenti[("B", formato)]
        assert BANDO_B in testo
        assert "Numero domande pervenute n. 487, finanziate 339." in testo
        assert (
            "In data 11 ottobre 2023 è stato pubblicato l'avviso pubblico per la "
            "misura complementare destinata ai nuclei familiari che si trovino in "
            "situazioni di criticità, finanziato con le risorse della DGR 6970/2022."
            in testo
        )
        assert (
            "Alla data del 30/11/2024 si sono registrate 9 domande di accesso al "
            "finanziamento per la misura complementare per un importo complessivo "
            "di € 23.120,00." in testo
        )
