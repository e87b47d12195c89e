import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ambiti.models import Comune
from ambiti.permessi import ambiti_visibili
from patrimonio.models import Alloggio, Servizio, StatoAlloggio
from patrimonio.territorio import enti_visibili
from pianocasa.ui.filtri import TestoConSuggerimenti


class AlloggioFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cerca"), method="cerca")
    # Names, not <select>s: at region scale there are 3.000 enti and 1.502
    # comuni; the user's own are offered as suggestions.
    ente = django_filters.CharFilter(
        label=_("Ente proprietario"),
        field_name="ente__denominazione",
        lookup_expr="icontains",
        widget=TestoConSuggerimenti(),
    )
    comune = django_filters.CharFilter(
        label=_("Comune"),
        field_name="comune__nome",
        lookup_expr="istartswith",
        widget=TestoConSuggerimenti(),
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
        # Only the enti and comuni of the user's ambiti are suggested.
        user = getattr(self.request, "user", None)
        if user is not None and not user.is_superuser:
            self.form.fields["ente"].widget.suggerimenti = lambda: (
                enti_visibili(user)
                .order_by("denominazione")
                .values_list("denominazione", flat=True)
            )
            self.form.fields["comune"].widget.suggerimenti = lambda: (
                Comune.objects.filter(appartenenze__ambito__in=ambiti_visibili(user))
                .order_by("nome")
                .values_list("nome", flat=True)
                .distinct()
            )

    def cerca(self, queryset, name, value):
        return queryset.filter(
            Q(codice__icontains=value) | Q(indirizzo__icontains=value)
        )
