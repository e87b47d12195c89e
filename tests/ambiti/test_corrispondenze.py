"""Riconoscimento dei nomi di comuni ed enti (ambiti/corrispondenze.py).

La maggior parte dei test confronta i nomi con le 1.502 righe vere dell'elenco
ISTAT lombardo (fixtures/comuni_lombardia.csv), come farebbe un'importazione.
"""

import csv
import random
import time
from pathlib import Path

import pytest
from django.conf import settings

from ambiti.corrispondenze import (
    Abbinatore,
    comune_trova,
    distanza,
    distanza_massima,
    ente_trova,
    nomi_sospetti_nel_testo,
    normalizza,
)
from ambiti.models import Comune
from patrimonio.models import EnteProprietario

ELENCO = Path(settings.BASE_DIR) / "fixtures" / "comuni_lombardia.csv"


@pytest.fixture(scope="module")
def comuni() -> list[Comune]:
    with ELENCO.open(encoding="utf-8") as file:
        righe = list(csv.DictReader(file))
    # Istanze non salvate con una pk: bastano per confrontare i nomi.
    return [
        Comune(pk=i, codice_istat=r["codice_istat"], nome=r["nome"])
        for i, r in enumerate(righe, start=1)
    ]


@pytest.fixture(scope="module")
def per_nome(comuni) -> dict[str, Comune]:
    return {c.nome: c for c in comuni}


@pytest.fixture(scope="module")
def enti(comuni) -> list[EnteProprietario]:
    aler = EnteProprietario(
        pk=1,
        tipo="aler",
        denominazione="ALER Bergamo - Lecco - Sondrio",
        denominazione_breve="ALER BG-LC-SO",
    )
    risultato = [aler]
    for i, comune in enumerate(comuni, start=2):
        risultato.append(
            EnteProprietario(
                pk=i,
                tipo="comune",
                denominazione=f"Comune di {comune.nome}",
                comune=comune,
            )
        )
    return risultato


# --- normalizza ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("VILLA D'OGNA", "Villa d’Ogna"),
        ("Comune di Villa d'Ogna", "villa d'ogna"),
        ("COMUNE DI CLUSONE", "Clusone"),
        ("Cantù", "CANTU'"),
        ("ALER BERGAMO-LECCO-SONDRIO", "ALER Bergamo - Lecco - Sondrio"),
        ("Bergamo – Lecco", "Bergamo-Lecco"),
        ("Cazzano S. Andrea", "Cazzano Sant'Andrea"),
        ("S.Omobono Terme", "Sant'Omobono Terme"),
        ("  Ponte   Nossa ", "Ponte Nossa"),
        ("A.L.E.R. Bergamo", "ALER Bergamo"),
    ],
)
def test_it_normalises_equivalent_spellings_to_the_same_form(a, b):
    assert normalizza(a) == normalizza(b)
    assert normalizza(a) != ""


@pytest.mark.parametrize(
    ("a", "b"),
    [("Piario", "Pario"), ("Leffe", "Lefte"), ("Gorno", "Gromo"), ("Cene", "Peia")],
)
def test_it_keeps_different_names_different(a, b):
    assert normalizza(a) != normalizza(b)


def test_no_two_lombardy_comuni_share_a_normalised_name(comuni):
    forme = [normalizza(c.nome) for c in comuni]
    assert len(comuni) == 1502
    assert len(set(forme)) == len(forme)


def test_distance_counts_typing_errors():
    assert distanza("piario", "piaro") == 1  # lettera mancante
    assert distanza("leffe", "lefte") == 1  # lettera sbagliata
    assert distanza("gromo", "gorno") == 2
    assert distanza("clusone", "culsone") == 1  # lettere scambiate
    assert distanza("abc", "xyzxyz", limite=2) == 3  # oltre il limite


# --- comuni ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("testo", "atteso"), [("Piaro", "Piario"), ("Pario", "Piario"), ("Lefte", "Leffe")]
)
def test_it_resolves_the_seeds_typos_with_a_warning(comuni, testo, atteso):
    trovata = comune_trova(testo, comuni)

    assert trovata.oggetto.nome == atteso
    assert not trovata.esatta
    assert trovata.avviso
    assert trovata.testo == testo
    assert trovata.candidati[0].nome == atteso
    assert trovata.messaggio == (
        f"«{testo}» non corrisponde esattamente a nessun comune: forse «{atteso}»?"
    )


@pytest.mark.parametrize(
    ("testo", "atteso"),
    [
        ("Cazzano S. Andrea", "Cazzano Sant'Andrea"),
        ("COMUNE DI VILLA D'OGNA", "Villa d'Ogna"),
        ("Comune di Castione della Presolana", "Castione della Presolana"),
        ("leffe", "Leffe"),
        ("016077", "Clusone"),
        ("16077", "Clusone"),  # lo zero iniziale perso da un foglio di calcolo
    ],
)
def test_it_matches_exactly_after_normalisation_without_warning(comuni, testo, atteso):
    trovata = comune_trova(testo, comuni)

    assert trovata.oggetto.nome == atteso
    assert trovata.esatta
    assert trovata.messaggio == ""
    assert not trovata.avviso


