"""The bundled printing font, WenQuanYi Zen Hei Mono: which characters it can print, and
the font as ReportLab embeds it (``register``). Everything about the font is here; how text is
set on the grid with it is ``gbt15311.typeset``'s.

A value the font has no glyph for would print as an empty box on a licence, so validation
asks ``missing_glyphs`` first. The renderer asks ``glyph_cells`` where a glyph's advance
differs from the print positions ``cells.char_width`` counts (about 940 characters, among
them “ ” — which are half-width glyphs here; see ``docs/widths.md``).

Both answers come from ``font_metrics.txt``, the font's coverage and advances as data (7 kB,
read in a millisecond on the first question about a non-ASCII text), not from the 11 MB font:
parsing it with fontTools costs a tenth of a second or more at every start. ``measure_font``
is the rule that makes the data from the font; ``scripts/generate_font_metrics.py`` writes it
and ``tests/test_font.py`` holds the file to the font.

    >>> missing_glyphs("北京 ACME 进出口")
    []
    >>> missing_glyphs("笑\\U0001F600笑\\U0001F600")
    ['😀']
    >>> glyph_cells("A"), glyph_cells("中"), glyph_cells("“")
    (1.0, 2.0, 1.0)
"""

from __future__ import annotations

import mmap
import re
from array import array
from bisect import bisect_right
from functools import cache
from pathlib import Path
from typing import Any

from gbt15311._shipped import shipped

__all__ = [
    "FONT_NAME",
    "font_path",
    "glyph_cells",
    "measure_font",
    "metrics_text",
    "missing_glyphs",
    "register",
]

FONT_NAME = "WenQuanYiZenHeiMono"
_SPACE = 0x20
"""The one blank character a value may hold: the plain space (see ``cells.unprintable``)."""
_FILE_NAME = f"{FONT_NAME}.ttf"
METRICS_PATH = Path(__file__).parent / "font_metrics.txt"
_HEADER = f"""\
# The coverage and advances of {_FILE_NAME}, made from the font by
# scripts/generate_font_metrics.py (gbt15311.font.measure_font): do not edit.
# One run of consecutive code points a line: first (hex), count, advance in font units.
"""


@cache
def font_path() -> Path:
    """The TTF inside the installed package, else in a source checkout's ``fonts/``."""
    return shipped(Path(__file__).parent, "fonts", _FILE_NAME, "the printing font")


def measure_font(path: Path) -> tuple[dict[int, int], int]:
    """Code point → advance width in font units, for every glyph that draws something (has an
    outline) and for the space; and the font's units per em.

    A glyph with an advance but no outline (U+3095, U+F9EA, 103 compatibility ideographs…)
    would print a blank where the licence says a character: it is not coverage."""
    from fontTools.ttLib import TTFont  # imported here: importing it takes tens of ms

    with TTFont(path, lazy=True) as font:
        # Numbered glyph names spare parsing the 42,000 names of the 'post' table.
        font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])
        metrics = font["hmtx"].metrics
        offsets = font["loca"]  # a glyph without an outline has no bytes in 'glyf'
        advances = {
            code: metrics[glyph][0]
            for code, glyph in font.getBestCmap().items()
            if metrics[glyph][0] > 0
            and (code == _SPACE or offsets[int(glyph[1:]) + 1] > offsets[int(glyph[1:])])
        }
        return advances, int(font["head"].unitsPerEm)


def metrics_text(path: Path) -> str:
    """The font's coverage and advances (``measure_font``) as ``font_metrics.txt`` holds them."""
    advances, units_per_em = measure_font(path)
    lines = [_HEADER, f"units-per-em {units_per_em}\n"]
    runs: list[list[int]] = []  # first, count, advance
    for code in sorted(advances):
        last = runs[-1] if runs else None
        if last and last[0] + last[1] == code and last[2] == advances[code]:
            last[1] += 1
        else:
            runs.append([code, 1, advances[code]])
    lines.extend(f"{first:X} {count} {advance}\n" for first, count, advance in runs)
    return "".join(lines)


@cache
def _runs() -> tuple[array[int], array[int], array[int], int]:
    """The runs of ``font_metrics.txt``: each run's first code point, the code point after
    its last and its advance in font units, ascending; and the advance of a half-width cell
    (half the em). 600 runs, read in a fraction of a millisecond: a question is a bisection,
    so a start builds nothing for the 42,000 characters a licence does not use."""
    lines = [line for line in METRICS_PATH.read_text("ascii").splitlines() if line[:1] != "#"]
    units_per_em = int(lines[0].removeprefix("units-per-em "))
    firsts, ends, advances = array("I"), array("I"), array("I")
    for line in lines[1:]:
        first, count, advance = line.split()
        firsts.append(int(first, 16))
        ends.append(firsts[-1] + int(count))
        advances.append(int(advance))
    return firsts, ends, advances, units_per_em // 2


def _advance(ch: str) -> int | None:
    """The advance in font units of the glyph the font prints for ``ch``, if any."""
    firsts, ends, advances, _ = _runs()
    code = ord(ch)
    run = bisect_right(firsts, code) - 1
    return advances[run] if run >= 0 and code < ends[run] else None


def missing_glyphs(text: str) -> list[str]:
    """The distinct characters of ``text`` the font cannot print, in order of appearance.

    A character counts as covered when the font maps it to a glyph that draws something and
    takes room on the line; the plain space is the one blank that is covered."""
    if text.isascii() and text.isprintable():
        return []  # the font covers printable ASCII; tests/test_font.py holds it to that
    return [ch for ch in dict.fromkeys(text) if _advance(ch) is None]


