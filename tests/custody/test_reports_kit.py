"""The scripted history the report tests check by hand, on a clock the script sets.

Office SH, type IL (8-digit serials). Events are stamped at 10:00 China time of each day.

2025
  01-06  receive W1: box B1 00000001..00000100
  01-07  issue 00000001..00000040 to T1
  Feb 5, Mar 10, Jun 5, Sep 10 licences printed (30 used); 03-03 two misprints (voided)
  11-10  00000100 lost in store;  12-01  00000098..00000099 voided by water in store
  → at the end: 8 with T1, 57 in store, 65 in hand
2026
  01-05  receive W2: B2 00000101..00000200, B3 00000201..00000210 damaged (sealed)
  01-06  issue 00000041..00000060 to T1
  01-20  lend 00000061..00000065 to NB
  02-02..02-11  10 licences printed (00000033..00000042); 02-12 00000009 (licence 25-31-000009,
               printed 2025-03-03) revoked: not collected
  03-02  B3 returned to the bureau
  03-20  00000059..00000060 returned from T1 to the store
  03-31  store counted: 134 (as the ledger says); T1 (16) not counted
  → Q1 for SH: opening 65, received 110, used 10, transferred out 5, returned 10, closing 150
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from ledgerkit import drop_postgres_schema, fresh_postgres_schema, seed

from gbt15311 import custody


@dataclass
class Clock:
    """A settable clock: events are stamped at 10:00 China time (02:00 UTC) of ``day``,
    a microsecond apart so that they keep their order."""

    day: date = date(2025, 1, 2)
    tick: int = field(default=0)

    def __call__(self) -> datetime:
        self.tick += 1
        return datetime(self.day.year, self.day.month, self.day.day, 2, tzinfo=UTC).replace(
            microsecond=self.tick % 1_000_000
        )


def licence(number: int) -> str:
    return f"25-31-{number:06d}"


def print_licences(ledger: custody.Ledger, clock: Clock, day: date, count: int, start: int) -> int:
    clock.day = day
    for number in range(start, start + count):
        reservation = custody.allocate(ledger, "T1")
        custody.use(ledger, reservation.serial, licence_no=licence(number))
    return start + count


def script(ledger: custody.Ledger, clock: Clock) -> None:
    """Write the history above into a seeded ledger."""

    def on(day: date) -> None:
        clock.day = day

    def box(name: str, first: int, last: int, **more: object) -> custody.Box:
        return custody.Box(name, f"{first:08d}", f"{last:08d}", **more)  # type: ignore[arg-type]

    on(date(2025, 1, 6))
    custody.receive_shipment(
        ledger,
        office="SH",
        shipment="W1",
        boxes_found=[box("B1", 1, 100)],
        checkers=["li", "zhao"],
        by="li",
    )
    on(date(2025, 1, 7))
    custody.issue_out(
        ledger, box="B1", terminal="T1", by="li", receiver="chen", head="wang", count=40
    )
    number = print_licences(ledger, clock, date(2025, 2, 10), 5, 1)
    number = print_licences(ledger, clock, date(2025, 3, 3), 10, number)
    for _ in range(2):
        spoilt = custody.allocate(ledger, "T1")
        custody.void(ledger, spoilt.serial, reason="misprint", by="chen", note="paper jam")
    number = print_licences(ledger, clock, date(2025, 6, 16), 5, number)
    number = print_licences(ledger, clock, date(2025, 9, 15), 10, number)
    on(date(2025, 11, 10))
    custody.report_loss(ledger, ["00000100"], by="li", note="not found at the count")
    on(date(2025, 12, 1))
    custody.void(
        ledger, ["00000098", "00000099"], reason="water", by="li", note="pipe burst", policy={}
    )
    on(date(2026, 1, 5))
    custody.receive_shipment(
        ledger,
        office="SH",
        shipment="W2",
        boxes_found=[box("B2", 101, 200), box("B3", 201, 210, packing_damaged=True)],
        checkers=["li", "zhao"],
        by="li",
        head="wang",
        note="carton 3 crushed",
    )
    on(date(2026, 1, 6))
    custody.issue_out(
        ledger, box="B1", terminal="T1", by="li", receiver="chen", head="wang", count=20
    )
    on(date(2026, 1, 20))
    custody.transfer_to_office(
        ledger,
        serials=[f"{n:08d}" for n in range(61, 66)],
        to_office="NB",
        approval="许可证局 2026-3",
        by="li",
    )
    for offset in range(10):
        print_licences(ledger, clock, date(2026, 2, 2 + offset), 1, 100 + offset)
    on(date(2026, 2, 12))
    custody.void(ledger, "00000009", reason="not-collected", by="li", note="revoked")
    on(date(2026, 3, 2))
    custody.return_to_bureau(ledger, box="B3", by="li", note="damaged carton")
    on(date(2026, 3, 20))
    custody.return_to_store(
        ledger, terminal="T1", by="li", handed_by="chen", serials=["00000059", "00000060"]
    )
    on(date(2026, 3, 31))
    custody.record_count(ledger, office="SH", counted=134, by="li", note="Q1 count")


@contextmanager
def scripted(engine: str, request: pytest.FixtureRequest, folder: Path) -> Iterator[custody.Ledger]:
    """The scripted history in a fresh database of ``engine``; read-only use can share it."""
    clock = Clock()
    if engine == "sqlite":
        url, drop = f"sqlite:///{folder / 'history.sqlite3'}", None
    else:
        base = request.getfixturevalue("postgres_url")
        schema, url = fresh_postgres_schema(base)
        drop = (base, schema)
    ledger = custody.init_ledger(url, clock=clock)
    try:
        seed(ledger)
        script(ledger, clock)
        yield ledger
    finally:
        ledger.engine.dispose()
        if drop is not None:
            drop_postgres_schema(*drop)
