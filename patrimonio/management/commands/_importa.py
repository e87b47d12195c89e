"""Parte comune dei comandi di importazione: stesso servizio della pagina web,
anteprima o scrittura, storico in Importazione, uscita non zero con il resoconto
se il file è errato."""

from django.core.management.base import BaseCommand, CommandError

from patrimonio.services import Esito, importazione_registra


class ComandoImportazione(BaseCommand):
    tipo = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="File .xlsx o .csv da importare.")
        parser.add_argument(
            "--anteprima",
            action="store_true",
            help="Controlla il file e mostra cosa cambierebbe, senza scrivere.",
        )

    def concludi(self, esito: Esito, percorso: str, **storico) -> None:
        importazione_registra(tipo=self.tipo, percorso=percorso, esito=esito, **storico)
        if esito.errori:
            self.stderr.write(esito.resoconto())
            raise CommandError(
                f"File rifiutato: {esito.righe_errate or len(esito.errori)} errori."
            )
        self.stdout.write(esito.resoconto())
