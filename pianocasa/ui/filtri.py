"""The base of every list's filters: a free-text ``q`` over ``campi_ricerca`` and
Bootstrap Italia classes on the filter widgets."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .moduli import campi_italiani


class FiltriBase(django_filters.FilterSet):
    q = django_filters.CharFilter(method="cerca", label=_("Cerca"))
    campi_ricerca: tuple[str, ...] = ()

    def cerca(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condizione = Q()
        for campo in self.campi_ricerca:
            condizione |= Q(**{f"{campo}__icontains": value})
        return queryset.filter(condizione)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campi_italiani(self.form)
        for filtro in self.form.fields.values():
            classe = (
                "form-select"
                if isinstance(filtro.widget, forms.Select)
                else "form-control"
            )
            filtro.widget.attrs.setdefault("class", classe)


class TestoConSuggerimenti(forms.TextInput):
    """A text box with the browser's own autocomplete (``<datalist>``): the
    suggestions are the caller's, read when the page renders. A list of the
    region's 3.000 enti is never sent as a ``<select>``; staff get the few of their
    ambiti as suggestions, administrators type a name."""

    template_name = "includes/testo_con_suggerimenti.html"

    def __init__(self, *args, suggerimenti=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.suggerimenti = suggerimenti
        self.attrs.setdefault("autocomplete", "off")

    def get_context(self, name, value, attrs):
        contesto = super().get_context(name, value, attrs)
        suggerimenti = list(self.suggerimenti() if callable(self.suggerimenti) else [])
        contesto["suggerimenti"] = suggerimenti
        if suggerimenti:
            lista = f"{contesto['widget']['attrs']['id']}-suggerimenti"
            contesto["widget"]["attrs"]["list"] = lista
        return contesto
