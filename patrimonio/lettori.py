"""Lettura e controllo dei file da importare (XLSX con python-calamine, CSV).

Un file ostile o malformato si rifiuta qui, prima di leggere i dati, con un
messaggio in italiano: troppo grande, archivio compresso in modo sospetto, macro,
cifrato, ODS o CSV rinominato .xlsx, XML con DTD o entità. L'unica eccezione che
esce da questo modulo è ``ErroreImport``.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

FIRMA_ZIP = b"PK\x03\x04"
FIRMA_ZIP_VUOTO = b"PK\x05\x06"
FIRMA_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CIFRATO_OLE = "EncryptedPackage".encode("utf-16-le")

# Limiti di difesa; un export reale sta ben sotto (166.000 righe × 15 colonne).
MAX_RIGHE = 250_000
MAX_COLONNE = 100
MAX_VOCI_ZIP = 2_000
MAX_RAPPORTO_COMPRESSIONE = 200
MAX_BYTE_DECOMPRESSI = 1_500 * 2**20
RIGHE_CERCA_INTESTAZIONE = 10

TIPI_MACRO = ("macroEnabled", "vbaProject")


class ErroreImport(Exception):
    """Il file non si può importare: ``messaggi`` dice perché, in italiano."""

    def __init__(self, messaggi: str | Iterable[str]):
        self.messaggi = [messaggi] if isinstance(messaggi, str) else list(messaggi)
        super().__init__("; ".join(self.messaggi))


class ValoreNonValido(ValueError):
    """Un valore di cella non valido; il messaggio completa «Riga N, colonna X: …»."""


@dataclass
class Tabella:
    """Il contenuto del primo foglio: intestazioni e righe di celle grezze."""

    intestazioni: list[str]
    righe: list[list]
    riga_intestazione: int  # numero di riga (da 1) dell'intestazione nel file
    prima_riga: int  # numero di riga (da 1) della prima riga di dati
    titolo: list[str] = field(default_factory=list)  # righe sopra l'intestazione
    formule_senza_valore: list[tuple[int, int]] = field(default_factory=list)

    def numero_riga(self, indice: int) -> int:
        return self.prima_riga + indice


# --- normalizzazione ------------------------------------------------------------

_NON_ALFANUMERICO = re.compile(r"[^a-z0-9]+")


def normalizza_intestazione(testo: object) -> str:
    """'NUMERO U.I. CHE SI LIBERERANNO…' → 'numero u i che si libereranno …'."""
    if testo is None:
        return ""
    testo = unicodedata.normalize("NFKD", str(testo))
    testo = "".join(c for c in testo if not unicodedata.combining(c)).lower()
    return _NON_ALFANUMERICO.sub(" ", testo).strip()


def lettera_colonna(indice: int) -> str:
    """0 → A, 27 → AB."""
    lettere = ""
    indice += 1
    while indice:
        indice, resto = divmod(indice - 1, 26)
        lettere = chr(65 + resto) + lettere
    return lettere


# --- conversione dei valori --------------------------------------------------------


def testo_cella(valore: object) -> str:
    """Una cella come testo: i numeri interi di calamine (9.0) tornano '9'."""
    if valore is None:
        return ""
    if isinstance(valore, str):
        return valore.strip()
    if isinstance(valore, bool):
        return "1" if valore else "0"
    if isinstance(valore, float):
        if valore.is_integer():
            return str(int(valore))
        return repr(valore)
    if isinstance(valore, datetime):
        return valore.strftime("%d/%m/%Y %H:%M")
    if isinstance(valore, date):
        return valore.strftime("%d/%m/%Y")
    return str(valore).strip()


_INTERO_MIGLIAIA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


def converti_intero(
    valore: object, *, minimo: int = 0, massimo: int = 2**31 - 1
) -> int | None:
    """Intero non negativo (per default); vuoto → None."""
    if valore is None or valore == "":
        return None
    if isinstance(valore, bool):
        raise ValoreNonValido(_("valore '%s' non è un numero intero") % valore)
    if isinstance(valore, int):
        numero = valore
    elif isinstance(valore, float):
        if valore != valore or not valore.is_integer():
            raise ValoreNonValido(
                _("valore '%s' non è un numero intero") % testo_cella(valore)
            )
        numero = int(valore)
    elif isinstance(valore, str):
        testo = valore.strip().replace(" ", "")
        if not testo:
            return None
        if _INTERO_MIGLIAIA.match(testo):
            testo = testo.replace(".", "")
        elif testo.endswith((",0", ".0", ",00", ".00")):
            testo = testo.rsplit(testo[-2] if testo[-2] in ",." else testo[-3], 1)[0]
        if not re.fullmatch(r"[+-]?\d{1,12}", testo):
            raise ValoreNonValido(
                _("valore '%s' non è un numero intero") % _breve(valore)
            )
        numero = int(testo)
    else:
        raise ValoreNonValido(_("valore '%s' non è un numero intero") % _breve(valore))
    if numero < 0 and minimo >= 0:
        raise ValoreNonValido(_("valore negativo (%s) non ammesso") % numero)
    if numero < minimo or numero > massimo:
        raise ValoreNonValido(
            _("valore %(v)s fuori dall'intervallo ammesso (%(min)s–%(max)s)")
            % {"v": numero, "min": minimo, "max": massimo}
        )
    return numero


def converti_decimale(
    valore: object, *, cifre: int = 7, decimali: int = 2, positivo: bool = True
) -> Decimal | None:
    """Numero con la virgola italiana ('65,50', '1.234,5') o di Excel; vuoto → None."""
    if valore is None or valore == "":
        return None
    if isinstance(valore, bool):
        raise ValoreNonValido(_("valore '%s' non è un numero") % valore)
    if isinstance(valore, int | float):
        if isinstance(valore, float) and (
            valore != valore or valore in (float("inf"), float("-inf"))
        ):
            raise ValoreNonValido(_("valore '%s' non è un numero") % valore)
        numero = Decimal(repr(valore)) if isinstance(valore, float) else Decimal(valore)
    elif isinstance(valore, str):
        testo = valore.strip().replace(" ", "")
        if not testo:
            return None
        if "," in testo:
            testo = testo.replace(".", "").replace(",", ".")
        if not re.fullmatch(r"[+-]?\d{1,15}(\.\d{1,15})?", testo):
            raise ValoreNonValido(_("valore '%s' non è un numero") % _breve(valore))
        numero = Decimal(testo)
    else:
        raise ValoreNonValido(_("valore '%s' non è un numero") % _breve(valore))
    if numero < 0:
        raise ValoreNonValido(_("valore negativo (%s) non ammesso") % _it(numero))
    if positivo and numero == 0:
        raise ValoreNonValido(_("il valore deve essere maggiore di zero"))
    try:
        numero = numero.quantize(Decimal(1).scaleb(-decimali))
    except InvalidOperation as exc:
        raise ValoreNonValido(_("valore '%s' troppo grande") % _breve(valore)) from exc
    if numero >= Decimal(10) ** (cifre - decimali):
        raise ValoreNonValido(_("valore %s troppo grande") % _it(numero))
    return numero


_DATA_IT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATA_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+)?$")


def converti_data(valore: object) -> date | None:
    """Data di Excel o testo '27/10/2025' / '2025-10-27'; vuoto → None."""
    if valore is None or valore == "":
        return None
    if isinstance(valore, datetime):
        return valore.date()
    if isinstance(valore, date):
        return valore
    if isinstance(valore, str):
        testo = valore.strip()
        if not testo:
            return None
        if m := _DATA_IT.match(testo):
            giorno, mese, anno = (int(x) for x in m.groups())
        elif m := _DATA_ISO.match(testo):
            anno, mese, giorno = (int(x) for x in m.groups())
        else:
            raise ValoreNonValido(
                _("valore '%s' non è una data (gg/mm/aaaa)") % _breve(valore)
            )
        try:
            return date(anno, mese, giorno)
        except ValueError as exc:
            raise ValoreNonValido(_("data '%s' inesistente") % _breve(valore)) from exc
    raise ValoreNonValido(_("valore '%s' non è una data (gg/mm/aaaa)") % _breve(valore))


def converti_testo(valore: object, *, massimo: int) -> str:
    if type(valore) is str:  # il caso comune, senza passare da testo_cella
        testo = valore.strip()
        if len(testo) <= massimo:
            return testo
    testo = testo_cella(valore)
    if isinstance(valore, time | timedelta):
        raise ValoreNonValido(_("valore '%s' non è un testo") % testo)
    if len(testo) > massimo:
        raise ValoreNonValido(
            _("testo troppo lungo (%(n)s caratteri, massimo %(max)s)")
            % {"n": len(testo), "max": massimo}
        )
    return testo


def _breve(valore: object, massimo: int = 40) -> str:
    testo = testo_cella(valore) if not isinstance(valore, str) else valore.strip()
    return testo if len(testo) <= massimo else testo[: massimo - 1] + "…"


def _it(numero: Decimal) -> str:
    return str(numero).replace(".", ",")


# --- lettura ------------------------------------------------------------------------


def tabella_leggi(
    percorso: str | Path,
    *,
    nome_file: str | None = None,
    riconosci: Callable[[str], bool] | None = None,
    max_byte: int | None = None,
    max_righe: int = MAX_RIGHE,
    max_colonne: int = MAX_COLONNE,
) -> Tabella:
    """Legge il primo foglio di un XLSX o un CSV, dopo i controlli di sicurezza.

    ``riconosci`` dice se un'intestazione è nota: serve a trovare la riga delle
    intestazioni sotto eventuali righe di titolo (gli export ISTAT ne hanno).
    Solleva solo ``ErroreImport``.
    """
    try:
        return _tabella_leggi(
            percorso,
            nome_file=nome_file,
            riconosci=riconosci,
            max_byte=max_byte,
            max_righe=max_righe,
            max_colonne=max_colonne,
        )
    except ErroreImport:
        raise
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
) -> Tabella:
    percorso = Path(percorso)
    nome = nome_file or percorso.name
    estensione = Path(nome).suffix.lower()
    max_byte = max_byte or settings.PIANOCASA_MAX_UPLOAD_BYTES
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
    with open(percorso, "rb") as handle:
        inizio = handle.read(8)

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
    if estensione in {".xlsx", ".xltx"}:
        if inizio.startswith(FIRMA_ZIP_VUOTO):
            raise ErroreImport(_("Il file .xlsx è un archivio vuoto."))
        if not inizio.startswith(FIRMA_ZIP):
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
        return _leggi_xlsx(percorso, riconosci, max_righe, max_colonne)
    if estensione in {".csv", ".txt"}:
        if inizio.startswith((FIRMA_ZIP, FIRMA_ZIP_VUOTO)):
            raise ErroreImport(
                _(
                    "Il file ha estensione .csv ma è un archivio (forse un .xlsx "
                    "rinominato): caricarlo con l'estensione giusta."
                )
            )
        return _leggi_csv(percorso, riconosci, max_righe, max_colonne)
    raise ErroreImport(
        _("Estensione '%s' non riconosciuta: caricare un file .xlsx o .csv.")
        % (estensione or _("nessuna"))
    )


def _mb(byte: int) -> str:
    return f"{byte / 2**20:.1f}".replace(".", ",")


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


# --- XLSX --------------------------------------------------------------------------

NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TAG_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_COMMENTO = re.compile(rb"<!--.*?(-->|$)", re.S)
_RADICE = re.compile(rb"<[A-Za-z_]")
TESTA_XML = 65_536


def _prologo_con_dtd(testa: bytes) -> bool:
    """Vero se prima dell'elemento radice c'è una DTD o un'entità, o se il
    prologo è così lungo da nasconderla (nessun elemento nei primi 64 KB)."""
    senza_commenti = _COMMENTO.sub(b"", testa)
    radice = _RADICE.search(senza_commenti)
    if radice is None:
        return len(testa) >= TESTA_XML or bool(_TAG_DTD.search(senza_commenti))
    return bool(_TAG_DTD.search(senza_commenti[: radice.start()]))


def _leggi_xlsx(
    percorso: Path,
    riconosci: Callable[[str], bool] | None,
    max_righe: int,
    max_colonne: int,
) -> Tabella:
    try:
        archivio = zipfile.ZipFile(percorso)
    except Exception as exc:  # BadZipFile, NotImplementedError, EOFError…
        raise ErroreImport(
            _("Il file .xlsx è danneggiato o troncato (archivio non leggibile).")
        ) from exc
    try:
        with archivio:
            foglio_xml = _controlla_archivio(archivio)
            formule = _formule_senza_valore(archivio, foglio_xml)
    except ErroreImport:
        raise
    except Exception as exc:
        raise ErroreImport(_("Il file .xlsx è danneggiato.")) from exc
    righe = _righe_calamine(percorso, max_righe, max_colonne)
    return _tabella(righe, riconosci, formule)


def _controlla_archivio(archivio: zipfile.ZipFile) -> str:
    """Controlli sull'archivio prima di decomprimere: restituisce il percorso XML
    del primo foglio."""
    try:
        voci = archivio.infolist()
    except Exception as exc:  # zipfile solleva eccezioni diverse su archivi rotti
        raise ErroreImport(_("Il file .xlsx è danneggiato.")) from exc
    if len(voci) > MAX_VOCI_ZIP:
        raise ErroreImport(
            _("L'archivio contiene troppe parti (%s): il file non è un export valido.")
            % len(voci)
        )
    nomi = {voce.filename for voce in voci}
    if "mimetype" in nomi:
        try:
            tipo = archivio.read("mimetype")[:100]
        except Exception:
            tipo = b""
        if b"opendocument" in tipo:
            raise ErroreImport(
                _(
                    "Il file è un foglio OpenDocument (.ods) rinominato .xlsx: "
                    "salvarlo "
                    "come .xlsx o .csv."
                )
            )
    totale = 0
    for voce in voci:
        if voce.flag_bits & 0x1:
            raise ErroreImport(
                _(
                    "Il file contiene parti cifrate: salvarlo senza password e "
                    "riprovare."
                )
            )
        totale += voce.file_size
        compresso = max(voce.compress_size, 1)
        if (
            voce.file_size > 2**20
            and voce.file_size / compresso > MAX_RAPPORTO_COMPRESSIONE
        ):
            raise ErroreImport(
                _(
                    "Il file ha un rapporto di compressione sospetto (%(r)s:1 in "
                    "%(parte)s): "
                    "rifiutato per sicurezza."
                )
                % {"r": voce.file_size // compresso, "parte": voce.filename}
            )
    if totale > MAX_BYTE_DECOMPRESSI:
        raise ErroreImport(
            _(
                "Il file decompresso sarebbe troppo grande (%s MB): rifiutato per "
                "sicurezza."
            )
            % _mb(totale)
        )
    if any(n.lower().endswith("vbaproject.bin") for n in nomi):
        raise ErroreImport(
            _("Il file contiene macro (VBA): salvarlo come .xlsx senza macro.")
        )
    if "[Content_Types].xml" not in nomi or "xl/workbook.xml" not in nomi:
        raise ErroreImport(
            _(
                "Il file non è una cartella di lavoro Excel (.xlsx) valida: mancano le "
                "parti essenziali."
            )
        )
    tipi = _xml_sicuro(archivio, "[Content_Types].xml")
    for elemento in tipi.iter():
        tipo = elemento.get("ContentType", "")
        if any(segno in tipo for segno in TIPI_MACRO):
            raise ErroreImport(
                _(
                    "Il file è una cartella di lavoro con macro: salvarlo come .xlsx "
                    "senza macro."
                )
            )
    # Ogni altra parte XML: nessuna DTD o entità (le legge calamine, non noi).
    for voce in voci:
        if voce.filename.endswith((".xml", ".rels")):
            try:
                with archivio.open(voce) as parte:
                    testa = parte.read(TESTA_XML)
            except Exception as exc:
                raise ErroreImport(
                    _("Il file .xlsx è danneggiato (parte %s illeggibile).")
                    % voce.filename
                ) from exc
            if _prologo_con_dtd(testa):
                raise ErroreImport(
                    _(
                        "Il file contiene dichiarazioni XML non ammesse (DTD o "
                        "entità) in %s: rifiutato per sicurezza."
                    )
                    % voce.filename
                )
    libro = _xml_sicuro(archivio, "xl/workbook.xml")
    primo = next((e for e in libro.iter() if e.tag.endswith("}sheet")), None)
    if primo is None:
        raise ErroreImport(_("La cartella di lavoro non contiene fogli."))
    rid = primo.get(f"{{{NS_REL}}}id")
    destinazione = None
    if "xl/_rels/workbook.xml.rels" in nomi and rid:
        relazioni = _xml_sicuro(archivio, "xl/_rels/workbook.xml.rels")
        for rel in relazioni.iter():
            if rel.get("Id") == rid:
                destinazione = rel.get("Target", "")
    if not destinazione:
        return "xl/worksheets/sheet1.xml"
    destinazione = destinazione.lstrip("/")
    return destinazione if destinazione.startswith("xl/") else f"xl/{destinazione}"


def _xml_sicuro(archivio: zipfile.ZipFile, nome: str):
    try:
        with archivio.open(nome) as parte:
            return SafeET.fromstring(parte.read(16 * 2**20))
    except DefusedXmlException as exc:
        raise ErroreImport(
            _(
                "Il file contiene dichiarazioni XML non ammesse (DTD o entità) in %s: "
                "rifiutato per sicurezza."
            )
            % nome
        ) from exc
    except Exception as exc:
        raise ErroreImport(
            _("Il file .xlsx è danneggiato (parte %s non valida).") % nome
        ) from exc


_RADICE_FOGLIO = re.compile(rb"<(\w+:)?worksheet\b")


def _formule_senza_valore(
    archivio: zipfile.ZipFile, foglio: str
) -> list[tuple[int, int]]:
    """Celle con formula ma senza valore calcolato (calamine le darebbe vuote).

    Quasi tutti gli export non hanno formule: una passata che cerca '<f' costa poco;
    solo se ce ne sono si analizza il foglio con defusedxml.
    """
    try:
        with archivio.open(foglio) as parte:
            coda = b""
            trovata = False
            segno = None
            while blocco := parte.read(2**20):
                if segno is None:
                    # '<f' o '<x:f' secondo il prefisso dello spazio dei nomi; una
                    # sola stringa: bytes.find è molto più veloce di una regex.
                    radice = _RADICE_FOGLIO.search(blocco)
                    segno = b"<" + ((radice and radice.group(1)) or b"") + b"f"
                testo = coda + blocco
                posizione = testo.find(segno)
                while posizione != -1:
                    dopo = testo[posizione + len(segno) : posizione + len(segno) + 1]
                    if dopo in (b">", b" ", b"/", b"\t", b"\n", b"\r"):
                        trovata = True
                        break
                    posizione = testo.find(segno, posizione + 1)
                if trovata:
                    break
                coda = blocco[-16:]
    except KeyError:
        return []
    except Exception as exc:
        raise ErroreImport(_("Il file .xlsx è danneggiato o troncato.")) from exc
    if not trovata:
        return []
    celle: list[tuple[int, int]] = []
    try:
        with archivio.open(foglio) as parte:
            for _evento, elemento in SafeET.iterparse(parte, events=("end",)):
                if not elemento.tag.endswith("}c"):
                    continue
                formula = valore = None
                for figlio in elemento:
                    if figlio.tag.endswith("}f"):
                        formula = figlio
                    elif figlio.tag.endswith("}v") or figlio.tag.endswith("}is"):
                        valore = figlio
                if formula is not None and (valore is None or _vuoto(valore)):
                    celle.append(_coordinate(elemento.get("r", "")))
                elemento.clear()
    except DefusedXmlException as exc:
        raise ErroreImport(
            _(
                "Il file contiene dichiarazioni XML non ammesse (DTD o entità): "
                "rifiutato per sicurezza."
            )
        ) from exc
    except ErroreImport:
        raise
    except Exception as exc:
        raise ErroreImport(
            _("Il file .xlsx è danneggiato (foglio non valido).")
        ) from exc
    return celle


def _vuoto(elemento) -> bool:
    return not (elemento.text or "").strip() and not any(
        (f.text or "").strip() for f in elemento.iter()
    )


def _coordinate(riferimento: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]{1,3})(\d{1,7})", riferimento)
    if not m:
        return (0, 0)
    colonna = 0
    for lettera in m.group(1):
        colonna = colonna * 26 + ord(lettera) - 64
    return (int(m.group(2)), colonna - 1)


def _righe_calamine(percorso: Path, max_righe: int, max_colonne: int) -> list[list]:
    from python_calamine import CalamineWorkbook

    try:
        libro = CalamineWorkbook.from_path(str(percorso))
        try:
            if not libro.sheet_names:
                raise ErroreImport(_("La cartella di lavoro non contiene fogli."))
            foglio = libro.get_sheet_by_index(0)
            # end è l'ultima cella (riga, colonna) contando da 0.
            fine = foglio.end or (0, 0)
            righe, colonne = fine[0] + 1, fine[1] + 1
            if righe > max_righe + RIGHE_CERCA_INTESTAZIONE:
                raise ErroreImport(
                    _("Il foglio ha troppe righe (%(n)s): il massimo è %(max)s.")
                    % {"n": _migliaia(righe), "max": _migliaia(max_righe)}
                )
            if colonne > max_colonne:
                raise ErroreImport(
                    _("Il foglio ha troppe colonne (%(n)s): il massimo è %(max)s.")
                    % {"n": colonne, "max": max_colonne}
                )
            return foglio.to_python(skip_empty_area=False)
        finally:
            libro.close()
    except ErroreImport:
        raise
    except Exception as exc:
        # calamine solleva CalamineError, ValueError, ZipError… su file rotti.
        raise ErroreImport(
            _("Il file .xlsx è danneggiato e non si può leggere (%s).")
            % type(exc).__name__
        ) from exc


def _migliaia(numero: int) -> str:
    return f"{numero:,}".replace(",", ".")


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
