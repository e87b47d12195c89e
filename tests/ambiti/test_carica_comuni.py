"""Comuni lombardi dall'elenco ISTAT: 1.502, per codice ISTAT, caricati in modo
idempotente."""

import csv

import pytest
from django.core.management import call_command

from ambiti.models import Comune
from ambiti.services import COMUNI_CSV, comuni_carica

pytestmark = pytest.mark.django_db


def test_il_file_ha_i_1502_comuni_lombardi_con_codici_di_6_cifre():
    with open(COMUNI_CSV, encoding="utf-8", newline="") as handle:
        righe = list(csv.DictReader(handle))
    assert len(righe) == 1502
    codici = [r["codice_istat"] for r in righe]
    assert len(set(codici)) == 1502
    assert all(len(c) == 6 and c.isdigit() for c in codici)
    assert {r["regione"] for r in righe} == {"Lombardia"}


@pytest.mark.parametrize(
    ("codice", "nome", "sigla"),
    [
        ("012001", "Agra", "VA"),  # zero iniziale conservato
        ("015146", "Milano", "MI"),
        ("016077", "Clusone", "BG"),
        ("016163", "Piario", "BG"),
        ("016241", "Villa d'Ogna", "BG"),
        ("016064", "Castione della Presolana", "BG"),
        ("016067", "Cazzano Sant'Andrea", "BG"),
    ],
)
def test_comuni_noti_con_il_loro_codice_istat(codice, nome, sigla):
    comune = Comune.objects.get(codice_istat=codice)
    assert comune.nome == nome
    assert comune.sigla_provincia == sigla
    assert comune.regione == "Lombardia"


def test_caricati_tutti_e_solo_i_comuni_lombardi():
    assert Comune.objects.count() == 1502
    assert Comune.objects.filter(provincia="Bergamo").count() == 243
    assert not Comune.objects.exclude(regione="Lombardia").exists()


def test_ricaricare_non_cambia_nulla():
    prima = list(Comune.objects.order_by("codice_istat").values())
    assert comuni_carica() == 1502
    assert list(Comune.objects.order_by("codice_istat").values()) == prima


def test_aggiorna_per_codice_istat_senza_duplicare(tmp_path):
    percorso = tmp_path / "comuni.csv"
    percorso.write_text(
        "codice_istat,nome,provincia,sigla_provincia,regione,superficie_kmq\n"
        "016077,Clusone (prova),Bergamo,BG,Lombardia,26.29\n",
        encoding="utf-8",
    )
    assert comuni_carica(percorso=percorso) == 1
    clusone = Comune.objects.get(codice_istat="016077")
    assert clusone.nome == "Clusone (prova)"
    assert str(clusone.superficie_kmq) == "26.29"
    assert Comune.objects.count() == 1502


def test_comando_carica_comuni(capsys):
    call_command("carica_comuni")
    assert "Comuni caricati: 1.502" in capsys.readouterr().out
