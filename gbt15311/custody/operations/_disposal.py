"""Sealing voids and expired blanks, destroying them when the rules allow, and archiving
receipts (Art. 17, 34, 35): the ledger operations behind the 附件5 and 附件6 registers.

Sealing puts voids in a register, checked and sealed by the head: ``voids`` (附件6) for every
void reason but an expired edition, ``expired`` (附件5) for those. Destruction takes sealed
blanks of one register, on a day the retention rules allow, with an approval by someone other
than the person destroying; premature destruction is refused with the date it becomes
allowed. Sealing leaves the blanks void (the registers read the sealing from the events);
destruction makes them ``destroyed``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row

import gbt15311.custody.proof._editions as editions
from gbt15311.custody.lifecycle import REGISTERS, RULES, Kind, Register, State, register_of
from gbt15311.custody.operations._movements import rows_for
from gbt15311.custody.proof._periods import allowed_from, refuse_premature, refuse_self_approval
from gbt15311.custody.proof._timeline import Timeline
from gbt15311.custody.store import _ledger
from gbt15311.custody.store._events import CHINA, read_events
from gbt15311.custody.store._ledger import Ledger
from gbt15311.exceptions import Refused


def _fold(connection: Connection) -> Timeline:
    """The ledger's blanks with their sealings, read inside the writing transaction."""
    return Timeline().settle(read_events(connection))


def _register(register: str) -> None:
    if register not in REGISTERS:
        raise Refused(f"register {register!r} is not one of {', '.join(REGISTERS)}")


def seal(
    ledger: Ledger,
    serials: Sequence[str] | None = None,
    *,
    register: Register,
    by: str,
    head: str,
    office: str | None = None,
    new_edition_from: date | None = None,
    type: str | None = None,
    note: str = "",
) -> int:
    """Put voids in ``register`` (``voids``: 附件6, ``expired``: 附件5), checked and sealed by
    ``head``: the ``serials`` named, or every void of ``office`` not yet sealed there.
    Expired blanks are sealed with the day the new edition starts: the one the ledger records
    (``record_edition``); ``new_edition_from``, if given, must be that day, and names it for
    voids of a ledger that records none (made before editions were recorded)."""
    _register(register)
    with ledger.write() as writer:
        connection = writer.connection
        rule = RULES[Kind.VOIDS_SEALED]
        _ledger.person(connection, by, *rule.actor)
        _ledger.person(connection, head, *rule.parties["head"])
        fold = _fold(connection)
        if serials is None:
            rows = _unsealed(connection, fold, register, office, type)
        else:
            rows = rows_for(connection, serials, type)
        type_code = rows[0].type_code
        offices = {row.office_code for row in rows}
        if len(offices) > 1:
            raise Refused(f"seal one office's voids at a time, not {', '.join(sorted(offices))}")
        for row in rows:
            _sealable(row, register, fold)
        if register == "expired":
            new_edition_from = _edition(connection, type_code, new_edition_from)
        return writer.append(
            Kind.VOIDS_SEALED,
            by,
            {
                "type": type_code,
                "office": offices.pop(),
                "register": register,
                "head": head,
                "new_edition_from": new_edition_from.isoformat() if new_edition_from else None,
                "note": note,
                "ranges": _ledger.ranges(connection, type_code, [row.serial for row in rows]),
            },
        )


def _edition(connection: Connection, type_code: str, given: date | None) -> date:
    """The day the new edition of ``type_code`` starts: the ledger's, else the one given."""
    recorded = editions.recorded(connection).get(type_code)
    if recorded is not None:
        if given not in (None, recorded.starts):
            raise Refused(
                f"the ledger records the new edition of {type_code} from {recorded.starts} "
                f"(event {recorded.seq}), not {given}"
            )
        return recorded.starts
    if given is None:
        raise Refused(
            f"expired blanks are sealed with the day the new edition starts (Art. 34): no "
            f"edition of {type_code} is recorded (custody edition {type_code} --starts DATE)"
        )
    return given


def _unsealed(
    connection: Connection, fold: Timeline, register: str, office: str | None, type: str | None
) -> list[Row[Any]]:
    if office is None:
        raise Refused("name the serials to seal, or the office whose voids are all sealed")
    _ledger.office(connection, office)
    type_code = _ledger.type_code(connection, type)
    chosen = sorted(
        serial
        for (kind, serial), blank in fold.blanks.items()
        if kind == type_code
        and blank.office == office
        and blank.state == State.VOID
        and register_of(blank.void_reason) == register
        and (kind, serial) not in fold.sealed
    )
    if not chosen:
        raise Refused(f"office {office} has no {type_code} voids left to seal in {register}")
    return _ledger.certificates_in(connection, type_code, chosen)


