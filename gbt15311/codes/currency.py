"""Currencies (GB/T 12406 = ISO 4217) of fields 15 and 16.

A currency is given by its alpha-3 code in any case (``USD``, ``usd``) or its three-digit
numeric code (``840``). The table is pycountry's, with Chinese names from pycountry's
zh_CN catalogue (provenance: public); the few names the catalogue lacks stay in English.

>>> lookup('usd')
Currency(alpha_3='USD', numeric='840', name_en='US Dollar', name_zh='美元')
>>> validate('ＥＵＲ'), validate('978'), validate(' cny ')
('EUR', 'EUR', 'CNY')
>>> format('392')
'JPY'
>>> validate('RMB')
Traceback (most recent call last):
    ...
gbt15311.exceptions.InvalidComponent: 'RMB': not an ISO 4217 currency code; the yuan renminbi is CNY
>>> validate('US$')  # doctest: +NORMALIZE_WHITESPACE
Traceback (most recent call last):
    ...
gbt15311.exceptions.InvalidFormat: 'US$': a currency is given by its ISO 4217 code:
three letters (USD) or three digits (840)
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass

import pycountry

from gbt15311.codes._util import clean
from gbt15311.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError

__all__ = ["Currency", "all_currencies", "compact", "format", "is_valid", "lookup", "validate"]


@dataclass(frozen=True, slots=True)
class Currency:
    """A currency: ISO 4217 alpha-3 and numeric codes, English and Chinese names."""

    alpha_3: str
    numeric: str
    name_en: str
    name_zh: str


_index: dict[str, Currency] = {}  # alpha-3 in both cases and numeric; built once, on first use


def _ensure() -> None:
    global _index
    if _index:
        return
    zh = gettext.translation("iso4217", pycountry.LOCALES_DIR, languages=["zh_CN"]).gettext
    index: dict[str, Currency] = {}
    for record in pycountry.currencies:
        currency = Currency(record.alpha_3, record.numeric, record.name, zh(record.name))
        for key in (record.alpha_3, record.alpha_3.lower(), record.numeric):
            index[key] = currency
    _index = index  # whole, so that another thread never sees half of it


def all_currencies() -> tuple[Currency, ...]:
    """Every currency, in alpha-3 order."""
    _ensure()
    return tuple(sorted({c.alpha_3: c for c in _index.values()}.values(), key=lambda c: c.alpha_3))


def compact(value: str) -> str:
    """Normalise a currency code: NFKC (full-width to ASCII), no spaces, upper case."""
    return clean(value, "a currency", remove=" ").upper()


def lookup(value: str) -> Currency:
    """Return the currency with this alpha-3 or numeric code."""
    try:
        currency = _index.get(value)  # the hot path: one dict hit
    except TypeError:  # unhashable: compact() says what is wrong with it
        currency = None
    if currency is not None:
        return currency
    _ensure()
    text = compact(value)
    currency = _index.get(text)
    if currency is not None:
        return currency
    if not (text.isascii() and (text.isalpha() or text.isdigit())):
        raise InvalidFormat(
            f"{value!r}: a currency is given by its ISO 4217 code: "
            "three letters (USD) or three digits (840)"
        )
    if len(text) != 3:
        raise InvalidLength(f"{value!r}: an ISO 4217 currency code has three letters or digits")
    hint = "; the yuan renminbi is CNY" if text == "RMB" else ""
    raise InvalidComponent(f"{value!r}: not an ISO 4217 currency code{hint}")


def validate(value: str) -> str:
    """Check a currency code and return its alpha-3 code."""
    return lookup(value).alpha_3


def is_valid(value: str) -> bool:
    """Return whether ``value`` is an ISO 4217 currency code."""
    try:
        lookup(value)
    except ValidationError:
        return False
    return True


def format(value: str) -> str:
    """Return the alpha-3 code, as printed in the brackets of the captions of fields 15 and 16."""
    return lookup(value).alpha_3
