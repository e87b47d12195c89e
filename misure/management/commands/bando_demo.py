from django.core.management.base import BaseCommand, CommandError

from ambiti.models import Ambito
from misure.esempi import bando_demo_carica


class Command(BaseCommand):
    help = "Carica il bando dimostrativo (200 domande inventate) di un ambito."

    def add_arguments(self, parser):
        parser.add_argument("--ambito", default="valle-seriana-superiore")

    def handle(self, *args, ambito: str, **options) -> None:
        try:
            oggetto = Ambito.objects.get(slug=ambito)
        except Ambito.DoesNotExist as errore:
            raise CommandError(f"Ambito sconosciuto: {ambito}") from errore
        bando = bando_demo_carica(ambito=oggetto)
        self.stdout.write(f"{bando} (id {bando.pk}): {bando.n_pervenute} domande.")
