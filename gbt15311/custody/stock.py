"""Moving blanks between store, terminals, offices and the bureau; losses and counts.

Issue-out (Art. 22–24) needs the keeper and a different receiver, with the head's
signature; the count one by one may find faults in the box, which seal it for return to the
bureau instead. Transfers between terminals of one office are the office's own business
(Art. 29); between offices they need a bureau approval (Art. 28). A lost serial (Art. 30)
stays lost, even if the paper turns up later.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, func, select, update

from gbt15311.custody import ledger as _ledger
from gbt15311.custody.events import Kind
from gbt15311.custody.ledger import Ledger, Writer
from gbt15311.custody.schema import State, boxes, certificates, terminals
from gbt15311.custody.serials import to_ranges
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

    type_code: str
    box_no: str
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
    if count is not None and count < 1:
        raise Refused(f"count must be at least 1, not {count}")
    reported = list(faults)
    for fault in reported:
        if fault.kind not in FAULTS:
            raise Refused(f"fault {fault.kind!r} is not one of {', '.join(FAULTS)}")
    with ledger.write() as writer:
        connection = writer.connection
        _ledger.person(connection, by, "keeper")
        _ledger.person(connection, receiver, "operator")
        _ledger.person(connection, head, "head")
        target = _ledger.terminal(connection, terminal)
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
        seq = writer.append(
            Kind.ISSUED_OUT,
            by,
            {
                "type": type_code,
                "box": box,
                "terminal": terminal,
                "receiver": receiver,
                "head": head,
                "count": len(serials),
                "ranges": to_ranges(_ledger.serial_format(connection, type_code), serials),
            },
        )
        _ledger.set_state(
            connection, type_code, serials, seq, state=State.WITH_TERMINAL, terminal_code=terminal
        )
        connection.execute(
            update(terminals).where(terminals.c.code == terminal).values(custodian=receiver)
        )
        return IssueOut(type_code, box, tuple(serials), (), seq)


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
                certificates.c.state.in_([State.IN_STORE, State.SEALED]),
            )
            .order_by(certificates.c.serial)
            .with_for_update()
        )
    )
    if any(row.state == State.SEALED for row in rows):
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
                certificates.c.state == State.IN_STORE,
            )
        ).scalars()
    )
    seq = writer.append(
        Kind.BOX_SEALED,
        by,
        {
            "type": type_code,
            "box": box,
            "head": head,
            "note": note,
            "faults": [[fault.kind, fault.serial] for fault in found],
            "ranges": to_ranges(_ledger.serial_format(connection, type_code), serials),
        },
    )
    _ledger.set_state(connection, type_code, serials, seq, state=State.SEALED)
    return seq


def return_to_bureau(
    ledger: Ledger, *, box: str, by: str, type: str | None = None, note: str = ""
) -> int:
    """Send a sealed box's blanks back to the bureau; they leave the office for good."""
    with ledger.write() as writer:
        connection = writer.connection
        _ledger.person(connection, by, "keeper")
        type_code = _ledger.type_code(connection, type)
        serials = list(
            connection.execute(
                select(certificates.c.serial)
                .where(
                    certificates.c.type_code == type_code,
                    certificates.c.box_no == box,
                    certificates.c.state == State.SEALED,
                )
                .with_for_update()
            ).scalars()
        )
        if not serials:
            raise Refused(f"box {box} of type {type_code} has no sealed blanks to return")
        seq = writer.append(
            Kind.RETURNED_TO_BUREAU,
            by,
            {
                "type": type_code,
                "box": box,
                "note": note,
                "ranges": to_ranges(_ledger.serial_format(connection, type_code), serials),
            },
        )
        _ledger.set_state(connection, type_code, serials, seq, state=State.RETURNED)
        return seq


