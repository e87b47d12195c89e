"""`manage.py verifica_piani`: every stored hash recomputed, non-zero exit on any
mismatch or missing file."""

from datetime import date
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from piani import ciclo
from tests.piani.test_ciclo import media_tmp, pdf_finto, riscontra_tutte  # noqa: F401


def _verifica() -> str:
    uscita = StringIO()
    call_command("verifica_piani", stdout=uscita)
    return uscita.getvalue()


def _approva_seed(piano, utente, renderer=pdf_finto):
    riscontra_tutte(piano, utente)
    return ciclo.piano_approva(
        piano=piano,
        utente=utente,
        organo="Assemblea distrettuale dei Sindaci",
        data=date(2025, 4, 29),
        luogo="Albino",
        renderer=renderer,
    )


def test_it_reports_no_mismatch_on_the_approved_seed_plans(
    piano_a,
    piano_b,
    staff_a,
    staff_b,
    media_tmp,  # noqa: F811
):
    from piani.documento import documento_pdf

    v_a = _approva_seed(piano_a, staff_a, renderer=documento_pdf)
    v_b = _approva_seed(piano_b, staff_b)
    testo = _verifica()
    righe = [r for r in testo.splitlines() if r.startswith("OK")]
    assert len(righe) == 4  # a PDF and a snapshot per approved plan
    assert any(v_a.pdf.name in r for r in righe)
    assert any(v_b.istantanea.name in r for r in righe)
    assert "4 file verificati: nessuna differenza." in testo


def test_it_exits_non_zero_when_a_stored_file_is_altered(
    piano_a,
    staff_a,
    media_tmp,  # noqa: F811
):
    versione = _approva_seed(piano_a, staff_a)
    _verifica()  # intact: no error
    percorso = media_tmp / versione.pdf.name
    assert percorso.read_bytes().startswith(b"%PDF")
    percorso.write_bytes(percorso.read_bytes().replace(b"rev1", b"rev9"))
    uscita = StringIO()
    with pytest.raises(CommandError, match="1 file su 2"):
        call_command("verifica_piani", stdout=uscita)
    assert "ALTERATO  valle-seriana-superiore 2026 rev1 pdf" in uscita.getvalue()


def test_it_exits_non_zero_when_a_stored_file_is_missing(
    piano_a,
    staff_a,
    media_tmp,  # noqa: F811
):
    versione = _approva_seed(piano_a, staff_a)
    default_storage.delete(versione.istantanea.name)
    uscita = StringIO()
    with pytest.raises(CommandError):
        call_command("verifica_piani", stdout=uscita)
    assert "MANCANTE" in uscita.getvalue()
    assert "OK        valle-seriana-superiore 2026 rev1 pdf" in uscita.getvalue()


def test_the_command_exits_with_status_1(piano_a, staff_a, media_tmp):  # noqa: F811
    versione = _approva_seed(piano_a, staff_a)
    (media_tmp / versione.pdf.name).write_bytes(b"altro")
    with pytest.raises(SystemExit) as uscita:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "verifica_piani"]).execute()
    assert uscita.value.code == 1
