"""Context processor of the footer: the site-wide accessibility statement (a
setting), overridden on an ambito's pages by that ambito's own links."""

from django.conf import settings


def piede(request) -> dict:
    return {
        "url_accessibilita_sito": getattr(settings, "PIANOCASA_URL_ACCESSIBILITA", ""),
    }
