"""``gbt15311 printer``: each office printer's correction, saved once and used by name."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import click

from gbt15311.printers import (
    CHARSETS,
    PrinterProfile,
    get_profile,
    load_profiles,
    profiles_path,
    remove_profile,
    save_profile,
)


@click.group()
def printer() -> None:
    """Printer profiles: offsets (and scales) that make a printer land the grid on the blank.

    Read the values off the calibration sheet ('gbt15311 calibrate'); see docs/printers.md.
    """


def _describe(profile: PrinterProfile) -> str:
    left, right = profile.escp_hanzi_spacing
    return (
        f"{profile.name}: dx {profile.dx_mm:+g} mm, dy {profile.dy_mm:+g} mm, "
        f"sx {profile.sx:g}, sy {profile.sy:g}; ESC/P origin {profile.escp_left}/60 in, "
        f"{profile.escp_top}/360 in, hanzi spacing {left},{right}, {profile.escp_charset}"
    )


def _spacing(ctx: click.Context, param: click.Parameter, text: str | None) -> Any:
    if text is None:
        return None
    try:
        left, right = (int(n) for n in text.split(","))
    except ValueError:
        raise click.BadParameter(f"{text!r} is not two whole numbers such as 6,6") from None
    return (left, right)


@printer.command("set")
@click.argument("name")
@click.option("--dx", type=float, help="mm; positive moves the print right.")
@click.option("--dy", type=float, help="mm; positive moves the print down.")
@click.option("--sx", type=float, help="Horizontal scale, 100/L for a 100 mm ruler printed L mm.")
@click.option("--sy", type=float, help="Vertical scale, 100/L for a 100 mm ruler printed L mm.")
@click.option(
    "--escp-left", type=int, help="ESC/P: the printer's left margin, 1/60 in from the paper edge."
)
@click.option(
    "--escp-top", type=int, help="ESC/P: the printer's top margin, 1/360 in from the paper top."
)
@click.option(
    "--hanzi-spacing",
    callback=_spacing,
    metavar="N1,N2",
    help="ESC/P: FS S spacing left and right of a hanzi in 1/180 in, adding up to 12.",
)
@click.option("--charset", type=click.Choice(CHARSETS), help="ESC/P: the printer's hanzi set.")
def set_(
    name: str,
    dx: float | None,
    dy: float | None,
    sx: float | None,
    sy: float | None,
    escp_left: int | None,
    escp_top: int | None,
    hanzi_spacing: tuple[int, int] | None,
    charset: str | None,
) -> None:
    """Save printer NAME's correction; values not given keep their saved value (or none)."""
    old = load_profiles().get(name) or PrinterProfile(name)
    given: dict[str, Any] = {
        "dx_mm": dx,
        "dy_mm": dy,
        "sx": sx,
        "sy": sy,
        "escp_left": escp_left,
        "escp_top": escp_top,
        "escp_hanzi_spacing": hanzi_spacing,
        "escp_charset": charset,
    }
    profile = replace(old, **{key: value for key, value in given.items() if value is not None})
    path = save_profile(profile)
    click.echo(f"{_describe(profile)} (saved in {path})")


@printer.command("list")
def list_() -> None:
    """List the saved printer profiles."""
    profiles = load_profiles()
    if not profiles:
        click.echo(
            f"no printer profiles yet ({profiles_path()}); add one with "
            "'gbt15311 printer set NAME --dx MM --dy MM'"
        )
    for name in sorted(profiles):
        click.echo(_describe(profiles[name]))


@printer.command()
@click.argument("name")
def show(name: str) -> None:
    """Show printer NAME's correction and where it is kept."""
    click.echo(_describe(get_profile(name)))
    click.echo(f"file: {profiles_path()}")


@printer.command()
@click.argument("name")
def remove(name: str) -> None:
    """Delete printer NAME's profile."""
    click.echo(f"removed {_describe(remove_profile(name))}")


COMMANDS = (printer,)
