"""``wellspent`` entry point. Exit codes: 0 ok · 2 bad input or usage · 1 unexpected (DESIGN §6).

Imports of the engines stay inside the commands so that ``wellspent --help`` and every verb start quickly.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wellspent.cli.costs import costs_app
from wellspent.cli.db import db_app
from wellspent.cli.memory import memory_app
from wellspent.cli.new import new_app
from wellspent.cli.portfolio import portfolio_app
from wellspent.cli.registry import registry_app
from wellspent.cli.report_files import (
    HtmlOption,
    InteractiveOption,
    PdfOption,
    ReportTargets,
    XlsxOption,
    today,
    write_reports,
)
from wellspent.errors import InputError

if TYPE_CHECKING:
    from wellspent.appraisal import AppraisalResult

app = typer.Typer(
    name="wellspent",
    help="Is this preventative programme worth paying for? Green Book appraisal on sourced UK unit costs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(costs_app, name="costs")
app.add_typer(registry_app, name="registry")
app.add_typer(db_app, name="db")
app.add_typer(portfolio_app, name="portfolio")
app.add_typer(memory_app, name="memory")
app.add_typer(new_app, name="new")

SaveOption = Annotated[bool, typer.Option(
    "--save", help="Also keep the spec, the unit-cost library version and the result as a memory record.")]
RoleOption = Annotated[str, typer.Option("--role", help="Your role, as the saved record's author_role.")]
ReportDrawsOption = Annotated[int, typer.Option(
    "--draws", min=100, max=10_000_000,
    help="Monte Carlo draws behind the report's sensitivity section (with --html/--pdf/--xlsx).")]
ReportSeedOption = Annotated[int, typer.Option("--seed", min=0, help="Random seed for the report's draws.")]


def _save_run(kind: str, spec: Path, result: dict[str, object], role: str) -> None:
    """Save a run as the memory record ``<kind>-<slug of the name>`` (a new version only when something changed)
    and say so on stderr; the date is today's, taken here at the edge."""
    from wellspent.cli.memory import _engine
    from wellspent.memory.service import save_run, saved_run_record
    from wellspent.specs.strict_yaml import read_strict_yaml

    data = read_strict_yaml(spec).data
    area = data.get("policy_area") if isinstance(data, dict) else None
    record = saved_run_record(kind, str(spec), spec.read_bytes(), dict(result), date=today(),
                              role=role, policy_area=area if isinstance(area, str) else None)
    with _engine() as engine:
        saved = save_run(engine, record, note=f"{kind} saved")
    sys.stderr.write(f"saved as memory record {saved.id} (version {saved.version}"
                     f"{', unchanged' if saved.action == 'unchanged' else ''})\n")


@app.command()
def appraise(
    spec: Annotated[Path, typer.Argument(help="An appraisal spec (YAML, `wellspent: appraisal/1`).")],
    json_output: Annotated[bool, typer.Option("--json", help="Print only the result as JSON.")] = False,
    save: SaveOption = False,
    role: RoleOption = "analyst",
    html: HtmlOption = None,
    pdf: PdfOption = None,
    xlsx: XlsxOption = None,
    interactive: InteractiveOption = False,
    draws: ReportDrawsOption = 10_000,
    seed: ReportSeedOption = 1,
) -> None:
    """Appraise a programme: costs, benefits by kind and agency, NPSV, BCR and payback (Green Book).

    --html/--pdf write the business case in Five Case Model order (with a Monte Carlo sensitivity section when the
    spec marks uncertain inputs, and the linked contract's payment mechanism); --xlsx the auditable workbook."""
    from wellspent.appraisal import appraise_file

    targets = ReportTargets(html, pdf, xlsx, interactive)
    targets.check()
    result = appraise_file(spec)
    if save:
        _save_run("appraisal", spec, result.to_dict(), role)
    if targets.any:
        _appraisal_reports(spec, result, targets, draws, seed)
    if json_output:
        from wellspent.cli.output import print_json

        print_json(result.to_dict())
    else:
        from wellspent.cli.appraisal_view import show_appraisal

        show_appraisal(result)


def _appraisal_reports(spec: Path, result: AppraisalResult, targets: ReportTargets, draws: int, seed: int) -> None:
    """The business case (HTML/PDF) and workbook of an appraisal: simulated when the spec has distributions, with
    the contract its business case links to."""
    from wellspent.specs.loader import linked_contract_path
    from wellspent.specs.strict_yaml import read_strict_yaml

    simulation: dict[str, Any] | None = None
    contract_result = None
    if targets.wants_html_text:
        from wellspent.specs.loader import validate_appraisal_uncertain

        _spec, inputs = validate_appraisal_uncertain(read_strict_yaml(spec))
        if inputs:
            from wellspent.uncertainty.report import simulation_report

            simulation = simulation_report(result.model, inputs, draws, seed)
        contract_path = linked_contract_path(spec, result.model.spec)
        if contract_path is not None:
            from wellspent.contracts import run_contract_file

            contract_result = run_contract_file(contract_path)

    def html_text(interactive: bool) -> str:
        from wellspent.reports.html import appraisal_html

        return appraisal_html(result, simulation=simulation, contract=contract_result, generated=today(),
                              interactive=interactive)

    def workbook(path: Path) -> None:
        from wellspent.reports.xlsx import appraisal_workbook

        appraisal_workbook(result, path)

    write_reports(targets, html=html_text, xlsx=workbook)


