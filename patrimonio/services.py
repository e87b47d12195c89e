"""Importazioni (anagrafe del patrimonio, tabelle per ente di un piano, popolazione
ISTAT) e confronto fra anagrafe e comunicazioni.

Ogni importazione ha due passate con lo stesso codice: l'anteprima (``scrivi=False``)
legge, controlla ogni riga e calcola cosa cambierebbe; la conferma rifà lo stesso e
scrive tutto in una transazione, oppure niente se c'è anche un solo errore.

L'anagrafe (fino a 166.000 righe) segue performance.md: righe controllate con
funzioni semplici (non ``full_clean`` per riga), scrittura di tuple (executemany su
SQLite, ``COPY`` in una tabella temporanea + ``INSERT … ON CONFLICT`` su PostgreSQL).
"""

from __future__ import annotations

import gc
import hashlib
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambiti.corrispondenze import Abbinatore
from ambiti.models import Comune, PopolazioneComune
from ambiti.permessi import ambiti_modificabili
from patrimonio import lettori
from patrimonio.lettori import ErroreImport, ValoreNonValido, normalizza_intestazione
from patrimonio.models import (
    Alloggio,
    EnteProprietario,
    Importazione,
    MappaturaColonne,
    Servizio,
    StatoAlloggio,
)

Progresso = Callable[[int, str], None]
MAX_ESEMPI = 50


# --- schema delle colonne ----------------------------------------------------------


@dataclass(frozen=True)
class Campo:
    """Un campo dell'import: la colonna che lo contiene si riconosce dai sinonimi
    (già normalizzati; quelli che iniziano con «re:» sono espressioni regolari)."""

    chiave: str
    etichetta: Any
    sinonimi: tuple[str, ...]
    converti: Callable[[object], object]
    obbligatorio: bool = False

    def riconosce(self, intestazione: str) -> bool:
        for sinonimo in self.sinonimi:
            if sinonimo.startswith("re:"):
                if re.fullmatch(sinonimo[3:], intestazione):
                    return True
            elif sinonimo == intestazione:
                return True
        return False


def _testo(massimo: int) -> Callable[[object], str]:
    def converti(valore: object) -> str:
        return lettori.converti_testo(valore, massimo=massimo)

    converti.massimo = massimo  # per la via veloce di _converti_colonne
    return converti


def _obbligatorio(converti: Callable[[object], Any]) -> Callable[[object], Any]:
    def controlla(valore: object) -> Any:
        risultato = converti(valore)
        if risultato in (None, ""):
            raise ValoreNonValido(_("valore mancante"))
        return risultato

    controlla.massimo = getattr(converti, "massimo", None)
    controlla.obbligatorio = True
    return controlla


def _scelta(valori: dict[str, str], nome: str) -> Callable[[object], str]:
    # Pochi valori distinti su 166.000 righe: si normalizza ognuno una volta sola.
    memoria: dict[object, str] = {}

    def converti(valore: object) -> str:
        try:
            return memoria[valore]
        except (KeyError, TypeError):
            pass
        forma = normalizza_intestazione(valore)
        if not forma:
            raise ValoreNonValido(_("valore mancante"))
        try:
            risultato = valori[forma]
        except KeyError:
            raise ValoreNonValido(
                _("valore '%(v)s' non riconosciuto (ammessi: %(ammessi)s)")
                % {"v": lettori.testo_cella(valore)[:40], "ammessi": nome}
            ) from None
        if len(memoria) < 10_000:
            memoria[valore] = risultato
        return risultato

    return converti


SERVIZI = {
    "sap": Servizio.SAP,
    "erp": Servizio.SAP,
    "servizi abitativi pubblici": Servizio.SAP,
    "servizio abitativo pubblico": Servizio.SAP,
    "sas": Servizio.SAS,
    "servizi abitativi sociali": Servizio.SAS,
    "servizio abitativo sociale": Servizio.SAS,
    "sat": Servizio.SAT,
    "servizi abitativi transitori": Servizio.SAT,
    "servizio abitativo transitorio": Servizio.SAT,
    "altro": Servizio.ALTRO,
    "altro uso residenziale": Servizio.ALTRO,
    "altro uso": Servizio.ALTRO,
}
STATI = {
    "libero": StatoAlloggio.LIBERO,
    "stato libero": StatoAlloggio.LIBERO,
    "libera": StatoAlloggio.LIBERO,
    "carenza": StatoAlloggio.CARENZA,
    "carenze manutentive": StatoAlloggio.CARENZA,
    "sfitto per carenze manutentive": StatoAlloggio.CARENZA,
    "sfitto carenze manutentive": StatoAlloggio.CARENZA,
    "carenza manutentiva": StatoAlloggio.CARENZA,
    "ristrutturazione": StatoAlloggio.RISTRUTTURAZIONE,
    "sfitto per ristrutturazione": StatoAlloggio.RISTRUTTURAZIONE,
    "in ristrutturazione": StatoAlloggio.RISTRUTTURAZIONE,
    "occupato": StatoAlloggio.OCCUPATO,
    "stato occupato": StatoAlloggio.OCCUPATO,
    "occupata": StatoAlloggio.OCCUPATO,
    "assegnato": StatoAlloggio.OCCUPATO,
}


