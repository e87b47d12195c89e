from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrimonioConfig(AppConfig):
    name = "patrimonio"
    verbose_name = _("Patrimonio abitativo pubblico")

    def ready(self) -> None:
        from ambiti import corrispondenze
        from pianocasa.menu import voci_registra

        from .models import EnteProprietario

        voci_registra(
            (
                30,
                _("Patrimonio"),
                "patrimonio:alloggio_list",
                "/patrimonio/alloggi/",
                False,
            ),
            (
                50,
                _("Importazioni"),
                "patrimonio:importazione_list",
                "/patrimonio/importaz",
                True,
            ),
            (
                60,
                _("Nuovo ambito"),
                "patrimonio:ambito_create",
                "/patrimonio/ambiti/",
                True,
            ),
        )
        # ambiti matches names but does not know the enti: the default candidates.
        corrispondenze.enti_predefiniti_imposta(
            lambda: EnteProprietario.objects.select_related("comune")
        )
