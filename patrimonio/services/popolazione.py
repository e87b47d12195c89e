"""Importazione della popolazione residente per comune (CSV demografici ISTAT)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ambiti.corrispondenze import Abbinatore, Corrispondenza
from ambiti.models import Comune, PopolazioneComune
from patrimonio.lettori import normalizza_intestazione
from patrimonio.models import Importazione

from .esito import Esito, Progresso, _messaggio_riga, _nulla, _numero_riga
from .lettura import _converti_righe, _leggi, _Lettura
from .schemi import CAMPI_POPOLAZIONE

_MESI = {
    "gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6,
    "luglio": 7, "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11,
    "dicembre": 12,
}  # fmt: skip
_DATA_TITOLO = re.compile(r"\b(\d{1,2})\s*(?:°|º|o)?\s+([a-z]+)\s+(\d{4})\b")


def data_dal_titolo(righe: list[str]) -> date | None:
    """'Popolazione residente al 1° gennaio 2024 …' → 01/01/2024 (export ISTAT)."""
    for riga in righe:
        testo = riga.lower().replace("1°", "1 ").replace("1º", "1 ")
        for giorno, mese, anno in _DATA_TITOLO.findall(testo):
            if mese in _MESI:
                try:
                    return date(int(anno), _MESI[mese], int(giorno))
                except ValueError:
                    continue
    return None


def popolazione_importa(
    *,
    percorso: str | Path,
    nome_file: str | None = None,
    data: date | None = None,
    scrivi: bool = False,
    mappatura: dict[str, str] | None = None,
    progresso: Progresso | None = None,
    comuni_ammessi: set[int] | None = None,
) -> Esito:
    """Popolazione residente per comune a una data, nel formato dei CSV demografici
    ISTAT (righe di titolo, «Codice comune», «Comune», «Età», «Totale»…): con la
    colonna «Età» si tengono le righe del totale (999 o «Totale»). La data viene
    dalla colonna Data, o dal titolo del file, o da ``data``.

    ``comuni_ammessi`` (id dei comuni): se indicato, una riga di un altro comune è
    un errore (l'Ufficio di Piano importa solo i comuni del proprio ambito)."""
    avanza = progresso or _nulla
    esito = Esito(tipo=Importazione.Tipo.POPOLAZIONE)
    avanza(10, _("Lettura del file"))
    lettura = _leggi(
        Path(percorso), nome_file, Importazione.Tipo.POPOLAZIONE, mappatura, esito
    )
    if lettura is None:
        return esito
    data_file = data or data_dal_titolo(lettura.tabella.titolo)
    if not _colonne_presenti(lettura, data_file, esito):
        return esito
    righe = _converti_righe(lettura, CAMPI_POPOLAZIONE, esito)
    valori_finali = _popolazione_per_comune(
        righe, lettura.nomi_colonna, data_file, comuni_ammessi, esito
    )
    if esito.errori:
        esito.errori.sort(key=_numero_riga)
        return esito
    esistenti = _popolazione_confronta(valori_finali, esito)
    if not scrivi:
        avanza(100, _("Anteprima pronta"))
        return esito
    _popolazione_salva(valori_finali, esistenti)
    esito.scritto = True
    avanza(100, _("Importazione completata"))
    return esito


# (comune, data) → (popolazione, numero della riga che l'ha data)
_Valori = dict[tuple[int, date], tuple[int, int]]


def _colonne_presenti(lettura: _Lettura, data_file: date | None, esito: Esito) -> bool:
    if "comune_istat" not in lettura.indici and "comune_nome" not in lettura.indici:
        esito.errori.append(_("Manca la colonna del comune: codice ISTAT o nome."))
        return False
    if "data" not in lettura.indici and data_file is None:
        esito.errori.append(
            _("Manca la data di riferimento: aggiungere una colonna Data o indicarla.")
        )
        return False
    return True


def _riga_del_totale(valori: dict[str, Any]) -> bool:
    """Le righe per età o per sesso si saltano: conta solo quella del totale."""
    eta = normalizza_intestazione(valori.get("eta", ""))
    if eta and eta not in {"999", "totale", "tutte le eta"}:
        return False
    sesso = normalizza_intestazione(valori.get("sesso", ""))
    return not sesso or sesso in {"totale", "maschi e femmine", "9", "t"}


def _popolazione_per_comune(
    righe: list[tuple[int, dict[str, Any]]],
    nomi: dict[str, str],
    data_file: date | None,
    comuni_ammessi: set[int] | None,
    esito: Esito,
) -> _Valori:
    """La popolazione di ogni (comune, data); ogni riga errata in ``esito``."""
    comuni = Abbinatore.per_comuni(Comune.objects.only("id", "codice_istat", "nome"))
    valori_finali: _Valori = {}
    for numero, valori in righe:
        if not _riga_del_totale(valori):
            continue
        colonna = (
            nomi.get("comune_istat")
            if valori.get("comune_istat")
            else nomi.get("comune_nome", nomi.get("comune_istat"))
        )
        testo = valori.get("comune_istat") or valori.get("comune_nome") or ""
        comune = comuni.trova(testo)
        problemi = _comune_controlla(comune, colonna, numero, comuni_ammessi, esito)
        giorno = valori.get("data") or data_file
        if giorno is None:
            problemi.append((nomi.get("data", _("Data")), _("valore mancante")))
        if not problemi:
            chiave = (comune.oggetto.pk, giorno)
            if chiave in valori_finali:
                problemi.append(
                    (
                        colonna,
                        _("comune ripetuto per la stessa data (già alla riga %s)")
                        % valori_finali[chiave][1],
                    )
                )
            else:
                valori_finali[chiave] = (valori["popolazione"], numero)
        if problemi:
            esito.errori.append(_messaggio_riga(numero, problemi))
            esito.righe_errate += 1
    return valori_finali


def _comune_controlla(
    comune: Corrispondenza,
    colonna: str | None,
    numero: int,
    comuni_ammessi: set[int] | None,
    esito: Esito,
) -> list[tuple[str, str]]:
    """I problemi del comune di una riga (non trovato, fuori dagli ambiti
    dell'utente); uno riconosciuto per somiglianza è un avviso."""
    if comune.oggetto is None:
        return [(colonna, comune.messaggio or _("valore mancante"))]
    if comuni_ammessi is not None and comune.oggetto.pk not in comuni_ammessi:
        return [
            (
                colonna,
                _("il comune «%(c)s» non appartiene agli ambiti che gestisci")
                % {"c": comune.oggetto.nome},
            )
        ]
    if not comune.esatta:
        esito.avvisi.append(
            _("Riga %(r)s: %(m)s") % {"r": numero, "m": comune.messaggio}
        )
    return []


def _popolazione_confronta(
    valori_finali: _Valori, esito: Esito
) -> dict[tuple[int, date], PopolazioneComune]:
    """Creati, modificati e invariati in ``esito``; le righe già in archivio."""
    esistenti = {
        (p.comune_id, p.data): p
        for p in PopolazioneComune.objects.filter(
            comune_id__in={k[0] for k in valori_finali},
            data__in={k[1] for k in valori_finali},
        )
    }
    for chiave, (popolazione, _numero) in valori_finali.items():
        vecchio = esistenti.get(chiave)
        if vecchio is None:
            esito.creati += 1
        elif vecchio.popolazione != popolazione:
            esito.modificati += 1
        else:
            esito.invariati += 1
    return esistenti


def _popolazione_salva(
    valori_finali: _Valori, esistenti: dict[tuple[int, date], PopolazioneComune]
) -> None:
    with transaction.atomic():
        for (comune_id, giorno), (popolazione, _numero) in valori_finali.items():
            vecchio = esistenti.get((comune_id, giorno))
            if vecchio is None:
                PopolazioneComune.objects.create(
                    comune_id=comune_id, data=giorno, popolazione=popolazione
                )
            elif vecchio.popolazione != popolazione:
                vecchio.popolazione = popolazione
                vecchio.save(update_fields=["popolazione"])
