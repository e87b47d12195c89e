"""Tables of the plan's lists, and the one export helper of the site (CSV and XLSX,
with spreadsheet formulas neutralised)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from pianocasa.ui import (  # noqa: F401 (re-exported: old import paths)
    FORMATI_ESPORTAZIONE,
    EsportaMixin,
    ModificaColumn,
    NumeroColumn,
    TabellaConPermessi,
    cella_sicura,
    esporta,
    neutralizza,
)

from .models import Comunicazione, DecisioneComune, PianoAnnuale, Sezione


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
