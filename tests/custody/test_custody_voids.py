"""Second-person voids on both engines: propose, approve, decline, reverse; refusals write
nothing; replay and verify read the new events through the lifecycle table."""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pikepdf.pdfa
import pytest
from click.testing import CliRunner, Result
from ledgerkit import snapshot

import gbt15311.custody.proof._source as source
import gbt15311.custody.reports._annual as annual
import gbt15311.custody.reports._export as export
import gbt15311.custody.reports._registers as registers
import gbt15311.custody.reports._selfcheck as selfcheck
import gbt15311.custody.reports._settlement as settlement
from gbt15311 import custody
from gbt15311.cli import main
from gbt15311.custody.lifecycle import ON_HAND
from gbt15311.custody.proof._replay import Replay, ReplayError
from gbt15311.custody.store._events import china_date, read_events
from gbt15311.custody.workdays import default_calendar
from gbt15311.exceptions import Refused


def refused(ledger: custody.Ledger, operation: Callable[[], Any], message: str) -> None:
    before = snapshot(ledger)
    with pytest.raises(Refused, match=message):
        operation()
    assert snapshot(ledger) == before


def state(ledger: custody.Ledger, serial: str) -> str:
    return custody.where(ledger, serial).state


def test_a_void_the_policy_names_needs_a_second_person(stocked: custody.Ledger) -> None:
    refused(
        stocked,
        lambda: custody.void(stocked, "00000002", reason="fire", by="li"),
        "approves it: propose it instead",
    )
    proposal = custody.propose_void(stocked, ["00000002", "00000003"], reason="fire", by="chen")
    assert state(stocked, "00000002") == "with_terminal"
    [listed] = custody.open_proposals(stocked)
    assert (listed.seq, listed.actor, listed.ranges) == (
        proposal,
        "chen",
        (("00000002", "00000003"),),
    )
    refused(stocked, lambda: custody.approve_void(stocked, proposal, by="chen"), "second person")
    refused(stocked, lambda: custody.approve_void(stocked, proposal, by="li"), "not head")
    seq = custody.approve_void(stocked, proposal, by="wang")
    assert state(stocked, "00000003") == "void"
    assert custody.where(stocked, "00000003").void_reason == "fire"
    assert custody.open_proposals(stocked) == []
    refused(stocked, lambda: custody.approve_void(stocked, proposal, by="wang"), "already approved")
    refused(stocked, lambda: custody.approve_void(stocked, seq, by="wang"), "not a void_proposed")
    custody.verify(stocked)


def test_a_replaced_policy_decides_who_approves(stocked: custody.Ledger) -> None:
    policy = {"misprint": ("keeper",)}
    reserved = custody.allocate(stocked, "T1")
    refused(
        stocked,
        lambda: custody.void(stocked, reserved.serial, reason="misprint", by="chen", policy=policy),
        "keeper",
    )
    proposal = custody.propose_void(stocked, reserved.serial, reason="misprint", by="chen")
    refused(
        stocked,
        lambda: custody.approve_void(stocked, proposal, by="wang", policy=policy),
        "not keeper",
    )
    custody.approve_void(stocked, proposal, by="li", policy=policy)
    assert state(stocked, reserved.serial) == "void"


def test_a_declined_proposal_moves_nothing_and_closes(stocked: custody.Ledger) -> None:
    proposal = custody.propose_void(stocked, "00000004", reason="water", by="chen")
    refused(stocked, lambda: custody.decline_void(stocked, proposal, by="liu"), "not head")
    custody.decline_void(stocked, proposal, by="chen", note="dried out, usable")
    assert state(stocked, "00000004") == "with_terminal"
    assert custody.open_proposals(stocked) == []
    refused(stocked, lambda: custody.approve_void(stocked, proposal, by="wang"), "declined")
    custody.verify(stocked)


