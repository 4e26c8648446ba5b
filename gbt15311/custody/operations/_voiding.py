"""Second-person voids: one person proposes, another approves; a head may reverse a mistake.

A void the policy (``lifecycle.VOID_APPROVAL`` by default) says needs approval is proposed by
whoever spoilt or found the blank: the proposal moves nothing. It takes effect when a second
person holding one of the policy's roles approves it, as the ``voided`` event that names the
proposal; or it is declined. A void made by mistake is reversed with a head's approval by a
compensating ``void_reversed`` event that puts each blank back in the state it was voided
from: the void stays in the history, as every event does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from gbt15311.custody.lifecycle import RULES, VOID_APPROVAL, Kind, State
from gbt15311.custody.operations._printing import checked_void, today_for
from gbt15311.custody.proof._proposals import CLOSING, still_open
from gbt15311.custody.proof._timeline import Timeline
from gbt15311.custody.store import _ledger
from gbt15311.custody.store._events import Event, moment, read_events
from gbt15311.custody.store._ledger import Ledger
from gbt15311.custody.store._schema import certificates, events
from gbt15311.custody.store._serials import from_ranges
from gbt15311.custody.workdays import WorkingCalendar
from gbt15311.exceptions import Refused

Policy = Mapping[str, tuple[str, ...]]
"""Void reason → the roles of which the approver must hold one (absent: no approval)."""


@dataclass(frozen=True)
class Proposal:
    """A void proposed and neither approved nor declined yet."""

    seq: int
    type: str
    reason: str
    ranges: tuple[tuple[str, str], ...]
    note: str
    actor: str
    at: datetime


def propose_void(
    ledger: Ledger,
    serials: str | Sequence[str],
    *,
    reason: str,
    by: str,
    note: str = "",
    type: str | None = None,
    terminal: str | None = None,
    calendar: WorkingCalendar | None = None,
) -> int:
    """Propose voiding blanks (checked as ``void`` checks them); nothing moves until a second
    person approves. Returns the sequence number of the ``void_proposed`` event."""
    with ledger.write() as writer:
        payload, _chosen = checked_void(
            writer.connection,
            serials,
            reason=reason,
            by=by,
            note=note,
            type=type,
            terminal=terminal,
            today=today_for(ledger, reason),
            calendar=calendar,
        )
        return writer.append(Kind.VOID_PROPOSED, by, payload)


def approve_void(ledger: Ledger, proposal: int, *, by: str, policy: Policy = VOID_APPROVAL) -> int:
    """Approve an open proposal: its blanks are voided by the ``voided`` event this returns the
    number of. The approver is not the proposer and holds a role the policy names."""
    with ledger.write() as writer:
        connection = writer.connection
        proposed = _open(connection, proposal)
        if by == proposed.actor:
            raise Refused(f"{by!r} proposed void {proposal}; a second person must approve it")
        p = proposed.payload
        serials = list(from_ranges(_ledger.serial_format(connection, p["type"]), p["ranges"]))
        rows = _ledger.certificates_in(connection, p["type"], serials)
        _open(connection, proposal)  # again, under the blanks' locks: a decline may have won
        _ledger.person(connection, by, *policy.get(p["reason"], ()), offices=_offices(rows))
        allowed = RULES[Kind.VOIDED].moves().allowed(p)
        for row in rows:
            if row.state not in allowed:
                raise Refused(
                    f"serial {row.serial} is {row.state} since the proposal; "
                    f"it cannot be voided as {p['reason']}: decline the proposal"
                )
        payload = {**p, "proposal": proposal, "proposed_by": proposed.actor}
        seq = writer.append(Kind.VOIDED, by, payload)
        _ledger.move(connection, Kind.VOIDED, payload, serials, seq)
        return seq


def decline_void(
    ledger: Ledger, proposal: int, *, by: str, note: str = "", policy: Policy = VOID_APPROVAL
) -> int:
    """Close an open proposal without voiding: withdrawn by its proposer, or declined by a
    person who could have approved it. Returns the ``void_declined`` event's number."""
    with ledger.write() as writer:
        connection = writer.connection
        proposed = _open(connection, proposal)
        p = proposed.payload
        serials = list(from_ranges(_ledger.serial_format(connection, p["type"]), p["ranges"]))
        rows = _ledger.certificates_in(connection, p["type"], serials)
        _open(connection, proposal)  # again, under the blanks' locks: an approval may have won
        roles = () if by == proposed.actor else policy.get(p["reason"], ())
        _ledger.person(connection, by, *roles, offices=_offices(rows))
        return writer.append(
            Kind.VOID_DECLINED, by, {"type": p["type"], "proposal": proposal, "note": note}
        )


