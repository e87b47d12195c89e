from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SicurezzaConfig(AppConfig):
    name = "pianocasa.sicurezza"
    label = "sicurezza"
    verbose_name = _("Sicurezza degli accessi")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from pianocasa.sicurezza.services import accesso_prepara_sessione

        # Every login (the form, the admin's, a password reset) marks the session:
        # when it was last active and whether it needs the second factor.
        user_logged_in.connect(
            accesso_prepara_sessione, dispatch_uid="pianocasa.sicurezza.accesso"
        )
