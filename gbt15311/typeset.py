"""Fixed-pitch typesetting: every character on exactly the cells the layout gave it.

The layer both the licence renderer (``gbt15311.render``) and the custody registers
(``gbt15311.custody.reports``) set their text with; it knows neither of them.

The font's half-width glyphs advance 512 and its full-width glyphs 1024 of 1024 units, so at
10.8 pt with a horizontal scale (``Tz``) of 133⅓ % a half-width glyph advances 7.2 pt = 1/10
inch, one column, and a full-width glyph two. 10.8 pt keeps the em box (3.81 mm) inside the
4.23 mm line with room above and below; 14.4 pt unscaled would fill the pitch but overlap the
next line. Runs of characters whose glyph advance equals their print positions go out as one
text run; the few others (East Asian Ambiguous “ ” — drawn half-width by the font but counted
as two positions, proportional Latin letters such as é) are drawn alone, centred in their
cells, or squeezed into them when wider.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from typing import Any

from gbt15311.cells import char_width
from gbt15311.font import glyph_cells, register
from gbt15311.grid import COLUMN_PITCH_MM, LINE_PITCH_MM, POINTS_PER_MM

ASCENT = 0.8
"""The font's ascent as a fraction of the em (800 of 1000 units; the descent is the other
200): the text's em box is centred in its line."""


SIZE_PT = 10.8
"""The type size of data: the em box is 3.81 mm high in a 4.23 mm line."""
HORIZ_SCALE = 100 * 7.2 * 2 / SIZE_PT
"""Percent: stretches the half-width glyph (half an em, 5.4 pt) to one column (7.2 pt)."""
_K = float(POINTS_PER_MM)
_COLUMN_MM = float(COLUMN_PITCH_MM)
_LINE_MM = float(LINE_PITCH_MM)

Run = tuple[float, str, float]
"""``(offset in columns, text, horizontal squeeze)``; a squeeze of 1 keeps the font's shape."""


@lru_cache(maxsize=8192)
def runs(text: str) -> tuple[Run, ...]:
    """Split ``text`` into runs that can be drawn in one go, each at its column offset."""
    out: list[Run] = []
    start = 0  # offset of the current run, in columns
    current: list[str] = []
    offset = 0
    for ch in text:
        width = char_width(ch)
        glyph = 1.0 if " " <= ch <= "~" else glyph_cells(ch)
        if glyph == width:
            if not current:
                start = offset
            current.append(ch)
        else:
            if current:
                out.append((start, "".join(current), 1.0))
                current = []
            if glyph < width:
                out.append((offset + (width - glyph) / 2, ch, 1.0))
            else:
                out.append((offset, ch, width / glyph))
        offset += width
    if current:
        out.append((start, "".join(current), 1.0))
    return tuple(out)


def baseline(top_mm: float, lines: int, scale: float) -> float:
    """The baseline that centres a ``scale``-sized em box in ``lines`` lines from ``top_mm``."""
    em = SIZE_PT * scale / _K
    return top_mm + (lines * _LINE_MM - em) / 2 + ASCENT * em


class TextWriter:
    """Collects a page's text into one ReportLab text object (one ``BT … ET``)."""

    def __init__(self, canvas: Any, page_height_mm: float | Fraction) -> None:
        self._canvas = canvas
        self._height = float(page_height_mm)
        self._font = register()
        self._object = canvas.beginText()
        self._scale = 0.0
        self._squeeze = 0.0  # unset: the first run sets it
        self._colour: Sequence[float] = ()

    def colour(self, rgb: Sequence[float]) -> None:
        if rgb != self._colour:
            self._object.setFillColorRGB(*rgb)
            self._colour = rgb

    def write(self, text: str, x_mm: float, baseline_mm: float, scale: float = 1.0) -> None:
        """Draw ``text`` with its first cell's left edge at ``x_mm``."""
        obj = self._object
        if scale != self._scale:
            obj.setFont(self._font, SIZE_PT * scale)
            self._scale = scale
        y = (self._height - baseline_mm) * _K
        step = _COLUMN_MM * scale
        for offset, chunk, squeeze in runs(text):
            if squeeze != self._squeeze:
                obj.setHorizScale(HORIZ_SCALE * squeeze)
                self._squeeze = squeeze
            obj.setTextOrigin((x_mm + offset * step) * _K, y)
            obj.textOut(chunk)

    def finish(self) -> None:
        """Put the page's text on the canvas."""
        self._canvas.drawText(self._object)
