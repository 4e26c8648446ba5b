"""The bundled printing font, WenQuanYi Zen Hei Mono, and which characters it can print.

A value the font has no glyph for would print as an empty box on a licence, so validation
asks ``missing_glyphs`` first. The renderer asks ``glyph_cells`` where a glyph's advance
differs from the print positions ``cells.char_width`` counts (about 940 characters, among
them “ ” — which are half-width glyphs here; see ``docs/widths.md``).

Both answers come from ``font_metrics.txt``, the font's coverage and advances as data (7 kB,
read in milliseconds on the first question about a non-ASCII text), not from the 11 MB font:
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

from functools import cache
from pathlib import Path

__all__ = [
    "FONT_NAME",
    "font_path",
    "glyph_cells",
    "measure_font",
    "metrics_text",
    "missing_glyphs",
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
    installed = Path(__file__).parent / "fonts" / _FILE_NAME
    checkout = Path(__file__).parent.parent / "fonts" / _FILE_NAME
    for path in (installed, checkout):
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"the printing font {_FILE_NAME} is missing: it is neither in the installed package"
        f" ({installed}) nor in the source checkout ({checkout}); reinstall gbt15311"
    )


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
def _advances() -> tuple[dict[int, int], int]:
    """Code point → advance in font units, read from ``font_metrics.txt``; and the advance
    of a half-width cell (half the em)."""
    lines = [line for line in METRICS_PATH.read_text("ascii").splitlines() if line[:1] != "#"]
    units_per_em = int(lines[0].removeprefix("units-per-em "))
    advances: dict[int, int] = {}
    for line in lines[1:]:
        first, count, advance = line.split()
        start = int(first, 16)
        advances.update(dict.fromkeys(range(start, start + int(count)), int(advance)))
    return advances, units_per_em // 2


def missing_glyphs(text: str) -> list[str]:
    """The distinct characters of ``text`` the font cannot print, in order of appearance.

    A character counts as covered when the font maps it to a glyph that draws something and
    takes room on the line; the plain space is the one blank that is covered."""
    if text.isascii() and text.isprintable():
        return []  # the font covers printable ASCII; tests/test_font.py holds it to that
    covered = _covered()
    if covered.issuperset(text):
        return []
    return [ch for ch in dict.fromkeys(text) if ch not in covered]


@cache
def _covered() -> frozenset[str]:
    """The characters the font prints, as a set: one C-level subset test per value."""
    advances, _ = _advances()
    return frozenset(map(chr, advances))


def glyph_cells(ch: str) -> float:
    """The glyph's advance in half-width cells: 1.0 for A, 2.0 for 中, and a fraction for
    the proportional glyphs (é is 1.078). Raises ``ValueError`` if the font lacks it."""
    advances, half = _advances()
    advance = advances.get(ord(ch))
    if advance is None:
        raise ValueError(f"the printing font {FONT_NAME} has no glyph for U+{ord(ch):04X}")
    return advance / half