# Calcolato una volta: date.today() per ognuna di 166.000 righe costa.
_ANNO_MASSIMO = timezone.localdate().year + 10


def _anno(valore: object) -> int | None:
    return lettori.converti_intero(valore, minimo=1000, massimo=_ANNO_MASSIMO)


CAMPI_ALLOGGI: tuple[Campo, ...] = (
    Campo(
        "codice",
        gettext_lazy("Codice alloggio"),
        (
            "codice alloggio",
            "codice",
            "cod alloggio",
            "codice unita",
            "codice ui",
            "codice u i",
            "id alloggio",
            "identificativo alloggio",
            "codice immobile",
        ),
        _obbligatorio(_testo(40)),
        obbligatorio=True,
    ),
    Campo(
        "ente",
        gettext_lazy("Ente proprietario"),
        (
            "ente proprietario",
            "ente",
            "proprietario",
            "ragione sociale ente proprietario",
            "denominazione ente",
            "ente gestore proprietario",
        ),
        _obbligatorio(_testo(200)),
        obbligatorio=True,
    ),
    Campo(
        "comune_istat",
        gettext_lazy("Codice ISTAT comune"),
        (
            "codice istat comune",
            "codice istat",
            "istat",
            "cod istat",
            "istat comune",
            "codice comune",
        ),
        _testo(10),
    ),
    Campo(
        "comune_nome",
        gettext_lazy("Comune"),
        ("comune", "denominazione comune", "nome comune", "comune ubicazione"),
        _testo(100),
    ),
    Campo(
        "indirizzo",
        gettext_lazy("Indirizzo"),
        ("indirizzo", "via", "toponimo", "indirizzo alloggio"),
        _testo(200),
    ),
    Campo(
        "civico",
        gettext_lazy("Civico"),
        ("civico", "numero civico", "n civico"),
        _testo(20),
    ),
    Campo(
        "piano",
        gettext_lazy("Piano"),
        ("piano", "piano alloggio", "livello"),
        _testo(20),
    ),
    Campo(
        "superficie_mq",
        gettext_lazy("Superficie (m²)"),
        (
            "superficie m2",
            "superficie",
            "superficie mq",
            "mq",
            "superficie utile",
            "sup mq",
            "superficie utile mq",
        ),
        lettori.converti_decimale,
    ),
    Campo(
        "vani",
        gettext_lazy("Vani"),
        ("vani", "numero vani", "n vani", "locali", "numero locali"),
        lambda v: lettori.converti_intero(v, massimo=99),
    ),
    Campo(
        "servizio",
        gettext_lazy("Servizio"),
        (
            "servizio",
            "tipologia servizio",
            "servizio abitativo",
            "tipo servizio",
            "destinazione",
        ),
        _scelta(SERVIZI, "SAP, SAS, SAT, altro"),
        obbligatorio=True,
    ),
    Campo(
        "stato",
        gettext_lazy("Stato"),
        ("stato", "stato alloggio", "stato occupazione", "stato d uso", "stato uso"),
        _scelta(STATI, "libero, carenza, ristrutturazione, occupato"),
        obbligatorio=True,
    ),
    Campo(
        "anno_costruzione",
        gettext_lazy("Anno di costruzione"),
        ("anno di costruzione", "anno costruzione", "anno"),
        _anno,
    ),
    Campo(
        "aggiornato_il",
        gettext_lazy("Ultimo aggiornamento"),
        (
            "ultimo aggiornamento",
            "data aggiornamento",
            "aggiornato il",
            "data ultimo aggiornamento",
        ),
        lettori.converti_data,
    ),
)


def _conteggio(valore: object) -> int | None:
    return lettori.converti_intero(valore)


def _percentuale(valore: object) -> Decimal | None:
    numero = lettori.converti_decimale(valore, cifre=5, decimali=2, positivo=False)
    if numero is not None and numero > 100:
        raise ValoreNonValido(_("percentuale oltre 100"))
    return numero


