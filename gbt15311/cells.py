"""Width in print positions: how much of the form's fixed-pitch grid a text takes.

The form is printed at 10 characters per inch; a full-width (Chinese) character takes two
print positions, everything else one (UAX #11 East Asian Width). East Asian *Ambiguous*
characters (“ ” · — × ° №) are counted as two: in a Chinese setting they are typed and read
as full-width, and reserving two positions never lets a value overprint its neighbour. The
choice is the ``ambiguous_width`` parameter, as in wcwidth. See ``docs/widths.md``.

    >>> cell_len("ACME Trading"), cell_len("上海贸易公司"), cell_len("2008年11月01日")
    (12, 12, 14)
    >>> cell_len("“OK”"), cell_len("“OK”", ambiguous_width=1)
    (6, 4)
    >>> unprintable("Zhang\\tSan")
    ['U+0009 CHARACTER TABULATION (a control character)']
    >>> unprintable("上海\\u200b贸易")
    ['U+200B ZERO WIDTH SPACE (a zero-width character)']
    >>> unprintable("北京 Beijing")
    []
    >>> wrap("上海市浦东新区 Pudong New Area", 10)
    ['上海市浦东', '新区', 'Pudong New', 'Area']
    >>> set_cell_size("上海贸易", 7)
    '上海贸 '
    >>> set_cell_size("ACME", 6)
    'ACME  '
    >>> wrap("上海", 1)
    Traceback (most recent call last):
        ...
    ValueError: a line must be at least 2 print positions wide to hold a Chinese character; got 1
"""

from __future__ import annotations

import unicodedata

__all__ = ["cell_len", "char_width", "set_cell_size", "unprintable", "wrap"]


def char_width(ch: str, ambiguous_width: int = 2) -> int:
    """Print positions of one character: 2 for Wide and Fullwidth, ``ambiguous_width`` for
    Ambiguous, 1 for the rest. Characters that ``unprintable`` rejects have no meaningful
    width."""
    return _width_table(ambiguous_width)[ch]


def cell_len(text: str, ambiguous_width: int = 2) -> int:
    """Print positions of a text. Validation calls this for every field of every licence,
    hence the ASCII fast path and the per-character table."""
    if text.isascii():
        return len(text)
    return sum(map(_width_table(ambiguous_width).__getitem__, text))


class _WidthTable(dict[str, int]):
    """Character → print positions, filled as characters are first seen: a dict lookup per
    character instead of a Unicode database query."""

    def __init__(self, widths: dict[str, int]) -> None:
        super().__init__()
        self._widths = widths

    def __missing__(self, ch: str) -> int:
        width = self[ch] = self._widths[unicodedata.east_asian_width(ch)]
        return width


def _width_table(ambiguous_width: int) -> _WidthTable:
    try:
        return _WIDTH_TABLES[ambiguous_width]
    except KeyError:
        raise ValueError(f"ambiguous_width must be 1 or 2; got {ambiguous_width}") from None


_WIDTHS = {
    ambiguous: {"W": 2, "F": 2, "A": ambiguous, "H": 1, "Na": 1, "N": 1} for ambiguous in (1, 2)
}
"""Print positions by East Asian Width property, for each choice of ambiguous width."""


_WIDTH_TABLES = {ambiguous: _WidthTable(widths) for ambiguous, widths in _WIDTHS.items()}


_C0_NAMES = (
    "NULL",
    "START OF HEADING",
    "START OF TEXT",
    "END OF TEXT",
    "END OF TRANSMISSION",
    "ENQUIRY",
    "ACKNOWLEDGE",
    "ALERT",
    "BACKSPACE",
    "CHARACTER TABULATION",
    "LINE FEED",
    "LINE TABULATION",
    "FORM FEED",
    "CARRIAGE RETURN",
    "SHIFT OUT",
    "SHIFT IN",
    "DATA LINK ESCAPE",
    "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO",
    "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR",
    "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK",
    "CANCEL",
    "END OF MEDIUM",
    "SUBSTITUTE",
    "ESCAPE",
    "INFORMATION SEPARATOR FOUR",
    "INFORMATION SEPARATOR THREE",
    "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
)
_C1_NAMES = (
    "PADDING CHARACTER",
    "HIGH OCTET PRESET",
    "BREAK PERMITTED HERE",
    "NO BREAK HERE",
    "INDEX",
    "NEXT LINE",
    "START OF SELECTED AREA",
    "END OF SELECTED AREA",
    "CHARACTER TABULATION SET",
    "CHARACTER TABULATION WITH JUSTIFICATION",
    "LINE TABULATION SET",
    "PARTIAL LINE FORWARD",
    "PARTIAL LINE BACKWARD",
    "REVERSE LINE FEED",
    "SINGLE SHIFT TWO",
    "SINGLE SHIFT THREE",
    "DEVICE CONTROL STRING",
    "PRIVATE USE ONE",
    "PRIVATE USE TWO",
    "SET TRANSMIT STATE",
    "CANCEL CHARACTER",
    "MESSAGE WAITING",
    "START OF GUARDED AREA",
    "END OF GUARDED AREA",
    "START OF STRING",
    "SINGLE GRAPHIC CHARACTER INTRODUCER",
    "SINGLE CHARACTER INTRODUCER",
    "CONTROL SEQUENCE INTRODUCER",
    "STRING TERMINATOR",
    "OPERATING SYSTEM COMMAND",
    "PRIVACY MESSAGE",
    "APPLICATION PROGRAM COMMAND",
)
_CONTROL_NAMES = {
    **{chr(i): name for i, name in enumerate(_C0_NAMES)},
    "\x7f": "DELETE",
    **{chr(0x80 + i): name for i, name in enumerate(_C1_NAMES)},
}
"""Unicode's name aliases for the control characters, which have no character name."""

