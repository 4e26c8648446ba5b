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

    font = TTFont(FONT_NAME, str(font_path()))
    _unscale_trailing_advances(font.face.hmetrics)
    pdfmetrics.registerFont(font)
    return FONT_NAME


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
