"""Valori delle celle: le eccezioni del lettore, la tabella letta, i convertitori
dei valori italiani e di Excel (numeri, date, testi)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from pianocasa.numeri import numero_italiano
from pianocasa.testo import semplifica


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


def normalizza_intestazione(testo: object) -> str:
    """'NUMERO U.I. CHE SI LIBERERANNO…' → 'numero u i che si libereranno'."""
    return semplifica(testo)


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
        if not valore.strip():
            return None
        # The web forms' parser (pianocasa.numeri): one rule for every number.
        try:
            numero = numero_italiano(valore, decimali=False)
        except ValueError as errore:
            raise ValoreNonValido(str(errore)) from errore
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
        if not valore.strip():
            return None
        # The web forms' parser (pianocasa.numeri): "1.000" is a thousand, "65.50"
        # is refused, never read as a different number.
        try:
            numero = numero_italiano(valore, decimali=True)
        except ValueError as errore:
            raise ValoreNonValido(str(errore)) from errore
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


def _mb(byte: int) -> str:
    return f"{byte / 2**20:.1f}".replace(".", ",")


def _migliaia(numero: int) -> str:
    return f"{numero:,}".replace(",", ".")
