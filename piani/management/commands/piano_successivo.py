"""Create next year's draft plan from an existing one (same service as the web
page's «Crea il piano … da questo»)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from piani.ciclo import piano_successivo
from piani.models import PianoAnnuale


class Command(BaseCommand):
    help = (
        "Crea la bozza del piano dell'anno successivo a partire da un piano "
        "esistente (enti, consistenza, decisioni dei comuni, testi)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("ambito", help="identificativo (slug) dell'ambito")
        parser.add_argument("anno", type=int, help="anno del piano di partenza")
        parser.add_argument(
            "--utente",
            required=True,
            help="nome utente che crea il piano (Ufficio di Piano o amministratore)",
        )

    def handle(self, *args, **options) -> None:
        try:
            piano = PianoAnnuale.objects.get(
                ambito__slug=options["ambito"], anno=options["anno"]
            )
        except PianoAnnuale.DoesNotExist as errore:
            raise CommandError(
                f"Nessun piano {options['anno']} per l'ambito «{options['ambito']}»."
            ) from errore
        try:
            utente = get_user_model().objects.get(username=options["utente"])
        except get_user_model().DoesNotExist as errore:
            raise CommandError(f"Utente «{options['utente']}» inesistente.") from errore
        try:
            nuovo = piano_successivo(piano=piano, utente=utente)
        except (ValidationError, PermissionDenied) as errore:
            messaggi = getattr(errore, "messages", None) or [str(errore)]
            raise CommandError(" ".join(str(m) for m in messaggi)) from errore
        self.stdout.write(
            self.style.SUCCESS(
                f"Creato il piano {nuovo.anno} (id {nuovo.pk}) in bozza, "
                f"con {nuovo.comunicazioni.count()} enti."
            )
        )
