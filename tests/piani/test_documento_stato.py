"""The plan document tells its status from the plan's state only, ends with the
annex of anomalie, and is a tagged (draft) or PDF/A (approved) document: read back
with pypdf, pikepdf and pdftotext."""

import io
import re
import shutil
import subprocess
from datetime import date

import pikepdf
import pytest
from pypdf import PdfReader

from piani import ciclo
from piani.documento import documento_html, documento_pdf
from piani.documento_stampa import titoli_in_ordine
from piani.models import PianoAnnuale
from tests.piani.test_ciclo import media_tmp, riscontra_tutte  # noqa: F401
from tests.piani.test_documento_cifre import leggi_pdf, normalizza

MOTIVO = "Verificato con l'ente: il dato è quello comunicato."


def _pagine(contenuto: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(contenuto)).pages]


def _mcid_nell_albero(pdf: pikepdf.Pdf) -> set[tuple[tuple[int, int], int]]:
    """(page, MCID) of every marked content the structure tree reaches."""
    trovati: set[tuple[tuple[int, int], int]] = set()

    def visita(nodo, pagina):
        if isinstance(nodo, int):
            trovati.add((pagina, nodo))
            return
        if not isinstance(nodo, pikepdf.Dictionary):
            return
        if "/Pg" in nodo:
            pagina = nodo.Pg.objgen
        if "/MCID" in nodo:
            trovati.add((pagina, int(nodo.MCID)))
        figli = nodo.get("/K")
        if isinstance(figli, pikepdf.Array):
            for figlio in figli:
                visita(figlio, pagina)
        elif figli is not None:
            visita(figli, pagina)

    visita(pdf.Root.StructTreeRoot, None)
    return trovati


def _testo_contenuto(contenuto: bytes) -> str:
    """The text a screen reader reads: only marked content the structure tree
    reaches (artifacts such as running headers and the watermark are left out)."""
    pdf = pikepdf.open(io.BytesIO(contenuto))  # kept open while walking
    nell_albero = _mcid_nell_albero(pdf)
    lettore = PdfReader(io.BytesIO(contenuto))
    parti: list[str] = []
    for pagina in lettore.pages:
        chiave = pagina.indirect_reference
        chiave = (chiave.idnum, chiave.generation)
        pila: list[int | None] = []

        def operatore(op, args, cm, tm, pila=pila):
            if op in (b"BDC", b"BMC"):
                mcid = None
                if op == b"BDC" and len(args) > 1 and hasattr(args[1], "get"):
                    mcid = args[1].get("/MCID")
                pila.append(mcid)
            elif op == b"EMC" and pila:
                pila.pop()

        def testo(t, cm, tm, font, size, pila=pila, chiave=chiave):
            mcid = next((m for m in reversed(pila) if m is not None), None)
            if mcid is not None and (chiave, int(mcid)) in nell_albero:
                parti.append(t)

        pagina.extract_text(visitor_operand_before=operatore, visitor_text=testo)
    return normalizza(" ".join(parti))


def _titoli(contenuto: bytes) -> list[int]:
    livelli: list[int] = []

    def visita(nodo):
        if not isinstance(nodo, pikepdf.Dictionary):
            return
        tipo = str(nodo.get("/S", ""))
        if re.fullmatch(r"/H[1-6]", tipo):
            livelli.append(int(tipo[2]))
        figli = nodo.get("/K")
        if isinstance(figli, pikepdf.Array):
            for figlio in figli:
                visita(figlio)
        else:
            visita(figli)

    pdf = pikepdf.open(io.BytesIO(contenuto))  # kept open while walking
    visita(pdf.Root.StructTreeRoot)
    return livelli


def _accessibile(contenuto: bytes) -> pikepdf.Pdf:
    """Marked, with a structure tree, language it-IT, title, bookmarks, table
    header cells, and heading levels that never skip."""
    pdf = pikepdf.open(io.BytesIO(contenuto))
    assert pdf.Root.MarkInfo.Marked
    assert "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == "it-IT"
    assert "/Outlines" in pdf.Root
    assert (
        pdf.open_metadata()
        .get("dc:title", "")
        .startswith("Piano Annuale dell'Offerta Abitativa")
    )
    # Titillium Web, the PA's typeface, embedded.
    font = {
        str(f.get("/BaseFont", ""))
        for pagina in pdf.pages
        for f in pagina.Resources.get("/Font", {}).values()
    }
    assert any("Titillium" in f for f in font), font
    livelli = _titoli(contenuto)
    assert livelli[0] == 1
    for prima, dopo in zip(livelli, livelli[1:], strict=False):
        assert dopo <= prima + 1, livelli
    return pdf


def _approva(piano, utente):
    riscontra_tutte(piano, utente)
    return ciclo.piano_approva(
        piano=piano,
        utente=utente,
        organo="Assemblea dei Sindaci",
        data=date(2026, 3, 12),
        luogo="Sala del Consiglio",
        renderer=documento_pdf,
    )


