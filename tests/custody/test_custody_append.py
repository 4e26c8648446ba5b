"""The chain append: on PostgreSQL the database hashes each event, and it must hash exactly
what ``verify`` recomputes in Python; on both engines times never go back along the chain."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from ledgerkit import give, receive, seed
from sqlalchemy import select

from gbt15311 import custody
from gbt15311.custody.store._ledger import timestamp
from gbt15311.custody.store._schema import chain_head, events

AWKWARD = '陈"x,"at":"y\\z'
"""A person code with a quote, a backslash and what the canonical form's ``at`` key looks like."""


def test_the_database_hashes_chinese_and_awkward_text_as_verify_does(
    ledger: custody.Ledger,
) -> None:
    custody.add_person(ledger, AWKWARD, "陈「测试」\n\u2028😀", ["head", "operator"], by="wang")
    custody.add_office(ledger, "深圳", '深圳市商务局 "特办" \\ 𠀀', by=AWKWARD)
    custody.add_terminal(ledger, "终端1", "一号窗口", office="SH", by=AWKWARD)
    receive(ledger, "B1", 1, 20)
    custody.issue_out(
        ledger, box="B1", terminal="终端1", by="li", receiver=AWKWARD, head="wang", count=5
    )
    for n in range(3):
        serial = custody.allocate(ledger, "终端1").serial
        custody.use(ledger, serial, licence_no=f"26-31-{n:06d}")
    spoilt = custody.allocate(ledger, "终端1").serial
    custody.void(ledger, spoilt, reason="misprint", by=AWKWARD, note="卡纸 paper jam")
    with ledger.read() as connection:
        actors = set(connection.execute(select(events.c.actor)).scalars())
    assert AWKWARD in actors
    assert custody.verify(ledger).events == 11 + 3 + 2 + 2 * 3 + 2


def test_times_never_go_back_along_the_chain(engine_url: str) -> None:
    readings: list[datetime] = []

    def clock() -> datetime:
        """A clock that jumps back and forth, as clocks of several terminals would."""
        readings.append(
            datetime(2026, 1, 5, tzinfo=UTC) + timedelta(minutes=7 * len(readings) % 11)
        )
        return readings[-1]

    ledger = custody.init_ledger(engine_url, clock=clock)
    seed(ledger)
    receive(ledger, "B1", 1, 20)
    give(ledger, "B1", count=5)
    reservation = custody.allocate(ledger, "T1")
    custody.use(ledger, reservation.serial, licence_no="26-31-000001")
    custody.void(ledger, custody.allocate(ledger, "T1").serial, reason="misprint", by="chen")
    with ledger.read() as connection:
        times = dict(
            connection.execute(select(events.c.seq, events.c.at).order_by(events.c.seq)).all()
        )
        head = connection.execute(select(chain_head)).one()
    assert readings != sorted(readings)
    assert list(times.values()) == list(itertools.accumulate(map(timestamp, readings), max))
    assert timestamp(reservation.at) == times[reservation.seq]
    assert head.at == times[head.seq]
    custody.verify(ledger)
    ledger.engine.dispose()
