"""Charts as inline SVG: valid XML, accessible, no script or network, numbers from
the data in Italian format."""

import re
import xml.etree.ElementTree as ET

from piani.grafici import (
    StockEnte,
    grafico_patrimonio_sap,
    grafico_popolazione,
    intero,
    svg_patrimonio_sap,
    svg_serie_popolazione,
)

NS = "{http://www.w3.org/2000/svg}"


def _radice(svg: str) -> ET.Element:
    radice = ET.fromstring(svg)
    assert radice.tag == f"{NS}svg"
    assert radice.get("role") == "img"
    figli = list(radice)
    assert figli[0].tag == f"{NS}title" and figli[0].text
    assert figli[1].tag == f"{NS}desc" and figli[1].text
    assert radice.get("aria-labelledby") == f"{figli[0].get('id')} {figli[1].get('id')}"
    return radice


def _autonomo(svg: str) -> None:
    assert "<script" not in svg and "href" not in svg and "url(" not in svg
    assert re.findall(r"https?://[^\"]+", svg) == ["http://www.w3.org/2000/svg"]


def test_italian_integers():
    assert intero(41813) == "41.813"
    assert intero(1234567) == "1.234.567"
    assert intero(0) == "0"
    assert intero(None) == "–"


def test_the_population_series_is_an_accessible_self_contained_svg():
    svg = svg_serie_popolazione([(2024, 41812), (2022, 42010), (2023, 41813)])
    radice = _radice(svg)
    _autonomo(svg)
    desc = radice.find(f"{NS}desc").text
    assert desc == (
        "Popolazione residente per anno: 2022: 42.010; 2023: 41.813; 2024: 41.812."
    )
    # One point per year, left to right in year order, higher value higher up.
    cerchi = radice.findall(f".//{NS}circle")
    assert len(cerchi) == 3
    xs = [float(c.get("cx")) for c in cerchi]
    ys = [float(c.get("cy")) for c in cerchi]
    assert xs == sorted(xs)
    assert ys[0] < ys[1] <= ys[2]  # 42.010 above 41.813 above 41.812 (SVG y grows down)
    assert "41.813" in svg


def test_an_empty_series_says_so():
    radice = _radice(svg_serie_popolazione([]))
    assert "Nessun dato" in radice.find(f"{NS}desc").text


def test_sap_bars_are_proportional_split_by_state_and_escaped():
    righe = [
        StockEnte(
            "ALER <BG> & co",
            100,
            liberi=10,
            carenze=20,
            ristrutturazione=0,
            occupati=70,
        ),
        StockEnte(
            "Comune di Ardesio",
            50,
            liberi=5,
            carenze=5,
            ristrutturazione=0,
            occupati=40,
        ),
        StockEnte("Comune di Colere", 0),
        StockEnte("Comune di Nembro", 30),  # no breakdown communicated
    ]
    svg = svg_patrimonio_sap(righe)
    radice = _radice(svg)
    _autonomo(svg)
    desc = radice.find(f"{NS}desc").text
    assert "ALER <BG> & co: 100 alloggi SAP (occupati 70, liberi 10, " in desc
    assert "Colere" not in desc  # no SAP units, no bar
    assert "Comune di Nembro: 30 alloggi SAP (stato non comunicato 30)." in desc
    barre = [r for r in radice.iter(f"{NS}rect") if float(r.get("height")) > 12]
    per_riga: dict[str, float] = {}
    for r in barre:
        per_riga[r.get("y")] = per_riga.get(r.get("y"), 0) + float(r.get("width"))
    larghezze = sorted(per_riga.values(), reverse=True)
    assert len(larghezze) == 3
    assert abs(larghezze[0] / larghezze[1] - 2) < 0.01
    assert abs(larghezze[0] / larghezze[2] - 100 / 30) < 0.01
    # Distinct ids per chart, so two charts can share a page.
    assert _radice(svg_patrimonio_sap(righe[1:])).get("aria-labelledby") != radice.get(
        "aria-labelledby"
    )


def test_charts_from_the_seed_data(ambito_a, piano_a):
    serie = list(ambito_a.serie_demografica.order_by("anno"))
    assert serie
    desc = _radice(grafico_popolazione(ambito_a)).find(f"{NS}desc").text
    for dato in serie:
        assert f"{dato.anno}: {intero(dato.popolazione)}" in desc

    svg = grafico_patrimonio_sap(piano_a)
    desc = _radice(svg).find(f"{NS}desc").text
    assert "piano 2026" in _radice(svg).find(f"{NS}title").text
    con_sap = [c for c in piano_a.comunicazioni.select_related("ente") if c.alloggi_sap]
    assert con_sap
    for c in con_sap:
        nome = c.ente.denominazione  # the full name, as in the tables
        assert f"{nome}: {intero(c.alloggi_sap)} alloggi SAP" in desc
        if c.sap_occupati:
            assert f"occupati {intero(c.sap_occupati)}" in desc
