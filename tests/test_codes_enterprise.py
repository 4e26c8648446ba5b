"""The importer code (field 1): 13-digit enterprise code, USCC, special codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from gbt15311.codes import enterprise
from gbt15311.exceptions import InvalidComponent, InvalidFormat, InvalidLength

_codes = st.text("0123456789", min_size=13, max_size=13)


@pytest.mark.parametrize(
    ("given_", "expected"),
    [
        ("3100123456789", "3100123456789"),
        ("3100 1234 56789", "3100123456789"),
        ("3100-1234-56789", "3100123456789"),
        ("３１００１２３４５６７８９", "3100123456789"),
        (" 9999123456789 ", "9999123456789"),
        ("91110000600037341L", "91110000600037341L"),
        ("9111 0000 6000 3734 1l", "91110000600037341L"),
        ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),
        ("00000000000001", "00000000000001"),
        ("999912345678X", "999912345678X"),
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
        ("91110000600037341X", InvalidComponent, "it must be L"),
        ("913100001234567890", InvalidComponent, "check character"),
        ("91110000600037341I", InvalidFormat, "without I, O, S, V and Z"),
        ("310012345678X", InvalidFormat, "13-digit"),
        ("00000000000002", InvalidLength, "this one has 14"),
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


_USCC_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@given(
    st.text("0123456789", min_size=8, max_size=8), st.text(_USCC_CHARACTERS, min_size=9, max_size=9)
)
def test_a_uscc_is_accepted_exactly_with_its_check_character(head: str, body: str) -> None:
    stem = head + body
    right = uscc.calc_check_digit(stem)
    assert enterprise.validate((stem + right).lower()) == stem + right
    for wrong in set(_USCC_CHARACTERS) - {right}:
        assert not enterprise.is_valid(stem + wrong)


def test_special_codes_are_data_rows_with_their_provenance() -> None:
    rows = {row.code: row for row in enterprise.special_codes()}
    assert rows["00000000000001"].importer_name == "赠送"
    assert rows["9999"].length == 13
    assert all(row.confidence and row.source for row in rows.values())
