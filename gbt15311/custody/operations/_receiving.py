"""Receiving a shipment from the bureau (Art. 17–19): check, register, seal what is wrong.

At least two different checkers count the boxes against the waybill. A box whose count does
not match, whose packing is damaged, or which lacks certificates is sealed at once with an
inspection record signed by the checkers and the office head; sealed stock cannot be issued
and goes back to the bureau (``stock.return_to_bureau``). Each box is a serial range; the
ledger gets one row per certificate actually in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from gbt15311.custody.lifecycle import RULES, Kind, received_state
from gbt15311.custody.operations._handover import Fault, check_sequence
from gbt15311.custody.operations._movements import MOST_BLANKS, checked_count
from gbt15311.custody.store import _ledger
from gbt15311.custody.store._ledger import Ledger
from gbt15311.custody.store._schema import boxes, certificates
from gbt15311.custody.store._serials import SerialFormat
from gbt15311.exceptions import Refused


@dataclass(frozen=True)
class Box:
    """One box as found on arrival: its serial range and anything wrong with it."""

    box: str
    first: str
    last: str
    type: str | None = None
    missing: Sequence[str] = ()
    packing_damaged: bool = False
    waybill_count: int | None = None
    scanned: Sequence[str] | None = None
    """The sheets as scanned, in order: the first and the last, or every sheet (see ``scan``)."""

    @classmethod
    def scan(cls, box: str, sheets: Sequence[str], **more: Any) -> Box:
        """A box known from a scan of its sheets: two serials are its first and last sheet;
        more are every sheet, in order, and a gap, a repeat or a sheet out of order is a
        discrepancy that seals the box (Art. 24)."""
        if not sheets:
            raise Refused(f"box {box}: the scan lists no sheet")
        return cls(box, min(sheets), max(sheets), scanned=tuple(sheets), **more)


@dataclass(frozen=True)
class Receipt:
    """What a receipt registered: certificates now in the office, and boxes sealed."""

    shipment: str
    received: int
    sealed_boxes: tuple[str, ...]
    seq: int


def receive_shipment(
    ledger: Ledger,
    *,
    office: str,
    shipment: str,
    boxes_found: Sequence[Box],
    checkers: Sequence[str],
    by: str,
    head: str | None = None,
    note: str = "",
) -> Receipt:
    """Register a shipment's boxes into ``office``'s store; discrepancies seal their box."""
    if len(set(checkers)) < 2:
        raise Refused("a receipt needs at least two different checkers (Art. 17)")
    if not boxes_found:
        raise Refused(f"shipment {shipment!r} has no boxes")
    _ledger.refuse_unfit(boxes.c.shipment, shipment, "the shipment's waybill")
    for found in boxes_found:
        _ledger.refuse_unfit(boxes.c.box_no, found.box, f"shipment {shipment}: the box number")
    with ledger.write() as writer:
        connection = writer.connection
        _ledger.office(connection, office)
        rule = RULES[Kind.SHIPMENT_RECEIVED]
        _ledger.person(connection, by, *rule.actor, offices=[office])
        for checker in checkers:
            _ledger.person(connection, checker, *rule.parties["checkers"], offices=[office])
        planned = [_plan(connection, box) for box in boxes_found]
        _refuse_overlaps(connection, planned)
        sealed = [plan for plan in planned if plan.discrepancies]
        if sealed and head is None:
            raise Refused(
                f"box {sealed[0].box.box} has discrepancies "
                f"({', '.join(sealed[0].discrepancies)}); the inspection record needs the head"
            )
        if sealed and head is not None:
            _ledger.person(connection, head, *rule.parties["head"], offices=[office])
        seq = writer.append(
            Kind.SHIPMENT_RECEIVED,
            by,
            {
                "office": office,
                "shipment": shipment,
                "checkers": sorted(set(checkers)),
                "head": head,
                "note": note,
                "boxes": [plan.payload() for plan in planned],
            },
        )
        for plan in planned:
            connection.execute(
                insert(boxes).values(
                    type_code=plan.type_code,
                    box_no=plan.box.box,
                    shipment=shipment,
                    first_serial=plan.box.first,
                    last_serial=plan.box.last,
                )
            )
            state = received_state(plan.discrepancies)
            _ledger.insert_rows(
                connection,
                certificates,
                ("type_code", "serial", "box_no", "state", "office_code", "seq"),
                [
                    (plan.type_code, serial, plan.box.box, str(state), office, seq)
                    for serial in plan.present
                ],
            )
    return Receipt(
        shipment=shipment,
        received=sum(len(plan.present) for plan in planned),
        sealed_boxes=tuple(plan.box.box for plan in sealed),
        seq=seq,
    )


@dataclass(frozen=True)
class _Plan:
    box: Box
    type_code: str
    present: list[str]
    missing: list[str]
    discrepancies: list[str]

    scan_faults: list[Fault]

    def payload(self) -> dict[str, object]:
        found: dict[str, object] = {
            "type": self.type_code,
            "box": self.box.box,
            "first": self.box.first,
            "last": self.box.last,
            "missing": self.missing,
            "discrepancies": self.discrepancies,
            "waybill_count": self.box.waybill_count,
        }
        if self.scan_faults:
            found["scan_faults"] = [[fault.kind, fault.serial] for fault in self.scan_faults]
        return found


def _plan(connection: Connection, box: Box) -> _Plan:
    type_code = _ledger.type_code(connection, box.type)
    fmt: SerialFormat = _ledger.serial_format(connection, type_code)
    if box.waybill_count is not None:
        checked_count(box.waybill_count, f"box {box.box}: the waybill count", least=0)
    size = fmt.parse(box.last) - fmt.parse(box.first) + 1
    if size > MOST_BLANKS:
        checked_count(size, f"box {box.box}: the blanks in {box.first}..{box.last}")
    in_range = fmt.expand(box.first, box.last)
    scan_faults = [] if box.scanned is None else _scan_faults(fmt, box, in_range)
    gaps = [fault.serial for fault in scan_faults if fault.kind == "missing"]
    scan_faults = [fault for fault in scan_faults if fault.kind != "missing"]
    missing = sorted(set(box.missing) | set(gaps))
    strays = sorted(set(missing) - set(in_range))
    if strays:
        raise Refused(f"box {box.box}: missing serial {strays[0]} is outside its range")
    present = sorted(set(in_range) - set(missing)) if missing else in_range
    discrepancies = []
    if box.waybill_count is not None and box.waybill_count != len(present):
        discrepancies.append("count")
    if box.packing_damaged:
        discrepancies.append("packing")
    if missing:
        discrepancies.append("missing")
    if scan_faults:
        discrepancies.append("sequence")
    return _Plan(box, type_code, present, missing, discrepancies, scan_faults)


def _scan_faults(fmt: SerialFormat, box: Box, in_range: Sequence[str]) -> list[Fault]:
    """The faults of a box's scan: none for a first and a last sheet; for every sheet, the
    gaps (``missing``), repeats and sheets out of order, as an issue-out count finds them."""
    sheets = list(box.scanned or ())
    for sheet in sheets:
        fmt.parse(sheet)
    if len(sheets) == 2 and sheets[0] >= sheets[1]:
        raise Refused(
            f"box {box.box}: the scan's first sheet {sheets[0]} does not come before "
            f"its last {sheets[1]}"
        )
    return [] if len(sheets) <= 2 else check_sequence(in_range, sheets)


def _refuse_overlaps(connection: Connection, planned: Sequence[_Plan]) -> None:
    """Refuse a box number or serial already in the ledger or twice in this shipment."""
    seen_boxes: set[tuple[str, str]] = set()
    seen_ranges: list[tuple[str, str, str, str]] = []
    for plan in planned:
        key = (plan.type_code, plan.box.box)
        if (
            key in seen_boxes
            or connection.execute(
                select(boxes.c.box_no).where(
                    boxes.c.type_code == plan.type_code, boxes.c.box_no == plan.box.box
                )
            ).first()
        ):
            raise Refused(f"box {plan.box.box} of type {plan.type_code} is already received")
        seen_boxes.add(key)
        for other_type, first, last, other_box in seen_ranges:
            if other_type == plan.type_code and first <= plan.box.last and plan.box.first <= last:
                raise Refused(f"boxes {other_box} and {plan.box.box} overlap")
        seen_ranges.append((plan.type_code, plan.box.first, plan.box.last, plan.box.box))
        clash = connection.execute(
            select(certificates.c.serial)
            .where(
                certificates.c.type_code == plan.type_code,
                certificates.c.serial.between(plan.box.first, plan.box.last),
            )
            .order_by(certificates.c.serial)
            .limit(1)
        ).scalar()
        if clash is not None:
            raise Refused(f"serial {clash} of type {plan.type_code} is already in the ledger")