def return_to_store(
    ledger: Ledger,
    *,
    terminal: str,
    by: str,
    handed_by: str,
    serials: Sequence[str] | None = None,
    type: str | None = None,
) -> tuple[str, ...]:
    """Take blanks back from a terminal into the store (all of them unless ``serials``)."""
    if by == handed_by:
        raise Refused(f"keeper and operator must be different people, both are {by!r}")
    with ledger.write() as writer:
        connection = writer.connection
        _ledger.person(connection, by, "keeper")
        _ledger.person(connection, handed_by, "operator")
        _ledger.terminal(connection, terminal)
        type_code = _ledger.type_code(connection, type)
        chosen = _terminal_stock(connection, type_code, terminal, serials, None)
        seq = writer.append(
            Kind.RETURNED_TO_STORE,
            by,
            {
                "type": type_code,
                "terminal": terminal,
                "handed_by": handed_by,
                "ranges": to_ranges(_ledger.serial_format(connection, type_code), chosen),
            },
        )
        _ledger.set_state(
            connection, type_code, chosen, seq, state=State.IN_STORE, terminal_code=None
        )
        return tuple(chosen)


def transfer(
    ledger: Ledger,
    *,
    source: str,
    target: str,
    by: str,
    receiver: str,
    serials: Sequence[str] | None = None,
    count: int | None = None,
    type: str | None = None,
) -> tuple[str, ...]:
    """Move blanks between two terminals of one office (Art. 29): named serials, the lowest
    ``count``, or all."""
    with ledger.write() as writer:
        connection = writer.connection
        _ledger.person(connection, by, "keeper", "head")
        _ledger.person(connection, receiver, "operator")
        source_row = _ledger.terminal(connection, source)
        target_row = _ledger.terminal(connection, target)
        if source == target:
            raise Refused(f"terminal {source} cannot transfer to itself")
        if source_row.office_code != target_row.office_code:
            raise Refused(
                f"terminals {source} and {target} belong to different offices; "
                "transfer to the office store first"
            )
        type_code = _ledger.type_code(connection, type)
        chosen = _terminal_stock(connection, type_code, source, serials, count)
        seq = writer.append(
            Kind.TRANSFERRED,
            by,
            {
                "type": type_code,
                "source": source,
                "target": target,
                "receiver": receiver,
                "ranges": to_ranges(_ledger.serial_format(connection, type_code), chosen),
            },
        )
        _ledger.set_state(
            connection, type_code, chosen, seq, state=State.WITH_TERMINAL, terminal_code=target
        )
        connection.execute(
            update(terminals).where(terminals.c.code == target).values(custodian=receiver)
        )
        return tuple(chosen)


def transfer_to_office(
    ledger: Ledger,
    *,
    serials: Sequence[str],
    to_office: str,
    approval: str,
    by: str,
    type: str | None = None,
) -> int:
    """Lend store blanks to another office of this ledger, under a bureau approval (Art. 28)."""
    if not approval.strip():
        raise Refused("a transfer between offices needs the bureau's approval reference")
    with ledger.write() as writer:
        connection = writer.connection
        _ledger.person(connection, by, "keeper", "head")
        _ledger.office(connection, to_office)
        type_code = _ledger.type_code(connection, type)
        rows = _ledger.certificates_in(connection, type_code, sorted(set(serials)))
        source = {row.office_code for row in rows}
        for row in rows:
            if row.state != State.IN_STORE:
                raise Refused(f"serial {row.serial} is {row.state}, not in store")
        if len(source) > 1 or to_office in source:
            raise Refused(f"the serials must all be in one office's store other than {to_office}")
        chosen = [row.serial for row in rows]
        seq = writer.append(
            Kind.TRANSFERRED_OFFICE,
            by,
            {
                "type": type_code,
                "source": source.pop(),
                "target": to_office,
                "approval": approval,
                "ranges": to_ranges(_ledger.serial_format(connection, type_code), chosen),
            },
        )
        _ledger.set_state(
            connection, type_code, chosen, seq, state=State.IN_STORE, office_code=to_office
        )
        return seq


LOSABLE = (State.IN_STORE, State.SEALED, State.WITH_TERMINAL, State.RESERVED)


