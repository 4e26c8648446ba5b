"""How long paper must be kept, and from when it may be destroyed (Art. 17, 34, 35).

- Voids are sealed and kept two years from the day they were sealed; destroyed after that,
  with an approval by someone other than the person destroying them.
- Blanks of an expired edition are sealed, and destroyed with approval in the year the new
  edition starts: from its first day.
- Receipts (签收单) are kept three years from the day of receipt.

A period of years ends on the same day of the month that many years on (28 February when
that day does not exist); the paper may go the day after. Like the working days, the first
day is not counted (民法典 Art. 201, 203).

    >>> void_destruction_from(date(2026, 3, 10))
    datetime.date(2028, 3, 11)
    >>> void_destruction_from(date(2024, 2, 29))
    datetime.date(2026, 3, 1)
    >>> receipt_disposal_from(date(2026, 1, 5))
    datetime.date(2029, 1, 6)
"""

from __future__ import annotations

from datetime import date, timedelta

from gbt15311.custody.lifecycle import RECEIPT_YEARS, VOID_YEARS
from gbt15311.custody.proof._timeline import Sealing
from gbt15311.exceptions import Refused


def years_later(day: date, years: int) -> date:
    """The same day ``years`` on; 28 February for 29 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def void_destruction_from(sealed_on: date) -> date:
    """The first day voids sealed on ``sealed_on`` may be destroyed (Art. 35)."""
    return years_later(sealed_on, VOID_YEARS) + timedelta(days=1)


def expired_destruction_from(new_edition_from: date) -> date:
    """The first day blanks of an edition replaced on ``new_edition_from`` may be destroyed
    (Art. 34: in the year the new edition starts)."""
    return new_edition_from


def receipt_disposal_from(received_on: date) -> date:
    """The first day a receipt of ``received_on`` need no longer be kept (Art. 17)."""
    return years_later(received_on, RECEIPT_YEARS) + timedelta(days=1)


def allowed_from(sealing: Sealing) -> date:
    """The first day a sealed lot may be destroyed: voids two years on, expired blanks from
    the day the new edition starts."""
    new_edition = sealing.event.payload.get("new_edition_from")
    if sealing.register == "expired" and new_edition:
        return expired_destruction_from(date.fromisoformat(new_edition))
    return void_destruction_from(sealing.day)


def refuse_premature(what: str, allowed_from: date, on: date, article: str) -> None:
    """Refuse destroying ``what`` on ``on`` when that is before ``allowed_from``."""
    if on < allowed_from:
        raise Refused(
            f"{what} may not be destroyed before {allowed_from.isoformat()} ({article}); "
            f"it is {on.isoformat()}"
        )


def refuse_self_approval(by: str, approved_by: str) -> None:
    """The approval must come from someone other than the person destroying."""
    if by == approved_by:
        raise Refused(
            f"{by!r} cannot approve their own destruction; the approval must come from "
            "someone else (Art. 34, 35)"
        )
