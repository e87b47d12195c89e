"""Importazione dell'anagrafe del patrimonio (fino a 166.000 righe): righe
controllate con funzioni semplici (non ``full_clean`` per riga), enti e comuni
riconosciuti una volta per testo distinto, confronto con l'anagrafe esistente; la
scrittura delle tuple sta in ``alloggi_scrittura``."""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ambiti.corrispondenze import Abbinatore, Corrispondenza
from ambiti.models import Comune
from patrimonio.models import Alloggio, EnteProprietario, Importazione

from .alloggi_scrittura import _CAMPO_COLONNA, COLONNE_ALLOGGIO, _alloggi_salva
from .esito import MAX_ESEMPI, Esito, Progresso, _messaggio_riga, _nulla, _numero_riga
from .lettura import _Colonne, _converti_colonne, _leggi
from .schemi import CAMPI_ALLOGGI


def alloggi_importa(
    *,
    percorso: str | Path,
    nome_file: str | None = None,
    scrivi: bool = False,
    mappatura: dict[str, str] | None = None,
    progresso: Progresso | None = None,
    utente=None,
) -> Esito:
    """Importa l'anagrafe del patrimonio: upsert per codice alloggio.

    Ogni alloggio modificato riceve un record di storia (con ``utente`` e il
    nome del file); i nuovi e gli invariati no.

    Con ``scrivi=False`` è l'anteprima: nuovi, modificati, invariati, mancanti
    (gli alloggi degli enti e dei comuni del file che il file non elenca: si
    segnalano, non si cancellano) e ogni riga errata. Con ``scrivi=True`` scrive
    in una transazione solo se non c'è nessun errore.
    """
    avanza = progresso or _nulla
    esito = Esito(tipo=Importazione.Tipo.ALLOGGI)
    avanza(5, _("Lettura del file"))
    esistenti: dict[str, tuple] = {}
    # The registry to compare with is read while the child process parses.
    lettura = _leggi(
        Path(percorso),
        nome_file,
        Importazione.Tipo.ALLOGGI,
        mappatura,
        esito,
        intanto=lambda: esistenti.update(_alloggi_esistenti()),
    )
    if lettura is None:
        return esito
    if "comune_istat" not in lettura.indici and "comune_nome" not in lettura.indici:
        esito.errori.append(
            _("Manca la colonna del comune: indicare il codice ISTAT o il nome.")
        )
        return esito
    avanza(35, _("Controllo delle righe"))
    colonne = _converti_colonne(lettura, CAMPI_ALLOGGI, esito)
    del lettura.tabella.righe[:]
    valide = _righe_valide(colonne, lettura.nomi_colonna, esito)
    del colonne  # 166.000 righe: i valori per colonna non servono più
    if valide is None:
        return esito

    avanza(60, _("Confronto con l'anagrafe"))
    presenti = [c for c in _CAMPO_COLONNA if c in esito.mappatura.values()]
    nuovi, cambiati = _anagrafe_confronta(valide, presenti, esito, esistenti)
    if not scrivi:
        avanza(100, _("Anteprima pronta"))
        return esito

    avanza(75, _("Scrittura nel database"))
    _alloggi_salva(
        nuovi,
        cambiati,
        presenti,
        utente_id=getattr(utente, "pk", None),
        motivo=_("Importazione %(file)s") % {"file": nome_file or Path(percorso).name},
    )
    esito.scritto = True
    avanza(100, _("Importazione completata"))
    return esito


