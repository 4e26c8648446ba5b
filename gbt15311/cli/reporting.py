"""The command groups' one way of failing: the library's errors as messages, not tracebacks.

Its own module, so the groups of commands use it without importing the command that
assembles them (``gbt15311.cli``), which imports them.
"""

from __future__ import annotations

from typing import Any

import click

from gbt15311.exceptions import Gbt15311Error


class ReportingGroup(click.Group):
    """A group that reports the library's errors as messages (exit 1), not tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Gbt15311Error as error:
            raise click.ClickException(str(error)) from error
