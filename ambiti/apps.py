from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmbitiConfig(AppConfig):
    name = "ambiti"
    verbose_name = _("Ambiti territoriali e comuni")

    def ready(self) -> None:
        from pianocasa.menu import ambiti_utente_imposta, voci_registra

        from .permessi import ambiti_visibili

        voci_registra(
            (20, _("Ambiti e comuni"), "ambiti:ambito_list", "/ambiti/", False)
        )
        ambiti_utente_imposta(ambiti_visibili)
