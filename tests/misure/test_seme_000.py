"""Seed 000 §3.2 and §3.3 rebuilt as bandi managed in the app: the scorrimento
must count per source exactly as the plan prints it."""

import re
from decimal import Decimal

import pytest

from misure.models import Bando, Domanda, Erogazione, FonteFinanziamento, Scorrimento
from misure.services import graduatoria_calcola, scorrimento_esegui

from .factories import assegnazione_di, bando_crea, domanda_crea, fonte_crea


def _bando_con_domande(ambito, *, pervenute: int, accolte: int, canone: str):
    bando = bando_crea(ambito)
    domande = [
        domanda_crea(bando, n, canone_mensile=Decimal(canone)) for n in range(accolte)
    ]
    # the others are excluded: ISEE above the cap
    domande += [
        domanda_crea(bando, n, isee=Decimal("30000.00"))
        for n in range(accolte, pervenute)
    ]
    Domanda.objects.bulk_create(domande)
    graduatoria_calcola(bando=bando)
    bando.refresh_from_db()
    return bando


def _conteggi(bando: Bando) -> list[tuple[str, int, int]]:
    fonti = FonteFinanziamento.objects.filter(bando=bando).order_by("ordine")
    return [(f.assegnazione.dgr.breve, f.n_finanziate, f.n_parziali) for f in fonti]


def test_3_2_dgr_6491_pays_4_plus_2_partial_the_first_left_by_5324(ambito_a, staff_a):
    # 137 received, 135 admitted; each due 10 × € 200 = € 2.000,00
    bando = _bando_con_domande(ambito_a, pervenute=137, accolte=135, canone="200")
    f5324 = fonte_crea(bando, assegnazione_di(ambito_a, 5324, 2021), "103200.00", 1)
    # € 9.828,90: what DGR 6491/2022 gave the ambito net of management costs
    f6491 = fonte_crea(bando, assegnazione_di(ambito_a, 6491, 2022), "9828.90", 2)
    f6970 = fonte_crea(bando, assegnazione_di(ambito_a, 6970, 2022), "156971.10", 3)

    scorrimento_esegui(bando=bando, utente=staff_a)

    bando = Bando.objects.get(pk=bando.pk)
    assert (bando.n_pervenute, bando.n_accolte, bando.n_finanziate) == (137, 135, 135)
    assert _conteggi(bando) == [
        ("DGR 5324/2021", 51, 1),
        ("DGR 6491/2022", 4, 2),
        ("DGR 6970/2022", 78, 1),
    ]
    pagate_6491 = list(
        Erogazione.objects.filter(fonte=f6491).order_by("domanda__posizione")
    )
    assert len(pagate_6491) == 6
    prima = pagate_6491[0].domanda
    # the first is the partial left by DGR 5324/2021, completed by 6491
    assert prima.posizione == 52
    assert Erogazione.objects.get(domanda=prima, fonte=f5324).importo == Decimal(
        "1200.00"
    )
    assert pagate_6491[0].importo == Decimal("800.00")
    # the last is where 6491 ran out; DGR 6970/2022 completes it
    ultima = pagate_6491[-1].domanda
    assert ultima.posizione == 57
    assert pagate_6491[-1].importo == Decimal("1028.90")
    assert Erogazione.objects.get(domanda=ultima, fonte=f6970).importo == Decimal(
        "971.10"
    )
    assert sum(e.importo for e in pagate_6491) == Decimal("9828.90")


def test_3_3_dgr_1001_completes_the_partial_of_6970_and_funds_7_more(ambito_a, staff_a):
    # 227 received, 218 admitted; each due 10 × € 150 = € 1.500,00
    bando = _bando_con_domande(ambito_a, pervenute=227, accolte=218, canone="150")
    f6970 = fonte_crea(bando, assegnazione_di(ambito_a, 6970, 2022), "42700.00", 1)
    f1001 = fonte_crea(bando, assegnazione_di(ambito_a, 1001, 2023), "11300.00", 2)

    scorrimento_esegui(bando=bando, utente=staff_a)

    bando = Bando.objects.get(pk=bando.pk)
    assert (bando.n_pervenute, bando.n_accolte, bando.n_finanziate) == (227, 218, 36)
    assert _conteggi(bando) == [("DGR 6970/2022", 28, 1), ("DGR 1001/2023", 7, 1)]
    # «è stato possibile finanziare 29 domande (di cui una … parzialmente)»
    assert Erogazione.objects.filter(fonte=f6970).count() == 29
    completata = (
        Erogazione.objects.filter(fonte=f1001).order_by("domanda__posizione").first()
    )
    assert completata.domanda.posizione == 29
    assert completata.importo == Decimal("800.00")
    assert Erogazione.objects.get(
        domanda=completata.domanda, fonte=f6970
    ).importo == Decimal("700.00")
    # nobody ranked after the funded ones got anything
    assert not Erogazione.objects.filter(
        domanda__bando=bando, domanda__posizione__gt=36
    ).exists()