@dataclass
class _Riconosciuti:
    """Ente e comune di ogni riga: si riconoscono una volta per testo distinto,
    non per riga."""

    testi_ente: list[str]
    testi_comune: list[str]
    per_ente: dict[str, Corrispondenza]
    per_comune: dict[str, Corrispondenza]

    @classmethod
    def da_valori(cls, valori: dict[str, list[Any]]) -> _Riconosciuti:
        comuni = Abbinatore.per_comuni(
            Comune.objects.only("id", "codice_istat", "nome")
        )
        enti = Abbinatore.per_enti(EnteProprietario.objects.select_related("comune"))
        testi_ente = valori["ente"]
        if "comune_istat" in valori and "comune_nome" in valori:
            testi_comune = [
                a or b
                for a, b in zip(
                    valori["comune_istat"], valori["comune_nome"], strict=True
                )
            ]
        else:
            testi_comune = valori.get("comune_istat") or valori["comune_nome"]
        return cls(
            testi_ente,
            testi_comune,
            {t: enti.trova(t) for t in set(testi_ente)},
            {t: comuni.trova(t or "") for t in set(testi_comune)},
        )

    def pk_enti(self) -> list[int]:
        return [self.per_ente[t].oggetto.pk for t in self.testi_ente]

    def pk_comuni(self) -> list[int]:
        return [self.per_comune[t].oggetto.pk for t in self.testi_comune]


def _righe_valide(
    colonne: _Colonne, nomi: dict[str, str], esito: Esito
) -> list[tuple] | None:
    """Le righe come tuple nell'ordine di COLONNE_ALLOGGIO, oppure None (con gli
    errori in ``esito``) se anche una sola riga è errata."""
    riconosciuti = _Riconosciuti.da_valori(colonne.valori)
    problemi = _enti_e_comuni_controlla(riconosciuti, colonne, nomi, esito)
    _codici_ripetuti(colonne.valori["codice"], colonne.numeri, nomi, problemi)
    for posizione in sorted(problemi):
        if posizione in colonne.errate:
            continue
        esito.errori.append(
            _messaggio_riga(colonne.numeri[posizione], problemi[posizione])
        )
        esito.righe_errate += 1
    if esito.errori:
        esito.errori.sort(key=_numero_riga)
        return None
    return _tuple_alloggio(colonne.valori, riconosciuti, len(colonne.numeri))


def _colonna_comune(
    valori: dict[str, list[Any]], nomi: dict[str, str], posizione: int
) -> str | None:
    """L'intestazione da citare per il comune di una riga: quella del codice
    ISTAT se la riga lo ha, altrimenti quella del nome."""
    if valori.get("comune_istat") and valori["comune_istat"][posizione]:
        return nomi.get("comune_istat")
    return nomi.get("comune_nome", nomi.get("comune_istat"))


def _enti_e_comuni_controlla(
    riconosciuti: _Riconosciuti, colonne: _Colonne, nomi: dict[str, str], esito: Esito
) -> dict[int, list[tuple[str, str]]]:
    """Enti e comuni non riconosciuti → problemi per posizione; riconosciuti
    solo per somiglianza → un avviso per testo distinto."""
    problemi: dict[int, list[tuple[str, str]]] = {}
    avvisati: set[str] = set()
    for posizione, (testo_ente, testo_comune) in enumerate(
        zip(riconosciuti.testi_ente, riconosciuti.testi_comune, strict=True)
    ):
        if posizione in colonne.errate:
            continue
        ente = riconosciuti.per_ente[testo_ente]
        comune = riconosciuti.per_comune[testo_comune]
        if ente.esatta and comune.esatta:
            continue
        for trovato, campo in ((ente, "ente"), (comune, "comune")):
            if trovato.esatta:
                continue
            if campo == "comune":
                colonna = _colonna_comune(colonne.valori, nomi, posizione)
            else:
                colonna = nomi["ente"]
            if trovato.oggetto is None:
                problemi.setdefault(posizione, []).append(
                    (colonna, trovato.messaggio or _("valore mancante"))
                )
            elif trovato.testo not in avvisati:
                avvisati.add(trovato.testo)
                esito.avvisi.append(
                    _("Riga %(r)s: %(m)s")
                    % {"r": colonne.numeri[posizione], "m": trovato.messaggio}
                )
    return problemi


