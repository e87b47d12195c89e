import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from patrimonio.models import Alloggio, Importazione


class AlloggioTable(tables.Table):
    codice = tables.Column(verbose_name=_("Codice"))
    ente = tables.Column(verbose_name=_("Ente proprietario"))
    comune = tables.Column(verbose_name=_("Comune"))
    superficie_mq = tables.Column(
        verbose_name=_("Superficie (m²)"), attrs={"td": {"class": "text-end"}}
    )
    # A year: 1975, never «1.975».
    anno_costruzione = tables.Column(
        verbose_name=_("Anno di costruzione"), localize=False
    )

    class Meta:
        model = Alloggio
        fields = (
            "codice", "ente", "comune", "indirizzo", "civico", "piano", "superficie_mq",
            "vani", "servizio", "stato", "anno_costruzione", "aggiornato_il",
        )  # fmt: skip
        per_page = 25


class ImportazioneTable(tables.Table):
    creata_il = tables.DateTimeColumn(
        verbose_name=_("Caricata il"), format="d/m/Y H:i", linkify=True
    )
    tipo = tables.Column(verbose_name=_("Tipo"))
    nome_file = tables.Column(verbose_name=_("File"), linkify=True)
    utente = tables.Column(verbose_name=_("Utente"))
    stato = tables.Column(verbose_name=_("Esito"))
    righe = tables.Column(verbose_name=_("Righe"), attrs={"td": {"class": "text-end"}})
    creati = tables.Column(verbose_name=_("Nuovi"), attrs={"td": {"class": "text-end"}})
    modificati = tables.Column(
        verbose_name=_("Modificati"), attrs={"td": {"class": "text-end"}}
    )
    righe_errate = tables.Column(
        verbose_name=_("Righe errate"), attrs={"td": {"class": "text-end"}}
    )
    sha256 = tables.Column(verbose_name=_("SHA-256"))

    class Meta:
        model = Importazione
        fields = (
            "creata_il", "tipo", "nome_file", "utente", "stato", "righe", "creati",
            "modificati", "righe_errate", "sha256",
        )  # fmt: skip
        per_page = 25

    def render_sha256(self, value):
        return f"{value[:12]}…"
