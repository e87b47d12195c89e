"""Tables of the ambito's lists."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pianocasa.ui import ModificaColumn, NumeroColumn

from .models import Ambito, AmbitoComune, PopolazioneComune


class AmbitoTable(tables.Table):
    nome = tables.Column(
        verbose_name=_("Ambito"),
        linkify=("ambiti:ambito_detail", {"slug": tables.A("slug")}),
    )
    numero = NumeroColumn(verbose_name=_("Numero"))
    provincia = tables.Column(verbose_name=_("Provincia"))
    comune_capofila = tables.Column(verbose_name=_("Comune capofila"))

    class Meta:
        model = Ambito
        fields = ["numero", "nome", "provincia", "comune_capofila"]


class _ColonnaModificaAmbito(ModificaColumn):
    """Links need the ambito's slug as well as the pk."""

    def url(self, record) -> str:
        return reverse(self.viewname, kwargs={"slug": self.slug, "pk": record.pk})


class TabellaAmbito(tables.Table):
    def __init__(self, *args, ambito: Ambito, puo_modificare: bool = False, **kwargs):
        if not puo_modificare:
            kwargs["exclude"] = tuple(kwargs.get("exclude") or ()) + ("modifica",)
        super().__init__(*args, **kwargs)
        if puo_modificare:
            self.columns["modifica"].column.slug = ambito.slug


class ComuneTable(TabellaAmbito):
    comune__codice_istat = tables.Column(verbose_name=_("Codice ISTAT"))
    comune = tables.Column(verbose_name=_("Comune"), order_by=("comune__nome",))
    comune__sigla_provincia = tables.Column(verbose_name=_("Provincia"))
    sub_ambito = tables.Column(
        verbose_name=_("Sub-ambito"), order_by=("sub_ambito__nome",)
    )
    area = tables.Column(verbose_name=_("Area geografica"))
    popolazione = NumeroColumn(verbose_name=_("Popolazione (ultimo dato)"))
    comune__superficie_kmq = NumeroColumn(verbose_name=_("Superficie (km²)"))
    modifica = _ColonnaModificaAmbito("ambiti:appartenenza_update", "comune.nome")

    class Meta:
        model = AmbitoComune
        fields = [
            "comune__codice_istat",
            "comune",
            "comune__sigla_provincia",
            "sub_ambito",
            "area",
            "popolazione",
            "comune__superficie_kmq",
            "modifica",
        ]
        empty_text = _("Nessun comune corrisponde ai filtri.")


class PopolazioneTable(TabellaAmbito):
    comune = tables.Column(verbose_name=_("Comune"), order_by=("comune__nome",))
    data = tables.DateColumn(verbose_name=_("Data di riferimento"), format="d/m/Y")
    popolazione = NumeroColumn(verbose_name=_("Popolazione residente"))
    fonte = tables.Column(verbose_name=_("Fonte"))
    modifica = _ColonnaModificaAmbito("ambiti:popolazione_update", "comune.nome")

    class Meta:
        model = PopolazioneComune
        fields = ["comune", "data", "popolazione", "fonte", "modifica"]
        empty_text = _("Nessun dato di popolazione.")
