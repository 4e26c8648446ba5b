"""The calibration sheet: printed on plain paper and held over a blank, it shows a printer's
offsets and scale.

At each corner of the frame a crosshair marks where the template puts the corner, inside a
patch of 1 mm cells labelled −3 to +3: where the blank's own frame corner shows through, read
across for ``dx`` and down for ``dy`` (right and down positive; add them to the printer's
current profile). Two 100 mm rulers show a printer that stretches or shrinks the page: a
ruler measuring L mm means a scale of 100/L. The outline of every data slot shows whether
data would land on the blank's captions. The instructions are printed on the sheet.
"""

from __future__ import annotations

import io
from typing import Any

from gbt15311.cells import wrap
from gbt15311.grid import COLUMN_PITCH_MM, POINTS_PER_MM
from gbt15311.printers import PrinterProfile
from gbt15311.render._document import PdfWriter
from gbt15311.render._form import FORM_INK
from gbt15311.render._options import RenderOptions
from gbt15311.templates import Template, default_template
from gbt15311.typeset import TextWriter

_K = float(POINTS_PER_MM)
PATCH_MM = 3
"""The offset patches read from −3 to +3 mm; larger offsets are read on the rulers."""
RULER_MM = 100
_SLOT_INK = (0.1, 0.55, 0.2)
_INK = (0.0, 0.0, 0.0)
_NOTE_SCALES = (0.55, 0.5, 0.45, 0.4, 0.35)

INSTRUCTIONS = (
    "校准步骤 How to calibrate",
    "1. 用普通白纸打印本页，打印设置选“实际大小”（100%），不要“适合页面”。"
    ' Print on plain paper at actual size (100 %), never "fit to page".',
    "2. 把本页叠在一张空白许可证上，纸边对齐，对着光看。"
    " Lay the sheet on a blank, paper edges together, and hold both against the light.",
    "3. 在四角的偏移格里找空白证框线的角：横向读数为 dx，纵向读数为 dy（毫米，向右、向下为正）。"
    " In the corner grids find the blank's frame corner: read across for dx and down for dy"
    " (mm; right and down are positive).",
    "4. 用尺量两条 100 mm 标尺；量得 L mm，则比例为 100/L。"
    " Measure both 100 mm rulers: one measuring L mm gives a scale of 100/L.",
    "5. 把读数加到上面所示的当前值，保存： gbt15311 printer set NAME --dx DX --dy DY"
    " [--sx SX --sy SY]. Add the readings to the current values shown above and save.",
    "6. 用 --printer NAME 再打印本页，十字应落在空白证的角上，绿框不压印刷文字。"
    " Print the sheet again with --printer NAME: the crosses must sit on the blank's corners"
    " and no green slot may cover printed text.",
)


def render_calibration(
    *, printer: PrinterProfile | None = None, template: Template | None = None
) -> bytes:
    """The calibration sheet as a one-page PDF, with ``printer``'s correction applied."""
    template = template or default_template()
    buffer = io.BytesIO()
    writer = PdfWriter(
        buffer,
        options=RenderOptions(printer=printer, template=template),
        title=f"校准页 Calibration sheet ({template.name})",
    )
    writer.draw(lambda canvas, text: _sheet(canvas, text, template, printer))
    writer.close()
    return buffer.getvalue()


