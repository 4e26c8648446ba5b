"""Import licence number (进口许可证号, field 3, an12).

A licence number is ``YY-OO-NNNNNN``: the two-digit year, the two-character code of the
issuing office (``AA`` the ministry's licence bureau, ``AB``, ``AC`` … its resident offices,
``01``, ``02`` … the provincial offices) and a six-digit sequence number. The number
carries no check character, so only its form can be checked.

Input may be full-width, lower-case, spaced, or without its hyphens:

    >>> validate('06-AA-204966')
    '06-AA-204966'
    >>> validate(' ０６－ａａ－２０４９６６ ')
    '06-AA-204966'
    >>> validate('06 01 000123')
    '06-01-000123'
    >>> validate('06AA204966')
    '06-AA-204966'
    >>> split('06-AB-000001')
    ('06', 'AB', '000001')
    >>> validate('06-AA-20496')  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidLength: '06-AA-20496': a licence number is YY-OO-NNNNNN:
    two-digit year, two-character office code, six-digit sequence (12 characters with the
    hyphens, 10 without); this one has 9 without the hyphens
    >>> validate('06-A1-204966')  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidFormat: '06-A1-204966': the office code must be two letters
    (AA, AB …) or two digits (01, 02 …), not 'A1'
    >>> is_valid('2006-AA-204966')
    False
"""

from __future__ import annotations

import re

from gbt15311.codes._util import clean
from gbt15311.exceptions import InvalidFormat, InvalidLength, ValidationError

__all__ = ["compact", "format", "is_valid", "split", "validate"]

_SHAPE = (
    "a licence number is YY-OO-NNNNNN: "
    "two-digit year, two-character office code, six-digit sequence"
)
_HYPHENATED = re.compile(r"(.{2})-(.{2})-(.{6})")
_CANONICAL = re.compile(r"[0-9]{2}-(?:[A-Z]{2}|[0-9]{2})-[0-9]{6}", re.ASCII)


def compact(number: str) -> str:
    """Normalise to ASCII (full-width characters, dashes), upper-case, remove spaces."""
    return clean(number, "a licence number", remove=" ").upper()


def split(number: str) -> tuple[str, str, str]:
    """Return the year, office code and sequence number of a valid licence number."""
    year, office, sequence = validate(number).split("-")
    return year, office, sequence


def validate(number: str) -> str:
    """Check the form of a licence number and return it as ``YY-OO-NNNNNN``.

    Raises ``InvalidLength`` or ``InvalidFormat`` with a message naming the faulty part.
    """
    if isinstance(number, str) and _CANONICAL.fullmatch(number):  # as issuing software sends it
        return number
    text = compact(number)
    match = _HYPHENATED.fullmatch(text)
    if match:
        year, office, sequence = match.groups()
    elif "-" in text:
        bare = text.replace("-", "")
        if len(bare) != 10:
            raise InvalidLength(
                f"{number!r}: {_SHAPE} (12 characters with the hyphens, 10 without); "
                f"this one has {len(bare)} without the hyphens"
            )
        raise InvalidFormat(
            f"{number!r}: {_SHAPE}; the hyphens must follow the year and the office code"
        )
    elif len(text) == 10:
        year, office, sequence = text[:2], text[2:4], text[4:]
    else:
        raise InvalidLength(
            f"{number!r}: {_SHAPE} (12 characters with the hyphens, 10 without); "
            f"this one has {len(text)}"
        )
    if not (year.isascii() and year.isdigit()):
        raise InvalidFormat(f"{number!r}: the year must be two digits, not {year!r}")
    if not (office.isascii() and (office.isdigit() or office.isalpha())):
        raise InvalidFormat(
            f"{number!r}: the office code must be two letters (AA, AB …) "
            f"or two digits (01, 02 …), not {office!r}"
        )
    if not (sequence.isascii() and sequence.isdigit()):
        raise InvalidFormat(f"{number!r}: the sequence number must be six digits, not {sequence!r}")
    return f"{year}-{office}-{sequence}"


def is_valid(number: str) -> bool:
    """Return whether ``number`` is a well-formed licence number."""
    try:
        validate(number)
    except ValidationError:
        return False
    return True


def format(number: str) -> str:
    """Return the printed form ``YY-OO-NNNNNN`` (12 characters) of a licence number."""
    return validate(number)
