"""Currencies (GB/T 12406 = ISO 4217) of fields 15 and 16.

A currency is given by its alpha-3 code in any case (``USD``, ``usd``) or its three-digit
numeric code (``840``). The table is pycountry's, with Chinese names from pycountry's
zh_CN catalogue (provenance: public), shipped as ``iso4217.csv`` (written by
``scripts/generate_code_tables.py``); the few names the catalogue lacks stay in English.
Codes that are not money a price can be stated in (no currency, testing, precious metals,
funds, units of account) are refused with the reason, from ``currency_not_money.csv``.

    >>> lookup('usd')
    Currency(alpha_3='USD', numeric='840', name_en='US Dollar', name_zh='美元')
    >>> validate('ＥＵＲ'), validate('978'), validate(' cny ')
    ('EUR', 'EUR', 'CNY')
    >>> format('392')
    'JPY'
    >>> validate('RMB')  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidComponent: 'RMB': not an ISO 4217 currency code;
    the yuan renminbi is CNY
    >>> validate('XAU')
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidComponent: 'XAU': XAU is a precious metal (gold), not a currency
    >>> validate('US$')  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidFormat: 'US$': a currency is given by its ISO 4217 code:
    three letters (USD) or three digits (840)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from gbt15311.codes._util import bundled, clean, rows
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
    index: dict[str, Currency] = {}
    for currency in iso4217():
        if currency.alpha_3 in not_money():
            continue
        for key in (currency.alpha_3, currency.alpha_3.lower(), currency.numeric):
            index[key] = currency
    _index = index  # whole, so that another thread never sees half of it


@cache
def iso4217() -> tuple[Currency, ...]:
    """Every code of ISO 4217, money or not: pycountry's, shipped as ``iso4217.csv``
    (``scripts/generate_code_tables.py``) so that a start reads one small file."""
    columns = ("alpha_3", "numeric", "name_en", "name_zh")
    return tuple(Currency(**row) for _, row in rows(bundled("iso4217.csv"), columns))


@cache
def not_money() -> dict[str, str]:
    """ISO 4217 codes refused as a price's currency, with the reason."""
    return {
        row["code"]: row["reason"]
        for _, row in rows(bundled("currency_not_money.csv"), ("code", "reason"))
    }


def all_currencies() -> tuple[Currency, ...]:
    """Every currency a price can be stated in, in alpha-3 order."""
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
    reason = not_money().get(text) or next(
        (why for code, why in not_money().items() if _numeric(code) == text), None
    )
    if reason is not None:
        raise InvalidComponent(f"{value!r}: {_alpha(text)} is {reason}")
    hint = "; the yuan renminbi is CNY" if text == "RMB" else ""
    raise InvalidComponent(f"{value!r}: not an ISO 4217 currency code{hint}")


def _numeric(alpha_3: str) -> str | None:
    return next((c.numeric for c in iso4217() if c.alpha_3 == alpha_3), None)


def _alpha(text: str) -> str:
    return next((c.alpha_3 for c in iso4217() if c.numeric == text), text)


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
