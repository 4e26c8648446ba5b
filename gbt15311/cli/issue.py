"""``gbt15311 issue``: one licence from its file onto the terminal's next blank, in one step.

Checks the licence, the printer profile, the template and the destination before a blank is
reserved; then ``gbt15311.issuing.issue_licence`` reserves, renders with the serial, sends,
and registers the use, or voids the blank as a misprint if sending fails.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import click

import gbt15311.custody.store._database as database
from gbt15311.cli.ledger_option import LEDGER_URL
from gbt15311.cli.render import (
    FileProblem,
    _format,
    _licence,
    _parts,
    _printer_name,
    _problems,
    _render_options,
    _template_path,
)
from gbt15311.exceptions import LicenceInvalid, PrinterFailed
from gbt15311.sending import Sender
from gbt15311.templates import load_template


class _Destination(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2
    """``file:PATH``, ``device:PATH`` or ``cups:QUEUE``."""

    name = "destination"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Sender:
        if isinstance(value, Sender):
            return value
        try:
            return Sender.parse(str(value))
        except PrinterFailed as error:
            self.fail(str(error), param, ctx)


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--terminal", required=True, metavar="TERMINAL", help="The print terminal.")
@click.option(
    "--to",
    "destination",
    required=True,
    type=_Destination(),
    metavar="file:PATH|device:PATH|cups:QUEUE",
    help="Where to send the job: a file, a printer device such as /dev/usb/lp0, or a CUPS "
    "queue (a PDF at actual size, ESC/P2 raw).",
)
@_format
@_parts
@_printer_name
@_template_path
@click.option("--by", metavar="PERSON", help="Operator (default: the terminal's custodian).")
@click.option("--type", "type_code", metavar="TYPE", help="Certificate type, if several.")
@click.option(
    "--db",
    metavar="URL",
    type=LEDGER_URL,
    envvar=database.ENV_VAR,
    help="Ledger database URL, as for `gbt15311 custody --db`.",
)
def issue(
    file: Path,
    terminal: str,
    destination: Sender,
    output_format: str,
    parts: tuple[int, ...],
    printer_name: str | None,
    template_path: Path | None,
    by: str | None,
    type_code: str | None,
    db: str | None,
) -> None:
    """Print the licence in FILE (JSON) on the terminal's next blank and register the use.

    A licence already printed is not printed again: the message names its blank. If sending
    fails, the blank is voided as a misprint and the next attempt uses the next blank. A
    reservation left open by a crash blocks the terminal until it is used or voided.
    """
    from gbt15311 import custody
    from gbt15311.issuing import issue_licence
    from gbt15311.render import render_escp, render_licence

    escp = output_format == "escp"
    if escp and parts and _given("parts"):
        raise click.BadParameter(
            "ESC/P prints one pass through the carbon set: leave --parts out or give 'set'",
            param_hint="--parts",
        )
    licence = _licence(file)
    template = load_template(template_path, form=licence.form)
    options = _render_options("overlay", parts, False, printer_name, template)
    try:
        destination.check()
    except PrinterFailed as error:
        raise FileProblem(str(error)) from None
    render = functools.partial(render_escp if escp else render_licence, options=options)
    try:
        issued = issue_licence(
            custody.open_ledger(db),
            licence,
            terminal=terminal,
            printer=functools.partial(destination.send, raw=escp),
            by=by,
            type=type_code,
            render=render,
            template=template,
            attempts=1,
        )
    except LicenceInvalid as invalid:
        raise click.ClickException(_problems(str(file), invalid)) from None
    click.echo(
        f"licence {issued.licence_no} printed on {issued.type} blank {issued.serial} "
        f"at terminal {terminal}, sent to {destination}"
    )


def _given(name: str) -> bool:
    source = click.get_current_context().get_parameter_source(name)
    return source is not click.core.ParameterSource.DEFAULT


COMMANDS = (issue,)
