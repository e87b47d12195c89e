"""Narrative Markdown keeps no attribute but the links' own: a class could borrow
Bootstrap's (a full-page overlay over the document), a style draw anything, an id
hijack the page's anchors."""

from piani.templatetags.formati_it import markdown_sicuro


def test_class_style_and_id_are_stripped():
    html = markdown_sicuro(
        '<div class="position-fixed top-0 start-0 w-100 h-100 bg-white" '
        'style="z-index:9999" id="contenuto">Avviso</div>\n\n'
        '<p class="lead" style="color:red">Testo</p>\n\n'
        '<span class="visually-hidden" id="x">nascosto</span>'
    )
    for attributo in ("class=", "style=", "id=", "position-fixed", "z-index"):
        assert attributo not in html, attributo
    assert "Avviso" in html and "Testo" in html and "nascosto" in html


def test_links_keep_href_and_title_only():
    html = markdown_sicuro(
        '<a href="https://www.regione.lombardia.it/" title="Regione" class="btn '
        'stretched-link" style="position:fixed" target="_blank" '
        'onclick="x()">Regione</a>'
    )
    assert (
        '<a href="https://www.regione.lombardia.it/" title="Regione">Regione</a>'
        in html
    )


def test_table_cells_lose_their_attributes():
    html = markdown_sicuro('<table><tr><td colspan="3" class="x">a</td></tr></table>')
    assert "<td>a</td>" in html


def test_footnotes_still_link_mark_and_note():
    html = markdown_sicuro("Comuni della Valle[^1].\n\n[^1]: Elenco ISTAT.")
    assert 'id="fnref:1"' in html
    assert 'href="#fn:1"' in html
    assert 'id="fn:1"' in html
    # Markdown's own classes on the footnote markup go too.
    assert "class=" not in html


def test_an_id_shaped_like_a_footnote_only_survives_on_the_footnote_tags():
    html = markdown_sicuro('<p id="fn:1">a</p><sup id="contenuto">b</sup>')
    assert "id=" not in html
