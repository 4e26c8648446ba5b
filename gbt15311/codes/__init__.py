"""Code lists and identifier formats of the import licence, one module each.

Every module has the verbs ``compact``, ``validate`` (returns the clean value),
``is_valid`` and ``format``; code lists add ``lookup``.

- ``licence_no``: the licence number ``YY-OO-NNNNNN`` (field 3)
- ``enterprise``: the 13-digit enterprise code (field 1)
- ``commodity``: the 10-digit commodity code (field 11)
- ``customs_district``: the 4-digit customs district code (field 7)
- ``units``: customs measurement units (field 13)
- ``country``: countries and regions, GB/T 2659 = ISO 3166-1 (fields 8 and 9)
- ``currency``: currencies, GB/T 12406 = ISO 4217 (fields 15 and 16)
- ``trade_mode``: trade modes, GB/T 15421 (field 5)
"""

from gbt15311.codes import (
    commodity,
    country,
    currency,
    customs_district,
    enterprise,
    licence_no,
    trade_mode,
    units,
)

__all__ = [
    "commodity",
    "country",
    "currency",
    "customs_district",
    "enterprise",
    "licence_no",
    "trade_mode",
    "units",
]
