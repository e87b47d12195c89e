"""HTML to PDF through WeasyPrint, with nothing fetched from the network: the
documents are built from the database and system fonts."""


def _url_fetcher():
    """A fetcher that refuses every URL but inline data."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=False, timeout=1)


def html_in_pdf(html: str, *, base_url: str | None = None, **opzioni) -> bytes:
    """The page as PDF; ``opzioni`` go to ``write_pdf`` (e.g. ``pdf_tags=True``)."""
    # Imported here: loading WeasyPrint costs ~0,7 s, which the web pages that do
    # not print should not pay.
    from weasyprint import HTML

    documento = HTML(string=html, base_url=base_url, url_fetcher=_url_fetcher())
    return documento.write_pdf(**opzioni)
