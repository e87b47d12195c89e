"""The plan's PDF ready when asked: stored with the fingerprint of what makes it,
served again while nothing changed, rendered in background after a save (quick
edits coalesce), never stale."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from piani import documento
from piani.documento_cache import (
    documento_impronta,
    documento_pdf_pronto,
    documento_richiedi,
)
from piani.models import DocumentoInCache, Sezione
from tests.piani.test_ciclo import media_tmp  # noqa: F401


@pytest.fixture
def rese(monkeypatch):
    """Counts the real renders (the renderer still runs)."""
    chiamate = []
    originale = documento.documento_pdf

    def conta(piano):
        chiamate.append(piano.pk)
        return originale(piano)

    monkeypatch.setattr(documento, "documento_pdf", conta)
    return chiamate


def _testo(contenuto: bytes) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(contenuto)).pages)


def _premessa(piano) -> Sezione:
    return piano.sezioni.get(chiave="premessa")


def test_the_second_download_of_an_unchanged_plan_does_not_render(
    client_staff_a,
    piano_a,
    rese,
    media_tmp,  # noqa: F811
):
    url = reverse("piani:piano_pdf", args=[piano_a.pk])
    prima = client_staff_a.get(url)
    assert prima.status_code == 200
    assert rese == [piano_a.pk]
    seconda = client_staff_a.get(url)
    assert seconda.status_code == 200
    assert rese == [piano_a.pk]  # served from storage
    assert seconda.content == prima.content
    voce = DocumentoInCache.objects.get(piano=piano_a)
    assert voce.impronta == documento_impronta(piano=piano_a)
    assert voce.stato == DocumentoInCache.Stato.PRONTO


def test_a_changed_plan_is_never_served_a_stale_pdf(
    client_staff_a,
    piano_a,
    rese,
    media_tmp,  # noqa: F811
):
    url = reverse("piani:piano_pdf", args=[piano_a.pk])
    vecchio = client_staff_a.get(url).content
    assert "Frase aggiunta dopo il primo download" not in _testo(vecchio)
    premessa = _premessa(piano_a)
    premessa.testo += "\n\nFrase aggiunta dopo il primo download."
    premessa.save()  # no background task in tests: the download renders it
    nuovo = client_staff_a.get(url).content
    assert len(rese) == 2
    assert "Frase aggiunta dopo il primo download" in _testo(nuovo)
    # The old file is gone from storage; only the current one is kept.
    voce = DocumentoInCache.objects.get(piano=piano_a)
    assert voce.pdf.name.endswith(f"{documento_impronta(piano=piano_a)}.pdf")


def test_a_save_renders_the_pdf_in_background_before_the_download(
    client_staff_a,
    piano_a,
    rese,
    settings,
    django_capture_on_commit_callbacks,
    media_tmp,  # noqa: F811
):
    settings.PIANOCASA_DOCUMENTO_IN_BACKGROUND = True
    with django_capture_on_commit_callbacks(execute=True):
        premessa = _premessa(piano_a)
        premessa.testo += "\n\nFrase scritta prima del download."
        premessa.save()
    # The immediate backend of the tests ran the task at commit.
    assert rese == [piano_a.pk]
    voce = DocumentoInCache.objects.get(piano=piano_a)
    assert voce.stato == DocumentoInCache.Stato.PRONTO
    risposta = client_staff_a.get(reverse("piani:piano_pdf", args=[piano_a.pk]))
    assert rese == [piano_a.pk]  # ready: not rendered again
    assert "Frase scritta prima del download" in _testo(risposta.content)


def test_quick_edits_coalesce_into_one_queued_task(piano_a, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default"],
        }
    }
    assert documento_richiedi(piano_id=piano_a.pk) is True
    for _ in range(3):
        assert documento_richiedi(piano_id=piano_a.pk) is False
    compiti = DBTaskResult.objects.filter(task_path__endswith="documento_in_background")
    assert compiti.count() == 1
    # It waits a few seconds, so that the edits made meanwhile join it.
    compito = compiti.get()
    assert compito.run_after is not None and compito.run_after > compito.enqueued_at
    assert (
        DocumentoInCache.objects.get(piano=piano_a).stato
        == DocumentoInCache.Stato.IN_CODA
    )


def test_the_plan_page_shows_where_the_pdf_stands(
    client_staff_a,
    piano_a,
    media_tmp,  # noqa: F811
):
    url = reverse("piani:piano_detail", args=[piano_a.pk])
    assert "sarà generato alla prima richiesta" in client_staff_a.get(url).text
    DocumentoInCache.objects.create(piano=piano_a)
    assert "il nuovo PDF è in preparazione" in client_staff_a.get(url).text
    documento_pdf_pronto(piano=piano_a)
    pagina = client_staff_a.get(url).text
    assert "Documento PDF:" in pagina
    assert "pronto (generato il" in pagina


def test_the_fingerprint_changes_with_the_state_and_the_acknowledgements(
    piano_a, staff_a
):
    from piani.models import RiscontroAnomalia

    prima = documento_impronta(piano=piano_a)
    assert documento_impronta(piano=piano_a) == prima
    RiscontroAnomalia.objects.create(
        piano=piano_a,
        codice="prova",
        oggetto="prova",
        motivazione="Motivo di prova.",
        utente=staff_a,
    )
    assert documento_impronta(piano=piano_a) != prima


def test_many_saves_in_one_transaction_make_one_request(
    piano_a, settings, django_capture_on_commit_callbacks
):
    settings.PIANOCASA_DOCUMENTO_IN_BACKGROUND = True
    with django_capture_on_commit_callbacks() as richieste:
        for c in piano_a.comunicazioni.all()[:5]:
            c.save()
        piano_a.save()
    assert len(richieste) == 1
