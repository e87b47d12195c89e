"""XLSX: controlli sull'archivio e sui fogli prima di leggerli, poi la lettura con
python-calamine in un processo figlio con limiti di memoria e di tempo.

calamine costruisce un foglio come un rettangolo dalla prima all'ultima cella: un
file di 2 KB con una cella in A1 e una in XFD1048576 gli fa chiedere centinaia di
GB e il processo abortisce senza che Python possa intervenire. Per questo: (1) la
dimensione dichiarata e le celle più lontane di ogni foglio si controllano prima,
scorrendo l'XML decompresso; (2) calamine gira comunque in un figlio con
``RLIMIT_AS`` e un tempo massimo, così un caso sfuggito ai controlli uccide il
figlio e diventa un messaggio, non la caduta del server o del worker.
"""

from __future__ import annotations

import logging
import pickle
import re
import subprocess
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _

from pianocasa.lettori.valori import (
    ErroreImport,
    _mb,
    _migliaia,
)

logger = logging.getLogger("pianocasa.lettori")

MAX_VOCI_ZIP = 2_000
MAX_RAPPORTO_COMPRESSIONE = 200
MAX_BYTE_DECOMPRESSI = 1_500 * 2**20
TIPI_MACRO = ("macroEnabled", "vbaProject")

# Limiti del processo figlio e delle celle (sovrascrivibili nei settings).
MAX_CELLE = 20_000_000
MAX_MEMORIA = 2 * 2**30
MAX_SECONDI = 120
FIGLIO = Path(__file__).with_name("figlio.py")
# L'interprete del server (sotto gunicorn è il python del virtualenv).
PYTHON = sys.executable


def limiti() -> dict[str, int]:
    """I limiti in vigore: quelli dei settings, altrimenti i predefiniti."""
    return {
        "celle": getattr(settings, "PIANOCASA_LETTURA_MAX_CELLE", MAX_CELLE),
        "memoria": getattr(settings, "PIANOCASA_LETTURA_MAX_MEMORIA", MAX_MEMORIA),
        "secondi": getattr(settings, "PIANOCASA_LETTURA_MAX_SECONDI", MAX_SECONDI),
    }


def leggi_xlsx(
    percorso: Path, *, max_righe: int, max_colonne: int
) -> tuple[list[list], list[tuple[int, int]]]:
    """Le righe del primo foglio e le celle con formula senza valore calcolato.
    ``max_righe`` conta tutte le righe del foglio, titolo e intestazione compresi.
    Solleva solo ``ErroreImport``."""
    try:
        archivio = zipfile.ZipFile(percorso)
    except Exception as exc:  # BadZipFile, NotImplementedError, EOFError…
        raise ErroreImport(
            _("Il file .xlsx è danneggiato o troncato (archivio non leggibile).")
        ) from exc
    massimi = limiti()
    try:
        with archivio:
            fogli = _controlla_archivio(archivio)
            formule: list[tuple[int, int]] = []
            viste: set[str] = set()
            for posizione, (nome, parte) in enumerate(fogli):
                if parte in viste:
                    continue  # più fogli sulla stessa parte: una scansione basta
                viste.add(parte)
                con_formule = _scansiona_foglio(
                    archivio,
                    parte,
                    nome,
                    max_righe=max_righe,
                    max_colonne=max_colonne,
                    max_celle=massimi["celle"],
                )
                if posizione == 0 and con_formule:
                    formule = _formule_senza_valore(archivio, parte)
    except ErroreImport:
        raise
    except Exception as exc:
        raise ErroreImport(_("Il file .xlsx è danneggiato.")) from exc
    righe = righe_isolate(
        percorso,
        max_righe=max_righe,
        max_colonne=max_colonne,
        max_celle=massimi["celle"],
        memoria=massimi["memoria"],
        secondi=massimi["secondi"],
    )
    return righe, formule


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


# --- dimensioni dei fogli -----------------------------------------------------------

