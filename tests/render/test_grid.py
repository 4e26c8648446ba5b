"""The grid's geometry is exact: computed from integers, never accumulated."""

from __future__ import annotations

from fractions import Fraction

import pytest

from gbt15311.grid import COLUMN_PITCH_MM, LINE_PITCH_MM, Area, Grid
from gbt15311.templates import Template


def test_pitches_are_ten_columns_and_six_lines_to_the_inch() -> None:
    inch = Fraction(254, 10)
    assert (inch, inch) == (COLUMN_PITCH_MM * 10, LINE_PITCH_MM * 6)


def test_default_frame_origin_follows_the_notes(template: Template) -> None:
    grid = template.grid
    assert grid.column_left(1) == 20
    assert grid.line_top(1) == 10 + 4 * LINE_PITCH_MM
    # Column P's left edge at 20 mm + (P-1) * 2.54 mm, exactly, to the last column.
    for column in range(1, 74):
        assert grid.column_left(column) == 20 + (column - 1) * Fraction(254, 100)
    assert grid.line_top(62) == grid.line_top(1) + 61 * Fraction(254, 60)


def test_far_lines_are_as_exact_as_near_ones() -> None:
    grid = Grid(Fraction(20), Fraction(10))
    step = grid.line_top(2) - grid.line_top(1)
    assert all(grid.line_top(n + 1) - grid.line_top(n) == step for n in range(-5, 200))


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("L7-12 P1-36", Area(7, 12, 1, 36)),
        ("L29—31 P37—49", Area(29, 31, 37, 49)),
        ("L59 P37", Area(59, 59, 37, 37)),
        ("L-3--2 P13-60", Area(-3, -2, 13, 60)),
    ],
)
def test_areas_read_as_the_standard_writes_them(text: str, area: Area) -> None:
    assert Area.parse(text) == area
    assert Area.parse(str(area)) == area


@pytest.mark.parametrize("text", ["P1-36", "L7-12", "L12-7 P1-2", "L1 P0-3", "L1 P5-2", "x"])
def test_bad_areas_are_refused_naming_the_text(text: str) -> None:
    with pytest.raises(ValueError, match=r"L7-12 P1-36|ends before|left of column"):
        Area.parse(text)


def test_containment_and_overlap() -> None:
    box = Area.parse("L1-6 P1-36")
    assert box.contains(Area.parse("L2-3 P2-36"))
    assert not box.contains(Area.parse("L2-3 P2-37"))
    assert box.overlaps(Area.parse("L6 P36-40"))
    assert not box.overlaps(Area.parse("L7 P1"))
    assert (box.width, box.height) == (36, 6)
