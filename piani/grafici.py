"""Charts as inline SVG strings: no JavaScript, nothing fetched, readable by screen
readers (role="img" with <title> and <desc>) and printable by WeasyPrint.

The pure functions (``svg_serie_popolazione``, ``svg_patrimonio_sap``) take plain
data; ``grafico_popolazione(ambito)`` and ``grafico_patrimonio_sap(piano)`` read the
database. Mark the result safe in templates (``{{ svg|safe }}``): every text inside
is escaped here.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _g

from pianocasa import formati

# Colour-blind-safe colours (Okabe–Ito and a navy) whose greys differ when printed
# in black and white (grey ≈ 43, 87, 119, 162, 224 of 255); each state is also
# named in the legend and in the <desc>: colour never carries meaning alone.
COLORI_STATO = {
    "occupati": "#08306B",
    "liberi": "#0072B2",
    "carenze": "#D55E00",
    "ristrutturazione": "#E69F00",
    "non_ripartiti": "#E0E0E0",
}
# Segments are outlined, so the light one stays visible on white paper.
BORDO = 'stroke="#1a1a1a" stroke-width="0.6"'
# Names longer than this wrap on a second line instead of being cut.
CARATTERI_RIGA = 26


TESTATA = 24  # height of the printed title


def intero(n: int | None) -> str:
    """41813 → «41.813» (Italian thousands separator), None → «–»."""
    return "–" if n is None else formati.intero(n)


def _a(testo: object) -> str:
    """Escape for XML text and attribute values."""
    return escape(str(testo), {'"': "&quot;"})


def _id(prefisso: str, *dati: object) -> str:
    # Stable and distinct per content: two charts on one page never share ids.
    impronta = hashlib.sha1(repr(dati).encode(), usedforsecurity=False)
    return f"{prefisso}-{impronta.hexdigest()[:10]}"


def _apri_svg(larghezza: int, altezza: int, ident: str, titolo: str, desc: str) -> str:
    """The opening tag, the accessible name and description, and the title printed
    on top (hidden from screen readers, which read <title>). Scales down to its
    container's width, keeping the proportions of the viewBox."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="100%" viewBox="0 0 {larghezza} {altezza}" '
        f'style="max-width:{larghezza}px;height:auto" '
        f'aria-labelledby="{ident}-t {ident}-d" class="grafico" '
        f'font-family="Titillium Web, DejaVu Sans, sans-serif" font-size="12">'
        f'<title id="{ident}-t">{_a(titolo)}</title>'
        f'<desc id="{ident}-d">{_a(desc)}</desc>'
        f'<text x="0" y="15" font-size="14" font-weight="bold" fill="#1a1a1a" '
        f'aria-hidden="true">{_a(titolo)}</text>'
    )


def _grafico_vuoto(larghezza: int, ident: str, titolo: str, desc: str) -> str:
    """A chart without data: its title and the sentence that says so."""
    return (
        _apri_svg(larghezza, TESTATA + 40, ident, titolo, desc)
        + f'<text x="0" y="{TESTATA + 24}">{_a(desc)}</text></svg>'
    )


def _passo_asse(minimo: int, massimo: int, tacche: int = 5) -> int:
    """A round step (1, 2, 5 × 10^k) giving about ``tacche`` gridlines."""
    ampiezza = max(massimo - minimo, 1)
    grezzo = ampiezza / tacche
    potenza = 10 ** math.floor(math.log10(grezzo)) if grezzo >= 1 else 1
    for moltiplicatore in (1, 2, 5, 10):
        if grezzo <= moltiplicatore * potenza:
            return max(int(moltiplicatore * potenza), 1)
    return int(10 * potenza)


