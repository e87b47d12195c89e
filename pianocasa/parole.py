"""Words instead of codes: Italian labels for values that libraries print in
English (django-simple-history's "Created/Changed/Deleted")."""

from django.utils.translation import gettext_lazy as _

TIPI_STORIA = {
    "+": _("Creazione"),
    "~": _("Modifica"),
    "-": _("Eliminazione"),
}


def tipo_storia(codice: str) -> str:
    """The Italian name of a history record's type ("+", "~", "-")."""
    return str(TIPI_STORIA.get(codice, codice))
