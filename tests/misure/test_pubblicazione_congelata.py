"""A published graduatoria is frozen: its rows, PDF and XLSX are stored with
their SHA-256 at publication; a later change of a domanda does not change what
citizens see; a correction is a new publication with a written reason; the
files are served as stored, with their hash as ETag."""

import hashlib
import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from misure import services
from misure.models import Domanda, GraduatoriaPubblicata

from .factories import bando_con_graduatoria


@pytest.fixture
def bando(ambito_a):
    return bando_con_graduatoria(ambito_a, "Bando congelato")


def _url(bando, nome):
    return reverse(f"misure:{nome}", args=[bando.ambito.slug, bando.pk])


def _contenuto(risposta) -> bytes:
    return b"".join(risposta.streaming_content)


def test_publication_freezes_rows_pdf_and_xlsx_with_their_hashes(bando, staff_a):
    services.graduatoria_pubblica_imposta(bando=bando, utente=staff_a, pubblica=True)
    pubblicazione = GraduatoriaPubblicata.objects.get(bando=bando)
    assert len(pubblicazione.righe) == 3
    with pubblicazione.pdf.open("rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == pubblicazione.sha256_pdf
    anonimo = Client()
    risposta = anonimo.get(_url(bando, "graduatoria_pubblica_pdf"))
    assert risposta["ETag"] == f'"{pubblicazione.sha256_pdf}"'
    assert "public" in risposta["Cache-Control"]
    pdf = _contenuto(risposta)
    assert hashlib.sha256(pdf).hexdigest() == pubblicazione.sha256_pdf
    testo = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "00001/2026" in testo
    di_nuovo = anonimo.get(
        _url(bando, "graduatoria_pubblica_pdf"), HTTP_IF_NONE_MATCH=risposta["ETag"]
    )
    assert di_nuovo.status_code == 304


def test_a_changed_domanda_does_not_change_the_published_graduatoria(bando, staff_a):
    services.graduatoria_pubblica_imposta(bando=bando, utente=staff_a, pubblica=True)
    anonimo = Client()
    pagina = anonimo.get(_url(bando, "graduatoria_pubblica")).content.decode()
    pdf_prima = _contenuto(anonimo.get(_url(bando, "graduatoria_pubblica_pdf")))
    assert "00001/2026" in pagina
    # Staff correct a protocol number afterwards (no new publication).
    Domanda.objects.filter(bando=bando, protocollo="00001/2026").update(
        protocollo="99999/2026"
    )
    dopo = anonimo.get(_url(bando, "graduatoria_pubblica")).content.decode()
    assert "00001/2026" in dopo and "99999/2026" not in dopo
    assert _contenuto(anonimo.get(_url(bando, "graduatoria_pubblica_pdf"))) == (
        pdf_prima
    )


def test_a_new_publication_needs_a_reason(bando, staff_a, client_staff_a):
    services.graduatoria_pubblica_imposta(bando=bando, utente=staff_a, pubblica=True)
    Domanda.objects.filter(bando=bando, protocollo="00001/2026").update(
        protocollo="99999/2026"
    )
    url = reverse("misure:graduatoria_pubblicazione", args=[bando.pk])
    risposta = client_staff_a.post(url, {"pubblica": "1"}, follow=True)
    assert "va motivata" in risposta.content.decode()
    assert GraduatoriaPubblicata.objects.filter(bando=bando).count() == 1
    client_staff_a.post(
        url, {"pubblica": "1", "motivo": "Protocollo corretto su segnalazione"}
    )
    pubblicazioni = list(
        GraduatoriaPubblicata.objects.filter(bando=bando).order_by("pubblicata_il")
    )
    assert len(pubblicazioni) == 2
    assert pubblicazioni[1].motivo == "Protocollo corretto su segnalazione"
    assert pubblicazioni[0].sha256 != pubblicazioni[1].sha256
    pagina = Client().get(_url(bando, "graduatoria_pubblica")).content.decode()
    assert "99999/2026" in pagina


def test_staff_get_the_stored_pdf_while_the_graduatoria_is_as_published(
    bando, staff_a, client_staff_a
):
    services.graduatoria_pubblica_imposta(bando=bando, utente=staff_a, pubblica=True)
    pubblicazione = GraduatoriaPubblicata.objects.get(bando=bando)
    url = reverse("misure:graduatoria_pdf", args=[bando.pk])
    risposta = client_staff_a.get(url)
    assert risposta["X-Content-SHA256"] == pubblicazione.sha256_pdf
    assert risposta["Content-Disposition"].startswith("attachment;")
    assert hashlib.sha256(_contenuto(risposta)).hexdigest() == pubblicazione.sha256_pdf
    # A corrected protocol: the staff's PDF shows today's rows, rendered now.
    Domanda.objects.filter(bando=bando, protocollo="00001/2026").update(
        protocollo="99999/2026"
    )
    risposta = client_staff_a.get(url)
    assert "X-Content-SHA256" not in risposta
    testo = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(risposta.content)).pages
    )
    assert "99999/2026" in testo and "00001/2026" not in testo
