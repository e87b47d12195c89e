from patrimonio.management.commands._importa import ComandoImportazione
from patrimonio.services import alloggi_importa


class Command(ComandoImportazione):
    tipo = "alloggi"
    help = (
        "Importa l'anagrafe del patrimonio (un alloggio per riga, upsert per codice)."
    )

    def handle(self, *args, **options):
        esito = alloggi_importa(
            percorso=options["file"], scrivi=not options["anteprima"]
        )
        self.concludi(esito, options["file"])
