"""Controlli incrociati del piano (piani/anomalie.py, domain.md §5).

I due piani d'esempio devono dare esattamente le anomalie che gli originali
contengono; un piano coerente costruito da zero nessuna; ogni controllo scatta
quando lo si provoca e una presa d'atto lo toglie dalle aperte.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambiti.corrispondenze import Abbinatore, nomi_sospetti_nel_testo
from ambiti.models import (
    Ambito,
    AmbitoComune,
    Comune,
    PopolazioneComune,
    SerieDemografica,
)
from misure.models import AssegnazioneDgr, Bando, Dgr, FonteFinanziamento
from patrimonio.models import EnteProprietario
from piani.anomalie import (
    Anomalia,
    Codice,
    anomalie_aperte,
    anomalie_calcola,
    tetto_spese_gestione,
)
from piani.models import (
    BloccoDgr,
    Comunicazione,
    DecisioneComune,
    FinestraRaccolta,
    PianoAnnuale,
    RiscontroAnomalia,
    Sezione,
    SottosezioneStrategie,
    VersioneNormativa,
)


def _chiavi(anomalie: list[Anomalia]) -> set[tuple[str, str]]:
    return {(a.codice, a.oggetto) for a in anomalie}


# --- i piani d'esempio ---------------------------------------------------------


def test_seed_000_yields_exactly_the_anomalie_of_the_original(piano_a):
    assert _chiavi(anomalie_calcola(piano_a)) == {
        ("totale_assegnabili", "Comune di Ardesio"),
        ("totale_assegnabili", "Comune di Azzone"),
        ("totale_assegnabili", "Comune di Clusone"),
        ("nome_non_riconosciuto", "Comune di Pario"),
        ("nome_non_riconosciuto", "ALER BERGAMO-LECCO-SONDARIO"),
        ("nome_non_riconosciuto", "Piaro"),
    }


def test_seed_002_yields_exactly_the_anomalie_of_the_original(piano_b):
    assert _chiavi(anomalie_calcola(piano_b)) == {
        ("totale_assegnabili", "ALER Bergamo - Lecco - Sondrio"),
        ("consistenza", "Comune di Colzate"),
        ("consistenza", "Comune di Nembro"),
        ("consistenza", "Comune di Ranica"),
        ("nome_non_riconosciuto", "Lefte"),
    }


def test_seed_anomalie_carry_the_values_and_the_field_to_fix(piano_a, piano_b):
    per_chiave = {a.chiave: a for a in anomalie_calcola(piano_a)}

    clusone = per_chiave[("totale_assegnabili", "Comune di Clusone")]
    assert clusone.valori["totale"] == 3
    assert clusone.valori["somma"] == 2
    assert clusone.campo == "assegnabili_totale"
    assert clusone.modello == "comunicazione"
    assert Comunicazione.objects.get(pk=clusone.pk).ente.denominazione == (
        "Comune di Clusone"
    )
    assert clusone.messaggio == (
        "Comune di Clusone: il totale delle unità assegnabili comunicato è 3, ma le "
        "voci da b) a f) sommano 2."
    )

    pario = per_chiave[("nome_non_riconosciuto", "Comune di Pario")]
    assert pario.valori["suggerimento"] == "Comune di Piario"
    assert pario.campo == "denominazione_ricevuta"
    assert "forse «Comune di Piario»?" in pario.messaggio

    piaro = per_chiave[("nome_non_riconosciuto", "Piaro")]
    assert piaro.valori["suggerimento"] == "Piario"
    assert set(piaro.valori["sezioni"]) == {"contesto", "andamento_demografico"}
    assert piaro.modello == "sezione"
    assert "Piaro" in Sezione.objects.get(pk=piaro.pk).testo
    assert "forse «Piario»?" in piaro.messaggio

    nembro = {a.chiave: a for a in anomalie_calcola(piano_b)}[
        ("consistenza", "Comune di Nembro")
    ]
    assert (nembro.valori["totale"], nembro.valori["somma"]) == (51, 29)
    assert "sono 51" in nembro.messaggio and "sommano 29" in nembro.messaggio

    aler = {a.chiave: a for a in anomalie_calcola(piano_b)}[
        ("totale_assegnabili", "ALER Bergamo - Lecco - Sondrio")
    ]
    # Il piano R.R. 4/2017 raccoglie tutte le voci sotto la lettera b).
    assert aler.messaggio == (
        "ALER Bergamo - Lecco - Sondrio: il totale delle unità assegnabili comunicato "
        "è 9, ma le colonne della lettera b) sommano 18."
    )


def test_the_order_is_stable(piano_a):
    prima = [a.chiave for a in anomalie_calcola(piano_a)]
    assert prima == [a.chiave for a in anomalie_calcola(piano_a)]
    assert len(prima) == len(set(prima))


def test_the_seed_narratives_contain_no_other_suspicious_name(piano_a, piano_b):
    # Ogni testo narrativo dei due piani, letto contro i comuni del suo ambito.
    for piano, attesi in ((piano_a, ["Piaro"]), (piano_b, [])):
        comuni = [a.comune for a in piano.ambito.appartenenze.select_related("comune")]
        abbinatore = Abbinatore.per_comuni(comuni)
        testi = [s.testo for s in piano.sezioni.all()]
        testi += [s.testo for s in piano.sottosezioni_strategie.all()]
        assert len(testi) > 5
        trovati = {
            n.testo for t in testi for n in nomi_sospetti_nel_testo(t, abbinatore)
        }
        assert sorted(trovati) == attesi


# --- un piano coerente costruito da zero --------------------------------------

NOMI = ["Borgo Alto", "Vallefonda", "Castel Rupe", "San Fermo Basso"]


@dataclass
class PianoProva:
    piano: PianoAnnuale
    comunicazioni: dict[str, Comunicazione]
    decisioni: dict[str, DecisioneComune]
    serie: SerieDemografica
    assegnazione: AssegnazioneDgr
    assegnazione_statale: AssegnazioneDgr
    bando: Bando
    fonte: FonteFinanziamento
    sezione: Sezione


def _comune(codice: int, nome: str) -> Comune:
    return Comune.objects.create(
        codice_istat=f"099{codice:03d}",
        nome=nome,
        provincia="Prova",
        sigla_provincia="PR",
    )


def _aggiungi_comune(
    piano: PianoAnnuale, codice: int, nome: str, popolazione: int = 1000
) -> tuple[Comunicazione, DecisioneComune]:
    """Un comune dell'ambito con il suo ente, una comunicazione coerente e le
    sue decisioni entro le soglie."""
    comune = _comune(codice, nome)
    AmbitoComune.objects.create(ambito=piano.ambito, comune=comune)
    PopolazioneComune.objects.create(
        comune=comune, data=date(2024, 12, 31), popolazione=popolazione
    )
    ente = EnteProprietario.objects.create(
        tipo="comune", denominazione=f"Comune di {nome}", comune=comune
    )
    comunicazione = Comunicazione.objects.create(
        piano=piano,
        ente=ente,
        esito=Comunicazione.Esito.DATI,
        canale=Comunicazione.Canale.PIATTAFORMA,
        data=date(2025, 10, 15),
        alloggi_totali=10,
        alloggi_sas=2,
        alloggi_sap=8,
        alloggi_altro=0,
        sap_liberi=1,
        sap_carenze=1,
        sap_ristrutturazione=1,
        sap_occupati=5,
        assegnabili_carenza=1,
        assegnabili_turnover=1,
        assegnabili_totale=2,
        quota_art14=Decimal("10"),
        unita_sat=0,
    )
    decisione = DecisioneComune.objects.create(
        piano=piano,
        comune=comune,
        quota_indigenti=Decimal("25"),
        quota_forze_ordine=Decimal("10"),
        quota_polizia_locale=Decimal("5"),
    )
    return comunicazione, decisione


def _piano_coerente() -> PianoProva:
    ambito = Ambito.objects.create(
        nome="Ambito di prova", slug="ambito-di-prova", provincia="Prova"
    )
    piano = PianoAnnuale.objects.create(
        ambito=ambito,
        anno=2026,
        normativa=VersioneNormativa.objects.get(codice="rr-2-2025"),
        stato=PianoAnnuale.Stato.RACCOLTA_CHIUSA,
    )
    FinestraRaccolta.objects.create(
        piano=piano, inizio=date(2025, 10, 10), fine=date(2025, 10, 27)
    )
    comunicazioni: dict[str, Comunicazione] = {}
    decisioni: dict[str, DecisioneComune] = {}
    for i, nome in enumerate(NOMI, start=1):
        comunicazioni[nome], decisioni[nome] = _aggiungi_comune(piano, i, nome)
    comunicazioni["Borgo Alto"].unita_sat = 1  # 1 su 44 alloggi SAP: sotto il 10%
    comunicazioni["Borgo Alto"].save()

    # Un comune che certifica di non avere patrimonio, con una lettera protocollata
    # dopo la chiusura della piattaforma: non è un'anomalia.
    vuoto = comunicazioni["San Fermo Basso"]
    vuoto.esito = Comunicazione.Esito.NESSUN_PATRIMONIO
    vuoto.canale = Comunicazione.Canale.PROTOCOLLO
    vuoto.protocollo = "0001234/2025"
    vuoto.data = date(2025, 10, 30)
    vuoto.denominazione_ricevuta = "COMUNE DI S. FERMO BASSO"  # uguale, normalizzato
    for campo in (
        "alloggi_totali alloggi_sas alloggi_sap alloggi_altro sap_liberi sap_carenze "
        "sap_ristrutturazione sap_occupati assegnabili_carenza assegnabili_turnover "
        "assegnabili_totale"
    ).split():
        setattr(vuoto, campo, 0)
    vuoto.quota_art14 = None
    vuoto.save()

    aler = EnteProprietario.objects.create(
        tipo="aler",
        denominazione="ALER Prova - Val Fonda",
        denominazione_breve="ALER PR",
    )
    comunicazioni["ALER"] = Comunicazione.objects.create(
        piano=piano,
        ente=aler,
        esito=Comunicazione.Esito.NON_DISPONIBILITA,
        canale=Comunicazione.Canale.PIATTAFORMA,
        data=date(2025, 10, 27),
        denominazione_ricevuta="ALER PROVA-VAL FONDA",
        alloggi_totali=20,
        alloggi_sas=0,
        alloggi_sap=20,
        alloggi_altro=0,
        sap_liberi=0,
        sap_carenze=5,
        sap_ristrutturazione=5,
        sap_occupati=10,
        assegnabili_totale=0,
    )
    serie = SerieDemografica.objects.create(
        ambito=ambito, anno=2024, data=date(2024, 12, 31), popolazione=4000
    )
    SerieDemografica.objects.create(  # nessun dato dei comuni a questa data
        ambito=ambito, anno=2023, data=date(2023, 12, 31), popolazione=4100
    )
    sezione = Sezione.objects.create(
        piano=piano,
        chiave="contesto",
        titolo="Contesto territoriale",
        testo=(
            "L'Ambito è costituito dai Comuni di Borgo Alto, Vallefonda, Castel Rupe e "
            "San Fermo Basso.\n\nParte del territorio è montano; il Comune di "
            "Vallefonda è capofila. Gli alloggi sono gestiti anche da ALER."
        ),
    )
    Sezione.objects.create(
        piano=piano,
        chiave="premessa",
        titolo="Premessa",
        testo="La programmazione dell'offerta abitativa è annuale e triennale.",
    )
    regionale = Dgr.objects.create(
        legislatura="XII", numero=9001, anno=2030, fonte=Dgr.Fonte.REGIONALE
    )
    statale = Dgr.objects.create(
        legislatura="XII", numero=9002, anno=2030, fonte=Dgr.Fonte.STATALE
    )
    assegnazione = AssegnazioneDgr.objects.create(
        ambito=ambito,
        dgr=regionale,
        assegnate=Decimal("16875.00"),
        spese_gestione=Decimal("1687.50"),  # esattamente il 10%
        erogate=Decimal("15187.50"),
    )
    assegnazione_statale = AssegnazioneDgr.objects.create(
        ambito=ambito,
        dgr=statale,
        assegnate=Decimal("1000.00"),
        spese_gestione=Decimal("500.00"),  # il tetto vale per le sole regionali
        erogate=Decimal("400.00"),
    )
    bando = Bando.objects.create(
        ambito=ambito,
        titolo="Bando di prova",
        data_pubblicazione=date(2031, 2, 1),
        data_scadenza=date(2031, 3, 31),
        importo=Decimal("15687.50"),
    )
    fonte = FonteFinanziamento.objects.create(
        bando=bando, assegnazione=assegnazione, ordine=1, importo=Decimal("15187.50")
    )
    FonteFinanziamento.objects.create(
        bando=bando, assegnazione=assegnazione_statale, ordine=2, importo=Decimal("500")
    )
    sottosezione = SottosezioneStrategie.objects.create(
        piano=piano,
        ordine=1,
        titolo="3.1 Bando di prova",
        bando=bando,
        testo="Partecipano i residenti di Borgo Alto, Vallefonda e Castel Rupe.",
    )
    BloccoDgr.objects.create(sottosezione=sottosezione, assegnazione=assegnazione)
    return PianoProva(
        piano=piano,
        comunicazioni=comunicazioni,
        decisioni=decisioni,
        serie=serie,
        assegnazione=assegnazione,
        assegnazione_statale=assegnazione_statale,
        bando=bando,
        fonte=fonte,
        sezione=sezione,
    )


@pytest.fixture
def coerente(db) -> PianoProva:
    return _piano_coerente()


def test_a_consistent_plan_has_no_anomalie(coerente):
    assert anomalie_calcola(coerente.piano) == []
    assert anomalie_aperte(coerente.piano) == []


# --- ogni controllo, provocato ---------------------------------------------------


def _salva(oggetto, **campi):
    for campo, valore in campi.items():
        setattr(oggetto, campo, valore)
    oggetto.save()


def _sezione_con_refuso(p: PianoProva) -> None:
    p.sezione.testo = p.sezione.testo.replace(
        "Borgo Alto, Vallefonda", "Borgo Alto, Valefonda"
    )
    p.sezione.save()


def _comune_senza_comunicazione(p: PianoProva) -> None:
    p.comunicazioni["Castel Rupe"].delete()


def _popolazione_diversa(p: PianoProva) -> None:
    _salva(p.serie, popolazione=4001)


def _sat_oltre(p: PianoProva) -> None:
    _salva(p.comunicazioni["Vallefonda"], unita_sat=4)  # 5 su 44 SAP: 11,4%


CASI: list[tuple[str, Callable[[PianoProva], None], tuple[str, str], str]] = [
    (
        "totale_assegnabili",
        lambda p: _salva(p.comunicazioni["Vallefonda"], assegnabili_totale=5),
        ("totale_assegnabili", "Comune di Vallefonda"),
        "assegnabili_totale",
    ),
    (
        "consistenza",
        lambda p: _salva(p.comunicazioni["Castel Rupe"], alloggi_totali=11),
        ("consistenza", "Comune di Castel Rupe"),
        "alloggi_totali",
    ),
    (
        "stato_sap",
        lambda p: _salva(p.comunicazioni["ALER"], sap_occupati=9),
        ("stato_sap", "ALER Prova - Val Fonda"),
        "sap_occupati",
    ),
    (
        "tetto_art14",
        lambda p: _salva(p.comunicazioni["Borgo Alto"], quota_art14=Decimal("25")),
        ("tetto_art14", "Comune di Borgo Alto"),
        "quota_art14",
    ),
    (
        "tetto_forze_ordine",
        lambda p: _salva(p.decisioni["Vallefonda"], quota_polizia_locale=Decimal("12")),
        ("tetto_forze_ordine", "Vallefonda"),
        "quota_forze_ordine",
    ),
    ("tetto_sat", _sat_oltre, ("tetto_sat", "Ambito di prova"), "tetto_sat"),
    (
        "indigenti",
        lambda p: _salva(p.decisioni["Castel Rupe"], quota_indigenti=Decimal("15")),
        ("indigenti", "Castel Rupe"),
        "quota_indigenti",
    ),
    (
        "comunicazione_mancante",
        lambda p: _salva(p.comunicazioni["Borgo Alto"], esito="", data=None),
        ("comunicazione_mancante", "Comune di Borgo Alto"),
        "esito",
    ),
    (
        "comunicazione_mancante_senza_riga",
        _comune_senza_comunicazione,
        ("comunicazione_mancante", "Comune di Castel Rupe"),
        "ente",
    ),
    (
        "nessun_patrimonio_con_alloggi",
        lambda p: _salva(
            p.comunicazioni["San Fermo Basso"],
            alloggi_totali=3,
            alloggi_sap=3,
            sap_occupati=3,
        ),
        ("nessun_patrimonio_con_alloggi", "Comune di San Fermo Basso"),
        "esito",
    ),
    (
        "fuori_finestra",
        lambda p: _salva(p.comunicazioni["Vallefonda"], data=date(2025, 10, 28)),
        ("fuori_finestra", "Comune di Vallefonda"),
        "data",
    ),
    (
        "nome_non_riconosciuto_ricevuta",
        lambda p: _salva(
            p.comunicazioni["Castel Rupe"],
            denominazione_ricevuta="Comune di Castel Ruppe",
        ),
        ("nome_non_riconosciuto", "Comune di Castel Ruppe"),
        "denominazione_ricevuta",
    ),
    (
        "nome_non_riconosciuto_testo",
        _sezione_con_refuso,
        ("nome_non_riconosciuto", "Valefonda"),
        "testo",
    ),
    ("popolazione", _popolazione_diversa, ("popolazione", "31/12/2024"), "popolazione"),
    (
        "spese_gestione",
        lambda p: _salva(
            p.assegnazione, spese_gestione=Decimal("1687.51"), erogate=Decimal("15000")
        ),
        ("spese_gestione", "DGR 9001/2030"),
        "spese_gestione",
    ),
    (
        "erogate",
        lambda p: _salva(p.assegnazione_statale, erogate=Decimal("500.01")),
        ("erogate", "DGR 9002/2030"),
        "erogate",
    ),
    (
        "fonti_bando",
        lambda p: _salva(p.fonte, importo=Decimal("15187.49")),
        ("fonti_bando", "Bando di prova"),
        "importo",
    ),
]


@pytest.mark.parametrize(
    ("provoca", "attesa", "campo"),
    [caso[1:] for caso in CASI],
    ids=[caso[0] for caso in CASI],
)
def test_each_check_fires_and_an_acknowledgement_closes_it(
    coerente, django_user_model, provoca, attesa, campo
):
    provoca(coerente)
    piano = coerente.piano

    anomalie = anomalie_calcola(piano)
    assert _chiavi(anomalie) == {attesa}
    anomalia = anomalie[0]
    assert anomalia.campo == campo
    assert anomalia.pk is not None
    assert anomalia.messaggio and anomalia.valori
    assert anomalia.titolo == Codice(anomalia.codice).label
    assert anomalia.riscontro is None
    assert _chiavi(anomalie_aperte(piano)) == {attesa}

    utente = django_user_model.objects.create_user("t.anomalie", password="x-12345!")
    riscontro = RiscontroAnomalia.objects.create(
        piano=piano,
        codice=attesa[0],
        oggetto=attesa[1],
        motivazione="Verificato con l'ente: il dato è corretto.",
        utente=utente,
    )

    assert anomalie_aperte(piano) == []
    ancora = anomalie_calcola(piano)
    assert _chiavi(ancora) == {attesa}
    assert ancora[0].riscontro == riscontro
    assert not ancora[0].aperta


def test_missing_comunicazioni_count_only_once_the_collection_closes(coerente):
    _salva(coerente.comunicazioni["Borgo Alto"], esito="", data=None)
    piano = coerente.piano
    for stato in (PianoAnnuale.Stato.BOZZA, PianoAnnuale.Stato.RACCOLTA_APERTA):
        _salva(piano, stato=stato)
        assert anomalie_calcola(piano) == []
    _salva(piano, stato=PianoAnnuale.Stato.APPROVATO)
    assert _chiavi(anomalie_calcola(piano)) == {
        ("comunicazione_mancante", "Comune di Borgo Alto")
    }


def test_letters_are_not_checked_against_the_windows(coerente):
    _salva(coerente.comunicazioni["San Fermo Basso"], data=date(2026, 1, 15))
    assert anomalie_calcola(coerente.piano) == []


def test_the_management_costs_cap_comes_from_the_settings(coerente, settings):
    _salva(
        coerente.assegnazione, spese_gestione=Decimal("2000"), erogate=Decimal("14000")
    )  # 11,9% delle assegnate
    assert _chiavi(anomalie_calcola(coerente.piano)) == {
        ("spese_gestione", "DGR 9001/2030")
    }
    assert tetto_spese_gestione() == Decimal("10")

    settings.PIANOCASA_TETTO_SPESE_GESTIONE = 12
    assert tetto_spese_gestione() == Decimal("12")
    assert anomalie_calcola(coerente.piano) == []


def test_the_sat_cap_uses_the_plans_own_value_and_the_versions_base(coerente):
    _sat_oltre(coerente)  # 5 unità SAT su 44 alloggi SAP: 11,4%
    piano = coerente.piano
    assert _chiavi(anomalie_calcola(piano)) == {("tetto_sat", "Ambito di prova")}

    _salva(piano, tetto_sat=Decimal("25"))  # come Milano
    assert anomalie_calcola(piano) == []

    # Sulle unità disponibili nell'anno (6) le 5 unità SAT sono l'83%.
    normativa = VersioneNormativa.objects.create(
        codice="prova-disponibili",
        nome="Versione di prova",
        in_vigore_dal=date(2030, 1, 1),
        cartella_template="rr2025",
        base_tetto_sat=VersioneNormativa.BaseSat.DISPONIBILI_ANNO,
    )
    _salva(piano, normativa=normativa, tetto_sat=None)
    (anomalia,) = anomalie_calcola(piano)
    assert anomalia.valori["base"] == 6
    assert "83,3%" in anomalia.messaggio


def test_a_comune_outside_the_ambito_is_not_a_misspelling(coerente):
    # «Vallefonde» somiglia a Vallefonda, ma è un altro comune vero.
    _comune(900, "Vallefonde")
    _salva(
        coerente.sezione,
        testo="Confina con i Comuni di Borgo Alto, Vallefonde e Castel Rupe.",
    )
    assert anomalie_calcola(coerente.piano) == []


def test_a_bando_with_an_unknown_source_amount_is_flagged(coerente):
    # The bando page's rule (misure.fonti): its share cannot be verified.
    _salva(coerente.fonte, importo=None)
    assert [a.codice for a in anomalie_calcola(coerente.piano)] == [Codice.FONTI_BANDO]


def test_the_number_of_queries_does_not_grow_with_the_enti(coerente):
    piano = PianoAnnuale.objects.get(pk=coerente.piano.pk)
    with CaptureQueriesContext(connection) as prima:
        assert anomalie_calcola(piano) == []

    for i in range(50):
        _aggiungi_comune(coerente.piano, 100 + i, f"Comune Aggiunto {i:02d}")
    _salva(coerente.serie, popolazione=4000 + 50 * 1000)
    piano = PianoAnnuale.objects.get(pk=coerente.piano.pk)
    with CaptureQueriesContext(connection) as dopo:
        assert anomalie_calcola(piano) == []

    assert len(dopo.captured_queries) == len(prima.captured_queries)
    # + declared totals, + the proposed population date (none stored here)
    assert len(prima.captured_queries) <= 18


def test_the_number_of_queries_does_not_grow_with_the_anomalie(coerente):
    piano = PianoAnnuale.objects.get(pk=coerente.piano.pk)
    with CaptureQueriesContext(connection) as prima:
        anomalie_calcola(piano)
    for comunicazione in coerente.comunicazioni.values():
        _salva(comunicazione, alloggi_totali=99, assegnabili_totale=7)
    _sezione_con_refuso(coerente)
    piano = PianoAnnuale.objects.get(pk=coerente.piano.pk)
    with CaptureQueriesContext(connection) as dopo:
        anomalie = anomalie_calcola(piano)

    assert len(anomalie) >= 10
    # Una sola query in più: i nomi sospetti confrontati con l'elenco ISTAT.
    assert len(dopo.captured_queries) == len(prima.captured_queries) + 1


def _registra_ardesio(piano, **per_stato: int) -> None:
    from patrimonio.models import Alloggio, Servizio

    ente = EnteProprietario.objects.get(denominazione="Comune di Ardesio")
    n = 0
    for stato, quanti in per_stato.items():
        for _i in range(quanti):
            n += 1
            Alloggio.objects.create(
                codice=f"ARD-{n:03d}",
                ente=ente,
                comune=ente.comune,
                servizio=Servizio.SAP,
                stato=stato,
            )


def test_a_registry_that_confirms_the_comunicazione_yields_no_anomalia(piano_a):
    # Ardesio communicated 36 SAP: 2 liberi, 7 in carenza, 0 in ristrutturazione,
    # 27 occupati.
    _registra_ardesio(piano_a, libero=2, carenza=7, occupato=27)
    codici = {a.codice for a in anomalie_calcola(piano_a)}
    assert Codice.REGISTRO_DIVERSO not in codici


def test_the_registry_flags_each_communicated_figure_it_does_not_confirm(piano_a):
    _registra_ardesio(piano_a, libero=2, carenza=7, occupato=26)
    trovate = {
        (a.oggetto, a.campo, a.valori["comunicato"], a.valori["registro"])
        for a in anomalie_calcola(piano_a)
        if a.codice == Codice.REGISTRO_DIVERSO
    }
    assert trovate == {
        ("Comune di Ardesio – alloggi_totali", "alloggi_totali", 36, 35),
        ("Comune di Ardesio – alloggi_sap", "alloggi_sap", 36, 35),
        ("Comune di Ardesio – sap_occupati", "sap_occupati", 27, 26),
    }
