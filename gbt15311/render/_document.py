"""Licences to PDF pages: overlay for the pre-printed blank, proof and archive copies.

``overlay`` prints the data alone, to go onto the real blank; ``proof`` draws the whole form
with the data and a watermark, for checking on screen; ``archive`` draws the whole form as
the office's record of what was issued. Each part of the set is a page; ``carbon_set`` makes
one page instead, for one pass through an impact printer's carbon set. Pages are exactly the
template's paper, the viewer is told not to scale them (``PrintScaling /None``), and a
printer profile shifts and scales everything at render time.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time, timedelta, timezone
from functools import cache
from importlib.metadata import version
from typing import IO, Any

from gbt15311.codes import licence_no
from gbt15311.exceptions import TemplateError
from gbt15311.forms import FORMS, Licence, form_of
from gbt15311.grid import COLUMN_PITCH_MM, POINTS_PER_MM, Grid
from gbt15311.layout import Placement, lay_out, serial_digits, serial_placement, serial_text
from gbt15311.pdfa import ArchiveInfo, pdfa
from gbt15311.render._form import SERIAL_INK, draw_page, write_text
from gbt15311.render._options import Mode, RenderOptions
from gbt15311.templates import Template, default_template
from gbt15311.typeset import TextWriter, baseline

DATA_INK = (0.0, 0.0, 0.0)
WATERMARK_INK = (0.98, 0.85, 0.85)
_K = float(POINTS_PER_MM)
CHINA = timezone(timedelta(hours=8), "CST")
_COLUMN_MM = float(COLUMN_PITCH_MM)


class PdfWriter:
    """Pages of licences into one PDF on ``out``, each as ``options`` say; ``close()`` writes
    it. Without a template in ``options``, the pages are the bundled import licence's.

    ReportLab holds a document's pages until it saves, so the batch renderer opens a writer
    per chunk of licences (see ``render_batch``).
    """

    def __init__(
        self, out: IO[bytes], *, options: RenderOptions | None = None, title: str | None = None
    ) -> None:
        from reportlab.pdfgen.canvas import Canvas

        from gbt15311.font import register

        options = options or RenderOptions()
        self.template = options.template or default_template()
        self.options = replace(options, template=self.template)
        width, height = self.template.paper_mm
        self._height = height
        self._canvas = Canvas(
            out,
            pagesize=(float(width) * _K, float(height) * _K),
            pageCompression=1,
            initialFontName=register(),  # else every page selects a Helvetica it never embeds
        )
        c = self._canvas
        c.setTitle(title or self.template.title)
        c.setCreator(creator())
        c.setSubject(f"{FORMS[self.template.form].standard} form, template {self.template.name}")
        c.setViewerPreference("PrintScaling", "None")
        template = self.template
        self._x, self._baselines = _positions(
            template.grid, template.columns, template.lines, template.top_lines
        )
        self._scales = {slot.key: slot.scale for _, slot in template.slots() if slot.scale != 1}

    def add(self, licence: Licence, *, serial: str | None = None) -> None:
        """The licence's pages: one per part (the original's back after it in proof and
        archive), or one for a carbon set; ``serial`` is its blank's serial digits."""
        template = self.template
        mode, parts, carbon_set = self.options.mode, self.options.parts, self.options.carbon_set
        known = {part.number for part in template.parts}
        unknown = [p for p in parts if p not in known]
        if not carbon_set and (unknown or not parts):
            raise TemplateError(
                f"{template.source}: parts {list(parts)}: the template has parts {sorted(known)}"
            )
        placements = lay_out(licence, template)
        if serial is not None and template.serial is not None:
            serial_text(template.serial, serial)  # a bad serial fails before any page
        for part in [None] if carbon_set else parts:
            self._front(placements, serial, mode, part, self.options.stamp)
            if part == 1 and mode != "overlay" and template.back is not None:
                self._back(mode)

    def draw(self, paint: Callable[[Any, TextWriter], None]) -> None:
        """One page painted by ``paint(canvas, text)``, with the printer's correction."""
        writer = self._begin()
        paint(self._canvas, writer)
        self._end(writer)

    def _begin(self) -> TextWriter:
        c = self._canvas
        if self.options.printer is not None:
            p, height = self.options.printer, float(self._height) * _K
            c.transform(p.sx, 0, 0, p.sy, p.dx_mm * _K, height * (1 - p.sy) - p.dy_mm * _K)
        return TextWriter(c, self._height)

    def _end(self, writer: TextWriter) -> None:
        writer.finish()
        self._canvas.showPage()

    def _front(
        self,
        placements: list[Placement],
        serial: str | None,
        mode: Mode,
        part: int | None,
        stamp: bool,
    ) -> None:
        template = self.template
        writer = self._begin()
        if mode == "proof":
            self._watermark()
        if mode != "overlay":
            draw_page(self._canvas, writer, template.grid, template.front, float(self._height))
            if part is not None:
                write_text(writer, template.grid, template.part(part).caption)
            if mode in template.marks:
                write_text(writer, template.grid, template.marks[mode])
            if serial is not None and template.serial is not None:
                writer.colour(SERIAL_INK)
                self._place(writer, serial_placement(template, serial))
        elif serial is not None and stamp and template.serial and template.serial.stamp:
            writer.colour(DATA_INK)
            text = template.serial.stamp
            write_text(
                writer,
                template.grid,
                text,
                text.text.format(serial=serial_digits(template.serial, serial)),
            )
        writer.colour(DATA_INK)
        for placement in placements:
            self._place(writer, placement)
        self._end(writer)

    def _back(self, mode: Mode) -> None:
        assert self.template.back is not None
        writer = self._begin()
        draw_page(self._canvas, writer, self.template.grid, self.template.back, float(self._height))
        if mode in self.template.marks:
            write_text(writer, self.template.grid, self.template.marks[mode])
        self._end(writer)

    def _place(self, writer: TextWriter, placement: Placement) -> None:
        line, column, grid = placement.line, placement.column, self.template.grid
        x = self._x[column] if column < len(self._x) else float(grid.column_left(column))
        scale = self._scales.get(placement.field)
        if scale is not None:  # smaller, centred in its cells
            x += placement.width * (1 - scale) / 2 * _COLUMN_MM
            writer.write(placement.text, x, baseline(float(grid.line_top(line)), 1, scale), scale)
            return
        y = self._baselines.get(line)
        if y is None:  # outside the frame, as a serial may be
            y = baseline(float(grid.line_top(line)), 1, 1.0)
        writer.write(placement.text, x, y)

    def _watermark(self) -> None:
        """A large pale diagonal 校样 PROOF under everything, so no proof passes for a licence."""
        from gbt15311.font import register

        c = self._canvas
        width, height = (float(v) * _K for v in self.template.paper_mm)
        c.saveState()
        c.setFillColorRGB(*WATERMARK_INK)
        c.setFont(register(), 72)
        c.translate(width / 2, height / 2)
        c.rotate(55)
        c.drawCentredString(0, -24, "校样 PROOF")
        c.restoreState()

    def close(self) -> None:
        self._canvas.save()


