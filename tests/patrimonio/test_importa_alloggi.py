"""Importazione dell'anagrafe: tutto o niente, ogni riga errata riportata, upsert
per codice con nuovi / modificati / invariati / mancanti."""

import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from patrimonio.models import Alloggio
from patrimonio.services import alloggi_importa
from piani.importazioni import righe_conta
from tests.patrimonio.aiuti import (
    righe_alloggi,
    scrivi_csv,
    scrivi_xlsx,
)

ERRORI = [
    (9, "libbero", "colonna Stato: valore 'libbero' non riconosciuto"),
    (8, "ERPX", "colonna Servizio: valore 'ERPX' non riconosciuto"),
    (7, -3, "colonna Vani: valore negativo"),
    (6, "tanti", "colonna Superficie (m²): «tanti» non è un numero"),
    (2, "Xyzzyville", "colonna Codice ISTAT comune: «Xyzzyville» non corrisponde"),
    (11, "31/02/2020", "colonna Ultimo aggiornamento: data '31/02/2020' inesistente"),
]


def _file_con_37_errori(tmp_path):
    righe = righe_alloggi(5000)
    casuale = random.Random(37)
    errate = sorted(casuale.sample(range(5000), 37))
    attesi = {}
    for n, indice in enumerate(errate):
        colonna, valore, messaggio = ERRORI[n % len(ERRORI)]
        righe[indice][colonna] = valore
        attesi[indice + 2] = messaggio  # riga 1 = intestazione
    return righe, errate, attesi


def test_37_bad_rows_give_37_messages_and_nothing_is_written(tmp_path, anagrafe_base):
    righe, errate, attesi = _file_con_37_errori(tmp_path)
    percorso = scrivi_xlsx(tmp_path / "anagrafe.xlsx", righe)
    prima = righe_conta()

    esito = alloggi_importa(percorso=percorso, scrivi=True)

    assert len(esito.errori) == 37
    assert esito.righe_errate == 37
    for messaggio, (riga, atteso) in zip(
        esito.errori, sorted(attesi.items()), strict=True
    ):
        assert messaggio == f"Riga {riga}, {atteso}" or messaggio.startswith(
            f"Riga {riga}, {atteso}"
        ), messaggio
    assert not esito.scritto
    assert righe_conta() == prima

    # Il file corretto si importa tutto.
    corrette = righe_alloggi(5000)
    percorso = scrivi_xlsx(tmp_path / "anagrafe-corretta.xlsx", corrette)
    esito = alloggi_importa(percorso=percorso, scrivi=True)
    assert esito.errori == []
    assert esito.scritto
    assert esito.creati == 5000
    assert Alloggio.objects.count() == prima["alloggi"] + 5000
    alloggio = Alloggio.objects.get(codice="BG-000004")
    assert alloggio.comune.codice_istat == "016012"  # Ardesio
    assert str(alloggio.superficie_mq) == "44.50"
    assert alloggio.stato == "libero" and alloggio.servizio == "SAT"


def test_reimport_upserts_and_reports_changed_unchanged_missing(
    tmp_path, anagrafe_base
):
    righe = righe_alloggi(30)
    alloggi_importa(percorso=scrivi_csv(tmp_path / "a.csv", righe), scrivi=True)
    nuove = righe_alloggi(32)
    del nuove[5]  # BG-000005 manca
    nuove[0][9] = "occupato"  # BG-000000 era libero
    nuove[1][7] = 6  # vani cambiati

    anteprima = alloggi_importa(percorso=scrivi_csv(tmp_path / "b.csv", nuove))
    assert (anteprima.creati, anteprima.modificati, anteprima.mancanti) == (2, 2, 1)
    assert anteprima.invariati == 27
    assert anteprima.esempi["mancanti"] == ["BG-000005"]
    assert Alloggio.objects.get(codice="BG-000000").stato == "libero"  # solo anteprima

    esito = alloggi_importa(percorso=scrivi_csv(tmp_path / "b.csv", nuove), scrivi=True)
    assert esito.scritto
    assert Alloggio.objects.get(codice="BG-000000").stato == "occupato"
    assert Alloggio.objects.get(codice="BG-000001").vani == 6
    assert (
        Alloggio.objects.filter(codice__startswith="BG-").count() == 32
    )  # nessuna cancellazione

    di_nuovo = alloggi_importa(percorso=scrivi_csv(tmp_path / "b.csv", nuove))
    assert (di_nuovo.creati, di_nuovo.modificati, di_nuovo.invariati) == (0, 0, 31)


