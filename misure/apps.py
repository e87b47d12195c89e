from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MisureConfig(AppConfig):
    name = "misure"
    verbose_name = _("Misure di sostegno all'affitto")

    def ready(self) -> None:
        from pianocasa.menu import voci_registra

        voci_registra((40, _("Misure"), "misure:bando_list", "/misure/", False))
