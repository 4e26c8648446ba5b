"""Importer code (field 1): a 13-digit enterprise code or an 18-character USCC.

Since 2017 enterprises identify themselves by the unified social credit code (统一社会信用代码,
GB 32100-2015: 18 characters from ``0-9A-HJ-NPQRTUWXY``, the last a check character, which
python-stdnum's ``stdnum.cn.uscc`` checks); the older 13-digit enterprise code of the
foreign-trade operator filing form (WM 1-1999) still appears on forms and has no published
check digit, so only its form is checked. Both are accepted (MOFCOM practice, confirmed that
both are in use; which one field 1 shows is not known). A few special codes are data rows of
``enterprise_special.csv``, each with its provenance: gifts and aid (``00000000000001``,
importer 赠送) and units without trading rights (``9999`` + organisation code).

    >>> validate('3100 1234 56789')
    '3100123456789'
    >>> validate('３１０００１２３４５６７８')
    '3100012345678'
    >>> validate('91110000600037341l')
    '91110000600037341L'
    >>> is_without_trading_rights('9999 12345678 9')
    True
    >>> special('00000000000001').importer_name
    '赠送'
    >>> validate('310012345678')  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidLength: '310012345678': an importer code is a 13-digit enterprise
    code or an 18-character unified social credit code; this one has 12 characters
    >>> validate('91110000600037341X')  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidComponent: '91110000600037341X': the check character of this unified
    social credit code is wrong: it must be L
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from gbt15311.codes._util import bundled, clean, rows
from gbt15311.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError

__all__ = [
    "USCC_LENGTH",
    "SpecialCode",
    "compact",
    "format",
    "is_valid",
    "is_without_trading_rights",
    "special",
    "special_codes",
    "validate",
]

ENTERPRISE_CODE_LENGTH = 13
USCC_LENGTH = 18
"""The widest importer code, which field 1's slot must fit."""


@dataclass(frozen=True, slots=True)
class SpecialCode:
    """A code row of ``enterprise_special.csv``: the code or its prefix, the whole code's
    length, the importer name it requires ("" for any), and where the rule comes from."""

    code: str
    length: int
    importer_name: str
    meaning: str
    confidence: str
    source: str

    def matches(self, text: str) -> bool:
        rest = text[len(self.code) :]
        return len(text) == self.length and text.startswith(self.code) and _organisation(rest)


def _organisation(rest: str) -> bool:
    """The part after a prefix: digits, or an organisation code's 8 digits and check (0-9, X)."""
    return not rest or (rest[:-1].isdigit() and (rest[-1].isdigit() or rest[-1] == "X"))


@cache
def special_codes() -> tuple[SpecialCode, ...]:
    """The special codes, from the bundled table."""
    columns = ("code", "length", "importer_name", "meaning", "confidence", "source")
    return tuple(
        SpecialCode(**{**row, "length": int(row["length"])})  # type: ignore[arg-type]
        for _, row in rows(bundled("enterprise_special.csv"), columns)
    )


def compact(number: str) -> str:
    """Normalise to ASCII (full-width characters), upper case, without spaces and hyphens."""
    return clean(number, "an importer code", remove=" -").upper()


def validate(number: str) -> str:
    """Check an importer code and return it as printed (a USCC in upper case)."""
    if (
        isinstance(number, str)
        and len(number) == ENTERPRISE_CODE_LENGTH
        and number.isascii()
        and number.isdigit()
    ):
        return number
    text = compact(number)
    if len(text) == ENTERPRISE_CODE_LENGTH and text.isascii() and text.isdigit():
        return text
    if special(text) is not None:
        return text
    if len(text) == USCC_LENGTH:
        return _uscc(number, text)
    if len(text) == ENTERPRISE_CODE_LENGTH or (text and not (text.isascii() and text.isalnum())):
        raise InvalidFormat(
            f"{number!r}: an importer code is a 13-digit enterprise code or an 18-character "
            "unified social credit code, and nothing else"
        )
    raise InvalidLength(
        f"{number!r}: an importer code is a 13-digit enterprise code or an 18-character "
        f"unified social credit code; this one has {len(text)} characters"
    )


def _uscc(number: str, text: str) -> str:
    """GB 32100's check, by python-stdnum, imported when a USCC is first checked, so that a
    start with a 13-digit enterprise code or a special code does not pay for it."""
    from stdnum import exceptions
    from stdnum.cn import uscc

    try:
        return str(uscc.validate(text))
    except exceptions.InvalidChecksum:
        raise InvalidComponent(
            f"{number!r}: the check character of this unified social credit code is wrong: "
            f"it must be {uscc.calc_check_digit(text)}"
        ) from None
    except exceptions.ValidationError:  # a character outside GB 32100's alphabet
        raise InvalidFormat(
            f"{number!r}: a unified social credit code has 8 digits, then 10 characters of "
            "0-9 and A-Z without I, O, S, V and Z"
        ) from None


@lru_cache(maxsize=8192)
def special(number: str) -> SpecialCode | None:
    """The special code row ``number`` (compacted) falls under, if any."""
    return next((row for row in special_codes() if row.matches(number)), None)


def is_valid(number: str) -> bool:
    """Return whether ``number`` is a well-formed importer code."""
    try:
        validate(number)
    except ValidationError:
        return False
    return True


def is_without_trading_rights(number: str) -> bool:
    """Return whether a valid code is the ``9999`` + organisation code form."""
    row = special(validate(number))
    return row is not None and row.code == "9999"


def format(number: str) -> str:
    """Return the code as printed."""
    return validate(number)