def test_the_approved_revision_alone_prints_the_approval_and_no_bozza(
    piano_a,
    staff_a,
    media_tmp,  # noqa: F811
):
    # A sitting stored on a draft does not make it look approved.
    piano_a.data_approvazione = date(2026, 3, 1)
    piano_a.luogo_approvazione = "Clusone"
    piano_a.save()
    bozza = documento_pdf(piano_a)
    for testo in _pagine(bozza):
        assert "BOZZA" in testo
    assert "Approvato" not in leggi_pdf(bozza)
    assert "proposta da sottoporre all'approvazione" in leggi_pdf(bozza)
    # The watermark is a page artifact: not read as content.
    contenuto = _testo_contenuto(bozza)
    assert "Premessa" in contenuto
    assert "BOZZA" not in contenuto
    pdf = _accessibile(bozza)
    assert pdf.open_metadata().get("pdfaid:part") is None

    versione = _approva(piano_a, staff_a)
    with versione.pdf.open("rb") as f:
        approvato = f.read()
    testo = leggi_pdf(approvato)
    assert "BOZZA" not in testo
    assert (
        "Approvato dall'Assemblea dei Sindaci nella seduta del 12/03/2026, "
        "in Sala del Consiglio" in testo
    )
    allegato = testo[testo.rindex("Allegato – Verifiche di coerenza") :]
    assert "Presa d'atto di" in allegato
    assert MOTIVO in allegato
    assert "Aperta" not in allegato
    meta = _accessibile(approvato).open_metadata()
    assert meta.get("pdfaid:part") == "3"
    assert meta.get("pdfaid:conformance") == "A"

    ciclo.piano_riapri(piano=piano_a, utente=staff_a, motivo="Rettifica di Ardesio.")
    piano_a.refresh_from_db()
    riaperto = documento_pdf(piano_a)
    assert all("BOZZA" in t for t in _pagine(riaperto))
    testo = leggi_pdf(riaperto)
    assert "Approvato dall'" not in testo
    assert "Revisione n. 1, approvata il 12/03/2026" in testo


def test_the_annex_lists_open_anomalie_with_their_values(piano_a):
    testo = leggi_pdf(documento_pdf(piano_a))
    allegato = testo[testo.rindex("Allegato – Verifiche di coerenza") :]
    assert "Nome non riconosciuto" in allegato
    # The name as the ente wrote it, and the figures of the check.
    assert "Comune di Pario" in allegato
    assert "totale: 1 somma: 0" in allegato
    assert "Aperta" in allegato


def test_no_layout_line_ends_with_the_euro_sign(piano_a, piano_b, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is missing: bin/setup installs it")
    for piano in (piano_a, piano_b):
        percorso = tmp_path / f"{piano.pk}.pdf"
        percorso.write_bytes(documento_pdf(piano))
        uscita = subprocess.run(
            ["pdftotext", "-layout", str(percorso), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "€" in uscita
        assert not [r for r in uscita.splitlines() if r.rstrip().endswith("€")]


def test_amounts_and_dates_keep_together_in_the_preview(piano_a):
    pagina = documento_html(piano_a)
    assert re.search(r"€\xa0\d", pagina)
    assert not re.search(r"€ \d", pagina)
    assert not re.search(r"\bn\. \d", pagina.split("<body", 1)[1])


def test_headings_are_renumbered_so_that_no_level_is_skipped():
    html = "<h1>A</h1><h2>B</h2><h4 id='x'>C</h4><h5>D</h5><h2>E</h2>"
    assert titoli_in_ordine(html) == (
        "<h1>A</h1><h2>B</h2><h3 id='x'>C</h3><h4>D</h4><h2>E</h2>"
    )


def test_seed_002_headings_never_skip_a_level(piano_b):
    _accessibile(documento_pdf(piano_b))
    assert "<h4" not in documento_html(piano_b)


@pytest.mark.parametrize("stato", [PianoAnnuale.Stato.RACCOLTA_CHIUSA])
def test_a_draft_in_any_state_but_approved_is_a_bozza(piano_b, stato):
    piano_b.stato = stato
    piano_b.data_approvazione = date(2025, 4, 29)
    piano_b.save()
    testo = leggi_pdf(documento_pdf(piano_b))
    assert "Approvato dall'" not in testo
    assert all("BOZZA" in t for t in _pagine(documento_pdf(piano_b)))


def test_a_list_item_that_writes_its_own_marker_has_no_bullet(piano_b):
    from piani.documento_stampa import un_marcatore

    assert un_marcatore("<ul><li>1) uno</li><li>testo</li></ul>") == (
        '<ul><li class="marcatore-proprio">1) uno</li><li>testo</li></ul>'
    )
    pagina = documento_html(piano_b)
    assert '<li class="marcatore-proprio">1) il piano triennale' in pagina


def test_the_cover_names_the_ats(piano_a):
    from ambiti.models import Ats

    ambito = piano_a.ambito
    ambito.ats = Ats.objects.create(codice="999", nome="ATS di Prova Inventata")
    ambito.save()
    pagina = documento_html(piano_a)
    copertina = pagina[pagina.index('<header class="copertina"') :]
    copertina = copertina[: copertina.index("</header>")]
    assert "ATS di Prova Inventata" in copertina


def test_the_pdf_fetcher_reads_only_the_theme_fonts(tmp_path):
    from pianocasa import pdf

    fetcher = pdf._url_fetcher()
    cartella = pdf.cartella_font()
    assert cartella is not None
    font = next(cartella.glob("*.ttf"))
    risposta = fetcher.fetch(font.as_uri())
    assert risposta.read(4)
    risposta.close()
    segreto = tmp_path / "segreto.txt"
    segreto.write_text("x")
    for url in (segreto.as_uri(), (cartella / ".." / ".." / "x.css").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_preview_links_back_to_the_plan_and_shows_labels_not_codes(
    client_staff_a, piano_a
):
    from django.urls import reverse

    pagina = client_staff_a.get(reverse("piani:piano_documento", args=[piano_a.pk]))
    assert pagina.status_code == 200
    testo = pagina.content.decode()
    assert f'href="{reverse("piani:piano_detail", args=[piano_a.pk])}"' in testo
    banner = testo[testo.index('class="banner-anomalie"') :]
    banner = banner[: banner.index("</div>")]
    assert "Nome non riconosciuto" in banner
    assert "[nome_non_riconosciuto]" not in banner
