from django.core.management.base import BaseCommand

from ambiti.services import comuni_carica
from pianocasa.formati import intero


class Command(BaseCommand):
    help = "Carica i comuni lombardi dall'elenco ISTAT (fixtures/comuni_lombardia.csv)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--percorso", help="CSV alternativo con le stesse colonne del file fornito."
        )

    def handle(self, *args, percorso=None, **options):
        numero = comuni_carica(percorso=percorso)
        if options["verbosity"]:
            self.stdout.write(f"Comuni caricati: {intero(numero)}")