def test_every_lombardy_comune_written_in_capitals_matches_itself(comuni):
    abbinatore = Abbinatore.per_comuni(comuni)
    for comune in comuni:
        trovata = abbinatore.trova(f"COMUNE DI {comune.nome.upper()}")
        assert trovata.oggetto is comune, comune.nome
        assert trovata.esatta


def test_an_unknown_name_is_an_error_with_the_closest_candidates(comuni):
    trovata = comune_trova("Clusoncello Alto", comuni)

    assert trovata.oggetto is None
    assert trovata.errore
    assert trovata.candidati, "deve proporre i nomi più simili"
    assert "Clusone" in [c.nome for c in trovata.candidati]
    assert trovata.messaggio.startswith(
        "«Clusoncello Alto» non corrisponde a nessun comune. I più simili:"
    )


def test_a_name_with_no_similar_comune_is_an_error_without_candidates(comuni):
    trovata = comune_trova("Xyzzy", comuni)

    assert trovata.oggetto is None
    assert trovata.candidati == []
    assert trovata.messaggio == "«Xyzzy» non corrisponde a nessun comune."


def test_an_empty_name_is_an_error(comuni):
    trovata = comune_trova("  ", comuni)

    assert trovata.oggetto is None
    assert "Nome mancante" in trovata.messaggio


def test_a_typo_in_the_first_letter_is_only_suggested(comuni):
    # «Cazzano» è un'abbreviazione, non «Mazzano» con un refuso: nessuna scelta.
    trovata = comune_trova("Cazzano", comuni)

    assert trovata.oggetto is None
    assert "Mazzano" in [c.nome for c in trovata.candidati]
    assert "Indicare quale" in trovata.messaggio


def test_two_equally_close_candidates_are_ambiguous():
    candidati = [Comune(pk=1, nome="Varolo"), Comune(pk=2, nome="Varelo")]
    trovata = comune_trova("Varulo", candidati)

    assert trovata.oggetto is None
    assert {c.nome for c in trovata.candidati} == {"Varolo", "Varelo"}


def test_the_candidates_restrict_the_search(per_nome):
    # Fra i soli comuni dell'ambito «Piaro» è Piario senza incertezze.
    ambito = [per_nome[n] for n in ("Piario", "Parre", "Clusone", "Ponte Nossa")]
    assert comune_trova("Piaro", ambito).oggetto is per_nome["Piario"]
    assert comune_trova("Bergamo", ambito).oggetto is None


# --- enti -----------------------------------------------------------------------


def test_it_resolves_aler_written_in_capitals_with_a_typo(enti):
    trovata = ente_trova("ALER BERGAMO-LECCO-SONDARIO", enti)

    assert trovata.oggetto.denominazione == "ALER Bergamo - Lecco - Sondrio"
    assert not trovata.esatta
    assert trovata.messaggio == (
        "«ALER BERGAMO-LECCO-SONDARIO» non corrisponde esattamente a nessun ente "
        "proprietario: forse «ALER Bergamo - Lecco - Sondrio»?"
    )


@pytest.mark.parametrize(
    ("testo", "atteso"),
    [
        ("ALER BERGAMO - LECCO - SONDRIO", "ALER Bergamo - Lecco - Sondrio"),
        ("ALER BG-LC-SO", "ALER Bergamo - Lecco - Sondrio"),
        ("COMUNE DI CLUSONE", "Comune di Clusone"),
        ("Clusone", "Comune di Clusone"),
        ("Cazzano S. Andrea", "Comune di Cazzano Sant'Andrea"),
    ],
)
def test_it_matches_enti_by_any_of_their_names(enti, testo, atteso):
    trovata = ente_trova(testo, enti)

    assert trovata.oggetto.denominazione == atteso
    assert trovata.esatta


def test_it_resolves_an_ente_from_a_misspelt_comune(enti):
    trovata = ente_trova("Lefte", enti)

    assert trovata.oggetto.denominazione == "Comune di Leffe"
    assert trovata.avviso


# --- Abbinatore per le importazioni -------------------------------------------


def test_the_matcher_remembers_each_distinct_text(comuni):
    abbinatore = Abbinatore.per_comuni(comuni)

    prima = abbinatore.trova("Pario")
    assert abbinatore.trova("Pario") is prima
    assert abbinatore.trova("PARIO") is not prima  # altro testo, altro messaggio
    assert abbinatore.trova("PARIO").oggetto is prima.oggetto


