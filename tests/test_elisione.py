"""Italian articulated prepositions chosen by the name, and history types in
Italian."""

import pytest
from django.template import engines
from django.urls import reverse

from ambiti.models import Ambito
from pianocasa.elisione import preposizione_articolata
from pianocasa.parole import tipo_storia


@pytest.mark.parametrize(
    ("nome", "preposizione", "atteso"),
    [
        ("Valle Seriana", "di", "della Valle Seriana"),
        (
            "Ambito 9 – Valle Seriana Superiore",
            "di",
            "dell'Ambito 9 – Valle Seriana Superiore",
        ),
        ("Isola Bergamasca", "di", "dell'Isola Bergamasca"),
        ("Alto Sebino", "di", "dell'Alto Sebino"),
        ("Sebino", "di", "del Sebino"),
        ("Stelvio Inventato", "di", "dello Stelvio Inventato"),
        ("Lago Inventato", "in", "nel Lago Inventato"),
        ("Bassa Pianura Inventata", "a", "alla Bassa Pianura Inventata"),
        ("Valli Inventate", "di", "delle Valli Inventate"),
        ("Comuni dell'Altopiano", "di", "dei Comuni dell'Altopiano"),
        ("", "di", ""),
    ],
)
def test_preposition_by_name(nome, preposizione, atteso):
    assert preposizione_articolata(nome=nome, preposizione=preposizione) == atteso


def test_template_filter():
    modello = engines["django"].from_string(
        "{% load elisione %}{{ n|di_articolata }} / "
        "{{ n|preposizione_articolata:'in' }}"
    )
    assert modello.render({"n": "Valle Inventata"}) == (
        "della Valle Inventata / nella Valle Inventata"
    )


def test_history_types_in_italian():
    assert [tipo_storia(c) for c in "+~-"] == ["Creazione", "Modifica", "Eliminazione"]


@pytest.mark.django_db
def test_public_page_of_an_ambito_without_number_elides_by_name(client):
    ambito = Ambito.objects.create(
        nome="Valle Inventata", slug="valle-inventata", provincia="Bergamo"
    )
    testo = client.get(reverse("ciclo:pubblico_ambito", args=[ambito.slug])).content
    testo = testo.decode()
    assert "Assemblea dei Sindaci della Valle Inventata" in testo
    assert "dell&#x27;Valle" not in testo and "dell'Valle" not in testo
