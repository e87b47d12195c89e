from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from misure.models import Bando
from misure.services import ImportazioneNonValida, domande_importa


class Command(BaseCommand):
    help = "Importa le domande di un bando da un file XLSX (tutto o niente)."

    def add_arguments(self, parser):
        parser.add_argument("bando", type=int, help="id del bando")
        parser.add_argument("file", type=Path)

    def handle(self, *args, bando: int, file: Path, **options) -> None:
        oggetto = Bando.objects.filter(pk=bando, gestito=True).first()
        if oggetto is None:
            raise CommandError(f"Nessun bando gestito con id {bando}.")
        try:
            n = domande_importa(bando=oggetto, contenuto=file.read_bytes())
        except ImportazioneNonValida as errore:
            raise CommandError("\n".join(errore.errori)) from errore
        self.stdout.write(f"Importate {n} domande.")
