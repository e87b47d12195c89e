"""Audit of personal data and money: every change of a domanda (and its
deletion) is on record, every view of personal data from the admin is logged as
from the pages, and a graduatoria run is superseded with its quotas, never
deleted."""

from decimal import Decimal

import pytest
from django.urls import reverse

from misure import services
from misure.models import AccessoDatiPersonali, Domanda, Erogazione, Scorrimento

from .factories import assegnazione_di, bando_crea, domanda_crea, fonte_crea


@pytest.fixture
def bando(ambito_a):
    bando = bando_crea(ambito_a, titolo="Bando sotto controllo")
    for n in (1, 2, 3):
        domanda_crea(bando, n).save()
    fonte_crea(bando, assegnazione_di(ambito_a, 5292, 2025), "2500.00", 1)
    services.graduatoria_calcola(bando=bando)
    bando.refresh_from_db()
    return bando


def test_changes_and_deletion_of_a_domanda_are_on_record(bando, staff_a):
    domanda = bando.domande.order_by("pk").first()
    domanda.isee = Decimal("9999.00")
    domanda._history_user = staff_a
    domanda.save()
    voci = list(domanda.history.order_by("history_date"))
    assert [v.history_type for v in voci][-1] == "~"
    assert voci[-1].isee == Decimal("9999.00")
    assert voci[-2].isee != Decimal("9999.00")
    pk = domanda.pk
    domanda._history_user = staff_a
    domanda.delete()
    cancellazione = Domanda.history.filter(id=pk).latest("history_date")
    assert cancellazione.history_type == "-"
    assert cancellazione.history_user == staff_a
    assert cancellazione.protocollo  # the record keeps what was deleted


def test_a_recomputed_graduatoria_keeps_the_earlier_run_and_its_quotas(bando, staff_a):
    primo = services.scorrimento_esegui(bando=bando, utente=staff_a)
    quote = Erogazione.objects.filter(scorrimento=primo).count()
    assert quote > 0
    services.graduatoria_calcola(bando=bando)
    bando.refresh_from_db()
    primo.refresh_from_db()
    assert primo.superato_il is not None
    # Kept, not in force: the pages count only the runs in force.
    assert Erogazione.tutte.filter(scorrimento=primo).count() == quote
    assert not Erogazione.objects.filter(domanda__bando=bando).exists()
    secondo = services.scorrimento_esegui(bando=bando, utente=staff_a)
    assert secondo.superato_il is None
    assert Scorrimento.objects.filter(bando=bando).count() == 2
    assert Erogazione.objects.filter(domanda__bando=bando).count() == quote
    assert Erogazione.tutte.filter(domanda__bando=bando).count() == 2 * quote


def test_admin_views_of_domande_are_logged(client_admin, admin_user, bando):
    domanda = bando.domande.order_by("pk").first()
    prima = AccessoDatiPersonali.objects.count()
    url = reverse("admin:misure_domanda_change", args=[domanda.pk])
    assert client_admin.get(url).status_code == 200
    accesso = AccessoDatiPersonali.objects.latest("pk")
    assert (accesso.utente, accesso.domanda, accesso.vista) == (
        admin_user,
        domanda,
        "admin: domanda",
    )
    elenco = client_admin.get(reverse("admin:misure_domanda_changelist"))
    assert elenco.status_code == 200
    registrati = AccessoDatiPersonali.objects.filter(vista="admin: elenco domande")
    assert registrati.filter(domanda=domanda).exists()
    assert AccessoDatiPersonali.objects.count() > prima + 1
