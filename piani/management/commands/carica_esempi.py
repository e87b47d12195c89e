from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ambiti.models import Ambito, Comune
from piani.esempi import PASSWORD_DEMO, UTENTI_DEMO, esempi_carica
from piani.models import PianoAnnuale
from pianocasa.formati import intero


class Command(BaseCommand):
    help = _(
        "Carica i comuni lombardi e i due piani d'esempio (Valle Seriana Superiore "
        "2026, Valle Seriana 2025). Rieseguirlo non cambia nulla."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--utenti-demo",
            action="store_true",
            help=_(
                "Crea anche gli accessi dimostrativi (password «demo»); solo con DEBUG."
            ),
        )

    def handle(self, *args, utenti_demo=False, verbosity=1, **options):
        if utenti_demo and not settings.DEBUG:
            raise CommandError(
                _(
                    "Gli utenti dimostrativi hanno la password «demo»: si creano "
                    "solo in sviluppo (DEBUG attivo, es. DJANGO_DEBUG=1)."
                )
            )
        esempi_carica(utenti_demo=utenti_demo)
        if not verbosity:
            return
        self.stdout.write(_("Comuni lombardi: %s") % intero(Comune.objects.count()))
        for piano in PianoAnnuale.objects.filter(
            ambito__slug__in=["valle-seriana-superiore", "valle-seriana"]
        ).select_related("ambito", "normativa"):
            ambito: Ambito = piano.ambito
            self.stdout.write(
                _(
                    "%(ambito)s (%(slug)s): piano %(anno)s, %(normativa)s – "
                    "%(comuni)s comuni, %(comunicazioni)s comunicazioni"
                )
                % {
                    "ambito": ambito,
                    "slug": ambito.slug,
                    "anno": piano.anno,
                    "normativa": piano.normativa.codice,
                    "comuni": ambito.appartenenze.count(),
                    "comunicazioni": piano.comunicazioni.count(),
                }
            )
        if utenti_demo:
            self.stdout.write(
                _("Accessi dimostrativi (password «%s»):") % PASSWORD_DEMO
            )
            for username, superutente, slug, ruolo in UTENTI_DEMO:
                dove = _("amministratore") if superutente else f"{ruolo.label} – {slug}"
                self.stdout.write(f"  {username}: {dove}")
