"""Retention periods and refusals: the pure date logic."""

from __future__ import annotations

from datetime import date

import pytest

import gbt15311.custody.proof._periods as periods
from gbt15311.exceptions import Refused


@pytest.mark.parametrize(
    ("sealed_on", "allowed"),
    [
        (date(2026, 3, 10), date(2028, 3, 11)),
        (date(2024, 2, 29), date(2026, 3, 1)),  # 28 Feb 2026 ends the period
        (date(2026, 12, 31), date(2029, 1, 1)),
    ],
)
def test_voids_are_kept_two_years_from_sealing(sealed_on: date, allowed: date) -> None:
    assert periods.void_destruction_from(sealed_on) == allowed


def test_receipts_are_kept_three_years() -> None:
    assert periods.receipt_disposal_from(date(2026, 1, 5)) == date(2029, 1, 6)


def test_expired_blanks_go_from_the_day_the_new_edition_starts() -> None:
    assert periods.expired_destruction_from(date(2027, 1, 1)) == date(2027, 1, 1)


def test_premature_destruction_names_the_day_it_is_allowed() -> None:
    with pytest.raises(
        Refused, match=r"may not be destroyed before 2028-03-11 \(Art. 35\); it is 2028-03-10"
    ):
        periods.refuse_premature("voids", date(2028, 3, 11), date(2028, 3, 10), "Art. 35")
    periods.refuse_premature("voids", date(2028, 3, 11), date(2028, 3, 11), "Art. 35")


def test_nobody_approves_their_own_destruction() -> None:
    with pytest.raises(Refused, match="'li' cannot approve their own destruction"):
        periods.refuse_self_approval("li", "li")
    periods.refuse_self_approval("li", "wang")
