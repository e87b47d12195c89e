"""The bulk row check (pianocasa.righe) says what the web form says, word for
word, and the bulk INSERT (pianocasa.scrittura) stores what the ORM would."""

import pytest

from misure.forms import DomandaImportForm
from misure.models import Domanda
from pianocasa.righe import ControlloRighe
from pianocasa.scrittura import oggetti_inserisci

from .factories import bando_crea

BUONA = {
    "protocollo": "00001/2026",
    "data_protocollo": "10/02/2026",
    "cognome": "Bonetti",
    "nome": "Giulia",
    "codice_fiscale": "RSSMRA80A01H501U",
    "data_nascita": "01/01/1980",
    "comune_residenza": "016077",
    "componenti": "3",
    "minori": "1",
    "isee": "9.876,54",
    "canone_mensile": "420",
    "contratto_registrato": "sì",
    "mesi_alloggio": "30",
    "inquilino_sap_sat": "no",
    "altri_contributi_data": "",
    "procedura": "",
}
VARIANTI = [
    {},
    {"isee": "tanto"},
    {"isee": "-5"},
    {"componenti": "0"},
    {"componenti": "2", "minori": "2"},
    {"componenti": "x", "minori": "2"},
    {"codice_fiscale": "RSSMRA80A01H501X"},
    {"codice_fiscale": "corto"},
    {"comune_residenza": "999999"},
    {"data_protocollo": "31/02/2026"},
    {"contratto_registrato": "forse"},
    {"procedura": "sfratto in esecuzione"},
    {"procedura": "boh"},
    {"protocollo": "00009/2026"},  # already in the bando
    {"protocollo": ""},
    {"cognome": "x" * 101},
]


@pytest.fixture
def bando(ambito_a):
    bando = bando_crea(ambito_a)
    form = DomandaImportForm(
        data={**BUONA, "protocollo": "00009/2026"}, instance=Domanda(bando=bando)
    )
    assert form.is_valid(), form.errors
    form.save()
    return bando


def _errori_del_form(dati, bando) -> dict:
    form = DomandaImportForm(data=dati, instance=Domanda(bando=bando))
    form.is_valid()
    return {campo: sorted(testi) for campo, testi in form.errors.items()}


@pytest.mark.parametrize("variante", VARIANTI, ids=lambda v: ",".join(v) or "buona")
def test_the_bulk_check_says_what_the_form_says(bando, variante):
    controllo = ControlloRighe(
        DomandaImportForm(
            instance=Domanda(bando=bando),
            protocolli_presenti=set(bando.domande.values_list("protocollo", flat=True)),
        ),
        nuova=lambda: Domanda(bando=bando),
    )
    dati = {**BUONA, **variante}
    # twice: the second answer comes from the memory of cleaned values
    for _volta in range(2):
        domanda, errori = controllo.istanza(dati)
        attesi = _errori_del_form(dati, bando)
        assert {c: sorted(t) for c, t in errori.items()} == attesi
        assert (domanda is None) == bool(attesi)


def test_the_bulk_insert_stores_what_the_orm_stores(bando):
    form = DomandaImportForm(
        data={**BUONA, "protocollo": "A/1", "procedura": "convalida"},
        instance=Domanda(bando=bando),
    )
    assert form.is_valid(), form.errors
    modello = form.instance
    copie = []
    for numero in range(3):
        copia = Domanda(bando=bando)
        for campo in Domanda._meta.concrete_fields:
            if not campo.primary_key:
                setattr(copia, campo.attname, getattr(modello, campo.attname))
        copia.protocollo = f"B/{numero}"
        copia.motivi_esclusione = [f"motivo {numero}"]
        copie.append(copia)
    assert oggetti_inserisci(copie) == 3
    modello.save()
    salvata = Domanda.objects.get(bando=bando, protocollo="B/2")
    attesa = Domanda.objects.get(pk=modello.pk)
    for campo in Domanda._meta.concrete_fields:
        if campo.name in {"id", "protocollo", "motivi_esclusione", "versione"}:
            continue
        assert getattr(salvata, campo.attname) == getattr(attesa, campo.attname)
    assert salvata.motivi_esclusione == ["motivo 2"]
    assert str(salvata.isee) == "9876.54"