def _sheet(
    canvas: Any, text: TextWriter, template: Template, printer: PrinterProfile | None
) -> None:
    height = float(template.paper_mm[1])
    grid = template.grid

    def point(x: float, y: float) -> tuple[float, float]:
        return x * _K, (height - y) * _K

    def line(x0: float, y0: float, x1: float, y1: float) -> None:
        canvas.line(*point(x0, y0), *point(x1, y1))

    left, top, right, bottom = (float(v) for v in grid.box(template.frame))
    canvas.setStrokeColorRGB(*_INK)
    text.colour(_INK)
    for x, y in ((left, top), (right, top), (left, bottom), (right, bottom)):
        _patch(canvas, text, line, x, y)
    _rulers(canvas, text, line, left, top)
    canvas.setStrokeColorRGB(*_SLOT_INK)
    canvas.setLineWidth(0.4)
    canvas.setDash(2, 1.5)
    for _, slot in template.slots():
        rows = range(template.table.rows) if slot.is_item else range(1)
        for row in rows:
            area = template.table.shift(slot.area, row) if slot.is_item else slot.area
            x0, y0, x1, y1 = (float(v) for v in grid.box(area))
            canvas.rect(*point(x0, y1), (x1 - x0) * _K, (y1 - y0) * _K, stroke=1, fill=0)
    canvas.setDash()
    text.colour(FORM_INK)
    profile = printer or PrinterProfile("(none)")
    text.write("校准页 CALIBRATION SHEET", left, 13.5, 1.0)
    text.write(
        f"printer {profile.name}: dx {profile.dx_mm:+.2f} mm, dy {profile.dy_mm:+.2f} mm, "
        f"sx {profile.sx:.4f}, sy {profile.sy:.4f}; template {template.name}",
        left + 62,
        13.5,
        0.5,
    )
    _instructions(text, template)


def _patch(canvas: Any, text: TextWriter, line: Any, x: float, y: float) -> None:
    """A crosshair at (x, y) in a patch of 1 mm cells from −3 to +3 mm, labelled."""
    canvas.setLineWidth(0.15)
    for d in range(-PATCH_MM, PATCH_MM + 1):
        line(x + d, y - PATCH_MM, x + d, y + PATCH_MM)
        line(x - PATCH_MM, y + d, x + PATCH_MM, y + d)
    canvas.setLineWidth(0.5)
    line(x - 8, y, x + 8, y)
    line(x, y - 8, x, y + 8)
    for d in range(-PATCH_MM, PATCH_MM + 1, 3):
        label = f"{d:+d}" if d else "0"
        # Beside their lines, clear of the crosshair's arms.
        text.write(label, x + d + 0.3, y - PATCH_MM - 1.5, 0.3)
        text.write(label, x + PATCH_MM + 0.6, y + d - 0.3, 0.3)


def _rulers(canvas: Any, text: TextWriter, line: Any, left: float, top: float) -> None:
    """100 mm rulers: across above the frame from its left edge, down left of it, ticked
    every millimetre."""
    canvas.setLineWidth(0.2)
    across, down, start = top - 6, left - 10, top + 10
    line(left, across, left + RULER_MM, across)
    line(down, start, down, start + RULER_MM)
    for mm in range(RULER_MM + 1):
        tick = 3.5 if mm % 10 == 0 else 2.5 if mm % 5 == 0 else 1.5
        line(left + mm, across, left + mm, across - tick)
        line(down, start + mm, down + tick, start + mm)
        if mm % 10 == 0:
            text.write(str(mm), left + mm + 0.4, across - 2.4, 0.35)
            text.write(str(mm), down + 4, start + mm + 0.8, 0.35)
    text.write("100 mm", left + RULER_MM + 2, across - 0.5, 0.45)
    text.write("100 mm", down - 2, start + RULER_MM + 4, 0.45)


def _instructions(text: TextWriter, template: Template) -> None:
    """The procedure, in the free cells the template names for it, as large as fits."""
    area = template.calibration_notes
    left, top, _, bottom = (float(v) for v in template.grid.box(area))
    for scale in _NOTE_SCALES:
        positions = int(area.width / scale)
        paragraphs = [wrap(paragraph, positions) for paragraph in INSTRUCTIONS]
        row = float(COLUMN_PITCH_MM) * 2 * scale * 1.1
        if sum(len(p) for p in paragraphs) * row + len(paragraphs) * row / 4 <= bottom - top:
            break
    y = top + row * 0.8
    for paragraph in paragraphs:
        for line in paragraph:
            text.write(line, left, y, scale)
            y += row
        y += row / 4
