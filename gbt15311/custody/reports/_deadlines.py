"""The rules' working-day deadlines as they apply to the ledger: licences due for revocation,
supplementary orders, supplementary shipments.

A deadline that falls in a year the holiday calendar does not know is reported as unknown,
naming the year whose State Council schedule the office has to enter; it is never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from gbt15311.custody.proof._source import Record
from gbt15311.custody.proof._timeline import Timeline
from gbt15311.custody.store._events import Kind, china_date
from gbt15311.custody.store._schema import State
from gbt15311.custody.workdays import (
    WorkingCalendar,
    collection_deadline,
    shipment_deadline,
    supplementary_order_latest_filing,
)
from gbt15311.exceptions import CalendarError


@dataclass(frozen=True)
class Deadline:
    """A date, or why it is unknown (the calendar's message, naming the year to enter)."""

    day: date | None
    unknown: str = ""

    def __str__(self) -> str:
        return self.day.isoformat() if self.day else f"unknown: {self.unknown}"


def deadline(
    rule: Callable[[date, WorkingCalendar], date], day: date, cal: WorkingCalendar
) -> Deadline:
    try:
        return Deadline(rule(day, cal))
    except CalendarError as error:
        return Deadline(None, str(error))


@dataclass(frozen=True)
class Uncollected:
    """A licence printed and not revoked, with the last day it can be collected (Art. 26)."""

    licence_no: str
    type: str
    serial: str
    issued_on: date
    deadline: Deadline

    def overdue(self, today: date) -> bool:
        return self.deadline.day is not None and self.deadline.day < today


def collection(
    record: Record,
    cal: WorkingCalendar,
    collected: frozenset[str] = frozenset(),
    fold: Timeline | None = None,
) -> list[Uncollected]:
    """Licences in use at the cut-off and not in ``collected``, with their collection
    deadline: from the day after it, an uncollected licence is revoked and voided. ``fold``
    is the record's events already folded, when the caller has it."""
    fold = fold if fold is not None else Timeline().settle(record.events)
    issued: dict[tuple[str, str], date] = {}
    for event in record.events:
        if event.kind == Kind.USED:  # names its one blank
            issued[(event.payload["type"], event.payload["serial"])] = china_date(event.at)
    deadlines: dict[date, Deadline] = {}  # a day's licences share their deadline
    found = []
    for key, day in issued.items():
        blank = fold.blanks[key]
        if blank.state == State.USED and blank.licence_no not in collected:
            assert blank.licence_no is not None
            if day not in deadlines:
                deadlines[day] = deadline(collection_deadline, day, cal)
            found.append(Uncollected(blank.licence_no, key[0], key[1], day, deadlines[day]))
    return sorted(found, key=lambda u: (u.issued_on, u.licence_no))


def supplementary_order(needed_by: date, cal: WorkingCalendar) -> Deadline:
    """The last day to file a supplementary order for blanks needed by ``needed_by`` (Art. 6)."""
    return deadline(supplementary_order_latest_filing, needed_by, cal)


def supplementary_shipment(requested_on: date, cal: WorkingCalendar) -> Deadline:
    """The last day the bureau ships a supplementary order received on ``requested_on``."""
    return deadline(shipment_deadline, requested_on, cal)
