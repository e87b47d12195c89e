from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PianiConfig(AppConfig):
    name = "piani"
    verbose_name = _("Piani annuali dell'offerta abitativa")
