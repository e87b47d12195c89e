"""The plan's PDF ready when asked.

The PDF is stored with a fingerprint (SHA-256) of everything that makes it: the
plan's data snapshot (``piano_istantanea``: every row, the acknowledgements
included), its state and revisions, the templates of the document and the code
that renders it. A download whose fingerprint matches the stored file is served
from storage; any other is rendered there and then, so a changed plan is never
served a stale PDF. After each save a background task (django-tasks) renders the
new PDF ahead of the next download; quick edits coalesce into one task, since a
task still waiting in the queue renders the data as they are when it runs.
"""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .models import PianoAnnuale, Transizione, VersioneApprovata
from .models_documento import DocumentoInCache

# A task waits this long before rendering: the edits made meanwhile join it.
RITARDO_COALESCENZA = timedelta(seconds=5)

_RADICE = Path(__file__).resolve().parent.parent
# What, besides the data, decides the PDF's bytes.
_SORGENTI = (
    "templates/piani/documento",
    "piani/documento.py",
    "piani/documento",  # the same code once it is a package (a missing path is skipped)
    "piani/documento_stato.py",
    "piani/documento_stampa.py",
    "piani/grafici.py",
    "piani/templatetags",
    "pianocasa/templatetags",
    "pianocasa/pdf.py",
    "pianocasa/formati.py",
)
_ESTENSIONI = {".py", ".html", ".css", ".md", ".txt"}


@cache
def impronta_del_codice() -> str:
    """SHA-256 of the document's templates and rendering code, and WeasyPrint's
    version (computed once per process: code changes mean a new process)."""
    import weasyprint

    h = hashlib.sha256(f"weasyprint {weasyprint.__version__}\n".encode())
    for sorgente in _SORGENTI:
        percorso = _RADICE / sorgente
        file = sorted(percorso.rglob("*")) if percorso.is_dir() else [percorso]
        for f in file:
            if f.is_file() and f.suffix in _ESTENSIONI:
                h.update(str(f.relative_to(_RADICE)).encode() + b"\0")
                h.update(f.read_bytes())
    return h.hexdigest()


def documento_impronta(*, piano: PianoAnnuale) -> str:
    """Fingerprint of everything that makes the plan's PDF."""
    from .ciclo import piano_istantanea  # ciclo imports the document

    h = hashlib.sha256(impronta_del_codice().encode())
    h.update(piano_istantanea(piano))
    # Printed but not in the snapshot: the revisions' reasons and who acknowledged.
    h.update(
        repr(
            list(
                VersioneApprovata.objects.filter(piano=piano).values_list(
                    "pk", "revisione", "motivo_revisione", "data_seduta"
                )
            )
            + list(Transizione.objects.filter(piano=piano).values_list("pk", "a_stato"))
            + list(
                piano.riscontri.values_list(
                    "utente__first_name", "utente__last_name", "utente__username"
                )
            )
        ).encode()
    )
    return h.hexdigest()


def _leggi(nome: str) -> bytes | None:
    try:
        with default_storage.open(nome, "rb") as f:
            return f.read()
    except (FileNotFoundError, OSError):
        return None


def _genera(piano: PianoAnnuale, impronta: str) -> bytes:
    """Render, store with its fingerprint, and return the PDF."""
    from .documento import documento_pdf

    iniziato_il = timezone.now()
    inizio = time.perf_counter()
    pdf = documento_pdf(piano)
    durata = int((time.perf_counter() - inizio) * 1000)
    voce, _ = DocumentoInCache.objects.get_or_create(piano=piano)
    # A request made after this render began is still waiting for its task.
    ancora_in_coda = (
        voce.stato == DocumentoInCache.Stato.IN_CODA
        and voce.richiesto_il is not None
        and voce.richiesto_il > iniziato_il
    )
    vecchio = voce.pdf.name
    voce.pdf.save(f"{impronta}.pdf", ContentFile(pdf), save=False)
    voce.impronta = impronta
    voce.generato_il = timezone.now()
    voce.durata_ms = durata
    voce.errore = ""
    if not ancora_in_coda:
        voce.stato = DocumentoInCache.Stato.PRONTO
    voce.save()
    if vecchio and vecchio != voce.pdf.name:
        default_storage.delete(vecchio)
    return pdf


