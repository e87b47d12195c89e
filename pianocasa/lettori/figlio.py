"""Il processo figlio che legge un XLSX con python-calamine, con limiti di memoria e
di tempo: se calamine chiede troppa memoria muore il figlio (abort), non il server
o il worker. Si lancia per percorso (``python -I figlio.py …``), senza Django e
senza il resto del pacchetto, perché parta in fretta.

Protocollo su stdout: una sequenza di pickle ``("dimensioni", righe, colonne)``,
``("righe", [riga, …])`` a blocchi, infine ``("fine", n)``; oppure
``("rifiuto", codice, righe, colonne)`` / ``("guasto", nome_eccezione)``. Il padre
compone i messaggi italiani.
"""

from __future__ import annotations

import pickle
import resource
import sys

BLOCCO = 5_000


def _limita(memoria: int, secondi: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memoria, memoria))
    # Il tempo di CPU è un secondo argine oltre al timeout del padre.
    resource.setrlimit(resource.RLIMIT_CPU, (secondi + 1, secondi + 2))
    # Niente core dump se calamine abortisce per mancanza di memoria.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def leggi(
    percorso: str, max_righe: int, max_colonne: int, max_celle: int, uscita
) -> None:
    from python_calamine import CalamineWorkbook

    def manda(*messaggio) -> None:
        pickle.dump(messaggio, uscita, protocol=pickle.HIGHEST_PROTOCOL)

    libro = CalamineWorkbook.from_path(percorso)
    try:
        if not libro.sheet_names:
            manda("rifiuto", "senza_fogli", 0, 0)
            return
        foglio = libro.get_sheet_by_index(0)
        # end è l'ultima cella (riga, colonna) contando da 0.
        fine = foglio.end or (0, 0)
        righe, colonne = fine[0] + 1, fine[1] + 1
        for codice, eccesso in (
            ("righe", righe > max_righe),
            ("colonne", colonne > max_colonne),
            ("celle", righe * colonne > max_celle),
        ):
            if eccesso:
                manda("rifiuto", codice, righe, colonne)
                return
        manda("dimensioni", righe, colonne)
        tutte = foglio.to_python(skip_empty_area=False)
        del foglio
        # Nessuna deduplicazione dei testi: costa nel figlio più di quanto faccia
        # risparmiare al padre (misurato con bench/bench_lettura.py).
        for inizio in range(0, len(tutte), BLOCCO):
            manda("righe", tutte[inizio : inizio + BLOCCO])
        manda("fine", len(tutte))
    finally:
        libro.close()


def main(argomenti: list[str]) -> int:
    percorso, memoria, secondi, max_righe, max_colonne, max_celle = argomenti
    _limita(int(memoria), int(secondi))
    uscita = sys.stdout.buffer
    try:
        leggi(percorso, int(max_righe), int(max_colonne), int(max_celle), uscita)
    except MemoryError:
        return 3
    except Exception as exc:  # calamine solleva CalamineError, ZipError…
        pickle.dump(("guasto", type(exc).__name__), uscita)
    uscita.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
