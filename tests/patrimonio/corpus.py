"""Il corpus di file malformati od ostili: ogni caso costruisce i byte del file
(deterministici, nessun file binario nel repository) e dice quale messaggio
italiano ci si aspetta, con riga e colonna quando c'entrano.

``python -m tests.patrimonio.corpus DIR`` scrive i file in DIR per provarli a mano.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from tests.patrimonio.aiuti import INTESTAZIONI_ALLOGGI, csv_testo, riga_alloggio

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Caso:
    nome: str
    nome_file: str
    contenuto: Callable[[], bytes]
    atteso: str  # testo che deve comparire in un messaggio
    tipo: str = "alloggi"


def _xlsx(righe: list[list], intestazioni=None) -> bytes:
    libro = Workbook()
    foglio = libro.active
    foglio.append(INTESTAZIONI_ALLOGGI if intestazioni is None else intestazioni)
    for riga in righe:
        foglio.append(riga)
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()


def _buono() -> bytes:
    return _xlsx([riga_alloggio(i) for i in range(20)])


def _riscrivi(
    sostituisci: dict[str, bytes] | None = None,
    aggiungi: dict[str, bytes] | None = None,
    togli: tuple[str, ...] = (),
    sorgente: bytes | None = None,
) -> bytes:
    """Un .xlsx valido con alcune parti sostituite, aggiunte o tolte."""
    sostituisci = sostituisci or {}
    entrata = zipfile.ZipFile(io.BytesIO(sorgente or _buono()))
    uscita = io.BytesIO()
    with zipfile.ZipFile(uscita, "w", zipfile.ZIP_DEFLATED) as nuovo:
        for voce in entrata.infolist():
            if voce.filename in togli:
                continue
            dati = sostituisci.get(voce.filename, entrata.read(voce.filename))
            nuovo.writestr(voce.filename, dati)
        presenti = set(entrata.namelist())
        nuove = {k: v for k, v in sostituisci.items() if k not in presenti}
        for nome, dati in {**nuove, **(aggiungi or {})}.items():
            nuovo.writestr(nome, dati)
    return uscita.getvalue()


def _parte(nome: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(_buono())).read(nome)


def _con_righe(*righe_modificate: tuple[int, int, object]) -> Callable[[], bytes]:
    """Un file di 20 righe buone con alcune celle cambiate: (indice, colonna, "
    "valore)."""

    def costruisci() -> bytes:
        righe = [riga_alloggio(i) for i in range(20)]
        for indice, colonna, valore in righe_modificate:
            righe[indice][colonna] = valore
        return _xlsx(righe)

    return costruisci


def _csv_con(*righe_modificate: tuple[int, int, object]) -> Callable[[], bytes]:
    def costruisci() -> bytes:
        righe = [riga_alloggio(i) for i in range(20)]
        for indice, colonna, valore in righe_modificate:
            righe[indice][colonna] = valore
        return csv_testo(righe).encode("utf-8-sig")

    return costruisci


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"'
    b' uniqueCount="1"><si><t>&lol3;</t></si></sst>'
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    b"</sheetData></worksheet>"
)
XXE_DOPO_COMMENTO = (
    b'<?xml version="1.0"?><!--' + b"x" * 10_000 + b"--><!DOCTYPE x [<!ENTITY e "
    b'SYSTEM "file:///etc/passwd">]><worksheet xmlns="http://schemas.openxmlformats.org'
    b'/spreadsheetml/2006/main"><sheetData/></worksheet>'
)
PROLOGO_ENORME = b'<?xml version="1.0"?>' + b"<?pi " + b"y" * 70_000 + b"?><worksheet/>"
TIPI_DTD = b'<?xml version="1.0"?><!DOCTYPE Types SYSTEM "http://x/y.dtd"><Types/>'


def _tipi_macro() -> bytes:
    tipi = _parte("[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return _riscrivi({"[Content_Types].xml": tipi})


def _zip_bomba() -> bytes:
    foglio = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>' + b" " * (30 * 2**20) + b"</sheetData>"
        b"</worksheet>"
    )
    return _riscrivi({"xl/worksheets/sheet1.xml": foglio})


def _troppe_voci() -> bytes:
    return _riscrivi(aggiungi={f"xl/media/x{i}.xml": b"<a/>" for i in range(2100)})


def _voce_cifrata() -> bytes:
    dati = bytearray(_buono())
    # Il bit 0 dei flag (cifratura) nell'intestazione centrale della prima voce.
    posizione = dati.find(b"PK\x01\x02")
    dati[posizione + 8] |= 0x01
    return bytes(dati)


