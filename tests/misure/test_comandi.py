from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from misure.models import Domanda, Scorrimento

from .factories import assegnazione_di, bando_crea, domanda_crea, fonte_crea


def test_the_command_ranks_and_funds_like_the_page(ambito_a, staff_a):
    bando = bando_crea(ambito_a)
    Domanda.objects.bulk_create([domanda_crea(bando, n) for n in range(6)])
    fonte_crea(bando, assegnazione_di(ambito_a, 5292, 2025), "10000.00", 1)
    uscita = StringIO()
    call_command(
        "graduatoria",
        bando.pk,
        "--scorrimento",
        "--utente",
        staff_a.username,
        stdout=uscita,
    )
    assert "6 domande ammesse" in uscita.getvalue()
    assert "4 domande finanziate" in uscita.getvalue()
    assert Scorrimento.objects.get(bando=bando).eseguito_da == staff_a


def test_the_command_refuses_a_historical_bando(ambito_a):
    storico = ambito_a.bandi.filter(gestito=False).first()
    with pytest.raises(CommandError):
        call_command("graduatoria", storico.pk)
