"""Printer profiles: each office printer's correction, kept apart from the form template.

A printer feeds paper a little off: its print lands ``dx`` mm right and ``dy`` mm down of
where the PDF puts it, or its rollers stretch a page by a per-mille or two. A profile undoes
that at render time (positive ``dx`` moves the print right, positive ``dy`` down; ``sx``/``sy``
scale about the paper's top-left corner), so one template serves every printer in the office.
The profiles live in ``printers.toml`` in the user's configuration directory; read them with
``load_profiles`` and change them with ``save_profile`` / ``remove_profile``.

    >>> PrinterProfile("front-desk", dx_mm=1.5, dy_mm=-0.5).place(20.0, 30.0)
    (21.5, 29.5)
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from pydantic import Field

from gbt15311.config import Strict, read_toml, validate
from gbt15311.exceptions import PrinterProfileError

MAX_OFFSET_MM = 30.0
"""A larger offset means the wrong paper or the wrong tray, not a printer to correct."""
MIN_SCALE, MAX_SCALE = 0.9, 1.1
"""A scale outside this means the driver is scaling the page: switch that off instead."""
MAX_NAME = 64
CHARSETS = ("GB18030", "GB2312")
"""Character sets of dot-matrix printers' resident hanzi fonts: GB2312 on older ROMs."""
HANZI_SPACING_DOTS = 12
"""A 24-dot hanzi plus its left and right spacing must make 36 dots (1/180"): two columns."""
MAX_ESCP_LEFT, MAX_ESCP_TOP = 120, 720
"""2 inches either way (in 1/60" and 1/360"): more is the wrong paper guide, not an origin."""


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    """One printer's correction: offsets in mm, scales as factors, for the PDF; and for
    ESC/P text mode, where the printer's own position 0 lies on the paper (in its units),
    the hanzi spacing and the character set of its resident font."""

    name: str
    dx_mm: float = 0.0
    dy_mm: float = 0.0
    sx: float = 1.0
    sy: float = 1.0
    escp_left: int = 0
    """The printer's horizontal position 0 (its left margin), in 1/60" from the paper's left
    edge."""
    escp_top: int = 0
    """The printer's vertical position 0 (its top margin), in 1/360" from the paper's top."""
    escp_hanzi_spacing: tuple[int, int] = (6, 6)
    """``FS S n1 n2``: space left and right of a hanzi, in 1/180"; they must add up to 12."""
    escp_charset: str = "GB18030"

    def __post_init__(self) -> None:
        _check_name(self.name)
        self._check_pdf()
        self._check_escp()

    def _check_pdf(self) -> None:
        for label, offset in (("dx", self.dx_mm), ("dy", self.dy_mm)):
            if not math.isfinite(offset) or abs(offset) > MAX_OFFSET_MM:
                raise PrinterProfileError(
                    f"printer {self.name!r}: {label} = {offset} mm is outside "
                    f"±{MAX_OFFSET_MM:g} mm; check the paper and the tray before calibrating"
                )
        for label, scale in (("sx", self.sx), ("sy", self.sy)):
            if not math.isfinite(scale) or not MIN_SCALE <= scale <= MAX_SCALE:
                raise PrinterProfileError(
                    f"printer {self.name!r}: {label} = {scale} is outside "
                    f"{MIN_SCALE}-{MAX_SCALE}; switch off the driver's page scaling "
                    '("actual size", 100 %) instead'
                )

    def _check_escp(self) -> None:
        for label, value, most in (
            ("escp_left", self.escp_left, MAX_ESCP_LEFT),
            ("escp_top", self.escp_top, MAX_ESCP_TOP),
        ):
            if not _whole(value) or not 0 <= value <= most:
                raise PrinterProfileError(
                    f"printer {self.name!r}: {label} = {value!r} must be a whole number "
                    f"from 0 to {most} (the printer's units)"
                )
        spacing = self.escp_hanzi_spacing
        if (
            not isinstance(spacing, tuple)
            or len(spacing) != 2
            or not all(_whole(n) and n >= 0 for n in spacing)
            or sum(spacing) != HANZI_SPACING_DOTS
        ):
            raise PrinterProfileError(
                f"printer {self.name!r}: escp_hanzi_spacing = {spacing!r} must be two whole "
                f'numbers adding up to {HANZI_SPACING_DOTS} (1/180"), such as (6, 6) or '
                "(0, 12), so that a 24-dot hanzi takes exactly two columns"
            )
        if self.escp_charset not in CHARSETS:
            raise PrinterProfileError(
                f"printer {self.name!r}: escp_charset = {self.escp_charset!r} must be one of "
                f"{', '.join(CHARSETS)}"
            )

    def place(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        """Where a point meant for ``(x, y)`` must be put so this printer lands it there."""
        return (x_mm * self.sx + self.dx_mm, y_mm * self.sy + self.dy_mm)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise PrinterProfileError("a printer profile needs a name")
    if len(name) > MAX_NAME or not name.isprintable():
        raise PrinterProfileError(
            f"printer name {name!r} must be printable and at most {MAX_NAME} characters"
        )


def profiles_path() -> Path:
    """The profiles file: ``printers.toml`` in the user's configuration directory."""
    return platformdirs.user_config_path("gbt15311", appauthor=False) / "printers.toml"


def load_profiles(path: Path | None = None) -> dict[str, PrinterProfile]:
    """Every saved profile by name; none when the file does not exist yet."""
    path = path or profiles_path()
    if not path.exists():
        return {}
    data = read_toml(path, "the printer profiles", PrinterProfileError)
    printers = data.get("printers", {})
    if not isinstance(printers, dict):
        raise PrinterProfileError(
            f"{path}: printers: expected a table of profiles, [printers.NAME]; got {printers!r}"
        )
    return {name: _profile(path, name, entry) for name, entry in printers.items()}


class _Entry(Strict):
    """One ``[printers.NAME]`` table as written; the ranges are ``PrinterProfile``'s."""

    dx_mm: float = Field(0.0, description="a number of mm")
    dy_mm: float = Field(0.0, description="a number of mm")
    sx: float = Field(1.0, description="a number such as 1.002")
    sy: float = Field(1.0, description="a number such as 0.998")
    escp_left: int = Field(0, description=f'a whole number from 0 to {MAX_ESCP_LEFT} (1/60")')
    escp_top: int = Field(0, description=f'a whole number from 0 to {MAX_ESCP_TOP} (1/360")')
    escp_hanzi_spacing: list[int] = Field(
        [6, 6],
        description=f"two whole numbers adding up to {HANZI_SPACING_DOTS}, such as [6, 6]",
    )
    escp_charset: str = Field("GB18030", description=f"one of {', '.join(CHARSETS)}")


def _profile(path: Path, name: str, entry: object) -> PrinterProfile:
    bare = re.fullmatch(r"[A-Za-z0-9_-]+", name)
    where = f"printers.{name if bare else json.dumps(name, ensure_ascii=False)}"
    if not isinstance(entry, dict):
        raise PrinterProfileError(
            f"{path}: {where}: expected a table of the printer's corrections; got {entry!r}"
        )
    values = validate(_Entry, entry, str(path), PrinterProfileError, at=where)
    spacing = tuple(values.escp_hanzi_spacing)
    try:
        return PrinterProfile(name, **(values.model_dump() | {"escp_hanzi_spacing": spacing}))
    except PrinterProfileError as error:
        raise PrinterProfileError(f"{path}: {error}") from error


def get_profile(name: str, path: Path | None = None) -> PrinterProfile:
    """The profile called ``name``; the error lists the names there are."""
    profiles = load_profiles(path)
    try:
        return profiles[name]
    except KeyError:
        known = ", ".join(sorted(profiles)) or "none yet; add one with 'gbt15311 printer set'"
        raise PrinterProfileError(
            f"no printer profile named {name!r} (profiles: {known})"
        ) from None


def save_profile(profile: PrinterProfile, path: Path | None = None) -> Path:
    """Add or replace a profile; the file is replaced whole, so a crash never leaves half."""
    path = path or profiles_path()
    profiles = load_profiles(path)
    profiles[profile.name] = profile
    _write(path, profiles)
    return path


def remove_profile(name: str, path: Path | None = None) -> PrinterProfile:
    """Delete a profile and return it."""
    path = path or profiles_path()
    profile = get_profile(name, path)
    profiles = load_profiles(path)
    del profiles[name]
    _write(path, profiles)
    return profile


def _write(path: Path, profiles: dict[str, PrinterProfile]) -> None:
    lines = ["# Printer corrections for gbt15311: 'gbt15311 printer set NAME --dx MM --dy MM'.", ""]
    for name in sorted(profiles):
        profile = profiles[name]
        # A JSON string is a valid TOML basic string.
        lines += [
            f"[printers.{json.dumps(name, ensure_ascii=False)}]",
            f"dx_mm = {profile.dx_mm!r}",
            f"dy_mm = {profile.dy_mm!r}",
            f"sx = {profile.sx!r}",
            f"sy = {profile.sy!r}",
            f"escp_left = {profile.escp_left}",
            f"escp_top = {profile.escp_top}",
            f"escp_hanzi_spacing = [{', '.join(map(str, profile.escp_hanzi_spacing))}]",
            f'escp_charset = "{profile.escp_charset}"',
            "",
        ]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".toml.tmp")
        temporary.write_text("\n".join(lines), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        raise PrinterProfileError(f"{path}: cannot write the printer profiles: {error}") from error