def test_the_index_finds_exactly_the_candidates_a_full_scan_finds(comuni):
    # L'indice delle coppie di lettere è solo un filtro: non deve perdere nessun
    # candidato entro la soglia. Confronto con la scansione completa su refusi
    # casuali (lettere cambiate, tolte, aggiunte, scambiate).
    casuale = random.Random(20251027)
    abbinatore = Abbinatore.per_comuni(comuni)
    forme = [(normalizza(c.nome), c) for c in comuni]
    for _ in range(100):
        nome = normalizza(casuale.choice(comuni).nome)
        p = casuale.randrange(len(nome))
        lettera = casuale.choice("aeioulnrstz")
        refuso = casuale.choice(
            [
                nome[:p] + lettera + nome[p + 1 :],
                nome[:p] + nome[p + 1 :],
                nome[:p] + lettera + nome[p:],
                nome[:p] + nome[p + 1 : p + 2] + nome[p : p + 1] + nome[p + 2 :],
            ]
        )
        limite = distanza_massima(refuso)
        attesi = {c.pk for f, c in forme if distanza(refuso, f, limite) <= limite}
        assert {c.oggetto.pk for c in abbinatore.vicini(refuso, limite)} == attesi


def test_the_matcher_handles_a_large_import_quickly(comuni):
    # 166.000 righe con poche centinaia di nomi distinti, alcuni con refusi: la
    # cache per testo rende il costo quello dei nomi distinti.
    nomi = [c.nome.upper() for c in comuni[:300]] + ["Pario", "Lefte", "Piaro"]
    righe = [nomi[i % len(nomi)] for i in range(166_000)]
    abbinatore = Abbinatore.per_comuni(comuni)

    inizio = time.perf_counter()
    trovati = [abbinatore.trova(r) for r in righe]
    durata = time.perf_counter() - inizio

    assert all(t.oggetto is not None for t in trovati)
    assert durata < 5, f"{durata:.1f} s"


# --- nomi dentro un testo --------------------------------------------------------


@pytest.fixture
def ambito_vss(per_nome) -> Abbinatore:
    nomi = [
        "Ardesio", "Castione della Presolana", "Cerete", "Clusone", "Gorno", "Gromo",
        "Oneta", "Onore", "Parre", "Piario", "Ponte Nossa", "Premolo", "Valgoglio",
        "Villa d'Ogna", "Azzone", "Colere", "Schilpario", "Vilminore di Scalve",
    ]  # fmt: skip
    return Abbinatore.per_comuni([per_nome[n] for n in nomi])


def test_it_finds_a_misspelt_comune_in_a_list(ambito_vss):
    testo = (
        "L'Ambito è costituito da 24 Comuni, di cui 20 (Ardesio, Castione della "
        "Presolana, Cerete, Clusone, Parre, Piaro, Ponte Nossa, Premolo, Valgoglio e "
        "Villa d'Ogna) appartenenti alla Valle Seriana Superiore.\n"
        "- Alto Serio, che comprende i Comuni di Ardesio, Piaro, Valgoglio e Villa "
        "d'Ogna;"
    )
    sospetti = nomi_sospetti_nel_testo(testo, ambito_vss)

    assert [s.testo for s in sospetti] == ["Piaro"]
    assert sospetti[0].corrispondenza.oggetto.nome == "Piario"


def test_it_finds_a_misspelt_comune_after_comune_di(ambito_vss):
    testo = "Con prot. n. 1 del 24/10/2025 **il Comune di Pario** comunica che…"
    sospetti = nomi_sospetti_nel_testo(testo, ambito_vss)

    assert [s.testo for s in sospetti] == ["Pario"]


def test_it_raises_no_false_alarm_on_ordinary_words(ambito_vss):
    # Parole vicine a nomi di comuni («Parte» ~ Parre, «Giorno» ~ Gorno, «Onere»
    # ~ Onore, «Colore» ~ Colere, «Azione» ~ Azzone) fuori da un elenco di comuni.
    testo = (
        "Parte del territorio è montano. Giorno dopo giorno la popolazione cala.\n"
        "Onere a carico dell'Ambito; Colore della mappa: Azione di sistema.\n"
        "I Comuni di Clusone e Ardesio hanno comunicato i dati. Gromo, Gorno e "
        "Parre non hanno alloggi disponibili. Sub-ambiti: Alto Serio, Val del Riso "
        "e Val Dossana, Comuni della Presolana, Valle di Scalve.\n"
        "7. essere in carico ai servizi sociali del Comune di residenza."
    )
    assert nomi_sospetti_nel_testo(testo, ambito_vss) == []


# --- con il database -------------------------------------------------------------


@pytest.mark.django_db
def test_by_default_it_searches_the_loaded_comuni_and_enti_and_creates_nothing():
    comuni_prima = Comune.objects.count()
    enti_prima = EnteProprietario.objects.count()

    comune = comune_trova("Pario")
    ente = ente_trova("ALER BERGAMO-LECCO-SONDARIO")
    sconosciuto = comune_trova("Comune di Pariolo Superiore")

    assert comune.oggetto == Comune.objects.get(nome="Piario")
    assert ente.oggetto == EnteProprietario.objects.get(
        denominazione="ALER Bergamo - Lecco - Sondrio"
    )
    assert sconosciuto.oggetto is None
    assert Comune.objects.count() == comuni_prima
    assert EnteProprietario.objects.count() == enti_prima
