"""Controlli sui nomi scritti male: enti nelle comunicazioni, comuni dell'ambito
nei testi narrativi."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ambiti.corrispondenze import Abbinatore, nomi_sospetti_nel_testo, normalizza
from ambiti.models import Comune

from .base import (
    Anomalia,
    Codice,
    _Dati,
)


def _nomi_degli_enti(dati: _Dati) -> Iterable[Anomalia]:
    """Il nome ricevuto di ogni comunicazione, contro quello dell'ente."""
    enti = [c.ente for c in dati.comunicazioni]
    abbinatore_enti = Abbinatore.per_enti(enti)
    for c in dati.comunicazioni:
        ricevuta = c.denominazione_ricevuta.strip()
        if not ricevuta:
            continue
        ufficiali = {normalizza(n) for n in _nomi_ente(c.ente)}
        if normalizza(ricevuta) in ufficiali:
            continue
        corrispondenza = abbinatore_enti.trova(ricevuta)
        if corrispondenza.oggetto is c.ente:
            messaggio = corrispondenza.messaggio
        else:
            messaggio = str(
                _(
                    "«%(testo)s» non corrisponde al nome dell'ente a cui è attribuita "
                    "la comunicazione, «%(ente)s»."
                )
                % {"testo": ricevuta, "ente": c.ente.denominazione}
            )
        yield Anomalia(
            codice=Codice.NOME_NON_RICONOSCIUTO,
            oggetto=ricevuta,
            messaggio=messaggio,
            valori={
                "testo": ricevuta,
                "ente": c.ente.denominazione,
                "suggerimento": corrispondenza.suggerimento,
            },
            campo="denominazione_ricevuta",
            record=c,
        )


def _nome_non_riconosciuto(dati: _Dati) -> Iterable[Anomalia]:
    yield from _nomi_degli_enti(dati)
    yield from _nomi_nei_testi(dati)


def _nomi_nei_testi(dati: _Dati) -> Iterable[Anomalia]:
    """Nelle sezioni narrative: nomi di comuni dell'ambito scritti male."""
    abbinatore_comuni = Abbinatore.per_comuni(dati.comuni)
    testi: list[tuple[Any, str, str, str, str]] = [
        (s, "sezione", s.chiave, s.titolo or s.chiave, s.testo) for s in dati.sezioni
    ] + [
        (s, "sottosezionestrategie", str(s.pk), s.titolo, s.testo)
        for s in dati.sottosezioni
    ]
    trovati: dict[str, _NomeNelPiano] = {}
    for oggetto, modello, chiave, titolo, testo in testi:
        for nome in nomi_sospetti_nel_testo(testo, abbinatore_comuni):
            if nome.testo not in trovati:
                trovati[nome.testo] = _NomeNelPiano(
                    oggetto, modello, nome.corrispondenza.suggerimento
                )
            trovati[nome.testo].chiavi.append(chiave)
            trovati[nome.testo].titoli.append(titolo)
    if not trovati:
        return
    # Un nome che è quello di un altro comune lombardo (fuori dall'ambito) è giusto.
    altri = {
        normalizza(n)
        for n in Comune.objects.filter(
            reduce(or_, (Q(nome__iexact=t) for t in trovati))
        ).values_list("nome", flat=True)
    }
    for testo, trovato in trovati.items():
        if normalizza(testo) in altri:
            continue
        messaggio = _(
            "Nel testo del piano (%(sezioni)s) «%(testo)s» non corrisponde "
            "esattamente a nessun comune dell'ambito: forse «%(suggerimento)s»?"
        ) % {
            "sezioni": ", ".join(f"«{t}»" for t in trovato.titoli),
            "testo": testo,
            "suggerimento": trovato.suggerimento,
        }
        yield Anomalia(
            codice=Codice.NOME_NON_RICONOSCIUTO,
            oggetto=testo,
            messaggio=str(messaggio),
            valori={
                "testo": testo,
                "suggerimento": trovato.suggerimento,
                "sezioni": trovato.chiavi,
            },
            campo="testo",
            record=trovato.oggetto,
        )


@dataclass
class _NomeNelPiano:
    oggetto: Any
    modello: str
    suggerimento: str
    chiavi: list[str] = field(default_factory=list)
    titoli: list[str] = field(default_factory=list)


def _nomi_ente(ente: Any) -> list[str]:
    nomi = [ente.denominazione, ente.denominazione_breve]
    if ente.comune_id:
        nomi.append(ente.comune.nome)
    return [n for n in nomi if n]
