from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrimonioConfig(AppConfig):
    name = "patrimonio"
    verbose_name = _("Patrimonio abitativo pubblico")
