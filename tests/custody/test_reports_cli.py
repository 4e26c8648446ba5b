"""``gbt15311 custody report``: each command on the scripted history, and bad input as
messages, never tracebacks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from test_custody_cli import documented_options, options
from test_reports_kit import scripted

from gbt15311.cli import main
from gbt15311.cli.custody_report import report

DOCS = Path(__file__).parents[2] / "docs"


@pytest.fixture(scope="module")
def url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with scripted("sqlite", request, tmp_path_factory.mktemp("history")) as ledger:
        yield ledger.engine.url.render_as_string(hide_password=False)


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(report, ["--db", url, *args])


def run_custody(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["custody", "--db", url, *args])


@pytest.mark.parametrize(
    ("args", "status", "output"),
    [
        (["annual", "--year", "2025", "--office", "SH"], 0, "due to the bureau by 2026-01-31"),
        (["receipt", "--shipment", "W2"], 0, "签收单 W2, event #106"),
        (["ledger", "--from", "2026-01-01", "--to", "2026-03-31", "--office", "SH"], 0, "#106"),
        (["voids", "--office", "SH"], 0, "废证封存/销毁登记表"),
        (["expired", "--office", "SH", "--until", "#50"], 0, "event #50"),
        (["reconcile", "--quarter", "2026Q1", "--office", "SH"], 1, "T1: NOT COUNTED"),
        (["demand", "--on", "2026-10-15", "--office", "SH"], 0, "IL: request 0"),
        (["selfcheck", "--on", "2026-04-02"], 1, "! SH: no count recorded in 2025Q1"),
    ],
)
def test_register_commands_write_their_pdf(
    url: str, tmp_path: Path, args: list[str], status: int, output: str
) -> None:
    target = tmp_path / "out.pdf"
    result = run(url, *args, "-o", str(target))
    assert result.exit_code == status, result.output
    assert output in result.output
    assert target.read_bytes().startswith(b"%PDF")


def test_forecast_shows_its_reasoning(url: str) -> None:
    result = run(url, "forecast", "--on", "2026-03-31", "--office", "SH", "--margin", "10")
    assert result.exit_code == 0, result.output
    assert "suggested order: 36 - 135, rounded up to 100s = 0." in result.output


def test_deadlines(url: str) -> None:
    result = run(url, "deadlines", "--on", "2026-03-10")
    assert result.exit_code == 1
    assert "25-31-000100\tIL 00000033\tissued 2026-02-02\tREVOKE if not collected 2026-03-06" in (
        result.output
    )
    assert "25-31-000109\tIL 00000042\tissued 2026-02-11\tcollect by 2026-03-17" in result.output
    assert "31 licences past their collection deadline on 2026-03-10" in result.output
    result = run(url, "deadlines", "--needed-by", "2026-10-31", "--requested-on", "2026-12-20")
    assert result.exit_code == 0
    assert "file by 2026-09-28 (Art. 6)" in result.output
    assert "ship by unknown: " in result.output
    assert "Enter the State Council's 2027 schedule" in result.output


def test_licences_collected_leave_the_list(url: str, tmp_path: Path) -> None:
    collected = tmp_path / "collected.txt"
    collected.write_text("\n".join(f"25-31-{n:06d}" for n in range(1, 110)), encoding="utf-8")
    result = run(url, "deadlines", "--on", "2026-03-10", "--collected", str(collected))
    assert (result.exit_code, result.output) == (0, "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["annual", "--year", "2025"], "name the office; offices at the cut-off: NB, SH"),
        (["receipt", "--shipment", "W9"], "shipment 'W9' was not received by the cut-off"),
        (["voids", "--until", "2026-02-30"], "neither a date (2026-03-31) nor an event number"),
        (["voids", "--until", "#500"], "cut-off #500: the ledger has only 106 events"),
        (["reconcile", "--quarter", "2026Q5"], "quarter '2026Q5': write it as 2026Q1"),
        (["ledger", "--from", "2026-03-01", "--to", "2026-01-01"], "comes before 2026-03-01"),
        (["forecast", "--on", "2026-10-15", "--margin", "ten"], "'ten' is not a percentage"),
        (["forecast", "--on", "2026-10-15", "--margin", "500"], "500 is not between 0 and 100"),
        (["deadlines", "--on", "tomorrow"], "'tomorrow' is not a date written as 2026-03-31"),
        (["voids", "--office", "XX"], "office 'XX' is not registered"),
    ],
)
def test_bad_input_is_a_message(url: str, tmp_path: Path, args: list[str], message: str) -> None:
    needs_output = args[0] not in ("forecast", "deadlines")
    result = run(url, *args, *(["-o", str(tmp_path / "x.pdf")] if needs_output else []))
    assert result.exit_code != 0
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_a_bad_count_file_is_a_message(url: str, tmp_path: Path) -> None:
    counts = tmp_path / "counts.toml"
    counts.write_text("[[count]]\ncounted = 'many'\n", encoding="utf-8")
    result = run(
        url,
        "reconcile",
        "--quarter",
        "2026Q1",
        "--counts",
        str(counts),
        "-o",
        str(tmp_path / "r.pdf"),
    )
    assert result.exit_code == 1
    assert "counts.toml: count[1].counted: expected the number found" in result.output


def test_a_missing_database_is_a_message(tmp_path: Path) -> None:
    result = run(f"sqlite:///{tmp_path / 'none.sqlite3'}", "voids", "-o", str(tmp_path / "v"))
    assert result.exit_code == 1
    assert "run `gbt15311 custody init` to create one" in result.output


@dataclass(frozen=True)
class Parent:
    url: str


def test_the_group_takes_the_database_of_the_custody_group(url: str, tmp_path: Path) -> None:
    @click.group()
    @click.pass_context
    def custody(ctx: click.Context) -> None:
        ctx.obj = Parent(url)

    custody.add_command(report)
    target = tmp_path / "v.pdf"
    result = CliRunner().invoke(custody, ["report", "voids", "--office", "SH", "-o", str(target)])
    assert result.exit_code == 0, result.output


def test_every_report_command_is_documented() -> None:
    documented = " ".join(
        (DOCS / page).read_text(encoding="utf-8")
        for page in (
            "custody-reports.md",
            "howto-receiving.md",
            "howto-quarter-end.md",
            "howto-year-end.md",
            "howto-destruction.md",
            "howto-inspection.md",
        )
    )
    mentioned = set(re.findall(r"custody report ([a-z-]+)", documented))
    assert set(report.commands) <= mentioned
    assert mentioned <= set(report.commands)
    listed = documented_options("custody-reports.md", "gbt15311 custody report")
    assert sorted(listed) == sorted(report.commands)
    for name, command in report.commands.items():
        assert listed[name] == options(command), name


def test_sealing_retention_destruction_and_archiving(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with scripted("sqlite", request, tmp_path) as ledger:
        url = ledger.engine.url.render_as_string(hide_password=False)
    sealed = run_custody(
        url, "seal", "--register", "voids", "--office", "SH", "--head", "wang", "--by", "li"
    )
    assert sealed.exit_code == 0, sealed.output
    lot = sealed.output.split("lot ")[1].strip()
    listed = run(url, "retention", "--office", "SH", "--on", "2028-01-01")
    assert "voids\tSH\tIL 00000009 00000016..00000017 00000098..00000099\t5\tsince " in (
        listed.output
    )
    assert "unsealed" not in listed.output
    early = run_custody(
        url,
        "destroy",
        "--register",
        "voids",
        "--lot",
        lot,
        "--approved-by",
        "wang",
        "--approval",
        "REF",
        "--by",
        "li",
    )
    assert early.exit_code == 1
    assert "may not be destroyed before 20" in early.output
    assert "(Art. 35: kept two years)" in early.output
    archived = run_custody(url, "archive-receipt", "--shipment", "W1", "--by", "li")
    assert archived.exit_code == 0, archived.output
    again = run_custody(url, "archive-receipt", "--shipment", "W1", "--by", "li")
    assert "the receipt of shipment 'W1' is already archived" in again.output
