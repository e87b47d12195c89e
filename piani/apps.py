from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PianiConfig(AppConfig):
    name = "piani"
    verbose_name = _("Piani annuali dell'offerta abitativa")

    def ready(self) -> None:
        from pianocasa.menu import voci_registra

        voci_registra((10, _("Piani annuali"), "piani:piano_list", "/piani/", False))
        # patrimonio's import framework runs the plan's imports without importing us.
        from patrimonio.forms import piani_scelta_imposta
        from patrimonio.services import importatore_piano_registra

        from .importazioni import comunicazioni_importa, piani_importabili

        importatore_piano_registra("enti", comunicazioni_importa)
        piani_scelta_imposta(piani_importabili)
