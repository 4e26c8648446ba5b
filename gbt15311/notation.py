"""Data representations as clause 3.2 of GB/T 15311.1-2008 writes them (ISO 7372).

``a`` alphabetic, ``n`` numeric, ``an`` alphanumeric; ``an12`` exactly 12, ``an..35`` up to
35, ``an..35*2`` up to two lines of up to 35. Decimals are stated in words in the standard
("n..13, 4 decimals"), so they are a separate argument. Lengths count print positions
(a Chinese character takes two, see ``cells``); problems are short phrases that the caller
prefixes with the field's name.

    >>> rep = Representation.parse("an.. 35 * 2")
    >>> rep
    Representation(kind='an', length=35, fixed=False, lines=2, decimals=None)
    >>> str(rep)
    'an..35*2'
    >>> rep.check("北京某某进出口有限公司")
    []
    >>> rep.check("中国北京市朝阳区建国门外大街某某号某某大厦")
    ['takes 42 print positions; at most 35 fit']
    >>> rep.check_lines(["Line one", "Line two", "Line three"])
    ['has 3 lines; at most 2 fit']
    >>> Representation.parse("an12").check("06-AA-20496")
    ['must take exactly 12 print positions; takes 11']
    >>> price = Representation.parse("n..13", decimals=4)
    >>> price.check("1234.5678"), price.check("1.23456")
    ([], ['has 5 decimals; at most 4 are allowed'])
    >>> price.check("-12")
    ['must be a number: digits and at most one decimal point']
    >>> Representation.parse("an35..")
    Traceback (most recent call last):
        ...
    ValueError: 'an35..' is not a data representation such as a3, n8, an..35 or an..35*2
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from gbt15311.cells import cell_len, unprintable

__all__ = ["Representation"]

Kind = Literal["a", "n", "an"]

_GRAMMAR = re.compile(r"\s*(an|a|n)\s*(\.\.)?\s*(\d+)\s*(?:\*\s*(\d+))?\s*", re.ASCII)
_DIGITS = re.compile(r"[0-9.]+")
_FULL_WIDTH_NUMBER = re.compile(r"[0-9０-９.．]+")
_KINDS: dict[str, Kind] = {"a": "a", "n": "n", "an": "an"}


@dataclass(frozen=True)
class Representation:
    """One representation: kind, length in print positions, fixed or up to, lines, decimals."""

    kind: Kind
    length: int
    fixed: bool
    lines: int = 1
    decimals: int | None = None

    def __post_init__(self) -> None:
        if self.length < 1 or self.lines < 1:
            raise ValueError(f"{self} must have a length and a line count of at least 1")
        if self.decimals is not None:
            if self.kind != "n":
                raise ValueError(f"{self} is not numeric, so it cannot have decimals")
            if self.decimals < 0 or (self.decimals and self.decimals > self.length - 2):
                raise ValueError(f"{self} cannot have {self.decimals} decimals")

    @classmethod
    def parse(cls, text: str, decimals: int | None = None) -> Representation:
        """Read ``a3``, ``n8``, ``an12``, ``an..35``, ``an..35*2``, ``n..13``; spaces allowed."""
        return _parse(text, decimals)

    def __str__(self) -> str:
        lines = f"*{self.lines}" if self.lines > 1 else ""
        return f"{self.kind}{'' if self.fixed else '..'}{self.length}{lines}"

    def check(self, value: str) -> list[str]:
        """The problems of one line of a value; empty when it is fine."""
        if not value:
            return ["is empty"]
        bad = unprintable(value)
        if bad:
            problems = ["has characters that cannot be printed: " + "; ".join(bad)]
        elif self.kind == "n":
            problems = self._check_number(value)
        elif self.kind == "a":
            problems = _check_letters(value)
        else:
            problems = []
        size = cell_len(value)
        if self.fixed and size != self.length:
            problems.append(f"must take exactly {_positions(self.length)}; takes {size}")
        elif size > self.length:
            problems.append(f"takes {_positions(size)}; at most {_fit(self.length)}")
        return problems

    def check_lines(self, lines: Sequence[str]) -> list[str]:
        """The problems of a value given as lines: too many lines, and each line's own."""
        if not lines:
            return ["is empty"]
        problems = []
        if len(lines) > self.lines:
            problems.append(f"has {len(lines)} lines; at most {_fit(self.lines)}")
        for number, line in enumerate(lines, start=1):
            problems.extend(f"line {number} {problem}" for problem in self.check(line))
        return problems

    def _check_number(self, value: str) -> list[str]:
        if not value.isascii() and _FULL_WIDTH_NUMBER.fullmatch(value):
            return ["must be typed with half-width digits 0-9 and '.', not full-width ones"]
        if not _DIGITS.fullmatch(value) or value.count(".") > 1:
            return ["must be a number: digits and at most one decimal point"]
        whole, mark, fraction = value.partition(".")
        if mark and not (whole and fraction):
            return ["must have digits before and after the decimal point"]
        if mark and self.decimals == 0:
            return ["must be a whole number, without a decimal point"]
        if self.decimals is not None and len(fraction) > self.decimals:
            allowed = "1 is" if self.decimals == 1 else f"{self.decimals} are"
            return [f"has {len(fraction)} decimals; at most {allowed} allowed"]
        return []


@lru_cache(maxsize=256)
def _parse(text: str, decimals: int | None) -> Representation:
    match = _GRAMMAR.fullmatch(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a data representation such as a3, n8, an..35 or an..35*2"
        )
    kind, dots, length, lines = match.groups()
    return Representation(
        kind=_KINDS[kind],
        length=int(length),
        fixed=dots is None,
        lines=int(lines) if lines else 1,
        decimals=decimals,
    )


def _check_letters(value: str) -> list[str]:
    others = [repr(ch) for ch in dict.fromkeys(value) if not ch.isalpha()]
    return [f"must contain letters only, not {', '.join(others)}"] if others else []


def _positions(count: int) -> str:
    return f"{count} print position{'' if count == 1 else 's'}"


def _fit(count: int) -> str:
    return f"{count} {'fits' if count == 1 else 'fit'}"
