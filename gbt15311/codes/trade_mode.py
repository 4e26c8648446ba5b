"""Trade mode (贸易方式, field 5; code n2 per GB/T 15421-2008).

The code table of GB/T 15421-2008 is not available to us, so no code numbers are shipped:
``validate`` checks only that a code has two digits. Membership is checked against a
table the user loads from a CSV file with the columns ``code,name``. ``NAMES`` lists the
trade modes in use on licences (provenance: public).

    >>> validate('１０')
    '10'
    >>> '一般贸易' in NAMES
    True
    >>> validate('1')  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidLength: '1': a trade mode code has 2 digits (GB/T 15421-2008);
    this one has 1
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from gbt15311.codes._util import clean, digits, rows, user_file
from gbt15311.exceptions import InvalidComponent, InvalidFormat, ValidationError

__all__ = [
    "NAMES",
    "TradeModeTable",
    "compact",
    "format",
    "is_valid",
    "load_table",
    "validate",
]

NAMES: tuple[str, ...] = (
    "一般贸易",
    "易货贸易",
    "补偿贸易",
    "进料加工",
    "来料加工",
    "寄售代销",
    "边境小额贸易",
    "租赁贸易",
    "外资企业进口",  # 外商投资企业作为投资进口的设备、物品
    "国家间及国际组织无偿援助和赠送的物资",
    "其他捐赠物资",
    "加工贸易进口设备",
    "出料加工贸易",
    "保税监管场所进出境货物",
    "海关特殊监管区域物流货物",
    "其他",
)
"""Trade modes named on import licences (provenance: public). Their codes are unknown."""


def compact(code: str) -> str:
    """Normalise to ASCII (full-width digits) and remove spaces."""
    return clean(code, "a trade mode code", remove=" ")


def validate(code: str) -> str:
    """Check the form of a trade mode code (two digits; not its membership) and return it."""
    return digits(code, compact, 2, "a trade mode code has 2 digits (GB/T 15421-2008)", "")


def is_valid(code: str) -> bool:
    """Return whether ``code`` is a well-formed trade mode code."""
    try:
        validate(code)
    except ValidationError:
        return False
    return True


def format(code: str) -> str:
    """Return the 2 digits."""
    return validate(code)


@dataclass(frozen=True)
class TradeModeTable:
    """A trade mode code table supplied by the user: code → name.

    >>> table = TradeModeTable({'10': '一般贸易'}, source='modes.csv')
    >>> table.validate_code('１０'), table.name('10')
    ('10', '一般贸易')
    >>> table.validate_code('11')
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidComponent: '11': no trade mode has this code in modes.csv
    """

    names: dict[str, str]
    source: str = field(default="the trade mode table")

    def validate_code(self, code: str) -> str:
        """Check that ``code`` is well formed and in the table; return it."""
        clean_code = validate(code)
        if clean_code not in self.names:
            raise InvalidComponent(f"{code!r}: no trade mode has this code in {self.source}")
        return clean_code

    def name(self, code: str) -> str:
        """Return the name of the trade mode with this code."""
        return self.names[self.validate_code(code)]


def load_table(path: str | os.PathLike[str]) -> TradeModeTable:
    """Read a trade mode table from a CSV file with the columns ``code,name``.

    A malformed code, an empty name or a code given twice raises ``InvalidFormat`` naming
    the line; so does a table without rows.
    """
    table = user_file(path)
    names: dict[str, str] = {}
    for where, row in rows(table, ("code", "name")):
        try:
            code = validate(row["code"])
        except ValidationError as error:
            raise InvalidFormat(f"{where}: {error}") from None
        mode = clean(row["name"], "a trade mode name")
        if not mode:
            raise InvalidFormat(f"{where}: trade mode {code} has no name")
        if code in names:
            raise InvalidFormat(f"{where}: trade mode {code} is given twice")
        names[code] = mode
    if not names:
        raise InvalidFormat(f"{table[1]}: the table has no trade modes")
    return TradeModeTable(names, source=table[1])