@app.command()
def contract(
    spec: Annotated[Path, typer.Argument(help="A contract spec (YAML, `wellspent: contract/1`).")],
    json_output: Annotated[bool, typer.Option("--json", help="Print only the result as JSON.")] = False,
    scenarios: Annotated[bool, typer.Option("--scenarios", help="Add the 50/75/100/125% performance table.")] = False,
    save: SaveOption = False,
    role: RoleOption = "analyst",
    html: HtmlOption = None,
    pdf: PdfOption = None,
    xlsx: XlsxOption = None,
    interactive: InteractiveOption = False,
) -> None:
    """Model a social outcomes contract: outcome payments by payer, provider and investor cash flows, IRR."""
    from wellspent.contracts import run_contract_file

    targets = ReportTargets(html, pdf, xlsx, interactive)
    targets.check()
    result = run_contract_file(spec)
    if save:
        _save_run("contract", spec, result.to_dict(scenarios=scenarios), role)
    if targets.any:
        def html_text(interactive: bool) -> str:
            from wellspent.reports.html import contract_html

            return contract_html(result, generated=today(), interactive=interactive)

        def workbook(path: Path) -> None:
            from wellspent.reports.xlsx import contract_workbook

            contract_workbook(result, path)

        write_reports(targets, html=html_text, xlsx=workbook)
    if json_output:
        from wellspent.cli.output import print_json

        print_json(result.to_dict(scenarios=scenarios))
    else:
        from wellspent.cli.contract_view import show_contract

        show_contract(result, scenarios=scenarios)


@app.command()
def simulate(
    spec: Annotated[Path, typer.Argument(help="An appraisal or contract spec; distributions mark uncertain inputs.")],
    draws: Annotated[int, typer.Option("--draws", min=1, max=100_000_000, help="Monte Carlo draws.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed: the same seed gives the same numbers.")] = 1,
    json_output: Annotated[bool, typer.Option("--json", help="Print only the result as JSON.")] = False,
    sobol: Annotated[bool, typer.Option("--sobol", help="Add Sobol indices (SALib; appraisals).")] = False,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Run chunks on this Dask scheduler.")] = None,
    chunk: Annotated[int, typer.Option("--chunk", min=1, help="Draws per chunk (rounded to 16,384).")] = 16_384,
    html: HtmlOption = None,
    pdf: PdfOption = None,
    xlsx: XlsxOption = None,
    interactive: InteractiveOption = False,
) -> None:
    """Monte Carlo: percentiles, P(BCR > 1), tornado and switching values of NPSV (appraisals); IRR, payments and
    the investors' money multiple with its tornado and switching values (contracts)."""
    import sys as _sys

    from wellspent.errors import InputError as _InputError
    from wellspent.specs.strict_yaml import read_strict_yaml
    from wellspent.uncertainty.report import simulation_report

    targets = ReportTargets(html, pdf, xlsx, interactive)
    targets.check()
    document = read_strict_yaml(spec)
    version = document.data.get("wellspent") if isinstance(document.data, dict) else None
    model: object
    if version == "contract/1":
        from wellspent.contracts.inputs import compile_contract
        from wellspent.specs.contract_loader import validate_contract_uncertain

        contract_spec, inputs = validate_contract_uncertain(document)
        model = compile_contract(contract_spec)
    else:
        from wellspent.appraisal.inputs import compile_appraisal
        from wellspent.specs.loader import validate_appraisal_uncertain

        appraisal_spec, inputs = validate_appraisal_uncertain(document)
        model = compile_appraisal(appraisal_spec)
    if sobol and version == "contract/1":
        raise _InputError.single(str(spec), "--sobol", "Sobol indices are computed for appraisals only")
    show_progress = not json_output and _sys.stdout.isatty() and _sys.stderr.isatty()
    if show_progress:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("Simulating", total=draws)
            report = simulation_report(model, inputs, draws, seed, chunk_draws=chunk,
                                       scheduler=scheduler, sobol=sobol,
                                       progress=lambda n: bar.advance(task, n))
    else:
        report = simulation_report(model, inputs, draws, seed, chunk_draws=chunk,
                                   scheduler=scheduler, sobol=sobol)
    if targets.any:
        _simulation_reports(model, report, targets)
    if json_output:
        from wellspent.cli.output import print_json

        print_json(report)
    else:
        from wellspent.cli.simulate_view import show_simulation

        show_simulation(report)


def _simulation_reports(model: object, report: dict[str, Any], targets: ReportTargets) -> None:
    """The simulation report (HTML/PDF) and workbook; for an appraisal, beside its deterministic result."""
    from wellspent.appraisal import AppraisalModel, AppraisalResult, evaluate

    appraisal = None
    if isinstance(model, AppraisalModel):
        appraisal = AppraisalResult(model, evaluate(model.inputs, len(model.agencies)))

    def html_text(interactive: bool) -> str:
        from wellspent.reports.html import simulation_html

        return simulation_html(report, appraisal=appraisal, generated=today(), interactive=interactive)

    def workbook(path: Path) -> None:
        from wellspent.reports.xlsx import simulation_workbook

        simulation_workbook(report, path, appraisal=appraisal)

    write_reports(targets, html=html_text, xlsx=workbook)


@app.command()
def version() -> None:
    """Print the version."""
    from wellspent import __version__

    typer.echo(__version__)


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``) and return the exit code: bad input
    exits 2 with its problems on stderr and no traceback; usage errors exit 2 (Typer); anything unexpected
    exits 1 with a one-line message."""
    try:
        app(args=argv, prog_name="wellspent")  # standalone mode: Typer reports usage errors and exits
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except InputError as exc:
        from wellspent.cli.output import report_problems

        report_problems(exc)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:
        sys.stderr.write(f"wellspent: unexpected error: {type(exc).__name__}: {exc}\n"
                         "This is a bug; please report it with the command you ran.\n")
        return 1
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
