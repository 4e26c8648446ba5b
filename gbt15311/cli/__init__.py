"""The ``gbt15311`` command: a thin shell over the library, for clerks and stock keepers.

Each group of commands lives in its own module; this one assembles them and turns the
library's errors into a message and an exit status, never a traceback.
"""

from __future__ import annotations

import click

from gbt15311.cli.reporting import ReportingGroup


@click.group(cls=ReportingGroup)
@click.version_option(package_name="gbt15311")
def main() -> None:
    """Print Chinese import licences (GB/T 15311.1-2008) and keep custody of the blanks."""


def _register() -> None:
    from gbt15311.cli import licence

    for command in licence.COMMANDS:
        main.add_command(command)
    from gbt15311.cli import issue, printer, render

    for command in (*render.COMMANDS, *issue.COMMANDS, *printer.COMMANDS):
        main.add_command(command)
    from gbt15311.cli.custody import custody

    main.add_command(custody)


_register()
