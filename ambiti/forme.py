"""La forma di confronto dei nomi di comuni ed enti e la distanza fra due forme
(Damerau-Levenshtein): le regole dei nomi, sopra la forma semplice comune di
``pianocasa.testo``."""

from __future__ import annotations

from pianocasa.testo import semplifica

# «S.», «San», «Sant'», «Santa», «Santo» si scrivono in tutti i modi: una sola forma.
_SANTI = {"s", "san", "sant", "santa", "santo"}
_PREFISSI = (
    ("comune", "di"),
    ("comune", "d"),
    ("comuni", "di"),
    ("citta", "di"),
    ("comune",),
)


def normalizza(testo: str) -> str:
    """Forma di confronto di un nome: minuscolo, senza accenti né punteggiatura,
    apostrofi e trattini come spazi, «S.»/«Sant'»/«San» unificati, senza il
    «Comune di» iniziale."""
    if not testo:
        return ""
    # La forma semplice comune (pianocasa.testo); qui le regole dei nomi.
    parole = semplifica(testo).split()
    parole = _unisci_sigle(parole)
    for prefisso in _PREFISSI:
        n = len(prefisso)
        if len(parole) > n and tuple(parole[:n]) == prefisso:
            parole = parole[n:]
            break
    return " ".join("s" if p in _SANTI else p for p in parole)


def _unisci_sigle(parole: list[str]) -> list[str]:
    # «A.L.E.R.» → «aler»; una lettera isolata («d'», «S.») resta com'è.
    risultato: list[str] = []
    sigla: list[str] = []
    for parola in [*parole, ""]:
        if len(parola) == 1 and parola.isalpha():
            sigla.append(parola)
            continue
        if len(sigla) >= 3:
            risultato.append("".join(sigla))
        else:
            risultato.extend(sigla)
        sigla = []
        if parola:
            risultato.append(parola)
    return risultato


def distanza(a: str, b: str, limite: int | None = None) -> int:
    """Distanza di Damerau-Levenshtein (variante «optimal string alignment»):
    inserimenti, cancellazioni, sostituzioni e scambi di lettere adiacenti.
    Con `limite` si ferma appena lo supera e restituisce limite + 1."""
    if a == b:
        return 0
    if limite is not None and abs(len(a) - len(b)) > limite:
        return limite + 1
    precedente: list[int] | None = None
    riga = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        nuova = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            costo = 0 if a[i - 1] == b[j - 1] else 1
            valore = min(riga[j] + 1, nuova[j - 1] + 1, riga[j - 1] + costo)
            if (
                precedente is not None
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
            ):
                valore = min(valore, precedente[j - 2] + 1)
            nuova[j] = valore
        if limite is not None and min(nuova) > limite:
            return limite + 1
        precedente, riga = riga, nuova
    return riga[-1]


def distanza_massima(forma: str) -> int:
    """Quanti errori di battitura si tollerano in un nome normalizzato: nessuno
    sotto le 4 lettere (troppe coincidenze), poi uno ogni 7 circa."""
    lettere = len(forma.replace(" ", ""))
    if lettere < 4:
        return 0
    if lettere <= 7:
        return 1
    if lettere <= 14:
        return 2
    return 3
