from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from misure.models import Bando
from misure.services import (
    ScorrimentoNonEseguibile,
    graduatoria_calcola,
    scorrimento_esegui,
)


class Command(BaseCommand):
    help = (
        "Calcola la graduatoria di un bando gestito e, con --scorrimento, esegue lo "
        "scorrimento delle fonti."
    )

    def add_arguments(self, parser):
        parser.add_argument("bando", type=int, help="id del bando")
        parser.add_argument("--scorrimento", action="store_true")
        parser.add_argument("--utente", help="username di chi esegue lo scorrimento")

    def handle(self, *args, bando: int, scorrimento: bool, utente, **options) -> None:
        oggetto = Bando.objects.filter(pk=bando, gestito=True).first()
        if oggetto is None:
            raise CommandError(f"Nessun bando gestito con id {bando}.")
        ammesse = graduatoria_calcola(bando=oggetto)
        self.stdout.write(f"Graduatoria: {ammesse} domande ammesse.")
        if not scorrimento:
            return
        chi = (
            get_user_model().objects.filter(username=utente).first() if utente else None
        )
        oggetto.refresh_from_db()
        try:
            esito = scorrimento_esegui(bando=oggetto, utente=chi)
        except ScorrimentoNonEseguibile as errore:
            raise CommandError(str(errore)) from errore
        self.stdout.write(
            f"Scorrimento: {esito.domande_finanziate} domande finanziate, "
            f"{esito.importo_erogato} euro."
        )
