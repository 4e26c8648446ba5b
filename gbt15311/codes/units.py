"""Customs measurement units (海关计量单位, field 13, code n3).

The customs unit table (provenance: public) ships as ``units.csv`` in this package:
122 units, from ``001 台`` to ``163 部``. A unit is given by its code or by its name. A code
may be written without its leading zeros (``35`` is ``035``, since spreadsheets drop them);
it is always returned with three digits.

    >>> lookup('035')
    Unit(code='035', name='千克')
    >>> lookup('台')
    Unit(code='001', name='台')
    >>> validate('３５')
    '035'
    >>> validate(' 千克 ')
    '035'
    >>> format('7')
    '个'
    >>> validate('024')
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidComponent: '024': no customs measurement unit has the code 024
    >>> validate('公斤')  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidComponent: '公斤': not a customs measurement unit;
    did you mean 斤 (075), 公担 (047)?
    >>> validate('1234')
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidLength: '1234': a customs unit code has three digits (001 … 163)
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from gbt15311.codes._util import bundled, clean, rows, user_file
from gbt15311.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError

__all__ = [
    "Unit",
    "all_units",
    "compact",
    "format",
    "is_valid",
    "load_units",
    "lookup",
    "validate",
]


@dataclass(frozen=True, slots=True)
class Unit:
    """A customs measurement unit: its three-digit code and its Chinese name."""

    code: str
    name: str


_by_code: dict[str, Unit] = {}
_index: dict[str, Unit] = {}  # codes and names as typed; built once, on first use
# Both are replaced whole, never changed in place: another thread sees old or new tables.


def _parse(table: tuple[str, str], into: dict[str, Unit]) -> None:
    for where, row in rows(table, ("code", "name")):
        code, name = clean(row["code"], "a unit code"), clean(row["name"], "a unit name")
        if not (len(code) == 3 and code.isascii() and code.isdigit()):
            raise InvalidFormat(f"{where}: a unit code has three digits, not {code!r}")
        if not name:
            raise InvalidFormat(f"{where}: unit {code} has no name")
        into[code] = Unit(code, name)


def _build(by_code: dict[str, Unit]) -> None:
    names: dict[str, Unit] = {}
    for unit in by_code.values():
        if unit.name in names:
            other = names[unit.name].code
            raise InvalidFormat(f"units {other} and {unit.code} have the same name {unit.name!r}")
        names[unit.name] = unit
    index: dict[str, Unit] = {**names, **by_code}
    for unit in by_code.values():  # codes without their leading zeros: '35', '7'
        index.setdefault(unit.code.lstrip("0") or "0", unit)
    global _by_code, _index
    _by_code, _index = dict(sorted(by_code.items())), index


def _ensure() -> dict[str, Unit]:
    if not _index:
        table: dict[str, Unit] = {}
        _parse(bundled("units.csv"), table)
        _build(table)
    return _index


def load_units(path: str | os.PathLike[str]) -> None:
    """Correct or extend the unit table from a CSV file with the columns ``code,name``.

    A row with a known code replaces that unit's name; a new code adds a unit. The file is
    checked whole before anything changes; a bad row raises ``InvalidFormat`` naming its line.
    """
    _ensure()
    table = dict(_by_code)
    _parse(user_file(path), table)
    _build(table)


def all_units() -> tuple[Unit, ...]:
    """Every unit of the table, in code order."""
    _ensure()
    return tuple(_by_code.values())


def compact(value: str) -> str:
    """Normalise a unit code or name: ASCII digits, no spaces."""
    return clean(value, "a unit", remove=" ")


def lookup(value: str) -> Unit:
    """Return the unit with this code (``'035'`` or ``'35'``) or name (``'千克'``)."""
    index = _ensure()
    try:
        unit = index.get(value)  # the hot path: a code or name as the table spells it
    except TypeError:  # unhashable: compact() says what is wrong with it
        unit = None
    if unit is not None:
        return unit
    text = compact(value)
    unit = index.get(text)
    if unit is not None:
        return unit
    if text.isascii() and text.isdigit():
        if len(text) > 3:
            raise InvalidLength(f"{value!r}: a customs unit code has three digits (001 … 163)")
        code = text.zfill(3)
        raise InvalidComponent(f"{value!r}: no customs measurement unit has the code {code}")
    if not text:
        raise InvalidFormat("the unit is empty: give a customs unit code (035) or name (千克)")
    names = [u.name for u in _by_code.values()]
    import difflib  # only a refusal suggests: a start does not pay for it

    close = difflib.get_close_matches(text, names, n=3, cutoff=0.5)
    hint = ", ".join(f"{n} ({index[n].code})" for n in close)
    raise InvalidComponent(
        f"{value!r}: not a customs measurement unit" + (f"; did you mean {hint}?" if hint else "")
    )


def validate(value: str) -> str:
    """Check a unit code or name and return the three-digit code."""
    return lookup(value).code


def is_valid(value: str) -> bool:
    """Return whether ``value`` is a known unit code or name."""
    try:
        lookup(value)
    except ValidationError:
        return False
    return True


def format(value: str) -> str:
    """Return the unit's name, as printed in field 13."""
    return lookup(value).name
