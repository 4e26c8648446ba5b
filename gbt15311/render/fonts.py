"""The printing font, registered with ReportLab once per process, on first use.

Reading the 11 MB TrueType file costs about 0.3 s, so nothing happens on import; ReportLab
embeds only the glyphs a document uses (a subset), whatever the file's size.

ReportLab writes each subset's ToUnicode map with the code point as one hex number, which is
wrong beyond U+FFFF (``<20547>``): a PDF reader wants the UTF-16 pair (``<D841DD47>``), or
copying, searching and the archive's text layer read another character. ``register`` puts
the pairs in.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from gbt15311.font import FONT_NAME, font_path

ASCENT = 0.8
"""The font's ascent and descent as fractions of the em (800 and -200 of 1000 units): the
text's em box is centred in its line."""
DESCENT = 0.2


@cache
def register() -> str:
    """Register the font with ReportLab (once) and return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    class _Font(TTFont):  # type: ignore[misc]
        def addObjects(self, doc: Any) -> None:  # noqa: N802 (ReportLab's name)
            super().addObjects(doc)
            for name, stream in doc.idToObject.items():
                if name.startswith("toUnicodeCMap:") and FONT_NAME in name:
                    stream.content = _BEYOND_BMP.sub(_utf16_pair, stream.content)

    font = _Font(FONT_NAME, str(font_path()))
    _unscale_trailing_advances(font.face.hmetrics)
    pdfmetrics.registerFont(font)
    return FONT_NAME


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
