"""PDF reports via WeasyPrint: the printed text carries the headline figures, pages are numbered, nothing is
fetched, and a missing WeasyPrint is a clear InputError."""

from __future__ import annotations

import builtins
import io
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES
from wellspent.errors import InputError
from wellspent.reports import pdf

TRUSTED = EXAMPLES / "trusted-relationships.yaml"
TRUSTED_CONTRACT = EXAMPLES / "contracts" / "trusted-relationships-outcomes.yaml"


def pounds(value: float) -> str:
    whole = round(value)
    return f"−£{-whole:,}" if whole < 0 else f"£{whole:,}"


def pdf_text(path: Path) -> tuple[int, str]:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


@cache
def _appraisal() -> Any:
    from wellspent.appraisal import appraise_file

    return appraise_file(TRUSTED)


def test_appraisal_pdf_has_the_headline_figures(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    from wellspent.contracts import run_contract_file
    from wellspent.reports.html import appraisal_html

    result = _appraisal()
    target = tmp_path / "case.pdf"
    pdf.write_pdf(appraisal_html(result, contract=run_contract_file(TRUSTED_CONTRACT)), target)
    assert target.read_bytes()[:5] == b"%PDF-"
    pages, text = pdf_text(target)
    assert pages > 5
    assert pounds(result.npsv) in text
    assert f"{result.bcr:.2f}" in text and f"{result.fiscal_bcr:.2f}" in text
    assert pounds(result.pv_costs) in text
    for case in ("1. Strategic case", "2. Economic case", "3. Commercial case", "4. Financial case",
                 "5. Management case", "Appendix: show the working"):
        assert case in text
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text  # CSS page counters


def test_contract_pdf_has_the_headline_figures(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    from wellspent.contracts import run_contract_file
    from wellspent.reports.html import contract_html

    result = run_contract_file(TRUSTED_CONTRACT)
    target = tmp_path / "contract.pdf"
    pdf.write_pdf(contract_html(result), target)
    _, text = pdf_text(target)
    assert pounds(result.outcome_payments_total) in text
    assert result.money_multiple is not None and f"{result.money_multiple:.2f}" in text


def test_nothing_but_data_urls_is_fetched() -> None:
    pytest.importorskip("weasyprint")
    fetcher = pdf.offline_fetcher()
    for url in ("https://example.org/a.css", "http://example.org/a.png", "file:///etc/hostname",
                "ftp://example.org/x"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_external_references_in_html_do_not_stop_printing(tmp_path: Path) -> None:
    """Refused resources are left out (WeasyPrint warns) and the PDF is still written."""
    pytest.importorskip("weasyprint")
    html = ('<!DOCTYPE html><html lang="en-GB"><head><link rel="stylesheet" href="https://example.invalid/x.css">'
            '</head><body><h1>Offline</h1><img alt="x" src="http://example.invalid/x.png"></body></html>')
    target = tmp_path / "x.pdf"
    pdf.write_pdf(html, target)
    assert "Offline" in pdf_text(target)[1]


def test_missing_weasyprint_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(InputError) as info:
        pdf.write_pdf("<p>x</p>", Path("unused.pdf"))
    message = str(info.value)
    assert "pip install 'wellspent[pdf]'" in message
    assert "libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core" in message
    assert not Path("unused.pdf").exists()


def test_unwritable_target_is_an_input_error(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    with pytest.raises(InputError, match="cannot write the PDF"):
        pdf.write_pdf("<!DOCTYPE html><h1>x</h1>", tmp_path / "no-such-folder" / "x.pdf")