def _ods() -> bytes:
    uscita = io.BytesIO()
    with zipfile.ZipFile(uscita, "w") as archivio:
        archivio.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archivio.writestr("content.xml", "<office:document-content/>")
    return uscita.getvalue()


def _cifrato() -> bytes:
    return OLE + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2000


def _xls() -> bytes:
    return OLE + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 2000


def _formula() -> bytes:
    righe = [riga_alloggio(i) for i in range(20)]
    righe[4][7] = "=2+1"  # openpyxl scrive la formula senza valore calcolato
    return _xlsx(righe)


def _molte_colonne_xlsx() -> bytes:
    libro = Workbook()
    foglio = libro.active
    foglio.append([f"C{i}" for i in range(130)])
    foglio.append(list(range(130)))
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()


def _molte_righe_csv() -> bytes:
    return ("Codice alloggio;Stato\r\n" + "x;libero\r\n" * 250_100).encode()


def _senza_fogli() -> bytes:
    libro = _parte("xl/workbook.xml")
    inizio = libro.find(b"<sheets>")
    fine = libro.find(b"</sheets>") + len(b"</sheets>")
    return _riscrivi({"xl/workbook.xml": libro[:inizio] + b"<sheets/>" + libro[fine:]})


def _foglio_vuoto() -> bytes:
    uscita = io.BytesIO()
    Workbook().save(uscita)
    return uscita.getvalue()


# --- XLSX scritti a mano (poche centinaia di byte, nessuna libreria) ----------------

NS_FOGLIO = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TIPO_FOGLIO = b"application/vnd.openxmlformats-officedocument.spreadsheetml"


