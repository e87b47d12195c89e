"""Fuzz del lettore: qualunque sequenza di byte, o un .xlsx valido con byte
alterati, dà una tabella oppure ErroreImport, mai un'altra eccezione."""

import io
import logging
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from patrimonio import lettori
from patrimonio.lettori import ErroreImport


def _xlsx_valido() -> bytes:
    libro = Workbook()
    foglio = libro.active
    foglio.append(["Codice alloggio", "Stato", "Vani"])
    for i in range(30):
        foglio.append([f"A{i}", "libero", i])
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()


VALIDO = _xlsx_valido()
LIMITE = settings(
    max_examples=200,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


class _Registro(logging.Handler):
    """Raccoglie i log della rete di sicurezza di tabella_leggi."""

    def __init__(self):
        super().__init__()
        self.voci: list[logging.LogRecord] = []

    def emit(self, record):
        self.voci.append(record)


def _leggi(contenuto: bytes, estensione: str) -> None:
    registro = _Registro()
    lettori.logger.addHandler(registro)
    try:
        _leggi_file(contenuto, estensione)
    finally:
        lettori.logger.removeHandler(registro)
    # Ogni errore deve avere il suo messaggio, non passare dalla rete di
    # sicurezza generica («danneggiato») che registra l'eccezione imprevista.
    assert registro.voci == [], registro.voci[0].exc_info


def _leggi_file(contenuto: bytes, estensione: str) -> None:
    with tempfile.TemporaryDirectory() as cartella:
        percorso = Path(cartella) / f"file{estensione}"
        percorso.write_bytes(contenuto)
        try:
            tabella = lettori.tabella_leggi(percorso, max_byte=10 * 2**20)
        except ErroreImport as exc:
            assert exc.messaggi and all(isinstance(m, str) and m for m in exc.messaggi)
        else:
            assert isinstance(tabella.intestazioni, list)


@LIMITE
@given(st.binary(max_size=4096), st.sampled_from([".xlsx", ".csv", ".xlsm", ".txt"]))
def test_random_bytes_raise_only_the_import_error(contenuto, estensione):
    _leggi(contenuto, estensione)


@LIMITE
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALIDO) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=20,
    )
)
def test_corrupted_xlsx_raises_only_the_import_error(modifiche):
    dati = bytearray(VALIDO)
    for posizione, valore in modifiche:
        dati[posizione] = valore
    _leggi(bytes(dati), ".xlsx")


@LIMITE
@given(st.integers(100, len(VALIDO)))
def test_truncated_xlsx_raises_only_the_import_error(lunghezza):
    _leggi(VALIDO[:lunghezza], ".xlsx")


@LIMITE
@given(
    st.lists(
        st.lists(st.text(max_size=12), max_size=8),
        max_size=15,
    ),
    st.sampled_from([";", ",", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_random_csv_raises_only_the_import_error(righe, separatore, codifica):
    testo = "\r\n".join(separatore.join(r) for r in righe)
    contenuto = testo.encode(codifica, errors="replace")
    _leggi(contenuto, ".csv")


@LIMITE
@given(
    st.one_of(
        st.none(), st.text(max_size=20), st.floats(), st.integers(), st.booleans()
    )
)
def test_converters_raise_only_value_errors(valore):
    for converti in (
        lettori.converti_intero,
        lettori.converti_decimale,
        lettori.converti_data,
        lambda v: lettori.converti_testo(v, massimo=10),
    ):
        try:
            converti(valore)
        except lettori.ValoreNonValido:
            pass
