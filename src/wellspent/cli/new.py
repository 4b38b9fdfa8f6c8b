"""``wellspent new appraisal --policy-area AREA``: write a commented starter spec with a business-case narrative.

Each template (``data/templates/appraisal/<policy-area>.yaml``) is built from the worked example of its policy area:
the same costs and outcomes with the same unit-cost ids at the example's central values, comments explaining every
field, its units and where to find values, and a ``business_case`` skeleton with prompts. The file written is a
byte-for-byte copy of the template, so its comments survive (docs/new-appraisal.md).
"""

from __future__ import annotations

import sys
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated

import typer

from wellspent.errors import InputError

new_app = typer.Typer(help="Start a new spec file from a commented template.", no_args_is_help=True)

TEMPLATE_SUFFIX = ".yaml"


def _template_dir() -> Traversable:
    return resources.files("wellspent") / "data" / "templates" / "appraisal"


def template_areas() -> list[str]:
    """The policy areas that have a starter appraisal template, sorted."""
    return sorted(entry.name.removesuffix(TEMPLATE_SUFFIX) for entry in _template_dir().iterdir()
                  if entry.is_file() and entry.name.endswith(TEMPLATE_SUFFIX))


def template_bytes(policy_area: str) -> bytes:
    """The starter appraisal template of ``policy_area``, exactly as shipped; an unknown area is an
    :class:`InputError` (on ``--policy-area``) listing the areas that have templates."""
    areas = template_areas()
    if policy_area not in areas:
        raise InputError.single(None, "--policy-area",
                                f"no starter template for {policy_area!r}; templates exist for: {', '.join(areas)}")
    return (_template_dir() / f"{policy_area}{TEMPLATE_SUFFIX}").read_bytes()


def write_starter(policy_area: str, output: Path, force: bool = False) -> Path:
    """Copy the template of ``policy_area`` to ``output`` and return it. An existing ``output`` is an
    :class:`InputError` unless ``force``; so is a missing parent folder."""
    content = template_bytes(policy_area)
    if output.is_dir():
        raise InputError.single(str(output), "", "is a directory; give a file name with --output")
    if output.exists() and not force:
        raise InputError.single(str(output), "", "already exists; choose another --output or pass --force to "
                                                 "overwrite it")
    if not output.parent.is_dir():
        raise InputError.single(str(output), "", f"the folder {output.parent} does not exist")
    try:
        output.write_bytes(content)
    except OSError as exc:
        raise InputError.single(str(output), "", f"cannot write the file: {exc.strerror}") from None
    return output


@new_app.command("appraisal")
def new_appraisal(
    policy_area: Annotated[str, typer.Option(
        "--policy-area", help="Policy area of the worked example to start from (e.g. homelessness).")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="File to write (default: <policy-area>-appraisal.yaml in the current folder).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file if it exists.")] = False,
) -> None:
    """Write a commented starter appraisal spec, with a business-case narrative to fill in, for a policy area that
    has a worked example."""
    target = output if output is not None else Path(f"{policy_area}-appraisal.yaml")
    written = write_starter(policy_area, target, force)
    sys.stdout.write(
        f"wrote {written}: a starter appraisal spec for {policy_area} (the worked example's costs and outcomes at "
        "their central values, with a business_case narrative to fill in)\n"
        "Replace the assumptions and every TODO, then run:\n"
        f"  wellspent appraise {written}\n"
    )
