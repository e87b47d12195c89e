import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ambiti.models import Comune
from ambiti.permessi import ambiti_visibili
from patrimonio.models import Alloggio, EnteProprietario, Servizio, StatoAlloggio
from patrimonio.territorio import enti_visibili


class AlloggioFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cerca"), method="cerca")
    ente = django_filters.ModelChoiceFilter(
        label=_("Ente proprietario"), queryset=EnteProprietario.objects.all()
    )
    comune = django_filters.ModelChoiceFilter(
        label=_("Comune"),
        queryset=Comune.objects.filter(alloggi__isnull=False).distinct(),
    )
    servizio = django_filters.ChoiceFilter(
        label=_("Servizio"), choices=Servizio.choices
    )
    stato = django_filters.ChoiceFilter(label=_("Stato"), choices=StatoAlloggio.choices)

    class Meta:
        model = Alloggio
        fields = ["q", "ente", "comune", "servizio", "stato"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the enti and comuni of the user's ambiti are offered.
        user = getattr(self.request, "user", None)
        if user is not None and not user.is_superuser:
            self.filters["ente"].queryset = enti_visibili(user)
            self.filters["comune"].queryset = Comune.objects.filter(
                appartenenze__ambito__in=ambiti_visibili(user), alloggi__isnull=False
            ).distinct()

    def cerca(self, queryset, name, value):
        return queryset.filter(
            Q(codice__icontains=value) | Q(indirizzo__icontains=value)
        )
