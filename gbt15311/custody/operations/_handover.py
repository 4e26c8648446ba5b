"""Handing blanks from the store to a terminal (Art. 22–24), or sealing the box instead; and
handing a terminal from one custodian to the next.

The keeper and a different receiver count the blanks one by one and the head signs. A fault
in the count (missing, repeated or out-of-order numbers, a wrong number, missing pages, no
anti-forgery mark) seals the whole box for return to the bureau, and nothing is issued.

A terminal changes custodian with the blanks an issue-out or a transfer hands over, or on its
own (``hand_over``): recorded either way, so the chain of who held each terminal has no gap,
even for a terminal holding nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, select, update

from gbt15311.custody.lifecycle import IN_STORE, RULES, Kind
from gbt15311.custody.operations._movements import checked_count, refuse_unhanded
from gbt15311.custody.store import _ledger
from gbt15311.custody.store._ledger import Ledger, Writer
from gbt15311.custody.store._schema import boxes, certificates, terminals
from gbt15311.exceptions import Refused

FAULTS = (
    "missing",
    "duplicate",
    "out-of-order",
    "wrong-number",
    "missing-pages",
    "no-anti-forgery-mark",
)
"""Printing faults found at issue-out (Art. 24); the codes are ours."""


@dataclass(frozen=True)
class Fault:
    kind: str
    serial: str


@dataclass(frozen=True)
class IssueOut:
    """The outcome of an issue-out: the serials handed over, or the faults that sealed the box."""

    type: str
    box: str
    serials: tuple[str, ...]
    faults: tuple[Fault, ...]
    seq: int

    @property
    def sealed(self) -> bool:
        return bool(self.faults)


def issue_out(
    ledger: Ledger,
    *,
    box: str,
    terminal: str,
    by: str,
    receiver: str,
    head: str,
    count: int | None = None,
    type: str | None = None,
    counted: Sequence[str] | None = None,
    faults: Iterable[Fault] = (),
    note: str = "",
) -> IssueOut:
    """Hand a box (or its lowest ``count`` blanks) from the store to a terminal's receiver.

    ``counted`` is the sequence as counted one by one (e.g. scanned); it is checked against
    the box for missing, duplicate, out-of-order and unknown numbers. ``faults`` are those
    seen by eye. Any fault seals the whole box instead, and nothing is issued.
    """
    if by == receiver:
        raise Refused(f"keeper and receiver must be different people (Art. 22), both are {by!r}")
    if count is not None:
        checked_count(count, "the count of blanks to issue")
    reported = list(faults)
    for fault in reported:
        if fault.kind not in FAULTS:
            raise Refused(f"fault {fault.kind!r} is not one of {', '.join(FAULTS)}")
    with ledger.write() as writer:
        connection = writer.connection
        target = _ledger.terminal(connection, terminal)
        here = [target.office_code]
        rule = RULES[Kind.ISSUED_OUT]
        _ledger.person(connection, by, *rule.actor, offices=here)
        _ledger.person(connection, receiver, *rule.parties["receiver"], offices=here)
        _ledger.person(connection, head, *rule.parties["head"], offices=here)
        refuse_unhanded(connection, terminal, receiver)
        type_code = _ledger.type_code(connection, type)
        rows = _box_stock(connection, type_code, box, target.office_code)
        if count is not None:
            if count > len(rows):
                raise Refused(f"box {box} holds {len(rows)} blanks in store, not {count}")
            rows = rows[:count]
        serials = [row.serial for row in rows]
        found = reported + ([] if counted is None else check_sequence(serials, counted))
        if found:
            seq = _seal_box(writer, type_code, box, found, by=by, head=head, note=note)
            return IssueOut(type_code, box, (), tuple(found), seq)
        payload = {
            "type": type_code,
            "box": box,
            "terminal": terminal,
            "receiver": receiver,
            "head": head,
            "count": len(serials),
            "ranges": _ledger.ranges(connection, type_code, serials),
        }
        seq = writer.append(Kind.ISSUED_OUT, by, payload)
        _ledger.move(connection, Kind.ISSUED_OUT, payload, serials, seq)
        connection.execute(
            update(terminals).where(terminals.c.code == terminal).values(custodian=receiver)
        )
        return IssueOut(type_code, box, tuple(serials), (), seq)


def hand_over(ledger: Ledger, *, terminal: str, to: str, by: str, note: str = "") -> int:
    """Hand ``terminal`` to the operator ``to``, recorded by the keeper ``by``, without moving
    a blank: the ``handed_over`` event names the outgoing custodian (``None`` for a terminal
    nobody held yet) and the handover counts it rests on. A terminal holding blanks is
    handed over only after the outgoing custodian's handover count of each type it holds,
    agreeing with the ledger; one holding nothing needs none. Returns the event's number."""
    if by == to:
        raise Refused(f"keeper and receiver must be different people (Art. 22), both are {by!r}")
    rule = RULES[Kind.HANDED_OVER]
    with ledger.write() as writer:
        connection = writer.connection
        target = _ledger.terminal(connection, terminal)
        connection.execute(  # the custodian read stays the custodian until the commit
            select(terminals.c.code).where(terminals.c.code == terminal).with_for_update()
        )
        here = [target.office_code]
        _ledger.person(connection, by, *rule.actor, offices=here)
        _ledger.person(connection, to, *rule.parties["handed_to"], offices=here)
        if target.custodian == to:
            raise Refused(f"terminal {terminal} is already in the custody of {to}")
        payload = {
            "terminal": terminal,
            "handed_by": target.custodian,
            "handed_to": to,
            "counts": refuse_unhanded(connection, terminal, to),
            "note": note,
        }
        seq = writer.append(Kind.HANDED_OVER, by, payload)
        connection.execute(
            update(terminals).where(terminals.c.code == terminal).values(custodian=to)
        )
        return seq


