"""Countries and regions (GB/T 2659 = ISO 3166-1) of fields 8 and 9.

A country is given by its alpha-2 (``DE``) or alpha-3 (``DEU``) code, or by its English name
(official or common, any case) or Chinese name. The table is pycountry's, with Chinese names
from pycountry's zh_CN catalogue, shipped as ``iso3166-1.csv`` and ``iso3166-1-names.csv``
(written by ``scripts/generate_code_tables.py``); where that name is too long for the 16
print positions of fields 8 and 9, is a long form, or is not the customary mainland short
form, the bundled table ``country_names_zh.csv`` (provenance: ours) supplies the short name,
e.g. 韩国 for the Republic of Korea. Hong Kong, Macao and
Taiwan are regions, named 中国香港, 中国澳门, 中国台湾.

A bare number is ambiguous on a legal document: China Customs' own country codes (142
China, 502 United States, 116 Japan) collide with ISO 3166-1 numeric codes (116 is Cambodia).
It is refused with both readings unless the caller names the scheme: ``iso:116`` is ISO
3166-1 numeric, ``customs:116`` a China Customs code, read only from a table the user loads
with ``load_customs_codes`` (we ship no official copy).

    >>> lookup('de')
    Country(alpha_2='DE', alpha_3='DEU', numeric='276', name_en='Germany', name_zh='德国')
    >>> validate('Korea, Republic of'), validate('韩国'), validate('ＫＯＲ'), validate('iso:410')
    ('KR', 'KR', 'KR', 'KR')
    >>> format('GB')
    '英国'
    >>> format('Taiwan, Province of China')
    '中国台湾'
    >>> validate('116')  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidComponent: '116': a bare number is ambiguous: ISO 3166-1 numeric 116
    is Cambodia (KH), and China Customs' country code 116 may name another country (no customs
    table is loaded); write iso:116 or customs:116
    >>> validate('Germny')  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
        ...
    gbt15311.exceptions.InvalidComponent: 'Germny': not a country or region of GB/T 2659
    (ISO 3166-1); did you mean Germany (DE)?
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from gbt15311 import cells, font
from gbt15311.cells import cell_len
from gbt15311.codes._util import bundled, clean, rows, user_file
from gbt15311.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError

__all__ = [
    "NAME_ZH_WIDTH",
    "Country",
    "all_countries",
    "compact",
    "format",
    "is_valid",
    "load_customs_codes",
    "load_short_names",
    "lookup",
    "validate",
]

ISO = "iso"
"""The scheme prefix of an ISO 3166-1 numeric code: ``iso:276``."""
CUSTOMS = "customs"
"""The scheme prefix of a China Customs country code: ``customs:304``."""

NAME_ZH_WIDTH = 16
"""Print positions of fields 8 and 9 (an..16): eight Chinese characters."""


@dataclass(frozen=True, slots=True)
class Country:
    """A country or region: ISO 3166-1 codes, English name, Chinese short name."""

    alpha_2: str
    alpha_3: str
    numeric: str
    name_en: str
    name_zh: str


_by_alpha_2: dict[str, Country] = {}
_aliases: dict[str, str] = {}  # more names of a country (alpha-2), for lookup only
_index: dict[str, Country] = {}  # every accepted spelling; built once, on first use
_customs: dict[str, str] = {}  # China Customs' code → alpha-2, from the user's table
_customs_source = ""
# The tables are replaced whole, never changed in place, so that a lookup in another
# thread sees either the old index or the new one, never half of one.


def _catalogue() -> tuple[dict[str, Country], dict[str, str]]:
    """The countries with their catalogue names, and their other names: pycountry's, shipped
    as tables (``scripts/generate_code_tables.py``) so that a start reads two small files."""
    countries = {
        row["alpha_2"]: Country(**row) for _, row in rows(bundled("iso3166-1.csv"), _COLUMNS)
    }
    aliases = {
        row["name"]: row["alpha_2"]
        for _, row in rows(bundled("iso3166-1-names.csv"), ("name", "alpha_2"))
    }
    return countries, aliases


_COLUMNS = ("alpha_2", "alpha_3", "numeric", "name_en", "name_zh")


def _apply(table: tuple[str, str], countries: dict[str, Country], aliases: dict[str, str]) -> None:
    for where, row in rows(table, ("alpha_2", "name_zh")):
        code = clean(row["alpha_2"], "an alpha-2 code").upper()
        name = clean(row["name_zh"], "a Chinese name")
        if code not in countries:
            raise InvalidFormat(f"{where}: {code!r} is not an ISO 3166-1 alpha-2 code")
        if not name or cell_len(name) > NAME_ZH_WIDTH:
            raise InvalidLength(
                f"{where}: the Chinese name of {code} must have 1 to {NAME_ZH_WIDTH} print "
                f"positions (a Chinese character counts 2); {name!r} has {cell_len(name)}"
            )
        aliases.setdefault(countries[code].name_zh, code)
        countries[code] = replace(countries[code], name_zh=name)


def _build(countries: dict[str, Country], aliases: dict[str, str]) -> None:
    printed: dict[str, str] = {}
    for c in countries.values():
        other = printed.setdefault(c.name_zh, c.alpha_2)
        if other != c.alpha_2:
            raise InvalidFormat(f"{other} and {c.alpha_2} would both print as {c.name_zh}")
    index: dict[str, Country] = {}
    for c in countries.values():  # codes first: a code always wins over a name
        for key in (c.alpha_2, c.alpha_3, f"{ISO}:{c.numeric}"):
            index[key] = index[key.casefold()] = c
    names = [(n, c) for c in countries.values() for n in (c.name_zh, c.name_en)]
    names += [(n, countries[code]) for n, code in aliases.items()]
    for name, c in names:  # as spelt, and as compact() leaves a user's spelling of it
        compacted = compact(name)
        for key in (name, name.casefold(), compacted, compacted.casefold()):
            index.setdefault(key, c)
    global _by_alpha_2, _aliases, _index
    _by_alpha_2, _aliases, _index = countries, aliases, index


def _ensure() -> None:
    if not _index:
        countries, aliases = _catalogue()
        _apply(bundled("country_names_zh.csv"), countries, aliases)
        _build(countries, aliases)


def load_short_names(path: str | os.PathLike[str]) -> None:
    """Correct the Chinese short names from a CSV file with the columns ``alpha_2,name_zh``.

    Each row replaces the printed name of one country; the replaced name stays accepted as
    input. The file is checked whole before anything changes: an unknown code or a name
    wider than 16 print positions, or one that cannot be printed (an ideographic space, a
    character the font draws nothing for), raises an error naming its line.
    """
    _ensure()
    countries, aliases = dict(_by_alpha_2), dict(_aliases)
    table = user_file(path)
    for where, row in rows(table, ("alpha_2", "name_zh")):
        name = clean(row["name_zh"], "a Chinese name")
        if bad := cells.unprintable(name) + font.missing_glyphs(name):
            raise InvalidFormat(f"{where}: {name!r} cannot be printed: {', '.join(bad)}")
    _apply(table, countries, aliases)
    _build(countries, aliases)


def load_customs_codes(path: str | os.PathLike[str]) -> None:
    """Accept China Customs' country codes (``customs:116``) from a CSV file with the columns
    ``code,alpha_2``, e.g. ``116,JP``: the user's copy of the official table, which replaces
    any loaded before. The file is checked whole before anything changes."""
    _ensure()
    table: dict[str, str] = {}
    text, name = user_file(path)
    for where, row in rows((text, name), ("code", "alpha_2")):
        code, alpha_2 = row["code"], row["alpha_2"].upper()
        if not (len(code) == 3 and code.isascii() and code.isdigit()):
            raise InvalidFormat(f"{where}: {code!r} is not a three-digit customs country code")
        if alpha_2 not in _by_alpha_2:
            raise InvalidFormat(f"{where}: {alpha_2!r} is not an ISO 3166-1 alpha-2 code")
        if table.setdefault(code, alpha_2) != alpha_2:
            raise InvalidFormat(f"{where}: customs code {code} is given twice")
    global _customs, _customs_source
    _customs, _customs_source = table, name


def all_countries() -> tuple[Country, ...]:
    """Every country and region, in alpha-2 order."""
    _ensure()
    return tuple(sorted(_by_alpha_2.values(), key=lambda c: c.alpha_2))


def compact(value: str) -> str:
    """Normalise a code or name: NFKC (full-width to ASCII), surrounding spaces stripped."""
    return clean(value, "a country or region")


def lookup(value: str) -> Country:
    """Return the country or region a code or name stands for."""
    try:
        country = _index.get(value)  # the hot path: one dict hit
    except TypeError:  # unhashable: compact() says what is wrong with it
        country = None
    if country is not None:
        return country
    _ensure()
    text = compact(value)
    country = _index.get(text) or _index.get(text.casefold())
    if country is not None:
        return country
    scheme, colon, number = text.partition(":")
    if colon and scheme.strip().casefold() == CUSTOMS:
        return _customs_country(value, number.strip())
    if colon and scheme.strip().casefold() == ISO:
        country = _index.get(f"{ISO}:{number.strip()}")
        if country is not None:
            return country
        text = number.strip()
    elif text.isascii() and text.isdigit() and len(text) == 3:
        raise _ambiguous(value, text)
    raise _unknown(value, text)


def _customs_country(value: str, number: str) -> Country:
    if not _customs:
        raise InvalidComponent(
            f"{value!r}: China Customs' country codes are read only from a table you load "
            "(country.load_customs_codes); none is loaded"
        )
    alpha_2 = _customs.get(number)
    if alpha_2 is None:
        raise InvalidComponent(f"{value!r}: {number} is not a country code of {_customs_source}")
    return _by_alpha_2[alpha_2]


def _ambiguous(value: str, number: str) -> ValidationError:
    iso = _index.get(f"{ISO}:{number}")
    as_iso = (
        f"ISO 3166-1 numeric {number} is {iso.name_en} ({iso.alpha_2})"
        if iso
        else f"no country has the ISO 3166-1 numeric code {number}"
    )
    alpha_2 = _customs.get(number)
    if alpha_2 is not None:
        customs = _by_alpha_2[alpha_2]
        as_customs = f"China Customs' code {number} is {customs.name_en} ({alpha_2})"
    elif _customs:
        as_customs = f"{number} is not a China Customs code of {_customs_source}"
    else:
        as_customs = (
            f"China Customs' country code {number} may name another country (no customs "
            "table is loaded)"
        )
    return InvalidComponent(
        f"{value!r}: a bare number is ambiguous: {as_iso}, and {as_customs}; "
        f"write {ISO}:{number} or {CUSTOMS}:{number}"
    )


def _unknown(value: str, text: str) -> ValidationError:
    if not text:
        return InvalidFormat(
            "the country or region is empty: give a code (DE, DEU, iso:276) or a name (德国)"
        )
    if text.isascii() and text.isdigit():
        if len(text) != 3:
            return InvalidLength(
                f"{value!r}: an ISO 3166-1 numeric code has three digits, such as 276 for Germany"
            )
        return InvalidComponent(
            f"{value!r}: no country or region has the ISO 3166-1 numeric code {text}"
        )
    names = {c.name_en.casefold(): c for c in _by_alpha_2.values()}
    names.update({c.name_zh: c for c in _by_alpha_2.values()})
    import difflib  # only a refusal suggests: a start does not pay for it

    close = difflib.get_close_matches(text.casefold(), list(names), n=3, cutoff=0.75)
    shown = [(names[n].name_en if n.isascii() else names[n].name_zh, names[n]) for n in close]
    hint = ", ".join(f"{name} ({c.alpha_2})" for name, c in shown)
    message = f"{value!r}: not a country or region of GB/T 2659 (ISO 3166-1)"
    return InvalidComponent(message + (f"; did you mean {hint}?" if hint else ""))


def validate(value: str) -> str:
    """Check a country code or name and return its alpha-2 code."""
    return lookup(value).alpha_2


def is_valid(value: str) -> bool:
    """Return whether ``value`` names a country or region."""
    try:
        lookup(value)
    except ValidationError:
        return False
    return True


def format(value: str) -> str:
    """Return the Chinese short name printed in fields 8 and 9 (at most 16 print positions)."""
    return lookup(value).name_zh
