"""Tabelle per ente della piattaforma e popolazione ISTAT."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ambiti.models import PopolazioneComune
from patrimonio.services import popolazione_importa
from piani.importazioni import comunicazioni_importa, righe_conta
from tests.patrimonio.aiuti import csv_testo

CONSISTENZA = [
    "Ente Proprietario",
    "Numero Alloggi complessivi",
    "Numero Alloggi Servizio Abitativo Sociale (SAS)",
    "Numero Alloggi Servizio Abitativo Pubblico (SAP)",
    "Numero Alloggi altro uso residenziale",
]


def test_platform_headers_update_the_plan(tmp_path, piano_esempio):
    from piani.models import Comunicazione

    percorso = tmp_path / "a.csv"
    percorso.write_text(
        csv_testo(
            [
                ["COMUNE DI ARDESIO", "40", "0", "40", "0"],
                ["ALER BERGAMO-LECCO-SONDARIO", "63", "0", "63", "0"],
                ["COMUNE DI CLUSONE", "61", "0", "61", "0"],
            ],
            CONSISTENZA,
        ),
        encoding="utf-8-sig",
    )
    anteprima = comunicazioni_importa(piano=piano_esempio, percorso=percorso)
    assert anteprima.errori == []
    assert (anteprima.modificati, anteprima.invariati) == (1, 2)
    assert any("ALER BERGAMO-LECCO-SONDARIO" in a for a in anteprima.avvisi)
    esito = comunicazioni_importa(piano=piano_esempio, percorso=percorso, scrivi=True)
    assert esito.scritto
    ardesio = Comunicazione.objects.get(
        piano=piano_esempio, ente__comune__nome="Ardesio"
    )
    assert ardesio.alloggi_totali == 40 and ardesio.alloggi_sap == 40


def test_turn_over_table_with_the_second_platform_layout(tmp_path, piano_esempio):
    from piani.models import Comunicazione

    percorso = tmp_path / "b.csv"
    percorso.write_text(
        csv_testo(
            [["COMUNE DI CLUSONE", "4", "3"]],
            [
                "RAGIONE SOCIALE ENTE PROPRIETARIO",
                "NUMERO COMPLESSIVO U.I. DISPONIBILI NELL'ANNO",
                "NUMERO U.I. CHE SI LIBERERANNO PER EFFETTO DEL TURN OVER",
            ],
        )
    )
    esito = comunicazioni_importa(piano=piano_esempio, percorso=percorso, scrivi=True)
    assert esito.errori == [] and esito.colonne_sconosciute == []
    clusone = Comunicazione.objects.get(
        piano=piano_esempio, ente__comune__nome="Clusone"
    )
    assert (clusone.assegnabili_totale, clusone.assegnabili_turnover) == (4, 3)


def test_frozen_plan_refuses_the_import(tmp_path, piano_esempio):
    piano_esempio.stato = "approvato"
    percorso = tmp_path / "a.csv"
    percorso.write_text(
        csv_testo([["COMUNE DI ARDESIO", "1", "0", "1", "0"]], CONSISTENZA)
    )
    esito = comunicazioni_importa(piano=piano_esempio, percorso=percorso, scrivi=True)
    assert "approvato" in esito.errori[0]


ISTAT = (
    "Popolazione residente al 1° gennaio 2025 - Provincia di Bergamo\r\n"
    "Codice comune;Comune;Età;Totale Maschi;Totale Femmine;Totale\r\n"
    "016077;Clusone;0;30;31;61\r\n"
    "016077;Clusone;999;4300;4400;8700\r\n"
    "016012;Ardesio;999;1700;1800;3500\r\n"
)


def test_istat_demographic_csv(tmp_path, anagrafe_base):
    percorso = tmp_path / "istat.csv"
    percorso.write_text(ISTAT, encoding="utf-8")
    esito = popolazione_importa(percorso=percorso, scrivi=True)
    assert esito.errori == []
    assert esito.creati == 2
    clusone = PopolazioneComune.objects.get(
        comune__codice_istat="016077", data=date(2025, 1, 1)
    )
    assert clusone.popolazione == 8700
    ripetuto = popolazione_importa(percorso=percorso)
    assert ripetuto.invariati == 2


def test_population_command_fails_on_a_bad_file(tmp_path, anagrafe_base, capsys):
    percorso = tmp_path / "istat.csv"
    percorso.write_text(ISTAT.replace("3500", "-3"), encoding="utf-8")
    prima = righe_conta()
    with pytest.raises(CommandError):
        call_command("importa_popolazione", str(percorso))
    assert "Riga 5, colonna Totale: valore negativo" in capsys.readouterr().err
    assert righe_conta() == prima


def test_enti_command(tmp_path, piano_esempio, capsys):
    percorso = tmp_path / "a.csv"
    percorso.write_text(
        csv_testo([["COMUNE DI ARDESIO", "36", "0", "36", "0"]], CONSISTENZA)
    )
    call_command(
        "importa_enti", str(percorso), "--piano", "valle-seriana-superiore", "2026"
    )
    assert "Invariati: 1" in capsys.readouterr().out.replace("invariati", "Invariati")


def test_istat_csv_with_commas_and_quotes(tmp_path, anagrafe_base):
    percorso = tmp_path / "istat.csv"
    testo = (
        '"Popolazione residente al 1° gennaio 2024"\r\n'
        '"Codice comune","Comune","Età","Totale maschi","Totale femmine","Totale"\r\n'
        '"016077","Clusone","999","4300","4410","8710"\r\n'
        '"016077","Clusone","0","30","31","61"\r\n'
    )
    percorso.write_bytes(testo.encode("cp1252"))
    esito = popolazione_importa(percorso=percorso, scrivi=True)
    assert esito.errori == [] and esito.creati == 1
    assert (
        PopolazioneComune.objects.get(
            comune__codice_istat="016077", data=date(2024, 1, 1)
        ).popolazione
        == 8710
    )


def test_an_ente_of_another_ambito_is_not_matched(tmp_path, piano_esempio):
    percorso = tmp_path / "a.csv"
    # Albino è del seed 002 (Valle Seriana), non dell'ambito del piano 2026.
    percorso.write_text(
        csv_testo([["COMUNE DI ALBINO", "3", "0", "3", "0"]], CONSISTENZA)
    )
    esito = comunicazioni_importa(piano=piano_esempio, percorso=percorso)
    assert esito.errori and esito.errori[0].startswith(
        "Riga 2, colonna Ente Proprietario: «COMUNE DI ALBINO» non corrisponde"
    )


def test_istat_wide_layout_with_sex_columns(tmp_path, anagrafe_base):
    """The newer export: one row per comune, males, females and total side by side,
    the date in the title."""
    percorso = tmp_path / "istat.csv"
    percorso.write_text(
        "Popolazione residente al 1° gennaio 2027\n"
        "Fonte: ISTAT\n"
        "Codice comune,Comune,Totale maschi,Totale femmine,Totale\n"
        "016077,Clusone,4300,4411,8711\n"
        "016012,Ardesio,1700,1801,3501\n",
        encoding="utf-8",
    )
    esito = popolazione_importa(percorso=percorso, scrivi=True)
    assert esito.errori == [] and esito.creati == 2
    assert (
        PopolazioneComune.objects.get(
            comune__codice_istat="016012", data=date(2027, 1, 1)
        ).popolazione
        == 3501
    )


def test_istat_territory_layout_keeps_only_the_total_of_both_sexes(
    tmp_path, anagrafe_base
):
    percorso = tmp_path / "istat.csv"
    percorso.write_text(
        "ITTER107;Territorio;Sesso;Età;Totale\n"
        "016077;Clusone;maschi;totale;4300\n"
        "016077;Clusone;femmine;totale;4412\n"
        "016077;Clusone;totale;totale;8712\n",
        encoding="utf-8",
    )
    esito = popolazione_importa(percorso=percorso, data=date(2028, 1, 1), scrivi=True)
    assert esito.errori == [] and esito.creati == 1
    assert (
        PopolazioneComune.objects.get(
            comune__codice_istat="016077", data=date(2028, 1, 1)
        ).popolazione
        == 8712
    )


def test_istat_file_without_a_date_asks_for_it(tmp_path, anagrafe_base):
    percorso = tmp_path / "istat.csv"
    percorso.write_text(
        "Codice comune;Comune;Totale\n016077;Clusone;8700\n", encoding="utf-8"
    )
    esito = popolazione_importa(percorso=percorso)
    assert esito.errori == [
        "Manca la data di riferimento: aggiungere una colonna Data o indicarla."
    ]


def test_staff_cannot_change_another_ambitos_population(tmp_path, staff_b):
    """One owner for a comune's data: Clusone belongs to another ambito."""
    from patrimonio.services.importazioni import _comuni_ammessi

    percorso = tmp_path / "istat.csv"
    percorso.write_text(ISTAT, encoding="utf-8")
    prima = PopolazioneComune.objects.count()
    esito = popolazione_importa(
        percorso=percorso, scrivi=True, comuni_ammessi=_comuni_ammessi(staff_b)
    )
    assert not esito.scritto
    assert any(
        "non appartiene agli ambiti che gestisci" in e and "Clusone" in e
        for e in esito.errori
    ), esito.errori
    assert PopolazioneComune.objects.count() == prima
