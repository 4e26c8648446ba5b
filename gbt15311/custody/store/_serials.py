"""Serial numbers of one certificate type: a fixed-width number behind an optional prefix.

Fixed width means text order is number order, so the database can sort serials as text and
events can name runs of serials as ``[first, last]`` ranges instead of listing each one.

    >>> fmt = SerialFormat(prefix="A", width=6)
    >>> fmt.expand("A000098", "A000101")
    ['A000098', 'A000099', 'A000100', 'A000101']
    >>> to_ranges(fmt, ["A000007", "A000005", "A000006", "A000009"])
    [['A000005', 'A000007'], ['A000009', 'A000009']]
    >>> fmt.parse("A12345")
    Traceback (most recent call last):
    ...
    gbt15311.exceptions.Refused: serial 'A12345' is not 'A' followed by 6 digits
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gbt15311.exceptions import InvalidFormat, Refused

if TYPE_CHECKING:
    from gbt15311.templates import Serial


@dataclass(frozen=True, slots=True)
class SerialFormat:
    """How the serials of one certificate type are written."""

    prefix: str
    width: int

    def parse(self, serial: str) -> int:
        """The number in ``serial``; refuses anything not written exactly in this format."""
        digits = serial[len(self.prefix) :]
        if (
            not serial.startswith(self.prefix)
            or len(digits) != self.width
            or not digits.isascii()
            or not digits.isdigit()
        ):
            raise Refused(
                f"serial {serial!r} is not {self.prefix!r} followed by {self.width} digits"
            )
        return int(digits)

    def format(self, number: int) -> str:
        if not 0 <= number < 10**self.width:
            raise Refused(f"serial number {number} does not fit in {self.width} digits")
        return f"{self.prefix}{number:0{self.width}d}"

    def digits(self, serial: str) -> str:
        """The digits of ``serial`` without the prefix: what a template prints after its own
        label (``No.``), the one conversion between the ledger's serials and the printed ones."""
        self.parse(serial)
        return serial[len(self.prefix) :]

    def refuse_unprintable(self, slot: Serial) -> None:
        """Refuse a format whose serials the template's serial place cannot print as written:
        a prefix other than the template's own label, or more digits than the place holds."""
        if self.prefix not in ("", slot.prefix):
            raise Refused(
                f"serial prefix {self.prefix!r} cannot be printed: the template prints its "
                f"serials as {slot.prefix!r} and the digits; use no prefix or {slot.prefix!r}"
            )
        from gbt15311.layout import serial_text  # the licence model: not at every command's start

        try:
            serial_text(slot, "0" * self.width)
        except InvalidFormat as error:
            raise Refused(f"serials of {self.width} digits cannot be printed: {error}") from None

    def expand(self, first: str, last: str) -> list[str]:
        """Every serial from ``first`` to ``last``, both included."""
        low, high = self.parse(first), self.parse(last)
        if low > high:
            raise Refused(f"serial range {first}..{last} runs backwards")
        prefix, width = self.prefix, self.width  # both ends parsed: every number fits
        return [prefix + str(n).zfill(width) for n in range(low, high + 1)]


def to_ranges(fmt: SerialFormat, serials: Iterable[str]) -> list[list[str]]:
    """Sorted runs of consecutive serials, the compact form events carry."""
    numbers = sorted({fmt.parse(s) for s in serials})
    runs: list[list[str]] = []
    start = previous = None
    for number in numbers:
        if previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None and previous is not None:
            runs.append([fmt.format(start), fmt.format(previous)])
        start = previous = number
    if start is not None and previous is not None:
        runs.append([fmt.format(start), fmt.format(previous)])
    return runs


def from_ranges(fmt: SerialFormat, ranges: Iterable[list[str]]) -> Iterator[str]:
    """Every serial the ranges of an event name."""
    for first, last in ranges:
        yield from fmt.expand(first, last)
