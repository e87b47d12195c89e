"""Create an ambito's draft plan for a year (same service as the page «Nuovo piano»):
from last year's plan when there is one, else from the layout's starter texts."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from ambiti.models import Ambito
from piani.impaginazioni import modello_proposto, normativa_avviso, normativa_proposta
from piani.models import ModelloDocumento, VersioneNormativa
from piani.services import piano_crea


class Command(BaseCommand):
    help = (
        "Crea la bozza del piano annuale di un ambito per un anno: dal piano "
        "dell'anno precedente se c'è, altrimenti dai testi di partenza."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("ambito", help="identificativo (slug) dell'ambito")
        parser.add_argument("anno", type=int, help="anno del nuovo piano")
        parser.add_argument(
            "--normativa",
            default="",
            help="codice della versione normativa (predefinita: quella in vigore "
            "il 1° gennaio dell'anno)",
        )
        parser.add_argument(
            "--modello",
            default="",
            help="codice dell'impaginazione del documento (predefinita: quella del "
            "piano precedente, altrimenti quella proposta per la versione)",
        )
        parser.add_argument(
            "--utente",
            default="",
            help="nome utente che crea il piano (registrato nello storico)",
        )

    def handle(self, *args, **options) -> None:
        anno = options["anno"]
        ambito = Ambito.objects.filter(slug=options["ambito"]).first()
        if ambito is None:
            raise CommandError(f"Ambito «{options['ambito']}» inesistente.")
        if options["normativa"]:
            normativa = VersioneNormativa.objects.filter(
                codice=options["normativa"]
            ).first()
            if normativa is None:
                codici = ", ".join(
                    VersioneNormativa.objects.values_list("codice", flat=True)
                )
                raise CommandError(
                    f"Versione normativa «{options['normativa']}» inesistente "
                    f"(disponibili: {codici})."
                )
        else:
            normativa = normativa_proposta(anno=anno)
            if normativa is None:
                raise CommandError(
                    f"Nessuna versione normativa in vigore il 1° gennaio {anno}: "
                    "indicarla con --normativa."
                )
        if options["modello"]:
            modello = ModelloDocumento.objects.filter(codice=options["modello"]).first()
            if modello is None:
                codici = ", ".join(
                    ModelloDocumento.objects.values_list("codice", flat=True)
                )
                raise CommandError(
                    f"Impaginazione «{options['modello']}» inesistente "
                    f"(disponibili: {codici})."
                )
        else:
            modello = modello_proposto(ambito=ambito, anno=anno, normativa=normativa)
        utente = None
        if options["utente"]:
            utente = get_user_model().objects.filter(username=options["utente"]).first()
            if utente is None:
                raise CommandError(f"Utente «{options['utente']}» inesistente.")
        avviso = normativa_avviso(anno=anno, normativa=normativa)
        if avviso:
            self.stderr.write(self.style.WARNING(avviso))
        try:
            piano = piano_crea(
                ambito=ambito,
                anno=anno,
                normativa=normativa,
                modello=modello,
                utente=utente,
            )
        except (ValidationError, PermissionDenied) as errore:
            messaggi = getattr(errore, "messages", None) or [str(errore)]
            raise CommandError(" ".join(str(m) for m in messaggi)) from errore
        self.stdout.write(
            self.style.SUCCESS(
                f"Creato il piano {piano.anno} dell'ambito «{ambito.slug}» (id "
                f"{piano.pk}) in bozza: {piano.normativa.codice}, impaginazione "
                f"{piano.impaginazione.codice if piano.impaginazione else '–'}, "
                f"{piano.sezioni.count()} sezioni."
            )
        )
