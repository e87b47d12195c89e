"""Nomi di comuni scritti male dentro un testo libero (le sezioni narrative del
piano): solo i nomi propri che il contesto indica come comuni."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ambiti.forme import normalizza

if TYPE_CHECKING:
    from ambiti.corrispondenze import Abbinatore, Corrispondenza

# Separatori di un elenco di nomi: virgole, punti e virgola, parentesi, «e», fine
# frase (non dopo un'iniziale come «S.»).
_SEPARATORI = re.compile(
    r"\s*(?:[,;:()\[\]\t]|\s(?:e|ed)\s|(?<=\w\w)\.\s+(?=[A-ZÀ-Ý]))\s*"
)
_MARCATURA = re.compile(r"<[^>]*>|[*_#>`]|\\")
_INTRODUZIONE = re.compile(r"^comun[ei]\s+(?:di\s+|d['’]\s*)", re.IGNORECASE)
_INTRODUZIONE_OVUNQUE = re.compile(r"\bcomun[ei]\s+(?:di\s+|d['’]\s*)", re.IGNORECASE)
# Parole minuscole ammesse dentro un nome di comune («Villa di Serio», «Cassano
# d'Adda», «Trezzo sull'Adda»).
_CONNETTIVI = {
    "di", "del", "della", "dei", "delle", "degli", "dell", "d", "de", "al", "alla",
    "all", "sul", "sulla", "sull", "in", "da", "dal", "dalla", "con", "sopra", "sotto",
}  # fmt: skip


@dataclass(frozen=True)
class NomeNelTesto:
    """Un nome del testo che somiglia a un comune senza esserlo."""

    testo: str
    corrispondenza: Corrispondenza


def _parola_del_nome(parola: str) -> bool:
    if parola[:1].isupper():
        return True
    if parola.lower() in _CONNETTIVI:
        return True
    base, apostrofo, resto = parola.replace("’", "'").partition("'")
    return bool(apostrofo) and base.lower() in _CONNETTIVI and resto[:1].isupper()


def _nome_in_testa(testo: str) -> str:
    """Le parole di un nome proprio all'inizio di `testo` («Villa d'Ogna) e…» →
    «Villa d'Ogna»); «Comune di residenza» non contiene un nome."""
    nome: list[str] = []
    for parola in testo.split():
        parola = parola.strip('"«»')
        if not parola or not _parola_del_nome(parola):
            break
        if not nome and not parola[:1].isupper():
            break
        nome.append(parola)
    while nome and nome[-1].lower() in _CONNETTIVI:
        nome.pop()
    return " ".join(nome).rstrip(".").strip()


def _nome_iniziale(voce: str) -> tuple[str, bool]:
    """Il nome proprio con cui comincia una voce d'elenco e se era introdotto da
    «Comune di»: «che comprende i Comuni di Ardesio» → («Ardesio», True)."""
    parole = voce.strip(' -–•✓"«»').split()
    # Salta le parole minuscole iniziali («che comprende i …»).
    while parole and not parole[0][:1].isupper():
        parole.pop(0)
    voce = " ".join(parole)
    if m := _INTRODUZIONE.match(voce):
        return _nome_in_testa(voce[m.end() :]), True
    return _nome_in_testa(voce), False


def nomi_sospetti_nel_testo(testo: str, abbinatore: Abbinatore) -> list[NomeNelTesto]:
    """I nomi di un testo narrativo che sembrano comuni di `abbinatore` scritti
    male («Piaro» per Piario), nell'ordine in cui compaiono, senza ripetizioni.

    Per non scambiare parole qualsiasi per refusi si guardano solo i nomi propri
    che il contesto indica come comuni: quelli introdotti da «Comune di» e quelli
    in un elenco accanto a un comune scritto correttamente. Un refuso isolato in
    una frase («a Pario si trova…») non viene segnalato."""
    trovati: dict[str, NomeNelTesto] = {}

    def valuta(nome: str) -> None:
        if not nome or nome in trovati or abbinatore.esatti(normalizza(nome)):
            return
        corrispondenza = abbinatore.trova(nome)
        if corrispondenza.avviso:
            trovati[nome] = NomeNelTesto(nome, corrispondenza)

    for riga in _MARCATURA.sub(" ", testo or "").splitlines():
        voci_testo = _SEPARATORI.split(riga)
        voci = [_nome_iniziale(v) for v in voci_testo]
        riconosciute = [
            bool(nome) and bool(abbinatore.esatti(normalizza(nome)))
            for nome, _i in voci
        ]
        for i, (nome, introdotto) in enumerate(voci):
            in_elenco = (i > 0 and riconosciute[i - 1]) or (
                i + 1 < len(voci) and riconosciute[i + 1]
            )
            if introdotto or in_elenco:
                valuta(nome)
            # «… il Comune di Pario comunica …» dentro una frase.
            for m in _INTRODUZIONE_OVUNQUE.finditer(voci_testo[i]):
                valuta(_nome_in_testa(voci_testo[i][m.end() :]))
    return list(trovati.values())
