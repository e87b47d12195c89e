"""Riconoscimento dei nomi di comuni ed enti scritti a mano (comunicazioni, file
importati, moduli, testi del piano).

I nomi arrivano in maiuscolo, con o senza «Comune di», con apostrofi tipografici,
trattini spaziati in modi diversi, abbreviazioni («S. Andrea») e refusi («Pario»,
«Lefte»). Il confronto avviene su una forma normalizzata (`normalizza`): se coincide
la corrispondenza è esatta; altrimenti si cerca il candidato più vicino per distanza
di Damerau-Levenshtein. Un refuso riconosciuto dà un avviso che cita il testo
originale; un nome senza candidato vicino dà un errore con i più simili.
Nulla viene mai creato a partire da un nome digitato.

Per confrontare molti nomi con lo stesso insieme di candidati (un'importazione di
166.000 righe contro 1.502 comuni) si usa un solo `Abbinatore`: normalizza i
candidati una volta e ricorda il risultato per ogni testo distinto.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from ambiti.forme import distanza, distanza_massima, normalizza

__all__ = [
    "Abbinatore",
    "Candidato",
    "Corrispondenza",
    "NomeNelTesto",
    "comune_trova",
    "distanza",
    "distanza_massima",
    "ente_trova",
    "normalizza",
    "nomi_sospetti_nel_testo",
]

_DA_CONFRONTARE = 60


def _coppie(forma: str) -> Counter[str]:
    return Counter(forma[i : i + 2] for i in range(len(forma) - 1))


@dataclass(frozen=True)
class Candidato:
    """Un possibile significato di un nome: l'oggetto, il nome con cui lo si
    mostra, la distanza dal testo normalizzato e un punteggio da 0 a 1."""

    oggetto: Any
    nome: str
    distanza: int
    punteggio: float
    forma: str = ""


@dataclass(frozen=True)
class Corrispondenza:
    """Esito del riconoscimento di un nome.

    `oggetto` è il comune o l'ente riconosciuto (None se nessuno o se ambiguo);
    `esatta` è vera quando il nome coincide dopo la normalizzazione; `messaggio`
    è l'avviso o l'errore in italiano da mostrare (vuoto se esatta)."""

    testo: str
    oggetto: Any = None
    esatta: bool = False
    candidati: list[Candidato] = field(default_factory=list)
    messaggio: str = ""

    @property
    def trovata(self) -> bool:
        return self.oggetto is not None

    @property
    def avviso(self) -> bool:
        """Riconosciuta, ma con un refuso da segnalare."""
        return self.oggetto is not None and not self.esatta

    @property
    def errore(self) -> bool:
        return self.oggetto is None

    @property
    def suggerimento(self) -> str:
        return self.candidati[0].nome if self.candidati else ""


def _elenco(nomi: Sequence[str]) -> str:
    virgolettati = [f"«{n}»" for n in nomi]
    if len(virgolettati) <= 1:
        return "".join(virgolettati)
    return ", ".join(virgolettati[:-1]) + " o " + virgolettati[-1]


class Abbinatore:
    """Confronta nomi con un insieme fisso di candidati.

    `chiavi(oggetto)` restituisce i nomi con cui un candidato può essere scritto
    (per un ente: denominazione, denominazione breve, nome del comune); il primo è
    quello mostrato nei messaggi. `genere` compare nei messaggi («comune», «ente»).
    I risultati sono memorizzati per testo: chiamare `trova` su righe ripetute
    costa una ricerca in un dizionario.
    """

    def __init__(
        self,
        candidati: Iterable[Any],
        *,
        chiavi: Callable[[Any], Iterable[str]],
        genere: str = "nome",
        codice: Callable[[Any], str | None] | None = None,
        massimo_candidati: int = 3,
    ) -> None:
        self.genere = genere
        self.massimo_candidati = massimo_candidati
        self._nome: dict[int, str] = {}
        self._esatte: dict[str, list[Any]] = {}
        self._per_codice: dict[str, Any] = {}
        self._forme: list[tuple[str, int, Any]] = []
        for oggetto in candidati:
            nomi = [n for n in chiavi(oggetto) if n]
            if not nomi:
                continue
            self._nome[id(oggetto)] = nomi[0]
            for forma in dict.fromkeys(normalizza(n) for n in nomi):
                if not forma:
                    continue
                self._esatte.setdefault(forma, []).append(oggetto)
                self._forme.append((forma, len(forma), oggetto))
            if codice is not None and (valore := codice(oggetto)):
                self._per_codice[valore] = oggetto
        # Indice delle coppie di lettere: restringe la ricerca dei vicini a chi
        # ne condivide abbastanza, invece di misurare la distanza da tutti.
        self._indice: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, (forma, _lunghezza, _oggetto) in enumerate(self._forme):
            for coppia, quante in _coppie(forma).items():
                self._indice[coppia].append((i, quante))
        self._cache: dict[str, Corrispondenza] = {}

    @classmethod
    def per_comuni(cls, candidati: Iterable[Any]) -> Abbinatore:
        return cls(
            candidati,
            chiavi=lambda c: (c.nome,),
            genere=str(_("comune")),
            codice=lambda c: c.codice_istat,
        )

    @classmethod
    def per_enti(cls, candidati: Iterable[Any]) -> Abbinatore:
        return cls(candidati, chiavi=_chiavi_ente, genere=str(_("ente proprietario")))

    def nome(self, oggetto: Any) -> str:
        return self._nome.get(id(oggetto), str(oggetto))

    def trova(self, testo: str) -> Corrispondenza:
        chiave = "" if testo is None else str(testo)
        risultato = self._cache.get(chiave)
        if risultato is None:
            risultato = self._trova(chiave)
            self._cache[chiave] = risultato
        return risultato

    def esatti(self, forma: str) -> list[Any]:
        """I candidati il cui nome normalizzato è esattamente `forma`."""
        return self._esatte.get(forma, [])

    def _condivise(self, forma: str) -> dict[int, int]:
        """Per ogni forma candidata, quante coppie di lettere ha in comune."""
        conteggi: dict[int, int] = defaultdict(int)
        for coppia, quante in _coppie(forma).items():
            for i, altre in self._indice.get(coppia, ()):
                conteggi[i] += min(quante, altre)
        return conteggi

    def vicini(self, forma: str, limite: int) -> list[Candidato]:
        """I candidati entro `limite` errori da `forma`, dal più vicino."""
        migliori: dict[int, Candidato] = {}
        lunghezza = len(forma)
        # Ogni errore (anche lo scambio di due lettere) distrugge al più 3 coppie:
        # chi ne condivide meno di len - 1 - 3 * limite è certamente più lontano.
        soglia = lunghezza - 1 - 3 * limite
        if soglia > 0:
            indici: Iterable[int] = sorted(
                i for i, n in self._condivise(forma).items() if n >= soglia
            )
        else:
            indici = range(len(self._forme))
        for i in indici:
            altra, lunghezza_altra, oggetto = self._forme[i]
            if abs(lunghezza - lunghezza_altra) > limite:
                continue
            d = distanza(forma, altra, limite)
            if d > limite:
                continue
            precedente = migliori.get(id(oggetto))
            if precedente is None or d < precedente.distanza:
                punteggio = difflib.SequenceMatcher(None, forma, altra).ratio()
                migliori[id(oggetto)] = Candidato(
                    oggetto, self.nome(oggetto), d, round(punteggio, 3), altra
                )
        return sorted(
            migliori.values(), key=lambda c: (c.distanza, -c.punteggio, c.nome)
        )

    def _simili(self, forma: str) -> list[Candidato]:
        # Per i nomi non riconosciuti: i più simili anche oltre la soglia, fra
        # le forme che condividono più coppie di lettere.
        condivise = self._condivise(forma)
        scelte = sorted(condivise, key=lambda i: (-condivise[i], i))[:_DA_CONFRONTARE]
        forme = list(dict.fromkeys(self._forme[i][0] for i in scelte))
        simili = difflib.get_close_matches(
            forma, forme, n=self.massimo_candidati * 2, cutoff=0.6
        )
        risultato: dict[int, Candidato] = {}
        for altra in simili:
            punteggio = round(difflib.SequenceMatcher(None, forma, altra).ratio(), 3)
            for oggetto in self._esatte[altra]:
                if id(oggetto) not in risultato:
                    risultato[id(oggetto)] = Candidato(
                        oggetto,
                        self.nome(oggetto),
                        distanza(forma, altra),
                        punteggio,
                        altra,
                    )
        ordinati = sorted(risultato.values(), key=lambda c: (-c.punteggio, c.nome))
        return ordinati[: self.massimo_candidati]

    def _trova(self, testo: str) -> Corrispondenza:
        pulito = testo.strip()
        # Un codice ISTAT (anche senza lo zero iniziale perso da un foglio di calcolo).
        if self._per_codice and pulito.isdigit() and len(pulito) in (5, 6):
            oggetto = self._per_codice.get(pulito.zfill(6))
            if oggetto is not None:
                return Corrispondenza(testo, oggetto, True, [])
        forma = normalizza(pulito)
        if not forma:
            return Corrispondenza(
                testo,
                messaggio=str(_("Nome mancante: indicare un %(genere)s."))
                % {"genere": self.genere},
            )
        esatti = self.esatti(forma)
        if len(esatti) == 1:
            return Corrispondenza(testo, esatti[0], True, [])
        if len(esatti) > 1:
            return self._ambigua(testo, pulito, esatti)
        vicini = self.vicini(forma, distanza_massima(forma))
        if vicini:
            return self._da_vicini(testo, pulito, forma, vicini)
        return self._senza_vicini(testo, pulito, forma)

    def _ambigua(self, testo: str, pulito: str, esatti: list[Any]) -> Corrispondenza:
        candidati = [Candidato(o, self.nome(o), 0, 1.0) for o in esatti]
        return Corrispondenza(
            testo,
            None,
            False,
            candidati,
            str(
                _("«%(testo)s» corrisponde a più di un %(genere)s: %(elenco)s.")
                % {
                    "testo": pulito,
                    "genere": self.genere,
                    "elenco": _elenco([c.nome for c in candidati]),
                }
            ),
        )

    def _da_vicini(
        self, testo: str, pulito: str, forma: str, vicini: list[Candidato]
    ) -> Corrispondenza:
        """A typo accepted with a warning, or the choice left to the user."""
        scelto = _scegli(forma, vicini)
        if scelto is not None:
            messaggio = _(
                "«%(testo)s» non corrisponde esattamente a nessun %(genere)s: "
                "forse %(elenco)s?"
            )
            valori = {
                "testo": pulito,
                "genere": self.genere,
                "elenco": _elenco([scelto.nome]),
            }
            return Corrispondenza(
                testo,
                scelto.oggetto,
                False,
                vicini[: self.massimo_candidati],
                str(messaggio % valori),
            )
        # Scelta incerta: i vicini, completati dai più simili.
        proposti = {id(c.oggetto): c for c in vicini}
        for c in self._simili(forma):
            proposti.setdefault(id(c.oggetto), c)
        candidati = list(proposti.values())[: self.massimo_candidati]
        messaggio = _(
            "«%(testo)s» non corrisponde esattamente a nessun %(genere)s: "
            "forse %(elenco)s? Indicare quale."
        )
        valori = {
            "testo": pulito,
            "genere": self.genere,
            "elenco": _elenco([c.nome for c in candidati]),
        }
        return Corrispondenza(testo, None, False, candidati, str(messaggio % valori))

    def _senza_vicini(self, testo: str, pulito: str, forma: str) -> Corrispondenza:
        simili = self._simili(forma)
        if simili:
            messaggio = _(
                "«%(testo)s» non corrisponde a nessun %(genere)s. I più simili: "
                "%(elenco)s."
            )
            valori = {
                "testo": pulito,
                "genere": self.genere,
                "elenco": _elenco([c.nome for c in simili]),
            }
        else:
            messaggio = _("«%(testo)s» non corrisponde a nessun %(genere)s.")
            valori = {"testo": pulito, "genere": self.genere}
        return Corrispondenza(testo, None, False, simili, str(messaggio % valori))


# Margine di somiglianza con cui il primo di due candidati alla stessa distanza
# vince comunque («Piaro»: Piario 0,91 contro Piuro 0,80).
_MARGINE = 0.05


def _scegli(forma: str, vicini: list[Candidato]) -> Candidato | None:
    """Il candidato da accettare con un avviso, o None se la scelta non è sicura:
    un refuso raramente tocca la prima lettera, e fra due candidati ugualmente
    vicini si sceglie solo se uno è chiaramente più simile."""
    primo = vicini[0]
    if not primo.forma or primo.forma[0] != forma[0]:
        return None
    pari = [c for c in vicini[1:] if c.distanza == primo.distanza]
    if pari and primo.punteggio - pari[0].punteggio < _MARGINE:
        return None
    return primo


def _chiavi_ente(ente: Any) -> list[str]:
    chiavi = [ente.denominazione, getattr(ente, "denominazione_breve", "")]
    if getattr(ente, "comune_id", None):
        chiavi.append(ente.comune.nome)
    return chiavi


def comune_trova(testo: str, candidati: Iterable[Any] | None = None) -> Corrispondenza:
    """Il comune scritto in `testo` (nome o codice ISTAT) fra `candidati`, per
    difetto tutti i comuni caricati. Per molti testi usare `Abbinatore.per_comuni`."""
    if candidati is None:
        from ambiti.models import Comune

        candidati = Comune.objects.only("codice_istat", "nome")
    return Abbinatore.per_comuni(candidati).trova(testo)


def ente_trova(testo: str, candidati: Iterable[Any] | None = None) -> Corrispondenza:
    """L'ente proprietario scritto in `testo` fra `candidati`, per difetto tutti
    gli enti. Un ente di tipo comune si riconosce anche dal solo nome del comune."""
    if candidati is None:
        candidati = _enti_predefiniti()
    return Abbinatore.per_enti(candidati).trova(testo)


def _enti_predefiniti() -> Iterable[Any]:
    return []


def enti_predefiniti_imposta(funzione: Callable[[], Iterable[Any]]) -> None:
    """The app that owns the enti (patrimonio) says which are the candidates of
    ``ente_trova`` when the caller gives none: ambiti does not import it."""
    global _enti_predefiniti
    _enti_predefiniti = funzione


# Re-exported: the matching's callers import everything from here.
from ambiti.nomi_nel_testo import NomeNelTesto, nomi_sospetti_nel_testo  # noqa: E402
