"""The rules each value of a licence must meet, as pydantic plain validators.

A plain validator is the whole of a field's validation: it checks the value's type, form,
width in print positions, printability and code list in one call, and returns the value as the
licence keeps it (a code normalised, a number as ``Decimal``). One call per field keeps
validation within a small factor of pydantic's own speed while each field is still judged
alone, so a licence's every problem is reported at once. Importers, units and prices recur
from licence to licence, so text and number rules keep their verdicts per value (bounded).

Every refusal is a ``PydanticCustomError`` of type ``gbt15311`` whose context carries the
message (and, for the totals, the field number); ``problems`` turns them into problems.

    >>> name = Text("an..35*2")
    >>> name.validate(["第一行", "第二行"])
    ['第一行', '第二行']
    >>> quantity = Number("n..12", decimals=1, columns=13)
    >>> quantity.validate("2.5")
    Decimal('2.5')
    >>> try:
    ...     quantity.validate(2.5)
    ... except PydanticCustomError as error:
    ...     print(error.context["message"])
    must be a number written as a string, e.g. "125000.00" (a float has already lost digits)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache, partial
from typing import Any, NoReturn

from pydantic_core import PydanticCustomError

from gbt15311 import cells, font
from gbt15311.exceptions import ValidationError
from gbt15311.notation import Representation

__all__ = [
    "FILL",
    "Capacity",
    "Number",
    "Text",
    "checked",
    "code",
    "day",
    "listed",
    "printed_number",
    "refuse",
    "safe_text",
]

FILL = 2
"""Positions kept free in every number column for the anti-alteration asterisks (``*250.00*``).

Issuing practice prints amounts between asterisks. A number is accepted only if it still fits
its column with them, so a template may switch the fill on or off without making an accepted
licence unprintable. Where a representation (``n..13``) and its area (13 columns) disagree, the
area wins.
"""

_VERDICTS = 8192
"""Values whose verdict each rule keeps: a busy office's importers, units and prices."""

_EXPONENT_LIMIT = 64
"""Beyond this exponent a number is refused before it is written out digit by digit."""

_LONGEST_INTEGER_BITS = 256
"""An integer longer than this (77 digits) cannot fit any column; it is refused unwritten."""

_NUMBER_AS_TEXT = 'must be a number written as a string, e.g. "125000.00"'


@dataclass(frozen=True, slots=True)
class Capacity:
    """The widest value accepted for a printed slot, in print positions per line and lines.

    ``numeric`` slots are right-aligned numbers whose column keeps ``FILL`` positions free.
    Templates check their slots against this table.
    """

    width: int
    lines: int
    numeric: bool = False


def refuse(message: str, field: int | None = None) -> NoReturn:
    """Fail one value's validation; the field's number and names are added from its path.

    A lone surrogate quoted from the value is written as its escape: pydantic cannot carry
    it, and no terminal or JSON encoder can print it."""
    context: dict[str, Any] = {"message": safe_text(message)}
    if field is not None:
        context["field"] = field
    raise PydanticCustomError("gbt15311", "{message}", context)


