"""Italian tax code (codice fiscale, D.M. 23/12/1976): building and checking the
control character. Used to validate applications and to generate demo data."""

from datetime import date

_DISPARI = dict(
    zip(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [1, 0, 5, 7, 9, 13, 15, 17, 19, 21]
        + [1, 0, 5, 7, 9, 13, 15, 17, 19, 21]
        + [2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23],
        strict=True,
    )
)
_PARI = {c: (int(c) if c.isdigit() else ord(c) - ord("A")) for c in _DISPARI}
_MESI = "ABCDEHLMPRST"
_VOCALI = set("AEIOU")


def carattere_controllo(primi15: str) -> str:
    somma = sum(
        (_DISPARI if i % 2 == 0 else _PARI)[c] for i, c in enumerate(primi15.upper())
    )
    return chr(ord("A") + somma % 26)


def controllo_valido(codice: str) -> bool:
    codice = codice.upper()
    if len(codice) != 16 or not codice.isalnum():
        return False
    return carattere_controllo(codice[:15]) == codice[15]


def _lettere(testo: str) -> tuple[list[str], list[str]]:
    testo = "".join(c for c in testo.upper() if "A" <= c <= "Z")
    consonanti = [c for c in testo if c not in _VOCALI]
    vocali = [c for c in testo if c in _VOCALI]
    return consonanti, vocali


def _tre(consonanti: list[str], vocali: list[str]) -> str:
    return "".join(consonanti + vocali + ["X", "X", "X"])[:3]


def codice_fiscale_calcola(
    *, cognome: str, nome: str, nascita: date, femmina: bool, belfiore: str
) -> str:
    c_cons, c_voc = _lettere(cognome)
    n_cons, n_voc = _lettere(nome)
    if len(n_cons) >= 4:
        n_cons = [n_cons[0], n_cons[2], n_cons[3]]
    giorno = nascita.day + (40 if femmina else 0)
    primi = (
        _tre(c_cons, c_voc)
        + _tre(n_cons, n_voc)
        + f"{nascita.year % 100:02d}"
        + _MESI[nascita.month - 1]
        + f"{giorno:02d}"
        + belfiore.upper()
    )
    return primi + carattere_controllo(primi)
