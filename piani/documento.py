"""The plan document: one context builder, two renderers from the same templates.

``documento_contesto`` reads the plan once (a fixed number of queries, whatever the
number of enti or comuni) and computes every table, total, count and sentence datum;
``documento_html`` renders it as a standalone page (the preview) and
``documento_pdf`` as an A4 PDF through WeasyPrint, with nothing fetched from the
network. The templates live in ``templates/piani/documento/<cartella>/``, where
``cartella`` is the ``cartella_template`` of the plan's layout (``ModelloDocumento``).
The document prints the plan's own narrative sections only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ambiti.models import AmbitoComune, PopolazioneComune
from misure.models import Bando, FonteFinanziamento
from patrimonio.models import EnteProprietario
from pianocasa.pdf import html_in_pdf

from . import grafici
from .documento_stampa import documento_font, documento_rifinisci
from .documento_stato import documento_approvato, documento_stato
from .models import (
    BloccoDgr,
    Comunicazione,
    PianoAnnuale,
    Sezione,
    SottosezioneStrategie,
    TotaleDichiarato,
)

# Canonical contents that a regulation version letters (docs/architettura.md).
CHIAVI_LETTERE = (
    "consistenza",
    "carenza",
    "ristrutturazione",
    "nuova_edificazione",
    "turn_over",
    "privati",
    "totale",
    "indigenti",
    "ulteriore_categoria",
    "art14",
    "forze_ordine",
    "sat",
    "assegnate_anno_precedente",
)

# --- Chapter 3 counts -------------------------------------------------------------
# The counts of applications are read here and only here. Today they are the
# figures stored on historical bandi and their funding sources; when applications
# and graduatorie are recorded (misure), these two functions compute them from
# those records and the document follows.


@dataclass(frozen=True)
class ConteggiBando:
    pervenute: int | None
    accolte: int | None
    finanziate: int | None


@dataclass(frozen=True)
class ConteggiFonte:
    pervenute: int | None
    finanziate: int | None
    parziali: int | None


def conteggi_bando(bando: Bando) -> ConteggiBando:
    """Applications received, admitted and funded under a bando."""
    return ConteggiBando(
        pervenute=bando.n_pervenute,
        accolte=bando.n_accolte,
        finanziate=bando.n_finanziate,
    )


def conteggi_fonte(fonte: FonteFinanziamento) -> ConteggiFonte:
    """For one funding source of a bando: applications received by the bando,
    those the source paid in full and those it paid in part."""
    return ConteggiFonte(
        pervenute=conteggi_bando(fonte.bando).pervenute,
        finanziate=fonte.n_finanziate,
        parziali=fonte.n_parziali,
    )


# --- Ambito-level totals without per-ente rows --------------------------------------

# What the declared total counts, as the sentence names it.
UNITA_DICHIARATE = {
    TotaleDichiarato.Contenuto.ALLOGGI_TOTALI: _l("alloggi"),
    TotaleDichiarato.Contenuto.ALLOGGI_SAS: _l("alloggi SAS"),
    TotaleDichiarato.Contenuto.ALLOGGI_SAP: _l("alloggi SAP"),
    TotaleDichiarato.Contenuto.ALLOGGI_ALTRO: _l("alloggi ad altro uso residenziale"),
    TotaleDichiarato.Contenuto.ASSEGNABILI_TOTALE: _l(
        "unità abitative assegnabili nell'anno"
    ),
    TotaleDichiarato.Contenuto.UNITA_SAT: _l("unità destinate ai servizi transitori"),
    TotaleDichiarato.Contenuto.ASSEGNATE_ANNO_PRECEDENTE: _l(
        "unità SAP assegnate l'anno precedente"
    ),
}
# The document section that prints each content.
SEZIONE_DICHIARATI = {
    "alloggi_totali": "consistenza",
    "alloggi_sas": "consistenza",
    "alloggi_sap": "consistenza",
    "alloggi_altro": "consistenza",
    "assegnabili_totale": "totale",
    "unita_sat": "sat",
    "assegnate_anno_precedente": "assegnate_anno_precedente",
}


def _dichiarati(
    piano: PianoAnnuale, totali: dict[str, int | None]
) -> dict[str, list[dict[str, Any]]]:
    """Declared ambito totals to print, by section: only where no arrived
    comunicazione gives the figure (with rows, the check compares them)."""
    per_sezione: dict[str, list[dict[str, Any]]] = {
        sezione: [] for sezione in SEZIONE_DICHIARATI.values()
    }
    for t in piano.totali_dichiarati.all():
        if totali.get(t.contenuto) is not None:
            continue
        per_sezione[SEZIONE_DICHIARATI[t.contenuto]].append(
            {"valore": t.valore, "unita": UNITA_DICHIARATE[t.contenuto], "nota": t.nota}
        )
    return per_sezione


# --- Helpers ----------------------------------------------------------------------


def _somma(righe: list, *campi: str) -> int | None:
    """Sum of the fields over the rows; None when no row has a value for them."""
    valori = [
        getattr(r, campo)
        for r in righe
        for campo in campi
        if getattr(r, campo) is not None
    ]
    return sum(valori) if valori else None


def data_riferimento_popolazione(date_presenti: Iterable[date]) -> date | None:
    """The date the document prints the comuni's population at: the latest one
    held for any comune of the ambito (the dashboard lists who lacks it)."""
    return max(date_presenti, default=None)


def _mancanti(comunicazioni: list, campi: list[str]) -> dict[str, int]:
    """For each total, the enti whose comunicazione has not arrived (their row
    holds no value, not a zero). A figure that no arrived comunicazione gives is
    not part of this plan's layout (seed 002 has no «altro» column): nothing is
    missing there."""
    non_pervenute = sum(1 for c in comunicazioni if not c.esito)
    pervenute = [c for c in comunicazioni if c.esito == Comunicazione.Esito.DATI]
    return {
        campo: (
            non_pervenute
            if not pervenute or any(getattr(c, campo) is not None for c in pervenute)
            else 0
        )
        for campo in campi
    }


def _positivo(valore: Any) -> bool:
    return valore is not None and valore > 0


def _nome_breve(ente: EnteProprietario) -> str:
    """How the older tables name an ente: the comune's name, or the short name."""
    if ente.comune_id:
        return ente.comune.nome
    return ente.denominazione_breve or ente.denominazione


