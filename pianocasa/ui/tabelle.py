"""The rows of every django-tables2 table, rendered in Python (``{% celle row %}``
in templates/django_tables2/pianocasa.html, registered in settings as the
``tabelle`` library).

django-tables2's own row template resolves, for every cell, the column's
attributes (a dict rebuilt with its classes each time) and three template
branches for localisation: on a 25 × 12 page of alloggi that was a third of the
page's CPU. Here the ``<td>`` attributes are built once per column when they
hold no callables, and each cell goes through the same steps the template
takes (the column's localisation filter, then the template's own rendering of
a value), so the HTML is the same; tests/test_tabelle.py compares the two.

django-tables2 also asks ``inspect.signature`` of each cell's render function
for every cell (``utils.call_with_appropriate``); the answer depends only on
the function, so it is remembered (a bounded cache, keyed by the function and
whether it is bound)."""

import django_tables2.utils
from django import template
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize, unlocalize
from django.utils.html import format_html_join

register = template.Library()

_signature = django_tables2.utils.signature


_firme: dict = {}


def _signature_ricordata(fn):
    # A bound method is new with every table; its function is not.
    chiave = (getattr(fn, "__func__", fn), hasattr(fn, "__func__"))
    try:
        return _firme[chiave]
    except KeyError:
        pass
    except TypeError:  # an unhashable callable
        return _signature(fn)
    firma = _signature(fn)
    if len(_firme) < 1024:  # bounded: callables made afresh are not kept
        _firme[chiave] = firma
    return firma


django_tables2.utils.signature = _signature_ricordata


def _calcolato(attrs: dict) -> bool:
    """Whether some value, however nested, is computed per cell (a callable)."""
    return any(
        _calcolato(valore) if isinstance(valore, dict) else callable(valore)
        for valore in attrs.values()
    )


def _td_fisso(colonna) -> str | None:
    """The column's ``<td>`` attributes when no record can change them (no
    callable among the table's and the column's attrs), else None."""
    attrs = {**colonna._table.attrs, **colonna.column.attrs}
    td = attrs.get("td", attrs.get("cell", {}))
    if _calcolato(td):
        return None
    return colonna.attrs["td"].as_html()


@register.simple_tag(takes_context=True)
def celle(context, row) -> str:
    fissi = context.render_context.setdefault("pianocasa_td", {})
    parti = []
    for colonna, cella in row.items():
        chiave = id(colonna)
        if chiave not in fissi:
            fissi[chiave] = _td_fisso(colonna)
        td = fissi[chiave]
        if td is None:  # attributes computed from this cell's record and value
            td = colonna.attrs["td"].as_html()
        if colonna.localize is not None:
            cella = localize(cella) if colonna.localize else unlocalize(cella)
        parti.append((td, render_value_in_context(cella, context)))
    return format_html_join("", "<td {}>{}</td>", parti)
