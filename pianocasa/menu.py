"""The main menu: one entry per section, by URL name."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class VoceMenu:
    etichetta: str
    url: str
    attiva: bool


# (label, URL name)
VOCI = [
    (_("Piani annuali"), "piani:piano_list"),
    (_("Ambiti e comuni"), "ambiti:ambito_list"),
    (_("Patrimonio"), "patrimonio:alloggio_list"),
    (_("Misure"), "misure:bando_list"),
]


def voci_menu(request) -> list[VoceMenu]:
    percorso = request.path if request is not None else ""
    voci = []
    for etichetta, nome in VOCI:
        url = reverse(nome)
        # The section is active when the page lives under the first path segment.
        prefisso = "/" + url.strip("/").split("/")[0] + "/"
        voci.append(VoceMenu(str(etichetta), url, percorso.startswith(prefisso)))
    return voci


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
