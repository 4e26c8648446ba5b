"""Counts as the best practice keeps them, on both engines: cadence, rounds of a variance by
different people then a head, the last serial used, and the handover count that cannot be
skipped; refusals write nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner, Result
from ledgerkit import snapshot
from sqlalchemy import select

from gbt15311 import custody
from gbt15311.cli import main
from gbt15311.custody.proof._replay import Replay
from gbt15311.custody.store._events import read_events
from gbt15311.custody.store._schema import terminals
from gbt15311.exceptions import Refused


def refused(ledger: custody.Ledger, operation: Callable[[], Any], message: str) -> None:
    before = snapshot(ledger)
    with pytest.raises(Refused, match=message):
        operation()
    assert snapshot(ledger) == before


def count_t1(ledger: custody.Ledger, counted: int, by: str, **options: Any) -> custody.Count:
    return custody.record_count(
        ledger, office="SH", terminal="T1", counted=counted, by=by, **options
    )


def test_a_variance_is_counted_again_by_another_person_then_by_a_head(
    stocked: custody.Ledger,
) -> None:
    reserved = custody.allocate(stocked, "T1")
    custody.use(stocked, reserved.serial, licence_no="26-31-000001")
    first = count_t1(stocked, 8, "li", cadence="quarterly")
    assert (first.difference, first.round, first.cadence) == (-1, 1, "quarterly")
    assert first.last_used == reserved.serial
    assert first.recount == ()
    refused(stocked, lambda: count_t1(stocked, 8, "li"), "'li' has counted this variance")
    second = count_t1(stocked, 8, "zhao")
    assert (second.round, second.recount) == (2, ("head",))
    refused(stocked, lambda: count_t1(stocked, 8, "chen"), "not head")
    third = count_t1(stocked, 8, "wang")
    assert (third.round, third.recount) == (3, None)
    again = count_t1(stocked, 9, "li")
    assert (again.round, again.difference) == (1, 0)
    assert count_t1(stocked, 9, "li").round == 1  # a count that agreed opens no variance
    custody.verify(stocked)


def test_cadence_and_handover_are_checked_before_anything_is_written(
    stocked: custody.Ledger,
) -> None:
    refused(stocked, lambda: count_t1(stocked, 10, "li", cadence="weekly"), "weekly")
    refused(stocked, lambda: count_t1(stocked, 10, "chen", cadence="handover"), "handover")
    refused(
        stocked,
        lambda: custody.record_count(
            stocked, office="SH", counted=90, by="li", cadence="handover", handed_to="liu"
        ),
        "is of a terminal",
    )
    refused(stocked, lambda: count_t1(stocked, 10, "li", handed_to="liu"), "handover")
    refused(
        stocked,
        lambda: count_t1(stocked, 10, "chen", cadence="handover", handed_to="chen"),
        "to themselves",
    )
    refused(
        stocked,
        lambda: count_t1(stocked, 10, "chen", cadence="handover", handed_to="zhao"),
        "not operator",
    )


def test_a_terminal_changes_hands_only_after_an_agreeing_handover_count(
    stocked: custody.Ledger,
) -> None:
    def issue_to_liu() -> custody.IssueOut:
        return custody.issue_out(
            stocked, box="B1", terminal="T1", by="li", receiver="liu", head="wang", count=5
        )

    def transfer_to_liu() -> object:
        return custody.transfer(stocked, source="T2", target="T1", by="li", receiver="liu", count=1)

    custody.issue_out(
        stocked, box="B1", terminal="T2", by="li", receiver="liu", head="wang", count=2
    )
    refused(stocked, issue_to_liu, "holds 10 blanks of IL in the custody of chen")
    refused(stocked, transfer_to_liu, "count them at the handover to liu")
    count_t1(stocked, 9, "chen", cadence="handover", handed_to="liu")  # short: no handover
    refused(stocked, issue_to_liu, "count them at the handover")
    count_t1(stocked, 10, "zhao", cadence="handover", handed_to="liu")
    custody.allocate(stocked, "T1")  # a move after the count: it no longer holds
    refused(stocked, issue_to_liu, "count them at the handover")
    count_t1(stocked, 10, "chen", cadence="handover", handed_to="liu")
    issue_to_liu()
    custody.transfer(stocked, source="T2", target="T1", by="li", receiver="liu", count=1)
    custody.verify(stocked)


def test_a_terminal_that_holds_nothing_changes_hands_without_a_count(
    stocked: custody.Ledger,
) -> None:
    """Nothing at the terminal, nothing to hand over: blanks moved to an emptied terminal
    under another person need no count (a terminal once held blanks, then gave them all)."""
    custody.issue_out(
        stocked, box="B1", terminal="T2", by="li", receiver="liu", head="wang", count=2
    )
    custody.transfer(stocked, source="T2", target="T1", by="li", receiver="chen", count=2)
    custody.record_count(stocked, office="SH", terminal="T2", counted=0, by="liu")
    custody.transfer(stocked, source="T1", target="T2", by="li", receiver="chen", count=1)
    assert custody.stock(stocked, terminal="T2")["IL"]["with_terminal"] == 1
    custody.verify(stocked)


def test_a_terminal_handed_over_without_blanks_moving_is_recorded(
    stocked: custody.Ledger,
) -> None:
    """Every change of custodian is an event, also for a terminal holding nothing, so the
    chain of who held each terminal is complete; one holding blanks still needs its count."""
    refused(stocked, lambda: hand(stocked, "T2", "liu", by="liu"), "different people")
    refused(stocked, lambda: hand(stocked, "T2", "zhao"), "not operator")
    refused(stocked, lambda: hand(stocked, "T2", "liu", by="chen"), "not keeper")
    refused(stocked, lambda: hand(stocked, "T9", "liu"), "'T9' is not registered")
    first = hand(stocked, "T2", "liu")  # nobody held it yet
    refused(stocked, lambda: hand(stocked, "T2", "liu"), "already in the custody of liu")
    second = hand(stocked, "T2", "chen", note="liu on leave")  # empty: no count needed
    refused(stocked, lambda: hand(stocked, "T1", "liu"), "count them at the handover to liu")
    count = count_t1(stocked, 10, "chen", cadence="handover", handed_to="liu")
    third = hand(stocked, "T1", "liu")
    with stocked.read() as connection:
        handed = {e.seq: e for e in read_events(connection) if e.kind == "handed_over"}
        rows = connection.execute(select(terminals.c.code, terminals.c.custodian)).all()
    custodians = {code: custodian for code, custodian in rows}
    assert [
        (e.payload["terminal"], e.payload["handed_by"], e.payload["handed_to"])
        for e in handed.values()
    ] == [("T2", None, "liu"), ("T2", "liu", "chen"), ("T1", "chen", "liu")]
    assert list(handed) == [first, second, third]
    assert [e.payload["counts"] for e in handed.values()] == [[], [], [count.seq]]
    assert handed[second].payload["note"] == "liu on leave"
    assert custodians == {"T1": "liu", "T2": "chen", "N1": None}
    assert custody.allocate(stocked, "T1").actor == "liu"  # the new custodian acts
    replayed = Replay()
    with stocked.read() as connection:
        for event in read_events(connection):
            replayed.apply(event)
    assert {code: row[2] for code, row in replayed.terminals.items()} == custodians
    custody.verify(stocked)


def test_the_handover_command(stocked: custody.Ledger) -> None:
    url = stocked.engine.url.render_as_string(hide_password=False)

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, ["custody", "--db", url, "handover", *args])

    before = snapshot(stocked)
    short = run("--terminal", "T1", "--to", "liu", "--by", "li")
    assert short.exit_code == 1
    assert "Error: terminal T1 holds 10 blanks of IL in the custody of chen" in short.output
    assert run("--terminal", "T2", "--by", "li").exit_code == 2
    assert snapshot(stocked) == before
    number = custody.verify(stocked).events + 1
    done = run("--terminal", "T2", "--to", "liu", "--by", "li")
    assert (done.exit_code, done.stdout) == (
        0,
        f"terminal T2 handed over to liu (event {number})\n",
    )


def hand(ledger: custody.Ledger, terminal: str, to: str, by: str = "li", note: str = "") -> int:
    return custody.hand_over(ledger, terminal=terminal, to=to, by=by, note=note)
