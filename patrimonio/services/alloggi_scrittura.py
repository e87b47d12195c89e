"""Scrittura dell'anagrafe: tuple ordinate per codice in una transazione
(executemany su SQLite, ``COPY`` in una tabella temporanea + ``INSERT … ON
CONFLICT`` su PostgreSQL), con il GC sospeso e le chiavi esterne verificate una
volta sulla tabella intera."""

from __future__ import annotations

import gc

from django.db import connection, transaction
from django.utils import timezone

from patrimonio.models import Alloggio

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


def _alloggi_salva(
    nuovi: list[tuple],
    cambiati: list[tuple],
    presenti: list[str],
    *,
    utente_id: int | None = None,
    motivo: str = "",
) -> None:
    """The new and changed rows, and the history of the changed ones, in one
    transaction; an unchanged file writes nothing (no transaction, no statement)."""
    if not nuovi and not cambiati:
        return
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
            _storia_scrivi([r[0] for r in cambiati], utente_id, motivo)
            if sospesi:
                connection.check_constraints(table_names=[tabella])
    finally:
        if sospesi:
            connection.enable_constraint_checking()


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


def _storia_scrivi(codici: list[str], utente_id: int | None, motivo: str) -> None:
    """One history record per changed alloggio, its new values copied by the
    database (INSERT … SELECT); new and unchanged rows get none: the
    Importazione records who loaded the file."""
    if not codici:
        return
    storia = Alloggio.history.model
    nome = connection.ops.quote_name
    colonne = ", ".join(nome(c.column) for c in Alloggio._meta.concrete_fields)
    sql = (
        f"INSERT INTO {nome(storia._meta.db_table)} ({colonne}, history_date, "
        "history_type, history_user_id, history_change_reason) "
        f"SELECT {colonne}, %s, '~', %s, %s FROM {nome(Alloggio._meta.db_table)} "
        "WHERE codice = %s"
    )
    adesso = timezone.now()
    with connection.cursor() as cursore:
        cursore.executemany(
            sql, [(adesso, utente_id, motivo[:100] or None, c) for c in codici]
        )