@pytest.mark.parametrize(
    ("titolo_inizia", "attesi", "fonti"),
    [
        (
            "Bando per l'attuazione degli interventi di sostegno volti al "
            "mantenimento dell'alloggio in locazione anche",
            (141, 136, None),
            [(81, 1), (13, 1), (42, 0)],
        ),
        (
            "Bando per l'attuazione degli interventi di sostegno volti al "
            "mantenimento dell'alloggio in locazione sul libero mercato anche",
            (137, 135, None),
            [(51, 1), (4, 2), (78, 1)],
        ),
        (
            "Bando per l'attuazione degli interventi di sostegno volti al "
            "mantenimento dell'alloggio in locazione sul libero mercato DGR",
            (227, 218, None),
            [(28, 1), (7, 1)],
        ),
    ],
)
def test_historical_bandi_of_seed_000_keep_their_printed_counts(
    ambito_a, titolo_inizia, attesi, fonti
):
    bando = Bando.objects.get(ambito=ambito_a, titolo__startswith=titolo_inizia)
    assert not bando.gestito
    assert (bando.n_pervenute, bando.n_accolte, bando.n_finanziate) == attesi
    assert [
        (f.n_finanziate, f.n_parziali) for f in bando.fonti.order_by("ordine")
    ] == fonti


def _testo(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_seed_plans_chapter_3_prints_the_same_figures(piano_a, piano_b):
    from piani.documento import documento_html

    testo = _testo(documento_html(piano_a))
    for frase in (
        "risultano pervenute n. 141 domande, di cui n. 136 accolte",
        "risultano pervenute n. 137 domande, di cui n. 135 accolte",
        "risultano pervenute n. 227 domande, di cui n. 218 accolte",
        "13 + 1 parzialmente finanziata",
        "51 + 1 parzialmente finanziata",
        "4 + 2 parzialmente finanziate",
        "78 + 1 parzialmente finanziata",
        "28 + 1 parzialmente finanziata",
        "7 + 1 parzialmente finanziata",
    ):
        assert frase in testo
    assert "Numero domande pervenute n. 487, finanziate 339" in _testo(
        documento_html(piano_b)
    )


def test_a_managed_bando_feeds_the_plan_document_from_its_records(
    piano_a, ambito_a, staff_a
):
    from piani.documento import documento_html

    sottosezione = piano_a.sottosezioni_strategie.filter(bando__isnull=False).last()
    bando = _bando_con_domande(ambito_a, pervenute=31, accolte=29, canone="200")
    fonte_crea(bando, assegnazione_di(ambito_a, 1001, 2023), "5000.00", 1)
    scorrimento_esegui(bando=bando, utente=staff_a)
    sottosezione.bando = bando
    sottosezione.save()
    testo = _testo(documento_html(piano_a))
    assert "risultano pervenute n. 31 domande, di cui n. 29 accolte" in testo


def test_the_demo_bando_does_not_change_the_seed_plan_document(piano_a, ambito_a):
    from misure.esempi import TITOLO_DEMO, bando_demo_carica
    from piani.documento import documento_html

    # its payments protect the sources: remove the runs (and their quotas) first
    Scorrimento.objects.filter(bando__titolo=TITOLO_DEMO).delete()
    Bando.objects.filter(ambito=ambito_a, titolo=TITOLO_DEMO).delete()
    senza = documento_html(piano_a)
    bando_demo_carica(ambito=ambito_a)
    assert documento_html(piano_a) == senza