CAMPI_ENTI: tuple[Campo, ...] = (
    Campo(
        "ente",
        gettext_lazy("Ente proprietario"),
        (
            "ente proprietario",
            "ragione sociale ente proprietario",
            "ragione sociale dll ente proprietario",
            "ragione sociale dell ente proprietario",
            "comuni aler",
            "ente",
            "denominazione ente",
            "ragione sociale",
        ),
        _obbligatorio(_testo(200)),
        obbligatorio=True,
    ),
    Campo(
        "alloggi_totali",
        gettext_lazy("Alloggi complessivi"),
        (
            "numero alloggi complessivi",
            "numero u i di proprieta",
            "di proprieta",
            "alloggi complessivi",
            "alloggi totali",
        ),
        _conteggio,
    ),
    Campo(
        "alloggi_sas",
        gettext_lazy("Alloggi SAS"),
        (
            "numero alloggi servizio abitativo sociale sas",
            "numero u i per servizi abitativi sociali sas",
            "alloggi sas",
            "sas",
        ),
        _conteggio,
    ),
    Campo(
        "alloggi_sap",
        gettext_lazy("Alloggi SAP"),
        (
            "numero alloggi servizio abitativo pubblico sap",
            "numero u i per servizi abitativi pubblici sap",
            "alloggi sap",
            "sap",
        ),
        _conteggio,
    ),
    Campo(
        "alloggi_altro",
        gettext_lazy("Alloggi altro uso residenziale"),
        (
            "numero alloggi altro uso residenziale",
            "altro uso residenziale",
            "alloggi altro uso residenziale",
        ),
        _conteggio,
    ),
    Campo(
        "sap_liberi", gettext_lazy("SAP liberi"), ("stato libero", "liberi"), _conteggio
    ),
    Campo(
        "sap_carenze",
        gettext_lazy("SAP sfitti per carenze manutentive"),
        ("sfitto per carenze manutentive", "sfitti per carenze manutentive"),
        _conteggio,
    ),
    Campo(
        "sap_ristrutturazione",
        gettext_lazy("SAP sfitti per ristrutturazione"),
        ("sfitto per ristrutturazione", "sfitti per ristrutturazione"),
        _conteggio,
    ),
    Campo(
        "sap_occupati",
        gettext_lazy("SAP occupati"),
        ("stato occupato", "occupati"),
        _conteggio,
    ),
    Campo(
        "assegnabili_carenza",
        gettext_lazy("Assegnabili in carenza manutentiva"),
        (
            "numero u i in carenza manutentiva assegnabili nello stato di fatto",
            "u i in carenza manutentiva assegnabili nello stato di fatto",
        ),
        _conteggio,
    ),
    Campo(
        "assegnabili_ristrutturazione",
        gettext_lazy("Assegnabili da ristrutturazione, recupero, riqualificazione"),
        (
            "numero u i disponibili per nuova edificazione ristrutturazione recupero "
            "riqualificazione",
            "numero u i da ristrutturazione recupero riqualificazione",
            "ristrutturazione recupero riqualificazione",
        ),
        _conteggio,
    ),
    Campo(
        "assegnabili_nuova_edificazione",
        gettext_lazy("Assegnabili da nuova edificazione"),
        ("numero u i da nuova edificazione", "nuova edificazione"),
        _conteggio,
    ),
    Campo(
        "assegnabili_turnover",
        gettext_lazy("Assegnabili da turn over"),
        (
            "numero u i che si libereranno per effetto del turn over",
            "unita abitative che si libereranno per effetto del turn over",
            "numero u i libere e che si libereranno per effetto del turn over",
            "turn over",
        ),
        _conteggio,
    ),
    Campo(
        "assegnabili_privati",
        gettext_lazy("Conferite da privati"),
        ("numero u i conferite da privati", "conferite da privati"),
        _conteggio,
    ),
    Campo(
        "assegnabili_totale",
        gettext_lazy("Totale assegnabili nell'anno"),
        (
            "numero complessivo u i disponibili nell anno",
            "disponibili nell anno",
            "numero complessivo u i disponibili",
        ),
        _conteggio,
    ),
    Campo(
        "quota_art14",
        gettext_lazy("Quota art. 14 (%)"),
        ("quota art 14", "quota riservata art 14"),
        _percentuale,
    ),
    Campo(
        "unita_sat",
        gettext_lazy("Unità SAT"),
        ("u i da destinare a sat", "numero u i da destinare a sat", "unita sat"),
        _conteggio,
    ),
    Campo(
        "assegnate_anno_precedente",
        gettext_lazy("Assegnate l'anno precedente"),
        (
            "numero u i assegname l anno precedente",
            "numero u i assegnate l anno precedente",
            r"re:(numero )?u i assegnate nel \d{4}",
        ),
        _conteggio,
    ),
)

CAMPI_POPOLAZIONE: tuple[Campo, ...] = (
    Campo(
        "comune_istat",
        gettext_lazy("Codice ISTAT comune"),
        (
            "codice comune",
            "codice istat",
            "codice istat comune",
            "cod istat",
            "istat",
            "codice",
            # dati.istat.it exports name the territory code column ITTER107.
            "itter107",
        ),
        _testo(10),
    ),
    Campo(
        "comune_nome",
        gettext_lazy("Comune"),
        ("comune", "denominazione", "denominazione comune", "territorio"),
        _testo(100),
    ),
    Campo("eta", gettext_lazy("Età"), ("eta",), _testo(10)),
    # Some exports give one row per sex: only the total counts.
    Campo("sesso", gettext_lazy("Sesso"), ("sesso",), _testo(20)),
    Campo(
        "data",
        gettext_lazy("Data"),
        ("data", "data di riferimento", "data riferimento"),
        lettori.converti_data,
    ),
    Campo(
        "popolazione",
        gettext_lazy("Popolazione"),
        (
            "popolazione",
            "popolazione residente",
            "totale",
            "totale maschi e femmine",
            "residenti",
            "popolazione al 1 gennaio",
            "popolazione totale",
        ),
        _obbligatorio(_conteggio),
        obbligatorio=True,
    ),
)

SCHEMI: dict[str, tuple[Campo, ...]] = {
    Importazione.Tipo.ALLOGGI: CAMPI_ALLOGGI,
    Importazione.Tipo.ENTI: CAMPI_ENTI,
    Importazione.Tipo.POPOLAZIONE: CAMPI_POPOLAZIONE,
}


