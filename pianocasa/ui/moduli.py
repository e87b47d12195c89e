"""Form pieces shared by every app: the Italian date input and the Bootstrap Italia
classes on widgets."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DataInput(forms.DateInput):
    """A date typed the Italian way (27/10/2025), whatever the browser's locale."""

    def __init__(self, attrs=None):
        attrs = {
            "placeholder": _("gg/mm/aaaa"),
            "inputmode": "numeric",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%d/%m/%Y")


class StileMixin:
    """Bootstrap Italia classes on every widget, and an Italian error class."""

    error_css_class = "campo-errato"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for campo in self.fields.values():
            widget = campo.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                classe = "form-check-input"
            elif isinstance(widget, forms.Select):
                classe = "form-select"
            else:
                classe = "form-control"
            esistente = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{esistente} {classe}".strip()
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 4)
