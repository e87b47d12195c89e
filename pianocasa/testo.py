"""Il normalizzatore di testo comune a tutta l'applicazione.

Intestazioni di colonna, nomi di comuni ed enti, valori scelti da un elenco: si
confrontano tutti sulla stessa forma semplificata, così un «Mesi nell’alloggio»
scritto a mano e il «Mesi nell'alloggio» del modello coincidono. Le regole in più
per i nomi (prefissi «Comune di», santi, sigle) stanno in
``ambiti.corrispondenze.normalizza``, che parte da qui.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["semplifica"]

_NON_ALFANUMERICO = re.compile(r"[^a-z0-9]+")


def semplifica(testo: object) -> str:
    """Minuscolo, senza accenti, ogni segno non alfanumerico (apostrofi tipografici,
    trattini, punti, barre) come un solo spazio: 'NUMERO U.I. CHE SI LIBERERANNO'
    → 'numero u i che si libereranno'. ``None`` → ''."""
    if testo is None:
        return ""
    testo = unicodedata.normalize("NFKD", str(testo))
    testo = "".join(c for c in testo if not unicodedata.combining(c)).casefold()
    return _NON_ALFANUMERICO.sub(" ", testo).strip()