# --- esito --------------------------------------------------------------------------


@dataclass
class Esito:
    """Il resoconto di un'importazione, uguale per anteprima e scrittura."""

    tipo: str
    righe: int = 0
    creati: int = 0
    modificati: int = 0
    invariati: int = 0
    mancanti: int = 0
    righe_errate: int = 0
    errori: list[str] = field(default_factory=list)
    avvisi: list[str] = field(default_factory=list)
    colonne_sconosciute: list[str] = field(default_factory=list)
    mappatura: dict[str, str] = field(default_factory=dict)
    esempi: dict[str, list[str]] = field(default_factory=dict)
    scritto: bool = False

    @property
    def valido(self) -> bool:
        return not self.errori

    def resoconto(self) -> str:
        """Testo per la riga di comando."""
        righe = [
            _("Righe lette: %s") % self.righe,
            _(
                "Nuovi: %(c)s · modificati: %(m)s · invariati: %(i)s · mancanti nel "
                "file: "
                "%(x)s"
            )
            % {
                "c": self.creati,
                "m": self.modificati,
                "i": self.invariati,
                "x": self.mancanti,
            },
        ]
        if self.colonne_sconosciute:
            righe.append(
                _("Colonne non riconosciute (ignorate): %s")
                % ", ".join(self.colonne_sconosciute)
            )
        righe += [_("Avviso: %s") % a for a in self.avvisi]
        righe += self.errori
        if self.errori:
            righe.append(_("Importazione rifiutata: nessun dato è stato scritto."))
        elif self.scritto:
            righe.append(_("Importazione completata."))
        else:
            righe.append(_("Anteprima: nessun dato è stato scritto."))
        return "\n".join(righe)


def _messaggio_riga(numero: int, problemi: list[tuple[str, str]]) -> str:
    """Una riga errata = un messaggio, anche con più celle sbagliate."""
    parti = [
        _("colonna %(colonna)s: %(messaggio)s") % {"colonna": c, "messaggio": m}
        for c, m in problemi
    ]
    return _("Riga %(riga)s, %(dettaglio)s") % {
        "riga": numero,
        "dettaglio": "; ".join(parti),
    }


_RIGA = re.compile(r"^Riga (\d+),")


def _numero_riga(messaggio: str) -> int:
    trovato = _RIGA.match(messaggio)
    return int(trovato.group(1)) if trovato else 0


