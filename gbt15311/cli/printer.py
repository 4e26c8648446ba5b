"""``gbt15311 printer``: each office printer's correction, saved once and used by name."""

from __future__ import annotations

import click

from gbt15311.printers import (
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
    return (
        f"{profile.name}: dx {profile.dx_mm:+g} mm, dy {profile.dy_mm:+g} mm, "
        f"sx {profile.sx:g}, sy {profile.sy:g}"
    )


@printer.command("set")
@click.argument("name")
@click.option("--dx", type=float, help="mm; positive moves the print right.")
@click.option("--dy", type=float, help="mm; positive moves the print down.")
@click.option("--sx", type=float, help="Horizontal scale, 100/L for a 100 mm ruler printed L mm.")
@click.option("--sy", type=float, help="Vertical scale, 100/L for a 100 mm ruler printed L mm.")
def set_(name: str, dx: float | None, dy: float | None, sx: float | None, sy: float | None) -> None:
    """Save printer NAME's correction; values not given keep their saved value (or none)."""
    old = load_profiles().get(name) or PrinterProfile(name)
    profile = PrinterProfile(
        name,
        dx_mm=old.dx_mm if dx is None else dx,
        dy_mm=old.dy_mm if dy is None else dy,
        sx=old.sx if sx is None else sx,
        sy=old.sy if sy is None else sy,
    )
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
