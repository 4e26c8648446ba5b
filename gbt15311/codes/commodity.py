"""Commodity code (商品编码, field 11, n10).

Ten digits: the 6-digit HS subheading, 2 national digits and 2 statistical digits, as
listed in the year's licensing catalogue. Tariff-book spellings with dots and spaces are
accepted. Only the form is checked: the catalogue changes every year and is not shipped.

    >>> validate('8457.1010.00')
    '8457101000'
    >>> format('８４５７ １０１０ ００')
    '8457101000'
    >>> hs_heading('8457.1010.00'), hs_subheading('8457.1010.00')
    ('8457', '845710')
    >>> validate('84571010')  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidLength: '84571010': a commodity code has 10 digits (HS 6 + 2
    national + 2 statistical); this one has 8
"""

from __future__ import annotations

from gbt15311.codes._util import clean, digits
from gbt15311.exceptions import ValidationError

__all__ = ["compact", "format", "hs_heading", "hs_subheading", "is_valid", "validate"]

_SHAPE = "a commodity code has 10 digits (HS 6 + 2 national + 2 statistical)"


def compact(code: str) -> str:
    """Normalise to ASCII (full-width digits) and remove dots and spaces."""
    return clean(code, "a commodity code", remove=". ")


def validate(code: str) -> str:
    """Check the form of a commodity code and return its 10 digits."""
    return digits(code, compact, 10, _SHAPE)


def is_valid(code: str) -> bool:
    """Return whether ``code`` is a well-formed commodity code."""
    try:
        validate(code)
    except ValidationError:
        return False
    return True


def format(code: str) -> str:
    """Return the 10 digits, as printed in field 11."""
    return validate(code)


def hs_heading(code: str) -> str:
    """Return the 4-digit HS heading of a commodity code."""
    return validate(code)[:4]


def hs_subheading(code: str) -> str:
    """Return the 6-digit HS subheading of a commodity code."""
    return validate(code)[:6]
