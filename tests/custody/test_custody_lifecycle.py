"""The lifecycle table is the one place a transition, a void reason or a role is written:
the operations refuse what it forbids, and the replay behind ``verify`` and the report
timelines fold the events through it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from gbt15311 import custody
from gbt15311.custody import lifecycle
from gbt15311.custody.lifecycle import RULES, Kind, State
from gbt15311.custody.proof._source import read
from gbt15311.custody.proof._timeline import Timeline
from gbt15311.exceptions import LedgerCorrupt, Refused

CUSTODY = Path(lifecycle.__file__).parent
DOCS = Path(__file__).parents[2] / "docs"


def test_every_event_kind_has_one_rule() -> None:
    assert set(RULES) == set(Kind)
    assert all(rule.kind is kind for kind, rule in RULES.items())


def test_each_void_reason_moves_from_its_own_states() -> None:
    voiding = RULES[Kind.VOIDED].moves()
    for reason, states in lifecycle.VOID_REASONS.items():
        assert voiding.allowed({"reason": reason}) == frozenset(states)
    assert set(lifecycle.VOID_WORDS) == set(lifecycle.VOID_REASONS)


def _spelt(pattern: str) -> list[str]:
    """The custody modules but the table that match ``pattern`` (migrations are history and
    keep their own words)."""
    return [
        path.relative_to(CUSTODY).as_posix()
        for path in sorted(CUSTODY.rglob("*.py"))
        if "migrations" not in path.parts
        and path.name != "lifecycle.py"
        and re.search(pattern, path.read_text("utf-8"))
    ]


@pytest.mark.parametrize("state", list(State))
def test_no_state_is_spelt_outside_the_table(state: State) -> None:
    """Not in SQL (``'used'``), nor as a Python string where the state is meant; the words
    the reports print for flows (``"used"``, ``"lost"``) are their own vocabulary."""
    assert _spelt(f"'{state}'") == []
    if "_" in state:
        assert _spelt(f'"{state}"') == []


@pytest.mark.parametrize("reason", list(lifecycle.VOID_REASONS))
def test_no_void_reason_is_spelt_outside_the_table(reason: str) -> None:
    assert _spelt(f"[\"']{reason}[\"']") == []


@pytest.mark.parametrize("role", lifecycle.ROLES)
def test_no_role_check_is_written_outside_the_table(role: str) -> None:
    assert _spelt(rf'person\(\s*\w+,\s*\w+,\s*"{role}"') == []
    assert _spelt(f"' {role} '") == []


def test_the_operations_and_the_replay_read_the_table(
    stocked: custody.Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A blank at a terminal may be lost; with the table saying otherwise, the operation
    refuses it, and a loss already written no longer replays."""
    custody.report_loss(stocked, ["00000002"], by="li", note="gone")
    lost = RULES[Kind.LOST]
    stricter = dataclasses.replace(
        lost, transition=dataclasses.replace(lost.moves(), sources=frozenset({State.IN_STORE}))
    )
    monkeypatch.setitem(RULES, Kind.LOST, stricter)
    with pytest.raises(Refused, match="00000003 is with_terminal; it cannot be lost"):
        custody.report_loss(stocked, ["00000003"], by="li", note="gone")
    with pytest.raises(LedgerCorrupt, match="cannot go from with_terminal to lost"):
        custody.verify(stocked)


def test_the_report_timeline_moves_blanks_as_the_table_says(
    stocked: custody.Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    custody.report_loss(stocked, ["00000002"], by="li", note="gone")
    events = read(stocked).events
    assert Timeline().settle(events).blanks[("IL", "00000002")].state == State.LOST
    lost = RULES[Kind.LOST]
    to_void = dataclasses.replace(
        lost, transition=dataclasses.replace(lost.moves(), target=State.VOID)
    )
    monkeypatch.setitem(RULES, Kind.LOST, to_void)
    assert Timeline().settle(events).blanks[("IL", "00000002")].state == State.VOID


def test_the_documented_void_reasons_are_the_table() -> None:
    text = (DOCS / "custody.md").read_text("utf-8")
    section = text.split("Void reasons, and the states each may void from:", 1)[1]
    documented = {}
    for line in section.split("\n\n", 2)[1].splitlines()[2:]:
        codes, _meaning, states = (cell.strip() for cell in line.strip("|").split("|"))
        for code in re.findall(r"`([\w-]+)`", codes):
            documented[code] = {State(word.strip().replace(" ", "_")) for word in states.split(",")}
    assert documented == {code: set(states) for code, states in lifecycle.VOID_REASONS.items()}