class Text:
    """A text's rule: one string, or (for a field of several lines) a list of lines as printed.

    A string is wrapped into the field's lines; a list is kept as given, line for line.
    """

    def __init__(self, representation: str, *, required: bool = True) -> None:
        self.representation = Representation.parse(representation)
        self.required = required
        self.problems: Callable[[str | tuple[str, ...]], tuple[str, ...]] = lru_cache(_VERDICTS)(
            self._problems
        )

    @property
    def capacity(self) -> Capacity:
        return Capacity(self.representation.length, self.representation.lines)

    def validate(self, value: Any) -> Any:
        """Validate a field's value: its type, then its verdict (a bound method is the
        field's plain validator)."""
        if isinstance(value, str):
            problems = self.problems(value)
        elif self.representation.lines > 1 and _is_lines(value):
            problems = self.problems(tuple(value))
            value = list(value)
        elif self.representation.lines > 1:
            refuse("must be text, or a list of lines of text")
        else:
            refuse("must be text")
        if problems:
            refuse("; ".join(problems))
        return value

    def lines(self, value: str | list[str]) -> list[str]:
        """The printed lines of a text given whole (we wrap it) or as lines (kept)."""
        if isinstance(value, list):
            return value
        if cells.cell_len(value) <= self.representation.length:
            return [value] if value else []
        return cells.wrap(value, self.representation.length)

    def _problems(self, value: str | tuple[str, ...]) -> tuple[str, ...]:
        rep = self.representation
        # Only plain spaces make a value blank; other spaces are characters that cannot print.
        if not (value.strip(" ") if isinstance(value, str) else "".join(value).strip(" ")):
            return ("is required",) if self.required else ()
        if isinstance(value, str):
            width = _print_positions(value)
            if width is None:
                return tuple(_printable(value))
            if width <= rep.length:
                return ()
            if rep.lines == 1:
                return tuple(rep.check(value))
            lines = cells.wrap(value, rep.length)  # each line fits; only their count can fail
            if len(lines) <= rep.lines:
                return ()
            return (
                f"takes {width} print positions, which wrap into {len(lines)} "
                f"lines of {rep.length}; at most {rep.lines} fit",
            )
        widths = [_print_positions(line) for line in value]
        if None in widths:
            return tuple(problem for line in value for problem in _printable(line))
        if len(value) <= rep.lines and all((width or 0) <= rep.length for width in widths):
            return ()
        return tuple(rep.check_lines(value))


class Number:
    """A number's rule: its representation and the column it prints in.

    Numbers come as strings or integers (or ``Decimal`` from Python callers); a float has
    already lost digits. Verdicts are kept per text as given: 2.0 and 2.00 are equal numbers
    that print differently.
    """

    def __init__(self, representation: str, *, decimals: int, columns: int) -> None:
        self.representation = Representation.parse(representation, decimals=decimals)
        self.columns = columns
        self.width = min(self.representation.length, columns - FILL)
        decimals = self.representation.decimals or 0
        self._fits_below = Decimal(10) ** (self.width - (decimals + 1 if decimals else 0))
        # a positive number below this, with no more decimals than allowed, always fits
        self._verdict: Callable[[str], tuple[Decimal | None, str]] = lru_cache(_VERDICTS)(
            self._judge
        )

    @property
    def capacity(self) -> Capacity:
        return Capacity(self.width, 1, numeric=True)

    @property
    def _too_long(self) -> str:
        return f"has far too many digits; at most {self.width} print positions fit"

    def validate(self, value: Any) -> Decimal:
        """Validate a field's value: a number, given as text, that fits its column."""
        number, problem = self._verdict(value if type(value) is str else self._text(value))
        if number is None:
            refuse(problem)
        return number

    def parse(self, value: Any) -> Decimal:
        """The number a value gives, whether or not it fits: for comparing with a computed one."""
        number = _decimal(value if type(value) is str else self._text(value))
        if isinstance(number, str):
            refuse(number)
        return number

    def problem(self, number: Decimal) -> str:
        """What keeps a number computed from valid ones (a total, an amount) from printing in
        this column, or ``""``. Such a number has no more decimals than its column allows."""
        if 0 < number < self._fits_below:
            return ""
        return self._verdict(str(number))[1]

    def _text(self, value: Any) -> str:
        """The text of a number given otherwise; an integer too long to write out is refused
        for its length here (Python writes at most 4300 digits)."""
        if isinstance(value, int) and value.bit_length() > _LONGEST_INTEGER_BITS:
            refuse(self._too_long)
        return _number_text(value)

    def _judge(self, text: str) -> tuple[Decimal | None, str]:
        number = _decimal(text)
        if isinstance(number, str):
            return None, number
        if number <= 0:
            return None, "must be greater than zero"
        if abs(int(number.as_tuple().exponent)) > _EXPONENT_LIMIT:  # never write 1e999999 out
            return None, self._too_long
        printed = printed_number(number)
        point = printed.find(".")
        decimals = len(printed) - point - 1 if point >= 0 else 0
        if len(printed) <= self.width and decimals <= (self.representation.decimals or 0):
            return number, ""
        problems = self.representation.check(printed)
        if not problems:
            problems.append(
                f"takes {len(printed)} print positions; at most {self.width} fit "
                f"between the anti-alteration asterisks in its {self.columns}-column area"
            )
        return None, "; ".join(problems)


