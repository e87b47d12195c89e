"""The main menu: one entry per section, by URL name. Core knows no app: each app
declares its entries in its ``AppConfig.ready()`` (``voci_registra``), and the app
that knows the user's ambiti fills ``ambiti_utente_imposta``."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class VoceMenu:
    etichetta: str
    url: str
    attiva: bool


# (order, label, URL name, prefix that makes it active, administrators only),
# filled by the apps at start-up.
VOCI: list[tuple] = []
_ambiti_utente: Callable[[object], list] = lambda user: []  # noqa: E731


def voci_registra(*voci: tuple) -> None:
    """Entries ``(ordine, etichetta, url_name, prefisso, solo_amministratori)``;
    registering the same entry twice (tests reloading apps) keeps one."""
    for voce in voci:
        if voce not in VOCI:
            VOCI.append(voce)
    VOCI.sort(key=lambda voce: voce[0])


def ambiti_utente_imposta(funzione: Callable[[object], list]) -> None:
    """The function giving the ambiti a user sees (shown in the header)."""
    global _ambiti_utente
    _ambiti_utente = funzione


def voci_menu(request) -> list[VoceMenu]:
    percorso = request.path if request is not None else ""
    user = getattr(request, "user", None)
    amministratore = bool(user and user.is_superuser)
    return [
        VoceMenu(str(etichetta), reverse(nome), percorso.startswith(prefisso))
        for _ordine, etichetta, nome, prefisso, solo_amministratori in VOCI
        if amministratore or not solo_amministratori
    ]


def menu(request) -> dict:
    """Context processor: the menu and the ambiti of the user shown in the header.

    Lazy, so a page that does not print them runs no query for them.
    """
    from django.utils.functional import SimpleLazyObject

    user = getattr(request, "user", None)
    return {
        "menu_voci": SimpleLazyObject(lambda: voci_menu(request)),
        "ambiti_utente": SimpleLazyObject(
            lambda: list(_ambiti_utente(user)) if user is not None else []
        ),
    }
