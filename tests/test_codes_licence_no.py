"""The licence number YY-OO-NNNNNN (field 3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbt15311.codes import licence_no
from gbt15311.exceptions import InvalidFormat, InvalidLength, ValidationError

_digits = st.text("0123456789", min_size=1, max_size=1)
_letters = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2)
_offices = _letters | st.text("0123456789", min_size=2, max_size=2)
_numbers = st.builds(
    lambda y, o, s: f"{y}-{o}-{s}",
    st.text("0123456789", min_size=2, max_size=2),
    _offices,
    st.text("0123456789", min_size=6, max_size=6),
)


@pytest.mark.parametrize(
    ("given_", "expected"),
    [
        ("06-AA-204966", "06-AA-204966"),
        ("26-01-000123", "26-01-000123"),
        ("26-ab-000123", "26-AB-000123"),
        ("26AA000123", "26-AA-000123"),
        (" 26 AA 000123 ", "26-AA-000123"),
        ("２６－ＡＡ－０００１２３", "26-AA-000123"),
        ("２６ＡＡ０００１２３", "26-AA-000123"),
        ("26–AA–000123", "26-AA-000123"),  # en dashes from a word processor
    ],
)
def test_valid_numbers_come_back_canonical(given_: str, expected: str) -> None:
    assert licence_no.validate(given_) == expected
    assert licence_no.format(given_) == expected
    assert licence_no.is_valid(given_)


@pytest.mark.parametrize(
    "bad", ["06-AA-20496", "06-AA-2049661", "2006-AA-204966", "06AA20496", "", "06-AA-"]
)
def test_wrong_lengths(bad: str) -> None:
    with pytest.raises(InvalidLength, match="YY-OO-NNNNNN"):
        licence_no.validate(bad)
    assert not licence_no.is_valid(bad)


@pytest.mark.parametrize(
    ("bad", "part"),
    [
        ("06-A1-204966", "office code"),
        ("06-中国-204966", "office code"),
        ("0A-AA-204966", "year"),
        ("06-AA-20496X", "sequence"),
        ("06-AA2-04966", "hyphens"),
        ("06-ÄA-204966", "office code"),
    ],
)
def test_wrong_characters_name_the_part(bad: str, part: str) -> None:
    with pytest.raises(InvalidFormat, match=part):
        licence_no.validate(bad)


def test_not_text_is_a_format_error() -> None:
    with pytest.raises(InvalidFormat, match="text"):
        licence_no.validate(62001234)  # type: ignore[arg-type]


def test_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="licence number"):
        licence_no.validate("nonsense")


def test_split() -> None:
    assert licence_no.split("26ab000123") == ("26", "AB", "000123")


def test_compact_keeps_hyphens_and_upper_cases() -> None:
    assert licence_no.compact(" ２６－ａａ－０００１２３ ") == "26-AA-000123"


@given(_numbers)
def test_generated_numbers_round_trip(number: str) -> None:
    assert licence_no.validate(number) == number
    assert licence_no.validate(number.replace("-", "")) == number
    assert licence_no.validate(number.lower()) == number
    assert licence_no.validate(licence_no.format(number)) == licence_no.validate(number)


@given(st.text(max_size=14))
def test_any_text_is_valid_or_a_validation_error(text: str) -> None:
    try:
        result = licence_no.validate(text)
    except ValidationError:
        return
    assert len(result) == 12
    assert licence_no.validate(result) == result
