"""Lettura e controllo dei file caricati (XLSX con python-calamine, CSV): il solo
lettore di fogli di calcolo dell'applicazione, per ogni importazione (anagrafe,
tabelle per ente, popolazione, domande dei bandi).

Un file ostile o malformato si rifiuta prima di leggere i dati, con un messaggio in
italiano: troppo grande, archivio compresso in modo sospetto, macro, cifrato, ODS o
CSV rinominato .xlsx, XML con DTD o entità, fogli con un'area enorme. calamine gira
in un processo figlio con limiti di memoria e di tempo (``xlsx.py``). L'unica
eccezione che esce da questo pacchetto è ``ErroreImport``.

Qui il punto d'ingresso ``tabella_leggi`` e il CSV; i valori delle celle in
``valori.py``; l'XLSX in ``xlsx.py``; il processo figlio in ``figlio.py``.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from pianocasa.lettori.valori import (
    ErroreImport,
    Tabella,
    ValoreNonValido,
    _mb,
    _migliaia,
    converti_data,
    converti_decimale,
    converti_intero,
    converti_testo,
    lettera_colonna,
    normalizza_intestazione,
    testo_cella,
)
from pianocasa.lettori.xlsx import (
    MAX_BYTE_DECOMPRESSI,
    MAX_RAPPORTO_COMPRESSIONE,
    MAX_VOCI_ZIP,
    leggi_xlsx,
    limiti,
)

__all__ = [
    "FIRMA_OLE",
    "FIRMA_ZIP",
    "FIRMA_ZIP_VUOTO",
    "MAX_BYTE_DECOMPRESSI",
    "MAX_COLONNE",
    "MAX_RAPPORTO_COMPRESSIONE",
    "MAX_RIGHE",
    "MAX_VOCI_ZIP",
    "RIGHE_CERCA_INTESTAZIONE",
    "ErroreImport",
    "Tabella",
    "ValoreNonValido",
    "converti_data",
    "converti_decimale",
    "converti_intero",
    "converti_testo",
    "lettera_colonna",
    "limiti",
    "logger",
    "normalizza_intestazione",
    "tabella_leggi",
    "testo_cella",
]

logger = logging.getLogger("pianocasa.lettori")

FIRMA_ZIP = b"PK\x03\x04"
FIRMA_ZIP_VUOTO = b"PK\x05\x06"
FIRMA_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CIFRATO_OLE = "EncryptedPackage".encode("utf-16-le")

# Limiti di difesa; un export reale sta ben sotto (166.000 righe × 15 colonne).
MAX_RIGHE = 250_000
MAX_COLONNE = 100
RIGHE_CERCA_INTESTAZIONE = 10


# --- lettura ------------------------------------------------------------------------


def tabella_leggi(
    percorso: str | Path,
    *,
    nome_file: str | None = None,
    riconosci: Callable[[str], bool] | None = None,
    max_byte: int | None = None,
    max_righe: int = MAX_RIGHE,
    max_colonne: int = MAX_COLONNE,
    intanto: Callable[[], None] | None = None,
) -> Tabella:
    """Legge il primo foglio di un XLSX o un CSV, dopo i controlli di sicurezza.

    ``riconosci`` dice se un'intestazione è nota: serve a trovare la riga delle
    intestazioni sotto eventuali righe di titolo (gli export ISTAT ne hanno).
    ``intanto`` è lavoro del chiamante da fare mentre il processo figlio legge
    (ad esempio leggere dal database ciò con cui confrontare il file); i suoi
    errori restano suoi. Solleva solo ``ErroreImport`` (o l'errore di ``intanto``).
    """

    def intanto_separato() -> None:
        try:
            intanto()
        except Exception as exc:
            raise _IntantoFallito from exc

    try:
        return _tabella_leggi(
            percorso,
            nome_file=nome_file,
            riconosci=riconosci,
            max_byte=max_byte,
            max_righe=max_righe,
            max_colonne=max_colonne,
            intanto=intanto_separato if intanto is not None else None,
        )
    except ErroreImport:
        raise
    except _IntantoFallito as exc:
        raise exc.__cause__ from None
    except Exception as exc:
        # Una rete di sicurezza: un file che manda in errore una libreria è
        # comunque un file da rifiutare; il dettaglio va nel log.
        logger.exception("Lettura non riuscita di %s", nome_file or percorso)
        raise ErroreImport(_("Il file non si può leggere: è danneggiato.")) from exc


def _tabella_leggi(
    percorso: str | Path,
    *,
    nome_file: str | None = None,
    riconosci: Callable[[str], bool] | None = None,
    max_byte: int | None = None,
    max_righe: int = MAX_RIGHE,
    max_colonne: int = MAX_COLONNE,
    intanto: Callable[[], None] | None = None,
) -> Tabella:
    percorso = Path(percorso)
    estensione = Path(nome_file or percorso.name).suffix.lower()
    _dimensione_ammessa(percorso, max_byte or settings.PIANOCASA_MAX_UPLOAD_BYTES)
    with open(percorso, "rb") as handle:
        inizio = handle.read(8)
    _formato_ammesso(percorso, estensione, inizio)
    if estensione in {".xlsx", ".xltx"}:
        _archivio_xlsx(percorso, inizio)
        righe, formule = leggi_xlsx(
            percorso,
            max_righe=max_righe + RIGHE_CERCA_INTESTAZIONE,
            max_colonne=max_colonne,
            intanto=intanto,
        )
        return _tabella(righe, riconosci, formule)
    if estensione in {".csv", ".txt"}:
        if inizio.startswith((FIRMA_ZIP, FIRMA_ZIP_VUOTO)):
            raise ErroreImport(
                _(
                    "Il file ha estensione .csv ma è un archivio (forse un .xlsx "
                    "rinominato): caricarlo con l'estensione giusta."
                )
            )
        if intanto is not None:
            intanto()
        return _leggi_csv(percorso, riconosci, max_righe, max_colonne)
    raise ErroreImport(
        _("Estensione '%s' non riconosciuta: caricare un file .xlsx o .csv.")
        % (estensione or _("nessuna"))
    )


class _IntantoFallito(Exception):
    """An error of the caller's own work done during the read, not the file's."""


def _dimensione_ammessa(percorso: Path, max_byte: int) -> None:
    try:
        dimensione = percorso.stat().st_size
    except OSError as exc:
        raise ErroreImport(_("Il file non si può leggere.")) from exc
    if dimensione > max_byte:
        raise ErroreImport(
            _("Il file è troppo grande (%(mb)s MB): il massimo è %(max)s MB.")
            % {"mb": _mb(dimensione), "max": _mb(max_byte)}
        )
    if dimensione == 0:
        raise ErroreImport(_("Il file è vuoto."))


def _formato_ammesso(percorso: Path, estensione: str, inizio: bytes) -> None:
    """Macro-enabled, legacy binary and encrypted workbooks are refused by name."""
    if estensione in {".xlsm", ".xltm", ".xlam"}:
        raise ErroreImport(
            _(
                "Le cartelle di lavoro con macro (%s) non sono ammesse: salvare il "
                "file "
                "come .xlsx senza macro."
            )
            % estensione
        )
    if estensione in {".xls", ".xlsb", ".ods", ".numbers"}:
        raise ErroreImport(
            _("Il formato %s non è supportato: salvare il file come .xlsx o .csv.")
            % estensione
        )
    if inizio.startswith(FIRMA_OLE):
        contenuto = percorso.read_bytes()
        if CIFRATO_OLE in contenuto:
            raise ErroreImport(
                _(
                    "Il file è protetto da password (cifrato): salvarlo senza password "
                    "e riprovare."
                )
            )
        raise ErroreImport(
            _(
                "Il file è in formato Excel 97-2003 (.xls) o in un altro formato "
                "binario "
                "non supportato: salvarlo come .xlsx."
            )
        )


def _archivio_xlsx(percorso: Path, inizio: bytes) -> None:
    """An .xlsx must start as a non-empty zip archive."""
    if inizio.startswith(FIRMA_ZIP_VUOTO):
        raise ErroreImport(_("Il file .xlsx è un archivio vuoto."))
    if inizio.startswith(FIRMA_ZIP):
        return
    if _sembra_testo(percorso):
        raise ErroreImport(
            _(
                "Il file ha estensione .xlsx ma è un file di testo (forse un "
                "CSV "
                "rinominato): caricarlo con estensione .csv."
            )
        )
    raise ErroreImport(
        _(
            "Il file non è una cartella di lavoro Excel valida (non è un "
            "archivio .xlsx)."
        )
    )


def _sembra_testo(percorso: Path) -> bool:
    with open(percorso, "rb") as handle:
        campione = handle.read(4096)
    if b"\x00" in campione:
        return False
    try:
        campione.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # Un carattere multibyte tagliato alla fine del campione non conta.
        return exc.start > len(campione) - 4


# --- CSV ---------------------------------------------------------------------------


def _leggi_csv(
    percorso: Path,
    riconosci: Callable[[str], bool] | None,
    max_righe: int,
    max_colonne: int,
) -> Tabella:
    grezzo = percorso.read_bytes()
    if b"\x00" in grezzo[:65536] or b"\x00" in grezzo:
        raise ErroreImport(
            _("Il file .csv contiene caratteri binari (NUL): non è un file di testo.")
        )
    try:
        testo = grezzo.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            testo = grezzo.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ErroreImport(
                _("Codifica del file .csv non riconosciuta: salvarlo in UTF-8.")
            ) from exc
    del grezzo
    prime = [r for r in testo[:65536].splitlines() if r.strip()][:10]
    if not prime:
        raise ErroreImport(_("Il file è vuoto."))
    # Il separatore più frequente nelle prime righe (gli export ISTAT hanno righe
    # di titolo senza separatori); a parità vince il ';' degli Excel italiani.
    separatore = max(
        (";", ",", "\t"), key=lambda s: (max(r.count(s) for r in prime), s == ";")
    )
    righe: list[list] = []
    lettore = csv.reader(io.StringIO(testo, newline=""), delimiter=separatore)
    try:
        for riga in lettore:
            if len(righe) >= max_righe + RIGHE_CERCA_INTESTAZIONE:
                raise ErroreImport(
                    _("Il file ha troppe righe: il massimo è %s.")
                    % _migliaia(max_righe)
                )
            if len(riga) > max_colonne:
                raise ErroreImport(
                    _("Riga %(r)s: troppe colonne (%(n)s), il massimo è %(max)s.")
                    % {"r": lettore.line_num, "n": len(riga), "max": max_colonne}
                )
            righe.append(riga)
    except csv.Error as exc:
        raise ErroreImport(
            _(
                "Riga %s: il file .csv non è ben formato (virgolette non chiuse o "
                "campo "
                "troppo lungo)."
            )
            % lettore.line_num
        ) from exc
    return _tabella(righe, riconosci, [])


# --- intestazione ---------------------------------------------------------------------


def _vuota(riga: list) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in riga)


def _tabella(
    righe: list[list],
    riconosci: Callable[[str], bool] | None,
    formule: list[tuple[int, int]],
) -> Tabella:
    non_vuote = [i for i, riga in enumerate(righe[:200]) if not _vuota(riga)]
    if not non_vuote:
        raise ErroreImport(_("Il foglio è vuoto: nessuna intestazione e nessun dato."))
    indice = non_vuote[0]
    if riconosci is not None:
        migliore = 0
        for i in non_vuote[:RIGHE_CERCA_INTESTAZIONE]:
            noti = sum(1 for c in righe[i] if riconosci(normalizza_intestazione(c)))
            if noti > migliore:
                indice, migliore = i, noti
    intestazioni = [testo_cella(c) for c in righe[indice]]
    while intestazioni and not intestazioni[-1]:
        intestazioni.pop()
    dati = righe[indice + 1 :]
    # Le righe vuote in coda non sono errori (Excel ne lascia spesso).
    while dati and _vuota(dati[-1]):
        dati.pop()
    if not dati:
        raise ErroreImport(
            _(
                "Il foglio contiene solo l'intestazione (riga %s): nessun dato da "
                "importare."
            )
            % (indice + 1)
        )
    titolo = [
        " ".join(testo_cella(c) for c in r if c not in (None, ""))
        for r in righe[:indice]
    ]
    return Tabella(
        intestazioni=intestazioni,
        righe=dati,
        riga_intestazione=indice + 1,
        prima_riga=indice + 2,
        titolo=[t for t in titolo if t],
        formule_senza_valore=formule,
    )
