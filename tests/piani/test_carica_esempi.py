"""I due piani d'esempio caricati da carica_esempi: ogni cifra dei seed è nel
database, e ricaricarli non cambia nulla.

Seed 000 = ambito A (valle-seriana-superiore, piano 2026, rr-2-2025);
seed 002 = ambito B (valle-seriana, piano 2025, rr-4-2017).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from ambiti.models import (
    AmbitoComune,
    Incarico,
    PopolazioneComune,
    SerieDemografica,
)
from misure.models import AssegnazioneDgr, Bando, Dgr
from patrimonio.models import EnteProprietario
from piani.models import Comunicazione, VersioneNormativa

pytestmark = pytest.mark.django_db

D = Decimal
ALER = "ALER Bergamo - Lecco - Sondrio"


def _per_ente(piano, campo: str) -> dict[str, int | None]:
    return {
        c.ente.nome_per_elenco: getattr(c, campo)
        for c in piano.comunicazioni.select_related("ente__comune")
    }


def _non_nulli(piano, campo: str) -> dict[str, int]:
    return {k: v for k, v in _per_ente(piano, campo).items() if v}


def _somme(piano, *campi: str) -> list[int]:
    totali = piano.comunicazioni.aggregate(**{c: Sum(c) for c in campi})
    return [totali[c] for c in campi]


# --- idempotenza -------------------------------------------------------------------


def _istantanea() -> dict[str, list[dict]]:
    """Tutte le righe di tutti i modelli del progetto (storico compreso) e utenti."""
    modelli = [
        m
        for etichetta in ("ambiti", "patrimonio", "piani", "misure")
        for m in apps.get_app_config(etichetta).get_models()
    ] + [get_user_model()]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in modelli}


def test_ricaricare_gli_esempi_non_cambia_nulla():
    prima = _istantanea()
    call_command("carica_esempi", verbosity=0)
    dopo = _istantanea()
    assert {k: len(v) for k, v in dopo.items()} == {k: len(v) for k, v in prima.items()}
    assert dopo == prima


def test_i_dati_modificati_tornano_quelli_del_seed(piano_a):
    clusone = piano_a.comunicazioni.get(ente__denominazione="Comune di Clusone")
    clusone.alloggi_sap = 99
    clusone.save()
    call_command("carica_esempi", verbosity=0)
    clusone.refresh_from_db()
    assert clusone.alloggi_sap == 61


# --- utenti dimostrativi -----------------------------------------------------------


def test_utenti_demo_rifiutati_senza_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="solo in sviluppo"):
        call_command("carica_esempi", "--utenti-demo", verbosity=0)
    assert not get_user_model().objects.filter(username="ufficio.vss").exists()


def test_utenti_demo_con_debug(settings, ambito_a, ambito_b, capsys, rf):
    settings.DEBUG = True
    call_command("carica_esempi", "--utenti-demo")
    uscita = capsys.readouterr().out
    for nome in ("admin", "ufficio.vss", "ufficio.vs", "sindaco.vss"):
        assert nome in uscita
        # django-axes checks every authentication against its lockouts: a request.
        richiesta = rf.post("/accesso/")
        assert authenticate(richiesta, username=nome, password="demo") is not None
    utenti = get_user_model().objects
    assert utenti.get(username="admin").is_superuser
    ruoli = {
        (i.utente.username, i.ambito.slug): i.ruolo
        for i in Incarico.objects.select_related("utente", "ambito")
    }
    assert ruoli == {
        ("ufficio.vss", ambito_a.slug): Incarico.Ruolo.UFFICIO,
        ("ufficio.vs", ambito_b.slug): Incarico.Ruolo.UFFICIO,
        ("sindaco.vss", ambito_a.slug): Incarico.Ruolo.LETTURA,
    }
    prima = _istantanea()
    call_command("carica_esempi", "--utenti-demo", verbosity=0)
    assert _istantanea() == prima


def test_il_comando_dice_cosa_ha_caricato(capsys):
    call_command("carica_esempi")
    uscita = capsys.readouterr().out
    assert "Comuni lombardi: 1.502" in uscita
    assert "valle-seriana-superiore" in uscita and "25 comunicazioni" in uscita
    assert "19 comunicazioni" in uscita


def test_in_silenzio_con_verbosity_0(capsys):
    call_command("carica_esempi", verbosity=0)
    assert capsys.readouterr().out == ""


# --- versioni normative ------------------------------------------------------------


def test_versioni_normative():
    nuova = VersioneNormativa.objects.get(codice="rr-2-2025")
    vecchia = VersioneNormativa.objects.get(codice="rr-4-2017")
    assert nuova.cartella_template == "rr2025"
    assert vecchia.cartella_template == "rr2017"
    assert nuova.lettera("assegnate_anno_precedente") == "k"
    assert nuova.lettera("art14") == "i bis"
    assert vecchia.lettera("assegnate_anno_precedente") == "g"
    assert vecchia.lettera("privati") == ""
    assert (nuova.tetto_art14, nuova.tetto_forze_ordine, nuova.tetto_sat) == (
        D(20),
        D(20),
        D(10),
    )
    assert (vecchia.tetto_art14, vecchia.tetto_forze_ordine, vecchia.tetto_sat) == (
        None,
        D(10),
        D(10),
    )
    assert nuova.soglia_indigenti == vecchia.soglia_indigenti == D(20)


def test_i_seed_hanno_la_loro_impaginazione_e_le_loro_sezioni(piano_a, piano_b):
    # Each seed keeps its narrative as its own sections, in the layout it printed
    # with; nothing of it is a default for other plans.
    assert piano_a.modello.codice == "rr-2-2025"
    assert piano_b.modello.codice == "art-4-c-3"
    assert piano_a.sezioni.filter(chiave="premessa").exists()
    assert piano_b.sezioni.filter(chiave="piano_di_zona").exists()


# --- seed 000: ambito A ------------------------------------------------------------


def test_ambito_a(ambito_a):
    assert ambito_a.numero == 9
    assert ambito_a.nome == "Valle Seriana Superiore e Valle di Scalve"
    assert ambito_a.provincia == "Bergamo"
    assert ambito_a.comune_capofila.nome == "Clusone"
    assert ambito_a.superficie_kmq == D("603.81")
    assert ambito_a.comuni.count() == 24
    assert ambito_a.comuni.get(nome="Piario").codice_istat == "016163"
    aree = dict(
        ambito_a.appartenenze.values_list("area").annotate(n=Count("id")).order_by()
    )
    assert aree == {"Valle Seriana Superiore": 20, "Valle di Scalve": 4}
    sub = {
        s.nome: sorted(a.comune.nome for a in s.appartenenze.all())
        for s in ambito_a.sub_ambiti.prefetch_related("appartenenze__comune")
    }
    assert list(sub) == [
        "Alto Serio",
        "Val del Riso e Val Dossana",
        "Clusone",
        "Comuni della Presolana",
        "Valle di Scalve",
    ]
    assert sub["Alto Serio"] == [
        "Ardesio",
        "Gandellino",
        "Gromo",
        "Oltressenda Alta",
        "Piario",
        "Valbondione",
        "Valgoglio",
        "Villa d'Ogna",
    ]
    assert sub["Clusone"] == ["Clusone"]
    assert sub["Valle di Scalve"] == [
        "Azzone",
        "Colere",
        "Schilpario",
        "Vilminore di Scalve",
    ]


def test_popolazione_a(ambito_a):
    popolazioni = PopolazioneComune.objects.filter(
        comune__ambiti=ambito_a, data=date(2024, 12, 31)
    )
    assert popolazioni.count() == 24
    assert popolazioni.aggregate(t=Sum("popolazione"))["t"] == 41813
    per_comune = dict(popolazioni.values_list("comune__nome", "popolazione"))
    assert per_comune["Clusone"] == 8600
    assert per_comune["Piario"] == 1003
    assert per_comune["Oltressenda Alta"] == 132
    assert sum(1 for p in per_comune.values() if p < 1000) == 8


def test_serie_demografica_a(ambito_a):
    serie = list(
        SerieDemografica.objects.filter(ambito=ambito_a).values_list(
            "anno", "data", "popolazione", "nati", "stranieri"
        )
    )
    assert [r[0] for r in serie] == list(range(2015, 2025))
    assert all(r[1] == date(r[0], 12, 31) for r in serie)
    assert [r[2:] for r in serie] == [
        (43221, 306, 1848),
        (43092, 300, 1771),
        (42919, 257, 1780),
        (42812, 293, 1784),
        (42607, 263, 1736),
        (42119, 263, 1723),
        (41992, 260, 1708),
        (41868, 228, 1710),
        (41814, 233, 1825),
        (41813, 241, 1921),
    ]


def test_enti_a(piano_a):
    enti = [c.ente for c in piano_a.comunicazioni.select_related("ente__comune")]
    assert len(enti) == 25
    assert sum(e.tipo == EnteProprietario.Tipo.COMUNE for e in enti) == 24
    comuni_ambito = set(piano_a.ambito.comuni.values_list("pk", flat=True))
    assert {e.comune_id for e in enti if e.comune_id} == comuni_ambito
    nomi = {e.denominazione for e in enti}
    assert {"Comune di Castione della Presolana", "Comune di Villa d'Ogna"} <= nomi
    assert "Comune di Piario" in nomi
    aler = EnteProprietario.objects.get(denominazione=ALER)
    assert aler.tipo == EnteProprietario.Tipo.ALER
    assert aler.denominazione_breve == "ALER BG-LC-SO"


def test_piano_a(piano_a):
    assert piano_a.normativa.codice == "rr-2-2025"
    assert piano_a.id_piattaforma == "50134198"
    assert [(f.inizio, f.fine) for f in piano_a.finestre.all()] == [
        (date(2025, 10, 10), date(2025, 10, 27))
    ]
    assert piano_a.data_approvazione is None


def test_comunicazioni_a(piano_a):
    comunicazioni = piano_a.comunicazioni.select_related("ente__comune")
    assert comunicazioni.count() == 25
    esiti = dict(comunicazioni.values_list("esito").annotate(n=Count("id")).order_by())
    assert esiti == {"dati": 3, "non_disponibilita": 8, "nessun_patrimonio": 14}
    protocolli = {
        c.ente.nome_per_elenco: (c.protocollo, c.data)
        for c in comunicazioni
        if c.canale == Comunicazione.Canale.PROTOCOLLO
    }
    assert protocolli == {
        "Colere": ("0019695/2025", date(2025, 10, 25)),
        "Fino del Monte": ("0019609/2025", date(2025, 10, 24)),
        "Gandellino": ("0019571/2025", date(2025, 10, 23)),
        "Gorno": ("0019529/2025", date(2025, 10, 23)),
        "Gromo": ("0019591/2025", date(2025, 10, 24)),
        "Oneta": ("0019626/2025", date(2025, 10, 24)),
        "Onore": ("0019690/2025", date(2025, 10, 25)),
        "Piario": ("0019624/2025", date(2025, 10, 24)),
        "Ponte Nossa": ("0019788/2025", date(2025, 10, 27)),
        "Schilpario": ("0019678/2025", date(2025, 10, 25)),
        "Songavazzo": ("0019821/2025", date(2025, 10, 28)),
        "Villa d'Ogna": ("0018904/2025", date(2025, 10, 16)),
        "Vilminore di Scalve": ("0019820/2025", date(2025, 10, 28)),
    }
    piattaforma = {
        c.ente.nome_per_elenco: (c.esito, c.data)
        for c in comunicazioni
        if c.canale == Comunicazione.Canale.PIATTAFORMA
    }
    assert piattaforma == {
        "Ardesio": ("dati", date(2025, 10, 21)),
        "Azzone": ("dati", date(2025, 10, 15)),
        "Castione della Presolana": ("non_disponibilita", date(2025, 10, 21)),
        "Cerete": ("non_disponibilita", date(2025, 10, 22)),
        "Clusone": ("dati", date(2025, 10, 22)),
        "Oltressenda Alta": ("non_disponibilita", date(2025, 10, 21)),
        "Parre": ("non_disponibilita", date(2025, 10, 22)),
        "Premolo": ("nessun_patrimonio", date(2025, 10, 13)),
        "Rovetta": ("non_disponibilita", date(2025, 10, 14)),
        "Valbondione": ("nessun_patrimonio", date(2025, 10, 24)),
        "Valgoglio": ("nessun_patrimonio", date(2025, 10, 13)),
        ALER: ("non_disponibilita", date(2025, 10, 21)),
    }
    ricevute = _non_nulli(piano_a, "denominazione_ricevuta")
    assert ricevute == {
        "Piario": "Comune di Pario",
        ALER: "ALER BERGAMO-LECCO-SONDARIO",
    }


def test_consistenza_a(piano_a):
    campi = ("alloggi_totali", "alloggi_sas", "alloggi_sap", "alloggi_altro")
    assert _somme(piano_a, *campi) == [253, 0, 249, 4]
    righe = {
        c.ente.nome_per_elenco: tuple(getattr(c, f) for f in campi)
        for c in piano_a.comunicazioni.select_related("ente__comune")
    }
    assert righe[ALER] == (63, 0, 63, 0)
    assert righe["Clusone"] == (61, 0, 61, 0)
    assert righe["Ponte Nossa"] == (42, 0, 42, 0)
    assert righe["Rovetta"] == (4, 0, 0, 4)
    assert sum(1 for r in righe.values() if r == (0, 0, 0, 0)) == 14


def test_stato_patrimonio_sap_a(piano_a):
    campi = (
        "alloggi_sap",
        "sap_liberi",
        "sap_carenze",
        "sap_ristrutturazione",
        "sap_occupati",
        "assegnabili_totale",
    )
    assert _somme(piano_a, *campi) == [249, 10, 31, 34, 174, 5]
    righe = {
        c.ente.nome_per_elenco: tuple(getattr(c, f) for f in campi)
        for c in piano_a.comunicazioni.select_related("ente__comune")
    }
    assert righe[ALER] == (63, 7, 6, 6, 44, 0)
    assert righe["Clusone"] == (61, 0, 9, 4, 48, 3)
    assert righe["Ponte Nossa"] == (42, 0, 1, 20, 21, 0)
    assert righe["Ardesio"] == (36, 2, 7, 0, 27, 1)
    assert righe["Parre"] == (16, 0, 4, 0, 12, 0)
    assert righe["Castione della Presolana"] == (9, 0, 0, 4, 5, 0)
    assert righe["Cerete"] == (8, 0, 1, 0, 7, 0)
    assert righe["Gromo"] == (6, 0, 1, 0, 5, 0)
    assert righe["Azzone"] == (4, 1, 1, 0, 2, 1)
    assert righe["Oltressenda Alta"] == (4, 0, 1, 0, 3, 0)


def test_assegnabili_a(piano_a):
    assert _non_nulli(piano_a, "assegnabili_totale") == {
        "Ardesio": 1,
        "Azzone": 1,
        "Clusone": 3,
    }
    # e) turn over: Clusone 2; la tabella g) stampa lo 0 di Ardesio e Azzone.
    turn_over = {
        k: v
        for k, v in _per_ente(piano_a, "assegnabili_turnover").items()
        if v is not None
    }
    assert turn_over == {"Ardesio": 0, "Azzone": 0, "Clusone": 2}
    # b), c), d), f), j): «Non sono prevenute disponibilità…», nessun valore.
    for campo in (
        "assegnabili_carenza",
        "assegnabili_ristrutturazione",
        "assegnabili_nuova_edificazione",
        "assegnabili_privati",
        "unita_sat",
        "quota_art14",
    ):
        assert set(_per_ente(piano_a, campo).values()) == {None}, campo
    assert _non_nulli(piano_a, "assegnate_anno_precedente") == {
        ALER: 3,
        "Cerete": 1,
        "Oltressenda Alta": 1,
    }


def test_sezioni_a(piano_a):
    sezioni = {s.chiave: s for s in piano_a.sezioni.all()}
    assert list(sezioni) == [
        "premessa",
        "contesto",
        "contesto_sociale",
        "andamento_demografico",
        "superficie",
        "servizi_casa",
        "strategie",
        "alloggi_temporanei",
    ]
    assert "Piaro" in sezioni["contesto"].testo
    assert (
        "- Valle di Scalve, che comprende i Comuni di Azzone"
        in sezioni["contesto"].testo
    )
    assert "Piaro" in sezioni["andamento_demografico"].testo
    assert "603,81" in sezioni["superficie"].testo
    assert sezioni["servizi_casa"].testo.endswith(
        "2. Tabella con i Comuni e Aler in ordine di quantità di alloggi SAP "
        "sul territorio."
    )
    assert sezioni["strategie"].testo.endswith("con l'indizione dell'apposito bando.")
    assert "€ 2.491,83" in sezioni["alloggi_temporanei"].testo
    # I numeri delle tabelle non stanno nei testi: li generano i template.
    assert "43.221" not in sezioni["andamento_demografico"].testo


def test_registro_dgr_a(ambito_a):
    righe = {
        a.dgr.breve: (a.assegnate, a.spese_gestione, a.impegnate, a.erogate, a.misura)
        for a in AssegnazioneDgr.objects.filter(ambito=ambito_a).select_related("dgr")
    }
    assert righe == {
        "DGR 3664/2020": (None, D("0"), None, None, ""),
        "DGR 4678/2021": (D("16875"), D("1687.50"), D("15187.50"), D("15187.50"), ""),
        "DGR 5324/2021": (D("145834"), D("0"), D("145834"), D("145834"), ""),
        "DGR 6491/2022": (
            D("10921"),
            D("1092.10"),
            D("9828.90"),
            D("9828.90"),
            "MISURA UNICA",
        ),
        "DGR 6970/2022": (
            D("202281"),
            D("0"),
            D("202281"),
            D("202281"),
            "MISURA UNICA",
        ),
        "DGR 1001/2023": (
            D("14132"),
            D("538.61"),
            D("13593.39"),
            D("13593.39"),
            "MISURA UNICA",
        ),
        "DGR 5292/2025": (D("10816"), D("0"), D("10816"), None, ""),
    }
    nota = AssegnazioneDgr.objects.get(ambito=ambito_a, dgr__numero=5324).nota_assegnate
    assert nota == (
        "compresa assegnazione risorse residue DGR 5324/2021, "
        "Decreto 16342 del 26/11/2021"
    )
    assert (
        Dgr.objects.get(numero=6970, anno=2022).estremi == "DGR XI/6970 del 19/09/2022"
    )
    assert (
        Dgr.objects.get(numero=1001, anno=2023).estremi == "DGR XII/1001 del 25/09/2023"
    )


def test_bandi_e_fonti_a(ambito_a):
    # The seed's historical bandi (the demo bando managed in the app is separate).
    bandi = Bando.objects.filter(ambito=ambito_a, gestito=False).order_by(
        "data_pubblicazione"
    )
    catena = [
        (
            b.data_pubblicazione,
            b.n_pervenute,
            b.n_accolte,
            [
                (f.assegnazione.dgr.breve, f.n_finanziate, f.n_parziali)
                for f in b.fonti.all()
            ],
        )
        for b in bandi
    ]
    assert catena == [
        (
            date(2021, 3, 17),
            141,
            136,
            [
                ("DGR 3664/2020", 81, 1),
                ("DGR 4678/2021", 13, 1),
                ("DGR 5324/2021", 42, 0),
            ],
        ),
        (
            date(2022, 8, 4),
            137,
            135,
            [
                ("DGR 5324/2021", 51, 1),
                ("DGR 6491/2022", 4, 2),
                ("DGR 6970/2022", 78, 1),
            ],
        ),
        (
            date(2023, 6, 5),
            227,
            218,
            [("DGR 6970/2022", 28, 1), ("DGR 1001/2023", 7, 1)],
        ),
    ]
    assert bandi[0].titolo.endswith("- D.G.R. XI/3664 del 13/10/2020")
    fonte = bandi[0].fonti.get(assegnazione__dgr__numero=5324)
    assert fonte.nota_finanziate == (
        "scorrimento graduatoria vigente con criteri di cui alla "
        "DGR XI/3664 del 13/10/2020"
    )
    assert fonte.nota_pervenute.endswith(
        "nonostante scorrimento graduatoria con fondi di cui alla DGR 4678/2021"
    )


def test_strategie_a(piano_a):
    sottosezioni = list(piano_a.sottosezioni_strategie.select_related("bando"))
    assert [s.titolo[:4] for s in sottosezioni] == ["3.1 ", "3.2 ", "3.3 "]
    assert [s.bando.data_pubblicazione for s in sottosezioni] == [
        date(2021, 3, 17),
        date(2022, 8, 4),
        date(2023, 6, 5),
    ]
    blocchi = [
        [(b.assegnazione.dgr.breve, b.con_intestazione) for b in s.blocchi.all()]
        for s in sottosezioni
    ]
    assert blocchi == [
        [("DGR 4678/2021", False), ("DGR 5324/2021", False)],
        [("DGR 6491/2022", True), ("DGR 6970/2022", True)],
        [("DGR 1001/2023", True)],
    ]
    assert sottosezioni[0].testo.startswith(
        "Con le risorse assegnate dalla DGR XI/3664 è stato possibile finanziare "
        "le prime 82 domande"
    )
    assert sottosezioni[2].testo.endswith("e ulteriori 7 domande.")


# --- seed 002: ambito B ------------------------------------------------------------


def test_ambito_b(ambito_b):
    assert ambito_b.numero is None
    assert ambito_b.nome == "Valle Seriana"
    assert ambito_b.provincia == "Bergamo"
    assert ambito_b.comune_capofila.nome == "Albino"
    assert ambito_b.comuni.count() == 18
    assert ambito_b.comuni.get(nome="Cazzano Sant'Andrea").codice_istat == "016067"
    assert not ambito_b.sub_ambiti.exists()


def test_popolazione_b(ambito_b):
    popolazioni = PopolazioneComune.objects.filter(
        comune__ambiti=ambito_b, data=date(2024, 1, 1)
    )
    assert popolazioni.count() == 18
    assert popolazioni.aggregate(t=Sum("popolazione"))["t"] == 95567
    per_comune = dict(popolazioni.values_list("comune__nome", "popolazione"))
    assert per_comune["Albino"] == 17492
    assert per_comune["Aviatico"] == 580
    assert per_comune["Villa di Serio"] == 6579
    serie = SerieDemografica.objects.get(ambito=ambito_b)
    assert (serie.anno, serie.data, serie.popolazione) == (
        2023,
        date(2024, 1, 1),
        95567,
    )


def test_piano_b(piano_b):
    assert piano_b.normativa.codice == "rr-4-2017"
    assert piano_b.id_piattaforma == "44107748"
    assert [(f.inizio, f.fine) for f in piano_b.finestre.all()] == [
        (date(2025, 1, 29), date(2025, 2, 21)),
        (date(2025, 2, 26), date(2025, 3, 7)),
        (date(2025, 3, 20), date(2025, 3, 21)),
    ]
    assert piano_b.organo_approvazione == "Assemblea distrettuale dei Sindaci"
    assert piano_b.data_approvazione == date(2025, 4, 29)
    assert piano_b.luogo_approvazione == "Albino"


def test_enti_e_comunicazioni_b(piano_b):
    comunicazioni = list(piano_b.comunicazioni.select_related("ente__comune"))
    assert len(comunicazioni) == 19
    aler = EnteProprietario.objects.get(denominazione=ALER)
    assert aler in {c.ente for c in comunicazioni}
    assert aler.comunicazioni.count() == 2  # lo stesso ente nei due piani
    cazzano = next(
        c.ente for c in comunicazioni if c.ente.nome_per_elenco.startswith("Cazz")
    )
    assert cazzano.denominazione == "Comune di Cazzano Sant'Andrea"
    assert cazzano.denominazione_breve == "Cazzano S. Andrea"
    per_tipo = {
        (c.esito, c.canale): sorted(
            x.ente.nome_per_elenco
            for x in comunicazioni
            if (x.esito, x.canale) == (c.esito, c.canale)
        )
        for c in comunicazioni
    }
    assert len(per_tipo[("dati", "")]) == 13
    assert per_tipo[("nessun_patrimonio", "protocollo")] == [
        "Cazzano Sant'Andrea",
        "Cene",
        "Peia",
        "Selvino",
    ]
    assert per_tipo[("nessun_patrimonio", "piattaforma")] == ["Aviatico", "Vertova"]
    assert all(c.data is None and c.protocollo == "" for c in comunicazioni)
    assert _non_nulli(piano_b, "denominazione_ricevuta") == {"Leffe": "Lefte"}


def test_consistenza_b(piano_b):
    campi = ("alloggi_totali", "alloggi_sas", "alloggi_sap", "alloggi_altro")
    righe = {
        c.ente.nome_per_elenco: tuple(getattr(c, f) for f in campi)
        for c in piano_b.comunicazioni.select_related("ente__comune")
    }
    assert righe == {
        "Albino": (35, 0, 35, None),
        "Alzano Lombardo": (60, 0, 60, None),
        "Aviatico": (0, 0, 0, None),
        "Casnigo": (8, 0, 8, None),
        "Cazzano Sant'Andrea": (0, 0, 0, None),
        "Cene": (0, 0, 0, None),
        "Colzate": (4, 0, 0, None),
        "Fiorano al Serio": (22, 0, 22, None),
        "Gandino": (23, 0, 23, None),
        "Gazzaniga": (19, 0, 19, None),
        "Leffe": (15, 0, 15, None),
        "Nembro": (51, 10, 19, None),
        "Peia": (0, 0, 0, None),
        "Pradalunga": (6, 0, 6, None),
        "Ranica": (28, 0, 17, None),
        "Selvino": (0, 0, 0, None),
        "Vertova": (0, 0, 0, None),
        "Villa di Serio": (14, 0, 14, None),
        ALER: (294, 0, 294, None),
    }
    # Seed 002 non ha la tabella dello stato del patrimonio SAP.
    for campo in ("sap_liberi", "sap_carenze", "sap_ristrutturazione", "sap_occupati"):
        assert set(_per_ente(piano_b, campo).values()) == {None}


def test_assegnabili_b(piano_b):
    campi = (
        "assegnabili_turnover",
        "assegnabili_carenza",
        "assegnabili_ristrutturazione",
        "assegnabili_totale",
    )
    righe = {
        c.ente.nome_per_elenco: tuple(getattr(c, f) for f in campi)
        for c in piano_b.comunicazioni.select_related("ente__comune")
        if c.esito == Comunicazione.Esito.DATI
    }
    zero = (0, 0, 0, 0)
    assert righe == {
        "Albino": zero,
        "Alzano Lombardo": (1, 0, 2, 3),
        "Casnigo": zero,
        "Colzate": zero,
        "Fiorano al Serio": zero,
        "Gandino": (2, 0, 0, 2),
        "Gazzaniga": (2, 0, 0, 2),
        "Leffe": zero,
        "Nembro": (1, 0, 0, 1),
        "Pradalunga": zero,
        "Ranica": zero,
        "Villa di Serio": zero,
        ALER: (9, 0, 9, 9),
    }
    assert set(_per_ente(piano_b, "assegnabili_nuova_edificazione").values()) == {None}
    assert set(_per_ente(piano_b, "assegnabili_privati").values()) == {None}
    assert _non_nulli(piano_b, "unita_sat") == {
        "Casnigo": 1,
        "Nembro": 2,
        "Ranica": 1,
        ALER: 1,
    }
    assert _non_nulli(piano_b, "assegnate_anno_precedente") == {
        "Albino": 2,
        "Alzano Lombardo": 1,
        "Fiorano al Serio": 1,
        "Gandino": 2,
        "Leffe": 3,
        "Nembro": 3,
        "Pradalunga": 1,
        "Ranica": 1,
        ALER: 9,
    }
    assert _somme(piano_b, "unita_sat", "assegnate_anno_precedente") == [5, 23]


def test_decisioni_b(piano_b):
    decisioni = piano_b.decisioni.all()
    assert decisioni.count() == 18
    assert {d.quota_forze_ordine for d in decisioni} == {D(0)}
    assert {d.quota_indigenti for d in decisioni} == {None}


def test_sezioni_e_ethos_b(piano_b):
    sezioni = {s.chiave: s for s in piano_b.sezioni.all()}
    assert list(sezioni) == [
        "intestazione",
        "premessa",
        "contesto",
        "piano_di_zona",
        "strategie",
        "strategie_normativa",
    ]
    assert sezioni["intestazione"].testo == "Comunità Montana Valle Seriana"
    assert "dal 20 al 21 marzo 2025" in sezioni["premessa"].testo
    assert "Cazzano S. Andrea" in sezioni["contesto"].testo
    assert sezioni["piano_di_zona"].testo.endswith(
        "Coordinamento del tavolo di lavoro politiche abitative."
    )
    assert "In data 29/11/2022" in sezioni["strategie_normativa"].testo
    ethos = piano_b.rilevazioni_ethos.get()
    assert ethos.anno == 2024
    assert (
        ethos.senza_tetto,
        ethos.senza_casa,
        ethos.sistemazione_insicura,
        ethos.sistemazione_inadeguata,
        ethos.totale,
    ) == (24, 54, 36, 60, 174)


def test_bando_2023_b(ambito_b):
    bando = Bando.objects.get(ambito=ambito_b, misura=Bando.Misura.UNICA)
    assert bando.data_pubblicazione == date(2023, 2, 13)
    assert bando.data_scadenza == date(2023, 3, 31)
    assert bando.importo == D("495849.12")
    assert (bando.n_pervenute, bando.n_finanziate) == (487, 339)
    fonti = [(f.assegnazione.dgr.breve, f.importo) for f in bando.fonti.all()]
    assert fonti == [
        ("DGR 5324/2021", D("85974.52")),
        ("DGR 6491/2022", D("22467.60")),
        ("DGR 6970/2022", D("382396.00")),
        ("decreto 16342/2022", D("5011.00")),
    ]
    assert sum(importo for _, importo in fonti) == bando.importo


def test_avviso_complementare_b(ambito_b, piano_b):
    avviso = Bando.objects.get(ambito=ambito_b, misura=Bando.Misura.COMPLEMENTARE)
    assert avviso.data_pubblicazione == date(2023, 10, 11)
    assert avviso.n_pervenute == 9
    assert avviso.importo_richiesto == D("23120.00")
    assert avviso.data_rilevazione == date(2024, 11, 30)
    assert [f.assegnazione.dgr.breve for f in avviso.fonti.all()] == ["DGR 6970/2022"]
    sottosezioni = list(piano_b.sottosezioni_strategie.all())
    assert [s.bando.misura for s in sottosezioni] == ["unica", "complementare"]
    assert [s.titolo for s in sottosezioni] == ["", ""]  # seed 002 non li stampa
    assert not any(s.blocchi.exists() for s in sottosezioni)
    assert sottosezioni[0].testo.startswith("Una quota pari a € 80.000,00")
    assert "487" not in sottosezioni[0].testo  # il conteggio viene dal bando
    assert sottosezioni[1].testo.startswith("In data 27/11/2024")
    assert "Elementi di innovazione" in sottosezioni[1].testo


def test_appartenenze_per_ambito():
    assert (
        AmbitoComune.objects.filter(ambito__slug="valle-seriana-superiore").count()
        == 24
    )
    assert AmbitoComune.objects.filter(ambito__slug="valle-seriana").count() == 18