def report_loss(
    ledger: Ledger, serials: Sequence[str], *, by: str, note: str, type: str | None = None
) -> int:
    """Record blanks as lost (Art. 30); they can never be used afterwards."""
    if not note.strip():
        raise Refused("a loss report needs a note saying what happened")
    with ledger.write() as writer:
        connection = writer.connection
        _ledger.person(connection, by)
        rows = rows_for(connection, serials, type)
        for row in rows:
            if row.state not in LOSABLE:
                raise Refused(f"serial {row.serial} is {row.state}; it cannot be lost")
        type_code = rows[0].type_code
        chosen = [row.serial for row in rows]
        seq = writer.append(
            Kind.LOST,
            by,
            {
                "type": type_code,
                "note": note,
                "ranges": to_ranges(_ledger.serial_format(connection, type_code), chosen),
            },
        )
        _ledger.set_state(connection, type_code, chosen, seq, state=State.LOST)
        return seq


@dataclass(frozen=True)
class Count:
    """A physical count against the ledger's balance (Art. 31)."""

    expected: int
    counted: int
    seq: int

    @property
    def difference(self) -> int:
        return self.counted - self.expected


def record_count(
    ledger: Ledger,
    *,
    office: str,
    counted: int,
    by: str,
    terminal: str | None = None,
    type: str | None = None,
    note: str = "",
) -> Count:
    """Record a physical count of a store (sealed boxes included) or of a terminal."""
    if counted < 0:
        raise Refused(f"a count cannot be negative: {counted}")
    with ledger.write() as writer:
        connection = writer.connection
        _ledger.person(connection, by)
        _ledger.office(connection, office)
        type_code = _ledger.type_code(connection, type)
        query = select(func.count()).where(
            certificates.c.type_code == type_code, certificates.c.office_code == office
        )
        if terminal is None:
            query = query.where(certificates.c.state.in_([State.IN_STORE, State.SEALED]))
        else:
            if _ledger.terminal(connection, terminal).office_code != office:
                raise Refused(f"terminal {terminal} is not a terminal of office {office}")
            query = query.where(
                certificates.c.terminal_code == terminal,
                certificates.c.state.in_([State.WITH_TERMINAL, State.RESERVED]),
            )
        expected = connection.execute(query).scalar_one()
        seq = writer.append(
            Kind.COUNTED,
            by,
            {
                "type": type_code,
                "office": office,
                "terminal": terminal,
                "counted": counted,
                "expected": expected,
                "note": note,
            },
        )
        return Count(expected=expected, counted=counted, seq=seq)


def stock(ledger: Ledger, *, office: str | None = None) -> dict[str, Counter[str]]:
    """Blanks per type and state (optionally of one office): the ledger's balance."""
    query = select(certificates.c.type_code, certificates.c.state, func.count()).group_by(
        certificates.c.type_code, certificates.c.state
    )
    if office is not None:
        query = query.where(certificates.c.office_code == office)
    balance: dict[str, Counter[str]] = {}
    with ledger.read() as connection:
        for type_code, state, number in connection.execute(query):
            balance.setdefault(type_code, Counter())[state] = number
    return balance


def rows_for(connection: Connection, serials: Sequence[str], type: str | None) -> list[Row[Any]]:
    """The certificates named, locked; without a type, the first serial's type for all."""
    if not serials:
        raise Refused("name at least one serial")
    type_code = type if type is not None else _ledger.certificate(connection, serials[0]).type_code
    return _ledger.certificates_in(connection, type_code, sorted(set(serials)))


def _terminal_stock(
    connection: Connection,
    type_code: str,
    terminal: str,
    serials: Sequence[str] | None,
    count: int | None,
) -> list[str]:
    if serials is not None:
        rows = _ledger.certificates_in(connection, type_code, sorted(set(serials)))
        for row in rows:
            if row.terminal_code != terminal or row.state != State.WITH_TERMINAL:
                raise Refused(f"serial {row.serial} is not unused with terminal {terminal}")
        return [row.serial for row in rows]
    query = (
        select(certificates.c.serial)
        .where(
            certificates.c.type_code == type_code,
            certificates.c.terminal_code == terminal,
            certificates.c.state == State.WITH_TERMINAL,
        )
        .order_by(certificates.c.serial)
        .with_for_update()
    )
    if count is not None:
        query = query.limit(count)
    chosen = list(connection.execute(query).scalars())
    if not chosen or (count is not None and len(chosen) < count):
        raise Refused(f"terminal {terminal} holds {len(chosen)} unused blanks of {type_code}")
    return chosen
