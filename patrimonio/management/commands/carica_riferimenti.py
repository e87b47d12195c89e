from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from patrimonio.territorio import riferimenti_carica
from pianocasa.formati import intero


class Command(BaseCommand):
    help = _(
        "Carica i dati di riferimento per creare un ambito: comuni lombardi (ISTAT), "
        "le otto ATS e le cinque ALER con le province servite. Rieseguirlo non "
        "cambia nulla."
    )

    def handle(self, *args, verbosity=1, **options):
        conteggi = riferimenti_carica()
        if verbosity:
            self.stdout.write(
                _("Comuni: %(comuni)s; ATS: %(ats)s; ALER: %(aler)s")
                % {k: intero(v) for k, v in conteggi.items()}
            )
