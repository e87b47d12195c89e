"""HTML to PDF through WeasyPrint, with nothing fetched from the network: the
documents are built from the database, inline data and the local font files that
the page lists (the theme's Titillium Web, the PA's typeface)."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

# The local font files a document may embed: the theme's Titillium Web.
CARTELLA_FONT = "fonts/Titillium_Web"


def cartella_font() -> Path | None:
    """The theme's Titillium Web folder, found through the static files finders."""
    from django.contrib.staticfiles import finders

    trovata = finders.find(CARTELLA_FONT)
    return Path(trovata).resolve() if trovata else None


def _url_fetcher():
    """A fetcher that refuses every URL but inline data and the font files of
    ``CARTELLA_FONT`` (file: URLs anywhere else are refused too)."""
    from weasyprint.urls import URLFetcher

    class _Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                cartella = cartella_font()
                percorso = Path(unquote(urlsplit(url).path)).resolve()
                if cartella is None or not percorso.is_relative_to(cartella):
                    raise ValueError(f"URL non consentito: {url}")
                return super().fetch(url, headers)
            return super().fetch(url, headers)

    return _Fetcher(allowed_protocols={"data", "file"}, fail_on_errors=False, timeout=1)


def html_in_pdf(html: str, *, base_url: str | None = None, **opzioni) -> bytes:
    """The page as PDF; ``opzioni`` go to ``write_pdf`` (e.g. ``pdf_tags=True``)."""
    # Imported here: loading WeasyPrint costs ~0,7 s, which the web pages that do
    # not print should not pay.
    from weasyprint import HTML

    documento = HTML(string=html, base_url=base_url, url_fetcher=_url_fetcher())
    return documento.write_pdf(**opzioni)
