"""The export for the central system: the scripted history's first quarter of 2026 on both
engines, the chain head it carries, and CSV and JSON that say the same for any text."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from test_reports_kit import scripted

import gbt15311.custody.proof._source as source
import gbt15311.custody.reports._export as export
from gbt15311 import custody
from gbt15311.cli import main
from gbt15311.exceptions import CustodyError

Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def history(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[custody.Ledger]:
    with scripted(request.param, request, tmp_path_factory.mktemp("history")) as ledger:
        yield ledger


def test_the_quarter_as_worked_out_by_hand(history: custody.Ledger) -> None:
    """W2's two boxes (B3 sealed on arrival, received all the same), ten licences printed,
    licence 25-31-000009 revoked; the head is the ledger's at the end of 31 March."""
    found = export.export(source.read(history), *Q1, office="SH")
    assert found.totals() == {
        "received": 110,
        "used": 10,
        "voided": 1,
        "lost": 0,
        "destroyed": 0,
        "void_reversed": 0,
    }
    assert found.record.head == source.read(history, Q1[1]).head
    received = [(x.first, x.last, x.count, x.reference) for x in found.lines[:2]]
    assert received == [
        ("00000101", "00000200", 100, "W2 B2"),
        ("00000201", "00000210", 10, "W2 B3"),
    ]
    (revoked,) = [line for line in found.lines if line.what == "voided"]
    assert (revoked.first, revoked.licence_no, revoked.reason, revoked.day) == (
        "00000009",
        "25-31-000009",
        "not-collected",
        "2026-02-12",
    )
    assert [line.licence_no for line in found.lines if line.what == "used"][:2] == [
        "25-31-000100",
        "25-31-000101",
    ]
    assert export.export(source.read(history), *Q1, office="NB").lines == ()
    year = export.export(source.read(history), date(2025, 1, 1), date(2025, 12, 31))
    assert year.totals() == {
        "received": 100,
        "used": 30,
        "voided": 4,
        "lost": 1,
        "destroyed": 0,
        "void_reversed": 0,
    }


def test_the_command_writes_either_format_and_refuses_a_bad_period(
    history: custody.Ledger, tmp_path: Path
) -> None:
    url = history.engine.url.render_as_string(hide_password=False)
    base = ["custody", "--db", url, "report", "export", "--from", "2026-01-01"]
    target = tmp_path / "q1.csv"
    result = CliRunner().invoke(
        main, [*base, "--to", "2026-03-31", "--format", "csv", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert (
        "13 records (received 110, used 10, voided 1, lost 0, destroyed 0, void_reversed 0)"
        in result.output
    )
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 13
    assert {row["head"] for row in rows} == {source.read(history, Q1[1]).head}
    as_json = tmp_path / "q1.json"
    CliRunner().invoke(main, [*base, "--to", "2026-03-31", "-o", str(as_json)])
    document = json.loads(as_json.read_text(encoding="utf-8"))
    assert document["records"] == [
        {**row, "count": int(row["count"]), "seq": int(row["seq"])}
        for row in ({k: v for k, v in r.items() if k not in ("head_seq", "head")} for r in rows)
    ]
    late = tmp_path / "late.json"
    refused = CliRunner().invoke(main, [*base, "--to", "2025-12-31", "-o", str(late)])
    assert refused.exit_code == 1
    assert "the period ends on 2025-12-31, before it starts on 2026-01-01" in refused.output
    unknown = CliRunner().invoke(
        main, [*base, "--to", "2026-03-31", "--office", "XX", "-o", str(late)]
    )
    assert unknown.exit_code == 1
    assert "office 'XX' is not registered; offices: NB, SH" in unknown.output
    assert not late.exists()


@given(st.lists(st.text(st.characters(exclude_categories=())), min_size=1, max_size=4))
def test_csv_and_json_carry_any_text_unchanged(notes: list[str]) -> None:
    """Notes with commas, quotes, line breaks, NULs or lone surrogates come back as written."""
    record = source.Record((), 7, "ab" * 32)
    fixed = {"what": "voided", "day": "2026-01-01", "at": "t", "office": "SH", "type": "IL"}
    run = {"first": "1", "last": "1", "count": 1, "terminal": "T1", "licence_no": ""}
    event = {"reason": "fire", "reference": "", "actor": "li", "seq": 3, "hash": "cd" * 32}
    lines = tuple(export.Line(**fixed, **run, **event, note=note) for note in notes)  # type: ignore[arg-type]
    found = export.Export(date(2026, 1, 1), date(2026, 1, 1), None, lines, record)
    rows = list(csv.DictReader(io.StringIO(found.csv(), newline="")))
    assert [row["note"] for row in rows] == notes
    assert [r["note"] for r in json.loads(found.json())["records"]] == notes


def test_a_period_the_wrong_way_round_is_refused(history: custody.Ledger) -> None:
    with pytest.raises(CustodyError, match="before it starts"):
        export.export(source.read(history), Q1[1], Q1[0])
