"""Storico delle importazioni: il file caricato con la sua impronta, l'esecuzione
(anche in background, con l'avanzamento) e l'esito salvato."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ambiti.models import Comune
from ambiti.permessi import ambiti_modificabili
from patrimonio.models import Importazione

from .alloggi import alloggi_importa
from .esito import Esito, Progresso
from .popolazione import popolazione_importa


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
            esito = alloggi_importa(**comuni, utente=importazione.utente)
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


def importazioni_per(user):
    """The imports a user may see: all for administrators; for staff, those they
    uploaded and those into the plans of the ambiti they manage (another ambito's
    imports do not exist for them: 404)."""
    qs = Importazione.objects.select_related("utente", "piano__ambito")
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(utente=user) | Q(piano__ambito__in=ambiti_modificabili(user))
    ).exclude(tipo=Importazione.Tipo.ALLOGGI)
