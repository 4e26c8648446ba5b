"""Days of cover from recent use, the thresholds as replaceable data, and one terminal's
balance, on both engines."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from ledgerkit import snapshot

import gbt15311.custody.reports._cover as cover
import gbt15311.custody.reports._cover_file as cover_file
from gbt15311 import custody
from gbt15311.cli import main
from gbt15311.custody.store._events import CHINA
from gbt15311.exceptions import CustodyError, Refused


def print_four(ledger: custody.Ledger) -> None:
    for number in range(1, 5):
        reserved = custody.allocate(ledger, "T1")
        custody.use(ledger, reserved.serial, licence_no=f"26-31-{number:06d}")


def figures(found: list[cover.Cover]) -> dict[str, tuple[int, int, Decimal | None, bool]]:
    return {f"{c.place} {c.code}": (c.on_hand, c.used, c.days, c.low) for c in found}


def test_cover_is_on_hand_over_recent_use_against_the_types_threshold(
    stocked: custody.Ledger,
) -> None:
    """T1 holds 6 after printing 4 today: 6 × 30 / 4 = 45 days, under a threshold of 50. The
    office's 96 (the store's 90 and T1's 6) last 720 days. A box sealed on receipt is not
    stock to print on."""
    print_four(stocked)
    custody.receive_shipment(
        stocked,
        office="SH",
        shipment="W-B2",
        boxes_found=[custody.Box("B2", "00000101", "00000200", packing_damaged=True)],
        checkers=["li", "zhao"],
        by="li",
        head="wang",
    )
    today = datetime.now(CHINA).date()
    limits: cover.Thresholds = {"*": {"terminal": Decimal(50), "office": Decimal(60)}}
    found = cover.covers(stocked, today, thresholds=limits)
    assert figures(found) == {
        "terminal T1": (6, 4, Decimal("45.0"), True),
        "office SH": (96, 4, Decimal("720.0"), False),
    }
    assert figures(cover.covers(stocked, today, thresholds=limits, terminal="T1")) == {
        "terminal T1": (6, 4, Decimal("45.0"), True)
    }
    later = cover.covers(stocked, today + timedelta(days=30), thresholds=limits)
    assert [(c.used, c.days, c.low) for c in later] == [(0, None, False), (0, None, False)]
    shipped = cover.covers(stocked, today)
    assert [c.low for c in shipped] == [False, False]  # 3 and 60 days shipped


def test_one_terminal_balance_and_an_unknown_terminal(stocked: custody.Ledger) -> None:
    print_four(stocked)
    custody.allocate(stocked, "T1")
    assert custody.stock(stocked, terminal="T1") == {
        "IL": Counter({"with_terminal": 5, "reserved": 1})
    }
    assert custody.stock(stocked, terminal="T2") == {}
    with pytest.raises(Refused, match="terminal 'T9' is not registered"):
        custody.stock(stocked, terminal="T9")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[IL]\nterminal = 3\noffice = 60\n", 'no ["*"] table'),
        ('["*"]\nterminal = 3\n', '"*".office: missing; expected days of cover'),
        (
            '["*"]\nterminal = 3\noffice = 60\nshelf = 1\n',
            '"*".shelf: unknown key (expected office, terminal)',
        ),
        (
            '["*"]\nterminal = "3"\noffice = 60\n',
            '"*".terminal: expected days of cover, a number from 0 to 3650 without quotes, '
            "e.g. terminal = 3; got '3'",
        ),
        ('["*"]\nterminal = true\noffice = 60\n', '"*".terminal: expected days of cover'),
        ("[IL]\nterminal = 3\noffice = -1\n", "IL.office: expected days of cover"),
        ('["*"]\nterminal = 3\noffice = 3651\n', "got 3651"),
        ('["*"]\nterminal = 3\noffice = 1e400\n', '"*".office: expected days of cover'),
        ('["*"\nterminal = 3', "not valid TOML"),
        ("terminal = 3\n", "terminal: expected a table [terminal] of terminal = DAYS"),
    ],
)
def test_a_bad_thresholds_file_is_refused_naming_it(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "cover.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CustodyError, match=rf"^{re.escape(str(path))}: .*{re.escape(problem)}"):
        cover.load_thresholds(path)


def test_the_shipped_thresholds_load_and_pass_the_reader() -> None:
    """The shipped file is read without the reader at every `stock` (pydantic's start-up
    cost), so the reader checks it here."""
    shipped = Path(str(cover.SHIPPED))
    checked = cover_file.read(shipped, every_type=cover.ANY_TYPE)
    assert {code: limits.model_dump() for code, limits in checked.items()} == {
        "*": {"terminal": 3, "office": 60}
    }
    assert cover.load_thresholds() == {"*": {"terminal": Decimal(3), "office": Decimal(60)}}
    assert cover.load_thresholds(shipped) == cover.load_thresholds()


def test_stock_shows_cover_and_marks_low(stocked: custody.Ledger, tmp_path: Path) -> None:
    print_four(stocked)
    url = stocked.engine.url.render_as_string(hide_password=False)
    limits = tmp_path / "cover.toml"
    limits.write_text('["*"]\nterminal = 3\noffice = 60\n[IL]\nterminal = 50\noffice = 1\n')
    before = snapshot(stocked)
    result = CliRunner().invoke(
        main, ["custody", "--db", url, "stock", "--thresholds", str(limits)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == [
        "LOW, under 50\tterminal T1\tIL\t6 on hand, 4 used in 30 days: 45.0 days",
        "cover\toffice SH\tIL\t96 on hand, 4 used in 30 days: 720.0 days",
    ]
    one = CliRunner().invoke(main, ["custody", "--db", url, "stock", "--terminal", "T1"])
    assert one.output.splitlines()[0] == "IL\twith_terminal\t6"
    assert len(one.output.splitlines()) == 2
    bad = limits.with_name("bad.toml")
    bad.write_text('["*"]\nterminal = 3\n')
    refused = CliRunner().invoke(main, ["custody", "--db", url, "stock", "--thresholds", str(bad)])
    assert refused.exit_code == 1
    assert f'Error: {bad}: "*".office: missing; expected days of cover' in refused.output
    unknown = CliRunner().invoke(main, ["custody", "--db", url, "stock", "--terminal", "T9"])
    assert unknown.exit_code == 1
    assert "Error: terminal 'T9' is not registered" in unknown.output
    assert snapshot(stocked) == before
