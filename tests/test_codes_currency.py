"""Currencies, GB/T 12406 = ISO 4217 (fields 15 and 16)."""

from __future__ import annotations

import re

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbt15311.codes import currency
from gbt15311.codes.currency import Currency
from gbt15311.exceptions import InvalidComponent, InvalidFormat, InvalidLength

ALL = currency.all_currencies()


def test_the_table_is_pycountrys_money() -> None:
    every = {c.alpha_3 for c in pycountry.currencies}
    assert {c.alpha_3 for c in ALL} == every - set(currency.not_money())
    assert set(currency.not_money()) <= every


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("XXX", "no currency is involved"),
        ("xts", "testing"),
        ("XAU", "precious metal"),
        ("961", "precious metal (silver)"),
        ("XPT", "precious metal"),
        ("XPD", "precious metal"),
        ("XDR", "unit of account"),
        ("XBA", "unit of account"),
        ("XSU", "unit of account"),
        ("XUA", "unit of account"),
        ("CHE", "fund code"),
        ("USN", "fund code"),
    ],
)
def test_codes_that_are_not_money_are_refused_with_the_reason(code: str, reason: str) -> None:
    with pytest.raises(InvalidComponent, match=re.escape(reason)):
        currency.validate(code)


@pytest.mark.parametrize(
    "given_", ["USD", "usd", "Usd", "840", "ＵＳＤ", "８４０", " USD ", "U S D"]
)
def test_spellings_of_the_dollar(given_: str) -> None:
    assert currency.lookup(given_) == Currency("USD", "840", "US Dollar", "美元")
    assert currency.validate(given_) == currency.format(given_) == "USD"
    assert currency.is_valid(given_)


def test_chinese_names() -> None:
    assert currency.lookup("CNY").name_zh == "人民币元"
    assert currency.lookup("EUR").name_zh == "欧元"


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ("RMB", InvalidComponent),
        ("XYZ", InvalidComponent),
        ("000", InvalidComponent),
        ("US", InvalidLength),
        ("USDX", InvalidLength),
        ("US$", InvalidFormat),
        ("美元", InvalidFormat),
        ("", InvalidFormat),
    ],
)
def test_invalid(bad: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        currency.validate(bad)
    assert not currency.is_valid(bad)


def test_rmb_points_to_cny() -> None:
    with pytest.raises(InvalidComponent, match="CNY"):
        currency.validate("rmb")


@given(st.sampled_from(ALL))
def test_every_currency_round_trips(c: Currency) -> None:
    assert currency.lookup(c.alpha_3) == currency.lookup(c.numeric) == c
    assert currency.validate(currency.format(c.alpha_3.lower())) == c.alpha_3
