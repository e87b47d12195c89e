"""`crea_ambito FILE`: many ambiti from one regional file, all-or-nothing, every bad
row named with its line and, for an unknown comune, the closest suggestions.
The ambiti are invented (Cremona, Mantova, Pavia, Lodi: no seed comune)."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from ambiti.models import Ambito, AmbitoComune, SubAmbito
from patrimonio.models import EnteDellAmbito, EnteProprietario
from patrimonio.territorio import enti_dell_ambito

TRE_AMBITI = """ambito;slug;capofila;comune;sub_ambito;ats
Ambito Prova Casalasco;prova-casalasco;Calvatone;Calvatone;Nord;327
Ambito Prova Casalasco;prova-casalasco;Calvatone;Spineda;Nord;327
Ambito Prova Casalasco;prova-casalasco;Calvatone;019092;Sud;327
Ambito Prova Mantovano;prova-mantovano;Goito;Goito;;ATS della Val Padana
Ambito Prova Mantovano;prova-mantovano;Goito;Castellucchio;;
Ambito Prova Lodigiano;prova-lodigiano;Bertonico;Bertonico;;
Ambito Prova Lodigiano;prova-lodigiano;Bertonico;Corno Giovine;;
Ambito Prova Lodigiano;prova-lodigiano;Bertonico;San Rocco al Porto;;
"""


def _scrivi(tmp_path: Path, testo: str, nome: str = "ambiti.csv") -> str:
    percorso = tmp_path / nome
    percorso.write_text(testo, encoding="utf-8")
    return str(percorso)


@pytest.mark.django_db
def test_it_creates_three_ambiti_with_their_enti(tmp_path, capsys):
    call_command("crea_ambito", _scrivi(tmp_path, TRE_AMBITI))

    casalasco = Ambito.objects.get(slug="prova-casalasco")
    # «Ambito» is not stored in the name: pages and the plan add it.
    assert casalasco.nome == "Prova Casalasco"
    assert casalasco.comune_capofila.nome == "Calvatone"
    assert casalasco.provincia == "Cremona"
    assert casalasco.ats.codice == "327"
    nomi = sorted(casalasco.comuni.values_list("nome", flat=True))
    assert nomi == ["Calvatone", "Scandolara Ravara", "Spineda"]
    assert list(casalasco.sub_ambiti.values_list("nome", flat=True)) == ["Nord", "Sud"]
    assert (
        AmbitoComune.objects.get(
            ambito=casalasco, comune__nome="Scandolara Ravara"
        ).sub_ambito.nome
        == "Sud"
    )
    enti = set(enti_dell_ambito(casalasco).values_list("denominazione", flat=True))
    assert enti == {
        "Comune di Calvatone",
        "Comune di Spineda",
        "Comune di Scandolara Ravara",
        "ALER Brescia - Cremona - Mantova",
    }
    lodigiano = Ambito.objects.get(slug="prova-lodigiano")
    assert lodigiano.ats is None
    assert "ALER Pavia - Lodi" in set(
        enti_dell_ambito(lodigiano).values_list("denominazione", flat=True)
    )
    assert Ambito.objects.get(slug="prova-mantovano").ats.nome == (
        "ATS della Val Padana"
    )
    assert "prova-lodigiano" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_reads_an_xlsx_with_commas_or_numeric_istat_codes(tmp_path):
    libro = Workbook()
    foglio = libro.active
    foglio.append(["ambito", "slug", "capofila", "comune"])
    foglio.append(["Ambito Prova Xlsx", "prova-xlsx", "Cremona", 19036])  # no zero
    foglio.append(["Ambito Prova Xlsx", "prova-xlsx", "Cremona", "Ostiano"])
    percorso = tmp_path / "ambiti.xlsx"
    libro.save(percorso)

    call_command("crea_ambito", str(percorso), verbosity=0)

    ambito = Ambito.objects.get(slug="prova-xlsx")
    assert sorted(ambito.comuni.values_list("nome", flat=True)) == [
        "Cremona",
        "Ostiano",
    ]


@pytest.mark.django_db
def test_one_misspelled_comune_writes_nothing_and_names_line_and_suggestions(
    tmp_path, capsys
):
    enti_prima = EnteProprietario.objects.count()
    link_prima = EnteDellAmbito.objects.count()
    testo = TRE_AMBITI.replace("Castellucchio", "Castelluchhio")

    with pytest.raises(CommandError, match="nessun ambito creato"):
        call_command("crea_ambito", _scrivi(tmp_path, testo))

    errori = capsys.readouterr().err
    assert "Riga 6, colonna comune" in errori
    assert "Castellucchio" in errori  # the suggestion
    assert not Ambito.objects.filter(slug__startswith="prova-").exists()
    assert not SubAmbito.objects.filter(nome="Nord").exists()
    assert EnteProprietario.objects.count() == enti_prima
    assert EnteDellAmbito.objects.count() == link_prima


@pytest.mark.django_db
def test_every_bad_row_is_reported_in_one_pass(tmp_path, capsys):
    testo = (
        TRE_AMBITI.replace("Spineda;", "Xyzzyq;")
        # Clusone is in the seed ambito 9: refused, naming that ambito.
        .replace("San Rocco al Porto", "Clusone")
        .replace("Goito;Goito;;ATS della Val Padana", "Goito;Goito;;ATS inventata")
    )

    with pytest.raises(CommandError):
        call_command("crea_ambito", _scrivi(tmp_path, testo))

    errori = capsys.readouterr().err
    assert "Riga 3, colonna comune: «Xyzzyq» non corrisponde a nessun comune" in errori
    assert "Riga 9, colonna comune: Clusone appartiene già all'ambito" in errori
    assert "Valle Seriana Superiore" in errori
    assert "Riga 5, colonna ats: «ATS inventata»" in errori
    assert not Ambito.objects.filter(slug__startswith="prova-").exists()


@pytest.mark.django_db
def test_it_refuses_an_existing_slug_a_foreign_capofila_and_missing_columns(
    tmp_path, capsys
):
    testo = (
        "ambito,slug,capofila,comune\n"
        "Doppione,valle-seriana,Lodi,Lodi\n"
        "Prova,prova-capofila,Cremona,Ostiano\n"
    )
    with pytest.raises(CommandError):
        call_command("crea_ambito", _scrivi(tmp_path, testo))
    errori = capsys.readouterr().err
    assert "Riga 2, colonna slug: esiste già un ambito «valle-seriana»" in errori
    assert "Riga 3, colonna capofila: «Cremona» non è uno dei comuni" in errori

    with pytest.raises(CommandError):
        call_command("crea_ambito", _scrivi(tmp_path, "ambito;slug\nA;a\n", "b.csv"))
    assert "Colonne mancanti: capofila, comune" in capsys.readouterr().err
    assert not Ambito.objects.filter(slug="prova-capofila").exists()
