"""Table columns shared by every app's lists (django-tables2)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class NumeroColumn(tables.Column):
    """A count, right-aligned; empty when not communicated."""

    attrs = {"td": {"class": "numero"}, "th": {"class": "numero"}}

    def render(self, value):
        return localize(value)

    def value(self, value):
        return value


class ModificaColumn(tables.Column):
    """A "Modifica" link, for the users who may change the record (tables exclude it
    for the others)."""

    empty_values = ()

    def __init__(self, viewname: str, etichetta: str = "", **kwargs):
        self.viewname = viewname
        # Dotted path of the record's name for screen readers ("Modifica Clusone"):
        # an attribute already loaded, so the column adds no query per row.
        self.etichetta = etichetta
        kwargs.setdefault("verbose_name", _("Azioni"))
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("exclude_from_export", True)
        super().__init__(**kwargs)

    def nome(self, record) -> str:
        valore = record
        for parte in self.etichetta.split(".") if self.etichetta else ():
            valore = getattr(valore, parte)
        return str(valore)

    def url(self, record) -> str:
        return reverse(self.viewname, kwargs={"pk": record.pk})

    def render(self, record):
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
            self.url(record),
            _("Modifica"),
            self.nome(record),
        )


class TabellaConPermessi(tables.Table):
    """Drops the "Modifica" column for read-only users: ``puo_modificare=False``."""

    def __init__(self, *args, puo_modificare: bool = False, **kwargs):
        if not puo_modificare:
            kwargs["exclude"] = tuple(kwargs.get("exclude") or ()) + ("modifica",)
        super().__init__(*args, **kwargs)
