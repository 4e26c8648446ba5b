"""How long a licence may be valid (field 4): a policy object an office can replace.

The form says nothing about validity; MOFCOM's issuing practice does (see
``docs/validation.md``). A policy holds the rule as parameters, with its words and its
provenance, and answers three questions: the latest expiry date a licence may carry, the
default expiry the issuing system fills in, and from which day of December a next-year
licence may be issued. Pass another policy to ``load_licence(..., validity=...)`` to replace
it.

    >>> IMPORT_VALIDITY.default_expiry(date(2026, 11, 22))
    datetime.date(2026, 12, 31)
    >>> IMPORT_VALIDITY.latest_expiry(date(2026, 11, 22))
    datetime.date(2027, 3, 31)
    >>> IMPORT_VALIDITY.effective_from(date(2026, 12, 15), next_year=True)
    datetime.date(2027, 1, 1)
    >>> EXPORT_VALIDITY.latest_expiry(date(2026, 3, 15))
    datetime.date(2026, 9, 14)
    >>> EXPORT_VALIDITY.latest_expiry(date(2026, 9, 1))
    datetime.date(2026, 12, 31)
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["EXPORT_VALIDITY", "IMPORT_VALIDITY", "ValidityPolicy"]


@dataclass(frozen=True, slots=True, eq=False)
class ValidityPolicy:
    """A validity rule: valid from the licence date (or, for a next-year licence, from 1
    January), at most ``months`` months if set, never past 31 December of that year, or, when
    ``carry_over_to`` is set, across the year end at most to that (month, day) of the next.
    A next-year licence may be issued from ``next_year_from`` (month, day) of the year before.
    Two policies are the same only if they are one object (validation keeps verdicts per
    policy, and hashing by identity is cheap).
    """

    rule: str
    """The rule in words, quoted in every refusal."""
    source: str
    confidence: str
    """``confirmed``, ``likely`` or ``guess``, as in the issuing rules."""
    carry_over_to: tuple[int, int] | None = None
    months: int | None = None
    next_year_from: tuple[int, int] = (12, 10)

    def effective_from(self, issued: date, *, next_year: bool = False) -> date:
        """The first day a licence is valid: its date, or 1 January for a next-year licence."""
        return date(issued.year + 1, 1, 1) if next_year else issued

    def next_year_allowed_from(self, year: int) -> date:
        """The first day of ``year`` on which next year's licences may be issued."""
        return date(year, *self.next_year_from)

    def default_expiry(self, issued: date, *, next_year: bool = False) -> date:
        """The expiry date the issuing system fills in: the end of the licence's year, or of
        its months if sooner."""
        start = self.effective_from(issued, next_year=next_year)
        end = date(start.year, 12, 31)
        return min(end, _add_months(start, self.months)) if self.months else end

    def latest_expiry(self, effective: date) -> date:
        """The latest expiry date of a licence valid from ``effective``."""
        if self.carry_over_to is not None:
            return date(effective.year + 1, *self.carry_over_to)
        end = date(effective.year, 12, 31)
        return min(end, _add_months(effective, self.months)) if self.months else end


def _add_months(start: date, months: int) -> date:
    """The last day of a period of ``months`` months from ``start``: the day before the same
    day that many months later (or before the month's end, where that day does not exist)."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) - timedelta(days=1)


IMPORT_VALIDITY = ValidityPolicy(
    rule=(
        "an import licence is valid within its year, or across the year end at most to "
        "31 March of the next"
    ),
    source="MOFCOM issuing practice, issuing-rules.md § Validity",
    confidence="confirmed",
    carry_over_to=(3, 31),
)
"""The import licence's validity (GB/T 15311.1 form, MOFCOM practice)."""

EXPORT_VALIDITY = ValidityPolicy(
    rule="an export licence is valid at most 6 months, and never past 31 December of its year",
    source="《出口许可证签发工作规范》 2008, arts. 13-18, issuing-rules.md § Validity",
    confidence="confirmed",
    months=6,
)
"""The export licence's validity, for the export form (GB/T 15311.2) to reuse."""