def check_sequence(expected: Sequence[str], counted: Sequence[str]) -> list[Fault]:
    """Faults of a counted sequence against the box's serials, in the order counted.

    >>> check_sequence(["01", "02", "03", "04"], ["01", "03", "02", "03", "09"])
    [Fault(kind='out-of-order', serial='02'), Fault(kind='duplicate', serial='03'), \
Fault(kind='wrong-number', serial='09'), Fault(kind='missing', serial='04')]
    """
    wanted = set(expected)
    seen: set[str] = set()
    found: list[Fault] = []
    highest = ""
    for serial in counted:
        if serial not in wanted:
            found.append(Fault("wrong-number", serial))
        elif serial in seen:
            found.append(Fault("duplicate", serial))
        elif serial < highest:
            found.append(Fault("out-of-order", serial))
        seen.add(serial)
        highest = max(highest, serial) if serial in wanted else highest
    found.extend(Fault("missing", serial) for serial in expected if serial not in seen)
    return found


def _box_stock(connection: Connection, type_code: str, box: str, office: str) -> list[Row[Any]]:
    """The box's blanks in ``office``'s store, locked, in serial order; refuses a sealed box
    or one with nothing left there (part of a box may have been lent to another office)."""
    if not connection.execute(
        select(boxes.c.box_no).where(boxes.c.type_code == type_code, boxes.c.box_no == box)
    ).first():
        raise Refused(f"box {box} of type {type_code} is not in the ledger")
    rows = list(
        connection.execute(
            select(certificates)
            .where(
                certificates.c.type_code == type_code,
                certificates.c.box_no == box,
                certificates.c.state.in_(IN_STORE),
            )
            .order_by(certificates.c.serial)
            .with_for_update()
        )
    )
    if any(row.state not in RULES[Kind.ISSUED_OUT].moves().sources for row in rows):
        raise Refused(f"box {box} is sealed and cannot be issued")
    rows = [row for row in rows if row.office_code == office]
    if not rows:
        raise Refused(f"box {box} has no blanks left in the store of office {office}")
    return rows


def _seal_box(
    writer: Writer,
    type_code: str,
    box: str,
    found: Sequence[Fault],
    *,
    by: str,
    head: str,
    note: str,
) -> int:
    connection = writer.connection
    serials = list(
        connection.execute(
            select(certificates.c.serial).where(
                certificates.c.type_code == type_code,
                certificates.c.box_no == box,
                certificates.c.state.in_(RULES[Kind.BOX_SEALED].moves().sources),
            )
        ).scalars()
    )
    payload = {
        "type": type_code,
        "box": box,
        "head": head,
        "note": note,
        "faults": [[fault.kind, fault.serial] for fault in found],
        "ranges": _ledger.ranges(connection, type_code, serials),
    }
    seq = writer.append(Kind.BOX_SEALED, by, payload)
    _ledger.move(connection, Kind.BOX_SEALED, payload, serials, seq)
    return seq


_RETURNING = RULES[Kind.RETURNED_TO_BUREAU]


def return_to_bureau(
    ledger: Ledger, *, box: str, by: str, type: str | None = None, note: str = ""
) -> int:
    """Send a sealed box's blanks back to the bureau; they leave the office for good."""
    with ledger.write() as writer:
        connection = writer.connection
        type_code = _ledger.type_code(connection, type)
        rows = connection.execute(
            select(certificates.c.serial, certificates.c.office_code)
            .where(
                certificates.c.type_code == type_code,
                certificates.c.box_no == box,
                certificates.c.state.in_(_RETURNING.moves().sources),
            )
            .with_for_update()
        ).all()
        if not rows:
            raise Refused(f"box {box} of type {type_code} has no sealed blanks to return")
        _ledger.person(connection, by, *_RETURNING.actor, offices={row.office_code for row in rows})
        serials = [row.serial for row in rows]
        payload = {
            "type": type_code,
            "box": box,
            "note": note,
            "ranges": _ledger.ranges(connection, type_code, serials),
        }
        seq = writer.append(Kind.RETURNED_TO_BUREAU, by, payload)
        _ledger.move(connection, Kind.RETURNED_TO_BUREAU, payload, serials, seq)
        return seq