def test_a_proposal_whose_blank_moved_is_refused_at_approval(stocked: custody.Ledger) -> None:
    proposal = custody.propose_void(stocked, "00000001", reason="fire", by="chen")
    custody.report_loss(stocked, ["00000001"], by="li", note="gone")
    refused(stocked, lambda: custody.approve_void(stocked, proposal, by="wang"), "since the")


def test_a_reversal_puts_each_blank_back_where_it_was_voided_from(
    stocked: custody.Ledger,
) -> None:
    reserved = custody.allocate(stocked, "T1")
    proposal = custody.propose_void(stocked, [reserved.serial, "00000005"], reason="fire", by="li")
    void = custody.approve_void(stocked, proposal, by="wang")
    refused(
        stocked,
        lambda: custody.reverse_void(stocked, void, by="wang", head="wang"),
        "other than who asks",
    )
    refused(stocked, lambda: custody.reverse_void(stocked, void, by="wang", head="li"), "not head")
    reversals = custody.reverse_void(stocked, void, by="li", head="wang", note="wrong serials")
    assert len(reversals) == 2
    assert state(stocked, reserved.serial) == "reserved"
    assert state(stocked, "00000005") == "with_terminal"
    assert custody.where(stocked, "00000005").void_reason is None
    assert [e.kind for e in custody.where(stocked, "00000005").history][-2:] == [
        "voided",
        "void_reversed",
    ]
    refused(
        stocked, lambda: custody.reverse_void(stocked, void, by="li", head="wang"), "since void"
    )
    custody.verify(stocked)


def test_a_sealed_void_is_not_reversed(stocked: custody.Ledger) -> None:
    void = custody.void(stocked, "00000050", reason="fire", by="li", policy={})
    custody.seal(stocked, register="voids", head="wang", by="li", office="SH")
    refused(stocked, lambda: custody.reverse_void(stocked, void, by="li", head="wang"), "sealed")


def test_replay_refuses_a_forged_reversal_to_a_state_never_voided_from(
    stocked: custody.Ledger,
) -> None:
    """The table, not the operation, decides: a reversal of a misprint cannot restore an
    unused blank, even in an event whose chain was recomputed."""
    reserved = custody.allocate(stocked, "T1")
    void = custody.void(stocked, reserved.serial, reason="misprint", by="chen")
    [reversal] = custody.reverse_void(stocked, void, by="li", head="wang")
    with stocked.read() as connection:
        recorded = list(read_events(connection))
    honest = Replay()
    for event in recorded:
        honest.apply(event)
    forged = Replay()
    for event in recorded:
        if event.seq == reversal:
            event = replace(event, payload={**event.payload, "state": "with_terminal"})
        if event.seq < reversal:
            forged.apply(event)
        else:
            with pytest.raises(ReplayError, match="cannot go from void to with_terminal"):
                forged.apply(event)


def test_the_commands_propose_list_approve_and_reverse(stocked: custody.Ledger) -> None:
    url = stocked.engine.url.render_as_string(hide_password=False)

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, ["custody", "--db", url, *args])

    proposed = run("void", "00000006", "--reason", "insects", "--by", "chen")
    assert proposed.exit_code == 0, proposed.output
    assert "proposed for voiding as insects" in proposed.stdout
    [proposal] = custody.open_proposals(stocked)
    listed = run("proposals")
    assert listed.exit_code == 1
    assert f"{proposal.seq}\tIL 00000006\tinsects\tproposed " in listed.stdout
    assert "by chen" in listed.stdout
    own = run("approve-void", str(proposal.seq), "--by", "chen")
    assert own.exit_code == 1
    assert "a second person must approve it" in own.output
    approved = run("approve-void", str(proposal.seq), "--by", "wang")
    assert approved.exit_code == 0, approved.output
    assert run("proposals").exit_code == 0
    void = approved.stdout.split("(event ")[1].rstrip(")\n")
    reversed_ = run("reverse-void", void, "--head", "wang", "--by", "li")
    assert reversed_.exit_code == 0, reversed_.output
    assert state(stocked, "00000006") == "with_terminal"
    again = run("void", "00000007", "--reason", "water", "--by", "chen")
    number = again.stdout.split("(event ")[1].split(")")[0]
    declined = run("decline-void", number, "--by", "chen", "--note", "dry")
    assert declined.exit_code == 0, declined.output
    assert run("proposals").exit_code == 0