def documento_pdf_pronto(*, piano: PianoAnnuale) -> bytes:
    """The plan's PDF: from storage when nothing that makes it changed, otherwise
    rendered now (and stored for the next download)."""
    impronta = documento_impronta(piano=piano)
    voce = DocumentoInCache.objects.filter(piano=piano).first()
    if voce is not None and voce.impronta == impronta and voce.pdf:
        contenuto = _leggi(voce.pdf.name)
        if contenuto is not None:
            return contenuto
    return _genera(piano, impronta)


def documento_rigenera(*, piano_id: int) -> str:
    """The background task's work: bring the stored PDF up to date."""
    from .documento_stato import documento_approvato

    piano = PianoAnnuale.objects.filter(pk=piano_id).first()
    if piano is None:
        return "assente"
    if documento_approvato(piano):
        # The approved revision is served from its stored version, never rendered.
        DocumentoInCache.objects.filter(piano=piano).update(
            stato=DocumentoInCache.Stato.PRONTO
        )
        return DocumentoInCache.Stato.PRONTO
    DocumentoInCache.objects.filter(piano=piano).update(
        stato=DocumentoInCache.Stato.IN_CORSO
    )
    try:
        impronta = documento_impronta(piano=piano)
        voce = DocumentoInCache.objects.get(piano=piano)
        if voce.impronta != impronta or not voce.pdf or not _leggi(voce.pdf.name):
            _genera(piano, impronta)
        else:
            DocumentoInCache.objects.filter(
                pk=voce.pk, stato=DocumentoInCache.Stato.IN_CORSO
            ).update(stato=DocumentoInCache.Stato.PRONTO)
    except Exception as errore:
        DocumentoInCache.objects.filter(piano=piano).update(
            stato=DocumentoInCache.Stato.ERRORE, errore=str(errore)[:2000]
        )
        raise
    return DocumentoInCache.objects.get(piano=piano).stato


def documento_richiedi(*, piano_id: int) -> bool:
    """Queue the re-rendering of the plan's PDF, unless a task is already waiting
    (it will render the latest data). True when a task was queued."""
    from .tasks import documento_in_background

    adesso = timezone.now()
    if not PianoAnnuale.objects.filter(pk=piano_id).exists():
        return False
    with transaction.atomic():
        voce, creata = DocumentoInCache.objects.select_for_update().get_or_create(
            piano_id=piano_id, defaults={"richiesto_il": adesso}
        )
        if not creata and voce.stato == DocumentoInCache.Stato.IN_CODA:
            return False
        voce.stato = DocumentoInCache.Stato.IN_CODA
        voce.richiesto_il = adesso
        voce.save(update_fields=["stato", "richiesto_il"])
    compito = documento_in_background
    if compito.get_backend().supports_defer:
        compito = compito.using(run_after=adesso + RITARDO_COALESCENZA)
    compito.enqueue(piano_id)
    return True


def documento_dopo_modifica(piano_id: int | None) -> None:
    """Called on every save of the plan's data: once the transaction commits, the
    PDF is queued for re-rendering (off in tests unless a test turns it on)."""
    if not piano_id or not getattr(settings, "PIANOCASA_DOCUMENTO_IN_BACKGROUND", True):
        return
    connessione = transaction.get_connection()
    if connessione.in_atomic_block:
        # One request per plan per transaction, however many rows it saves (an
        # import): Django starts a new callback list after a commit or rollback.
        lista = connessione.run_on_commit
        attesa = getattr(connessione, "_pianocasa_documenti", None)
        if attesa is None or attesa[0] is not lista:
            attesa = (lista, set())
            connessione._pianocasa_documenti = attesa
        if piano_id in attesa[1]:
            return
        attesa[1].add(piano_id)
    transaction.on_commit(lambda: documento_richiedi(piano_id=piano_id))
