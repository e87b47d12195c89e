import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pianocasa.ui import NumeroColumn

from .models import AssegnazioneDgr, Bando, Domanda


class EuroColumn(NumeroColumn):
    def render(self, value):
        return f"€ {localize(value)}"


class BandoTable(tables.Table):
    titolo = tables.Column(verbose_name=_("Bando"), linkify=True)
    ambito = tables.Column(verbose_name=_("Ambito"))
    misura = tables.Column(verbose_name=_("Misura"))
    data_pubblicazione = tables.DateColumn(
        verbose_name=_("Pubblicato il"), format="d/m/Y"
    )
    data_scadenza = tables.DateColumn(verbose_name=_("Scadenza"), format="d/m/Y")
    importo = EuroColumn(verbose_name=_("Importo"))
    n_pervenute = NumeroColumn(verbose_name=_("Pervenute"), orderable=False)
    n_accolte = NumeroColumn(verbose_name=_("Accolte"), orderable=False)
    n_finanziate = NumeroColumn(verbose_name=_("Finanziate"), orderable=False)
    gestito = tables.BooleanColumn(verbose_name=_("Gestito in pianocasa"))

    class Meta:
        model = Bando
        fields = [
            "titolo",
            "ambito",
            "misura",
            "data_pubblicazione",
            "data_scadenza",
            "importo",
            "n_pervenute",
            "n_accolte",
            "n_finanziate",
            "gestito",
        ]
        default_columns = fields
        order_by = ["-data_pubblicazione"]
        empty_text = _("Nessun bando.")


class DomandaTable(tables.Table):
    """Applicants' personal data: shown only to the ambito's staff."""

    posizione = NumeroColumn(verbose_name=_("Pos."))
    protocollo = tables.Column(verbose_name=_("Protocollo"), linkify=True)
    data_protocollo = tables.DateColumn(verbose_name=_("Data prot."), format="d/m/Y")
    cognome = tables.Column(verbose_name=_("Cognome"))
    nome = tables.Column(verbose_name=_("Nome"))
    codice_fiscale = tables.Column(verbose_name=_("Codice fiscale"))
    comune_residenza = tables.Column(verbose_name=_("Comune di residenza"))
    isee = EuroColumn(verbose_name=_("ISEE"))
    punteggio = NumeroColumn(verbose_name=_("Punteggio"))
    esito = tables.Column(verbose_name=_("Esito"))
    contributo = EuroColumn(verbose_name=_("Contributo spettante"))

    class Meta:
        model = Domanda
        fields = [
            "posizione",
            "protocollo",
            "data_protocollo",
            "cognome",
            "nome",
            "codice_fiscale",
            "comune_residenza",
            "isee",
            "punteggio",
            "esito",
            "contributo",
        ]
        default_columns = fields
        empty_text = _("Nessuna domanda.")


class AssegnazioneTable(tables.Table):
    dgr = tables.Column(verbose_name=_("Atto"), linkify=False)
    fonte = tables.Column(verbose_name=_("Fonte"), accessor="dgr__fonte")
    assegnate = EuroColumn(verbose_name=_("Assegnate"))
    spese_gestione = EuroColumn(verbose_name=_("Spese di gestione"))
    impegnate = EuroColumn(verbose_name=_("Impegnate"), orderable=False)
    erogate = EuroColumn(verbose_name=_("Erogate"))
    destinate = EuroColumn(verbose_name=_("Destinate ai bandi"))
    residuo = EuroColumn(
        verbose_name=_("Residuo per bandi successivi"), empty_values=(), orderable=False
    )
    misura = tables.Column(verbose_name=_("Misura"))
    modifica = tables.Column(
        verbose_name="",
        empty_values=(),
        orderable=False,
        exclude_from_export=True,
    )

    def __init__(self, *args, modificabili: frozenset[int] = frozenset(), **kwargs):
        # The ambiti the user may edit: read-only users get no «Modifica» link
        # (it would lead to a 403).
        self.modificabili = modificabili
        super().__init__(*args, **kwargs)

    def render_modifica(self, record):
        if record.ambito_id not in self.modificabili:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("misure:assegnazionedgr_update", args=[record.pk]),
            _("Modifica"),
        )

    def render_residuo(self, record):
        # what is committed and not yet given to a bando carries into the next
        if record.impegnate is None:
            return ""
        return EuroColumn.render(self, record.impegnate - (record.destinate or 0))

    class Meta:
        model = AssegnazioneDgr
        fields = [
            "dgr",
            "fonte",
            "assegnate",
            "spese_gestione",
            "impegnate",
            "erogate",
            "destinate",
            "residuo",
            "misura",
            "modifica",
        ]
        default_columns = fields
        empty_text = _("Nessuna assegnazione.")
