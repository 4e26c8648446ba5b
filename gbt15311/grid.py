"""The form's fixed-pitch grid: 10 columns and 6 lines to the inch, measured from the frame.

The standard numbers positions from the form's frame (``L7-12 P1-36``: line 1 is the first line
under the top border, column 1 the first right of the left border), so a grid is a frame origin
on the paper plus integer steps. Every coordinate is computed from integers and the origin as an
exact fraction, never by adding pitches up, so line 61 is exactly as precise as line 1.

Coordinates are millimetres from the paper's top-left corner, y growing downwards, as a
clerk measures a blank with a ruler. An area and a grid are named tuples: immutable, ordered
as the standard reads them (line, then column), and made at start in a fraction of a frozen
dataclass's time.

    >>> grid = Grid(left_mm=Fraction(20), top_mm=Fraction(10) + 4 * LINE_PITCH_MM)
    >>> float(grid.column_left(1)), float(grid.column_left(72) + COLUMN_PITCH_MM)
    (20.0, 202.88)
    >>> Area.parse("L29-31 P37-49")
    Area(first_line=29, last_line=31, first_column=37, last_column=49)
    >>> Area.parse("L29-31 P37-49").width
    13
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import NamedTuple

MM_PER_INCH = Fraction(254, 10)
COLUMN_PITCH_MM = MM_PER_INCH / 10
"""One print position: 1/10 inch, 2.54 mm (10 characters per inch)."""
LINE_PITCH_MM = MM_PER_INCH / 6
"""One line: 1/6 inch, about 4.2333 mm (6 lines per inch)."""
POINTS_PER_MM = Fraction(72) / MM_PER_INCH


def to_fraction(value: float | int | str | Fraction) -> Fraction:
    """A millimetre value as an exact fraction; floats through their shortest decimal text."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


_AREA = re.compile(r"^\s*L\s*(-?\d+)(?:\s*[-–—]\s*(-?\d+))?\s+P\s*(\d+)(?:\s*[-–—]\s*(\d+))?\s*$")


class Area(NamedTuple):
    """A rectangle of grid cells, lines and columns inclusive, as the standard writes them."""

    first_line: int
    last_line: int
    first_column: int
    last_column: int

    @classmethod
    def parse(cls, text: str) -> Area:
        """Read ``L7-12 P1-36`` (or ``L59 P37``); raise ``ValueError`` naming the text."""
        match = _AREA.match(text)
        if not match:
            raise ValueError(f"{text!r} is not an area such as 'L7-12 P1-36'")
        l1, l2, p1, p2 = match.groups()
        area = cls(int(l1), int(l2 or l1), int(p1), int(p2 or p1))
        if area.last_line < area.first_line or area.last_column < area.first_column:
            raise ValueError(f"{text!r} ends before it starts")
        if area.first_column < 1:
            raise ValueError(f"{text!r} starts left of column 1")
        return area

    @property
    def width(self) -> int:
        return self.last_column - self.first_column + 1

    @property
    def height(self) -> int:
        return self.last_line - self.first_line + 1

    def contains(self, other: Area) -> bool:
        return (
            self.first_line <= other.first_line
            and other.last_line <= self.last_line
            and self.first_column <= other.first_column
            and other.last_column <= self.last_column
        )

    def overlaps(self, other: Area) -> bool:
        return not (
            other.last_line < self.first_line
            or self.last_line < other.first_line
            or other.last_column < self.first_column
            or self.last_column < other.first_column
        )

    def __str__(self) -> str:
        lines = (
            f"L{self.first_line}" if self.height == 1 else f"L{self.first_line}-{self.last_line}"
        )
        columns = (
            f"P{self.first_column}"
            if self.width == 1
            else f"P{self.first_column}-{self.last_column}"
        )
        return f"{lines} {columns}"


class Grid(NamedTuple):
    """Where line 1 / column 1 lies on the paper: the frame's top-left corner, in mm.

    Lines before 1 (0, -1, …) are the lines above the frame, where the title stands.
    """

    left_mm: Fraction
    top_mm: Fraction

    def column_left(self, column: int) -> Fraction:
        """The left edge of a column, from the paper's left edge."""
        return self.left_mm + (column - 1) * COLUMN_PITCH_MM

    def line_top(self, line: int) -> Fraction:
        """The top edge of a line, from the paper's top edge."""
        return self.top_mm + (line - 1) * LINE_PITCH_MM

    def box(self, area: Area) -> tuple[Fraction, Fraction, Fraction, Fraction]:
        """The area's ``(left, top, right, bottom)`` edges on the paper, in mm."""
        return (
            self.column_left(area.first_column),
            self.line_top(area.first_line),
            self.column_left(area.last_column + 1),
            self.line_top(area.last_line + 1),
        )
