"""The ``gbt15311`` command: a thin shell over the library, for clerks and stock keepers.

Each group of commands lives in its own module; this one names them and turns the
library's errors into a message and an exit status, never a traceback. A command's module
is imported only when that command runs, so ``--version``, ``--help`` and each command pay
only for what they use (see ``docs/performance.md``).
"""

from __future__ import annotations

from importlib import import_module

import click

from gbt15311.cli.reporting import ReportingGroup

COMMANDS = {
    "calibrate": (
        "gbt15311.cli.render:calibrate",
        "Write the calibration sheet: print it on plain paper and hold it over a blank.",
    ),
    "custody": (
        "gbt15311.cli.custody:custody",
        "Keep custody of the blank certificates: receive, issue, allocate, use, void, verify.",
    ),
    "issue": (
        "gbt15311.cli.issue:issue",
        "Print the licence in FILE (JSON) on the terminal's next blank and register the use.",
    ),
    "layout": (
        "gbt15311.cli.render:layout",
        "Print where each value of the licence in FILE goes on the grid, as JSON.",
    ),
    "preview": (
        "gbt15311.cli.render:preview",
        "Render the licence in FILE and write one page as a PNG image, to check on screen.",
    ),
    "printer": (
        "gbt15311.cli.printer:printer",
        "Printer profiles: offsets (and scales) that make a printer land the grid on the blank.",
    ),
    "render": (
        "gbt15311.cli.render:render",
        "Render the licence in FILE (JSON) to a PDF for printing, checking or archiving,"
        " or to ESC/P2 bytes for a dot-matrix printer (--format escp).",
    ),
    "render-batch": (
        "gbt15311.cli.render:render_batch",
        "Render every licence of SOURCE, a JSON Lines file or a folder of JSON files,"
        " to one PDF (or one ESC/P2 stream).",
    ),
    "schema": (
        "gbt15311.cli.licence:schema",
        "Print the JSON Schema of a licence of a form, for issuing software to validate against.",
    ),
    "validate": (
        "gbt15311.cli.licence:validate",
        "Check licence JSON FILES against their form (GB/T 15311.1 import, the default, or"
        ' GB/T 15311.2 export, "form": "export"); list every problem of each.',
    ),
}
"""Each command's name → where it lives ("module:attribute") and its one-line summary for
``--help``; ``tests/test_start.py`` holds the summaries to the commands' own help."""


class LazyGroup(ReportingGroup):
    """The top group: imports a command's module when the command is invoked, and lists the
    commands for ``--help`` from ``COMMANDS`` without importing any. A command added with
    ``add_command`` is served as click serves it."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = COMMANDS[cmd_name][0].partition(":")
        command: click.Command = getattr(import_module(module), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            # a lazy command's summary is cut to one line as click cuts a loaded command's help
            command = self.commands.get(name) or click.Command(name, help=COMMANDS[name][1])
            rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup)
@click.version_option(package_name="gbt15311")
def main() -> None:
    """Print Chinese import and export licences (GB/T 15311.1/.2-2008), keep custody of blanks."""