@cache
def _positions(
    grid: Grid, columns: int, lines: int, top_lines: int
) -> tuple[list[float], dict[int, float]]:
    """Every column's left edge and every line's data baseline as floats, computed once per
    grid from its exact fractions: a placement then costs two lookups."""
    x = [float(grid.column_left(c)) for c in range(columns + 2)]
    baselines = {
        line: baseline(float(grid.line_top(line)), 1, 1.0)
        for line in range(1 - top_lines, lines + 4)
    }
    return x, baselines


@cache
def creator() -> str:
    """The PDF's creator: this library and its version (read once; the lookup is slow)."""
    return f"gbt15311 {version('gbt15311')}"


def render_licence(
    licence: Licence, *, serial: str | None = None, options: RenderOptions | None = None
) -> bytes:
    """One licence as a PDF, rendered as ``options`` say (by default an overlay of the four
    parts on the bundled template of the licence's form).

    ``serial`` is the blank's serial digits (``"0012345"``): printed ``No.0012345`` at its
    place in proof and archive, and as a small control stamp in overlay (unless
    ``options.stamp`` is false).
    """
    options = options or RenderOptions()
    template = options.template or default_template(licence.form)
    buffer = io.BytesIO()
    writer = PdfWriter(
        buffer,
        options=replace(options, template=template),
        title=f"{template.title} {licence.licence_no}",
    )
    writer.add(licence, serial=serial)
    writer.close()
    if options.mode != "archive":
        return buffer.getvalue()
    archive = io.BytesIO()
    pdfa(buffer.getvalue(), archive_info(licence, serial, template), archive)
    return archive.getvalue()


def archive_info(licence: Licence, serial: str | None, template: Template) -> ArchiveInfo:
    """The archive copy's metadata: the licence, its blank, the issuing office, its date."""
    _, office, _ = licence_no.split(licence.licence_no)
    blank = f", blank {serial_text(template.serial, serial)}" if serial and template.serial else ""
    form = form_of(licence)
    holder = form.fields.by_number[1].name_en.lower()
    return ArchiveInfo(
        title=f"{template.title} {licence.licence_no}",
        subject=f"存档副本 Archive copy of {form.fields.whole[1].lower()} "
        f"{licence.licence_no}{blank}, issued {licence.licence_date.isoformat()}, "
        f"{holder} {licence.holder.name}; {form.standard}, template {template.name}",
        author=f"发证机关 Issuing office {office}",
        keywords=f"{licence.licence_no}; {office}; {licence.holder.code}",
        date=datetime.combine(licence.licence_date, time(), CHINA),
    )
