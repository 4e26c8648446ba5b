"""What paper the office keeps, and from when each may go: the retention schedule at a cut-off.

The periods themselves are ``proof._periods``; this module lists the holdings they apply to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from gbt15311.custody.proof._periods import allowed_from, receipt_disposal_from
from gbt15311.custody.proof._source import Record
from gbt15311.custody.proof._timeline import Timeline
from gbt15311.custody.reports._words import serial_ranges
from gbt15311.custody.store._events import Kind, china_date
from gbt15311.custody.store._schema import State


@dataclass(frozen=True)
class Holding:
    """Paper the office keeps: a sealed lot, voids not sealed yet, or a receipt."""

    kind: str  # "voids", "expired", "unsealed" or "receipt"
    office: str
    what: str
    count: int
    since: date | None
    allowed_from: date | None
    destroyed: int = 0
    archived: bool = True

    def status(self, on: date) -> str:
        if self.kind == "unsealed":
            return "not sealed yet: have the head seal them"
        if self.kind == "receipt" and not self.archived:
            return "not recorded as sent and archived"
        if self.count == 0:
            return "destroyed" if self.kind != "receipt" else "kept"
        assert self.allowed_from is not None
        if on < self.allowed_from:
            return f"keep until {self.allowed_from - timedelta(days=1)}"
        return "may be destroyed" if self.kind != "receipt" else "may be disposed of"


def holdings(record: Record, fold: Timeline | None = None) -> list[Holding]:
    """Sealed lots (what is left of each), voids not sealed, and receipts, at the cut-off;
    ``fold`` is the record's events already folded, when the caller has it (the fold of a
    big ledger's history is most of the cost)."""
    fold = fold if fold is not None else Timeline().settle(record.events)
    found = []
    for event in record.events:
        if event.kind == Kind.SHIPMENT_RECEIVED:
            day = china_date(event.at)
            shipment = event.payload["shipment"]
            found.append(
                Holding(
                    "receipt",
                    event.payload["office"],
                    f"签收单 receipt {shipment}",
                    1,
                    day,
                    receipt_disposal_from(day),
                    archived=shipment in fold.archived,
                )
            )
    for sealing in fold.sealings:
        fmt = fold.formats[sealing.type]
        kept = [s for s in sealing.serials if (sealing.type, s) not in fold.destroyed]
        found.append(
            Holding(
                sealing.register,
                sealing.office,
                f"{sealing.type} {serial_ranges(fmt, sealing.serials, per_line=99)}",
                len(kept),
                sealing.day,
                allowed_from(sealing),
                destroyed=len(sealing.serials) - len(kept),
            )
        )
    unsealed: dict[tuple[str, str], list[str]] = {}
    for (type_code, serial), blank in fold.blanks.items():
        if blank.state == State.VOID and (type_code, serial) not in fold.sealed:
            unsealed.setdefault((blank.office, type_code), []).append(serial)
    for (office, type_code), serials in sorted(unsealed.items()):
        ranges = serial_ranges(fold.formats[type_code], serials, per_line=99)
        found.append(Holding("unsealed", office, f"{type_code} {ranges}", len(serials), None, None))
    return found
