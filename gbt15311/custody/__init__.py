"""Custody of the blank certificates: a tamper-evident ledger and the serial allocator.

Every change is an append-only, hash-chained event; the state tables follow the events in
the same transaction and ``verify`` proves they still do. See ``docs/custody.md``.

``issue_licence``, ``Issued`` and ``AlreadyIssued`` live in ``gbt15311.issuing``, above custody
and render; they are reachable here too, loaded on first use so that importing custody never
imports the renderer.
"""

from typing import TYPE_CHECKING

from gbt15311.custody.lifecycle import REGISTERS, ROLES, VOID_APPROVAL, VOID_REASONS, Register
from gbt15311.custody.operations._disposal import archive_receipt, destroy, seal
from gbt15311.custody.operations._handover import (
    FAULTS,
    Fault,
    IssueOut,
    hand_over,
    issue_out,
    return_to_bureau,
)
from gbt15311.custody.operations._movements import (
    Count,
    record_count,
    report_loss,
    return_to_store,
    stock,
    transfer,
    transfer_to_office,
)
from gbt15311.custody.operations._printing import (
    Reservation,
    allocate,
    open_reservations,
    use,
    void,
)
from gbt15311.custody.operations._receiving import Box, Receipt, receive_shipment
from gbt15311.custody.operations._registry import (
    add_office,
    add_person,
    add_terminal,
    add_type,
    record_edition,
)
from gbt15311.custody.operations._voiding import (
    Proposal,
    approve_void,
    decline_void,
    open_proposals,
    propose_void,
    reverse_void,
)
from gbt15311.custody.proof._history import Whereabouts, where
from gbt15311.custody.proof._verify import Verified, verify
from gbt15311.custody.store._events import Event, Kind
from gbt15311.custody.store._ledger import Ledger, init_ledger, open_ledger
from gbt15311.custody.store._schema import State
from gbt15311.custody.workdays import WorkingCalendar, default_calendar

if TYPE_CHECKING:
    from gbt15311.issuing import AlreadyIssued, Issued, issue_licence

_ISSUING = frozenset({"AlreadyIssued", "Issued", "issue_licence"})

__all__ = [
    "FAULTS",
    "REGISTERS",
    "ROLES",
    "VOID_APPROVAL",
    "VOID_REASONS",
    "AlreadyIssued",
    "Box",
    "Count",
    "Event",
    "Fault",
    "IssueOut",
    "Issued",
    "Kind",
    "Ledger",
    "Proposal",
    "Receipt",
    "Register",
    "Reservation",
    "State",
    "Verified",
    "Whereabouts",
    "WorkingCalendar",
    "add_office",
    "add_person",
    "add_terminal",
    "add_type",
    "allocate",
    "approve_void",
    "archive_receipt",
    "decline_void",
    "default_calendar",
    "destroy",
    "hand_over",
    "init_ledger",
    "issue_licence",
    "issue_out",
    "open_ledger",
    "open_proposals",
    "open_reservations",
    "propose_void",
    "receive_shipment",
    "record_count",
    "record_edition",
    "report_loss",
    "return_to_bureau",
    "return_to_store",
    "reverse_void",
    "seal",
    "stock",
    "transfer",
    "transfer_to_office",
    "use",
    "verify",
    "void",
    "where",
]


def __getattr__(name: str) -> object:
    if name in _ISSUING:
        from gbt15311 import issuing

        return getattr(issuing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