def svg_serie_popolazione(
    punti: Sequence[tuple[int, int]],
    *,
    titolo: str | None = None,
    larghezza: int = 640,
    altezza: int = 280,
) -> str:
    """A line chart of (anno, popolazione) with each value printed at its point."""
    titolo = titolo or _g("Popolazione residente nell'ambito")
    punti = sorted(punti)
    ident = _id("pop", punti)
    if not punti:
        desc = _g("Nessun dato di popolazione disponibile.")
        return _grafico_vuoto(larghezza, ident, titolo, desc)
    desc = _g("Popolazione residente per anno: %(valori)s.") % {
        "valori": "; ".join(f"{anno}: {intero(v)}" for anno, v in punti)
    }
    valori = [v for _anno, v in punti]
    # The axis starts at 0: a cut axis would magnify small changes.
    passo = _passo_asse(0, max(valori))
    basso = 0
    alto = -(-max(valori) // passo) * passo
    if alto == basso:
        alto = basso + passo
    sx, dx, su, giu = 70, 20, TESTATA + 20, 40
    area_l, area_a = larghezza - sx - dx, altezza - su - giu

    def x(i: int) -> float:
        return sx + (area_l * (i + 0.5) / len(punti))

    def y(v: int) -> float:
        return su + area_a * (1 - (v - basso) / (alto - basso))

    parti = [_apri_svg(larghezza, altezza, ident, titolo, desc)]
    parti.append('<g aria-hidden="true">')
    tacca = basso
    while tacca <= alto:
        parti.append(
            f'<line x1="{sx}" x2="{larghezza - dx}" y1="{y(tacca):.1f}" '
            f'y2="{y(tacca):.1f}" stroke="#d9dadb" stroke-width="1"/>'
            f'<text x="{sx - 6}" y="{y(tacca) + 4:.1f}" text-anchor="end" '
            f'fill="#45505c">{intero(tacca)}</text>'
        )
        tacca += passo
    coordinate = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_a_, v) in enumerate(punti))
    parti.append(
        f'<polyline points="{coordinate}" fill="none" stroke="#0066cc" '
        f'stroke-width="2.5"/>'
    )
    for i, (anno, v) in enumerate(punti):
        parti.append(
            f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="#0066cc"/>'
            f'<text x="{x(i):.1f}" y="{y(v) - 9:.1f}" text-anchor="middle" '
            f'font-size="11" fill="#1a1a1a">{intero(v)}</text>'
            f'<text x="{x(i):.1f}" y="{altezza - giu + 18}" text-anchor="middle" '
            f'fill="#1a1a1a">{anno}</text>'
        )
    parti.append("</g></svg>")
    return "".join(parti)


@dataclass(frozen=True)
class StockEnte:
    """SAP stock of one ente by state; None where the ente gave no breakdown."""

    nome: str
    sap: int
    liberi: int | None = None
    carenze: int | None = None
    ristrutturazione: int | None = None
    occupati: int | None = None

    def segmenti(self) -> list[tuple[str, int]]:
        stati = [
            ("occupati", self.occupati),
            ("liberi", self.liberi),
            ("carenze", self.carenze),
            ("ristrutturazione", self.ristrutturazione),
        ]
        noti = [(k, v) for k, v in stati if v]
        ripartiti = sum(v for _k, v in noti)
        if ripartiti < self.sap:
            noti.append(("non_ripartiti", self.sap - ripartiti))
        return noti


def _etichette_stato() -> dict[str, str]:
    return {
        "occupati": _g("occupati"),
        "liberi": _g("liberi"),
        "carenze": _g("sfitti per carenze manutentive"),
        "ristrutturazione": _g("sfitti per ristrutturazione"),
        "non_ripartiti": _g("stato non comunicato"),
    }


def _righe_nome(nome: str, x: int, y: int) -> str:
    """The full name, on two lines when long (never cut): escaped tspans."""
    if len(nome) <= CARATTERI_RIGA:
        return _a(nome)
    taglio = nome.rfind(" ", 0, CARATTERI_RIGA + 1)
    if taglio <= 0:
        taglio = CARATTERI_RIGA
    prima, seconda = nome[:taglio].strip(), nome[taglio:].strip()
    return (
        f'<tspan x="{x}" y="{y - 6}">{_a(prima)}</tspan>'
        f'<tspan x="{x}" y="{y + 7}">{_a(seconda)}</tspan>'
    )


