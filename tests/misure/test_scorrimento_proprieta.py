"""Property tests of the allocation down the graduatoria (domain.md §7
«Scorrimento»): 1.000 generated cases of up to 500 applications and 1–4 sources
on the pure function, fewer through the database service."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from misure.services import Quota, scorrimento_ripartisci

CENT = Decimal("0.01")

importi = st.integers(min_value=1, max_value=500_000).map(lambda c: Decimal(c) * CENT)
# sizes drawn uniformly up to 500, so long lists are as frequent as short ones
contributi_st = st.integers(min_value=0, max_value=500).flatmap(
    lambda n: st.lists(importi, min_size=n, max_size=n)
)
fonti_st = st.lists(
    st.integers(min_value=0, max_value=60_000_000).map(lambda c: Decimal(c) * CENT),
    min_size=1,
    max_size=4,
)


def verifica_invarianti(contributi, disponibilita, quote):
    pagato_da_fonte = [Decimal("0")] * len(disponibilita)
    pagato_a_domanda = [Decimal("0")] * len(contributi)
    for q in quote:
        assert q.importo > 0
        assert q.importo == q.importo.quantize(CENT)
        pagato_da_fonte[q.fonte] += q.importo
        pagato_a_domanda[q.domanda] += q.importo
    # no source pays more than it has, to the cent
    for pagato, disponibile in zip(pagato_da_fonte, disponibilita, strict=True):
        assert pagato <= disponibile
    # nobody gets more than is due
    for pagato, dovuto in zip(pagato_a_domanda, contributi, strict=True):
        assert pagato <= dovuto
    finanziate = [i for i, p in enumerate(pagato_a_domanda) if p > 0]
    parziali = [i for i in finanziate if pagato_a_domanda[i] < contributi[i]]
    # at most one partial, and it is the lowest-ranked funded one
    assert len(parziali) <= 1
    if parziali:
        assert parziali[0] == max(finanziate)
    # everything ranked above the last funded one is fully funded, in one block
    if finanziate:
        ultimo = max(finanziate)
        assert finanziate == list(range(ultimo + 1))
        for i in range(ultimo):
            assert pagato_a_domanda[i] == contributi[i]
    # money is not left unused while someone ranked is still owed
    totale_dovuto = sum(contributi, Decimal("0"))
    totale_disponibile = sum(disponibilita, Decimal("0"))
    assert sum(pagato_da_fonte, Decimal("0")) == min(totale_dovuto, totale_disponibile)
    # sources are applied in order: a later source pays nobody ranked above
    # the first application an earlier one touched last
    ultimo_toccato = -1
    for f in range(len(disponibilita)):
        sue = [q.domanda for q in quote if q.fonte == f]
        if sue:
            assert min(sue) >= ultimo_toccato
            ultimo_toccato = max(sue)
    return pagato_da_fonte, pagato_a_domanda


def conteggi_per_fonte(contributi, quote, n_fonti):
    """The seeds' count: N paid in full by the source, M paid in part by it."""
    piene = [0] * n_fonti
    parziali = [0] * n_fonti
    for q in quote:
        if q.importo == contributi[q.domanda]:
            piene[q.fonte] += 1
        else:
            parziali[q.fonte] += 1
    return piene, parziali


@settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(contributi=contributi_st, disponibilita=fonti_st)
def test_scorrimento_keeps_its_invariants(contributi, disponibilita):
    quote = scorrimento_ripartisci(contributi=contributi, disponibilita=disponibilita)
    verifica_invarianti(contributi, disponibilita, quote)
    piene, parziali = conteggi_per_fonte(contributi, quote, len(disponibilita))
    # each source's quotas are exactly its full + partial counts
    for f in range(len(disponibilita)):
        assert piene[f] + parziali[f] == sum(1 for q in quote if q.fonte == f)
        # a source pays in part at most two domande: the top-up and the run-out
        assert parziali[f] <= 2


def test_a_source_that_runs_out_leaves_one_partial_completed_by_the_next():
    contributi = [Decimal("100.00")] * 5
    quote = scorrimento_ripartisci(
        contributi=contributi, disponibilita=[Decimal("250.00"), Decimal("1000.00")]
    )
    assert [(q.domanda, q.fonte, q.importo) for q in quote] == [
        (0, 0, Decimal("100.00")),
        (1, 0, Decimal("100.00")),
        (2, 0, Decimal("50.00")),
        (2, 1, Decimal("50.00")),
        (3, 1, Decimal("100.00")),
        (4, 1, Decimal("100.00")),
    ]
    assert conteggi_per_fonte(contributi, quote, 2) == ([2, 2], [1, 1])


# --- the same invariants through the database service (fewer, smaller cases) ---
@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    canoni=st.lists(st.integers(min_value=1, max_value=90_000), max_size=60),
    disponibilita=st.lists(
        st.integers(min_value=0, max_value=3_000_000), min_size=1, max_size=4
    ),
)
def test_the_database_run_keeps_the_invariants(ambito_a, canoni, disponibilita):
    from django.db import transaction

    from misure.models import Bando, Domanda, Erogazione, FonteFinanziamento
    from misure.services import graduatoria_calcola, scorrimento_esegui

    from .factories import assegnazione_di, bando_crea, domanda_crea, fonte_crea

    with transaction.atomic():
        bando = bando_crea(ambito_a, contributo_mensilita=3, contributo_massimo=None)
        Domanda.objects.bulk_create(
            [
                domanda_crea(bando, n, canone_mensile=Decimal(c) * CENT)
                for n, c in enumerate(canoni)
            ]
        )
        atti = [(5324, 2021), (6491, 2022), (6970, 2022), (1001, 2023)]
        for ordine, centesimi in enumerate(disponibilita):
            numero, anno = atti[ordine]
            fonte_crea(
                bando,
                assegnazione_di(ambito_a, numero, anno),
                Decimal(centesimi) * CENT,
                ordine,
            )
        graduatoria_calcola(bando=bando)
        bando.refresh_from_db()
        scorrimento_esegui(bando=bando, utente=None)

        ammesse = list(bando.domande.order_by("posizione"))
        fonti = list(FonteFinanziamento.objects.filter(bando=bando).order_by("ordine"))
        indice_d = {d.pk: i for i, d in enumerate(ammesse)}
        indice_f = {f.pk: i for i, f in enumerate(fonti)}
        quote = [
            Quota(indice_d[e.domanda_id], indice_f[e.fonte_id], e.importo)
            for e in Erogazione.objects.filter(domanda__bando=bando)
        ]
        contributi = [d.contributo for d in ammesse]
        verifica_invarianti(contributi, [f.importo for f in fonti], quote)
        piene, parziali = conteggi_per_fonte(contributi, quote, len(fonti))
        # the counts the plan reads agree with the records
        assert [(f.n_finanziate, f.n_parziali) for f in fonti] == list(
            zip(piene, parziali, strict=True)
        )
        rilette = Bando.objects.con_conteggi().get(pk=bando.pk)
        assert rilette.n_finanziate == len({q.domanda for q in quote})
        assert rilette.n_accolte == len(ammesse) == len(canoni)
        transaction.set_rollback(True)
