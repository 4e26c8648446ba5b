"""The daily settlement (日结) against the scripted history, worked out by hand, on both
engines; a move no term names is flagged with its serials."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_reports_kit import scripted

import gbt15311.custody.proof._source as source
import gbt15311.custody.reports._settlement as settlement
from gbt15311 import custody
from gbt15311.cli import main
from gbt15311.custody.store._events import Kind
from gbt15311.exceptions import CustodyError


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def history(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[custody.Ledger]:
    with scripted(request.param, request, tmp_path_factory.mktemp("history")) as ledger:
        yield ledger


def figures(record: source.Record, day: date, terminal: str = "T1") -> dict[str, int]:
    (found,) = settlement.settle(record, day, terminal=terminal).days
    return {term: found.count(term) for term in settlement.TERMS if found.count(term)} | {
        "drawn": found.drawn,
        "difference": found.difference,
    }


def test_each_day_settles_as_worked_out_by_hand(history: custody.Ledger) -> None:
    """2025-03-03: 40 issued, 5 used before; 10 printed and 2 misprints that day. 2026-03-20:
    18 left, 2 returned to the store. 2026-02-12: a revoked licence's blank was used long
    ago, so its void is no flow of the terminal."""
    record = source.read(history)
    assert figures(record, date(2025, 1, 7)) == {
        "issued": 40, "closing": 40, "drawn": 40, "difference": 0
    }  # fmt: skip
    assert figures(record, date(2025, 3, 3)) == {
        "opening": 35, "used": 10, "voided": 2, "closing": 23, "drawn": 35, "difference": 0
    }  # fmt: skip
    assert figures(record, date(2026, 2, 12)) == {
        "opening": 18, "closing": 18, "drawn": 18, "difference": 0
    }  # fmt: skip
    (returned,) = settlement.settle(record, date(2026, 3, 20), terminal="T1").days
    assert returned.serials["returned"] == ["00000059", "00000060"]
    assert (returned.drawn, returned.count("closing"), returned.difference) == (18, 16, 0)


def test_a_move_no_term_names_is_a_difference_with_its_serials(history: custody.Ledger) -> None:
    """An event from older records that took two of T1's blanks back to the bureau (a move
    the rules never make from a terminal) is counted in no term: the day does not balance."""
    record = source.read(history)
    last = record.events[-1]
    imported = replace(
        last,
        seq=last.seq + 1,
        kind=Kind.RETURNED_TO_BUREAU,
        payload={"type": "IL", "ranges": [["00000045", "00000046"]], "box": "B1", "note": ""},
    )
    forged = replace(record, events=(*record.events, imported))
    found = settlement.settle(forged, date(2026, 3, 31), terminal="T1")
    (day,) = found.days
    assert not found.in_order
    assert (day.drawn, day.count("closing"), day.difference) == (16, 14, -2)
    assert day.flagged == ["00000045", "00000046"]
    assert [seq for _serial, seq, _kind in day.unnamed] == [imported.seq] * 2


def test_unknown_terminal_or_office_is_refused(history: custody.Ledger) -> None:
    record = source.read(history)
    with pytest.raises(CustodyError, match="'T9' is not registered; terminals: N1, T1, T2"):
        settlement.settle(record, date(2026, 3, 20), terminal="T9")
    with pytest.raises(CustodyError, match="terminal T1 belongs to office SH, not NB"):
        settlement.settle(record, date(2026, 3, 20), office="NB", terminal="T1")


def test_the_command_prints_the_day_and_writes_the_sheet(
    history: custody.Ledger, tmp_path: Path
) -> None:
    url = history.engine.url.render_as_string(hide_password=False)
    target = tmp_path / "day.pdf"
    args = ["custody", "--db", url, "report", "settle", "--on", "2025-03-03", "-o", str(target)]
    result = CliRunner().invoke(main, [*args, "--office", "SH"])
    assert result.exit_code == 0, result.output
    assert "T1\tIL\tdrawn 35: opening 35, issued 0, transferred_in 0, used 10, voided 2" in (
        result.output
    )
    assert target.read_bytes().startswith(b"%PDF")
    target.unlink()
    refused = CliRunner().invoke(main, [*args, "--terminal", "T9"])
    assert refused.exit_code == 1
    assert "Error: terminal 'T9' is not registered" in refused.output
    assert not target.exists()
