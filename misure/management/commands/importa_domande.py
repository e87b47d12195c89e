from pathlib import Path

from django.conf import settings
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
            dimensione = file.stat().st_size
        except OSError as errore:
            raise CommandError(f"Il file {file} non si può leggere.") from errore
        # The same limit as the web upload, checked before the file is read.
        if dimensione > settings.PIANOCASA_MAX_UPLOAD_BYTES:
            raise CommandError(
                "Il file è troppo grande: il massimo è "
                f"{settings.PIANOCASA_MAX_UPLOAD_BYTES // 2**20} MB."
            )
        try:
            n = domande_importa(
                bando=oggetto, contenuto=file.read_bytes(), nome_file=file.name
            )
        except ImportazioneNonValida as errore:
            raise CommandError("\n".join(errore.errori)) from errore
        self.stdout.write(f"Importate {n} domande.")