def test_cp1252_csv_with_comma_and_misspelt_ente_warns(tmp_path, anagrafe_base):
    righe = righe_alloggi(3)
    righe[0][1] = "ALER BERGAMO-LECCO-SONDARIO"
    righe[1][2] = "Clusone"  # nome invece del codice ISTAT
    righe[1][3] = "Piazza Sant'Andrea è qui"
    percorso = tmp_path / "a.csv"
    testo = "\r\n".join(
        ",".join(f'"{c}"' for c in r)
        for r in [["Codice", "Proprietario", "Comune", "Via", "Servizio", "Stato"]]
        + [[r[0], r[1], r[2], r[3], r[8], r[9]] for r in righe]
    )
    percorso.write_bytes(testo.encode("cp1252"))
    esito = alloggi_importa(percorso=percorso, scrivi=True)
    assert esito.errori == []
    assert any("ALER BERGAMO-LECCO-SONDARIO" in a for a in esito.avvisi)
    assert (
        Alloggio.objects.get(codice="BG-000001").indirizzo == "Piazza Sant'Andrea è qui"
    )


def test_remembered_mapping_lets_an_unknown_column_in(tmp_path, anagrafe_base):
    from patrimonio.services import mappatura_ricorda

    righe = [[r[0], r[1], r[2], r[8], r[9], r[7]] for r in righe_alloggi(3)]
    intestazioni = ["Codice", "Ente", "ISTAT", "Servizio", "Stato", "Stanze"]
    percorso = scrivi_xlsx(tmp_path / "a.xlsx", righe, intestazioni)
    esito = alloggi_importa(percorso=percorso)
    assert esito.colonne_sconosciute == ["Stanze"]
    mappatura_ricorda(tipo="alloggi", mappatura={"Stanze": "vani"})
    esito = alloggi_importa(percorso=percorso, scrivi=True)
    assert esito.colonne_sconosciute == []
    assert Alloggio.objects.get(codice="BG-000002").vani == 3


def test_command_exits_non_zero_and_prints_the_report(tmp_path, anagrafe_base, capsys):
    righe = righe_alloggi(10)
    righe[3][9] = "libbero"
    percorso = scrivi_xlsx(tmp_path / "a.xlsx", righe)
    with pytest.raises(CommandError):
        call_command("importa_alloggi", str(percorso))
    assert (
        "Riga 5, colonna Stato: valore 'libbero' non riconosciuto"
        in capsys.readouterr().err
    )
    righe[3][9] = "libero"
    call_command("importa_alloggi", str(scrivi_xlsx(tmp_path / "b.xlsx", righe)))
    assert "Nuovi: 10" in capsys.readouterr().out
    from patrimonio.models import Importazione

    rifiutata, completata = Importazione.objects.order_by("creata_il", "pk")
    assert (rifiutata.stato, rifiutata.righe_errate) == ("rifiutata", 1)
    assert (completata.stato, completata.creati) == ("completata", 10)
    assert completata.nome_file == "b.xlsx" and len(completata.sha256) == 64


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_write_checks_foreign_keys_at_the_end(
    tmp_path, anagrafe_base
):
    """Fuori da una transazione (comando, worker) su SQLite i controlli delle
    chiavi esterne sono sospesi e rifatti sulla tabella prima del commit."""
    esito = alloggi_importa(
        percorso=scrivi_xlsx(tmp_path / "a.xlsx", righe_alloggi(50)), scrivi=True
    )
    assert esito.scritto
    assert Alloggio.objects.filter(codice__startswith="BG-").count() == 50
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursore:
            assert cursore.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_units_of_other_comuni_are_not_reported_missing(tmp_path, anagrafe_base):
    righe = righe_alloggi(6)
    altrove = list(righe[1])  # un alloggio ALER a Bergamo, fuori da questo file
    altrove[0], altrove[2] = "BG-ALTROVE", "016024"
    alloggi_importa(
        percorso=scrivi_csv(tmp_path / "a.csv", [*righe, altrove]), scrivi=True
    )
    esito = alloggi_importa(percorso=scrivi_csv(tmp_path / "b.csv", righe[:5]))
    assert esito.esempi["mancanti"] == ["BG-000005"]
