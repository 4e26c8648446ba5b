"""A form template as plain data: the paper, the grid, and what stands where on it.

A template says where everything of the printed form is (titles, boxes, captions) and where
the data go (slots), in the standard's grid positions. It holds no printer correction: those
are printer profiles, applied at render time. ``loader`` reads and checks templates.

Its parts are named tuples: immutable values like frozen dataclasses, and made in a fraction of
the time when a command starts (nine dataclasses cost a start about 6 ms). ``_replace`` derives
one with a value changed.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal, NamedTuple

from gbt15311.cells import cell_len
from gbt15311.grid import Area, Grid

Align = Literal["left", "center", "right"]


class Text(NamedTuple):
    """Printed form text (a caption, a heading): ``scale`` times the grid's pitch, in its area,
    kept ``inset`` columns off the area's edge it is aligned to (off a box's border)."""

    area: Area
    text: str
    scale: float
    align: Align = "left"
    inset: float = 0.0

    @property
    def columns(self) -> float:
        """The columns the text takes, its inset included."""
        return cell_len(self.text) * self.scale + (self.inset if self.align != "center" else 0)


class Slot(NamedTuple):
    """Where one value of the licence prints. ``fill`` puts it between anti-alteration marks;
    ``scale`` below 1 draws it smaller in the PDF, centred in its cells, as the currency set
    in a caption's brackets (a dot-matrix printer prints every value at full size)."""

    key: str
    area: Area
    align: Align = "left"
    fill: bool = False
    scale: float = 1.0

    @property
    def is_item(self) -> bool:
        """Item slots give the first row's area and repeat down the item table."""
        return self.key.startswith("items.")


class Box(NamedTuple):
    """A ruled box of the form: its number, border, inner rules, captions and slots."""

    number: int | None
    area: Area
    border: bool
    dividers: tuple[int, ...]
    """Columns whose left edge carries a vertical rule across the box."""
    rules: tuple[int, ...]
    """Lines whose top edge carries a horizontal rule across the box."""
    captions: tuple[Text, ...]
    slots: tuple[Slot, ...]

    @property
    def label(self) -> str:
        """How error messages name the box."""
        return f"box {self.number} ({self.area})" if self.number else f"box {self.area}"


class Part(NamedTuple):
    """One part of the multi-part set, with the caption printed on it."""

    number: int
    caption: Text


class Table(NamedTuple):
    """The item table: item slots repeat every ``row_lines`` lines, ``rows`` times."""

    first_line: int
    rows: int
    row_lines: int

    def shift(self, area: Area, row: int) -> Area:
        """The area of an item slot in row ``row`` (0-based)."""
        step = row * self.row_lines
        return Area(
            area.first_line + step, area.last_line + step, area.first_column, area.last_column
        )


class Fill(NamedTuple):
    """The anti-alteration fill of issuing practice."""

    enabled: bool
    char: str
    after_last_item: bool
    when_empty: tuple[str, ...] = ()
    """Slots (not item slots) that get a run of the fill when the licence leaves them empty,
    such as the totals' quantity and unit when the items' units differ."""


class Serial(NamedTuple):
    """The blank's printed serial (``No.0012345``) and the overlay's control stamp."""

    area: Area
    prefix: str
    digits: int
    stamp: Text | None
    """Its text holds ``{serial}``; printed in overlay mode only, where the blank is free."""


class Page(NamedTuple):
    """One side of a part: headings above the frame and the boxes."""

    headings: tuple[Text, ...]
    boxes: tuple[Box, ...]


class Template(NamedTuple):
    """A checked form template; build one with ``load_template``."""

    name: str
    form: str
    """The form it prints (``forms.FORMS``): a licence prints only on its own form's template."""
    title: str
    source: str
    """Where it was read from, for error messages and the PDF's metadata."""
    paper_mm: tuple[Fraction, Fraction]
    grid: Grid
    lines: int
    columns: int
    top_lines: int
    fill: Fill
    serial: Serial | None
    marks: dict[str, Text]
    """Mode marks (``proof``, ``archive``) printed below the frame."""
    table: Table
    calibration_notes: Area
    """Free cells of the form where the calibration sheet prints its instructions."""
    front: Page
    parts: tuple[Part, ...]
    back: Page | None
    """The back of part 1 (the original): the customs endorsement."""

    @property
    def frame(self) -> Area:
        return Area(1, self.lines, 1, self.columns)

    def part(self, number: int) -> Part:
        for part in self.parts:
            if part.number == number:
                return part
        raise KeyError(number)

    def slots(self) -> list[tuple[Box, Slot]]:
        """Every slot of the front with its box, in template order."""
        return [(box, slot) for box in self.front.boxes for slot in box.slots]
