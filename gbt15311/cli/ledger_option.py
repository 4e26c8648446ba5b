"""``--db URL``, taken before the subcommand or after it, as the docs promise.

``gbt15311 custody --db URL verify`` and ``gbt15311 custody verify --db URL`` name the same
ledger: the groups of ledger commands add the option to each of their commands, and a URL
given after the subcommand wins over one given before it. A URL that cannot be used is a
usage error (exit 2) saying how to write one, before any database is touched.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import click

import gbt15311.custody.store._database as database
from gbt15311.cli.reporting import ReportingGroup
from gbt15311.exceptions import CustodyError


class _LedgerUrl(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2
    name = "url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            database.parse(str(value))
        except CustodyError as error:
            self.fail(str(error), param, ctx)
        return str(value)


LEDGER_URL = _LedgerUrl()


def _after(ctx: click.Context, _param: click.Parameter, url: str | None) -> None:
    """The subcommand's ``--db``: replaces the group's URL in the settings the command reads."""
    if url is not None:
        ctx.obj = dataclasses.replace(ctx.obj, url=url)


class LedgerGroup(ReportingGroup):
    """A group whose every command also takes ``--db URL`` after its name."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not any(param.name == "db" for param in cmd.params):
            cmd.params.append(
                click.Option(
                    ["--db"],
                    metavar="URL",
                    type=LEDGER_URL,
                    expose_value=False,
                    callback=_after,
                    help="Ledger database URL, as for `gbt15311 custody --db`.",
                )
            )
        super().add_command(cmd, name)
