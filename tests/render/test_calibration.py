"""The calibration sheet: crosshairs, rulers, offset patches, slot outlines, instructions."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from gbt15311.grid import POINTS_PER_MM
from gbt15311.printers import PrinterProfile
from gbt15311.render import render_calibration
from gbt15311.templates import Template

K = float(POINTS_PER_MM)


def lines_mm(pdf: bytes) -> tuple[list[tuple[float, float, float, float]], str, int]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        (page,) = document.pages
        segments = [(e["x0"] / K, e["top"] / K, e["x1"] / K, e["bottom"] / K) for e in page.lines]
        return segments, "".join(c["text"] for c in page.chars), len(page.rects)


def test_the_sheet_marks_the_frame_corners_rulers_and_every_slot(template: Template) -> None:
    segments, text, rects = lines_mm(render_calibration())
    left, top, right, bottom = (float(v) for v in template.grid.box(template.frame))
    for x, y in ((left, top), (right, top), (left, bottom), (right, bottom)):
        assert any(
            abs(s[1] - y) < 1e-3 and abs(s[3] - y) < 1e-3 and s[0] < x < s[2] for s in segments
        ), (x, y)  # the crosshair's horizontal bar
    ruler = [s for s in segments if abs(s[2] - s[0] - 100) < 1e-3]
    assert ruler  # the 100 mm ruler across
    assert any(abs(s[3] - s[1] - 100) < 1e-3 for s in segments)  # and down
    slots = sum(template.table.rows if slot.is_item else 1 for _, slot in template.slots())
    assert rects == slots
    for words in ("校准步骤", "gbt15311 printer set NAME", "100/L", "actual size"):
        assert words in text


def test_the_sheet_applies_and_names_the_printer_profile() -> None:
    plain, _, _ = lines_mm(render_calibration())
    printer = PrinterProfile("front-desk", dx_mm=2.5, dy_mm=-1)
    moved, text, _ = lines_mm(render_calibration(printer=printer))
    assert "printer front-desk: dx +2.50 mm, dy -1.00 mm" in text
    for a, b in zip(plain, moved, strict=True):
        assert b[0] - a[0] == pytest.approx(2.5, abs=1e-3)
        assert b[1] - a[1] == pytest.approx(-1, abs=1e-3)