def code(validate: Callable[[str], str]) -> Callable[[Any], str]:
    """The rule of a code whose form alone decides (a licence number, a commodity code): text
    that ``validate`` (a ``codes`` module's) accepts. Its verdicts are kept per value."""
    verdict = lru_cache(_VERDICTS)(partial(_code_verdict, validate))

    def check(value: Any) -> str:
        if not isinstance(value, str):
            refuse("must be text")
        kept, problem = verdict(value)
        if problem:
            refuse(problem)
        return kept

    return check


def listed(validate: Callable[[str], str]) -> Callable[[Any], str]:
    """The rule of a code looked up in a table the user may replace while the process runs
    (``load_units``…): checked each time, never from a verdict the old table gave. The code
    module's own ``ValidationError`` (a ``ValueError``) is the field's problem: pydantic
    carries it and ``problems`` reads its message, which spares a call per value."""
    return validate


def checked(validate: Callable[[str], str], value: Any) -> str:
    """``validate(value)`` for a field's value, its error refused as the field's problem."""
    if not isinstance(value, str):
        refuse("must be text")
    try:
        return validate(value)
    except ValidationError as error:
        refuse(str(error))


def day(value: Any) -> date:
    """A calendar date written ``YYYY-MM-DD`` (ISO 8601) or ``YYYYMMDD`` (the standard's n8),
    nothing else: no week or ordinal dates, no times. Printed forms are the layout's business."""
    if type(value) is date:
        return value
    if isinstance(value, str):
        found = _day(value)
        if isinstance(found, date):
            return found
        refuse(found)
    refuse(_DATE_FORMS)


_DATE_FORMS = "must be a date written YYYY-MM-DD or YYYYMMDD, e.g. 2026-11-22 or 20261122"


@lru_cache(_VERDICTS)
def _day(text: str) -> date | str:
    """The day ``text`` writes, or what is wrong with it; kept per text, as dates recur."""
    if len(text) == 10 and text[4] == text[7] == "-":
        digits = text[:4] + text[5:7] + text[8:]
    elif len(text) == 8:
        digits = text
    else:
        return _DATE_FORMS
    if not (digits.isascii() and digits.isdigit()):
        return _DATE_FORMS
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return f"is not a day of the calendar: {text}"


def printed_number(value: Decimal) -> str:
    """A number as printed and as written in canonical JSON: positional, never an exponent."""
    return format(value, "f")


def safe_text(text: str) -> str:
    """``text`` with each lone surrogate written as its escape (``\\ud800``)."""
    return text if text.isascii() else text.encode("utf-8", "backslashreplace").decode()


def _code_verdict(validate: Callable[[str], str], value: str) -> tuple[str, str]:
    try:
        return validate(value), ""
    except ValidationError as error:
        return value, str(error)


def _is_lines(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(line, str) for line in value)


class _PrintPositions(dict[str, int]):
    """Character → print positions, 0 for one that cannot be printed (see ``_printable``),
    filled as characters are first seen: one lookup per character answers both questions."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 0 if _printable(ch) else cells.char_width(ch)
        return width


_POSITIONS = _PrintPositions()


def _print_positions(text: str) -> int | None:
    """Print positions of a text, or ``None`` when a character of it cannot be printed."""
    if text.isascii() and text.isprintable():
        return len(text)
    widths = list(map(_POSITIONS.__getitem__, text))
    return None if 0 in widths else sum(widths)


def _printable(text: str) -> list[str]:
    """Characters that would not print: control and zero-width characters, font gaps."""
    if text.isascii() and text.isprintable():
        return []
    problems = [f"contains {what}, which cannot be printed" for what in cells.unprintable(text)]
    missing = [ch for ch in font.missing_glyphs(text) if not cells.unprintable(ch)]
    if missing:
        named = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing)
        problems.append(f"contains {named}, which the printing font does not have")
    return problems


def _number_text(value: Any) -> str:
    """The text of a number as given; floats and booleans are refused."""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    if isinstance(value, float):
        refuse(_NUMBER_AS_TEXT + " (a float has already lost digits)")
    refuse(_NUMBER_AS_TEXT)


@lru_cache(_VERDICTS)
def _decimal(text: str) -> Decimal | str:
    """The finite number ``text`` writes, or what is wrong with it."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return _NUMBER_AS_TEXT
    return number if number.is_finite() else "must be a finite number"
