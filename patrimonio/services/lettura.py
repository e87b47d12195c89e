"""Lettura di un file importato: colonne associate ai campi (sinonimi e scelte
ricordate), valori convertiti colonna per colonna, ogni riga errata raccolta."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from patrimonio import lettori
from patrimonio.lettori import ErroreImport, ValoreNonValido, normalizza_intestazione
from patrimonio.models import MappaturaColonne

from .campi import Campo
from .esito import Esito, _messaggio_riga
from .schemi import SCHEMI


def mappature_ricordate(*, tipo: str) -> dict[str, str]:
    return dict(
        MappaturaColonne.objects.filter(tipo=tipo).values_list("intestazione", "campo")
    )


def mappatura_ricorda(*, tipo: str, mappatura: dict[str, str]) -> None:
    """Ricorda le scelte dell'utente (intestazione → campo, '' = ignora)."""
    campi = {c.chiave for c in SCHEMI[tipo]}
    with transaction.atomic():
        for intestazione, campo in mappatura.items():
            forma = normalizza_intestazione(intestazione)
            if not forma or (campo and campo not in campi):
                continue
            MappaturaColonne.objects.update_or_create(
                tipo=tipo, intestazione=forma[:200], defaults={"campo": campo}
            )


def _riconoscitore(schema: tuple[Campo, ...], ricordate: dict[str, str]):
    def riconosci(forma: str) -> bool:
        return bool(forma) and (
            forma in ricordate or any(c.riconosce(forma) for c in schema)
        )

    return riconosci


def colonne_associa(
    intestazioni: list[str],
    schema: tuple[Campo, ...],
    mappatura: dict[str, str],
) -> tuple[dict[str, int], list[str], list[str]]:
    """Associa le colonne ai campi: sinonimi noti, poi le scelte dell'utente.

    Restituisce (campo → indice di colonna, colonne sconosciute, errori).
    """
    per_chiave = {c.chiave: c for c in schema}
    indici: dict[str, int] = {}
    sconosciute: list[str] = []
    errori: list[str] = []
    scelte = {normalizza_intestazione(k): v for k, v in mappatura.items()}
    for indice, intestazione in enumerate(intestazioni):
        forma = normalizza_intestazione(intestazione)
        if not forma:
            continue
        if forma in scelte:
            chiave = scelte[forma]
            if not chiave:
                continue  # l'utente ha scelto di ignorarla
        else:
            chiave = next((c.chiave for c in schema if c.riconosce(forma)), None)
        if chiave is None or chiave not in per_chiave:
            sconosciute.append(intestazione)
            continue
        if chiave in indici:
            errori.append(
                _(
                    "Le colonne %(a)s e %(b)s indicano entrambe «%(campo)s»: tenerne "
                    "una."
                )
                % {
                    "a": lettori.lettera_colonna(indici[chiave]),
                    "b": lettori.lettera_colonna(indice),
                    "campo": per_chiave[chiave].etichetta,
                }
            )
            continue
        indici[chiave] = indice
    for campo in schema:
        if campo.obbligatorio and campo.chiave not in indici:
            errori.append(_("Manca la colonna obbligatoria «%s».") % campo.etichetta)
    return indici, sconosciute, errori


@dataclass
class _Lettura:
    tabella: lettori.Tabella
    indici: dict[str, int]
    nomi_colonna: dict[str, str]


def _leggi(
    percorso: Path,
    nome_file: str | None,
    tipo: str,
    mappatura: dict[str, str] | None,
    esito: Esito,
    intanto: Callable[[], None] | None = None,
) -> _Lettura | None:
    schema = SCHEMI[tipo]
    scelte = {**mappature_ricordate(tipo=tipo), **(mappatura or {})}
    try:
        tabella = lettori.tabella_leggi(
            percorso,
            nome_file=nome_file,
            riconosci=_riconoscitore(schema, scelte),
            intanto=intanto,
        )
    except ErroreImport as exc:
        esito.errori.extend(exc.messaggi)
        return None
    indici, sconosciute, errori = colonne_associa(tabella.intestazioni, schema, scelte)
    esito.colonne_sconosciute = sconosciute
    esito.mappatura = {tabella.intestazioni[i]: chiave for chiave, i in indici.items()}
    esito.errori.extend(errori)
    nomi = {
        chiave: tabella.intestazioni[i] or lettori.lettera_colonna(i)
        for chiave, i in indici.items()
    }
    for riga, colonna in tabella.formule_senza_valore:
        intestazione = (
            tabella.intestazioni[colonna]
            if colonna < len(tabella.intestazioni) and tabella.intestazioni[colonna]
            else lettori.lettera_colonna(colonna)
        )
        esito.errori.append(
            _messaggio_riga(
                riga,
                [
                    (
                        intestazione,
                        _(
                            "formula senza valore calcolato: aprire il file in "
                            "Excel, ricalcolare e salvare"
                        ),
                    )
                ],
            )
        )
    if esito.errori:
        return None
    return _Lettura(tabella, indici, nomi)


