"""Importazione della popolazione residente per comune (CSV demografici ISTAT)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ambiti.corrispondenze import Abbinatore
from ambiti.models import Comune, PopolazioneComune
from patrimonio.lettori import normalizza_intestazione
from patrimonio.models import Importazione

from .esito import Esito, Progresso, _messaggio_riga, _nulla, _numero_riga
from .lettura import _converti_righe, _leggi
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
    if "comune_istat" not in lettura.indici and "comune_nome" not in lettura.indici:
        esito.errori.append(_("Manca la colonna del comune: codice ISTAT o nome."))
        return esito
    data_file = data or data_dal_titolo(lettura.tabella.titolo)
    if "data" not in lettura.indici and data_file is None:
        esito.errori.append(
            _("Manca la data di riferimento: aggiungere una colonna Data o indicarla.")
        )
        return esito
    righe = _converti_righe(lettura, CAMPI_POPOLAZIONE, esito)
    comuni = Abbinatore.per_comuni(Comune.objects.only("id", "codice_istat", "nome"))
    nomi = lettura.nomi_colonna
    valori_finali: dict[tuple[int, date], tuple[int, int]] = {}
    for numero, valori in righe:
        eta = normalizza_intestazione(valori.get("eta", ""))
        if eta and eta not in {"999", "totale", "tutte le eta"}:
            continue
        sesso = normalizza_intestazione(valori.get("sesso", ""))
        if sesso and sesso not in {"totale", "maschi e femmine", "9", "t"}:
            continue
        testo = valori.get("comune_istat") or valori.get("comune_nome") or ""
        colonna = (
            nomi.get("comune_istat")
            if valori.get("comune_istat")
            else nomi.get("comune_nome", nomi.get("comune_istat"))
        )
        comune = comuni.trova(testo)
        problemi = []
        if comune.oggetto is None:
            problemi.append((colonna, comune.messaggio or _("valore mancante")))
        elif comuni_ammessi is not None and comune.oggetto.pk not in comuni_ammessi:
            problemi.append(
                (
                    colonna,
                    _("il comune «%(c)s» non appartiene agli ambiti che gestisci")
                    % {"c": comune.oggetto.nome},
                )
            )
        elif not comune.esatta:
            esito.avvisi.append(
                _("Riga %(r)s: %(m)s") % {"r": numero, "m": comune.messaggio}
            )
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
    if esito.errori:
        esito.errori.sort(key=_numero_riga)
        return esito
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
    if not scrivi:
        avanza(100, _("Anteprima pronta"))
        return esito
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
    esito.scritto = True
    avanza(100, _("Importazione completata"))
    return esito
