"""``manage.py piano_pdf``: writes the plan's PDF or HTML; unknown ambito or year
give a clear Italian message and a non-zero exit."""

import contextlib
import io

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from tests.conftest import SLUG_A, SLUG_B
from tests.piani.test_documento_cifre import leggi_html, leggi_pdf

pytestmark = pytest.mark.django_db


def test_it_writes_the_pdf(tmp_path, piano_b):
    uscita = tmp_path / "piano.pdf"
    stdout = io.StringIO()

    call_command("piano_pdf", SLUG_B, "2025", output=str(uscita), stdout=stdout)

    contenuto = uscita.read_bytes()
    assert contenuto.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(contenuto)).pages) > 3
    assert "95.567" in leggi_pdf(contenuto)
    assert str(uscita) in stdout.getvalue()


def test_it_writes_the_html_preview(tmp_path, piano_a):
    uscita = tmp_path / "piano.html"

    call_command(
        "piano_pdf", SLUG_A, "2026", output=str(uscita), formato="html", verbosity=0
    )

    testo = leggi_html(uscita.read_text(encoding="utf-8"))
    assert "Totale 253 0 249 4" in testo


def test_an_unknown_ambito_is_refused_in_italian(tmp_path, db):
    uscita = tmp_path / "x.pdf"
    with pytest.raises(
        CommandError, match="Nessun ambito con identificativo «nessuno»"
    ):
        call_command("piano_pdf", "nessuno", "2026", output=str(uscita))
    assert not uscita.exists()


def test_an_unknown_year_is_refused_in_italian(tmp_path, piano_a):
    uscita = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="non ha un piano per l'anno 1999") as errore:
        call_command("piano_pdf", SLUG_A, "1999", output=str(uscita))
    assert "Anni disponibili: 2026" in str(errore.value)
    assert not uscita.exists()


def test_the_errors_exit_non_zero_with_the_message_on_stderr(tmp_path, db):
    # The command line path: BaseCommand.run_from_argv turns CommandError into
    # a message on stderr and exit status 1.
    utilita = ManagementUtility(
        ["manage.py", "piano_pdf", "nessuno", "2026", "-o", "x"]
    )
    errori = io.StringIO()
    with contextlib.redirect_stderr(errori), pytest.raises(SystemExit) as uscita:
        utilita.execute()
    assert uscita.value.code == 1
    assert "Nessun ambito con identificativo «nessuno»" in errori.getvalue()
