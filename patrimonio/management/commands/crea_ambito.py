from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from patrimonio.lettori import ErroreImport
from patrimonio.territorio import ambiti_da_file_crea


class Command(BaseCommand):
    help = _(
        "Crea uno o più ambiti da un CSV o XLSX, una riga per comune: colonne "
        "ambito;slug;capofila;comune (nome o codice ISTAT), facoltative "
        "sub_ambito;ats. Tutto o niente: con una riga errata non scrive nulla."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("File .csv (; o ,) o .xlsx."))

    def handle(self, *args, file: str, verbosity: int = 1, **options):
        try:
            ambiti = ambiti_da_file_crea(percorso=file)
        except ErroreImport as exc:
            for messaggio in exc.messaggi:
                self.stderr.write(messaggio)
            raise CommandError(
                _("File rifiutato (%(n)s errori): nessun ambito creato.")
                % {"n": len(exc.messaggi)}
            ) from exc
        if verbosity:
            for ambito in ambiti:
                self.stdout.write(
                    _("Creato %(ambito)s (%(slug)s): %(comuni)s comuni, %(enti)s enti")
                    % {
                        "ambito": ambito,
                        "slug": ambito.slug,
                        "comuni": ambito.appartenenze.count(),
                        "enti": ambito.enti_collegati.count(),
                    }
                )