def _soggetto(comunicazione: Comunicazione) -> str:
    """Subject of a comunicazione sentence: «il Comune di Ardesio», «ALER …».
    The registry's name: the name as the ente wrote it is printed only by the
    annex of anomalie."""
    nome = comunicazione.ente.denominazione
    if comunicazione.ente.tipo == EnteProprietario.Tipo.COMUNE:
        return _("il %(nome)s") % {"nome": nome}
    return nome


def _articolo_organo(organo: str) -> str:
    """«dall'Assemblea …», «dal Consiglio …»."""
    if not organo:
        return ""
    if organo[0].lower() in "aeiou":
        return _("dall'%(organo)s") % {"organo": organo}
    return _("dal %(organo)s") % {"organo": organo}


def _sezioni(
    piano: PianoAnnuale, chiavi: list[str]
) -> tuple[dict[str, Sezione], list[Sezione]]:
    """The plan's own narrative sections, and nothing else: by key those the layout
    places (``chiavi``); each carries in ``seguono`` the sections staff added after
    it (by ``ordine``), printed right after it. Added sections with no placed
    section before them follow the first placed one; with none at all they are
    returned apart, for the end of the document."""
    per_chiave: dict[str, Sezione] = {}
    senza_posto: list[Sezione] = []
    ultima: Sezione | None = None
    for sezione in sorted(piano.sezioni.all(), key=lambda s: (s.ordine, s.pk)):
        sezione.seguono = []
        if sezione.chiave in chiavi:
            per_chiave[sezione.chiave] = ultima = sezione
        elif ultima is not None:
            ultima.seguono.append(sezione)
        else:
            senza_posto.append(sezione)
    if per_chiave and senza_posto:
        prima = min(per_chiave.values(), key=lambda s: (s.ordine, s.pk))
        prima.seguono[:0] = senza_posto
        senza_posto = []
    return per_chiave, senza_posto


def _variazione(attuale: int | None, precedente: int | None) -> dict | None:
    if attuale is None or precedente is None:
        return None
    differenza = attuale - precedente
    return {"differenza": abs(differenza), "segno": (differenza > 0) - (differenza < 0)}