def _sealable(row: Row[Any], register: str, fold: Timeline) -> None:
    if row.state != State.VOID:
        raise Refused(f"serial {row.serial} is {row.state}, not void; void it first")
    if register_of(row.void_reason) != register:
        raise Refused(
            f"serial {row.serial} was voided as {row.void_reason}; it belongs in the "
            f"{register_of(row.void_reason)} register"
        )
    sealing = fold.sealed.get((row.type_code, row.serial))
    if sealing is not None:
        raise Refused(f"serial {row.serial} is already sealed (event {sealing.event.seq})")


def destroy(
    ledger: Ledger,
    serials: Sequence[str] | None = None,
    *,
    register: Register,
    by: str,
    approved_by: str,
    approval: str,
    lot: int | None = None,
    type: str | None = None,
    note: str = "",
) -> int:
    """Record the destruction of sealed blanks of one register (the ``serials`` named, or
    what is left of the ``lot`` sealed by that event), approved by someone else; refused
    before the retention rules allow it, naming the day they will."""
    _register(register)
    if not approval.strip():
        raise Refused("a destruction needs the approval's reference (Art. 34, 35)")
    refuse_self_approval(by, approved_by)
    today = ledger.clock().astimezone(CHINA).date()
    with ledger.write() as writer:
        connection = writer.connection
        destroying = RULES[Kind.DESTROYED]
        _ledger.person(connection, by, *destroying.actor)
        _ledger.person(connection, approved_by, *destroying.parties["approved_by"])
        fold = _fold(connection)
        if (serials is None) == (lot is None):
            raise Refused("name the serials to destroy, or the sealing event of the lot")
        if lot is not None:
            sealing = next((s for s in fold.sealings if s.event.seq == lot), None)
            if sealing is None:
                raise Refused(f"event {lot} did not seal anything")
            left = [s for s in sealing.serials if (sealing.type, s) not in fold.destroyed]
            if not left:
                raise Refused(f"the lot sealed by event {lot} is already destroyed")
            rows = _ledger.certificates_in(connection, sealing.type, left)
        else:
            rows = rows_for(connection, serials or (), type)
        type_code = rows[0].type_code
        article = "Art. 34" if register == "expired" else "Art. 35: kept two years"
        for row in rows:
            sealing = fold.sealed.get((type_code, row.serial))
            if row.state == State.DESTROYED:
                raise Refused(f"serial {row.serial} is already destroyed")
            if (
                row.state not in destroying.moves().sources
                or sealing is None
                or sealing.register != register
            ):
                raise Refused(f"serial {row.serial} is not sealed in the {register} register")
            refuse_premature(
                f"serial {row.serial} (sealed {sealing.day})", allowed_from(sealing), today, article
            )
        chosen = [row.serial for row in rows]
        payload = {
            "type": type_code,
            "register": register,
            "approved_by": approved_by,
            "approval": approval,
            "note": note,
            "ranges": _ledger.ranges(connection, type_code, chosen),
        }
        seq = writer.append(Kind.DESTROYED, by, payload)
        _ledger.move(connection, Kind.DESTROYED, payload, chosen, seq)
        return seq


def archive_receipt(ledger: Ledger, shipment: str, *, by: str, note: str = "") -> int:
    """Record that a shipment's signed receipt went to the shipper and the bureau and its
    third copy to the archive, where it stays three years (Art. 17)."""
    with ledger.write() as writer:
        connection = writer.connection
        _ledger.person(connection, by, *RULES[Kind.RECEIPT_ARCHIVED].actor)
        received = archived = False
        for event in read_events(connection):
            if event.payload.get("shipment") == shipment:
                received |= event.kind == Kind.SHIPMENT_RECEIVED
                archived |= event.kind == Kind.RECEIPT_ARCHIVED
        if not received:
            raise Refused(f"shipment {shipment!r} has not been received")
        if archived:
            raise Refused(f"the receipt of shipment {shipment!r} is already archived")
        return writer.append(Kind.RECEIPT_ARCHIVED, by, {"shipment": shipment, "note": note})
