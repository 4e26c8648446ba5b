"""The morning check on both engines: each deadline alerts when due and not before, and the
command exits 1 while any is due."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pdfplumber
import pikepdf
import pikepdf.pdfa
from click.testing import CliRunner, Result
from ledgerkit import give, receive, seed, snapshot

from gbt15311 import custody
from gbt15311.cli import main
from gbt15311.custody.proof._source import read
from gbt15311.custody.reports._alerts import alerts
from gbt15311.custody.store._events import CHINA
from gbt15311.custody.workdays import default_calendar


def test_each_deadline_alerts_when_due_and_not_before(engine_url: str) -> None:
    now = [datetime(2026, 2, 2, 1, 0, tzinfo=UTC)]  # 09:00 in China, a Monday
    ledger = custody.init_ledger(engine_url, clock=lambda: now[0])
    seed(ledger)
    receive(ledger, "B1", 1, 10)
    give(ledger, "B1", count=5)

    def due(**options: object) -> list[str]:
        found = alerts(read(ledger), now[0], default_calendar(), **options)  # type: ignore[arg-type]
        return [f"{alert.kind}: {alert.text}" for alert in found]

    assert due() == []
    printed = custody.allocate(ledger, "T1")
    custody.use(ledger, printed.serial, licence_no="26-31-000001")
    left = custody.allocate(ledger, "T1")
    now[0] += timedelta(hours=24)
    assert due() == []
    now[0] += timedelta(minutes=1)
    [late] = due()
    assert late.startswith(f"reservation: IL {left.serial} reserved at terminal T1 since ")
    custody.void(ledger, left.serial, reason="misprint", by="chen")
    # Spring Festival 2026 is off: the licence printed on 2 February is collected by 6 March.
    now[0] = datetime(2026, 3, 6, 15, 59, tzinfo=UTC)
    assert due() == []
    now[0] = datetime(2026, 3, 6, 16, 0, tzinfo=UTC)  # 7 March in China
    [revoke] = due()
    assert revoke.startswith("revoke: licence 26-31-000001 (IL 00000001, printed 2026-02-02)")
    assert due(collected=frozenset({"26-31-000001"})) == []
    notice = custody.record_edition(
        ledger, "IL", date(2026, 4, 7), by="wang", notice="许可证局函〔2026〕3号"
    )
    assert due(collected=frozenset({"26-31-000001"})) == []
    [edition] = due(collected=frozenset({"26-31-000001"}), warning_days=31)
    assert edition == (
        f"edition: IL: the new edition starts 2026-04-07 (许可证局函〔2026〕3号, event {notice}); "
        "blanks on hand: SH 8: void them as expired-edition and seal them (Art. 34)"
    )
    custody.record_edition(ledger, "IL", date(2026, 5, 7), by="wang", notice="corrected")
    assert due(collected=frozenset({"26-31-000001"}), warning_days=31) == []  # the latest stands
    proposal = custody.propose_void(ledger, "00000003", reason="fire", by="chen")
    [waiting] = due(collected=frozenset({"26-31-000001"}))
    assert waiting.startswith(f"proposal: void proposal {proposal} (IL, fire) by chen since ")
    ledger.engine.dispose()


def test_the_command_exits_1_while_anything_is_due(engine_url: str, tmp_path: Path) -> None:
    ledger = custody.init_ledger(engine_url)
    seed(ledger)
    receive(ledger, "B1", 1, 10)

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, ["custody", "--db", engine_url, "alerts", *args])

    clear = run()
    assert (clear.exit_code, clear.stdout) == (0, "no alerts\n")
    soon = (datetime.now(CHINA) + timedelta(days=10)).date().isoformat()
    before = snapshot(ledger)
    custody_ = ["custody", "--db", engine_url, "edition", "IL", "--starts", soon]
    for bad, code, message in (
        (["--notice", "函", "--by", "li"], 1, "'li' has the roles checker keeper, not head"),
        (["--notice", "函", "--type", "IL", "--by", "wang"], 2, "No such option"),
        (["--notice", "", "--by", "wang"], 1, "give its reference"),
        (["--by", "wang"], 2, "Missing option '--notice'"),
    ):
        refused = CliRunner().invoke(main, [*custody_, *bad])
        assert (refused.exit_code, message in refused.output) == (code, True), refused.output
    for bad in (["--starts", "tomorrow"], ["--starts", "2027-02-30"]):
        dated = CliRunner().invoke(
            main, ["custody", "--db", engine_url, "edition", "IL", *bad, "--notice", "函"]
        )
        assert dated.exit_code == 2, dated.output
    assert snapshot(ledger) == before
    number = custody.verify(ledger).events + 1
    recorded = CliRunner().invoke(main, [*custody_, "--notice", "函〔2026〕9号", "--by", "wang"])
    assert recorded.exit_code == 0, recorded.output
    assert recorded.stdout == f"new edition of IL from {soon} recorded (event {number})\n"
    edition = run()
    assert edition.exit_code == 1
    assert edition.stdout.startswith(
        f"edition\tIL: the new edition starts {soon} (函〔2026〕9号, event {number}); "
    )
    assert run("--edition-warning", "9").exit_code == 0
    before = snapshot(ledger)
    for bad in (["--edition", "IL=2027-01-01"], ["--edition-warning", "-1"]):
        result = run(*bad)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
    missing = run("--collected", str(tmp_path / "none.txt"))
    assert missing.exit_code == 2
    assert snapshot(ledger) == before
    ledger.engine.dispose()


def test_the_alerts_sheet_numbers_every_alert_due(engine_url: str, tmp_path: Path) -> None:
    """The sheet is PDF/A like every register: one numbered row per alert, in the order the
    command lists them, and a sheet saying nothing is due when nothing is."""
    ledger = custody.init_ledger(engine_url)
    seed(ledger)
    receive(ledger, "B1", 1, 10)
    target = tmp_path / "morning.pdf"
    args = ["custody", "--db", engine_url, "alerts", "--sheet", str(target)]
    clear = CliRunner().invoke(main, args)
    assert clear.exit_code == 0, clear.output
    assert "结果 Result：无待办 no alerts" in pages_of(target)[0]
    soon = (datetime.now(CHINA) + timedelta(days=10)).date()
    custody.record_edition(ledger, "IL", soon, by="wang", notice="函〔2026〕9号")
    give(ledger, "B1", count=5)
    proposal = custody.propose_void(ledger, "00000001", reason="fire", by="chen")
    due = CliRunner().invoke(main, [*args, "--edition-warning", "20"])
    assert due.exit_code == 1
    listed = [line.split("\t") for line in due.stdout.splitlines() if "\t" in line]
    assert [kind for kind, _text in listed] == ["edition", "proposal"]
    record = read(ledger)
    assert f"{target}: 每日晨检单, event #{record.seq}, head {record.head}" in due.stdout
    with pikepdf.open(target) as document:
        assert pikepdf.pdfa.check(document, "2b").verdict == "pass"
    [page] = pages_of(target)
    assert "2 项待办 DUE" in page
    assert "改版提前 Edition warning：20 天 days" in page
    lines = page.splitlines()
    assert any(
        line.startswith(f"1 改版 edition IL: the new edition starts {soon}") for line in lines
    )
    assert any(
        line.startswith(f"2 待审作废 proposal void proposal {proposal} (IL, fire)")
        for line in lines
    )
    ledger.engine.dispose()


def pages_of(path: Path) -> list[str]:
    with pdfplumber.open(path) as opened:
        return [page.extract_text() or "" for page in opened.pages]
