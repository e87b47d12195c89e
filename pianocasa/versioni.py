"""Optimistic locking on every path that writes a versioned record: a form (the
app's pages and the admin) carries the version it was opened at and is refused
if the record moved on since; every other save (an import, a service, the
admin) moves the version on, so a form opened before it is stale.

The plan's own forms save through ``piani.services`` with ``UPDATE … WHERE
versione = n``; this module covers the rest with the same message.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGGIO_CONCORRENTE = _(
    "Questi dati sono stati modificati da un'altra persona o da un'importazione "
    "dopo che li hai aperti: le tue modifiche non sono state salvate. Ricarica la "
    "pagina per vedere i dati aggiornati e ripeti la modifica."
)


def _versione_salvata(oggetto: Any) -> int | None:
    """The version the database holds now (not the instance's, maybe stale)."""
    return (
        type(oggetto)
        ._base_manager.filter(pk=oggetto.pk)
        .values_list("versione", flat=True)
        .first()
    )


def versione_avanza(oggetto: Any, kwargs: dict[str, Any]) -> None:
    """Before saving an existing versioned record: its version becomes the
    stored one + 1 (read from the database, not from a possibly stale
    instance); with ``update_fields`` the version is written too."""
    if oggetto._state.adding or oggetto.pk is None:
        return
    campi = kwargs.get("update_fields")
    if campi is not None:
        campi = list(campi)
        if not campi or set(campi) == {"versione"}:
            return
        if "versione" not in campi:
            kwargs["update_fields"] = [*campi, "versione"]
    attuale = _versione_salvata(oggetto)
    oggetto.versione = (attuale if attuale is not None else oggetto.versione) + 1


class VersioneLettaMixin(forms.ModelForm):
    """A ModelForm that remembers the version it showed and refuses to save
    over a newer one."""

    versione_letta = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["versione_letta"].initial = self.instance.versione

    def clean(self):
        dati = super().clean()
        letta = dati.get("versione_letta")
        if self.instance.pk and letta is not None:
            attuale = _versione_salvata(self.instance)
            if attuale is not None and attuale != letta:
                raise ValidationError(
                    MESSAGGIO_CONCORRENTE, code="modifica_concorrente"
                )
        return dati


class ModuloAdminVersionato(VersioneLettaMixin, forms.ModelForm):
    """The admin's change form of a versioned record (``ModelAdmin.form``)."""
