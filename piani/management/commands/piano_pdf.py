"""``piano_pdf <ambito-slug> <anno> --output FILE [--formato pdf|html]``: the plan
document written to a file; a thin shell over piani.documento."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ambiti.models import Ambito
from piani.documento import documento_html, documento_pdf
from piani.models import PianoAnnuale


class Command(BaseCommand):
    help = _(
        "Scrive il documento del piano annuale di un ambito: PDF (predefinito) o "
        "anteprima HTML."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "ambito", help=_("identificativo dell'ambito, es. valle-seriana")
        )
        parser.add_argument("anno", type=int, help=_("anno del piano, es. 2026"))
        parser.add_argument("--output", "-o", required=True, help=_("file da scrivere"))
        parser.add_argument(
            "--formato",
            choices=["pdf", "html"],
            default="pdf",
            help=_("pdf (predefinito) o html"),
        )

    def handle(
        self, *args, ambito: str, anno: int, output: str, formato: str, **options
    ):
        piano = self._piano(ambito, anno)
        if formato == "html":
            contenuto = documento_html(piano).encode("utf-8")
        else:
            contenuto = documento_pdf(piano)
        percorso = Path(output)
        try:
            percorso.write_bytes(contenuto)
        except OSError as errore:
            raise CommandError(
                _("Impossibile scrivere «%(file)s»: %(errore)s")
                % {"file": output, "errore": errore.strerror or errore}
            ) from errore
        if options.get("verbosity", 1):
            self.stdout.write(
                _("Scritto %(file)s (%(kb)s kB).")
                % {"file": percorso, "kb": max(1, round(len(contenuto) / 1024))}
            )

    def _piano(self, slug: str, anno: int) -> PianoAnnuale:
        ambito_obj = Ambito.objects.filter(slug=slug).first()
        if ambito_obj is None:
            disponibili = ", ".join(
                Ambito.objects.order_by("slug").values_list("slug", flat=True)
            )
            raise CommandError(
                _(
                    "Nessun ambito con identificativo «%(slug)s». "
                    "Ambiti disponibili: %(elenco)s."
                )
                % {"slug": slug, "elenco": disponibili or _("nessuno")}
            )
        piano = PianoAnnuale.objects.filter(ambito=ambito_obj, anno=anno).first()
        if piano is None:
            anni = ", ".join(
                str(a)
                for a in PianoAnnuale.objects.filter(ambito=ambito_obj)
                .order_by("anno")
                .values_list("anno", flat=True)
            )
            raise CommandError(
                _(
                    "L'ambito «%(ambito)s» non ha un piano per l'anno %(anno)s. "
                    "Anni disponibili: %(anni)s."
                )
                % {
                    "ambito": ambito_obj.nome,
                    "anno": anno,
                    "anni": anni or _("nessuno"),
                }
            )
        return piano
