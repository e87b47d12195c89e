"""XLSX: python-calamine in a child process with an address-space limit and a
wall-clock limit, rows coming back in blocks; a killed or late child becomes an
Italian message, never the fall of the server or of a task worker."""

from __future__ import annotations

import logging
import pickle
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from django.utils.translation import gettext as _

from pianocasa.lettori.valori import ErroreImport, _migliaia

logger = logging.getLogger("pianocasa.lettori")

FIGLIO = Path(__file__).with_name("figlio.py")
# L'interprete del server (sotto gunicorn è il python del virtualenv).
PYTHON = sys.executable


class _SoloDate(pickle.Unpickler):
    """Dal figlio arrivano solo liste di valori semplici: nessun'altra classe."""

    CONSENTITE = {"date", "datetime", "time", "timedelta"}

    def find_class(self, modulo: str, nome: str):
        if modulo == "datetime" and nome in self.CONSENTITE:
            return super().find_class(modulo, nome)
        raise pickle.UnpicklingError(f"{modulo}.{nome}")


def righe_isolate(
    percorso: Path,
    *,
    max_righe: int,
    max_colonne: int,
    max_celle: int,
    memoria: int,
    secondi: int,
    intanto: Callable[[], None] | None = None,
) -> list[list]:
    """Le righe del primo foglio lette da calamine in un processo figlio con al più
    ``memoria`` byte di spazio di indirizzamento e ``secondi`` di tempo; arrivano a
    blocchi di 5.000 righe. Un figlio ucciso o scaduto è un ``ErroreImport``.

    ``intanto`` gira nel processo padre mentre il figlio legge (due core: i
    controlli dell'archivio e la lettura del database non aspettano calamine);
    se solleva, il figlio viene fermato."""
    comando = [
        PYTHON,
        "-I",
        str(FIGLIO),
        str(percorso),
        str(memoria),
        str(secondi),
        str(max_righe),
        str(max_colonne),
        str(max_celle),
    ]
    with tempfile.TemporaryFile() as diagnostica:
        processo = _avvia(comando, percorso, diagnostica)
        if intanto is not None:
            try:
                intanto()
            except BaseException:
                processo.kill()
                processo.stdout.close()
                processo.wait()
                raise
        righe, esito, codice, scaduto = _ricevi(processo, secondi, percorso)
        if esito is None:
            diagnostica.seek(0)
            logger.warning(
                "Lettore di %s terminato (codice %s): %s",
                percorso,
                codice,
                diagnostica.read(2000).decode("utf-8", "replace"),
            )
    if scaduto or codice == -24:  # SIGXCPU: RLIMIT_CPU superato
        raise ErroreImport(
            _(
                "Il file non può essere letto in sicurezza: la lettura ha superato "
                "il tempo massimo di %s secondi."
            )
            % secondi
        )
    if esito is None:
        raise ErroreImport(
            _(
                "Il file non può essere letto in sicurezza: la lettura richiederebbe "
                "più memoria dei %s MB consentiti ed è stata interrotta."
            )
            % _migliaia(memoria // 2**20)
        )
    if esito[0] == "fine":
        return righe
    raise _errore_del_figlio(esito, max_righe, max_colonne, max_celle)


def _avvia(comando: list[str], percorso: Path, diagnostica) -> subprocess.Popen:
    try:
        return subprocess.Popen(
            comando,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=diagnostica,
        )
    except OSError as exc:  # niente processi o memoria liberi sul server
        logger.exception("Lettore non avviato per %s", percorso)
        raise ErroreImport(
            _(
                "Il file non può essere letto in sicurezza: il server non riesce "
                "ad avviare la lettura ora. Riprovare fra qualche minuto."
            )
        ) from exc


def _ricevi(
    processo: subprocess.Popen, secondi: int, percorso: Path
) -> tuple[list[list], tuple | None, int, bool]:
    """(rows, the child's last message or None, exit code, timed out)."""
    scaduto = threading.Event()
    righe: list[list] = []
    esito: tuple | None = None

    def scadi() -> None:
        scaduto.set()
        processo.kill()

    sveglia = threading.Timer(secondi, scadi)
    sveglia.daemon = True
    sveglia.start()
    try:
        while True:
            try:
                # Un Unpickler per messaggio: il figlio scrive ogni blocco con
                # un Pickler nuovo, e la memo non deve passare da un blocco
                # all'altro.
                messaggio = _SoloDate(processo.stdout).load()
            except EOFError:
                break
            if messaggio[0] == "righe":
                righe.extend(messaggio[1])
            elif messaggio[0] != "dimensioni":
                esito = messaggio
                break
    except Exception:
        logger.exception("Risposta illeggibile dal lettore di %s", percorso)
        esito = None
        righe = []
    finally:
        if esito is None:
            processo.kill()  # risposta incompleta: il figlio non serve più
        processo.stdout.close()
        codice = processo.wait()
        sveglia.cancel()
    return righe, esito, codice, scaduto.is_set()


def _errore_del_figlio(
    esito: tuple, max_righe: int, max_colonne: int, max_celle: int
) -> ErroreImport:
    """The child's refusal («guasto», «limite»), as an Italian message."""
    if esito[0] == "guasto":
        return ErroreImport(
            _("Il file .xlsx è danneggiato e non si può leggere (%s).") % esito[1]
        )
    _codice, motivo, n_righe, n_colonne = esito
    if motivo == "senza_fogli":
        return ErroreImport(_("La cartella di lavoro non contiene fogli."))
    if motivo == "righe":
        return ErroreImport(
            _("Il foglio ha troppe righe (%(n)s): il massimo è %(max)s.")
            % {"n": _migliaia(n_righe), "max": _migliaia(max_righe)}
        )
    if motivo == "colonne":
        return ErroreImport(
            _("Il foglio ha troppe colonne (%(n)s): il massimo è %(max)s.")
            % {"n": n_colonne, "max": max_colonne}
        )
    return ErroreImport(
        _(
            "Il foglio ha troppe celle (%(righe)s righe × %(colonne)s colonne): il "
            "massimo è %(max)s celle."
        )
        % {
            "righe": _migliaia(n_righe),
            "colonne": _migliaia(n_colonne),
            "max": _migliaia(max_celle),
        }
    )


def righe_in_processo(percorso: Path) -> list[list]:
    """La stessa lettura senza processo figlio: solo per il benchmark, che misura
    il costo dell'isolamento. Non usarla su file caricati dagli utenti."""
    from python_calamine import CalamineWorkbook

    libro = CalamineWorkbook.from_path(str(percorso))
    try:
        return libro.get_sheet_by_index(0).to_python(skip_empty_area=False)
    finally:
        libro.close()