def glyph_cells(ch: str) -> float:
    """The glyph's advance in half-width cells: 1.0 for A, 2.0 for 中, and a fraction for
    the proportional glyphs (é is 1.078). Raises ``ValueError`` if the font lacks it."""
    advance = _advance(ch)
    if advance is None:
        raise ValueError(f"the printing font {FONT_NAME} has no glyph for U+{ord(ch):04X}")
    *_, half_width = _runs()
    return advance / half_width


@cache
def register() -> str:
    """Register the printing font with ReportLab once per process, on first use, and return
    its name. Nothing happens on import; ReportLab embeds only the glyphs a document uses.

    ReportLab parses the font's character tables, 42,669 characters and 44,960 glyphs, the
    first time on a machine; later processes read them from the user's cache directory
    (``gbt15311._font_tables``), so a start does not spend a tenth of a second on them.

    ReportLab writes each subset's ToUnicode map with the code point as one hex number, which
    is wrong beyond U+FFFF (``<20547>``): a PDF reader wants the UTF-16 pair (``<D841DD47>``),
    or copying, searching and the archive's text layer read another character. The font
    registered here puts the pairs in.
    """
    from reportlab.pdfbase import pdfmetrics

    pdfmetrics.registerFont(_font_class()(FONT_NAME, font_path()))
    return FONT_NAME


@cache
def _font_class() -> type[Any]:
    """ReportLab's TrueType font with the character tables kept between processes and the
    ToUnicode pairs beyond U+FFFF (see ``register``); made on first use, as ReportLab is
    imported only to draw."""
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

    from gbt15311._font_tables import cache_file, read_tables, write_tables

    class Face(TTFontFace):  # type: ignore[misc]
        def readFile(self, f: str) -> None:  # noqa: N802 (ReportLab's name)
            # Mapped, not read: a start touches the pages of the small tables alone, and
            # ReportLab slices the mapping as it sliced the file's bytes.
            with open(f, "rb") as handle:
                self._ttf_data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            self.filename = f
            self._pos = 0

        def get_table(self, tag: str) -> Any:
            if tag != "glyf":
                return super().get_table(tag)
            start, length = self.get_table_pos(tag)
            return _Slices(self._ttf_data, start, length)

        def extractInfo(self, charInfo: int = 1) -> None:  # noqa: N802, N803 (ReportLab's)
            path = Path(self.filename)
            kept = cache_file(path)
            super().extractInfo(charInfo=0)  # the small tables: names, metrics, flags
            if charInfo and not (kept and read_tables(self, path, kept)):
                super().extractInfo(charInfo=1)
                _unscale_trailing_advances(self.hmetrics)
                if kept:
                    write_tables(self, path, kept)

    class Font(TTFont):  # type: ignore[misc]
        def __init__(self, name: str, path: Path) -> None:
            # ReportLab's own __init__ names its face class; this one is that with ours.
            # tests/test_font_tables.py holds the two to the same attributes.
            self.fontName = name
            self.face = Face(str(path))
            self.encoding = TTEncoding()
            self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
            self._asciiReadable = rl_config.ttfAsciiReadable
            # Never shaped (uharfbuzz): the grid puts every character in its own cells, and
            # the tables read back are read-only, as shaping would write private glyphs in.
            self.shapable = False

        def addObjects(self, doc: Any) -> None:  # noqa: N802 (ReportLab's name)
            super().addObjects(doc)
            for name, stream in doc.idToObject.items():
                if name.startswith("toUnicodeCMap:") and FONT_NAME in name:
                    stream.content = _BEYOND_BMP.sub(_utf16_pair, stream.content)

    return Font


class _Slices:
    """The glyph table of the mapped font, as ReportLab's subsetting reads it: a slice at a
    time (one glyph's outline), each read from the mapping when asked, instead of the whole
    10 MB table copied first for every document."""

    __slots__ = ("_data", "_length", "_start")

    def __init__(self, data: mmap.mmap, start: int, length: int) -> None:
        self._data = data
        self._start = start
        self._length = length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, part: slice) -> bytes:
        first, last, step = part.indices(self._length)
        if step != 1:
            raise ValueError("the glyph table is read in runs of bytes")
        return self._data[self._start + first : self._start + max(first, last)]


_BEYOND_BMP = re.compile(r"^(<[0-9A-F]{2}> )<([0-9A-F]{5,6})>$", re.MULTILINE)
"""A ToUnicode entry whose target lies beyond U+FFFF, as ReportLab writes it."""


def _utf16_pair(entry: re.Match[str]) -> str:
    """The entry with its target as the UTF-16 surrogate pair."""
    pair = chr(int(entry[2], 16)).encode("utf-16-be").hex().upper()
    return f"{entry[1]}<{pair}>"


def _unscale_trailing_advances(metrics: list[tuple[int | float, int]]) -> None:
    """Give the glyphs after the font's last full horizontal metric their advance in font
    units again.

    ReportLab (5.1) records for those glyphs (（ ） 、 ： among them) the shared advance
    already scaled to 1000 units per em, 1000 instead of 1024, and writes it into the
    embedded subset, so the font program's advance (976.6) contradicts the widths in the
    font dictionary (1000): PDF/A rejects that. The raw advances are integers, the scaled
    ones floats.
    """
    raw: int | float | None = None
    for glyph, (advance, bearing) in enumerate(metrics):
        if isinstance(advance, int):
            raw = advance
        elif raw is not None:
            metrics[glyph] = (raw, bearing)
