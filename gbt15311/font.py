"""The bundled printing font, WenQuanYi Zen Hei Mono, and which characters it can print.

A value the font has no glyph for would print as an empty box on a licence, so validation
asks ``missing_glyphs`` first. The renderer asks ``glyph_cells`` where a glyph's advance
differs from the print positions ``cells.char_width`` counts (about 940 characters, among
them “ ” — which are half-width glyphs here; see ``docs/widths.md``).

Only the font's ``cmap`` and ``hmtx`` tables are read, once, on the first question about a
non-ASCII text (a tenth of a second or more); importing this module reads nothing.

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

__all__ = ["FONT_NAME", "font_path", "glyph_cells", "missing_glyphs"]

FONT_NAME = "WenQuanYiZenHeiMono"
_SPACE = 0x20
"""The one blank character a value may hold: the plain space (see ``cells.unprintable``)."""
_FILE_NAME = f"{FONT_NAME}.ttf"


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


@cache
def _advances() -> tuple[dict[int, int], int]:
    """Code point → advance width in font units, for every glyph that draws something (has an
    outline) and for the space; and the advance of a half-width cell (half the em).

    A glyph with an advance but no outline (U+3095, U+F9EA, 103 compatibility ideographs…)
    would print a blank where the licence says a character: it is not coverage."""
    from fontTools.ttLib import TTFont  # imported here: importing it takes tens of ms

    with TTFont(font_path(), lazy=True) as font:
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
        return advances, font["head"].unitsPerEm // 2


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
