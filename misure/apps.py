from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MisureConfig(AppConfig):
    name = "misure"
    verbose_name = _("Misure di sostegno all'affitto")
