"""The main menu: one entry per section, by URL name."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class VoceMenu:
    etichetta: str
    url: str
    attiva: bool


# (label, URL name, prefix that makes it active, administrators only)
VOCI = [
    (_("Piani annuali"), "piani:piano_list", "/piani/", False),
    (_("Ambiti e comuni"), "ambiti:ambito_list", "/ambiti/", False),
    (_("Patrimonio"), "patrimonio:alloggio_list", "/patrimonio/alloggi/", False),
    (_("Misure"), "misure:bando_list", "/misure/", False),
    (_("Importazioni"), "patrimonio:importazione_list", "/patrimonio/importaz", True),
    (_("Nuovo ambito"), "patrimonio:ambito_create", "/patrimonio/ambiti/", True),
]


def voci_menu(request) -> list[VoceMenu]:
    percorso = request.path if request is not None else ""
    user = getattr(request, "user", None)
    amministratore = bool(user and user.is_superuser)
    return [
        VoceMenu(str(etichetta), reverse(nome), percorso.startswith(prefisso))
        for etichetta, nome, prefisso, solo_amministratori in VOCI
        if amministratore or not solo_amministratori
    ]


def menu(request) -> dict:
    """Context processor: the menu and the ambiti of the user shown in the header.

    Lazy, so a page that does not print them runs no query for them.
    """
    from django.utils.functional import SimpleLazyObject

    from ambiti.permessi import ambiti_visibili

    user = getattr(request, "user", None)
    return {
        "menu_voci": SimpleLazyObject(lambda: voci_menu(request)),
        "ambiti_utente": SimpleLazyObject(
            lambda: list(ambiti_visibili(user)) if user is not None else []
        ),
    }
