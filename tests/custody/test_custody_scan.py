"""Receipt by scan: a box from its first and last sheet, or from every sheet; a gap, a repeat
or a sheet out of order seals it and is recorded (Art. 18, 24); refusals write nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from ledgerkit import seed, snapshot

import gbt15311.custody.proof._source as source
import gbt15311.custody.reports._registers as registers
from gbt15311 import custody
from gbt15311.cli import main
from gbt15311.custody.store._events import read_events
from gbt15311.custody.store._schema import events
from gbt15311.exceptions import CustodyError, Refused


def sheets(*numbers: int) -> list[str]:
    return [f"{n:08d}" for n in numbers]


def receive(
    ledger: custody.Ledger, *boxes: custody.Box, head: str | None = "wang"
) -> custody.Receipt:
    return custody.receive_shipment(
        ledger, office="SH", shipment="W-scan", boxes_found=boxes,
        checkers=["li", "zhao"], by="li", head=head,
    )  # fmt: skip


def last_boxes(ledger: custody.Ledger) -> list[dict[str, object]]:
    with ledger.read() as connection:
        *_, last = read_events(connection, events.c.kind == custody.Kind.SHIPMENT_RECEIVED)
    return list(last.payload["boxes"])


def test_a_box_from_its_ends_or_every_sheet_in_order(ledger: custody.Ledger) -> None:
    receipt = receive(
        ledger,
        custody.Box.scan("B1", sheets(1, 100)),
        custody.Box.scan("B2", sheets(*range(101, 111))),
    )
    assert (receipt.received, receipt.sealed_boxes) == (110, ())
    assert [(b["first"], b["last"], b["discrepancies"]) for b in last_boxes(ledger)] == [
        ("00000001", "00000100", []),
        ("00000101", "00000110", []),
    ]
    assert "scan_faults" not in last_boxes(ledger)[0]
    assert custody.where(ledger, "00000110").state == "in_store"


def test_a_gap_a_repeat_and_a_sheet_out_of_order_seal_the_box(ledger: custody.Ledger) -> None:
    scan = sheets(201, 202, 203, 204, 206, 207, 207, 209, 208, 210)
    receipt = receive(ledger, custody.Box.scan("B3", scan))
    assert (receipt.received, receipt.sealed_boxes) == (9, ("B3",))
    (box,) = last_boxes(ledger)
    assert box["missing"] == ["00000205"]
    assert box["discrepancies"] == ["missing", "sequence"]
    assert box["scan_faults"] == [["duplicate", "00000207"], ["out-of-order", "00000208"]]
    assert custody.where(ledger, "00000209").state == "sealed"
    with pytest.raises(CustodyError, match="00000205"):
        custody.where(ledger, "00000205")  # never received: the box lacked it
    custody.verify(ledger)
    (copy, *_) = registers.receipt(source.read(ledger), "W-scan")
    condition = copy.tables[0].rows[0][-1]
    assert condition.endswith("sequence\nduplicate 00000207\nout-of-order 00000208")


@pytest.mark.parametrize(
    ("scan", "head", "problem"),
    [
        (sheets(1, 2, 4), None, "box B1 has discrepancies (missing); the inspection record needs"),
        (sheets(9, 1), "wang", "the scan's first sheet 00000009 does not come before its last"),
        ([], "wang", "box B1: the scan lists no sheet"),
        (["00000001", "1", "00000003"], "wang", "serial '1' is not '' followed by 8 digits"),
        (["00000001", "0000000２", "00000003"], "wang", "is not '' followed by 8 digits"),
        (sheets(1, 2_000_001), "wang", "must be 1 to 1,000,000, not 2000001"),
    ],
)
def test_a_refused_scan_writes_nothing(
    ledger: custody.Ledger, scan: list[str], head: str | None, problem: str
) -> None:
    before = snapshot(ledger)
    with pytest.raises(Refused, match=re.escape(problem)):
        receive(ledger, custody.Box.scan("B1", scan), head=head)
    assert snapshot(ledger) == before


def test_the_command_takes_scan_files(engine_url: str, tmp_path: Path) -> None:
    ledger = custody.init_ledger(engine_url)
    seed(ledger)
    base = ["custody", "--db", engine_url, "receive", "--office", "SH", "--shipment", "W9",
            "--checker", "li", "--checker", "zhao", "--by", "li"]  # fmt: skip
    ends = tmp_path / "ends.txt"
    ends.write_text("\ufeff00000001\n00000050\n", encoding="utf-8")
    gappy = tmp_path / "gappy.txt"
    gappy.write_text("\n".join(sheets(51, 52, 54)), encoding="utf-8")
    before = snapshot(ledger)
    refused = CliRunner().invoke(
        main, [*base, "--scanned", f"B1={ends}", "--scanned", f"B2={gappy}"]
    )
    assert refused.exit_code == 1
    assert "box B2 has discrepancies (missing)" in refused.output
    assert snapshot(ledger) == before
    unreadable = tmp_path / "latin1.txt"
    unreadable.write_bytes(b"0000005\xe9\n")
    for bad in (f"B1={unreadable}", f"B1={tmp_path / 'absent.txt'}", f"B1={tmp_path}"):
        result = CliRunner().invoke(main, [*base, "--scanned", bad])
        assert result.exit_code == 2, result.output
        assert "Error:" in result.output
    nothing = CliRunner().invoke(main, base)
    assert nothing.exit_code == 2
    assert "--box BOX=FIRST..LAST or --scanned BOX=FILE" in nothing.output
    assert snapshot(ledger) == before
    result = CliRunner().invoke(
        main, [*base, "--scanned", f"B1={ends}", "--scanned", f"B2={gappy}", "--head", "wang"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "shipment W9: 53 blanks received",
        "box B2 SEALED: return it to the bureau with the inspection record",
    ]
    ledger.engine.dispose()