def test_the_self_check_shows_an_open_proposal_until_it_is_settled(
    stocked: custody.Ledger,
) -> None:
    def problems() -> list[str]:
        day = stocked.clock().date()
        found = selfcheck.self_check(stocked, None, day, default_calendar())
        return [problem for point in found.points for problem in point.problems]

    proposal = custody.propose_void(stocked, "00000008", reason="fire", by="chen")
    assert any(f"void proposal {proposal} " in problem for problem in problems())
    custody.decline_void(stocked, proposal, by="wang")
    assert not any("void proposal" in problem for problem in problems())


def test_a_misprint_printed_again_is_not_put_back_on_its_first_blank(
    stocked: custody.Ledger,
) -> None:
    spoilt = custody.allocate(stocked, "T1")
    custody.use(stocked, spoilt.serial, licence_no="26-31-000001")
    void = custody.void(stocked, spoilt.serial, reason="misprint", by="chen")
    again = custody.allocate(stocked, "T1")
    custody.use(stocked, again.serial, licence_no="26-31-000001")
    refused(
        stocked,
        lambda: custody.reverse_void(stocked, void, by="li", head="wang"),
        f"printed on serial {again.serial} since",
    )


def settled_at_once(*acts: Callable[[], Any]) -> list[str]:
    """Run ``acts`` in threads released at the same moment; what each came to."""
    start = threading.Barrier(len(acts))
    outcomes: list[str] = []

    def settle(act: Callable[[], Any]) -> None:
        start.wait()
        try:
            act()
            outcomes.append("done")
        except Refused:
            outcomes.append("refused")

    threads = [threading.Thread(target=settle, args=(act,)) for act in acts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_an_approval_and_a_decline_at_once_settle_a_proposal_once(
    stocked: custody.Ledger,
) -> None:
    """Two people settle one proposal at the same moment, one approving, the other (its
    proposer) withdrawing it: exactly one of them wins, whatever the engine."""
    for serial in ("00000002", "00000003", "00000004", "00000005", "00000006"):
        proposal = custody.propose_void(stocked, serial, reason="fire", by="chen")
        outcomes = settled_at_once(
            functools.partial(custody.approve_void, stocked, proposal, by="wang"),
            functools.partial(custody.decline_void, stocked, proposal, by="chen"),
        )
        assert outcomes == ["done", "refused"], serial
        assert custody.open_proposals(stocked) == []
    custody.verify(stocked)


def test_a_reversed_void_is_listed_as_reversed_and_counted_nowhere(
    stocked: custody.Ledger,
) -> None:
    """Every register and total that lists voids sees the reversal: the 附件6 row is marked
    reversed and left out of its count, and the annual usage, the day's settlement and the
    export net it out, agreeing with the state table."""
    proposal = custody.propose_void(stocked, ["00000002", "00000003"], reason="fire", by="chen")
    undone = custody.approve_void(stocked, proposal, by="wang")
    [reversal] = custody.reverse_void(stocked, undone, by="li", head="wang", note="dry")
    standing = custody.void(stocked, "00000009", reason="water", by="li", policy={})
    record = source.read(stocked)
    today = china_date(record.events[-1].at)

    register = registers.sealing_register(record, "SH", expired=False)
    rows = {row[1]: row for row in register.tables[0].rows}
    assert set(rows) == {str(undone), str(standing)}
    assert rows[str(undone)][4] == "(2)\n撤销"
    assert rows[str(undone)][7].startswith(f"已撤销 REVERSED #{reversal} {today} 王主任")
    assert rows[str(standing)][4] == "1"
    stored_voids = custody.stock(stocked)["IL"]["void"]
    assert dict(register.fields)["作废 Voids"].startswith(f"{stored_voids}（另撤销 2 reversed")

    balance = annual.annual_usage(record, today.year, "SH").balances[0]
    assert balance.count("voided") == stored_voids == 1
    assert balance.by_reason("voided") == {"fire": 0, "water": 1}
    assert balance.holds
    assert len(balance.closing) == sum(
        n for state, n in custody.stock(stocked)["IL"].items() if state in ON_HAND
    )

    [day] = settlement.settle(record, today, "SH", "T1").days
    assert (day.count("voided"), day.serials["voided"]) == (1, ["00000009"])
    assert day.difference == 0

    found = export.export(record, today, today)
    assert (found.totals()["voided"], found.totals()["void_reversed"]) == (3, 2)
    [back] = [line for line in found.lines if line.what == "void_reversed"]
    assert (back.first, back.last, back.reference) == ("00000002", "00000003", f"void #{undone}")
    assert back.reason == "fire"  # the reason of the void undone


def test_a_void_reversed_on_a_later_day_counts_minus_one_that_day(
    stocked: custody.Ledger,
) -> None:
    """The void stands in the day it was made; the day of its reversal takes it back."""
    void = custody.void(stocked, "00000004", reason="fire", by="li", policy={})
    record = source.read(stocked)
    day = china_date(record.events[-1].at)
    later = custody.Ledger(stocked.engine, lambda: stocked.clock() + timedelta(days=1))
    custody.reverse_void(later, void, by="li", head="wang")
    record = source.read(stocked)
    [first] = settlement.settle(record, day, "SH", "T1").days
    [second] = settlement.settle(record, day + timedelta(days=1), "SH", "T1").days
    assert (first.count("voided"), second.count("voided")) == (1, -1)
    assert first.difference == second.difference == 0
    assert second.taken_back == {"voided": ["00000004"]}


def test_the_proposals_sheet_lists_what_waits_for_a_second_person(
    stocked: custody.Ledger, tmp_path: Path
) -> None:
    """The sheet is PDF/A like every register; it names each open proposal, its serials and
    who may approve it, and leaves out those settled."""
    url = stocked.engine.url.render_as_string(hide_password=False)
    target = tmp_path / "proposals.pdf"
    waiting = custody.propose_void(
        stocked, ["00000002", "00000003"], reason="fire", by="chen", note="burnt edge"
    )
    settled = custody.propose_void(stocked, "00000004", reason="water", by="chen")
    custody.decline_void(stocked, settled, by="wang")
    result = CliRunner().invoke(main, ["custody", "--db", url, "proposals", "--sheet", str(target)])
    assert result.exit_code == 1  # a proposal is open
    record = source.read(stocked)
    assert f"{target}: 待审批作废申请, event #{record.seq}, head {record.head}" in result.stdout
    with pikepdf.open(target) as document:
        assert pikepdf.pdfa.check(document, "2b").verdict == "pass"
    [page] = pages_of(target.read_bytes())
    assert "待审批 Open：1" in page
    row = next(line for line in page.splitlines() if line.startswith(f"{waiting} "))
    assert ("00000002..00000003" in row, "2" in row.split(), "head" in row) == (True, True, True)
    assert "陈操作 (chen)" in page
    assert "burnt edge" in page
    assert not any(line.startswith(f"{settled} ") for line in page.splitlines())
    custody.approve_void(stocked, waiting, by="wang")
    empty = CliRunner().invoke(main, ["custody", "--db", url, "proposals", "--sheet", str(target)])
    assert empty.exit_code == 0, empty.output
    assert "待审批 Open：0" in pages_of(target.read_bytes())[0]


def pages_of(document: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(document)) as opened:
        return [page.extract_text() or "" for page in opened.pages]
