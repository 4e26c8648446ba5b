"""A replay of an ESC/P2 stream as a printer would run it: where each character lands.

It knows only the commands the renderer may send and fails on any other byte, so a stray
command is caught as surely as a wrong position. Positions follow the printer: ``ESC $`` sets
the head in 1/60", ``ESC ( V`` the paper in 1/360"; a one-byte character advances one column
at 10 cpi, a two-byte or four-byte GB18030 character ``n1 + 24 + n2`` dots of 1/180" as
``FS S n1 n2`` sets them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from gbt15311.cells import char_width
from gbt15311.grid import MM_PER_INCH
from gbt15311.layout import Placement
from gbt15311.printers import PrinterProfile
from gbt15311.templates import Template

ESC, FS = 0x1B, 0x1C
DROP = Fraction(6, 360)
"""The renderer centres the 24-dot hanzi in its line: the head is 6/360" below the top."""


@dataclass(frozen=True)
class Printed:
    """One character as it lands: page, head position (inches from the printer's origin),
    and whether an absolute ``ESC $`` put the head there just before it."""

    page: int
    down: Fraction
    across: Fraction
    text: str
    positioned: bool


@dataclass
class Replay:
    pages: list[list[Printed]] = field(default_factory=list)
    page_length: Fraction | None = None
    hanzi_spacing: tuple[int, int] = (0, 3)
    resets: int = 0


def replay(stream: bytes, encoding: str = "gb18030") -> Replay:
    """Run ``stream``; fail on an unknown command or text sent before the printer is set up."""
    out = Replay()
    page: list[Printed] = []
    down = across = Fraction(0)
    cpi = lines = chinese = positioned = False
    at = 0

    def take(n: int) -> bytes:
        nonlocal at
        chunk = stream[at : at + n]
        assert len(chunk) == n, f"the stream ends inside a command at byte {at}"
        at += n
        return chunk

    while at < len(stream):
        byte = take(1)[0]
        if byte == ESC:
            command = take(1)
            if command == b"@":
                assert at == 2, "ESC @ resets the page length: only at the very start"
                out.resets += 1
            elif command == b"(":
                kind, length = take(1), take(2)
                assert length == b"\x02\x00", (kind, length)
                value = int.from_bytes(take(2), "little")
                if kind == b"C":
                    out.page_length = Fraction(value, 360)
                elif kind == b"V":
                    down, positioned = Fraction(value, 360), False
                else:
                    raise AssertionError(f"ESC ( {kind!r} at byte {at}")
            elif command == b"$":
                across, positioned = Fraction(int.from_bytes(take(2), "little"), 60), True
            elif command == b"P":
                cpi = True
            elif command == b"2":
                lines = True
            else:
                raise AssertionError(f"unknown command ESC {command!r} at byte {at}")
        elif byte == FS:
            command = take(1)
            if command == b"&":
                chinese = True
            elif command == b".":
                chinese = False
            elif command == b"S":
                n1, n2 = take(2)
                out.hanzi_spacing = (n1, n2)
            else:
                raise AssertionError(f"unknown command FS {command!r} at byte {at}")
        elif byte == 0x0C:
            out.pages.append(page)
            page = []
        elif 0x20 <= byte < 0x7F or byte >= 0x81:
            assert out.resets == 1, "text before the reset"
            assert out.page_length, "text before the page length"
            assert cpi, "text before 10 cpi"
            assert lines, "text before 1/6 inch lines"
            start = at - 1
            if byte >= 0x81:
                assert chinese, f"a two-byte character outside Chinese mode at byte {start}"
                size = 4 if 0x30 <= stream[at] <= 0x39 else 2
                take(size - 1)
                advance = Fraction(sum(out.hanzi_spacing) + 24, 180)
            else:
                advance = Fraction(1, 10)
            text = stream[start:at].decode(encoding)
            page.append(Printed(len(out.pages) + 1, down, across, text, positioned))
            across += advance
            positioned = False
        else:
            raise AssertionError(f"unexpected byte {byte:#04x} at {at - 1}")
    assert page == [], "the last page has no form feed"
    return out


def cells(
    printed: list[Printed], template: Template, printer: PrinterProfile
) -> list[tuple[int, int, str]]:
    """Each character's ``(line, column, text)`` on the template's grid, from where the head
    was; within half a printer unit of a grid cell, or the test fails."""
    out = []
    left = template.grid.left_mm / MM_PER_INCH
    top = template.grid.top_mm / MM_PER_INCH
    for p in printed:
        column = (p.across + Fraction(printer.escp_left, 60) - left) * 10 + 1
        line = (p.down - DROP + Fraction(printer.escp_top, 360) - top) * 6 + 1
        assert abs(column - round(column)) <= Fraction(10, 120), p
        assert abs(line - round(line)) <= Fraction(6, 720), p
        out.append((round(line), round(column), p.text))
    return out


def expected(placements: list[Placement]) -> list[tuple[int, int, str]]:
    """Each character's cell as the layout gives it, top to bottom, left to right."""
    out = []
    for p in sorted(placements, key=lambda p: (p.line, p.column)):
        column = p.column
        for ch in p.text:
            out.append((p.line, column, ch))
            column += char_width(ch)
    return out
