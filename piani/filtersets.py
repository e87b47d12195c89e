"""Filters of the plan's lists: explicit FK filters and a free-text ``q``."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from patrimonio.models import EnteProprietario
from pianocasa.ui import FiltriBase

from .models import Comunicazione, DecisioneComune

_Base = FiltriBase  # the old name, kept for importers


class ComunicazioneFilterSet(_Base):
    campi_ricerca = (
        "ente__denominazione",
        "denominazione_ricevuta",
        "protocollo",
        "note",
    )

    esito = django_filters.ChoiceFilter(
        choices=Comunicazione.Esito.choices, label=_("Esito"), empty_label=_("Tutti")
    )
    pervenuta = django_filters.BooleanFilter(
        method="filtra_pervenuta",
        label=_("Pervenuta"),
        widget=forms.Select(
            choices=[("", _("Tutte")), ("true", _("Sì")), ("false", _("No"))]
        ),
    )
    canale = django_filters.ChoiceFilter(
        choices=Comunicazione.Canale.choices, label=_("Canale"), empty_label=_("Tutti")
    )
    ente__tipo = django_filters.ChoiceFilter(
        choices=EnteProprietario.Tipo.choices,
        label=_("Tipo di ente"),
        empty_label=_("Tutti"),
    )

    class Meta:
        model = Comunicazione
        fields = ["q", "pervenuta", "esito", "canale", "ente__tipo"]

    def filtra_pervenuta(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(esito="") if value else queryset.filter(esito="")


class DecisioneFilterSet(_Base):
    campi_ricerca = ("comune__nome", "categoria_ulteriore", "motivazione_categoria")

    class Meta:
        model = DecisioneComune
        fields = ["q"]
