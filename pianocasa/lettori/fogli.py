"""XLSX: the sheets' declared area and farthest real cells, checked on the
decompressed XML before calamine builds the sheet (a cell at XFD1048576 makes it
ask for hundreds of GB), and the formulas without a computed value."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

from pianocasa.lettori.valori import ErroreImport, _migliaia

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


@dataclass(frozen=True)
class _Confini:
    """The sheet being scanned and the limits it must keep within."""

    nome: str
    max_righe: int
    max_colonne: int
    max_celle: int

    def verifica(
        self, cella: bytes, righe: int, colonne: int, *, dichiarata: bool
    ) -> None:
        """Raises the Italian refusal when the cell (or declared area) is out."""
        if righe <= self.max_righe and colonne <= self.max_colonne:
            if not dichiarata or righe * colonne <= self.max_celle:
                return
        valori = {
            "foglio": self.nome,
            "cella": cella.decode("ascii"),
            "righe": _migliaia(righe),
            "colonne": _migliaia(colonne),
            "max_righe": _migliaia(self.max_righe),
            "max_colonne": _migliaia(self.max_colonne),
            "max_celle": _migliaia(self.max_celle),
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
    confini = _Confini(nome, max_righe, max_colonne, max_celle)
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
                formula = _tag_formula(testo)
                _area_dichiarata(testo, confini)
            tradotto = testo.translate(_TRADUCI)
            _celle_lontane(testo, tradotto, confini)
            _colonne_oltre(testo, tradotto, confini)
            trovata = trovata or _ha_formula(testo, formula)
            coda = blocco[-24:]
    return trovata


def _tag_formula(testo: bytes) -> bytes:
    """'<f' o '<x:f' secondo il prefisso dello spazio dei nomi."""
    radice = _RADICE_FOGLIO.search(testo)
    return b"<" + ((radice and radice.group(1)) or b"") + b"f"


def _area_dichiarata(testo: bytes, confini: _Confini) -> None:
    dimensione = _DIMENSIONE.search(testo, 0, 65_536)
    if dimensione:
        cella = dimensione.group(2) or dimensione.group(1)
        riga, colonna = _coordinate(cella.decode("ascii"))
        confini.verifica(cella, riga, colonna + 1, dichiarata=True)


def _celle_lontane(testo: bytes, tradotto: bytes, confini: _Confini) -> None:
    """Rows past 999.999 and columns past ZZ, found with bytes.find."""
    for cercato in (_COLONNA_TRE_LETTERE, _RIGA_SETTE_CIFRE):
        posizione = tradotto.find(cercato)
        while posizione != -1:
            inizio = tradotto.rfind(b'r="', max(0, posizione - 16), posizione + 3)
            trovato = _RIFERIMENTO.match(testo, inizio) if inizio >= 0 else None
            if trovato and not _riga_vuota(testo, trovato):
                lettere, cifre = trovato.groups()
                confini.verifica(
                    lettere + cifre,
                    int(cifre),
                    _numero_colonna(lettere),
                    dichiarata=False,
                )
            posizione = tradotto.find(cercato, posizione + 1)


def _colonne_oltre(testo: bytes, tradotto: bytes, confini: _Confini) -> None:
    """Two-letter columns past the limit, only in blocks that have any."""
    if confini.max_colonne >= 702 or tradotto.find(_COLONNA_DUE_LETTERE) == -1:
        return
    for lettere in set(_DUE_LETTERE.findall(testo)):
        if _numero_colonna(lettere) > confini.max_colonne:
            # Il primo riferimento con quella colonna, per il messaggio.
            trovato = re.search(rb'r="(' + lettere + rb')([0-9]{1,10})"', testo)
            cifre = trovato.group(2) if trovato else b"1"
            confini.verifica(
                lettere + cifre,
                int(cifre),
                _numero_colonna(lettere),
                dichiarata=False,
            )


def _ha_formula(testo: bytes, formula: bytes) -> bool:
    posizione = testo.find(formula)
    while posizione != -1:
        dopo = testo[posizione + len(formula) : posizione + len(formula) + 1]
        if dopo in (b">", b" ", b"/", b"\t", b"\n", b"\r"):
            return True
        posizione = testo.find(formula, posizione + 1)
    return False


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
