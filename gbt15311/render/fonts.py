"""The printing font, registered with ReportLab once per process, on first use.

Reading the 11 MB TrueType file costs about 0.3 s, so nothing happens on import; ReportLab
embeds only the glyphs a document uses (a subset), whatever the file's size.
"""

from __future__ import annotations

from functools import cache

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

    pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path())))
    return FONT_NAME