# Nel testo «tradotto» ogni maiuscola è A e ogni cifra è 0 (stessa lunghezza, stesse
# posizioni): i riferimenti lontani diventano stringhe fisse che bytes.find trova
# senza espressioni regolari, a una frazione del costo di calamine.
_TRADUCI = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", b"A" * 26 + b"0" * 10
)
_COLONNA_TRE_LETTERE = b'r="AAA'  # colonna oltre ZZ (702)
_COLONNA_DUE_LETTERE = b'r="AA0'  # colonne da AA a ZZ
_RIGA_SETTE_CIFRE = b'0000000"'  # riga oltre 999.999
_RIFERIMENTO = re.compile(rb'r="([A-Z]{0,3})([0-9]{1,10})"')
_DUE_LETTERE = re.compile(rb'r="([A-Z]{2})[0-9]')
_DIMENSIONE = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3}[0-9]{1,7})(?::([A-Z]{1,3}[0-9]{1,7}))?"'
)
_RADICE_FOGLIO = re.compile(rb"<(\w+:)?worksheet\b")
BLOCCO_SCANSIONE = 2**20


def _scansiona_foglio(
    archivio: zipfile.ZipFile,
    parte: str,
    nome: str,
    *,
    max_righe: int,
    max_colonne: int,
    max_celle: int,
) -> bool:
    """Controlla l'area dichiarata (``<dimension>``) e le celle reali più lontane di
    un foglio prima che calamine lo costruisca; dice se il foglio ha formule.

    Una passata sull'XML decompresso a blocchi: righe oltre 999.999 e colonne oltre
    ZZ si trovano con ``bytes.find``; le colonne da AA in su solo nei blocchi che
    ne hanno. Le righe fra il massimo e 999.999 le controlla il figlio, che conosce
    l'area reale prima di convertire le celle.
    """

    def fuori(cella: bytes, righe: int, colonne: int, dichiarata: bool) -> None:
        if righe <= max_righe and colonne <= max_colonne:
            if not dichiarata or righe * colonne <= max_celle:
                return
        valori = {
            "foglio": nome,
            "cella": cella.decode("ascii"),
            "righe": _migliaia(righe),
            "colonne": _migliaia(colonne),
            "max_righe": _migliaia(max_righe),
            "max_colonne": _migliaia(max_colonne),
            "max_celle": _migliaia(max_celle),
        }
        if dichiarata:
            messaggio = _(
                "Il foglio «%(foglio)s» dichiara un'area fino alla cella %(cella)s "
                "(%(righe)s righe × %(colonne)s colonne): il massimo è "
                "%(max_righe)s righe, %(max_colonne)s colonne e %(max_celle)s celle. "
                "Rifiutato per sicurezza."
            )
        elif cella.isdigit():  # <row r="…">: una riga senza riferimenti di cella
            messaggio = _(
                "Il foglio «%(foglio)s» ha la riga %(cella)s, oltre il limite di "
                "%(max_righe)s righe: rifiutato per sicurezza."
            )
        else:
            messaggio = _(
                "Il foglio «%(foglio)s» ha una cella in %(cella)s, oltre il limite "
                "di %(max_righe)s righe e %(max_colonne)s colonne: rifiutato per "
                "sicurezza."
            )
        raise ErroreImport(messaggio % valori)

    try:
        flusso = archivio.open(parte)
    except KeyError:
        return False  # un foglio mancante lo segnala calamine («danneggiato»)
    formula = None
    trovata = False
    coda = b""
    with flusso:
        while blocco := flusso.read(BLOCCO_SCANSIONE):
            testo = coda + blocco
            if formula is None:
                # '<f' o '<x:f' secondo il prefisso dello spazio dei nomi.
                radice = _RADICE_FOGLIO.search(testo)
                formula = b"<" + ((radice and radice.group(1)) or b"") + b"f"
                dimensione = _DIMENSIONE.search(testo, 0, 65_536)
                if dimensione:
                    cella = dimensione.group(2) or dimensione.group(1)
                    riga, colonna = _coordinate(cella.decode("ascii"))
                    fuori(cella, riga, colonna + 1, dichiarata=True)
            tradotto = testo.translate(_TRADUCI)
            for cercato in (_COLONNA_TRE_LETTERE, _RIGA_SETTE_CIFRE):
                posizione = tradotto.find(cercato)
                while posizione != -1:
                    inizio = tradotto.rfind(
                        b'r="', max(0, posizione - 16), posizione + 3
                    )
                    trovato = _RIFERIMENTO.match(testo, inizio) if inizio >= 0 else None
                    if trovato and not _riga_vuota(testo, trovato):
                        lettere, cifre = trovato.groups()
                        fuori(
                            lettere + cifre,
                            int(cifre),
                            _numero_colonna(lettere),
                            dichiarata=False,
                        )
                    posizione = tradotto.find(cercato, posizione + 1)
            if max_colonne < 702 and tradotto.find(_COLONNA_DUE_LETTERE) != -1:
                for lettere in set(_DUE_LETTERE.findall(testo)):
                    if _numero_colonna(lettere) > max_colonne:
                        # Il primo riferimento con quella colonna, per il messaggio.
                        trovato = re.search(
                            rb'r="(' + lettere + rb')([0-9]{1,10})"', testo
                        )
                        cifre = trovato.group(2) if trovato else b"1"
                        fuori(
                            lettere + cifre,
                            int(cifre),
                            _numero_colonna(lettere),
                            dichiarata=False,
                        )
            if not trovata:
                posizione = testo.find(formula)
                while posizione != -1:
                    dopo = testo[
                        posizione + len(formula) : posizione + len(formula) + 1
                    ]
                    if dopo in (b">", b" ", b"/", b"\t", b"\n", b"\r"):
                        trovata = True
                        break
                    posizione = testo.find(formula, posizione + 1)
            coda = blocco[-24:]
    return trovata


