"""Thousands of spreadsheet rows through one ModelForm's rules, at bulk speed.

A ModelForm per row costs about a millisecond before it touches the database
(fields deep-copied, every value cleaned again, a query per foreign key and per
check constraint). ``ControlloRighe`` applies the *same* rules once per row with
one form: each form field cleans a distinct raw text once (field cleaning is
pure), the form's ``clean_<campo>`` and ``clean()`` run on every row, then the
model's field validators (once per distinct value), ``Model.clean()`` and the
check constraints, evaluated in memory when they are simple comparisons. The
messages are the web form's, word for word.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.forms.utils import ErrorDict

_CONFRONTI = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def _condizione_vale(condizione: Q, istanza: models.Model) -> bool | None:
    """True/False for a Q of plain comparisons between the instance's own
    fields and constants; None when it needs the database to decide."""
    esiti = []
    for figlio in condizione.children:
        if isinstance(figlio, Q):
            esito = _condizione_vale(figlio, istanza)
        else:
            chiave, valore = figlio
            nome, _sep, confronto = chiave.partition("__")
            operazione = _CONFRONTI.get(confronto or "exact")
            if isinstance(valore, F):
                if "__" in valore.name:
                    return None
                valore = getattr(istanza, valore.name)
            elif not isinstance(valore, int | float | str | Decimal | date):
                return None
            sinistra = getattr(istanza, nome, None)
            if operazione is None or sinistra is None or valore is None:
                return None  # a lookup or a NULL the database decides
            esito = operazione(sinistra, valore)
        if esito is None:
            return None
        esiti.append(esito)
    if condizione.connector == Q.AND:
        vale = all(esiti)
    elif condizione.connector == Q.OR:
        vale = any(esiti)
    else:
        return None
    return not vale if condizione.negated else vale


class ControlloRighe:
    """Turn rows (``{campo: testo}``) into unsaved instances or field errors,
    with ``form``'s rules. ``nuova`` makes the blank instance of a row (its
    parent already set)."""

    def __init__(self, form: forms.ModelForm, *, nuova: Callable[[], models.Model]):
        self.form = form
        self.nuova = nuova
        opzioni = form._meta.model._meta
        self.campi_modello = {
            nome: opzioni.get_field(nome)
            for nome in form.fields
            if nome in (form._meta.fields or ())
        }
        self._memoria: dict[str, dict] = {nome: {} for nome in form.fields}
        self._memoria_modello: dict[str, dict] = {n: {} for n in self.campi_modello}
        self._vincoli = [
            v for v in opzioni.constraints if isinstance(v, models.CheckConstraint)
        ]

    def _campo_pulito(self, nome: str, campo: forms.Field, grezzo):
        memoria = self._memoria[nome]
        try:
            return memoria[grezzo]
        except KeyError:
            ricorda = True
        except TypeError:  # an unhashable raw value: cleaned every time
            ricorda = False
        try:
            esito = (True, campo.clean(grezzo))
        except ValidationError as errore:
            esito = (False, errore.messages)
        if ricorda:
            memoria[grezzo] = esito
        return esito

    def _pulisci_form(self, dati) -> tuple[dict, dict[str, list[str]]]:
        form = self.form
        pulito: dict = {}
        errori: dict[str, list[str]] = {}
        for nome, campo in form.fields.items():
            grezzo = campo.widget.value_from_datadict(dati, {}, nome)
            riuscito, valore = self._campo_pulito(nome, campo, grezzo)
            if not riuscito:
                errori[nome] = list(valore)
                continue
            pulito[nome] = valore
            metodo = getattr(form, f"clean_{nome}", None)
            if metodo is not None:
                form.cleaned_data = pulito
                try:
                    pulito[nome] = metodo()
                except ValidationError as errore:
                    errori[nome] = errore.messages
                    del pulito[nome]
        # As Form.full_clean: clean() runs even when a field failed.
        form.cleaned_data, form._errors = pulito, ErrorDict()
        try:
            pulito = form.clean() or pulito
        except ValidationError as errore:
            errori.setdefault("__all__", []).extend(errore.messages)
        for campo, testi in form._errors.items():  # a clean() that add_error()s
            errori.setdefault(campo, []).extend(testi)
            pulito.pop(campo, None)
        return pulito, errori

    def _valida_campi(self, istanza, esclusi: set[str]) -> dict[str, list[str]]:
        errori: dict[str, list[str]] = {}
        for nome, campo in self.campi_modello.items():
            if nome in esclusi or campo.is_relation:
                continue  # a related row was already found by its form field
            valore = getattr(istanza, campo.attname)
            if valore in campo.empty_values and (
                campo.blank or not self.form.fields[nome].required
            ):
                continue  # as ModelForm: an optional empty field is not validated
            messaggi = self._campo_modello_valida(nome, campo, valore, istanza)
            if messaggi:
                errori[nome] = list(messaggi)
        return errori

    def _campo_modello_valida(self, nome, campo, valore, istanza) -> list[str]:
        memoria = self._memoria_modello[nome]
        try:
            return memoria[valore]
        except KeyError:
            ricorda = True
        except TypeError:  # a list or a dict (JSON): validated every time
            ricorda = False
        try:
            campo.clean(valore, istanza)
            messaggi = []
        except ValidationError as errore:
            messaggi = errore.messages
        if ricorda:
            memoria[valore] = messaggi
        return messaggi

    def _valida_modello(self, istanza, esclusi: set[str]) -> dict[str, list[str]]:
        """As Model.full_clean: field validators, clean(), then the check
        constraints on the fields that passed."""
        errori = self._valida_campi(istanza, esclusi)
        try:
            istanza.clean()
        except ValidationError as errore:
            for campo, testi in errore.update_error_dict({}).items():
                errori.setdefault(campo, []).extend(ValidationError(testi).messages)
        esclusi = esclusi | set(errori)
        for vincolo in self._vincoli:
            if vincolo.condition.referenced_base_fields & esclusi:
                continue
            vale = _condizione_vale(vincolo.condition, istanza)
            if vale is None:
                try:
                    vincolo.validate(type(istanza), istanza)
                except ValidationError as errore:
                    errori.setdefault("__all__", []).extend(errore.messages)
            elif not vale:
                messaggio = vincolo.get_violation_error_message()
                errori.setdefault("__all__", []).append(messaggio)
        return errori

    def istanza(self, dati) -> tuple[models.Model | None, dict[str, list[str]]]:
        """The row's unsaved instance, or None and its errors by field
        (``"__all__"`` for the row as a whole), as the form would list them."""
        pulito, errori = self._pulisci_form(dati)
        istanza = self.nuova()
        for nome, campo in self.campi_modello.items():
            if nome in pulito:
                campo.save_form_data(istanza, pulito[nome])
        for campo, testi in self._valida_modello(istanza, set(errori)).items():
            errori.setdefault(campo, []).extend(testi)
        return (None, errori) if errori else (istanza, {})
