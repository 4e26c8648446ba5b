"""The ledger against a simple in-memory model, step by random step, on both engines.

After every step: each serial is where the model says (so in exactly one place), received
blanks are conserved across the states, and the chain and state verify.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from ledgerkit import database_maker, seed
from sqlalchemy import select

from gbt15311 import custody
from gbt15311.custody.store._schema import certificates
from gbt15311.exceptions import NoStock, Refused

TERMINALS = {"T1": "SH", "T2": "SH", "N1": "NB"}
KEEPER = {"SH": "li", "NB": "ma"}
CHECKERS = {"SH": ["li", "zhao"], "NB": ["ma", "hu"]}
OPERATOR = {"SH": "chen", "NB": "xu"}
T = TypeVar("T")


@dataclass
class Blank:
    state: str
    office: str
    terminal: str | None = None


class LedgerMachine(RuleBasedStateMachine):
    """Drives one fresh ledger; ``make_database`` returns its URL and a clean-up."""

    make_database: Callable[[], tuple[str, Callable[[], None]]]

    def __init__(self) -> None:
        super().__init__()
        url, self.clean_up = self.make_database()
        self.ledger = custody.init_ledger(url)
        seed(self.ledger)
        for code, roles in [
            ("ma", ["keeper", "checker"]),
            ("hu", ["checker"]),
            ("xu", ["operator"]),
        ]:
            custody.add_person(self.ledger, code, code, roles, by="wang", office="NB")
        self.model: dict[str, Blank] = {}
        self.boxes: dict[str, list[str]] = {}
        self.next_serial = 1
        self.licences = 0
        self.custodian: dict[str, str] = {}
        self.proposals: dict[int, tuple[str, str]] = {}
        """Open void proposals, by event: the serial and who proposed it."""
        self.voids: dict[int, tuple[str, str]] = {}
        """Voids approved, by event: the serial and the state it was voided from."""
        self.edition: date | None = None
        """The day the new edition starts, once recorded: only then are voids expired."""

    def teardown(self) -> None:
        self.ledger.engine.dispose()
        self.clean_up()

    def serials(self, *states: str, terminal: str | None = None) -> list[str]:
        return sorted(
            serial
            for serial, blank in self.model.items()
            if blank.state in states and (terminal is None or blank.terminal == terminal)
        )

    def hand_over(self, terminal: str, receiver: str, operation: Callable[[], T]) -> T:
        """Blanks change hands only after a handover count: skipping it is refused."""
        held = self.serials("with_terminal", "reserved", terminal=terminal)
        outgoing = self.custodian.get(terminal)
        if held and outgoing is not None and outgoing != receiver:
            with pytest.raises(Refused, match="count them at the handover"):
                operation()
            custody.record_count(
                self.ledger,
                office=TERMINALS[terminal],
                terminal=terminal,
                counted=len(held),
                by=outgoing,
                cadence="handover",
                handed_to=receiver,
            )
        done = operation()
        self.custodian[terminal] = receiver
        return done

    @initialize()
    def first_box(self) -> None:
        self.receive(size=5, damaged=False, office="SH")

    @rule(size=st.integers(1, 6), damaged=st.booleans(), office=st.sampled_from(["SH", "NB"]))
    def receive(self, size: int, damaged: bool, office: str) -> None:
        box = f"B{len(self.boxes) + 1}"
        serials = [f"{n:08d}" for n in range(self.next_serial, self.next_serial + size)]
        self.next_serial += size
        custody.receive_shipment(
            self.ledger,
            office=office,
            shipment=f"W{box}",
            boxes_found=[custody.Box(box, serials[0], serials[-1], packing_damaged=damaged)],
            checkers=CHECKERS[office],
            by=KEEPER[office],
            head="wang",
        )
        self.boxes[box] = serials
        for serial in serials:
            self.model[serial] = Blank("sealed" if damaged else "in_store", office)

    @rule(data=st.data(), terminal=st.sampled_from(sorted(TERMINALS)))
    def issue(self, data: st.DataObject, terminal: str) -> None:
        box = data.draw(st.sampled_from(sorted(self.boxes)))
        in_box = [s for s in self.boxes[box] if s in self.serials("in_store", "sealed")]
        sealed = any(self.model[s].state == "sealed" for s in in_box)
        store = [s for s in in_box if self.model[s].office == TERMINALS[terminal]]
        count = data.draw(st.integers(1, max(1, len(store))))

        def issue_out() -> custody.IssueOut:
            return custody.issue_out(
                self.ledger,
                box=box,
                terminal=terminal,
                by=KEEPER[TERMINALS[terminal]],
                receiver=OPERATOR[TERMINALS[terminal]],
                head="wang",
                count=count,
            )

        if not store or sealed:
            with pytest.raises(Refused):
                issue_out()
            return
        issued = self.hand_over(terminal, OPERATOR[TERMINALS[terminal]], issue_out)
        assert issued.serials == tuple(store[:count])
        for serial in store[:count]:
            self.model[serial] = Blank("with_terminal", self.model[serial].office, terminal)

    @rule(terminal=st.sampled_from(sorted(TERMINALS)))
    def allocate(self, terminal: str) -> None:
        free = self.serials("with_terminal", terminal=terminal)
        if not free:
            with pytest.raises((NoStock, Refused)):
                custody.allocate(self.ledger, terminal)
            return
        assert custody.allocate(self.ledger, terminal).serial == free[0]
        self.model[free[0]].state = "reserved"

    @precondition(lambda self: self.serials("reserved"))
    @rule(data=st.data())
    def confirm(self, data: st.DataObject) -> None:
        serial = data.draw(st.sampled_from(self.serials("reserved")))
        self.licences += 1
        custody.use(self.ledger, serial, licence_no=f"26-31-{self.licences:06d}")
        self.model[serial].state = "used"

    @precondition(lambda self: self.serials("reserved", "used"))
    @rule(data=st.data())
    def spoil(self, data: st.DataObject) -> None:
        serial = data.draw(st.sampled_from(self.serials("reserved", "used")))
        custody.void(self.ledger, serial, reason="misprint", by=OPERATOR[self.model[serial].office])
        self.model[serial].state = "void"

    @rule(data=st.data())
    def use_unreserved(self, data: st.DataObject) -> None:
        """A use without a reservation (second use, lost, in store) writes nothing."""
        candidates = sorted(set(self.model) - set(self.serials("reserved")))
        serial = data.draw(st.sampled_from(candidates))
        before = custody.verify(self.ledger).events
        with pytest.raises(Refused):
            custody.use(self.ledger, serial, licence_no="26-31-999999")
        assert custody.verify(self.ledger).events == before

    @rule(source=st.sampled_from(["T1", "T2"]), count=st.integers(1, 3))
    def transfer(self, source: str, count: int) -> None:
        target = "T2" if source == "T1" else "T1"
        free = self.serials("with_terminal", terminal=source)
        if len(free) < count:
            with pytest.raises(Refused):
                custody.transfer(
                    self.ledger,
                    source=source,
                    target=target,
                    by="li",
                    receiver="liu",
                    count=count,
                )
            return
        self.hand_over(
            target,
            "liu",
            lambda: custody.transfer(
                self.ledger, source=source, target=target, by="li", receiver="liu", count=count
            ),
        )
        for serial in free[:count]:
            self.model[serial].terminal = target

    @precondition(lambda self: self.serials("with_terminal"))
    @rule(data=st.data())
    def return_to_store(self, data: st.DataObject) -> None:
        serial = data.draw(st.sampled_from(self.serials("with_terminal")))
        terminal = self.model[serial].terminal
        assert terminal is not None
        custody.return_to_store(
            self.ledger,
            terminal=terminal,
            by=KEEPER[TERMINALS[terminal]],
            handed_by=OPERATOR[TERMINALS[terminal]],
            serials=[serial],
        )
        self.model[serial] = Blank("in_store", self.model[serial].office)

    @precondition(lambda self: self.serials("in_store"))
    @rule(data=st.data())
    def lend_to_other_office(self, data: st.DataObject) -> None:
        serial = data.draw(st.sampled_from(self.serials("in_store")))
        target = "NB" if self.model[serial].office == "SH" else "SH"
        custody.transfer_to_office(
            self.ledger,
            serials=[serial],
            to_office=target,
            approval="approval 1",
            by=KEEPER[self.model[serial].office],
        )
        self.model[serial].office = target

    @rule(data=st.data())
    def lose(self, data: st.DataObject) -> None:
        serial = data.draw(st.sampled_from(sorted(self.model)))
        if self.model[serial].state in ("used", "void", "lost", "returned"):
            with pytest.raises(Refused):
                custody.report_loss(self.ledger, [serial], by="wang", note="gone")
            return
        custody.report_loss(
            self.ledger, [serial], by=KEEPER[self.model[serial].office], note="gone"
        )
        self.model[serial].state = "lost"

    @precondition(lambda self: self.serials("in_store", "with_terminal"))
    @rule(data=st.data())
    def propose_a_void_by_fire(self, data: st.DataObject) -> None:
        serial = data.draw(st.sampled_from(self.serials("in_store", "with_terminal")))
        office = self.model[serial].office
        with pytest.raises(Refused, match="propose it"):
            custody.void(self.ledger, [serial], reason="fire", by=KEEPER[office])
        seq = custody.propose_void(self.ledger, [serial], reason="fire", by=KEEPER[office])
        self.proposals[seq] = (serial, KEEPER[office])

    @precondition(lambda self: self.proposals)
    @rule(data=st.data(), approve=st.booleans())
    def settle_a_proposal(self, data: st.DataObject, approve: bool) -> None:
        """A second person approves (refused if the blank has moved on) or declines."""
        seq = data.draw(st.sampled_from(sorted(self.proposals)))
        serial, proposer = self.proposals.pop(seq)
        blank = self.model[serial]
        with pytest.raises(Refused, match="second person"):
            custody.approve_void(self.ledger, seq, by=proposer)
        if approve and blank.state in ("in_store", "sealed", "with_terminal", "reserved"):
            void = custody.approve_void(self.ledger, seq, by="wang")
            self.voids[void] = (serial, blank.state)
            blank.state = "void"
            return
        if approve:
            with pytest.raises(Refused, match="cannot be voided"):
                custody.approve_void(self.ledger, seq, by="wang")
        custody.decline_void(self.ledger, seq, by="wang", note="not void")

    @precondition(lambda self: self.voids)
    @rule(data=st.data())
    def reverse_a_void(self, data: st.DataObject) -> None:
        """A head approves putting a mistaken void back where it was."""
        seq = data.draw(st.sampled_from(sorted(self.voids)))
        serial, before = self.voids.pop(seq)
        blank = self.model[serial]
        if blank.state != "void":
            with pytest.raises(Refused):
                custody.reverse_void(self.ledger, seq, by=KEEPER[blank.office], head="wang")
            return
        custody.reverse_void(self.ledger, seq, by=KEEPER[blank.office], head="wang")
        blank.state = before

    @rule(days=st.integers(0, 400))
    def announce_an_edition(self, days: int) -> None:
        """The bureau's notice, recorded as an event; a later one replaces it."""
        starts = date(2027, 1, 1) + timedelta(days=days)
        custody.record_edition(self.ledger, "IL", starts, by="wang", notice=f"notice {days}")
        self.edition = starts

    @precondition(lambda self: self.serials("in_store", "sealed", "with_terminal"))
    @rule(data=st.data())
    def void_an_expired_blank(self, data: st.DataObject) -> None:
        serial = data.draw(st.sampled_from(self.serials("in_store", "sealed", "with_terminal")))
        keeper = KEEPER[self.model[serial].office]
        if self.edition is None:
            with pytest.raises(Refused, match="no new edition of IL is recorded"):
                custody.void(self.ledger, [serial], reason="expired-edition", by=keeper)
            return
        custody.void(self.ledger, [serial], reason="expired-edition", by=keeper)
        self.model[serial].state = "void"

    @rule(terminal=st.sampled_from(sorted(TERMINALS)), to=st.sampled_from(["chen", "liu"]))
    def hand_a_terminal_over(self, terminal: str, to: str) -> None:
        """Custody changes hands with no blank moving: after a count if it holds any."""
        if TERMINALS[terminal] != "SH":
            with pytest.raises(Refused, match="works for office"):
                custody.hand_over(self.ledger, terminal=terminal, to=to, by="li")
            return
        if self.custodian.get(terminal) == to:
            with pytest.raises(Refused, match="already in the custody"):
                custody.hand_over(self.ledger, terminal=terminal, to=to, by="li")
            return
        self.hand_over(
            terminal, to, lambda: custody.hand_over(self.ledger, terminal=terminal, to=to, by="li")
        )

    @precondition(lambda self: self.serials("sealed"))
    @rule(data=st.data())
    def send_back(self, data: st.DataObject) -> None:
        serial = data.draw(st.sampled_from(self.serials("sealed")))
        box = next(box for box, serials in self.boxes.items() if serial in serials)
        custody.return_to_bureau(self.ledger, box=box, by=KEEPER[self.model[serial].office])
        for other in self.boxes[box]:
            if self.model[other].state == "sealed":
                self.model[other] = Blank("returned", self.model[other].office)

    @precondition(lambda self: self.serials("in_store", "with_terminal"))
    @rule(data=st.data())
    def another_office_is_refused(self, data: st.DataObject) -> None:
        serial = data.draw(st.sampled_from(self.serials("in_store", "with_terminal")))
        stranger = KEEPER["NB" if self.model[serial].office == "SH" else "SH"]
        with pytest.raises(Refused, match="works for office"):
            custody.report_loss(self.ledger, [serial], by=stranger, note="not mine")

    @rule(office=st.sampled_from(["SH", "NB"]), terminal=st.sampled_from([None, "T1", "N1"]))
    def count(self, office: str, terminal: str | None) -> None:
        if terminal is not None and TERMINALS[terminal] != office:
            with pytest.raises(Refused):
                custody.record_count(
                    self.ledger, office=office, terminal=terminal, counted=0, by="wang"
                )
            return
        if terminal is None:
            states = ("in_store", "sealed")
            expected = [s for s in self.serials(*states) if self.model[s].office == office]
        else:
            expected = self.serials("with_terminal", "reserved", terminal=terminal)
        result = custody.record_count(
            self.ledger, office=office, terminal=terminal, counted=len(expected), by=KEEPER[office]
        )
        assert result.difference == 0

    @invariant()
    def every_serial_is_where_the_model_says(self) -> None:
        with self.ledger.read() as connection:
            rows = connection.execute(
                select(
                    certificates.c.serial,
                    certificates.c.state,
                    certificates.c.office_code,
                    certificates.c.terminal_code,
                )
            ).all()
        stored = {row.serial: (row.state, row.office_code) for row in rows}
        assert len(stored) == len(rows)
        assert stored == {s: (b.state, b.office) for s, b in self.model.items()}
        for row in rows:
            if row.state in ("with_terminal", "reserved"):
                assert row.terminal_code == self.model[row.serial].terminal

    @invariant()
    def received_blanks_are_conserved(self) -> None:
        balance = custody.stock(self.ledger).get("IL", Counter())
        assert sum(balance.values()) == self.next_serial - 1
        assert set(balance) <= {state.value for state in custody.State}

    @invariant()
    def the_chain_verifies(self) -> None:
        custody.verify(self.ledger)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_ledger_follows_the_model(engine: str, request: pytest.FixtureRequest) -> None:
    LedgerMachine.make_database = staticmethod(database_maker(engine, request, "custody-"))
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
