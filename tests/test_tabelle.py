"""Every list's table renders the same HTML through pianocasa's row tag
(pianocasa.ui.tabelle) as through django-tables2's own Bootstrap 5 template:
same cells, attributes, links, localisation; only the whitespace differs."""

import re

import django_tables2.templatetags.django_tables2 as tag_tabelle
from django.template.loader import get_template
from django.urls import reverse

from misure.esempi import bando_demo_carica
from patrimonio.models import Alloggio, EnteProprietario, Servizio, StatoAlloggio

TABELLA = re.compile(r"<table\b.*?</table>", re.S)


def _normalizza(html: str) -> list[str]:
    tabelle = TABELLA.findall(html)
    return [re.sub(r"\s+", " ", re.sub(r">\s+<", "><", t)) for t in tabelle]


def _alloggi(ambito) -> None:
    """A few alloggi with what the cells localise: a surface over a thousand
    (1.234,50), a year that must not be (1975), an empty field (—)."""
    comune = ambito.comuni.order_by("nome").first()
    ente = EnteProprietario.objects.create(
        tipo=EnteProprietario.Tipo.ALER, denominazione="ALER di prova"
    )
    for n in range(3):
        Alloggio.objects.create(
            codice=f"PROVA-TABELLA-{n}",
            ente=ente,
            comune=comune,
            superficie_mq="1234.50",
            anno_costruzione=1975,
            servizio=Servizio.SAP,
            stato=StatoAlloggio.values[0],
        )


def _pagine(piano, bando) -> list[str]:
    ambito = piano.ambito
    return [
        reverse("patrimonio:alloggio_list"),
        reverse("patrimonio:importazione_list"),
        reverse("piani:piano_list"),
        reverse("piani:comunicazione_list", args=[piano.pk]),
        reverse("piani:dati_ente_list", args=[piano.pk]),
        reverse("piani:decisione_list", args=[piano.pk]),
        reverse("piani:sezione_list", args=[piano.pk]),
        reverse("ambiti:ambito_list"),
        reverse("ambiti:comune_list", args=[ambito.slug]),
        reverse("ambiti:popolazione_list", args=[ambito.slug]),
        reverse("misure:bando_list"),
        reverse("misure:domanda_list", args=[bando.pk]),
        reverse("misure:dgr_list"),
    ]


def test_every_list_renders_as_django_tables2_would(
    client_staff_a, piano_a, monkeypatch
):
    bando = bando_demo_carica(ambito=piano_a.ambito)
    _alloggi(piano_a.ambito)
    celle = 0
    for url in _pagine(piano_a, bando):
        nostra = client_staff_a.get(url)
        assert nostra.status_code == 200, url
        with monkeypatch.context() as m:
            # The reference: django-tables2's own template for the same table.
            m.setattr(
                tag_tabelle,
                "get_template",
                lambda nome: get_template(
                    nome.replace("pianocasa.html", "bootstrap5.html")
                ),
            )
            riferimento = client_staff_a.get(url)
        nostre = _normalizza(nostra.content.decode())
        assert nostre, url
        assert nostre == _normalizza(riferimento.content.decode()), url
        celle += sum(t.count("<td") for t in nostre)
    assert celle > 200  # real rows were compared, not empty tables
    alloggi = client_staff_a.get(reverse("patrimonio:alloggio_list")).content.decode()
    assert "1.234,5" in alloggi and ">1975<" in alloggi


def test_attributes_computed_per_cell_stay_per_cell(ambito_a, rf):
    """A column whose td attributes are callables: each cell its own value."""
    import django_tables2 as tables

    from ambiti.models import Comune

    class ComuniTable(tables.Table):
        nome = tables.Column(attrs={"td": {"data-istat": lambda record: record.pk}})
        superficie_kmq = tables.Column(localize=False)

    richiesta = rf.get("/")
    comuni = list(
        Comune.objects.filter(appartenenze__ambito=ambito_a).order_by("nome")[:5]
    )
    tabella = ComuniTable(comuni)
    nostra = tabella.as_html(richiesta)
    tabella.template_name = "django_tables2/bootstrap5.html"
    assert _normalizza(nostra) == _normalizza(tabella.as_html(richiesta))
    assert len(comuni) == 5
    assert all(f'data-istat="{c.pk}"' in nostra for c in comuni)
