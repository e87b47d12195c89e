"""Recompute the SHA-256 of every stored approved plan (PDF and data snapshot) and
compare it with the one recorded at approval."""

from django.core.management.base import BaseCommand, CommandError

from piani.ciclo import versioni_verifica


class Command(BaseCommand):
    help = (
        "Ricalcola l'impronta SHA-256 di ogni documento approvato e di ogni "
        "istantanea dei dati; esce con errore se un file manca o è alterato."
    )

    def handle(self, *args, **options) -> None:
        esiti = versioni_verifica()
        for e in esiti:
            piano = e.versione.piano
            riga = (
                f"{e.esito:9} {piano.ambito.slug} {piano.anno} "
                f"rev{e.versione.revisione} {e.tipo:10} {e.nome or '–'}"
            )
            if e.ok:
                self.stdout.write(riga)
            else:
                self.stdout.write(
                    self.style.ERROR(
                        f"{riga} (atteso {e.atteso}, trovato {e.trovato or '–'})"
                    )
                )
        errati = [e for e in esiti if not e.ok]
        if errati:
            raise CommandError(
                f"{len(errati)} file su {len(esiti)} mancanti o alterati."
            )
        self.stdout.write(
            self.style.SUCCESS(f"{len(esiti)} file verificati: nessuna differenza.")
        )