def _blocco_dgr(blocco: BloccoDgr) -> dict[str, Any]:
    assegnazione = blocco.assegnazione
    fonti = [
        {"fonte": f, "bando": f.bando, "conteggi": conteggi_fonte(f)}
        for f in assegnazione.fonti.all()
    ]
    return {
        "blocco": blocco,
        "assegnazione": assegnazione,
        "dgr": assegnazione.dgr,
        "impegnate": assegnazione.impegnate,
        "fonti": fonti,
    }


def _sottosezione(sottosezione: SottosezioneStrategie) -> dict[str, Any]:
    bando = sottosezione.bando
    fonti = list(bando.fonti.all()) if bando else []
    return {
        "sottosezione": sottosezione,
        "bando": bando,
        "conteggi": conteggi_bando(bando) if bando else None,
        "fonti": fonti,
        "totale_fonti": sum((f.importo or Decimal("0")) for f in fonti),
        # A bando that takes a stated share of each act spends its residual funds.
        "fonti_con_importo": bool(fonti) and all(f.importo is not None for f in fonti),
        "blocchi": [_blocco_dgr(b) for b in sottosezione.blocchi.all()],
    }


# --- The context builder ----------------------------------------------------------


def documento_contesto(piano: PianoAnnuale) -> dict[str, Any]:
    """Everything the plan document prints, computed from the models.

    The number of queries does not depend on the size of the plan: every relation
    is fetched with select_related / prefetch_related.
    """
    piano = PianoAnnuale.objects.select_related(
        "ambito__comune_capofila", "ambito__ats", "normativa", "modello"
    ).get(pk=piano.pk)
    ambito = piano.ambito
    normativa = piano.normativa
    impaginazione = piano.impaginazione
    lettere = {chiave: piano.lettera(chiave) for chiave in CHIAVI_LETTERE}
    sezioni, sezioni_senza_posto = _sezioni(
        piano, impaginazione.chiavi if impaginazione else []
    )

    finestre = list(piano.finestre.all())
    comunicazioni = list(piano.comunicazioni.select_related("ente__comune"))
    for c in comunicazioni:
        c.nome_ufficiale = c.ente.denominazione
        c.nome_breve = _nome_breve(c.ente)
        c.soggetto = _soggetto(c)
        # The older lettering prints c) and d) in one column.
        c.assegnabili_ristrutturazione_e_nuove = _somma(
            [c], "assegnabili_ristrutturazione", "assegnabili_nuova_edificazione"
        )

    # Orders of docs/architettura.md.
    per_nome = sorted(comunicazioni, key=lambda c: c.nome_ufficiale.upper())
    per_elenco = sorted(
        comunicazioni,
        key=lambda c: (c.ente.comune_id is None, c.ente.nome_per_elenco.upper()),
    )
    per_consistenza = sorted(
        per_nome, key=lambda c: not _positivo(c.alloggi_totali)
    )  # stable: the name order holds inside each group
    per_sap = sorted(per_nome, key=lambda c: -(c.alloggi_sap or 0))

    comuni_enti = [
        c for c in comunicazioni if c.ente.tipo == EnteProprietario.Tipo.COMUNE
    ]
    altri_enti = [c for c in per_elenco if c.ente.tipo != EnteProprietario.Tipo.COMUNE]
    pervenute = [c for c in comunicazioni if c.esito]
    con_dati = [c for c in per_elenco if c.esito == Comunicazione.Esito.DATI]
    nessun_patrimonio = [
        c for c in per_elenco if c.esito == Comunicazione.Esito.NESSUN_PATRIMONIO
    ]
    non_disponibilita = [
        c for c in per_elenco if c.esito == Comunicazione.Esito.NON_DISPONIBILITA
    ]

    # Only arrived comunicazioni count: a row not yet arrived may hold last
    # year's stock carried forward, to be confirmed, not communicated.
    totali = {campo: _somma(pervenute, campo) for campo in Comunicazione.CAMPI_NUMERICI}
    totali["assegnabili_ristrutturazione_e_nuove"] = _somma(
        pervenute, "assegnabili_ristrutturazione_e_nuove"
    )
    # A missing value is never summed as 0: each total says how many enti it lacks.
    mancanti = _mancanti(comunicazioni, [*totali])

    def con_valore(campo: str) -> dict[str, Any]:
        righe = [
            {"c": c, "valore": getattr(c, campo)}
            for c in per_nome
            if _positivo(getattr(c, campo))
        ]
        return {"righe": righe, "totale": totali[campo]}

    assegnabili = {
        "carenza": con_valore("assegnabili_carenza"),
        "ristrutturazione": con_valore("assegnabili_ristrutturazione"),
        "nuova_edificazione": con_valore("assegnabili_nuova_edificazione"),
        "turn_over": con_valore("assegnabili_turnover"),
        "privati": con_valore("assegnabili_privati"),
        "totale": con_valore("assegnabili_totale"),
        "sat": con_valore("unita_sat"),
        "assegnate_anno_precedente": con_valore("assegnate_anno_precedente"),
        "art14": [c for c in per_nome if _positivo(c.quota_art14) or c.categorie_art14],
    }

    # Per-comune decisions (h, i, i ter / c, d, e).
    decisioni = list(piano.decisioni.select_related("comune"))
    soglia = normativa.soglia_indigenti
    decisioni_ctx = {
        "tutte": decisioni,
        "indigenti": [
            d
            for d in decisioni
            if d.quota_indigenti is not None and d.quota_indigenti != soglia
        ],
        "ulteriore_categoria": [d for d in decisioni if d.categoria_ulteriore],
        "forze_ordine": [
            d
            for d in decisioni
            if _positivo(d.quota_forze_ordine) or _positivo(d.quota_polizia_locale)
        ],
    }

    # Territory: the ambito's comuni and their population at the latest date held.
    appartenenze = list(
        AmbitoComune.objects.filter(ambito=ambito).select_related(
            "comune", "sub_ambito"
        )
    )
    comuni = sorted((a.comune for a in appartenenze), key=lambda c: c.nome)
    popolazioni = list(
        PopolazioneComune.objects.filter(comune__appartenenze__ambito=ambito)
        .select_related("comune")
        .order_by("-data", "-popolazione", "comune__nome")
    )
    data_popolazione = data_riferimento_popolazione(p.data for p in popolazioni)
    popolazione = [p for p in popolazioni if p.data == data_popolazione]
    serie = list(ambito.serie_demografica.all())
    variazioni = None
    if len(serie) >= 2:
        ultimo, penultimo = serie[-1], serie[-2]
        variazioni = {
            "anno": ultimo.anno,
            "anno_precedente": penultimo.anno,
            "nati": _variazione(ultimo.nati, penultimo.nati),
            "stranieri": _variazione(ultimo.stranieri, penultimo.stranieri),
            "popolazione": _variazione(ultimo.popolazione, penultimo.popolazione),
        }

    # Chapter 3.
    # Counts of bandi managed in the app are annotated (con_conteggi), so the
    # chapter costs the same queries whatever the number of domande.
    bandi_con_conteggi = Prefetch("bando", queryset=Bando.objects.con_conteggi())
    fonti_per_assegnazione = (
        FonteFinanziamento.objects.con_conteggi()
        .prefetch_related(bandi_con_conteggi)
        .order_by("bando__data_pubblicazione", "bando_id", "ordine")
    )
    sottosezioni = list(
        piano.sottosezioni_strategie.prefetch_related(
            bandi_con_conteggi,
            Prefetch(
                "bando__fonti",
                queryset=FonteFinanziamento.objects.con_conteggi()
                .select_related("assegnazione__dgr")
                .order_by("ordine", "pk"),
            ),
            Prefetch(
                "blocchi",
                queryset=BloccoDgr.objects.select_related("assegnazione__dgr").order_by(
                    "ordine", "pk"
                ),
            ),
            Prefetch("blocchi__assegnazione__fonti", queryset=fonti_per_assegnazione),
        )
    )
    rilevazioni_ethos = list(piano.rilevazioni_ethos.order_by("anno"))

    return {
        "piano": piano,
        "ambito": ambito,
        "normativa": normativa,
        "lettere": lettere,
        "impaginazione": impaginazione,
        "cartella": (
            impaginazione.cartella_template
            if impaginazione
            else normativa.cartella_template
        ),
        "anno_precedente": piano.anno - 1,
        # PDF metadata (<title>, <meta name="author">).
        "titolo": _("Piano Annuale dell'Offerta Abitativa %(anno)s – %(ambito)s")
        % {"anno": piano.anno, "ambito": ambito},
        "autore": (
            _("%(ambito)s – Comune di %(capofila)s")
            % {"ambito": ambito, "capofila": ambito.comune_capofila.nome}
            if ambito.comune_capofila
            else str(ambito)
        ),
        "sezioni": sezioni,
        "sezioni_senza_posto": sezioni_senza_posto,
        "finestre": finestre,
        "apertura": finestre[0].inizio if finestre else None,
        "chiusura": max((f.fine for f in finestre), default=None),
        "comuni": comuni,
        "appartenenze": appartenenze,
        "popolazione": popolazione,
        "popolazione_per_nome": sorted(popolazione, key=lambda p: p.comune.nome),
        "data_popolazione": data_popolazione,
        "popolazione_totale": sum(p.popolazione for p in popolazione),
        "serie": serie,
        "variazioni": variazioni,
        "comunicazioni": {
            "per_nome": per_nome,
            "per_elenco": per_elenco,
            "per_consistenza": per_consistenza,
            "per_sap": per_sap,
            "con_dati": con_dati,
            "pervenute": pervenute,
            "nessun_patrimonio": nessun_patrimonio,
            "nessun_patrimonio_protocollo": [
                c
                for c in nessun_patrimonio
                if c.canale != Comunicazione.Canale.PIATTAFORMA
            ],
            "nessun_patrimonio_piattaforma": [
                c
                for c in nessun_patrimonio
                if c.canale == Comunicazione.Canale.PIATTAFORMA
            ],
            "non_disponibilita": non_disponibilita,
        },
        "conteggi": {
            "enti": len(comunicazioni),
            "comuni": len(comuni_enti),
            "pervenute": len(pervenute),
            "con_dati": len(con_dati),
            "nessun_patrimonio": len(nessun_patrimonio),
        },
        "altri_enti": altri_enti,
        "totali": totali,
        "mancanti": mancanti,
        "dichiarati": _dichiarati(piano, totali),
        "non_pervenute": [c for c in per_elenco if not c.esito],
        "assegnabili": assegnabili,
        "decisioni": decisioni_ctx,
        "soglia_indigenti": soglia,
        "sottosezioni": [_sottosezione(s) for s in sottosezioni],
        "rilevazioni_ethos": rilevazioni_ethos,
        # Inline SVG, built from the rows above (no further query).
        "grafico_popolazione": (
            grafici.svg_popolazione_ambito(
                ambito, [(s.anno, s.popolazione) for s in serie]
            )
            if len(serie) > 1
            else ""
        ),
        "grafico_sap": (
            grafici.svg_patrimonio_del_piano(piano, per_sap)
            if any(c.alloggi_sap for c in per_sap)
            else ""
        ),
        # Status from the plan's state; the annex of every anomalia.
        **documento_stato(piano),
    }


# --- Renderers --------------------------------------------------------------------


def _template(contesto: dict[str, Any]) -> str:
    return f"piani/documento/{contesto['cartella']}/documento.html"


def _render(piano: PianoAnnuale, formato: str) -> str:
    with translation.override("it"):
        contesto = documento_contesto(piano)
        contesto["formato"] = formato
        contesto["font"] = documento_font(formato)
        html = render_to_string(_template(contesto), contesto)
        return documento_rifinisci(html, formato)


def documento_html(piano: PianoAnnuale) -> str:
    """The plan as a standalone HTML page (the preview)."""
    return _render(piano, "html")


def documento_pdf(piano: PianoAnnuale) -> bytes:
    """The plan as an A4, tagged PDF (title, author and language in its metadata):
    the approved revision as PDF/A-3a (archival, tagged), a draft as PDF/UA-1."""
    variante = "pdf/a-3a" if documento_approvato(piano) else "pdf/ua-1"
    return html_in_pdf(_render(piano, "pdf"), pdf_variant=variante, pdf_tags=True)
