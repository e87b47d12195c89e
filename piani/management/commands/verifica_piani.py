"""Recompute the SHA-256 of every stored approved plan (PDF and data snapshot) and
compare it with the one recorded at approval; then rebuild the snapshot of every
approved plan from the database and compare it with the stored one."""

from django.core.management.base import BaseCommand, CommandError

from piani.ciclo import istantanee_verifica, versioni_verifica


class Command(BaseCommand):
    help = (
        "Ricalcola l'impronta SHA-256 di ogni documento approvato e di ogni "
        "istantanea dei dati e confronta l'istantanea con i dati attuali di ogni "
        "piano approvato; esce con errore se un file manca o è alterato o se i dati "
        "di un piano approvato sono cambiati."
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
        confronti = istantanee_verifica()
        for c in confronti:
            piano = c.versione.piano
            testa = f"{piano.ambito.slug} {piano.anno} rev{c.versione.revisione}"
            if c.errore:
                self.stdout.write(self.style.ERROR(f"DATI      {testa}: {c.errore}"))
            for d in c.differenze:
                self.stdout.write(self.style.ERROR(f"DIVERSO   {testa}: {d}"))
            for a in c.avvisi:
                self.stdout.write(self.style.WARNING(f"AVVISO    {testa}: {a}"))
            if c.ok:
                self.stdout.write(f"DATI OK   {testa}: uguali all'istantanea")
        diversi = [c for c in confronti if not c.ok]
        problemi = []
        if errati:
            problemi.append(f"{len(errati)} file su {len(esiti)} mancanti o alterati.")
        if diversi:
            problemi.append(
                f"{len(diversi)} piani approvati su {len(confronti)} con dati "
                "diversi dall'istantanea approvata."
            )
        if problemi:
            raise CommandError(" ".join(problemi))
        self.stdout.write(
            self.style.SUCCESS(f"{len(esiti)} file verificati: nessuna differenza.")
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(confronti)} piani approvati: dati uguali all'istantanea."
            )
        )
