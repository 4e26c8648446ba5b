"""Reading characters back from rendered PDFs, to check them against the grid."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pdfplumber

from gbt15311.cells import char_width
from gbt15311.grid import COLUMN_PITCH_MM, POINTS_PER_MM
from gbt15311.layout import Placement
from gbt15311.templates import Template
from gbt15311.typeset import SIZE_PT, baseline

K = float(POINTS_PER_MM)
TOLERANCE_MM = 0.2


@dataclass(frozen=True)
class Glyph:
    """A character found in a PDF: its text, its horizontal centre and baseline, in mm."""

    text: str
    centre_mm: float
    baseline_mm: float
    size: float


def glyphs(pdf: bytes) -> list[list[Glyph]]:
    """Every page's characters in content order, in mm from the paper's top-left corner."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [
            [
                Glyph(
                    c["text"],
                    (c["x0"] + c["x1"]) / 2 / K,
                    (page.height - c["matrix"][5]) / K,
                    round(c["size"], 2),
                )
                for c in page.chars
            ]
            for page in document.pages
        ]


def scales(template: Template) -> dict[str, float]:
    """The slots drawn smaller than the data (the currency in the captions)."""
    return {slot.key: slot.scale for _, slot in template.slots() if slot.scale != 1}


def data_glyphs(page: list[Glyph], template: Template | None = None) -> list[Glyph]:
    """The characters printed at the data's size (data and the printed serial), and those
    inside the template's smaller slots (not the captions beside them)."""
    smaller = []
    if template is not None:
        for _, slot in template.slots():
            if slot.scale != 1:
                left, top, right, _ = (float(v) for v in template.grid.box(slot.area))
                size = round(SIZE_PT * slot.scale, 2)
                smaller.append((size, baseline(top, 1, slot.scale), left, right))
    return [
        g
        for g in page
        if g.size == SIZE_PT
        or any(
            g.size == size and abs(g.baseline_mm - base) < 0.05 and left < g.centre_mm < right
            for size, base, left, right in smaller
        )
    ]


def expected_cells(
    template: Template, placements: list[Placement]
) -> list[tuple[str, float, float]]:
    """Each character's centre and baseline as the placements put it on the grid: centred in
    its cells, or for a smaller slot, the value's run centred in the slot's cells."""
    grid = template.grid
    smaller = scales(template)
    out = []
    for p in placements:
        scale = smaller.get(p.field, 1.0)
        left = float(grid.column_left(p.column)) + p.width * (1 - scale) / 2 * float(
            COLUMN_PITCH_MM
        )
        base = baseline(float(grid.line_top(p.line)), 1, scale)
        offset = 0
        for ch in p.text:
            width = char_width(ch)
            centre = left + (offset + width / 2) * scale * float(COLUMN_PITCH_MM)
            out.append((ch, centre, base))
            offset += width
    return out


def assert_on_grid(
    page: list[Glyph], expected: list[tuple[str, float, float]], template: Template
) -> None:
    found = data_glyphs(page, template)
    assert [g.text for g in found] == [e[0] for e in expected]
    for glyph, (ch, centre, base) in zip(found, expected, strict=True):
        assert abs(glyph.centre_mm - centre) <= TOLERANCE_MM, (ch, glyph, centre)
        assert abs(glyph.baseline_mm - base) <= TOLERANCE_MM, (ch, glyph, base)