# --- mappatura delle colonne ----------------------------------------------------------


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
) -> _Lettura | None:
    schema = SCHEMI[tipo]
    scelte = {**mappature_ricordate(tipo=tipo), **(mappatura or {})}
    try:
        tabella = lettori.tabella_leggi(
            percorso, nome_file=nome_file, riconosci=_riconoscitore(schema, scelte)
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
    tabella = lettura.tabella
    colonne = [
        (c.chiave, lettura.indici[c.chiave], c.converti, lettura.nomi_colonna[c.chiave])
        for c in schema
        if c.chiave in lettura.indici
    ]
    larghezza = max(i for _k, i, _c, _n in colonne) + 1
    righe = tabella.righe
    for riga in righe:
        if len(riga) < larghezza:  # CSV con righe più corte
            riga.extend([None] * (larghezza - len(riga)))
    # Le righe del tutto vuote in mezzo ai dati si saltano.
    primo = colonne[0][1]
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
    numeri = [tabella.prima_riga + i for i in posizioni]
    problemi: dict[int, list[tuple[str, str]]] = {}
    valori: dict[str, list[Any]] = {}
    for chiave, indice, converti, nome in colonne:
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
                valori[chiave] = testi
                continue
        converti_presto = _con_memoria(converti)
        try:
            valori[chiave] = [converti_presto(riga[indice]) for riga in righe]
        except ValoreNonValido:
            colonna: list[Any] = []
            for posizione, riga in enumerate(righe):
                try:
                    colonna.append(converti(riga[indice]))
                except ValoreNonValido as exc:
                    colonna.append(None)
                    problemi.setdefault(posizione, []).append((nome, str(exc)))
            valori[chiave] = colonna
    for posizione in sorted(problemi):
        esito.errori.append(_messaggio_riga(numeri[posizione], problemi[posizione]))
    esito.righe = len(numeri)
    esito.righe_errate = len(problemi)
    return _Colonne(numeri, valori, set(problemi))


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


# --- anagrafe del patrimonio --------------------------------------------------------

COLONNE_ALLOGGIO = (
    "codice",
    "ente_id",
    "comune_id",
    "indirizzo",
    "civico",
    "piano",
    "superficie_mq",
    "vani",
    "servizio",
    "stato",
    "anno_costruzione",
    "aggiornato_il",
)
# Campo dell'import → colonna del modello (quelli assenti dal file non si toccano).
_CAMPO_COLONNA = {
    "indirizzo": "indirizzo",
    "civico": "civico",
    "piano": "piano",
    "superficie_mq": "superficie_mq",
    "vani": "vani",
    "anno_costruzione": "anno_costruzione",
    "aggiornato_il": "aggiornato_il",
}
_VUOTO = {"indirizzo": "", "civico": "", "piano": ""}


def _nulla(percentuale: int, fase: str) -> None:
    return None


def alloggi_importa(
    *,
    percorso: str | Path,
    nome_file: str | None = None,
    scrivi: bool = False,
    mappatura: dict[str, str] | None = None,
    progresso: Progresso | None = None,
) -> Esito:
    """Importa l'anagrafe del patrimonio: upsert per codice alloggio.

    Con ``scrivi=False`` è l'anteprima: nuovi, modificati, invariati, mancanti
    (gli alloggi degli enti e dei comuni del file che il file non elenca: si
    segnalano, non si cancellano) e ogni riga errata. Con ``scrivi=True`` scrive
    in una transazione solo se non c'è nessun errore.
    """
    avanza = progresso or _nulla
    esito = Esito(tipo=Importazione.Tipo.ALLOGGI)
    avanza(5, _("Lettura del file"))
    lettura = _leggi(
        Path(percorso), nome_file, Importazione.Tipo.ALLOGGI, mappatura, esito
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
    valori, numeri, errate = colonne.valori, colonne.numeri, colonne.errate
    nomi = lettura.nomi_colonna

    comuni = Abbinatore.per_comuni(Comune.objects.only("id", "codice_istat", "nome"))
    enti = Abbinatore.per_enti(EnteProprietario.objects.select_related("comune"))
    # Enti e comuni si riconoscono una volta per testo distinto, non per riga.
    testi_ente = valori["ente"]
    if "comune_istat" in valori and "comune_nome" in valori:
        testi_comune = [
            a or b
            for a, b in zip(valori["comune_istat"], valori["comune_nome"], strict=True)
        ]
    else:
        testi_comune = valori.get("comune_istat") or valori["comune_nome"]
    per_ente = {t: enti.trova(t) for t in set(testi_ente)}
    per_comune = {t: comuni.trova(t or "") for t in set(testi_comune)}
    codici = valori["codice"]
    problemi: dict[int, list[tuple[str, str]]] = {}
    avvisati: set[str] = set()
    for posizione, (testo_ente, testo_comune) in enumerate(
        zip(testi_ente, testi_comune, strict=True)
    ):
        if posizione in errate:
            continue
        ente, comune = per_ente[testo_ente], per_comune[testo_comune]
        if ente.esatta and comune.esatta:
            continue
        for trovato, campo in ((ente, "ente"), (comune, "comune")):
            if trovato.esatta:
                continue
            if campo == "comune":
                colonna = (
                    nomi.get("comune_istat")
                    if valori.get("comune_istat") and valori["comune_istat"][posizione]
                    else nomi.get("comune_nome", nomi.get("comune_istat"))
                )
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
                    % {"r": numeri[posizione], "m": trovato.messaggio}
                )
    visti: dict[str, int] = {}
    if len(set(codici)) != len(codici):
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
    for posizione in sorted(problemi):
        if posizione in errate:
            continue
        esito.errori.append(_messaggio_riga(numeri[posizione], problemi[posizione]))
        esito.righe_errate += 1
    if esito.errori:
        esito.errori.sort(key=_numero_riga)
        return esito

    righe_n = len(numeri)
    vuoto: list[Any] = [""] * righe_n
    nullo: list[Any] = [None] * righe_n
    valide = list(
        zip(
            codici,
            [per_ente[t].oggetto.pk for t in testi_ente],
            [per_comune[t].oggetto.pk for t in testi_comune],
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
    del valori, colonne
    codici_file = set(codici)

    avanza(60, _("Confronto con l'anagrafe"))
    presenti = [c for c in _CAMPO_COLONNA if c in esito.mappatura.values()]
    # Le colonne assenti dal file restano come sono: si confrontano solo le altre.
    confrontate = [
        0,
        1,
        2,
        *(COLONNE_ALLOGGIO.index(_CAMPO_COLONNA[c]) for c in presenti),
        8,
        9,
    ]
    esistenti = {
        riga[0]: riga
        for riga in Alloggio.objects.values_list(*COLONNE_ALLOGGIO).iterator(
            chunk_size=20_000
        )
    }
    nuovi: list[tuple] = []
    cambiati: list[tuple] = []
    for riga in valide:
        vecchia = esistenti.get(riga[0])
        if vecchia is None:
            nuovi.append(riga)
        elif any(riga[i] != vecchia[i] for i in confrontate):
            cambiati.append(riga)
    esito.creati = len(nuovi)
    esito.modificati = len(cambiati)
    esito.invariati = len(valide) - len(nuovi) - len(cambiati)
    # Mancanti: alloggi già in anagrafe di un ente E di un comune presenti nel
    # file, che il file non elenca (il file di un ambito non fa mancare gli
    # alloggi ALER degli altri ambiti).
    enti_nel_file = {riga[1] for riga in valide}
    comuni_nel_file = {riga[2] for riga in valide}
    mancanti = sorted(
        codice
        for codice, vecchia in esistenti.items()
        if vecchia[1] in enti_nel_file
        and vecchia[2] in comuni_nel_file
        and codice not in codici_file
    )
    esito.mancanti = len(mancanti)
    esito.esempi = {
        "creati": [r[0] for r in nuovi[:MAX_ESEMPI]],
        "modificati": [r[0] for r in cambiati[:MAX_ESEMPI]],
        "mancanti": mancanti[:MAX_ESEMPI],
    }
    del esistenti
    if not scrivi:
        avanza(100, _("Anteprima pronta"))
        return esito

    avanza(75, _("Scrittura nel database"))
    colonne_aggiornate = ["ente_id", "comune_id", "servizio", "stato"] + [
        _CAMPO_COLONNA[c] for c in presenti
    ]
    # In ordine di codice: l'indice unico cresce in coda invece che a caso.
    nuovi.sort()
    cambiati.sort()
    tabella = Alloggio._meta.db_table
    # SQLite: i controlli delle chiavi esterne riga per riga costano più
    # dell'INSERT; si sospendono (solo fuori da una transazione già aperta) e si
    # verifica la tabella intera prima del commit.
    sospesi = (
        connection.vendor == "sqlite"
        and not connection.in_atomic_block
        and connection.disable_constraint_checking()
    )
    try:
        with transaction.atomic():
            _alloggi_scrivi(nuovi, cambiati, colonne_aggiornate)
            if sospesi:
                connection.check_constraints(table_names=[tabella])
    finally:
        if sospesi:
            connection.enable_constraint_checking()
    esito.scritto = True
    avanza(100, _("Importazione completata"))
    return esito


def _alloggi_scrivi(
    nuovi: list[tuple], cambiati: list[tuple], aggiornate: list[str]
) -> None:
    """Scrive le tuple: i nuovi con un INSERT semplice (l'anteprima ha già
    stabilito che non esistono; se nel frattempo qualcuno li ha creati il vincolo
    unico fa fallire tutto), i cambiati con un upsert sul codice."""
    riattiva = gc.isenabled()
    gc.disable()  # 166.000 tuple vive: le pause del GC costano più dell'INSERT
    try:
        with connection.cursor() as cursore:
            if connection.vendor == "postgresql":
                _scrivi_postgresql(cursore, nuovi, "")
                _scrivi_postgresql(cursore, cambiati, _upsert(aggiornate))
            elif connection.vendor == "sqlite":
                # Una cache di pagine ampia: gli indici (codice; ente, comune…)
                # ricevono 166.000 chiavi sparse e con 2 MB si rilegge il disco.
                cursore.execute("PRAGMA cache_size = -262144")
                try:
                    _scrivi_sqlite(cursore, nuovi, "")
                    _scrivi_sqlite(cursore, cambiati, _upsert(aggiornate))
                finally:
                    cursore.execute("PRAGMA cache_size = -2000")
            else:
                Alloggio.objects.bulk_create(
                    [
                        Alloggio(**dict(zip(COLONNE_ALLOGGIO, r, strict=True)))
                        for r in nuovi + cambiati
                    ],
                    batch_size=1000,
                    update_conflicts=True,
                    unique_fields=["codice"],
                    update_fields=[c.removesuffix("_id") for c in aggiornate],
                )
    finally:
        if riattiva:
            gc.enable()


def _upsert(aggiornate: list[str]) -> str:
    aggiorna = ", ".join(f"{c} = EXCLUDED.{c}" for c in aggiornate)
    return f" ON CONFLICT (codice) DO UPDATE SET {aggiorna}"


def _scrivi_postgresql(cursore, righe: list[tuple], conflitto: str) -> None:
    if not righe:
        return
    tabella = Alloggio._meta.db_table
    colonne = ", ".join(COLONNE_ALLOGGIO)
    # Dentro una transazione più esterna ON COMMIT DROP non basta: si toglie.
    cursore.execute("DROP TABLE IF EXISTS _alloggi_import")
    cursore.execute(
        f"CREATE TEMP TABLE _alloggi_import ON COMMIT DROP AS "
        f"SELECT {colonne} FROM {tabella} WITH NO DATA"
    )
    with cursore.cursor.copy(f"COPY _alloggi_import ({colonne}) FROM STDIN") as copia:
        for riga in righe:
            copia.write_row(riga)
    cursore.execute(
        f"INSERT INTO {tabella} ({colonne}) SELECT {colonne} FROM _alloggi_import"
        + conflitto
    )
    cursore.execute("DROP TABLE _alloggi_import")


def _scrivi_sqlite(cursore, righe: list[tuple], conflitto: str) -> None:
    if not righe:
        return
    tabella = Alloggio._meta.db_table
    colonne = ", ".join(COLONNE_ALLOGGIO)
    segnaposto = ", ".join(["%s"] * len(COLONNE_ALLOGGIO))
    cursore.executemany(
        f"INSERT INTO {tabella} ({colonne}) VALUES ({segnaposto})" + conflitto,
        righe,  # Decimal e date: gli adattatori registrati da Django
    )


# --- tabelle per ente di un piano -----------------------------------------------------

CAMPI_COMUNICAZIONE = [c.chiave for c in CAMPI_ENTI if c.chiave != "ente"]


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


# --- storico delle importazioni -------------------------------------------------------


def sha256_file(percorso: str | Path) -> str:
    impronta = hashlib.sha256()
    with open(percorso, "rb") as handle:
        while blocco := handle.read(2**20):
            impronta.update(blocco)
    return impronta.hexdigest()


def importazione_crea(
    *,
    tipo: str,
    file,
    utente=None,
    piano=None,
    data_riferimento: date | None = None,
) -> Importazione:
    """Registra un file caricato (lo conserva per la conferma e per il lavoro in
    background) con la sua impronta SHA-256."""
    impronta = hashlib.sha256()
    for blocco in file.chunks():
        impronta.update(blocco)
    importazione = Importazione(
        tipo=tipo,
        utente=utente if utente is not None and utente.is_authenticated else None,
        nome_file=Path(file.name).name[:255],
        sha256=impronta.hexdigest(),
        dimensione=file.size or 0,
        piano=piano,
        data_riferimento=data_riferimento,
    )
    file.seek(0)
    importazione.file.save(Path(file.name).name, file, save=False)
    importazione.full_clean(exclude=["file"])
    importazione.save()
    return importazione


def importazione_esegui(*, importazione: Importazione, scrivi: bool = False) -> Esito:
    """Esegue anteprima o scrittura di un'importazione registrata e ne salva
    l'esito; l'avanzamento si aggiorna mentre lavora (lo legge la pagina)."""
    Importazione.objects.filter(pk=importazione.pk).update(
        stato=Importazione.Stato.IN_CORSO, scrittura=scrivi, progresso=0, fase=""
    )

    def avanza(percentuale: int, fase: str) -> None:
        Importazione.objects.filter(pk=importazione.pk).update(
            progresso=percentuale, fase=str(fase)[:120]
        )

    with _file_locale(importazione) as percorso:
        return _importazione_esegui(importazione, percorso, scrivi, avanza)


@contextmanager
def _file_locale(importazione: Importazione):
    """Il percorso del file caricato; con uno storage remoto (S3) una copia
    temporanea, perché calamine e zipfile leggono da disco."""
    try:
        locale = Path(importazione.file.path)
    except NotImplementedError:
        locale = None
    if locale is not None:
        yield locale
        return
    suffisso = Path(importazione.nome_file).suffix
    with tempfile.NamedTemporaryFile(suffix=suffisso) as copia:
        with importazione.file.open("rb") as sorgente:
            shutil.copyfileobj(sorgente, copia)
        copia.flush()
        yield Path(copia.name)


# The imports that write a plan's data live with the plan (piani), which registers
# them at start-up: patrimonio does not import the app above it.
_IMPORTATORI_PIANO: dict[str, Callable[..., Esito]] = {}


def importatore_piano_registra(tipo: str, funzione: Callable[..., Esito]) -> None:
    """``piani`` registers the per-ente tables import (``tipo`` «enti»)."""
    _IMPORTATORI_PIANO[tipo] = funzione


def _importazione_esegui(
    importazione: Importazione, percorso: Path, scrivi: bool, avanza: Progresso
) -> Esito:
    comuni = {
        "percorso": percorso,
        "nome_file": importazione.nome_file,
        "scrivi": scrivi,
        "mappatura": None,
        "progresso": avanza,
    }
    try:
        if importazione.tipo == Importazione.Tipo.ALLOGGI:
            esito = alloggi_importa(**comuni)
        elif importazione.tipo == Importazione.Tipo.ENTI:
            esito = _fuori_ambito(importazione) or _IMPORTATORI_PIANO["enti"](
                piano=importazione.piano, **comuni
            )
        else:
            esito = popolazione_importa(
                data=importazione.data_riferimento,
                comuni_ammessi=_comuni_ammessi(importazione.utente),
                **comuni,
            )
    except Exception:
        Importazione.objects.filter(pk=importazione.pk).update(
            stato=Importazione.Stato.FALLITA,
            conclusa_il=timezone.now(),
            errori=[
                _(
                    "Errore imprevisto durante l'importazione: nessun dato è stato "
                    "scritto. Avvisare l'assistenza."
                )
            ],
        )
        raise
    _esito_salva(importazione, esito)
    importazione.refresh_from_db()
    return esito


def _comuni_ammessi(utente) -> set[int] | None:
    """The comuni a non-administrator may import population for: those of the
    ambiti they manage (None = no limit)."""
    if utente is None or utente.is_superuser:
        return None
    return set(
        Comune.objects.filter(
            appartenenze__ambito__in=ambiti_modificabili(utente)
        ).values_list("pk", flat=True)
    )


def _fuori_ambito(importazione: Importazione) -> Esito | None:
    """A plan's tables uploaded by staff go only into their ambito's plans."""
    utente, piano = importazione.utente, importazione.piano
    if utente is None or utente.is_superuser or piano is None:
        return None
    if ambiti_modificabili(utente).filter(pk=piano.ambito_id).exists():
        return None
    esito = Esito(tipo=Importazione.Tipo.ENTI)
    esito.errori.append(_("Il piano non appartiene a un ambito che gestisci."))
    return esito


MAX_MESSAGGI_SALVATI = 10_000


def _al_massimo(messaggi: list[str]) -> list[str]:
    """Un file tutto sbagliato darebbe 166.000 messaggi: la pagina ne mostra
    10.000 e dice quanti altri ce ne sono (il comando li stampa tutti)."""
    if len(messaggi) <= MAX_MESSAGGI_SALVATI:
        return messaggi
    altri = len(messaggi) - MAX_MESSAGGI_SALVATI
    return [
        *messaggi[:MAX_MESSAGGI_SALVATI],
        _(
            "… e altri %s messaggi: l'elenco completo si ottiene dal comando "
            "di importazione con l'opzione --anteprima."
        )
        % altri,
    ]


def _esito_salva(importazione: Importazione, esito: Esito) -> None:
    if esito.errori:
        stato = Importazione.Stato.RIFIUTATA
    elif esito.scritto:
        stato = Importazione.Stato.COMPLETATA
    else:
        stato = Importazione.Stato.ANTEPRIMA
    Importazione.objects.filter(pk=importazione.pk).update(
        stato=stato,
        progresso=100,
        conclusa_il=timezone.now(),
        righe=esito.righe,
        creati=esito.creati,
        modificati=esito.modificati,
        invariati=esito.invariati,
        mancanti=esito.mancanti,
        righe_errate=esito.righe_errate,
        errori=_al_massimo(esito.errori),
        avvisi=_al_massimo(esito.avvisi),
        colonne_sconosciute=esito.colonne_sconosciute,
        mappatura=esito.mappatura,
        esempi=esito.esempi,
    )


def importazione_registra(
    *,
    tipo: str,
    percorso: str | Path,
    esito: Esito,
    piano=None,
    data_riferimento: date | None = None,
) -> Importazione:
    """Storico di un'importazione fatta da riga di comando (senza utente né copia
    del file: il file resta dove l'ha messo chi ha lanciato il comando)."""
    percorso = Path(percorso)
    importazione = Importazione.objects.create(
        tipo=tipo,
        nome_file=percorso.name[:255],
        sha256=sha256_file(percorso) if percorso.is_file() else "",
        dimensione=percorso.stat().st_size if percorso.is_file() else 0,
        piano=piano,
        data_riferimento=data_riferimento,
        scrittura=esito.scritto,
        conclusa_il=timezone.now(),
    )
    _esito_salva(importazione, esito)
    importazione.refresh_from_db()
    return importazione


# --- anagrafe → piano -----------------------------------------------------------------

CAMPI_REGISTRO = (
    "alloggi_totali",
    "alloggi_sas",
    "alloggi_sap",
    "alloggi_altro",
    "sap_liberi",
    "sap_carenze",
    "sap_ristrutturazione",
    "sap_occupati",
)
_STATO_CAMPO = {
    StatoAlloggio.LIBERO: "sap_liberi",
    StatoAlloggio.CARENZA: "sap_carenze",
    StatoAlloggio.RISTRUTTURAZIONE: "sap_ristrutturazione",
    StatoAlloggio.OCCUPATO: "sap_occupati",
}


@dataclass
class RigaRegistro:
    """Consistenza e stato del patrimonio SAP di un ente (o di un comune) secondo
    l'anagrafe, nei comuni dell'ambito del piano."""

    oggetto: Any
    valori: dict[str, int]

    @property
    def celle(self) -> list[int]:
        """I valori nell'ordine delle colonne (CAMPI_REGISTRO)."""
        return [self.valori[c] for c in CAMPI_REGISTRO]


@dataclass
class TabellaRegistro:
    per_ente: list[RigaRegistro]
    per_comune: list[RigaRegistro]


def _vuoti() -> dict[str, int]:
    return dict.fromkeys(CAMPI_REGISTRO, 0)


def registro_calcola(*, piano) -> TabellaRegistro:
    """Le tabelle a) e dello stato SAP calcolate dall'anagrafe, per ente e per
    comune, sugli alloggi nei comuni dell'ambito del piano. Le unità SAT si contano
    nel SAP (sono alloggi SAP destinati al servizio transitorio)."""
    conteggi = (
        Alloggio.objects.filter(comune__appartenenze__ambito=piano.ambito)
        .values_list("ente_id", "comune_id", "servizio", "stato")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_ente: dict[int, dict[str, int]] = defaultdict(_vuoti)
    per_comune: dict[int, dict[str, int]] = defaultdict(_vuoti)
    for ente_id, comune_id, servizio, stato, n in conteggi:
        for destinazione in (per_ente[ente_id], per_comune[comune_id]):
            destinazione["alloggi_totali"] += n
            if servizio in (Servizio.SAP, Servizio.SAT):
                destinazione["alloggi_sap"] += n
                destinazione[_STATO_CAMPO[stato]] += n
            elif servizio == Servizio.SAS:
                destinazione["alloggi_sas"] += n
            else:
                destinazione["alloggi_altro"] += n
    enti = EnteProprietario.objects.in_bulk(list(per_ente))
    comuni = Comune.objects.in_bulk(list(per_comune))
    return TabellaRegistro(
        per_ente=sorted(
            (RigaRegistro(enti[k], v) for k, v in per_ente.items()),
            key=lambda r: (-r.valori["alloggi_sap"], r.oggetto.denominazione),
        ),
        per_comune=sorted(
            (RigaRegistro(comuni[k], v) for k, v in per_comune.items()),
            key=lambda r: r.oggetto.nome,
        ),
    )