def reverse_void(ledger: Ledger, void: int, *, by: str, head: str, note: str = "") -> list[int]:
    """Reverse the ``voided`` event ``void``, approved by ``head`` (not ``by``): each of its
    blanks still void and unsealed goes back to the state it was voided from, by one
    ``void_reversed`` event per state. Returns their sequence numbers."""
    if by == head:
        raise Refused(f"a reversal is approved by a head other than who asks; both are {by!r}")
    reversing = RULES[Kind.VOID_REVERSED]
    with ledger.write() as writer:
        connection = writer.connection
        voided = _event(connection, void, Kind.VOIDED)
        type_code = voided.payload["type"]
        serials = list(
            from_ranges(_ledger.serial_format(connection, type_code), voided.payload["ranges"])
        )
        rows = _ledger.certificates_in(connection, type_code, serials)
        offices = _offices(rows)
        _ledger.person(connection, by, *reversing.actor, offices=offices)
        _ledger.person(connection, head, *reversing.parties["approved_by"], offices=offices)
        before = _states_before(connection, void, type_code)
        for row in rows:
            if row.state != State.VOID or row.seq != void:
                raise Refused(f"serial {row.serial} is {row.state} since void {void}")
            if (type_code, row.serial) not in before:
                raise Refused(f"serial {row.serial} is sealed; its void cannot be reversed")
        by_state: dict[str, list[str]] = {}
        for row in rows:
            restored = before[(type_code, row.serial)]
            if restored == State.USED:
                _refuse_reprinted(connection, row.serial, row.licence_no)
            by_state.setdefault(restored, []).append(row.serial)
        done = []
        for state, chosen in sorted(by_state.items()):
            payload = {
                "type": type_code,
                "void": void,
                "state": state,
                "head": head,
                "note": note,
                "ranges": _ledger.ranges(connection, type_code, chosen),
            }
            seq = writer.append(Kind.VOID_REVERSED, by, payload)
            _ledger.move(connection, Kind.VOID_REVERSED, payload, chosen, seq)
            done.append(seq)
        return done


def open_proposals(ledger: Ledger) -> list[Proposal]:
    """Proposals neither approved nor declined, oldest first: each waits for a second person."""
    with ledger.read() as connection:
        return [
            Proposal(
                event.seq,
                event.payload["type"],
                event.payload["reason"],
                tuple((first, last) for first, last in event.payload["ranges"]),
                event.payload["note"],
                event.actor,
                moment(event.at),
            )
            for event in _proposals(connection).values()
        ]


def _proposals(connection: Connection) -> dict[int, Event]:
    """The open proposals by number."""
    return still_open(read_events(connection, events.c.kind.in_((Kind.VOID_PROPOSED, *CLOSING))))


def _open(connection: Connection, proposal: int) -> Event:
    found = _proposals(connection).get(proposal)
    if found is None:
        _event(connection, proposal, Kind.VOID_PROPOSED)
        raise Refused(f"void proposal {proposal} is already approved or declined")
    return found


def _event(connection: Connection, seq: int, kind: Kind) -> Event:
    found = next(read_events(connection, events.c.seq == seq), None)
    if found is None or found.kind != kind:
        raise Refused(f"event {seq} is not a {kind} event")
    return found


def _refuse_reprinted(connection: Connection, serial: str, licence_no: str | None) -> None:
    """A spoilt licence printed again since cannot be put back on its first blank too."""
    again = connection.execute(
        select(certificates.c.serial).where(
            certificates.c.licence_no == licence_no, certificates.c.state == State.USED
        )
    ).scalar()
    if again is not None:
        raise Refused(
            f"licence {licence_no} of serial {serial} is printed on serial {again} since; "
            "its void cannot be reversed"
        )


def _offices(rows: Sequence[Any]) -> set[str]:
    return {row.office_code for row in rows}


def _states_before(connection: Connection, void: int, type_code: str) -> dict[tuple[str, str], str]:
    """The state each unsealed blank of the ``voided`` event ``void`` was voided from."""
    fold = Timeline()
    before: dict[tuple[str, str], str] = {}
    for move in fold.run(read_events(connection, events.c.seq <= void)):
        if move.event.seq == void and move.before is not None:
            before[move.key] = str(move.before.state)
    fold.settle(read_events(connection, events.c.seq > void))
    return {key: state for key, state in before.items() if key not in fold.sealed}
