"""``gbt15311 validate`` and ``gbt15311 schema``: check licences before a blank is used."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from gbt15311.exceptions import LicenceInvalid, Problem
from gbt15311.forms import FORMS, Licence
from gbt15311.loading import read_json, validate_licence

EXIT_INVALID = 1
EXIT_UNREADABLE = 2


def _summary(licence: Licence) -> str:
    totals = licence.totals
    rows = len(licence.items)
    return (
        f"{licence.form} {licence.licence_no}, {licence.goods.description} ({licence.goods.code}), "
        f"{rows} item{'s' if rows > 1 else ''}, total {licence.currency} {totals.amount:f} "
        f"(USD {totals.amount_usd:f})"
    )


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
def validate(files: tuple[Path, ...], as_json: bool) -> None:
    """Check licence JSON FILES against their form (GB/T 15311.1 import, the default, or
    GB/T 15311.2 export, "form": "export"); list every problem of each.

    Exits 0 when all are valid, 1 when any is invalid, 2 when a file is unreadable or not JSON.
    """
    status = 0
    found: list[dict[str, object]] = []
    for path in files:
        try:
            data = read_json(path.read_bytes())
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) else error
            click.echo(f"{path}: cannot be read as JSON: {reason}", err=True)
            status = EXIT_UNREADABLE
            continue
        try:
            licence = validate_licence(data)
        except LicenceInvalid as invalid:
            status = max(status, EXIT_INVALID)
            _report(path, invalid.problems, found, as_json, several=len(files) > 1)
            continue
        if not as_json:
            click.echo(f"{path}: valid: {_summary(licence)}")
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    sys.exit(status)


def _report(
    path: Path,
    problems: list[Problem],
    found: list[dict[str, object]],
    as_json: bool,
    several: bool,
) -> None:
    if as_json:
        for problem in problems:
            record = problem.as_dict()
            if several:
                record["file"] = str(path)
            found.append(record)
        return
    click.echo(f"{path}: {len(problems)} problem{'s' if len(problems) > 1 else ''}")
    for problem in problems:
        click.echo(f"  {problem}")


@click.command()
@click.option(
    "--form",
    type=click.Choice(tuple(FORMS)),
    default="import",
    show_default=True,
    help="The form whose licences the schema describes.",
)
def schema(form: str) -> None:
    """Print the JSON Schema of a licence of a form, for issuing software to validate against."""
    schema = FORMS[form].model.model_json_schema()
    click.echo(json.dumps(schema, ensure_ascii=False, indent=2))


COMMANDS = (validate, schema)
