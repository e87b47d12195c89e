from django.core.management.base import CommandError

from patrimonio.management.commands._importa import ComandoImportazione
from piani.importazioni import comunicazioni_importa
from piani.models import PianoAnnuale


class Command(ComandoImportazione):
    tipo = "enti"
    help = "Importa le tabelle per ente della piattaforma nei dati di un piano."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--piano",
            nargs=2,
            metavar=("AMBITO", "ANNO"),
            required=True,
            help="Slug dell'ambito e anno del piano, es. --piano valle-seriana 2025.",
        )

    def handle(self, *args, **options):
        slug, anno = options["piano"]
        try:
            piano = PianoAnnuale.objects.get(ambito__slug=slug, anno=int(anno))
        except (PianoAnnuale.DoesNotExist, ValueError) as exc:
            raise CommandError(f"Piano {slug} {anno} inesistente.") from exc
        esito = comunicazioni_importa(
            piano=piano, percorso=options["file"], scrivi=not options["anteprima"]
        )
        self.concludi(esito, options["file"], piano=piano)