def _codici_ripetuti(
    codici: list[str | None],
    numeri: list[int],
    nomi: dict[str, str],
    problemi: dict[int, list[tuple[str, str]]],
) -> None:
    """Un codice già visto in una riga precedente è il primo problema della riga."""
    if len(set(codici)) == len(codici):
        return
    visti: dict[str, int] = {}
    for posizione, codice in enumerate(codici):
        if codice is None:
            continue
        if codice in visti:
            problemi.setdefault(posizione, []).insert(
                0,
                (
                    nomi["codice"],
                    _("codice '%(c)s' ripetuto (già alla riga %(r)s)")
                    % {"c": codice, "r": visti[codice]},
                ),
            )
        else:
            visti[codice] = numeri[posizione]


def _tuple_alloggio(
    valori: dict[str, list[Any]], riconosciuti: _Riconosciuti, righe_n: int
) -> list[tuple]:
    # Le colonne assenti dal file valgono vuoto o nullo (e non si confrontano).
    vuoto: list[Any] = [""] * righe_n
    nullo: list[Any] = [None] * righe_n
    return list(
        zip(
            valori["codice"],
            riconosciuti.pk_enti(),
            riconosciuti.pk_comuni(),
            valori.get("indirizzo", vuoto),
            valori.get("civico", vuoto),
            valori.get("piano", vuoto),
            valori.get("superficie_mq", nullo),
            valori.get("vani", nullo),
            valori["servizio"],
            valori["stato"],
            valori.get("anno_costruzione", nullo),
            valori.get("aggiornato_il", nullo),
            strict=True,
        )
    )


def _alloggi_esistenti() -> dict[str, tuple]:
    # One client-side fetch: a server cursor in chunks costs more, and the
    # whole registry is held anyway.
    return {riga[0]: riga for riga in Alloggio.objects.values_list(*COLONNE_ALLOGGIO)}


def _anagrafe_confronta(
    valide: list[tuple], presenti: list[str], esito: Esito, esistenti: dict
) -> tuple[list[tuple], list[tuple]]:
    """Nuovi e cambiati rispetto all'anagrafe; conteggi ed esempi in ``esito``."""
    # Le colonne assenti dal file restano come sono: si confrontano solo le altre.
    confrontate = [
        0,
        1,
        2,
        *(COLONNE_ALLOGGIO.index(_CAMPO_COLONNA[c]) for c in presenti),
        8,
        9,
    ]
    proietta = itemgetter(*confrontate)  # compared as tuples, in C
    nuovi: list[tuple] = []
    cambiati: list[tuple] = []
    for riga in valide:
        vecchia = esistenti.get(riga[0])
        if vecchia is None:
            nuovi.append(riga)
        elif proietta(riga) != proietta(vecchia):
            cambiati.append(riga)
    esito.creati = len(nuovi)
    esito.modificati = len(cambiati)
    esito.invariati = len(valide) - len(nuovi) - len(cambiati)
    mancanti = _mancanti(valide, esistenti)
    esito.mancanti = len(mancanti)
    esito.esempi = {
        "creati": [r[0] for r in nuovi[:MAX_ESEMPI]],
        "modificati": [r[0] for r in cambiati[:MAX_ESEMPI]],
        "mancanti": mancanti[:MAX_ESEMPI],
    }
    return nuovi, cambiati


def _mancanti(valide: list[tuple], esistenti: dict[str, tuple]) -> list[str]:
    """Alloggi già in anagrafe di un ente E di un comune presenti nel file, che il
    file non elenca (il file di un ambito non fa mancare gli alloggi ALER degli
    altri ambiti)."""
    codici_file = {riga[0] for riga in valide}
    enti_nel_file = {riga[1] for riga in valide}
    comuni_nel_file = {riga[2] for riga in valide}
    return sorted(
        codice
        for codice, vecchia in esistenti.items()
        if vecchia[1] in enti_nel_file
        and vecchia[2] in comuni_nel_file
        and codice not in codici_file
    )
