"""The main menu: entries by URL name, shown only when the name resolves.

Other apps (patrimonio, misure) add their pages as they land; an entry whose URL does
not exist yet is simply left out, so the menu never breaks a page.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class VoceMenu:
    etichetta: str
    url: str
    attiva: bool


# (label, candidate URL names: the first that resolves is used)
VOCI = [
    (_("Piani annuali"), ["piani:piano_list"]),
    (_("Ambiti e comuni"), ["ambiti:ambito_list"]),
    (
        _("Patrimonio"),
        ["patrimonio:alloggio_list", "patrimonio:ente_list", "patrimonio:index"],
    ),
    (_("Misure"), ["misure:bando_list", "misure:dgr_list", "misure:index"]),
]


def _risolvi(nomi: list[str]) -> str | None:
    for nome in nomi:
        try:
            return reverse(nome)
        except NoReverseMatch:
            continue
    return None


def voci_menu(request) -> list[VoceMenu]:
    percorso = request.path if request is not None else ""
    voci = []
    for etichetta, nomi in VOCI:
        url = _risolvi(nomi)
        if url is None:
            continue
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