def xlsx_a_mano(
    fogli: list[bytes],
    *,
    libro: bytes | None = None,
    stringhe: bytes | None = None,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """Un .xlsx minimo con i fogli dati (il contenuto di ``<sheetData>`` o, se
    inizia con '<?xml' o '<worksheet', il foglio intero)."""
    tipi = [
        b'<Override PartName="/xl/workbook.xml" ContentType="'
        + TIPO_FOGLIO
        + b'.sheet.main+xml"/>'
    ]
    relazioni, voci = [], []
    for i in range(1, len(fogli) + 1):
        n = str(i).encode()
        tipi.append(
            b'<Override PartName="/xl/worksheets/sheet'
            + n
            + b'.xml" ContentType="'
            + TIPO_FOGLIO
            + b'.worksheet+xml"/>'
        )
        relazioni.append(
            b'<Relationship Id="rId' + n + b'" Type="' + NS_REL + b'/worksheet" '
            b'Target="worksheets/sheet' + n + b'.xml"/>'
        )
        voci.append(b'<sheet name="Foglio' + n + b'" sheetId="' + n + b'" r:id="rId'
                    + n + b'"/>')  # fmt: skip
    parti = {
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        b'package.relationships+xml"/><Default Extension="xml" '
        b'ContentType="application/xml"/>' + b"".join(tipi) + b"</Types>",
        "_rels/.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="' + NS_REL
        + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": libro
        or (
            b"<workbook " + NS_FOGLIO + b' xmlns:r="' + NS_REL + b'"><sheets>'
            + b"".join(voci) + b"</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": b'<Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships">' + b"".join(relazioni)
        + b"</Relationships>",
    }  # fmt: skip
    for i, foglio in enumerate(fogli, start=1):
        if not foglio.startswith((b"<?xml", b"<worksheet")):
            foglio = b"<worksheet " + NS_FOGLIO + b"><sheetData>" + foglio
            foglio += b"</sheetData></worksheet>"
        parti[f"xl/worksheets/sheet{i}.xml"] = foglio
    if stringhe is not None:
        parti["xl/sharedStrings.xml"] = stringhe
    parti.update(extra or {})
    uscita = io.BytesIO()
    with zipfile.ZipFile(uscita, "w", zipfile.ZIP_DEFLATED) as archivio:
        for nome, dati in parti.items():
            archivio.writestr(nome, dati)
    return uscita.getvalue()


INTESTAZIONE_A_MANO = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Codice alloggio</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Stato</t></is></c></row>'
)


def angolo_lontano() -> bytes:
    """Issue 13: una cella in A1 e una in XFD1048576, 2 KB che chiederebbero a
    calamine centinaia di GB."""
    return xlsx_a_mano(
        [INTESTAZIONE_A_MANO + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>']
    )


def _cella_lontana(riferimento: bytes, riga: bytes) -> Callable[[], bytes]:
    return lambda: xlsx_a_mano(
        [INTESTAZIONE_A_MANO + b'<row r="' + riga + b'"><c r="' + riferimento
         + b'"><v>1</v></c></row>']
    )  # fmt: skip


def _dimensione_dichiarata() -> bytes:
    foglio = (
        b"<worksheet " + NS_FOGLIO + b'><dimension ref="A1:XFD1048576"/><sheetData>'
        + INTESTAZIONE_A_MANO + b"</sheetData></worksheet>"
    )  # fmt: skip
    return xlsx_a_mano([foglio])


def _riga_lontana_senza_riferimenti() -> bytes:
    # Celle senza «r»: calamine le mette nella riga del tag <row>.
    return xlsx_a_mano(
        [INTESTAZIONE_A_MANO + b'<row r="5000000"><c><v>1</v></c></row>']
    )


def _molti_fogli_uno_lontano() -> bytes:
    fogli = [INTESTAZIONE_A_MANO] * 40
    fogli[36] = INTESTAZIONE_A_MANO + b'<row r="9"><c r="AAA9"><v>1</v></c></row>'
    return xlsx_a_mano(fogli)


def _stringhe_condivise_enormi() -> bytes:
    voce = b"<si><t>" + b"x" * 1000 + b"</t></si>"
    stringhe = (
        b"<sst " + NS_FOGLIO + b' count="40000" uniqueCount="40000">'
        + voce * 40_000 + b"</sst>"
    )  # fmt: skip
    return xlsx_a_mano([INTESTAZIONE_A_MANO], stringhe=stringhe)


def _annidamento_profondo() -> bytes:
    foglio = (
        b"<worksheet " + NS_FOGLIO + b"><sheetData>" + b"<a>" * 200_000
        + b"</a>" * 200_000 + b"</sheetData></worksheet>"
    )  # fmt: skip
    return xlsx_a_mano([foglio])


def _libro_billion_laughs() -> bytes:
    libro = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l "lol"><!ENTITY l2 '
        b'"&l;&l;&l;&l;&l;&l;&l;&l;&l;&l;">]><workbook ' + NS_FOGLIO
        + b' xmlns:r="' + NS_REL + b'"><sheets><sheet name="&l2;" sheetId="1" '
        b'r:id="rId1"/></sheets></workbook>'
    )  # fmt: skip
    return xlsx_a_mano([INTESTAZIONE_A_MANO], libro=libro)


def _stringhe_xxe() -> bytes:
    stringhe = (
        b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<sst " + NS_FOGLIO + b"><si><t>&x;</t></si></sst>"
    )
    return xlsx_a_mano([INTESTAZIONE_A_MANO], stringhe=stringhe)


def _xlsm_con_vba() -> bytes:
    return _riscrivi(aggiungi={"xl/vbaProject.bin": OLE + b"\x00" * 512})


CASI: list[Caso] = [
    # --- il file in sé
    Caso("vuoto", "a.xlsx", lambda: b"", "Il file è vuoto"),
    Caso("non-zip", "a.xlsx", lambda: bytes(range(256)) * 8, "non è una cartella"),
    Caso("troncato", "a.xlsx", lambda: _buono()[:3000], "danneggiato"),
    Caso("troncato-fine", "a.xlsx", lambda: _buono()[:-200], "danneggiato"),
    Caso(
        "csv-rinominato",
        "a.xlsx",
        lambda: csv_testo([riga_alloggio(1)]).encode(),
        "è un file di testo",
    ),
    Caso("ods-rinominato", "a.xlsx", _ods, "OpenDocument"),
    Caso("estensione-xlsm", "a.xlsm", _buono, "macro"),
    Caso(
        "vba-dentro",
        "a.xlsx",
        lambda: _riscrivi(aggiungi={"xl/vbaProject.bin": b"x"}),
        "macro",
    ),
    Caso("tipo-macro", "a.xlsx", _tipi_macro, "macro"),
    Caso("cifrato", "a.xlsx", _cifrato, "protetto da password"),
    Caso("xls-97", "a.xlsx", _xls, "Excel 97-2003"),
    Caso("estensione-xls", "a.xls", _xls, "non è supportato"),
    Caso("estensione-ods", "a.ods", _ods, "non è supportato"),
    Caso("estensione-pdf", "a.pdf", lambda: b"%PDF-1.4", "non riconosciuta"),
    Caso("senza-estensione", "anagrafe", _buono, "non riconosciuta"),
    Caso(
        "billion-laughs",
        "a.xlsx",
        lambda: _riscrivi({"xl/sharedStrings.xml": BILLION_LAUGHS}),
        "DTD o entità",
    ),
    Caso(
        "entita-esterna",
        "a.xlsx",
        lambda: _riscrivi({"xl/worksheets/sheet1.xml": XXE}),
        "DTD o entità",
    ),
    Caso(
        "dtd-dopo-commento-lungo",
        "a.xlsx",
        lambda: _riscrivi({"xl/worksheets/sheet1.xml": XXE_DOPO_COMMENTO}),
        "DTD o entità",
    ),
    Caso(
        "prologo-enorme",
        "a.xlsx",
        lambda: _riscrivi({"xl/worksheets/sheet1.xml": PROLOGO_ENORME}),
        "DTD o entità",
    ),
    Caso(
        "dtd-content-types",
        "a.xlsx",
        lambda: _riscrivi({"[Content_Types].xml": TIPI_DTD}),
        "DTD o entità",
    ),
    Caso("zip-bomba", "a.xlsx", _zip_bomba, "rapporto di compressione"),
    Caso("troppe-voci", "a.xlsx", _troppe_voci, "troppe parti"),
    Caso("zip-vuoto", "a.xlsx", lambda: b"PK\x05\x06" + b"\x00" * 18, "archivio vuoto"),
    Caso("voce-cifrata", "a.xlsx", _voce_cifrata, "cifrat"),
    Caso(
        "senza-workbook",
        "a.xlsx",
        lambda: _riscrivi(togli=("xl/workbook.xml",)),
        "parti essenziali",
    ),
    Caso("senza-fogli", "a.xlsx", _senza_fogli, "non contiene fogli"),
    Caso("foglio-vuoto", "a.xlsx", _foglio_vuoto, "Il foglio è vuoto"),
    Caso("solo-intestazione", "a.xlsx", lambda: _xlsx([]), "solo l'intestazione"),
    Caso("troppe-colonne-xlsx", "a.xlsx", _molte_colonne_xlsx, "× 130 colonne"),
    Caso(
        "troppe-colonne-csv",
        "a.csv",
        lambda: (";".join(f"c{i}" for i in range(150)) + "\r\n1;2\r\n").encode(),
        "troppe colonne",
    ),
    Caso("troppe-righe", "a.csv", _molte_righe_csv, "troppe righe"),
    Caso(
        "formula-senza-valore",
        "a.xlsx",
        _formula,
        "Riga 6, colonna Vani: formula senza valore calcolato",
    ),
    Caso("xlsx-rinominato-csv", "a.csv", _buono, "è un archivio"),
    Caso("csv-nul", "a.csv", lambda: b"Codice;Stato\r\nA\x00;libero\r\n", "NUL"),
    Caso(
        "csv-codifica",
        "a.csv",
        lambda: b"Codice;Stato\r\n\x81\x8d;libero\r\n",
        "Codifica",
    ),
    Caso(
        "csv-campo-enorme",
        "a.csv",
        lambda: b'Codice;Stato\r\n"' + b"x" * 200_000 + b'";libero\r\n',
        "non è ben formato",
    ),
    Caso("csv-vuoto-spazi", "a.csv", lambda: b"\r\n  \r\n", "vuoto"),
    Caso(
        "csv-solo-intestazione",
        "a.csv",
        lambda: csv_testo([]).encode(),
        "solo l'intestazione",
    ),
    # --- intestazioni
    Caso(
        "manca-stato",
        "a.xlsx",
        lambda: _xlsx(
            [r[:9] for r in (riga_alloggio(i) for i in range(3))],
            INTESTAZIONI_ALLOGGI[:9],
        ),
        "Manca la colonna obbligatoria «Stato»",
    ),
    Caso(
        "intestazioni-sbagliate",
        "a.xlsx",
        lambda: _xlsx([[1, 2, 3]], ["Pippo", "Pluto", "Paperino"]),
        "Manca la colonna obbligatoria «Codice alloggio»",
    ),
    Caso(
        "senza-comune",
        "a.csv",
        lambda: csv_testo(
            [["X1", "Comune di Clusone", "SAP", "libero"]],
            ["Codice", "Ente", "Servizio", "Stato"],
        ).encode(),
        "Manca la colonna del comune",
    ),
    Caso(
        "colonna-doppia",
        "a.xlsx",
        lambda: _xlsx([[*riga_alloggio(1), "X"]], [*INTESTAZIONI_ALLOGGI, "Codice"]),
        "indicano entrambe «Codice alloggio»",
    ),
    # --- valori (riga 2 = prima riga di dati)
    Caso(
        "stato-sconosciuto",
        "a.xlsx",
        _con_righe((10, 9, "libbero")),
        "Riga 12, colonna Stato: valore 'libbero' non riconosciuto",
    ),
    Caso(
        "servizio-sconosciuto",
        "a.xlsx",
        _con_righe((3, 8, "ERPX")),
        "Riga 5, colonna Servizio: valore 'ERPX' non riconosciuto",
    ),
    Caso(
        "superficie-negativa",
        "a.xlsx",
        _con_righe((0, 6, -45)),
        "Riga 2, colonna Superficie (m²): valore negativo",
    ),
    Caso(
        "superficie-zero",
        "a.xlsx",
        _con_righe((1, 6, 0)),
        "Riga 3, colonna Superficie (m²): il valore deve essere maggiore di zero",
    ),
    Caso(
        "superficie-testo",
        "a.xlsx",
        _con_righe((2, 6, "tanti")),
        "Riga 4, colonna Superficie (m²): «tanti» non è un numero",
    ),
    Caso(
        "superficie-enorme",
        "a.csv",
        _csv_con((2, 6, "123456789")),
        "Riga 4, colonna Superficie (m²): valore",
    ),
    Caso(
        "vani-negativi",
        "a.xlsx",
        _con_righe((5, 7, -2)),
        "Riga 7, colonna Vani: valore negativo",
    ),
    Caso(
        "vani-decimali",
        "a.xlsx",
        _con_righe((6, 7, 3.5)),
        "Riga 8, colonna Vani: valore '3.5' non è un numero intero",
    ),
    Caso(
        "vani-testo-csv",
        "a.csv",
        _csv_con((6, 7, "tre")),
        "Riga 8, colonna Vani: «tre» non è un numero",
    ),
    Caso(
        "anno-futuro",
        "a.xlsx",
        _con_righe((7, 10, 3020)),
        "Riga 9, colonna Anno di costruzione: valore 3020 fuori",
    ),
    Caso(
        "data-inesistente",
        "a.csv",
        _csv_con((8, 11, "31/02/2020")),
        "Riga 10, colonna Ultimo aggiornamento: data '31/02/2020' inesistente",
    ),
    Caso(
        "data-testo",
        "a.xlsx",
        _con_righe((8, 11, "ieri")),
        "Riga 10, colonna Ultimo aggiornamento: valore 'ieri' non è una data",
    ),
    Caso(
        "comune-sconosciuto",
        "a.xlsx",
        _con_righe((9, 2, "Xyzzyville")),
        "Riga 11, colonna Codice ISTAT comune: «Xyzzyville» non corrisponde",
    ),
    Caso(
        "istat-inesistente",
        "a.csv",
        _csv_con((9, 2, "099999")),
        "Riga 11, colonna Codice ISTAT comune",
    ),
    Caso(
        "ente-sconosciuto",
        "a.xlsx",
        _con_righe((11, 1, "Cooperativa Qwerty")),
        "Riga 13, colonna Ente proprietario: «Cooperativa Qwerty» non corrisponde",
    ),
    Caso(
        "codice-doppio",
        "a.xlsx",
        _con_righe((12, 0, "BG-000003")),
        "Riga 14, colonna Codice alloggio: codice 'BG-000003' ripetuto (già alla "
        "riga 5)",
    ),
    Caso(
        "codice-lungo",
        "a.xlsx",
        _con_righe((13, 0, "X" * 41)),
        "Riga 15, colonna Codice alloggio: testo troppo lungo (41 caratteri, massimo "
        "40)",
    ),
    Caso(
        "codice-mancante",
        "a.xlsx",
        _con_righe((14, 0, None)),
        "Riga 16, colonna Codice alloggio: valore mancante",
    ),
    Caso(
        "indirizzo-lungo",
        "a.csv",
        _csv_con((15, 3, "Via " + "x" * 300)),
        "Riga 17, colonna Indirizzo: testo troppo lungo",
    ),
    Caso(
        "stato-mancante",
        "a.csv",
        _csv_con((16, 9, "")),
        "Riga 18, colonna Stato: valore mancante",
    ),
    Caso(
        "piano-lungo",
        "a.xlsx",
        _con_righe((17, 5, "p" * 25)),
        "Riga 19, colonna Piano: testo troppo lungo",
    ),
    # --- altre importazioni
    Caso(
        "enti-negativo",
        "a.csv",
        lambda: csv_testo(
            [["COMUNE DI CLUSONE", "-3", "0", "0", "0"]],
            [
                "Ente Proprietario",
                "Numero Alloggi complessivi",
                "Numero Alloggi Servizio Abitativo Sociale (SAS)",
                "Numero Alloggi Servizio Abitativo Pubblico (SAP)",
                "Numero Alloggi altro uso residenziale",
            ],
        ).encode(),
        "Riga 2, colonna Numero Alloggi complessivi: valore negativo",
        tipo="enti",
    ),
    Caso(
        "enti-sconosciuto",
        "a.csv",
        lambda: csv_testo(
            [["COMUNE DI ZZYZX", "3"]],
            [
                "RAGIONE SOCIALE ENTE PROPRIETARIO",
                "NUMERO COMPLESSIVO U.I. DISPONIBILI NELL'ANNO",
            ],
        ).encode(),
        "Riga 2, colonna RAGIONE SOCIALE ENTE PROPRIETARIO: «COMUNE DI ZZYZX»",
        tipo="enti",
    ),
    Caso(
        "popolazione-senza-data",
        "a.csv",
        lambda: csv_testo(
            [["016077", "Clusone", "8700"]], ["Codice comune", "Comune", "Totale"]
        ).encode(),
        "Manca la data di riferimento",
        tipo="popolazione",
    ),
    Caso(
        "popolazione-negativa",
        "a.csv",
        lambda: csv_testo(
            [["016077", "Clusone", "-5", "01/01/2024"]],
            ["Codice comune", "Comune", "Totale", "Data"],
        ).encode(),
        "Riga 2, colonna Totale: valore negativo",
        tipo="popolazione",
    ),
    # --- dimensioni dei fogli (issue 13): rifiutati prima di calamine
    Caso("angolo-lontano", "a.xlsx", angolo_lontano, "cella in XFD1048576"),
    Caso(
        "dimensione-dichiarata-enorme",
        "a.xlsx",
        _dimensione_dichiarata,
        "dichiara un'area fino alla cella XFD1048576",
    ),
    Caso(
        "riga-lontana",
        "a.xlsx",
        _cella_lontana(b"A2000000", b"2"),
        "cella in A2000000",
    ),
    Caso(
        "colonna-lontana",
        "a.xlsx",
        _cella_lontana(b"ZZZ7", b"7"),
        "cella in ZZZ7",
    ),
    Caso(
        "colonna-oltre-il-limite",
        "a.xlsx",
        _cella_lontana(b"CW3", b"3"),
        "cella in CW3, oltre il limite",
    ),
    Caso(
        "riga-lontana-senza-riferimenti",
        "a.xlsx",
        _riga_lontana_senza_riferimenti,
        "la riga 5000000, oltre il limite",
    ),
    Caso(
        "molti-fogli-uno-lontano",
        "a.xlsx",
        _molti_fogli_uno_lontano,
        "Il foglio «Foglio37» ha una cella in AAA9",
    ),
    Caso(
        "righe-oltre-il-limite",
        "a.xlsx",
        _cella_lontana(b"B300000", b"300000"),
        "troppe righe (300.000)",
    ),
    Caso(
        "stringhe-condivise-enormi",
        "a.xlsx",
        _stringhe_condivise_enormi,
        "rapporto di compressione",
    ),
    Caso(
        "annidamento-profondo",
        "a.xlsx",
        _annidamento_profondo,
        "rapporto di compressione",
    ),
    Caso("billion-laughs-workbook", "a.xlsx", _libro_billion_laughs, "DTD o entità"),
    Caso("xxe-stringhe-condivise", "a.xlsx", _stringhe_xxe, "DTD o entità"),
    Caso("xlsm-con-vba", "a.xlsm", _xlsm_con_vba, "macro"),
    Caso("xlsx-con-vba-vero", "a.xlsx", _xlsm_con_vba, "macro (VBA)"),
]


def scrivi_corpus(cartella: Path) -> list[Path]:
    cartella.mkdir(parents=True, exist_ok=True)
    percorsi = []
    for caso in CASI:
        percorso = cartella / f"{caso.nome}--{caso.nome_file}"
        percorso.write_bytes(caso.contenuto())
        percorsi.append(percorso)
    return percorsi


if __name__ == "__main__":
    for percorso in scrivi_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")):
        print(percorso)
