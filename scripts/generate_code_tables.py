"""Write the ISO 3166-1 and ISO 4217 tables the code lists read, from pycountry.

    .venv/bin/python scripts/generate_code_tables.py

``gbt15311/codes/iso3166-1.csv`` (the countries, with the Chinese names of pycountry's zh_CN
catalogue), ``iso3166-1-names.csv`` (their other names, for lookup) and ``iso4217.csv`` (every
currency code, money or not) ship with the package, so that the library reads three small
files instead of importing pycountry and its catalogues at every start. Run this after
raising pycountry's bound; ``tests/test_codes_tables.py`` fails until the files match the
installed pycountry again.
"""

from __future__ import annotations

import csv
import gettext
import io
from pathlib import Path

import pycountry

CODES = Path(__file__).resolve().parent.parent / "gbt15311" / "codes"

_HEADER = (
    "# {what}.\n"
    "# Written by scripts/generate_code_tables.py from pycountry's data and its zh_CN\n"
    "# catalogue ({domain}). Do not edit: run the script again.\n"
)


def _zh(domain: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["zh_CN"])


def countries() -> list[dict[str, str]]:
    """Each country of ISO 3166-1: its codes, English name and catalogue Chinese name."""
    zh = _zh("iso3166-1").gettext
    return [
        {
            "alpha_2": record.alpha_2,
            "alpha_3": record.alpha_3,
            "numeric": record.numeric,
            "name_en": record.name,
            "name_zh": zh(record.name),
        }
        for record in pycountry.countries
    ]


def country_names() -> dict[str, str]:
    """The other names of each country (official and common names, in English and as the
    catalogue translates them, and the catalogue name) → its alpha-2 code; the first country
    to give a name keeps it."""
    zh = _zh("iso3166-1").gettext
    names: dict[str, str] = {}
    for record in pycountry.countries:
        for attribute in ("official_name", "common_name"):
            other = getattr(record, attribute, None)
            if other:
                names.setdefault(other, record.alpha_2)
                names.setdefault(zh(other), record.alpha_2)
        names.setdefault(zh(record.name), record.alpha_2)
    return names


def currencies() -> list[dict[str, str]]:
    """Each code of ISO 4217, money or not, with its English and Chinese names (English where
    the catalogue has none)."""
    zh = _zh("iso4217").gettext
    return [
        {
            "alpha_3": record.alpha_3,
            "numeric": record.numeric,
            "name_en": record.name,
            "name_zh": zh(record.name),
        }
        for record in pycountry.currencies
    ]


def _csv(header: str, rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    out.write(header)
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def tables() -> dict[str, str]:
    """The text of each shipped table, by its file name in ``gbt15311/codes``."""
    names = [{"name": name, "alpha_2": code} for name, code in country_names().items()]
    return {
        "iso3166-1.csv": _csv(
            _HEADER.format(what="ISO 3166-1 countries and regions", domain="iso3166-1"),
            countries(),
        ),
        "iso3166-1-names.csv": _csv(
            _HEADER.format(what="Other names of ISO 3166-1 countries", domain="iso3166-1"),
            names,
        ),
        "iso4217.csv": _csv(
            _HEADER.format(what="ISO 4217 currency codes, money or not", domain="iso4217"),
            currencies(),
        ),
    }


if __name__ == "__main__":
    for name, text in tables().items():
        (CODES / name).write_text(text, "utf-8")
        print(f"wrote {CODES / name}")
