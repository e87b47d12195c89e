from django.core.management.base import CommandError

from patrimonio.lettori import ValoreNonValido, converti_data
from patrimonio.management.commands._importa import ComandoImportazione
from patrimonio.services import popolazione_importa


class Command(ComandoImportazione):
    tipo = "popolazione"
    help = "Importa la popolazione dei comuni (CSV demografico ISTAT)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--data", help="Data di riferimento (gg/mm/aaaa) se il file non la indica."
        )

    def handle(self, *args, **options):
        data = None
        if options["data"]:
            try:
                data = converti_data(options["data"])
            except ValoreNonValido as exc:
                raise CommandError(str(exc)) from exc
        esito = popolazione_importa(
            percorso=options["file"], data=data, scrivi=not options["anteprima"]
        )
        self.concludi(esito, options["file"], data_riferimento=data)
