"""graduatoria_calcola: requirements with the reason of each exclusion, the
contribution rule, the weighted score and deterministic tie-breaks; the counts
the plan's chapter 3 reads, with a fixed number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Prefetch

from ambiti.models import Comune
from misure.models import (
    Bando,
    CriterioPunteggio,
    Domanda,
    FonteFinanziamento,
)
from misure.services import (
    contributo_calcola,
    graduatoria_calcola,
    scorrimento_esegui,
)

from .factories import assegnazione_di, bando_crea, domanda_crea, fonte_crea


def _criteri(bando, **pesi):
    for ordine, (criterio, (peso, soglia)) in enumerate(pesi.items()):
        CriterioPunteggio.objects.create(
            bando=bando,
            criterio=criterio,
            peso=Decimal(peso),
            soglia=soglia,
            ordine=ordine,
        )


@pytest.mark.parametrize(
    ("mesi", "massimo", "canone", "atteso"),
    [
        (10, "3600.00", "300.00", "3000.00"),
        (10, "3600.00", "412.50", "3600.00"),
        (10, None, "412.55", "4125.50"),
        (3, "1000.00", "333.33", "999.99"),
        (3, "1000.00", "333.335", "1000.00"),  # 1.000,005 rounds half up
        (None, "1500.00", "900.00", "1500.00"),
    ],
)
def test_contribution_is_months_times_rent_up_to_the_cap(mesi, massimo, canone, atteso):
    assert contributo_calcola(
        canone_mensile=Decimal(canone),
        mensilita=mesi,
        massimo=Decimal(massimo) if massimo else None,
    ) == Decimal(atteso)


def test_each_requirement_excludes_with_its_reason(ambito_a):
    bando = bando_crea(
        ambito_a,
        altri_contributi_dal=date(2025, 1, 1),
        richiede_procedura_rilascio=True,
    )
    fuori = Comune.objects.exclude(ambiti=ambito_a).get(codice_istat="016024")
    casi = {
        1: {"procedura": Domanda.Procedura.INTIMAZIONE},  # admitted
        2: {"procedura": Domanda.Procedura.CONVALIDA, "isee": Decimal("16000.01")},
        3: {"procedura": Domanda.Procedura.CONVALIDA, "comune": fuori},
        4: {"procedura": Domanda.Procedura.CONVALIDA, "contratto_registrato": False},
        5: {"procedura": Domanda.Procedura.CONVALIDA, "mesi_alloggio": 11},
        6: {"procedura": Domanda.Procedura.CONVALIDA, "inquilino_sap_sat": True},
        7: {
            "procedura": Domanda.Procedura.CONVALIDA,
            "altri_contributi_data": date(2025, 1, 1),
        },
        8: {},  # no eviction or foreclosure
        9: {
            "procedura": Domanda.Procedura.PIGNORAMENTO,
            "isee": Decimal("20000.00"),
            "mesi_alloggio": 3,
        },
    }
    Domanda.objects.bulk_create([domanda_crea(bando, n, **c) for n, c in casi.items()])
    assert graduatoria_calcola(bando=bando) == 1
    motivi = {int(d.protocollo[:5]): d.motivi_esclusione for d in bando.domande.all()}
    assert motivi[1] == []
    assert motivi[2] == ["ISEE € 16.000,01 superiore al limite di € 16.000,00"]
    assert motivi[3] == ["Residenza in un comune che non appartiene all'ambito"]
    assert motivi[4] == ["Contratto di locazione non registrato"]
    assert motivi[5] == ["Residenza nell'alloggio da 11 mesi, ne sono richiesti 12"]
    assert motivi[6] == ["Inquilino di un alloggio SAP o SAT"]
    assert motivi[7] == ["Altro contributo per l'alloggio percepito dopo il 01/01/2025"]
    assert motivi[8] == ["Nessuna procedura di sfratto o pignoramento in corso"]
    assert len(motivi[9]) == 2
    esclusa = bando.domande.get(protocollo__startswith="00002")
    assert esclusa.esito == Domanda.Esito.ESCLUSA
    assert (esclusa.posizione, esclusa.punteggio, esclusa.contributo) == (None,) * 3


def test_requirements_switched_off_do_not_exclude(ambito_a):
    bando = bando_crea(
        ambito_a,
        isee_massimo=None,
        richiede_residenza_ambito=False,
        richiede_contratto_registrato=False,
        mesi_minimi_alloggio=None,
        esclude_inquilini_sap_sat=False,
    )
    fuori = Comune.objects.exclude(ambiti=ambito_a).get(codice_istat="016024")
    Domanda.objects.bulk_create(
        [
            domanda_crea(
                bando,
                1,
                isee=Decimal("90000"),
                comune=fuori,
                contratto_registrato=False,
                mesi_alloggio=1,
                inquilino_sap_sat=True,
            )
        ]
    )
    assert graduatoria_calcola(bando=bando) == 1


def test_score_follows_the_weights_of_seed_002_criteria(ambito_a):
    bando = bando_crea(ambito_a, data_scadenza=date(2026, 3, 31))
    _criteri(
        bando,
        eta=("10", 65),
        componenti=("2", 6),
        minori=("3", 4),
        isee=("20", None),
    )
    Domanda.objects.bulk_create(
        [
            # 66 years old, 2 people, no minors, ISEE 8.000 of 16.000
            domanda_crea(bando, 1, data_nascita=date(1960, 1, 1)),
            # 64 at the deadline, 5 people, 3 minors, ISEE 4.000
            domanda_crea(
                bando,
                2,
                data_nascita=date(1961, 4, 1),
                componenti=5,
                minori=3,
                isee=Decimal("4000.00"),
            ),
            # 8 people (counted up to 6), 6 minors (counted up to 4), ISEE 0
            domanda_crea(
                bando,
                3,
                componenti=8,
                minori=6,
                isee=Decimal("0.00"),
                data_nascita=date(1990, 1, 1),
            ),
        ]
    )
    graduatoria_calcola(bando=bando)
    punteggi = dict(bando.domande.values_list("protocollo", "punteggio"))
    assert punteggi["00001/2026"] == Decimal("10") + 2 * 2 + 0 + Decimal("10.00")
    assert punteggi["00002/2026"] == 0 + 5 * 2 + 3 * 3 + Decimal("15.00")
    assert punteggi["00003/2026"] == 0 + 6 * 2 + 4 * 3 + Decimal("20.00")
    posizioni = dict(bando.domande.values_list("protocollo", "posizione"))
    assert posizioni == {"00003/2026": 1, "00002/2026": 2, "00001/2026": 3}


def test_ties_go_to_lower_isee_then_earlier_protocol(ambito_a):
    bando = bando_crea(ambito_a)
    _criteri(bando, componenti=("1", 6))  # same score for everyone
    Domanda.objects.bulk_create(
        [
            domanda_crea(
                bando, 10, isee=Decimal("9000"), data_protocollo=date(2026, 2, 1)
            ),
            domanda_crea(
                bando, 11, isee=Decimal("5000"), data_protocollo=date(2026, 2, 9)
            ),
            # same ISEE and date: protocol 99 before 100 (numeric, not text)
            domanda_crea(
                bando,
                100,
                isee=Decimal("7000"),
                data_protocollo=date(2026, 2, 5),
                protocollo="100/2026",
            ),
            domanda_crea(
                bando,
                99,
                isee=Decimal("7000"),
                data_protocollo=date(2026, 2, 5),
                protocollo="99/2026",
            ),
            domanda_crea(
                bando,
                98,
                isee=Decimal("7000"),
                data_protocollo=date(2026, 2, 3),
                protocollo="500/2026",
            ),
        ]
    )
    graduatoria_calcola(bando=bando)
    ordine = list(
        bando.domande.order_by("posizione").values_list("protocollo", flat=True)
    )
    assert ordine == ["00011/2026", "500/2026", "99/2026", "100/2026", "00010/2026"]

    bando.spareggio = "protocollo"
    bando.save()
    graduatoria_calcola(bando=bando)
    ordine = list(
        bando.domande.order_by("posizione").values_list("protocollo", flat=True)
    )
    assert ordine == ["00010/2026", "500/2026", "99/2026", "100/2026", "00011/2026"]


def test_the_ranking_is_the_same_whatever_the_insertion_order(ambito_a):
    bando = bando_crea(ambito_a)
    _criteri(bando, isee=("20", None), minori=("3", 4))
    dati = [
        {"isee": Decimal(5000 + (n * 37) % 7 * 500), "minori": n % 2}
        for n in range(1, 40)
    ]
    Domanda.objects.bulk_create(
        [domanda_crea(bando, n + 1, **d) for n, d in enumerate(dati)]
    )
    graduatoria_calcola(bando=bando)
    prima = list(
        bando.domande.order_by("posizione").values_list("protocollo", flat=True)
    )
    bando.domande.all().delete()
    Domanda.objects.bulk_create(
        [domanda_crea(bando, n + 1, **d) for n, d in reversed(list(enumerate(dati)))]
    )
    graduatoria_calcola(bando=bando)
    dopo = list(
        bando.domande.order_by("posizione").values_list("protocollo", flat=True)
    )
    assert prima == dopo


def test_recalculating_drops_the_quotas_of_the_old_ranking(ambito_a):
    bando = bando_crea(ambito_a)
    Domanda.objects.bulk_create([domanda_crea(bando, n) for n in range(5)])
    fonte_crea(bando, assegnazione_di(ambito_a, 5292, 2025), "4000.00", 1)
    graduatoria_calcola(bando=bando)
    bando.refresh_from_db()
    scorrimento_esegui(bando=bando, utente=None)
    assert Bando.objects.get(pk=bando.pk).n_finanziate == 2
    graduatoria_calcola(bando=bando)
    assert Bando.objects.get(pk=bando.pk).n_finanziate == 0


def test_chapter_3_counts_cost_a_fixed_number_of_queries(
    ambito_a, django_assert_num_queries
):
    nuovi = []
    for anno in range(3):
        bando = bando_crea(ambito_a)
        nuovi.append(bando.pk)
        Domanda.objects.bulk_create([domanda_crea(bando, n) for n in range(8 + anno)])
        fonte_crea(bando, assegnazione_di(ambito_a, 5292, 2025), "10000.00", 1)
        fonte_crea(bando, assegnazione_di(ambito_a, 1001, 2023), "5000.00", 2)
        graduatoria_calcola(bando=bando)
        bando.refresh_from_db()
        scorrimento_esegui(bando=bando, utente=None)
    # managed and historical bandi together: 2 queries, however many there are
    with django_assert_num_queries(2):
        bandi = list(
            Bando.objects.filter(ambito=ambito_a)
            .con_conteggi()
            .prefetch_related(
                Prefetch("fonti", queryset=FonteFinanziamento.objects.con_conteggi())
            )
        )
        conteggi = [
            (
                b.pk in nuovi if b.gestito else False,
                b.n_pervenute,
                b.n_accolte,
                b.n_finanziate,
                [(f.n_finanziate, f.n_parziali) for f in b.fonti.all()],
            )
            for b in bandi
        ]
    # only the three built here (the demo bando may be there too)
    gestiti = sorted(c for c in conteggi if c[0])
    # € 3.000 each: 10.000 pays 3 and € 1.000 of the 4th; 5.000 completes the
    # 4th (€ 2.000) and pays a 5th in full, ending exactly there
    assert [c[1:] for c in gestiti] == [
        (8, 8, 5, [(3, 1), (1, 1)]),
        (9, 9, 5, [(3, 1), (1, 1)]),
        (10, 10, 5, [(3, 1), (1, 1)]),
    ]
    storici = [c for c in conteggi if not c[0]]
    assert (137, 135, None, [(51, 1), (4, 2), (78, 1)]) in [c[1:] for c in storici]


def test_counts_without_annotation_still_come_from_the_records(ambito_a):
    bando = bando_crea(ambito_a)
    Domanda.objects.bulk_create(
        [domanda_crea(bando, n) for n in range(4)]
        + [domanda_crea(bando, 9, isee=Decimal("99999"))]
    )
    fonte = fonte_crea(bando, assegnazione_di(ambito_a, 5292, 2025), "7000.00", 1)
    graduatoria_calcola(bando=bando)
    bando.refresh_from_db()
    scorrimento_esegui(bando=bando, utente=None)
    bando = Bando.objects.get(pk=bando.pk)  # plain, not annotated
    assert (bando.n_pervenute, bando.n_accolte, bando.n_finanziate) == (5, 4, 3)
    fonte = FonteFinanziamento.objects.get(pk=fonte.pk)
    assert (fonte.n_finanziate, fonte.n_parziali) == (2, 1)


def test_seed_002_historical_bando_keeps_its_printed_counts(ambito_b):
    bando = Bando.objects.get(ambito=ambito_b, titolo__startswith="Bando sostegno")
    assert not bando.gestito
    assert (bando.n_pervenute, bando.n_finanziate) == (487, 339)
    assert [f.importo for f in bando.fonti.order_by("ordine")] == [
        Decimal("85974.52"),
        Decimal("22467.60"),
        Decimal("382396.00"),
        Decimal("5011.00"),
    ]
