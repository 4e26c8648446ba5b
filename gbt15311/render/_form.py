"""Drawing the printed form itself (frame, boxes, captions, titles) for proof and archive copies.

The overlay never calls this: the blank already carries the form. Rules are at least 0.3 pt
so that they survive a photocopy of an archive copy.
"""

from __future__ import annotations

from typing import Any

from gbt15311.cells import cell_len
from gbt15311.grid import COLUMN_PITCH_MM, POINTS_PER_MM, Grid
from gbt15311.templates import Page, Text
from gbt15311.typeset import TextWriter, baseline

FORM_INK = (0.05, 0.25, 0.5)
"""The blank's printing colour: a dark blue, so that data (black) stand out on a proof."""
SERIAL_INK = (0.75, 0.05, 0.05)
"""Printed serial numbers are red on the blanks."""
_K = float(POINTS_PER_MM)
_COLUMN_MM = float(COLUMN_PITCH_MM)


def write_text(writer: TextWriter, grid: Grid, text: Text, content: str | None = None) -> None:
    """A caption or heading at its scale, aligned in its area and centred on its lines."""
    content = text.text if content is None else content
    area = text.area
    free = area.width - cell_len(content) * text.scale
    shift = {"left": text.inset, "center": free / 2, "right": free - text.inset}[text.align]
    x = float(grid.column_left(area.first_column)) + shift * _COLUMN_MM
    y = baseline(float(grid.line_top(area.first_line)), area.height, text.scale)
    writer.write(content, x, y, text.scale)


def draw_page(canvas: Any, writer: TextWriter, grid: Grid, page: Page, height_mm: float) -> None:
    """The frame's boxes with their rules, then their captions and the headings."""
    canvas.setStrokeColorRGB(*FORM_INK)
    canvas.setLineWidth(0.6)
    path = canvas.beginPath()
    thin = canvas.beginPath()
    for box in page.boxes:
        left, top, right, bottom = (float(v) for v in grid.box(box.area))
        if box.border:
            path.rect(
                left * _K, (height_mm - bottom) * _K, (right - left) * _K, (bottom - top) * _K
            )
        for column in box.dividers:
            x = float(grid.column_left(column)) * _K
            thin.moveTo(x, (height_mm - top) * _K)
            thin.lineTo(x, (height_mm - bottom) * _K)
        for line in box.rules:
            y = (height_mm - float(grid.line_top(line))) * _K
            thin.moveTo(left * _K, y)
            thin.lineTo(right * _K, y)
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.setLineWidth(0.3)
    canvas.drawPath(thin, stroke=1, fill=0)
    writer.colour(FORM_INK)
    for heading in page.headings:
        write_text(writer, grid, heading)
    for box in page.boxes:
        for caption in box.captions:
            write_text(writer, grid, caption)
