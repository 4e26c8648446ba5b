"""The sheet of void proposals still waiting for a second person, for the day book.

``custody proposals`` lists them on screen; the sheet is the same list on paper, with who
proposed each, why, which serials, and the roles that may approve it, so the head who signs
the day book sees what waits for them. Read from the events alone (``proof._proposals``), as
every report is; its layout is ours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from gbt15311.custody.lifecycle import VOID_APPROVAL
from gbt15311.custody.proof._proposals import still_open
from gbt15311.custody.proof._source import Record
from gbt15311.custody.proof._timeline import Timeline
from gbt15311.custody.reports._pdf import Column, Sheet, Table
from gbt15311.custody.reports._words import person, reason
from gbt15311.custody.store._events import CHINA, Event, moment


@dataclass(frozen=True)
class Waiting:
    """The proposals open at the end of ``record``, oldest first, with the fold that names
    their people and serials."""

    record: Record
    proposals: tuple[Event, ...]
    fold: Timeline


def waiting(record: Record) -> Waiting:
    """The void proposals neither approved nor declined in ``record``'s events."""
    fold = Timeline().settle(record.events)
    return Waiting(record, tuple(still_open(record.events).values()), fold)


def sheet(
    found: Waiting, now: datetime, policy: Mapping[str, tuple[str, ...]] = VOID_APPROVAL
) -> Sheet:
    """One row per open proposal: when, which blanks, why, by whom, and who may approve."""
    columns = (
        Column("事件", "Event", 7, "right"),
        Column("申请时间", "Proposed at", 17),
        Column("种类", "Type", 6),
        Column("流水号", "Serials", 24),
        Column("数量", "Qty", 6, "right"),
        Column("作废原因", "Reason", 24),
        Column("申请人", "Proposed by", 16),
        Column("审批角色", "Approved by", 13),
        Column("备注", "Note", 38),
    )
    rows = []
    for event in found.proposals:
        p = event.payload
        fmt = found.fold.formats[p["type"]]
        rows.append(
            (
                str(event.seq),
                f"{moment(event.at).astimezone(CHINA):%Y-%m-%d %H:%M}",
                p["type"],
                "\n".join(
                    first if first == last else f"{first}..{last}" for first, last in p["ranges"]
                ),
                str(sum(len(fmt.expand(first, last)) for first, last in p["ranges"])),
                reason(p["reason"]),
                person(found.fold.people, event.actor),
                " / ".join(policy.get(p["reason"], ())) or "-",
                p["note"],
            )
        )
    empty = ("", "无 none", *("",) * (len(columns) - 2))
    return Sheet(
        "待审批作废申请",
        "Void proposals awaiting a second person",
        (
            ("截至 As of", f"{now.astimezone(CHINA):%Y-%m-%d %H:%M}"),
            ("待审批 Open", str(len(rows))),
            ("时间 Times", "北京时间 China time (UTC+8)"),
        ),
        (Table(columns, tuple(rows) or (empty,)),),
        notes=(
            "作废申请须由申请人以外、具审批角色者批准后生效；批准、驳回或撤回前证书保持原状。 "
            "A void proposed takes effect only when a second person holding the role shown "
            "approves it; until it is approved, declined or withdrawn the blanks stay where "
            "they are (custody approve-void / decline-void).",
        ),
        signatures=("主要负责同志 Head", "保管员 Keeper"),
    )
