"""Enterprise code (企业代码, field 1, n13).

The importer is identified by the 13-digit code of its foreign-trade operator filing form
or trading-rights certificate (WM 1-1999). Importers without trading rights write ``9999``
followed by their 9-digit organisation code. No check digit of the 13-digit code is
published, so only its form is checked; the 18-character unified social credit code
that enterprises have held since 2015 is a different identifier and is refused here.

>>> validate('3100 1234 56789')
'3100123456789'
>>> validate('３１０００１２３４５６７８')
'3100012345678'
>>> is_without_trading_rights('9999 12345678 9')
True
>>> validate('310012345678')
Traceback (most recent call last):
    ...
gbt15311.exceptions.InvalidLength: '310012345678': an enterprise code has 13 digits; this one has 12
>>> validate('91310000MA1FL0XX1X')  # doctest: +NORMALIZE_WHITESPACE
Traceback (most recent call last):
    ...
gbt15311.exceptions.InvalidLength: '91310000MA1FL0XX1X': an enterprise code has 13 digits;
this looks like an 18-character unified social credit code, which field 1 does not take
"""

from __future__ import annotations

from gbt15311.codes._util import clean, digits
from gbt15311.exceptions import InvalidLength, ValidationError

__all__ = ["compact", "format", "is_valid", "is_without_trading_rights", "validate"]

WITHOUT_TRADING_RIGHTS = "9999"
"""Prefix of the code of an importer without trading rights, before its organisation code."""


def compact(number: str) -> str:
    """Normalise to ASCII (full-width digits) and remove spaces and hyphens."""
    return clean(number, "an enterprise code", remove=" -")


def validate(number: str) -> str:
    """Check the form of an enterprise code and return its 13 digits."""
    return digits(number, _compact_refusing_credit_codes, 13, "an enterprise code has 13 digits")


def _compact_refusing_credit_codes(number: str) -> str:
    """``compact``, naming the mistake of giving the 18-character unified social credit code."""
    text = compact(number)
    if len(text) == 18 and text.isascii() and text.isalnum():
        raise InvalidLength(
            f"{number!r}: an enterprise code has 13 digits; this looks like an 18-character "
            "unified social credit code, which field 1 does not take"
        )
    return text


def is_valid(number: str) -> bool:
    """Return whether ``number`` is a well-formed enterprise code."""
    try:
        validate(number)
    except ValidationError:
        return False
    return True


def is_without_trading_rights(number: str) -> bool:
    """Return whether a valid code is the ``9999`` + organisation code form."""
    return validate(number).startswith(WITHOUT_TRADING_RIGHTS)


def format(number: str) -> str:
    """Return the 13 digits, as printed."""
    return validate(number)