def _riga_vuota(testo: bytes, riferimento: re.Match) -> bool:
    """Vero per un ``<row r="…">`` senza celle (``<row …/>`` o ``<row …></row>``):
    LibreOffice ne scrive fino alla riga 1.048.576 per la sola formattazione, e
    calamine non alloca nulla per loro."""
    if riferimento.group(1):
        return False  # è una cella
    chiusura = testo.find(b">", riferimento.end())
    if chiusura == -1:
        return False
    return testo[chiusura - 1 : chiusura] == b"/" or testo.startswith(
        b"</", chiusura + 1
    )


def _numero_colonna(lettere: bytes) -> int:
    """b'A' → 1, b'XFD' → 16384 (da 1, come le righe)."""
    numero = 0
    for lettera in lettere:
        numero = numero * 26 + lettera - 64
    return numero


def _formule_senza_valore(
    archivio: zipfile.ZipFile, foglio: str
) -> list[tuple[int, int]]:
    """Celle con formula ma senza valore calcolato (calamine le darebbe vuote).

    Si chiama solo se la scansione del foglio ha visto una formula: quasi tutti gli
    export non ne hanno e non pagano l'analisi con defusedxml.
    """
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


# --- lettura nel processo figlio ------------------------------------------------------


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
) -> list[list]:
    """Le righe del primo foglio lette da calamine in un processo figlio con al più
    ``memoria`` byte di spazio di indirizzamento e ``secondi`` di tempo; arrivano a
    blocchi di 5.000 righe. Un figlio ucciso o scaduto è un ``ErroreImport``."""
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
    scaduto = threading.Event()
    righe: list[list] = []
    esito: tuple | None = None
    with tempfile.TemporaryFile() as diagnostica:
        try:
            processo = subprocess.Popen(
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
        if esito is None:
            diagnostica.seek(0)
            logger.warning(
                "Lettore di %s terminato (codice %s): %s",
                percorso,
                codice,
                diagnostica.read(2000).decode("utf-8", "replace"),
            )
    if scaduto.is_set() or codice == -24:  # SIGXCPU: RLIMIT_CPU superato
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
    tipo = esito[0]
    if tipo == "fine":
        return righe
    if tipo == "guasto":
        raise ErroreImport(
            _("Il file .xlsx è danneggiato e non si può leggere (%s).") % esito[1]
        )
    _codice, motivo, n_righe, n_colonne = esito
    if motivo == "senza_fogli":
        raise ErroreImport(_("La cartella di lavoro non contiene fogli."))
    if motivo == "righe":
        raise ErroreImport(
            _("Il foglio ha troppe righe (%(n)s): il massimo è %(max)s.")
            % {"n": _migliaia(n_righe), "max": _migliaia(max_righe)}
        )
    if motivo == "colonne":
        raise ErroreImport(
            _("Il foglio ha troppe colonne (%(n)s): il massimo è %(max)s.")
            % {"n": n_colonne, "max": max_colonne}
        )
    raise ErroreImport(
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
