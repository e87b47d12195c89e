"""A bando's funding sources against its amount: one rule (misure.fonti) for the
bando page, the plan's checks and approval. The issue's case: a €1.000 bando
funded by €500 plus a source without an amount."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from misure.fonti import fonti_confronta
from piani import ciclo
from piani.anomalie import Codice, anomalie_aperte, anomalie_calcola
from tests.misure.factories import assegnazione_di, bando_crea, fonte_crea
from tests.piani.test_ciclo import media_tmp, pdf_finto, riscontra_tutte  # noqa: F401


def _bando_scoperto(ambito):
    bando = bando_crea(ambito, importo=Decimal("1000.00"))
    fonte_crea(bando, assegnazione_di(ambito, 9001, 2025), Decimal("500.00"), 1)
    fonte_crea(bando, assegnazione_di(ambito, 9002, 2025), None, 2)
    return bando


def test_the_rule_sees_the_missing_amount(ambito_a):
    confronto = fonti_confronta(_bando_scoperto(ambito_a))
    assert confronto.somma == Decimal("500.00")
    assert confronto.senza_importo == 1
    assert not confronto.quadra


def test_it_is_an_anomalia_of_the_plan_and_approval_waits(
    piano_a,
    staff_a,
    ambito_a,
    media_tmp,  # noqa: F811
):
    riscontra_tutte(piano_a, staff_a)  # the seed's own anomalie, acknowledged
    bando_scoperto = _bando_scoperto(ambito_a)
    fonti = [a for a in anomalie_calcola(piano_a) if a.codice == Codice.FONTI_BANDO]
    assert len(fonti) == 1
    assert "1 fonti di finanziamento senza importo" in fonti[0].messaggio
    assert "500,00" in fonti[0].messaggio and "1.000,00" in fonti[0].messaggio
    # The link comes from the record: the bando's own form, at the amount.
    assert fonti[0].url == bando_scoperto.url_modifica() + "#id_importo"
    assert [a.codice for a in anomalie_aperte(piano_a)] == [Codice.FONTI_BANDO]
    with pytest.raises(ValidationError, match="anomalie non risolte"):
        ciclo.piano_approva(
            piano=piano_a,
            utente=staff_a,
            organo="Assemblea dei Sindaci",
            data=date(2026, 3, 12),
            luogo="Clusone",
            renderer=pdf_finto,
        )
    # Writing the missing amount fixes it: no anomalia left.
    fonte = bando_scoperto.fonti.get(importo__isnull=True)
    fonte.importo = Decimal("500.00")
    fonte.save()
    assert not [a for a in anomalie_calcola(piano_a) if a.codice == Codice.FONTI_BANDO]


def test_sources_that_add_up_are_no_anomalia(piano_a, ambito_a):
    bando = bando_crea(ambito_a, importo=Decimal("800.00"))
    fonte_crea(bando, assegnazione_di(ambito_a, 9003, 2025), Decimal("300.00"), 1)
    fonte_crea(bando, assegnazione_di(ambito_a, 9004, 2025), Decimal("500.00"), 2)
    assert fonti_confronta(bando).quadra
    assert not [a for a in anomalie_calcola(piano_a) if a.codice == Codice.FONTI_BANDO]


def test_every_link_of_the_seed_anomalie_opens_a_page(client_staff_a, piano_a):
    anomalie = [a for a in anomalie_calcola(piano_a) if a.url]
    assert anomalie, "the seed has anomalie with a record to fix"
    for anomalia in anomalie:
        assert anomalia.url.startswith(anomalia.record.url_modifica())
        indirizzo = anomalia.url.split("#")[0]
        assert client_staff_a.get(indirizzo).status_code == 200, anomalia.url
