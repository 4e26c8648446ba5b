"""Customs district code (关区代码, field 7, n4).

Four digits: two for the directly subordinate customs, two for its subordinate office;
``xx00`` is the customs itself (2200 上海海关, 2201 浦江海关). A licence is valid at one
district only. The bundled table ``customs_districts.csv`` (provenance: public) is
incomplete, so a well-formed code is accepted even when the table does not know it;
``name`` answers ``None`` for such a code.

    >>> validate('２２０１')
    '2201'
    >>> name('2201'), name('5100'), name('2299')
    ('浦江海关', '广州海关', None)
    >>> check_name('5100', '广州海关')
    '5100'
    >>> check_name('2299', '某某海关')
    '2299'
    >>> check_name('5100', '深圳海关')
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidComponent: customs district 5100 is 广州海关, not 深圳海关
    >>> validate('220')
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidLength: '220': a customs district code has 4 digits; this one has 3
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from gbt15311.codes._util import bundled, clean, digits, rows, user_file
from gbt15311.exceptions import InvalidComponent, InvalidFormat, ValidationError

__all__ = [
    "District",
    "all_districts",
    "check_name",
    "compact",
    "format",
    "is_valid",
    "load_districts",
    "name",
    "validate",
]


@dataclass(frozen=True, slots=True)
class District:
    """A customs district: its 4-digit code and the customs' Chinese name."""

    code: str
    name: str


_table: dict[str, District] = {}  # built once, on first use; replaced whole, never changed


def compact(code: str) -> str:
    """Normalise to ASCII (full-width digits) and remove spaces."""
    return clean(code, "a customs district code", remove=" ")


def validate(code: str) -> str:
    """Check the form of a customs district code (not its membership) and return it."""
    return digits(code, compact, 4, "a customs district code has 4 digits", ", such as 2200")


def is_valid(code: str) -> bool:
    """Return whether ``code`` is a well-formed customs district code."""
    try:
        validate(code)
    except ValidationError:
        return False
    return True


def format(code: str) -> str:
    """Return the 4 digits."""
    return validate(code)


def _parse(table: tuple[str, str], into: dict[str, District]) -> None:
    for where, row in rows(table, ("code", "name")):
        try:
            code = validate(row["code"])
        except ValidationError as error:
            raise InvalidFormat(f"{where}: {error}") from None
        district_name = clean(row["name"], "a customs name", remove=" ")
        if not district_name:
            raise InvalidFormat(f"{where}: customs district {code} has no name")
        into[code] = District(code, district_name)


def _ensure() -> dict[str, District]:
    global _table
    if not _table:
        table: dict[str, District] = {}
        _parse(bundled("customs_districts.csv"), table)
        _table = dict(sorted(table.items()))
    return _table


def load_districts(path: str | os.PathLike[str]) -> None:
    """Correct or extend the district table from a CSV file with the columns ``code,name``.

    The file is checked whole before anything changes; a bad row raises ``InvalidFormat``
    naming its line.
    """
    global _table
    table = dict(_ensure())
    _parse(user_file(path), table)
    _table = dict(sorted(table.items()))


def all_districts() -> tuple[District, ...]:
    """Every district the table knows, in code order."""
    return tuple(_ensure().values())


def name(code: str) -> str | None:
    """Return the name of the customs of a district, or ``None`` if the table lacks it."""
    district = _ensure().get(validate(code))
    return district.name if district else None


def check_name(code: str, customs_name: str) -> str:
    """Check that ``customs_name`` is the name the table gives the district; return the code.

    A code the table does not know passes (the table is incomplete). Names are compared
    after NFKC normalisation, without spaces.
    """
    clean_code = validate(code)
    district = _ensure().get(clean_code)
    if district is None or customs_name == district.name:
        return clean_code
    given = clean(customs_name, "a customs name", remove=" ")
    if given != district.name:
        raise InvalidComponent(f"customs district {clean_code} is {district.name}, not {given}")
    return clean_code