_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85")
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
"""Hangul fillers: letters by category, but blank, and used to smuggle invisible text."""

_REASONS = {
    "Cc": "a control character",
    "Cf": "a zero-width character",
    "Zl": "a line or paragraph separator",
    "Zp": "a line or paragraph separator",
    "Mn": "a combining character",
    "Mc": "a combining character",
    "Me": "a combining character",
    "Cs": "a lone surrogate",
    "Co": "a private-use character",
    "Cn": "an unassigned code point",
}


def _reason(ch: str) -> str | None:
    if ch in _LINE_BREAKS:
        return "a line break; a value is a single line"
    if ch in _BIDI_CONTROLS:
        return "a text-direction control"
    if ch in _FILLERS:
        return "a blank filler character"
    if ch == "\ufffd":
        return "a sign that the text was damaged when it was decoded"
    category = unicodedata.category(ch)
    if category == "Zs" and ch != " ":
        return "a space other than the plain space U+0020, which is the only one printed"
    return _REASONS.get(category)


def unprintable(text: str) -> list[str]:
    """Describe each distinct character that cannot be printed on one line of the grid:
    controls, invisible and zero-width characters, combining marks (which would stack on
    their neighbour's position), line breaks and every space but the plain one (a tab, a
    no-break or ideographic space would print as nothing or as a gap of another width),
    lone surrogates, private-use and unassigned code points."""
    if (text.isascii() and text.isprintable()) or not any(map(_REASONS_SEEN.__getitem__, text)):
        return []
    return [
        f"{_label(ch)} ({reason})"
        for ch in dict.fromkeys(text)
        if (reason := _REASONS_SEEN[ch]) is not None
    ]


class _ReasonTable(dict[str, str | None]):
    """Character → why it cannot be printed (or None), filled as characters are first seen."""

    def __missing__(self, ch: str) -> str | None:
        reason = self[ch] = _reason(ch)
        return reason


_REASONS_SEEN = _ReasonTable()


def _label(ch: str) -> str:
    name = _CONTROL_NAMES.get(ch) or unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"


def wrap(text: str, width: int) -> list[str]:
    """Break a text into lines of at most ``width`` print positions.

    Lines break at spaces (the space is dropped), between two full-width characters, and
    between a full-width character and a half-width one. A half-width word longer than a line
    is cut by positions, starting on the current line as ``textwrap`` does. Leading spaces of
    the text stay on the first line; trailing spaces stay on the last as far as they fit.
    """
    if width < 2:
        raise ValueError(
            "a line must be at least 2 print positions wide to hold a Chinese character;"
            f" got {width}"
        )
    lines: list[str] = []
    line = ""
    used = 0
    spaces = 0
    for token in _tokens(text):
        if token == " ":
            spaces += 1
            continue
        size = cell_len(token)
        if used + spaces + size <= width:
            line += " " * spaces + token
            used += spaces + size
        elif size <= width:
            if line:
                lines.append(line)
            line, used = token, size
        else:
            rest = token
            while rest:
                room = width - used - spaces
                if room <= 0:
                    if line:
                        lines.append(line)
                    line, used, spaces = "", 0, 0
                    continue
                piece, rest = rest[:room], rest[room:]
                line += " " * spaces + piece
                used += spaces + len(piece)
                spaces = 0
                if rest:
                    lines.append(line)
                    line, used = "", 0
        spaces = 0
    line += " " * min(spaces, width - used)
    if line:
        lines.append(line)
    return lines


def _tokens(text: str) -> list[str]:
    """Split into single spaces, single full-width characters and runs of the rest (words)."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch == " " or char_width(ch) == 2:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def set_cell_size(text: str, width: int) -> str:
    """Crop or pad (with spaces, on the right) to exactly ``width`` print positions. A
    full-width character that would be cut in half is dropped and replaced by a space."""
    if width < 0:
        raise ValueError(f"width must not be negative; got {width}")
    if text.isascii():
        return text[:width].ljust(width)
    size = cell_len(text)
    if size <= width:
        return text + " " * (width - size)
    kept = ""
    used = 0
    for ch in text:
        w = char_width(ch)
        if used + w > width:
            break
        kept += ch
        used += w
    return kept + " " * (width - used)
