"""The one number field and widget of the site: typed the Italian way ("1.000",
"1.000,50", "€ 1.000"), read by ``pianocasa.numeri``, shown back as "1.000".

``StileMixin`` (pianocasa.ui.moduli) swaps every plain IntegerField/DecimalField of
a form for these, so no form keeps Django's ``type="number"`` box, which Italian
users fill with "1.000" and the browser (or Django's localized parsing) reads as 1.
"""

from django import forms
from django.core.exceptions import ValidationError

from .numeri import formatta_italiano, numero_italiano


class NumeroInput(forms.TextInput):
    """A text box for a number: the phone keypad through ``inputmode``, the value
    shown with the thousands dot."""

    def __init__(self, attrs=None, *, decimali: bool = False):
        self.decimali = decimali
        attrs = {
            "inputmode": "decimal" if decimali else "numeric",
            "autocomplete": "off",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs)

    def format_value(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, str):
            # what the user typed, shown back as is when the form has errors
            return value
        try:
            return formatta_italiano(value)
        except (ArithmeticError, ValueError, TypeError):
            return str(value)


class _NumeroItaliano:
    """``to_python`` through the Italian parser; the rest is Django's field."""

    decimali = False

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
        try:
            return numero_italiano(value, decimali=self.decimali)
        except ValueError as errore:
            raise ValidationError(str(errore), code="invalid") from errore

    def widget_attrs(self, widget):
        # no min/max/step: they belong to type="number", and the validators check
        return forms.Field.widget_attrs(self, widget)


class InteroItalianoField(_NumeroItaliano, forms.IntegerField):
    widget = NumeroInput


class DecimaleItalianoField(_NumeroItaliano, forms.DecimalField):
    decimali = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", NumeroInput(decimali=True))
        super().__init__(*args, **kwargs)


def campo_italiano(campo: forms.Field) -> forms.Field:
    """The Italian version of a plain Django IntegerField or DecimalField, with the
    same label, help, limits and validators; any other field comes back as is."""
    if type(campo) is forms.IntegerField:
        classe, extra = InteroItalianoField, {}
    elif type(campo) is forms.DecimalField:
        classe = DecimaleItalianoField
        extra = {"max_digits": campo.max_digits, "decimal_places": campo.decimal_places}
    else:
        return campo
    if isinstance(campo.widget, forms.HiddenInput):
        return campo  # a lock token or an id, never typed
    nuovo = classe(
        required=campo.required,
        label=campo.label,
        initial=campo.initial,
        help_text=campo.help_text,
        disabled=campo.disabled,
        label_suffix=campo.label_suffix,
        show_hidden_initial=campo.show_hidden_initial,
        **extra,
    )
    # min_value, max_value and the DecimalValidator are among these already
    nuovo.validators = list(campo.validators)
    nuovo.error_messages = {**nuovo.error_messages, **campo.error_messages}
    nuovo.min_value = campo.min_value
    nuovo.max_value = campo.max_value
    # the classes and attributes set so far (not the number input's own)
    vecchi = {
        k: v
        for k, v in campo.widget.attrs.items()
        if k not in {"min", "max", "step", "type"}
    }
    nuovo.widget.attrs.update(vecchi)
    return nuovo
