"""The 10-digit commodity code (field 11)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbt15311.codes import commodity
from gbt15311.exceptions import InvalidFormat, InvalidLength

_codes = st.text("0123456789", min_size=10, max_size=10)


@pytest.mark.parametrize(
    "given_",
    ["8457101000", "8457.1010.00", "8457 1010 00", "８４５７．１０１０．００", " 8457101000 "],
)
def test_spellings(given_: str) -> None:
    assert commodity.validate(given_) == commodity.format(given_) == "8457101000"
    assert commodity.hs_heading(given_) == "8457"
    assert commodity.hs_subheading(given_) == "845710"
    assert commodity.is_valid(given_)


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ("84571010", InvalidLength),
        ("845710100000", InvalidLength),
        ("8457-1010-00", InvalidFormat),
        ("8457101O00", InvalidFormat),
        ("", InvalidLength),
    ],
)
def test_invalid(bad: str, error: type[Exception]) -> None:
    with pytest.raises(error, match="10 digits"):
        commodity.validate(bad)
    assert not commodity.is_valid(bad)
    with pytest.raises(error):
        commodity.hs_heading(bad)


@given(_codes)
def test_round_trip(code: str) -> None:
    dotted = f"{code[:4]}.{code[4:8]}.{code[8:]}"
    assert commodity.validate(commodity.format(dotted)) == commodity.validate(code) == code
    assert commodity.hs_subheading(dotted) == code[:6]