@dataclass
class _Colonne:
    """Valori convertiti, colonna per colonna, delle righe non vuote."""

    numeri: list[int]  # numero di riga nel file, per posizione
    valori: dict[str, list[Any]]
    errate: set[int]  # posizioni con almeno un errore

    def righe(self) -> list[tuple[int, dict[str, Any]]]:
        chiavi = list(self.valori)
        return [
            (numero, {k: self.valori[k][i] for k in chiavi})
            for i, numero in enumerate(self.numeri)
            if i not in self.errate
        ]


def _converti_colonne(
    lettura: _Lettura, schema: tuple[Campo, ...], esito: Esito
) -> _Colonne:
    """Converte i valori colonna per colonna (una list comprehension per colonna è
    molto più veloce di un ciclo per cella); solo se una colonna ha un errore la si
    ripercorre cella per cella per raccogliere ogni riga errata."""
    colonne = [
        (c.chiave, lettura.indici[c.chiave], c.converti, lettura.nomi_colonna[c.chiave])
        for c in schema
        if c.chiave in lettura.indici
    ]
    righe, numeri = _righe_non_vuote(lettura.tabella, [i for _k, i, _c, _n in colonne])
    problemi: dict[int, list[tuple[str, str]]] = {}
    valori = {
        chiave: _colonna_converti(righe, indice, converti, nome, problemi)
        for chiave, indice, converti, nome in colonne
    }
    for posizione in sorted(problemi):
        esito.errori.append(_messaggio_riga(numeri[posizione], problemi[posizione]))
    esito.righe = len(numeri)
    esito.righe_errate = len(problemi)
    return _Colonne(numeri, valori, set(problemi))


def _righe_non_vuote(
    tabella: lettori.Tabella, indici: list[int]
) -> tuple[list[list[Any]], list[int]]:
    """Le righe con almeno un valore (allungate fino all'ultima colonna usata) e il
    loro numero nel file."""
    larghezza = max(indici) + 1
    righe = tabella.righe
    for riga in righe:
        if len(riga) < larghezza:  # CSV con righe più corte
            riga.extend([None] * (larghezza - len(riga)))
    # Le righe del tutto vuote in mezzo ai dati si saltano.
    primo = indici[0]
    vuote = {
        i
        for i, riga in enumerate(righe)
        if riga[primo] in (None, "") and all(c in (None, "") for c in riga)
    }
    if vuote:
        posizioni = [i for i in range(len(righe)) if i not in vuote]
        righe = [righe[i] for i in posizioni]
    else:
        posizioni = range(len(righe))
    return righe, [tabella.prima_riga + i for i in posizioni]


def _colonna_converti(
    righe: list[list[Any]],
    indice: int,
    converti: Callable[[object], Any],
    nome: str,
    problemi: dict[int, list[tuple[str, str]]],
) -> list[Any]:
    """I valori convertiti di una colonna; le celle errate valgono None e finiscono
    in ``problemi`` (posizione → [(colonna, messaggio)])."""
    massimo = getattr(converti, "massimo", None)
    if massimo is not None:
        # Testo: strip in blocco; se una cella è troppo lunga o manca un
        # valore obbligatorio si ripassa cella per cella per i messaggi.
        testi = [
            c.strip() if type(c) is str else lettori.testo_cella(c)
            for c in (riga[indice] for riga in righe)
        ]
        if (not testi or max(map(len, testi)) <= massimo) and not (
            getattr(converti, "obbligatorio", False) and "" in testi
        ):
            return testi
    converti_presto = _con_memoria(converti)
    try:
        return [converti_presto(riga[indice]) for riga in righe]
    except ValoreNonValido:
        pass
    colonna: list[Any] = []
    for posizione, riga in enumerate(righe):
        try:
            colonna.append(converti(riga[indice]))
        except ValoreNonValido as exc:
            colonna.append(None)
            problemi.setdefault(posizione, []).append((nome, str(exc)))
    return colonna


def _con_memoria(converti: Callable[[object], Any]) -> Callable[[object], Any]:
    """Lo stesso convertitore, con la memoria dei valori già visti: in un'anagrafe
    superfici, vani, anni e date si ripetono migliaia di volte."""
    memoria: dict[object, Any] = {}

    def converti_presto(valore: object) -> Any:
        if type(valore) is bool:  # True == 1: non condividono la memoria
            return converti(valore)
        try:
            return memoria[valore]
        except KeyError:
            risultato = converti(valore)
            if len(memoria) < 100_000:
                memoria[valore] = risultato
            return risultato

    return converti_presto


def _converti_righe(
    lettura: _Lettura, schema: tuple[Campo, ...], esito: Esito
) -> list[tuple[int, dict[str, Any]]]:
    return _converti_colonne(lettura, schema, esito).righe()
