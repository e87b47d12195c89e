"""Importazione dell'anagrafe del patrimonio (fino a 166.000 righe): righe
controllate con funzioni semplici (non ``full_clean`` per riga), scrittura di tuple
(executemany su SQLite, ``COPY`` in una tabella temporanea + ``INSERT … ON
CONFLICT`` su PostgreSQL)."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from ambiti.corrispondenze import Abbinatore
from ambiti.models import Comune
from patrimonio.models import Alloggio, EnteProprietario, Importazione

from .esito import MAX_ESEMPI, Esito, Progresso, _messaggio_riga, _nulla, _numero_riga
from .lettura import _converti_colonne, _leggi
from .schemi import CAMPI_ALLOGGI

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
