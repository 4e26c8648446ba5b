"""The 13-digit enterprise code (field 1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbt15311.codes import enterprise
from gbt15311.exceptions import InvalidFormat, InvalidLength

_codes = st.text("0123456789", min_size=13, max_size=13)


@pytest.mark.parametrize(
    ("given_", "expected"),
    [
        ("3100123456789", "3100123456789"),
        ("3100 1234 56789", "3100123456789"),
        ("3100-1234-56789", "3100123456789"),
        ("３１００１２３４５６７８９", "3100123456789"),
        (" 9999123456789 ", "9999123456789"),
    ],
)
def test_valid(given_: str, expected: str) -> None:
    assert enterprise.validate(given_) == enterprise.format(given_) == expected
    assert enterprise.is_valid(given_)


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ("310012345678", InvalidLength, "this one has 12"),
        ("31001234567890", InvalidLength, "this one has 14"),
        ("91310000MA1FL0XX1X", InvalidLength, "unified social credit code"),
        ("913100001234567890", InvalidLength, "unified social credit code"),
        ("310012345678X", InvalidFormat, "13 digits"),
        ("", InvalidLength, "this one has 0"),
    ],
)
def test_invalid(bad: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        enterprise.validate(bad)
    assert not enterprise.is_valid(bad)


def test_without_trading_rights() -> None:
    assert enterprise.is_without_trading_rights("9999 12345678 9")
    assert not enterprise.is_without_trading_rights("3100123456789")
    assert not enterprise.is_without_trading_rights("0999912345678")
    with pytest.raises(InvalidLength):
        enterprise.is_without_trading_rights("9999")


@given(_codes)
def test_round_trip(code: str) -> None:
    spaced = f"{code[:4]} {code[4:8]} {code[8:]}"
    assert enterprise.validate(enterprise.format(spaced)) == enterprise.validate(code) == code
