"""Unaccounted-for serials: none through the ledger; rows imported or changed behind its back
are named per box, with their cause, on both engines."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from test_custody_tamper import behind_the_back

import gbt15311.custody.reports._pdf as pdf
import gbt15311.custody.reports._unaccounted as unaccounted
from gbt15311 import custody
from gbt15311.cli import main


def fates(found: unaccounted.Unaccounted) -> dict[str, dict[str, int]]:
    return {
        span.box or "-": {fate: n for fate, n in span.fates.items() if n} for span in found.spans
    }


def test_through_the_ledger_every_serial_received_has_its_fate(stocked: custody.Ledger) -> None:
    """B1: 100 received, one used, one voided, one lost; B2 arrived without 00000105."""
    reserved = custody.allocate(stocked, "T1")
    custody.use(stocked, reserved.serial, licence_no="26-31-000001")
    custody.void(stocked, "00000002", reason="water", by="chen", note="tea", policy={})
    custody.report_loss(stocked, ["00000050"], by="li", note="not found")
    custody.receive_shipment(
        stocked,
        office="SH",
        shipment="W-B2",
        boxes_found=[custody.Box("B2", "00000101", "00000110", missing=["00000105"])],
        checkers=["li", "zhao"],
        by="li",
        head="wang",
    )
    found = unaccounted.unaccounted(stocked)
    assert found.in_order
    assert fates(found) == {
        "B1": {"in_stock": 97, "used": 1, "void": 1, "lost": 1},
        "B2": {"in_stock": 9, "missing": 1},
    }
    assert [span.received for span in found.spans] == [100, 10]


def test_rows_imported_or_changed_behind_the_ledger_are_unaccounted(
    stocked: custody.Ledger,
) -> None:
    """A row deleted, a row whose state was edited, a box of older records imported straight
    into the tables (one of its serials without a row), and a row outside every box."""
    row = "INSERT INTO certificates (type_code, serial, box_no, state, office_code, seq) VALUES "
    behind_the_back(
        stocked,
        "DELETE FROM certificates WHERE serial = '00000005'",
        "UPDATE certificates SET state = 'issued' WHERE serial = '00000050'",
        "INSERT INTO boxes (type_code, box_no, shipment, first_serial, last_serial) "
        "VALUES ('IL', 'OLD1', 'paper-2019', '00009001', '00009003')",
        row + "('IL', '00009001', 'OLD1', 'in_store', 'SH', 1)",
        row + "('IL', '00009002', 'OLD1', 'in_store', 'SH', 1)",
        row + "('IL', '00008000', 'OLD1', 'used', 'SH', 1)",
    )
    found = unaccounted.unaccounted(stocked)
    assert not found.in_order
    causes = {span.box or "-": span.unaccounted for span in found.spans}
    assert causes == {
        "B1": {
            "no table row; the events say with_terminal": ["00000005"],
            "table row 'issued'; the events say in_store": ["00000050"],
        },
        "OLD1": {
            "table row 'in_store', no event": ["00009001", "00009002"],
            "no event and no table row": ["00009003"],
        },
        "-": {"table row 'used' outside every box": ["00008000"]},
    }
    assert fates(found)["B1"] == {"in_stock": 98}
    text = pdf.render([unaccounted.sheet(found)], pdf.Pin(1, "0" * 64, "now"), title="t")
    assert text.startswith(b"%PDF")


def test_the_command_exits_1_and_names_the_serials(stocked: custody.Ledger, tmp_path: Path) -> None:
    url = stocked.engine.url.render_as_string(hide_password=False)
    target = tmp_path / "u.pdf"
    args = ["custody", "--db", url, "report", "unaccounted", "-o", str(target)]
    clean = CliRunner().invoke(main, args)
    assert clean.exit_code == 0, clean.output
    assert "IL\tB1 00000001..00000100\tin_stock 100, used 0," in clean.output
    behind_the_back(stocked, "DELETE FROM certificates WHERE serial IN ('00000007', '00000008')")
    flagged = CliRunner().invoke(main, args)
    assert flagged.exit_code == 1
    assert "  ! no table row; the events say with_terminal: 00000007..00000008" in flagged.output
    assert target.read_bytes().startswith(b"%PDF")
