"""PDF reports: the self-contained HTML report printed to A4 with WeasyPrint (the ``pdf`` extra).

WeasyPrint is imported only when a PDF is asked for. It is given a URL fetcher that refuses everything except
``data:`` URLs, so printing never touches the network or the file system, whatever the HTML contains.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wellspent.errors import InputError

INSTALL_HINT = ("PDF reports need WeasyPrint: pip install 'wellspent[pdf]' (on Debian or Ubuntu it also needs "
                "the system libraries: apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)")


PAGED_MEDIA_CSS = """
@page { @bottom-left { content: string(report-title); font-size: 7.5pt; color: #505a5f; } }
h1 { string-set: report-title content(); }
"""
"""Rules from CSS Generated Content for Paged Media (the report title in each page's footer), given to WeasyPrint
alongside the page's own CSS rather than written into the HTML, where they are not standard CSS and would make
the page fail validation."""

OFFLINE_PROTOCOLS = frozenset({"data"})
"""The only URL scheme a report may load from: inline ``data:`` URLs."""


def offline_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and refuses every other scheme (``http``, ``https``,
    ``file``, ``ftp``): printing a report never touches the network or the file system."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=OFFLINE_PROTOCOLS, allow_redirects=False)


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint installed but Pango missing
        raise InputError.single(None, "--pdf", f"{INSTALL_HINT} ({type(exc).__name__}: {exc})") from None
    return weasyprint


def pdf_bytes(html: str) -> bytes:
    """The HTML report printed to PDF (A4, page numbers from the report's print CSS)."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, url_fetcher=offline_fetcher(), base_url=None)
    data: bytes = document.write_pdf(stylesheets=[weasyprint.CSS(string=PAGED_MEDIA_CSS)])
    return data


def write_pdf(html: str, path: Path) -> None:
    """Print the HTML report ``html`` to a PDF file at ``path``.

    Raises :class:`InputError` when WeasyPrint (``pip install 'wellspent[pdf]'``) or its system libraries are
    missing, or when the file cannot be written."""
    data = pdf_bytes(html)
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise InputError.single(str(path), "", f"cannot write the PDF: {exc.strerror}") from None
