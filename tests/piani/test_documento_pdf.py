"""The plan as a PDF: A4, metadata, tags, sommario with page numbers, footer, the
"BOZZA" watermark until the plan is approved, nothing fetched from the network."""

import io
import re
import socket

import pytest
from pypdf import PdfReader

from piani.documento import documento_pdf
from piani.models import PianoAnnuale, RiscontroAnomalia
from pianocasa import pdf
from tests.conftest import SLUG_A
from tests.piani.test_documento_cifre import leggi_pdf

A4_PUNTI = (595.28, 841.89)


@pytest.fixture(scope="module")
def pdf_a(django_db_setup, django_db_blocker) -> bytes:
    with django_db_blocker.unblock():
        piano = PianoAnnuale.objects.get(ambito__slug=SLUG_A, anno=2026)
        return documento_pdf(piano)


def _pagine(contenuto: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(contenuto)).pages]


def test_it_is_an_a4_pdf_with_a_footer_on_every_page_but_the_cover(pdf_a):
    lettore = PdfReader(io.BytesIO(pdf_a))
    n = len(lettore.pages)
    assert n > 5
    for pagina in lettore.pages:
        larghezza, altezza = (float(x) for x in pagina.mediabox.upper_right)
        assert (round(larghezza, 0), round(altezza, 0)) == (
            round(A4_PUNTI[0]),
            round(A4_PUNTI[1]),
        )
    pagine = _pagine(pdf_a)
    assert "Pagina 1 di" not in pagine[0]
    for numero, testo in enumerate(pagine[1:], start=2):
        assert f"Pagina {numero} di {n}" in testo


def test_metadata_title_author_language_and_tags(pdf_a):
    lettore = PdfReader(io.BytesIO(pdf_a))
    assert lettore.metadata.title == (
        "Piano Annuale dell'Offerta Abitativa 2026 – Ambito 9 – Valle Seriana "
        "Superiore e Valle di Scalve"
    )
    assert "Comune di Clusone" in lettore.metadata.author
    catalogo = lettore.trailer["/Root"]
    assert catalogo["/Lang"] == "it-IT"
    # Tagged PDF: marked content and a structure tree for screen readers.
    assert catalogo["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalogo


def test_the_sommario_gives_the_page_of_each_heading(pdf_a):
    pagine = _pagine(pdf_a)
    sommario = re.sub(r"\s+", " ", pagine[1])
    assert "SOMMARIO" in sommario
    voci = {
        "Premessa": "Premessa",
        "2. Piano annuale dell'offerta abitativa": "2. Piano annuale dell'offerta",
        "a) La consistenza aggiornata del patrimonio abitativo pubblico e sociale": (
            "a) La consistenza aggiornata"
        ),
        "3. Strategie a sostegno dell'emergenza abitativa": "3. Strategie a sostegno",
        "4. Piano Annuale 2026 alloggi temporanei": "4. Piano Annuale 2026 alloggi",
    }
    numeri = []
    for voce, titolo in voci.items():
        trovato = re.search(re.escape(voce) + r"[ .]*?(\d+) ", sommario + " ")
        assert trovato, voce
        numero = int(trovato.group(1))
        numeri.append(numero)
        assert 2 < numero <= len(pagine)
        # The heading is on that page (the sommario itself is page 2).
        assert titolo in re.sub(r"\s+", " ", pagine[numero - 1]), voce
    assert numeri == sorted(numeri)


def test_a_draft_has_a_bozza_watermark_on_every_page(pdf_a, db):
    pytest.importorskip("piani.anomalie")
    from piani.anomalie import anomalie_aperte

    piano = PianoAnnuale.objects.get(ambito__slug=SLUG_A, anno=2026)
    assert anomalie_aperte(piano), "seed 000 has open anomalie"
    for testo in _pagine(pdf_a):
        assert "BOZZA" in testo


def test_acknowledged_anomalie_do_not_remove_the_watermark(piano_a, admin_user):
    """The status comes from the plan's state: a draft with every anomalia
    acknowledged is still a draft (the annex lists the acknowledgements)."""
    pytest.importorskip("piani.anomalie")
    from piani.anomalie import anomalie_aperte

    for anomalia in anomalie_aperte(piano_a):
        RiscontroAnomalia.objects.create(
            piano=piano_a,
            codice=anomalia.codice,
            oggetto=anomalia.oggetto,
            motivazione="Verificato con l'ente: il dato è corretto.",
            utente=admin_user,
        )
    assert anomalie_aperte(piano_a) == []

    contenuto = documento_pdf(piano_a)
    testo = leggi_pdf(contenuto)

    assert all("BOZZA" in t for t in _pagine(contenuto))
    assert "Totale 253 0 249 4" in testo
    assert "Verificato con l'ente: il dato è corretto." in testo


def test_the_revision_number_is_printed_once_there_is_one(piano_b):
    assert "Revisione n." not in leggi_pdf(documento_pdf(piano_b))
    piano_b.revisione = 2
    piano_b.save()
    assert "Revisione n. 2" in leggi_pdf(documento_pdf(piano_b))


def test_rendering_opens_no_network_connection(piano_a, monkeypatch):
    def vietato(*args, **kwargs):
        raise AssertionError("il documento ha tentato una connessione di rete")

    monkeypatch.setattr(socket, "create_connection", vietato)
    monkeypatch.setattr(socket.socket, "connect", vietato)

    assert documento_pdf(piano_a).startswith(b"%PDF")


def test_the_url_fetcher_refuses_network_urls():
    fetcher = pdf._url_fetcher()
    for url in ("http://esempio.invalid/a.css", "https://esempio.invalid/f.woff2"):
        with pytest.raises(ValueError):
            fetcher(url)
