"""Tables of the plan's lists, and the one export helper of the site (CSV and XLSX,
with spreadsheet formulas neutralised)."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

import django_tables2 as tables
from django.http import HttpResponse
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pianocasa.xlsx import foglio_scrivi

from .models import Comunicazione, DecisioneComune, PianoAnnuale, Sezione

FORMATI_ESPORTAZIONE = ("csv", "xlsx")
# A cell starting with one of these is read as a formula by spreadsheets
# (CSV/formula injection): it is written as text with a leading apostrophe.
INIZI_PERICOLOSI = ("=", "+", "-", "@", "\t", "\r")


def neutralizza(valore):
    """A text that a spreadsheet would run as a formula, as text; anything else
    unchanged (also for the spreadsheets built cell by cell, e.g. misure)."""
    if isinstance(valore, str) and valore.startswith(INIZI_PERICOLOSI):
        return "'" + valore
    return valore


def cella_sicura(valore):
    """The value as it goes into an exported cell."""
    if valore is None:
        return ""
    if isinstance(valore, bool):
        return _("Sì") if valore else _("No")
    if isinstance(valore, int | float | Decimal):
        return valore
    return neutralizza(str(valore))


def esporta(
    righe: Iterable[Iterable], formato: str, nome_file: str, nome_foglio: str = ""
) -> HttpResponse:
    """Rows (the first is the header) as a CSV or XLSX download."""
    if formato == "xlsx":
        # Real dates and numbers, a named sheet, frozen header: pianocasa.xlsx.
        righe = list(righe)
        risposta = HttpResponse(
            foglio_scrivi(
                righe[1:], righe[0] if righe else [], nome_foglio or nome_file
            ),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        righe = [[cella_sicura(v) for v in riga] for riga in righe]
        buffer = io.StringIO()
        # Italian spreadsheets expect ";" and a BOM to read UTF-8.
        scrittore = csv.writer(buffer, delimiter=";")
        for riga in righe:
            scrittore.writerow(
                [
                    str(v).replace(".", ",") if isinstance(v, Decimal | float) else v
                    for v in riga
                ]
            )
        risposta = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    risposta["Content-Disposition"] = f'attachment; filename="{nome_file}.{formato}"'
    return risposta


class EsportaMixin:
    """For list views with a django-tables2 table: ``?_export=csv`` or ``xlsx``
    downloads every filtered row (not only the page) with the visible columns."""

    nome_esportazione = "elenco"

    def get_nome_esportazione(self) -> str:
        return self.nome_esportazione

    def render_to_response(self, context, **kwargs):
        formato = self.request.GET.get("_export")
        if formato in FORMATI_ESPORTAZIONE:
            tabella = context.get("table") or self.get_table()
            return esporta(
                tabella.as_values(),
                formato,
                self.get_nome_esportazione(),
            )
        return super().render_to_response(context, **kwargs)


class NumeroColumn(tables.Column):
    """A count, right-aligned; empty when not communicated."""

    attrs = {"td": {"class": "numero"}, "th": {"class": "numero"}}

    def render(self, value):
        return localize(value)

    def value(self, value):
        return value


class ModificaColumn(tables.Column):
    """A "Modifica" link, for the users who may change the record (tables exclude it
    for the others)."""

    empty_values = ()

    def __init__(self, viewname: str, etichetta: str = "", **kwargs):
        self.viewname = viewname
        # Dotted path of the record's name for screen readers ("Modifica Clusone"):
        # an attribute already loaded, so the column adds no query per row.
        self.etichetta = etichetta
        kwargs.setdefault("verbose_name", _("Azioni"))
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("exclude_from_export", True)
        super().__init__(**kwargs)

    def nome(self, record) -> str:
        valore = record
        for parte in self.etichetta.split(".") if self.etichetta else ():
            valore = getattr(valore, parte)
        return str(valore)

    def url(self, record) -> str:
        return reverse(self.viewname, kwargs={"pk": record.pk})

    def render(self, record):
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
            self.url(record),
            _("Modifica"),
            self.nome(record),
        )


class TabellaConPermessi(tables.Table):
    """Drops the "Modifica" column for read-only users: ``puo_modificare=False``."""

    def __init__(self, *args, puo_modificare: bool = False, **kwargs):
        if not puo_modificare:
            kwargs["exclude"] = tuple(kwargs.get("exclude") or ()) + ("modifica",)
        super().__init__(*args, **kwargs)


class PianoTable(tables.Table):
    anno = tables.Column(
        verbose_name=_("Anno"), linkify=("piani:piano_detail", {"pk": tables.A("pk")})
    )
    ambito = tables.Column(verbose_name=_("Ambito"))
    stato = tables.Column(verbose_name=_("Stato"))
    normativa = tables.Column(verbose_name=_("Versione normativa"))
    id_piattaforma = tables.Column(verbose_name=_("ID piattaforma"))

    class Meta:
        model = PianoAnnuale
        fields = ["anno", "ambito", "stato", "normativa", "id_piattaforma"]
        order_by = ["ambito", "-anno"]


class ComunicazioneTable(TabellaConPermessi):
    """Enti of the plan and their comunicazione; not received ones highlighted."""

    ente = tables.Column(
        verbose_name=_("Ente proprietario"),
        linkify=("piani:comunicazione_detail", {"pk": tables.A("pk")}),
        order_by=("ente__denominazione",),
    )
    ente__tipo = tables.Column(verbose_name=_("Tipo"))
    esito = tables.Column(verbose_name=_("Esito"), default="")
    canale = tables.Column(verbose_name=_("Canale"))
    data = tables.DateColumn(verbose_name=_("Data"), format="d/m/Y")
    protocollo = tables.Column(verbose_name=_("Protocollo"))
    denominazione_ricevuta = tables.Column(
        verbose_name=_("Nome come scritto dall'ente")
    )
    modifica = ModificaColumn("piani:comunicazione_update", "ente.denominazione")

    class Meta:
        model = Comunicazione
        fields = [
            "ente",
            "ente__tipo",
            "esito",
            "canale",
            "data",
            "protocollo",
            "denominazione_ricevuta",
            "modifica",
        ]
        row_attrs = {"class": lambda record: "" if record.esito else "mancante"}
        empty_text = _("Nessuna comunicazione corrisponde ai filtri.")

    def render_esito(self, record, value):
        return record.get_esito_display() if record.esito else _("Non pervenuta")

    def value_esito(self, record, value):
        return record.get_esito_display() if record.esito else str(_("Non pervenuta"))


def _numero(nome: str, etichetta) -> NumeroColumn:
    return NumeroColumn(verbose_name=etichetta, accessor=nome)


class DatiEnteTable(tables.Table):
    """The numbers each ente communicated: a) consistenza, SAP state, b)–g)."""

    ente = tables.Column(
        verbose_name=_("Ente proprietario"),
        linkify=("piani:comunicazione_detail", {"pk": tables.A("pk")}),
        order_by=("ente__denominazione",),
    )
    alloggi_totali = _numero("alloggi_totali", _("Alloggi complessivi"))
    alloggi_sas = _numero("alloggi_sas", _("SAS"))
    alloggi_sap = _numero("alloggi_sap", _("SAP"))
    alloggi_altro = _numero("alloggi_altro", _("Altro uso"))
    sap_liberi = _numero("sap_liberi", _("SAP liberi"))
    sap_carenze = _numero("sap_carenze", _("SAP sfitti per carenze"))
    sap_ristrutturazione = _numero("sap_ristrutturazione", _("SAP in ristrutturazione"))
    sap_occupati = _numero("sap_occupati", _("SAP occupati"))
    assegnabili_carenza = _numero("assegnabili_carenza", _("Carenza manutentiva"))
    assegnabili_ristrutturazione = _numero(
        "assegnabili_ristrutturazione", _("Ristrutturazione")
    )
    assegnabili_nuova_edificazione = _numero(
        "assegnabili_nuova_edificazione", _("Nuova edificazione")
    )
    assegnabili_turnover = _numero("assegnabili_turnover", _("Turn over"))
    assegnabili_privati = _numero("assegnabili_privati", _("Da privati"))
    somma = NumeroColumn(
        verbose_name=_("Somma calcolata"), accessor="somma_assegnabili", orderable=False
    )
    assegnabili_totale = _numero("assegnabili_totale", _("Totale comunicato"))
    unita_sat = _numero("unita_sat", _("Unità SAT"))
    assegnate_anno_precedente = _numero(
        "assegnate_anno_precedente", _("Assegnate anno precedente")
    )

    class Meta:
        model = Comunicazione
        fields = []
        sequence = [
            "ente",
            *Comunicazione.CAMPI_CONSISTENZA,
            *Comunicazione.CAMPI_STATO_SAP,
            *Comunicazione.CAMPI_ASSEGNABILI,
            "somma",
            "assegnabili_totale",
            "unita_sat",
            "assegnate_anno_precedente",
        ]
        empty_text = _("Nessun dato corrisponde ai filtri.")


class DecisioneTable(TabellaConPermessi):
    comune = tables.Column(
        verbose_name=_("Comune"),
        linkify=("piani:decisione_history", {"pk": tables.A("pk")}),
        order_by=("comune__nome",),
    )
    modifica = ModificaColumn("piani:decisione_update", "comune.nome")
    quota_indigenti = NumeroColumn(verbose_name=_("Quota indigenti (%)"))
    categoria_ulteriore = tables.Column(verbose_name=_("Ulteriore categoria"))
    quota_forze_ordine = NumeroColumn(verbose_name=_("Forze dell'ordine (%)"))
    quota_polizia_locale = NumeroColumn(verbose_name=_("Polizia Locale (%)"))

    class Meta:
        model = DecisioneComune
        fields = [
            "comune",
            "quota_indigenti",
            "categoria_ulteriore",
            "quota_forze_ordine",
            "quota_polizia_locale",
            "modifica",
        ]
        empty_text = _("Nessuna decisione registrata.")


class SezioneTable(TabellaConPermessi):
    ordine = NumeroColumn(verbose_name=_("Ordine"))
    titolo = tables.Column(
        verbose_name=_("Titolo"),
        linkify=("piani:sezione_detail", {"pk": tables.A("pk")}),
        default="",
    )
    chiave = tables.Column(verbose_name=_("Chiave"))
    modifica = ModificaColumn("piani:sezione_update", "chiave")

    class Meta:
        model = Sezione
        fields = ["ordine", "titolo", "chiave", "modifica"]
        empty_text = _("Nessuna sezione.")

    def render_titolo(self, record, value):
        return value or record.chiave
