"""Helpers for the view tests: POST data as the browser would send it."""

from datetime import date
from decimal import Decimal


def valore_post(valore) -> str:
    if valore is None:
        return ""
    if isinstance(valore, date):
        return valore.strftime("%d/%m/%Y")
    if isinstance(valore, bool):
        return "on" if valore else ""
    if isinstance(valore, Decimal):
        return str(valore)
    return str(valore)


def dati_form(form, **modifiche) -> dict[str, str]:
    """The unbound form's initial values, as a browser posts them, plus changes."""
    dati = {}
    for campo in form:
        valore = campo.value()
        if isinstance(valore, bool) and not valore:
            continue
        dati[campo.html_name] = valore_post(valore)
    dati.update({k: valore_post(v) for k, v in modifiche.items()})
    return dati


def dati_formset(formset) -> dict[str, str]:
    dati = {}
    for campo in formset.management_form:
        dati[campo.html_name] = valore_post(campo.value())
    for form in formset.forms:
        dati.update(dati_form(form))
    return dati
