"""Blanks in and out of each office's hands over a period, and the conservation identity.

Per type and office: opening + received + transferred in - used - voided - lost -
transferred out - returned to the bureau = closing, where "in hand" means in the store
(sealed boxes included), with a terminal, or reserved. Two facts are ours: blanks sent back
to the bureau (Art. 24, 26) leave by their own term, and a void of a blank already used (a
revoked licence, a misprint found after use) is shown as ``revoked``, outside the identity,
because that blank left the office's hands when it was used. A void reversed
(``void_reversed``) is the same term with the opposite sign: in a period holding both, the
void counts nothing; a reversal of an earlier period's void counts minus one there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from gbt15311.custody.lifecycle import ON_HAND
from gbt15311.custody.proof._timeline import Move, Timeline
from gbt15311.custody.store._events import Event, china_date
from gbt15311.custody.store._schema import State

IN_TERMS = ("received", "transferred_in")
OUT_TERMS = ("used", "voided", "lost", "transferred_out", "returned")


class Flow(NamedTuple):
    """One blank entering or leaving an office's hands (or, as ``revoked``, voided after use);
    a tuple, the quickest made: a year's report makes one per blank received."""

    day: date
    type: str
    office: str
    term: str
    serial: str
    reason: str | None
    event: Event
    sign: int = 1
    """``-1`` for a void reversed: it takes back a ``voided`` or ``revoked`` flow."""


def classify(move: Move) -> tuple[Flow, ...]:
    """The flows of one move: none for moves inside an office (issue, reserve, seal…)."""
    before, after = move.before, move.after
    type_code, serial = move.key
    if before is None:
        if after.state in ON_HAND:
            return (Flow(move.day, type_code, after.office, "received", serial, None, move.event),)
        return ()

    def flow(office: str, term: str, reason: str | None = None, sign: int = 1) -> Flow:
        return Flow(move.day, type_code, office, term, serial, reason, move.event, sign)

    found = []
    if before.state == State.USED and after.state == State.VOID:
        found.append(flow(before.office, "revoked", after.void_reason))
    if before.state == State.VOID:  # a void reversed: the void's own flow, taken back
        undone = "voided" if after.state in ON_HAND else "revoked"
        return (flow(after.office, undone, before.void_reason, sign=-1),)
    if before.state not in ON_HAND:
        return tuple(found)
    if after.state in ON_HAND:
        if after.office != before.office:
            found += (flow(before.office, "transferred_out"), flow(after.office, "transferred_in"))
    elif after.state == State.VOID:
        found.append(flow(before.office, "voided", after.void_reason))
    else:
        term = {State.USED: "used", State.LOST: "lost", State.RETURNED: "returned"}
        found.append(flow(before.office, term[State(after.state)]))
    return tuple(found)


@dataclass
class Balance:
    """One type at one office over a period: what was in hand at each end, and the flows."""

    type: str
    office: str
    opening: set[str] = field(default_factory=set)
    closing: set[str] = field(default_factory=set)
    flows: list[Flow] = field(default_factory=list)
    _terms: Counter[str] = field(default_factory=Counter, repr=False, compare=False)
    _counted: int = field(default=0, repr=False, compare=False)
    """How many of ``flows`` ``_terms`` counts: flows are only ever appended, and a year of a
    big ledger has half a million, so each term is not counted again for every figure."""

    def count(self, term: str) -> int:
        if term == "opening":
            return len(self.opening)
        if term == "closing":
            return len(self.closing)
        if self._counted != len(self.flows):
            for flow in self.flows[self._counted :]:
                self._terms[flow.term] += flow.sign
            self._counted = len(self.flows)
        return self._terms[term]

    def by_reason(self, term: str) -> Counter[str]:
        found: Counter[str] = Counter()
        for flow in self.flows:
            if flow.term == term:
                found[str(flow.reason)] += flow.sign
        return found

    @property
    def computed_closing(self) -> int:
        """The closing stock the identity gives from the opening stock and the flows."""
        return (
            len(self.opening)
            + sum(self.count(term) for term in IN_TERMS)
            - sum(self.count(term) for term in OUT_TERMS)
        )

    @property
    def holds(self) -> bool:
        return self.computed_closing == len(self.closing)

    def unexplained(self) -> list[tuple[str, int]]:
        """Serials whose flows do not lead from the opening to the closing stock, with the
        difference each makes (closing minus computed)."""
        net: Counter[str] = Counter({serial: 1 for serial in self.opening})
        for flow in self.flows:
            if flow.term in IN_TERMS:
                net[flow.serial] += flow.sign
            elif flow.term in OUT_TERMS:
                net[flow.serial] -= flow.sign
        serials = sorted(set(net) | self.closing)
        wrong = [(s, (s in self.closing) - net[s]) for s in serials]
        return [(serial, diff) for serial, diff in wrong if diff]


def balances(
    events: Sequence[Event], first_day: date, timeline: Timeline | None = None
) -> dict[tuple[str, str], Balance]:
    """Per ``(type, office)``: the opening stock before ``first_day``, the flows from then to
    the end of ``events``, and the closing stock. ``timeline`` receives the fold."""
    fold = timeline if timeline is not None else Timeline()
    split = next((i for i, e in enumerate(events) if china_date(e.at) >= first_day), len(events))
    fold.settle(events[:split])
    result: dict[tuple[str, str], Balance] = {}

    def balance(type_code: str, office: str) -> Balance:
        found = result.get((type_code, office))
        if found is None:
            found = result[(type_code, office)] = Balance(type_code, office)
        return found

    for (type_code, office), serials in _in_hand(fold).items():
        balance(type_code, office).opening.update(serials)
    for move in fold.run(events[split:]):
        for flow in classify(move):
            balance(flow.type, flow.office).flows.append(flow)
    for (type_code, office), serials in _in_hand(fold).items():
        balance(type_code, office).closing.update(serials)
    for type_code in fold.formats:
        for office in fold.offices:
            balance(type_code, office)
    return dict(sorted(result.items()))


def _in_hand(fold: Timeline) -> dict[tuple[str, str], list[str]]:
    """The serials in hand, per type and office."""
    found: dict[tuple[str, str], list[str]] = {}
    for (type_code, serial), blank in fold.blanks.items():
        if blank.state in ON_HAND:
            found.setdefault((type_code, blank.office), []).append(serial)
    return found
