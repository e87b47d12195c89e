"""Form pieces shared by every app: one date input, one number input and the
Bootstrap Italia classes on widgets, all applied by ``StileMixin``."""

from django import forms

from pianocasa.campi_numerici import campo_italiano


class DataInput(forms.DateInput):
    """The browser's own date picker (``type="date"``): it shows the date in the
    user's format and always sends ISO, which is also what it must be given."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def campo_data(campo: forms.Field) -> forms.Field:
    """A DateField with the one date input of the site, keeping its classes."""
    if not isinstance(campo, forms.DateField) or isinstance(campo.widget, DataInput):
        return campo
    if isinstance(campo.widget, forms.HiddenInput):
        return campo
    attrs = {
        k: v
        for k, v in campo.widget.attrs.items()
        if k not in {"type", "placeholder", "inputmode"}
    }
    campo.widget = DataInput(attrs=attrs)
    campo.widget.is_required = campo.required
    return campo


def campi_italiani(form: forms.BaseForm) -> None:
    """Every number and date field of ``form`` with the site's inputs. A year
    is a plain number (2026, never «2.026»): it keeps its own input."""
    for nome, campo in list(form.fields.items()):
        if nome == "anno" or nome.startswith("anno_") or nome.endswith("_anno"):
            form.fields[nome] = campo_data(campo)
            continue
        form.fields[nome] = campo_data(campo_italiano(campo))


class StileMixin:
    """Italian number and date inputs, Bootstrap Italia classes on every widget,
    and an Italian error class."""

    error_css_class = "campo-errato"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campi_italiani(self)
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
            if classe not in esistente.split():
                widget.attrs["class"] = f"{esistente} {classe}".strip()
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 4)
