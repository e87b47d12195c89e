from django import forms
from django.utils.translation import gettext_lazy as _


class CodiceForm(forms.Form):
    """The 6-digit code an authenticator app shows (checked by the services)."""

    codice = forms.CharField(
        label=_("Codice di verifica"),
        max_length=12,
        help_text=_("Le 6 cifre che l'app di autenticazione mostra ora."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )
