"""The lifecycle of a blank, written once as data: every other module reads it.

A blank is in one ``State``. An event of a ``Kind`` is done by a person holding one of the
kind's roles, and may name other people who must hold theirs (a receiver, the head). An event
that moves blanks has a ``Transition``: the states it may move them from, the state it moves
them to, and what else it sets on them from its payload. The operations refuse what the table
forbids, ``verify``'s replay refuses events the table forbids, the report timelines fold the
events through the same table, and the allocator's one-statement SQL is composed from it.

Adding an event kind adds a ``Kind``, its ``Rule`` here, and the one operation that writes it.
The rules are declared the way ``gbt15311.rules`` declares a licence's: small frozen objects
built by factories (``moves``, ``voids``, ``rule``).

    >>> RULES[Kind.LOST].transition.allowed({})  # doctest: +ELLIPSIS
    frozenset({...})
    >>> RULES[Kind.RETURNED_TO_STORE].transition.changes({"terminal": "T1"})
    {'state': <State.IN_STORE: 'in_store'>, 'terminal': None}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, TypeVar

__all__ = [
    "AT_TERMINAL",
    "CADENCES",
    "EXPIRED_EDITION",
    "HANDOVER",
    "IN_STORE",
    "MISPRINT",
    "NOT_COLLECTED",
    "ON_HAND",
    "RECEIPT_YEARS",
    "RECOUNTS",
    "REGISTERS",
    "ROLES",
    "RULES",
    "VOID_APPROVAL",
    "VOID_REASONS",
    "VOID_WORDS",
    "VOID_YEARS",
    "YEARS",
    "YEARS_SPAN",
    "Kind",
    "Register",
    "Rule",
    "State",
    "Transition",
    "received_state",
    "register_of",
    "reserved",
    "used",
]


class State(StrEnum):
    """Where a blank is; every blank received is in exactly one."""

    IN_STORE = "in_store"
    SEALED = "sealed"
    WITH_TERMINAL = "with_terminal"
    RESERVED = "reserved"
    USED = "used"
    VOID = "void"
    LOST = "lost"
    RETURNED = "returned"
    DESTROYED = "destroyed"


class Kind(StrEnum):
    """What an event records; the payload keys each kind carries are listed in docs/custody.md."""

    PERSON_ADDED = "person_added"
    OFFICE_ADDED = "office_added"
    TERMINAL_ADDED = "terminal_added"
    TYPE_ADDED = "type_added"
    SHIPMENT_RECEIVED = "shipment_received"
    ISSUED_OUT = "issued_out"
    BOX_SEALED = "box_sealed"
    RETURNED_TO_BUREAU = "returned_to_bureau"
    RETURNED_TO_STORE = "returned_to_store"
    TRANSFERRED = "transferred"
    TRANSFERRED_OFFICE = "transferred_office"
    RESERVED = "reserved"
    USED = "used"
    VOIDED = "voided"
    LOST = "lost"
    COUNTED = "counted"
    VOIDS_SEALED = "voids_sealed"
    DESTROYED = "destroyed"
    RECEIPT_ARCHIVED = "receipt_archived"
    VOID_PROPOSED = "void_proposed"
    VOID_DECLINED = "void_declined"
    VOID_REVERSED = "void_reversed"
    EDITION_SET = "edition_set"
    HANDED_OVER = "handed_over"


ROLES = ("head", "keeper", "operator", "checker")
"""The roles a person may hold (Art. 8: the head, the keeper, the operators, the checkers)."""

IN_STORE = frozenset({State.IN_STORE, State.SEALED})
"""States of a blank in an office's store (sealed boxes included): what a store count finds."""
AT_TERMINAL = frozenset({State.WITH_TERMINAL, State.RESERVED})
"""States of a blank in a terminal's custody: what a terminal count finds."""
ON_HAND = IN_STORE | AT_TERMINAL
"""States of a blank still in an office's hands: the balance the conservation identity keeps."""

_UNUSED = (State.IN_STORE, State.SEALED, State.WITH_TERMINAL, State.RESERVED)

EXPIRED_EDITION = "expired-edition"
NOT_COLLECTED = "not-collected"
MISPRINT = "misprint"

VOID_REASONS: dict[str, tuple[State, ...]] = {
    "printing-fault": _UNUSED,
    "fire": _UNUSED,
    "water": _UNUSED,
    "insects": _UNUSED,
    MISPRINT: (State.RESERVED, State.USED),
    NOT_COLLECTED: (State.USED,),
    EXPIRED_EDITION: (State.IN_STORE, State.SEALED, State.WITH_TERMINAL),
}
"""Void reason codes (ours, after Art. 26 and 34) and the states each may void from.

``printing-fault`` is a fault of the blank as made (印制错误); ``misprint`` is our own print
gone wrong (打印错误); ``not-collected`` revokes a licence not collected within 20 working
days of issue.
"""

VOID_WORDS: dict[str, str] = {
    "printing-fault": "印制错误 printing fault",
    "fire": "火烧 fire",
    "water": "水浸 water",
    "insects": "蛀蚀 insects",
    MISPRINT: "打印错误 misprint",
    NOT_COLLECTED: "逾期未领取 not collected",
    EXPIRED_EDITION: "改版过期 expired edition",
}
"""The words the registers print for each void reason."""

VOID_APPROVAL: dict[str, tuple[str, ...]] = {
    "printing-fault": ("head",),
    "fire": ("head",),
    "water": ("head",),
    "insects": ("head",),
}
"""The default policy of second-person voids: the reasons whose void takes effect only when a
second person holding one of these roles approves it; other reasons void at once.

Unused stock voided in storage leaves no printed licence behind to show what became of it, so
a head must see it; a misprint leaves the spoilt print itself, a not-collected revocation
follows the licence's own deadline, an expired edition the bureau's notice, and all three are
checked by the head when sealed. An office replaces the policy by passing its own mapping.
"""

Register = Literal["voids", "expired"]
REGISTERS: tuple[Register, ...] = ("voids", "expired")
"""Where voids are sealed: 附件6 (``voids``), or 附件5 for an edition replaced (``expired``)."""

HANDOVER = "handover"
CADENCES = ("quarterly", "half-yearly", "annual", HANDOVER, "ad-hoc")
"""Why a count is made: on its cadence (Art. 31 asks for one a quarter at least), when a
terminal's custodian changes (``handover``: required, the operations refuse to skip it), or
ad hoc."""
RECOUNTS: tuple[tuple[str, ...], ...] = ((), ("head",))
"""On a variance, the counts that follow it, each by a person who has not counted this
variance yet and holds one of these roles (empty: any): a second count by a different person,
then a third by a head. After them, the variance stays open until a count agrees."""

VOID_YEARS = 2
"""Sealed voids are kept two years before they may be destroyed (Art. 35)."""
RECEIPT_YEARS = 3
"""A receipt's archived copy is kept three years (Art. 17)."""
YEARS = range(2000, 3000)
"""The years of any day the ledger is told of (a new edition's start, a report's day or
period): every day an office can mean under rules of 2012, and far enough from the calendar's
ends (years 1 and 9999) that a deadline or a period counted from the day is still a date."""
YEARS_SPAN = f"{YEARS.start} to {YEARS[-1]}"
"""``YEARS`` as a refusal names them."""


def register_of(void_reason: str | None) -> Register:
    """The register a void of this reason is sealed in."""
    return "expired" if void_reason == EXPIRED_EDITION else "voids"


def received_state(discrepancies: object) -> State:
    """A box received whole goes into the store; a box with discrepancies is sealed."""
    return State.SEALED if discrepancies else State.IN_STORE


