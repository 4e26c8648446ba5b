"""The ISO 3166-1 and ISO 4217 tables shipped in ``gbt15311/codes``: pycountry's, unchanged.

The code lists read these files instead of importing pycountry at every start; these tests
fail when the files drift from the installed pycountry (then run
``scripts/generate_code_tables.py``) or when reading them loses anything.
"""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pycountry

from gbt15311.codes import country, currency
from gbt15311.codes.country import Country
from gbt15311.codes.currency import Currency

SCRIPT = runpy.run_path(str(Path(__file__).parent.parent / "scripts" / "generate_code_tables.py"))
GENERATE: Any = SCRIPT["tables"]


def test_the_shipped_tables_are_what_pycountry_gives_now() -> None:
    for name, text in GENERATE().items():
        shipped = (Path(country.__file__).parent / name).read_text("utf-8")
        assert shipped == text, f"{name} differs: run scripts/generate_code_tables.py"


def test_the_countries_read_are_pycountrys() -> None:
    countries, names = country._catalogue()
    assert countries == {row["alpha_2"]: Country(**row) for row in SCRIPT["countries"]()}
    assert list(countries) == [record.alpha_2 for record in pycountry.countries]
    assert names == SCRIPT["country_names"]()
    assert list(names.items()) == list(SCRIPT["country_names"]().items())  # first one wins
    assert names["Federal Republic of Germany"] == "DE"
    assert countries["KR"].name_en == "Korea, Republic of"  # a comma survives the CSV


def test_the_currencies_read_are_pycountrys() -> None:
    read = currency.iso4217()
    assert read == tuple(Currency(**row) for row in SCRIPT["currencies"]())
    assert {c.alpha_3 for c in read} == {record.alpha_3 for record in pycountry.currencies}
    assert currency._alpha("961") == "XAG"  # a code that is not money, by its number
