"""Filters of the ambito's lists: explicit FK filters and a free-text ``q``."""

import django_filters
from django.utils.translation import gettext_lazy as _

from pianocasa.ui import DataInput, FiltriBase

from .models import AmbitoComune, PopolazioneComune, SubAmbito


class ComuneFilterSet(FiltriBase):
    campi_ricerca = ("comune__nome", "comune__codice_istat", "area")

    sub_ambito = django_filters.ModelChoiceFilter(
        queryset=SubAmbito.objects.none(), label=_("Sub-ambito"), empty_label=_("Tutti")
    )

    class Meta:
        model = AmbitoComune
        fields = ["q", "sub_ambito"]

    def __init__(self, *args, ambito=None, **kwargs):
        super().__init__(*args, **kwargs)
        if ambito is not None:
            self.filters["sub_ambito"].queryset = SubAmbito.objects.filter(
                ambito=ambito
            )
            self.form.fields["sub_ambito"].queryset = self.filters[
                "sub_ambito"
            ].queryset


class PopolazioneFilterSet(FiltriBase):
    campi_ricerca = ("comune__nome", "fonte")
    data = django_filters.DateFilter(
        label=_("Data di riferimento"),
        widget=DataInput(),
    )

    class Meta:
        model = PopolazioneComune
        fields = ["q", "data"]

    def __init__(self, *args, ambito=None, **kwargs):
        super().__init__(*args, **kwargs)
