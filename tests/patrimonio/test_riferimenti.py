"""Reference data (comuni, ATS, ALER) and the one list of an ambito's enti."""

import pytest
from django.core.management import call_command

from ambiti.models import Ats, Comune
from patrimonio.models import EnteDellAmbito, EnteProprietario
from patrimonio.territorio import aler_del_territorio, enti_dell_ambito


@pytest.mark.django_db
def test_carica_riferimenti_loads_ats_and_aler_once(capsys):
    call_command("carica_riferimenti")
    call_command("carica_riferimenti")

    assert "ATS: 8; ALER: 5" in capsys.readouterr().out
    assert Ats.objects.count() == 8
    aler = EnteProprietario.objects.filter(tipo=EnteProprietario.Tipo.ALER)
    # The seeds' ALER is the reference one, not a second entity.
    assert aler.count() == 5
    bg = aler.get(denominazione="ALER Bergamo - Lecco - Sondrio")
    assert bg.sigle_province == "BG,LC,SO"
    assert Ats.objects.get(codice="327").sigle_province == "CR,MN"
    assert Comune.objects.count() == 1502


@pytest.mark.django_db
def test_aler_of_the_territory_follow_the_provinces():
    comuni = Comune.objects.filter(nome__in=["Lodi", "Cremona"])
    nomi = sorted(e.denominazione for e in aler_del_territorio(comuni))
    assert nomi == ["ALER Brescia - Cremona - Mantova", "ALER Pavia - Lodi"]


@pytest.mark.django_db
def test_seed_enti_are_linked_to_their_ambito(ambito_a, ambito_b):
    enti_a = enti_dell_ambito(ambito_a)
    assert enti_a.filter(tipo="aler").get().denominazione == (
        "ALER Bergamo - Lecco - Sondrio"
    )
    # The 24 comuni of ambito 9 and the ALER; nothing of ambito B.
    assert enti_a.filter(tipo="comune").count() == ambito_a.appartenenze.count()
    assert not enti_a.filter(comune__appartenenze__ambito=ambito_b).exists()
    # Seed 002 lists 19 enti: its 18 comuni and the same ALER.
    assert EnteDellAmbito.objects.filter(ambito=ambito_b).count() == 19
    assert enti_dell_ambito(ambito_b).count() == 19