@dataclass(frozen=True, slots=True)
class Transition:
    """How an event moves the blanks it names: from which states, to which, setting what.

    ``sets`` maps a blank's attribute (``terminal``, ``office``, ``licence_no``,
    ``void_reason``) to the payload key giving its new value, or to ``None`` to clear it.
    ``one`` events name a single blank (``type`` and ``serial``); the others name ``ranges``.
    """

    sources: frozenset[State]
    target: State | None
    sets: Mapping[str, str | None] = field(default_factory=dict)
    one: bool = False
    by_reason: bool = False
    restores: bool = False

    def allowed(self, payload: Mapping[str, Any]) -> frozenset[State]:
        """The states a blank may be in for this event to move it."""
        if self.by_reason:
            return frozenset(VOID_REASONS[payload["reason"]])
        return self.sources

    def returns_to(self, payload: Mapping[str, Any], void_reason: str | None) -> bool:
        """Whether a blank voided for ``void_reason`` may go where this event takes it: a
        reversal restores only a state that reason could have voided from."""
        if not self.restores:
            return True
        return payload["state"] in VOID_REASONS.get(void_reason or "", ())

    def changes(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """The blank's attributes after the event, as this event's payload sets them."""
        values: dict[str, Any] = {} if self.target is None else {"state": self.target}
        for attribute, key in self.sets.items():
            values[attribute] = None if key is None else payload[key]
        return values


def moves(*sources: State, to: State | None, one: bool = False, **sets: str | None) -> Transition:
    """Blanks in ``sources`` go to ``to`` (``None``: their state stays)."""
    return Transition(frozenset(sources), to, sets, one)


def voids() -> Transition:
    """Blanks go void; the reason in the payload says from which states."""
    every = frozenset(state for states in VOID_REASONS.values() for state in states)
    return Transition(every, State.VOID, {"void_reason": "reason"}, by_reason=True)


def restores() -> Transition:
    """Void blanks go back to the state the payload names (the one they were voided from)."""
    return Transition(
        frozenset({State.VOID}), None, {"state": "state", "void_reason": None}, restores=True
    )


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of event: who may do it, who else it names, and how it moves blanks.

    ``actor`` lists the roles of which the person acting must hold one (empty: any registered
    person); ``parties`` the payload keys naming other people, with their roles; ``hands``,
    for a kind that hands a terminal to a new custodian, the payload keys of the terminal and
    of the person who holds it from then on.
    """

    kind: Kind
    actor: tuple[str, ...]
    parties: Mapping[str, tuple[str, ...]]
    transition: Transition | None
    hands: tuple[str, str] | None = None

    def moves(self) -> Transition:
        """The transition of a kind that moves blanks."""
        if self.transition is None:
            raise TypeError(f"{self.kind} events move no blank")
        return self.transition


def rule(
    kind: Kind,
    *actor: str,
    moving: Transition | None = None,
    hands: tuple[str, str] | None = None,
    **parties: tuple[str, ...],
) -> Rule:
    return Rule(kind, actor, parties, moving, hands)


def _table(*rules: Rule) -> dict[Kind, Rule]:
    table = {r.kind: r for r in rules}
    if set(table) != set(Kind):
        raise TypeError(f"event kinds without a rule: {sorted(set(Kind) - set(table))}")
    return table


RULES: dict[Kind, Rule] = _table(
    rule(Kind.PERSON_ADDED, "head"),
    rule(Kind.OFFICE_ADDED, "head"),
    rule(Kind.TERMINAL_ADDED, "head"),
    rule(Kind.TYPE_ADDED, "head"),
    rule(Kind.SHIPMENT_RECEIVED, "keeper", checkers=("checker",), head=("head",)),
    rule(
        Kind.ISSUED_OUT,
        "keeper",
        receiver=("operator",),
        head=("head",),
        moving=moves(State.IN_STORE, to=State.WITH_TERMINAL, terminal="terminal"),
        hands=("terminal", "receiver"),
    ),
    rule(Kind.BOX_SEALED, "keeper", head=("head",), moving=moves(State.IN_STORE, to=State.SEALED)),
    rule(Kind.RETURNED_TO_BUREAU, "keeper", moving=moves(State.SEALED, to=State.RETURNED)),
    rule(
        Kind.RETURNED_TO_STORE,
        "keeper",
        handed_by=("operator",),
        moving=moves(State.WITH_TERMINAL, to=State.IN_STORE, terminal=None),
    ),
    rule(
        Kind.TRANSFERRED,
        "keeper",
        "head",
        receiver=("operator",),
        moving=moves(State.WITH_TERMINAL, to=State.WITH_TERMINAL, terminal="target"),
        hands=("target", "receiver"),
    ),
    rule(
        Kind.TRANSFERRED_OFFICE,
        "keeper",
        "head",
        moving=moves(State.IN_STORE, to=State.IN_STORE, office="target"),
    ),
    rule(
        Kind.RESERVED,
        "operator",
        moving=moves(State.WITH_TERMINAL, to=State.RESERVED, one=True),
    ),
    rule(
        Kind.USED,
        "operator",
        moving=moves(State.RESERVED, to=State.USED, one=True, licence_no="licence_no"),
    ),
    rule(Kind.VOIDED, moving=voids()),
    rule(Kind.LOST, moving=moves(*_UNUSED, to=State.LOST)),
    rule(Kind.COUNTED),
    rule(Kind.VOIDS_SEALED, "keeper", head=("head",)),
    rule(
        Kind.DESTROYED,
        approved_by=("head",),
        moving=moves(State.VOID, to=State.DESTROYED),
    ),
    rule(Kind.RECEIPT_ARCHIVED, "keeper"),
    rule(Kind.VOID_PROPOSED),
    rule(Kind.VOID_DECLINED),
    rule(Kind.VOID_REVERSED, approved_by=("head",), moving=restores()),
    rule(Kind.EDITION_SET, "head"),
    rule(Kind.HANDED_OVER, "keeper", handed_to=("operator",), hands=("terminal", "handed_to")),
)
"""Every event kind's rule: the one place a transition or a role check is written."""


T = TypeVar("T")


def reserved(*, type: T, serial: T, terminal: T) -> dict[str, T]:
    """The payload of a ``reserved`` event. The allocator's SQL path passes SQL expressions
    for the values, so both paths write the one shape."""
    return {"type": type, "serial": serial, "terminal": terminal}


def used(*, type: T, serial: T, terminal: T, licence_no: T) -> dict[str, T]:
    """The payload of a ``used`` event (see ``reserved``)."""
    return {"type": type, "serial": serial, "terminal": terminal, "licence_no": licence_no}