def svg_patrimonio_sap(
    righe: Sequence[StockEnte],
    *,
    titolo: str | None = None,
    larghezza: int = 640,
) -> str:
    """Horizontal stacked bars: the SAP stock of each ente split by state, the
    total printed at the end of the bar; enti without SAP units are left out."""
    titolo = titolo or _g("Alloggi SAP per ente proprietario e stato")
    righe = sorted((r for r in righe if r.sap > 0), key=lambda r: (-r.sap, r.nome))
    etichette = _etichette_stato()
    ident = _id("sap", righe)
    if not righe:
        desc = _g("Nessun alloggio SAP comunicato.")
        return _grafico_vuoto(larghezza, ident, titolo, desc)
    desc = " ".join(
        _g("%(ente)s: %(sap)s alloggi SAP (%(stati)s).")
        % {
            "ente": r.nome,
            "sap": intero(r.sap),
            "stati": ", ".join(f"{etichette[k]} {intero(v)}" for k, v in r.segmenti()),
        }
        for r in righe
    )
    riga_h, sx, dx, su = 30, 190, 60, TESTATA + 6
    legenda_h = 50
    altezza = su + riga_h * len(righe) + legenda_h
    massimo = max(r.sap for r in righe)
    area_l = larghezza - sx - dx
    parti = [
        _apri_svg(larghezza, altezza, ident, titolo, desc),
        '<g aria-hidden="true">',
    ]
    for i, r in enumerate(righe):
        y = su + i * riga_h
        parti.append(
            f'<text x="{sx - 6}" y="{y + 15}" text-anchor="end" '
            f'fill="#1a1a1a">{_righe_nome(r.nome, sx - 6, y + 15)}</text>'
        )
        x = float(sx)
        for stato, valore in r.segmenti():
            w = area_l * valore / massimo
            parti.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{riga_h - 6}" '
                f'fill="{COLORI_STATO[stato]}" {BORDO}/>'
            )
            x += w
        parti.append(
            f'<text x="{x + 5:.1f}" y="{y + 15}" fill="#1a1a1a">{intero(r.sap)}</text>'
        )
    presenti = [
        k for k in COLORI_STATO if any(k == s for r in righe for s, _v in r.segmenti())
    ]
    y = su + riga_h * len(righe) + 18
    x = 10
    for stato in presenti:
        parti.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" '
            f'fill="{COLORI_STATO[stato]}" {BORDO}/>'
            f'<text x="{x + 16}" y="{y}" fill="#1a1a1a">{_a(etichette[stato])}</text>'
        )
        x += 24 + 7 * len(etichette[stato])
        if x > larghezza - 150:
            x, y = 10, y + 18
    parti.append("</g></svg>")
    return "".join(parti)


def grafico_popolazione(ambito) -> str:
    """The ambito's yearly population series (SerieDemografica)."""
    punti = list(
        ambito.serie_demografica.order_by("anno").values_list("anno", "popolazione")
    )
    return svg_popolazione_ambito(ambito, punti)


def svg_popolazione_ambito(ambito, punti: Sequence[tuple[int, int]]) -> str:
    return svg_serie_popolazione(
        punti,
        titolo=_g("Popolazione residente nell'%(ambito)s") % {"ambito": ambito},
    )


def stock_da_comunicazioni(comunicazioni) -> list[StockEnte]:
    return [
        StockEnte(
            # The registry's full name, as the tables print it (no abbreviation).
            nome=c.ente.denominazione,
            sap=c.alloggi_sap or 0,
            liberi=c.sap_liberi,
            carenze=c.sap_carenze,
            ristrutturazione=c.sap_ristrutturazione,
            occupati=c.sap_occupati,
        )
        for c in comunicazioni
    ]


def stock_del_piano(piano) -> list[StockEnte]:
    return stock_da_comunicazioni(piano.comunicazioni.select_related("ente"))


def svg_patrimonio_del_piano(piano, comunicazioni) -> str:
    """SAP stock by state per ente, from comunicazioni already read (the plan's
    document builds it from its own rows, without another query)."""
    return svg_patrimonio_sap(
        stock_da_comunicazioni(comunicazioni),
        titolo=_g("Alloggi SAP per ente proprietario e stato – piano %(anno)d")
        % {"anno": piano.anno},
    )


def grafico_patrimonio_sap(piano) -> str:
    """SAP stock by state per ente, from the plan's comunicazioni."""
    return svg_patrimonio_del_piano(piano, piano.comunicazioni.select_related("ente"))
