"""``--html``, ``--pdf`` and ``--xlsx`` on the commands: files written whole, bad targets refused before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from wellspent.cli import report_files
from wellspent.cli.main import main
from wellspent.cli.report_files import ReportTargets, write_reports
from wellspent.errors import InputError

TRUSTED = EXAMPLES / "trusted-relationships.yaml"
TRUSTED_CONTRACT = EXAMPLES / "contracts" / "trusted-relationships-outcomes.yaml"


def test_appraise_writes_html_and_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html, xlsx = tmp_path / "case.html", tmp_path / "case.xlsx"
    assert main(["appraise", str(TRUSTED), "--html", str(html), "--xlsx", str(xlsx), "--draws", "2000"]) == 0
    err = capsys.readouterr().err
    assert f"wrote {html}" in err and f"wrote {xlsx}" in err
    text = html.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html")
    assert "Strategic" in text and "Economic" in text and "Commercial" in text
    assert xlsx.read_bytes()[:2] == b"PK"  # a zip container, as every .xlsx is
    assert not [p for p in tmp_path.iterdir() if ".part" in p.name]


def test_contract_writes_html_and_xlsx(tmp_path: Path) -> None:
    html, xlsx = tmp_path / "c.html", tmp_path / "c.xlsx"
    assert main(["contract", str(TRUSTED_CONTRACT), "--html", str(html), "--xlsx", str(xlsx)]) == 0
    assert "Trusted relationships outcomes contract" in html.read_text(encoding="utf-8")
    assert xlsx.stat().st_size > 0


def test_simulate_writes_html(tmp_path: Path) -> None:
    html = tmp_path / "s.html"
    assert main(["simulate", str(TRUSTED), "--draws", "2000", "--json", "--html", str(html)]) == 0
    assert "Trusted relationships" in html.read_text(encoding="utf-8")


def test_missing_folder_is_refused_before_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no-such-folder" / "case.html"
    assert main(["appraise", str(TRUSTED), "--html", str(target)]) == 2
    err = capsys.readouterr().err
    assert "--html" in err and "does not exist" in err and "Traceback" not in err


def test_a_folder_or_two_options_on_one_file_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contract", str(TRUSTED_CONTRACT), "--xlsx", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    same = tmp_path / "report"
    assert main(["contract", str(TRUSTED_CONTRACT), "--html", str(same), "--xlsx", str(same)]) == 2
    assert "same file as --html" in capsys.readouterr().err


def test_a_failed_report_leaves_the_old_file_and_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"the analyst's earlier workbook")

    def failing_writer(path: Path) -> None:
        path.write_bytes(b"half a workb")
        raise InputError.single(None, "--xlsx", "simulated failure half way")

    with pytest.raises(InputError):
        write_reports(ReportTargets(xlsx=target), xlsx=failing_writer)
    assert target.read_bytes() == b"the analyst's earlier workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def test_pdf_without_weasyprint_is_a_clear_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: object, **kwargs: object) -> object:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    target = tmp_path / "c.pdf"
    assert main(["contract", str(TRUSTED_CONTRACT), "--pdf", str(target)]) == 2
    err = capsys.readouterr().err
    assert "wellspent[pdf]" in err and "Traceback" not in err
    assert not target.exists() and not list(tmp_path.iterdir())


def test_targets_any() -> None:
    assert not ReportTargets().any
    assert ReportTargets(pdf=Path("x.pdf")).wants_html_text
    assert not ReportTargets(xlsx=Path("x.xlsx")).wants_html_text
    assert report_files.ReportTargets(html=Path("a.html")).any


def test_interactive_html_inlines_the_bundle_and_the_pdf_stays_static(tmp_path: Path) -> None:
    html, pdf = tmp_path / "c.html", tmp_path / "c.pdf"
    pytest.importorskip("weasyprint")
    assert main(["contract", str(TRUSTED_CONTRACT), "--html", str(html), "--pdf", str(pdf), "--interactive"]) == 0
    text = html.read_text(encoding="utf-8")
    for chart in ("fig-contract-cash-flows-chart", "fig-investor-capital-chart"):
        assert f'vegaEmbed("#{chart}"' in text
    assert "<script src" not in text
    assert 'id="fig-contract-cash-flows-chart"' in text  # the static SVG stays for printing / no JavaScript
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert oct(html.stat().st_mode & 0o777) != oct(0o600)  # not left private by the temporary file


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (a real browser) to run the page's script")
def test_interactive_charts_draw_in_a_browser_with_no_network(tmp_path: Path) -> None:
    import subprocess

    html = tmp_path / "c.html"
    assert main(["contract", str(TRUSTED_CONTRACT), "--html", str(html), "--interactive"]) == 0
    # Flags as the machine notes give them for a closed network: no background fetches, a fresh profile.
    dom = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom", html.as_uri()],
        capture_output=True, text=True, timeout=120, check=True).stdout
    # Vega-Embed marks each element it has drawn into with the class vega-embed; the static page has none.
    assert "vega-embed" not in html.read_text(encoding="utf-8").split("<script>")[0]
    assert dom.count('class="chart vega-embed"') == 2
