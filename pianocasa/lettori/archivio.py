"""XLSX: checks on the zip archive before anything is decompressed for good
(number of parts, compression ratio, encryption, macros, DTDs and entities in
any XML part), and the list of the workbook's sheets."""

from __future__ import annotations

import re
import zipfile

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

from pianocasa.lettori.valori import ErroreImport, _mb

MAX_VOCI_ZIP = 2_000
MAX_RAPPORTO_COMPRESSIONE = 200
MAX_BYTE_DECOMPRESSI = 1_500 * 2**20
TIPI_MACRO = ("macroEnabled", "vbaProject")

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


def _controlla_archivio(archivio: zipfile.ZipFile) -> list[tuple[str, str]]:
    """Controlli sull'archivio prima di decomprimere: restituisce i fogli (nome,
    percorso XML), il primo per primo."""
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
    _non_opendocument(archivio, nomi)
    _dimensioni_plausibili(voci)
    _senza_macro(archivio, nomi)
    _senza_dtd(archivio, voci)
    return _fogli_del_libro(archivio, nomi)


def _non_opendocument(archivio: zipfile.ZipFile, nomi: set[str]) -> None:
    if "mimetype" not in nomi:
        return
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


def _dimensioni_plausibili(voci: list[zipfile.ZipInfo]) -> None:
    """No encrypted part, no part with a zip-bomb ratio, a bounded total."""
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


def _senza_macro(archivio: zipfile.ZipFile, nomi: set[str]) -> None:
    """No VBA project, the essential parts present, no macro content type."""
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


def _senza_dtd(archivio: zipfile.ZipFile, voci: list[zipfile.ZipInfo]) -> None:
    """Ogni altra parte XML: nessuna DTD o entità (le legge calamine, non noi)."""
    for voce in voci:
        if not voce.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archivio.open(voce) as parte:
                testa = parte.read(TESTA_XML)
        except Exception as exc:
            raise ErroreImport(
                _("Il file .xlsx è danneggiato (parte %s illeggibile).") % voce.filename
            ) from exc
        if _prologo_con_dtd(testa):
            raise ErroreImport(
                _(
                    "Il file contiene dichiarazioni XML non ammesse (DTD o "
                    "entità) in %s: rifiutato per sicurezza."
                )
                % voce.filename
            )


def _fogli_del_libro(
    archivio: zipfile.ZipFile, nomi: set[str]
) -> list[tuple[str, str]]:
    """(name, XML part) of every sheet, in the workbook's order."""
    libro = _xml_sicuro(archivio, "xl/workbook.xml")
    fogli = [e for e in libro.iter() if e.tag.endswith("}sheet")]
    if not fogli:
        raise ErroreImport(_("La cartella di lavoro non contiene fogli."))
    destinazioni: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in nomi:
        relazioni = _xml_sicuro(archivio, "xl/_rels/workbook.xml.rels")
        for rel in relazioni.iter():
            if rel.get("Id"):
                destinazioni[rel.get("Id")] = rel.get("Target", "")
    risultato: list[tuple[str, str]] = []
    for posizione, foglio in enumerate(fogli, start=1):
        destinazione = destinazioni.get(foglio.get(f"{{{NS_REL}}}id") or "", "")
        if destinazione:
            destinazione = destinazione.lstrip("/")
            if not destinazione.startswith("xl/"):
                destinazione = f"xl/{destinazione}"
        else:
            destinazione = f"xl/worksheets/sheet{posizione}.xml"
        risultato.append((foglio.get("name") or str(posizione), destinazione))
    return risultato


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
