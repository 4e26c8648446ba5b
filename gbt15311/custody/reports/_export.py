"""A period's receipts, uses, voids, losses and destructions, for the central system.

MOFCOM's 空白证书管理系统 must be told of the blanks received, used and voided; its interface is
not public, so this export is ours: one record per event and run of consecutive serials, as
CSV (for a spreadsheet or an upload form) and as JSON, both carrying the event's sequence
number and hash and the chain head at the end of the period, so the receiving side can hold
the file to the ledger. The records are read from the moves of ``proof._timeline``. The format
is described in docs/custody-reports.md.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from datetime import date

from gbt15311.custody.lifecycle import Kind
from gbt15311.custody.proof._source import Record
from gbt15311.custody.proof._timeline import Move, Timeline
from gbt15311.custody.store._events import Event, china_date
from gbt15311.custody.store._serials import to_ranges
from gbt15311.exceptions import CustodyError

FORMAT = "gbt15311-custody-export"
VERSION = 1
WHAT: dict[Kind, str] = {
    Kind.SHIPMENT_RECEIVED: "received",
    Kind.USED: "used",
    Kind.VOIDED: "voided",
    Kind.LOST: "lost",
    Kind.DESTROYED: "destroyed",
    Kind.VOID_REVERSED: "void_reversed",
}
"""The events the central system is told of, and the word each record calls them."""


@dataclass(frozen=True)
class Line:
    """One event's run of consecutive serials of one type, at one place; ``licence_no`` is
    the licence printed on a blank used, or on a used blank voided (a licence revoked)."""

    what: str
    day: str
    at: str
    office: str
    type: str
    first: str
    last: str
    count: int
    terminal: str
    licence_no: str
    reason: str
    reference: str
    note: str
    actor: str
    seq: int
    hash: str


@dataclass(frozen=True)
class Export:
    """A period's receipts, uses, voids, losses and destructions at an office (or every
    office): one ``Line`` per run of serials an event moved."""

    first_day: date
    last_day: date
    office: str | None
    lines: tuple[Line, ...]
    record: Record

    def totals(self) -> dict[str, int]:
        counts = dict.fromkeys(WHAT.values(), 0)
        for line in self.lines:
            counts[line.what] += line.count
        return counts

    def json(self) -> str:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "period": {"from": self.first_day.isoformat(), "to": self.last_day.isoformat()},
            "office": self.office,
            "ledger": {"events": self.record.seq, "head": self.record.head},
            "totals": self.totals(),
            "records": [asdict(line) for line in self.lines],
        }
        return json.dumps(document, ensure_ascii=False, indent=1) + "\n"

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        names = [f.name for f in fields(Line)]
        writer.writerow([*names, "head_seq", "head"])
        for line in self.lines:
            writer.writerow([*(getattr(line, n) for n in names), self.record.seq, self.record.head])
        return out.getvalue()


def export(record: Record, first_day: date, last_day: date, office: str | None = None) -> Export:
    """The records of ``first_day`` to ``last_day`` (China days) of every office, or one."""
    if last_day < first_day:
        raise CustodyError(f"the period ends on {last_day}, before it starts on {first_day}")
    kept = record.through(last_day)
    fold = Timeline()
    moves = [
        move
        for move in fold.run(kept.events)
        if first_day <= move.day and Kind(move.event.kind) in WHAT
    ]
    if office is not None and office not in fold.offices:
        known = ", ".join(sorted(fold.offices)) or "none registered"
        raise CustodyError(f"office {office!r} is not registered; offices: {known}")
    lines = [line for line in _lines(fold, moves) if office is None or line.office == office]
    return Export(first_day, last_day, office, tuple(lines), kept)


def _lines(fold: Timeline, moves: list[Move]) -> Iterator[Line]:
    """Each event's serials, in runs of one place, licence and reason (a reversal's: the
    reason of the void it undoes)."""
    runs: dict[tuple[int, str, str, str, str, str, str], list[str]] = {}
    events: dict[int, Event] = {}
    for move in moves:
        blank = move.before if move.before is not None else move.after
        reversed_void = move.event.kind == Kind.VOID_REVERSED and move.before is not None
        key = (
            move.event.seq,
            move.key[0],
            blank.office,
            blank.terminal or "",
            move.after.licence_no or "",
            move.after.box if move.before is None else "",
            str(blank.void_reason if reversed_void else move.event.payload.get("reason") or ""),
        )
        runs.setdefault(key, []).append(move.key[1])
        events[move.event.seq] = move.event
    for (seq, type_code, office, terminal, licence_no, box, reason), serials in runs.items():
        event, p = events[seq], events[seq].payload
        for first, last in to_ranges(fold.formats[type_code], serials):
            yield Line(
                what=WHAT[Kind(event.kind)],
                day=china_date(event.at).isoformat(),
                at=event.at,
                office=office,
                type=type_code,
                first=first,
                last=last,
                count=len(fold.formats[type_code].expand(first, last)),
                terminal=terminal,
                licence_no=licence_no,
                reason=reason,
                reference=_reference(event, box),
                note=str(p.get("note") or ""),
                actor=event.actor,
                seq=seq,
                hash=event.hash,
            )


def _reference(event: Event, box: str) -> str:
    """The paper the record points to: a waybill and box, or a destruction's approval."""
    p = event.payload
    if event.kind == Kind.SHIPMENT_RECEIVED:
        return f"{p['shipment']} {box}"
    if event.kind == Kind.DESTROYED:
        return str(p.get("approval") or "")
    if event.kind == Kind.VOID_REVERSED:
        undone = p["void"]
        return f"void #{undone}"
    return ""
