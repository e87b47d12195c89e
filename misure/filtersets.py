import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ambiti.models import Ambito

from .models import Bando, Domanda


class BandoFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="cerca", label=_("Cerca"))
    ambito = django_filters.ModelChoiceFilter(
        queryset=Ambito.objects.all(), label=_("Ambito")
    )
    misura = django_filters.ChoiceFilter(
        choices=Bando.Misura.choices, label=_("Misura")
    )

    class Meta:
        model = Bando
        fields = ["q", "ambito", "misura"]

    def __init__(self, *args, ambiti=None, **kwargs):
        super().__init__(*args, **kwargs)
        if ambiti is not None:
            self.filters["ambito"].queryset = ambiti

    def cerca(self, queryset, name, value):
        return queryset.filter(
            Q(titolo__icontains=value) | Q(descrizione_breve__icontains=value)
        )


class DomandaFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="cerca", label=_("Cerca (protocollo, nome, codice fiscale)")
    )
    esito = django_filters.ChoiceFilter(choices=Domanda.Esito.choices, label=_("Esito"))

    class Meta:
        model = Domanda
        fields = ["q", "esito"]

    def cerca(self, queryset, name, value):
        return queryset.filter(
            Q(protocollo__icontains=value)
            | Q(cognome__icontains=value)
            | Q(nome__icontains=value)
            | Q(codice_fiscale__icontains=value)
        )
