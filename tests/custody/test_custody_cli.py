"""The ``gbt15311 custody`` contract that other tools rely on, and its documentation."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from ledgerkit import give, receive, seed, snapshot
from sqlalchemy import text

from gbt15311 import custody
from gbt15311.cli import main
from gbt15311.cli.custody import custody as custody_group
from gbt15311.exceptions import Refused

DOCS = Path(__file__).parents[2] / "docs"


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["custody", "--db", url, *args])


@pytest.fixture
def cli_url(engine_url: str) -> str:
    assert run(engine_url, "init").exit_code == 0
    ledger = custody.open_ledger(engine_url)
    seed(ledger)
    ledger.engine.dispose()
    return engine_url


def test_init_is_repeatable(cli_url: str) -> None:
    result = run(cli_url, "init")
    assert result.exit_code == 0, result.output
    assert "custody ledger ready" in result.output


def test_a_day_at_a_terminal(cli_url: str) -> None:
    steps = [
        [
            "receive",
            "--office",
            "SH",
            "--shipment",
            "W1",
            "--box",
            "B1=00000001..00000010",
            "--checker",
            "li",
            "--checker",
            "zhao",
            "--by",
            "li",
        ],
        [
            "issue",
            "--box",
            "B1",
            "--terminal",
            "T1",
            "--by",
            "li",
            "--receiver",
            "chen",
            "--head",
            "wang",
            "--count",
            "2",
        ],
    ]
    for step in steps:
        result = run(cli_url, *step)
        assert result.exit_code == 0, result.output
    first = run(cli_url, "allocate", "--terminal", "T1")
    assert (first.exit_code, first.stdout) == (0, "00000001\n")
    assert run(cli_url, "use", "00000001", "--licence-no", "26-31-000001").exit_code == 0
    second = run(cli_url, "allocate", "--terminal", "T1").stdout.strip()
    listed = run(cli_url, "reservations")
    assert listed.exit_code == 1
    assert listed.stdout.startswith("00000002\tIL\tterminal T1")
    voided = run(cli_url, "void", second, "--reason", "misprint", "--by", "chen")
    assert voided.exit_code == 0, voided.output
    empty = run(cli_url, "allocate", "--terminal", "T1")
    assert empty.exit_code == 1
    assert empty.stdout == ""
    assert "T1 has no blank left" in empty.stderr
    where = run(cli_url, "where", "00000001")
    assert where.stdout.splitlines()[:3] == [
        "IL 00000001 (box B1): used",
        "office SH, terminal T1",
        "licence 26-31-000001",
    ]
    assert [line.split("\t")[2] for line in where.stdout.splitlines()[3:]] == [
        "shipment_received",
        "issued_out",
        "reserved",
        "used",
    ]
    verified = run(cli_url, "verify")
    assert verified.exit_code == 0
    assert verified.stdout.startswith("verified: 17 events, 10 certificates; head ")
    stock = run(cli_url, "stock", "--office", "SH")
    assert stock.stdout.splitlines() == [
        "IL\tin_store\t8",
        "IL\tused\t1",
        "IL\tvoid\t1",
        "LOW, under 3\tterminal T1\tIL\t0 on hand, 1 used in 30 days: 0.0 days",
        "cover\toffice SH\tIL\t8 on hand, 1 used in 30 days: 240.0 days",
    ]


def test_refusals_are_messages_not_tracebacks(cli_url: str) -> None:
    result = run(cli_url, "use", "99999999", "--licence-no", "26-31-000001")
    assert result.exit_code == 1
    assert result.stderr == "Error: serial '99999999' is not in the ledger\n"


def test_verify_names_the_first_bad_event(cli_url: str) -> None:
    ledger = custody.open_ledger(cli_url)
    with ledger.engine.begin() as connection:
        connection.execute(text("UPDATE chain_head SET hash = 'x'"))
    ledger.engine.dispose()
    result = run(cli_url, "verify")
    assert result.exit_code == 1
    assert "NOT VERIFIED: the chain head says event 11" in result.stderr


@pytest.mark.parametrize(
    ("url", "message", "status"),
    [
        ("nonsense", "cannot be read", 2),
        ("mysql://x@localhost/db", "only SQLite and PostgreSQL", 2),
        ("postgresql://nobody@127.0.0.1:1/none", "cannot be used: connection failed", 1),
        ("sqlite:////nonexistent/folder/ledger.sqlite3", "no ledger at", 1),
    ],
)
def test_a_bad_database_url_is_a_clear_message(url: str, message: str, status: int) -> None:
    """A URL that cannot be written so is a usage error; one that reaches no ledger is not."""
    result = run(url, "verify")
    assert result.exit_code == status
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_the_environment_names_the_database(cli_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GBT15311_DB", cli_url)
    assert CliRunner().invoke(main, ["custody", "verify"]).exit_code == 0


def test_an_empty_database_asks_for_init(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    (tmp_path / "empty.sqlite3").touch()
    result = run(url, "verify")
    assert "run `gbt15311 custody init` first" in result.stderr


def documented_options(page: str, group: str) -> dict[str, set[str]]:
    """The command reference of a page: each command's line (``- `gbt15311 custody NAME …`:
    `--option METAVAR`, …``) and the options it names."""
    found = {}
    for line in (DOCS / page).read_text(encoding="utf-8").splitlines():
        if command := re.match(rf"- `{group} ([a-z-]+)\b", line):
            found[command.group(1)] = set(re.findall(r"(?<![\w-])--?[a-z][a-z-]*", line))
    return found


def options(command: click.Command) -> set[str]:
    """A command's options, without ``--help`` and the ``--db`` every command takes."""
    return {
        name
        for param in command.params
        if isinstance(param, click.Option) and param.name != "db"
        for name in param.opts
    }


def test_every_command_is_documented() -> None:
    """Each command has its line in the reference of docs/custody.md, naming every one of its
    options and no option it does not have."""
    assert isinstance(custody_group, click.Group)
    documented = documented_options("custody.md", "gbt15311 custody")
    commands = {n: c for n, c in custody_group.commands.items() if not isinstance(c, click.Group)}
    assert sorted(documented) == sorted(commands)
    for name, command in commands.items():
        assert documented[name] == options(command), name


def _stocked(url: str) -> custody.Ledger:
    ledger = custody.open_ledger(url)
    receive(ledger, "B1", 1, 20)
    give(ledger, "B1", count=10)
    return ledger


@pytest.mark.parametrize("count", ["-3", "0", "9999999999999999999999999"])
def test_counts_are_checked_before_the_database_sees_them(cli_url: str, count: str) -> None:
    ledger = _stocked(cli_url)
    before = snapshot(ledger)
    commands = [
        ["transfer", "--from", "T1", "--to", "T2", "--receiver", "liu", "--by", "li"],
        [
            "issue",
            "--box",
            "B1",
            "--terminal",
            "T2",
            "--receiver",
            "liu",
            "--head",
            "wang",
            "--by",
            "li",
        ],
    ]
    for command in commands:
        result = run(cli_url, *command, "--count", count)
        assert result.exit_code == 1, result.output
        assert "the count of blanks to" in result.stderr
        assert "Traceback" not in result.output
    assert snapshot(ledger) == before
    ledger.engine.dispose()


@pytest.mark.parametrize("counted", ["-3", "9999999999999999999999999"])
def test_a_count_found_by_hand_is_checked_before_the_database_sees_it(
    cli_url: str, counted: str
) -> None:
    ledger = _stocked(cli_url)
    before = snapshot(ledger)
    result = run(cli_url, "count", "--office", "SH", "--counted", counted, "--by", "li")
    assert result.exit_code == 1, result.output
    assert "the blanks counted must be 0 to 1,000,000" in result.stderr
    assert snapshot(ledger) == before
    ledger.engine.dispose()


@pytest.mark.parametrize(
    "command",
    [
        ["add-person", "", "--name", "某人", "--role", "operator", "--office", "SH"],
        ["add-person", "ma", "--name", " \t", "--role", "operator", "--office", "SH"],
        ["add-office", "GZ", "--name", ""],
        ["add-office", "\u3000", "--name", "广州"],
        ["add-terminal", "T9", "--office", "SH", "--name", ""],
        ["add-type", "EL", "--name", "\u2028", "--width", "8"],
    ],
)
def test_blank_codes_and_names_are_refused_and_write_nothing(
    cli_url: str, command: list[str]
) -> None:
    ledger = custody.open_ledger(cli_url)
    before = snapshot(ledger)
    result = run(cli_url, *command, "--by", "wang")
    assert result.exit_code == 1, result.output
    assert "is blank" in result.stderr
    assert snapshot(ledger) == before
    ledger.engine.dispose()


def test_each_command_that_acts_confirms_in_one_line(cli_url: str) -> None:
    ledger = _stocked(cli_url)
    seal = custody.receive_shipment(
        ledger,
        office="SH",
        shipment="W-S",
        boxes_found=[custody.Box("S1", "00000101", "00000105", packing_damaged=True)],
        checkers=["li", "zhao"],
        by="li",
        head="wang",
    )
    assert seal.sealed_boxes == ("S1",)
    ledger.engine.dispose()
    steps = [
        (["add-person", "ma", "--name", "马", "--role", "operator", "--office", "SH"], "person ma"),
        (["add-office", "GZ", "--name", "广州"], "office GZ (广州) registered"),
        (["add-terminal", "T9", "--office", "SH", "--name", "九号"], "terminal T9"),
        (["void", "00000020", "--reason", "fire"], "serial 00000020 proposed for voiding"),
        (["lose", "00000018", "00000019", "--note", "gone"], "2 blanks reported lost"),
        (["return-to-bureau", "--box", "S1"], "box S1 returned to the bureau"),
        (
            ["transfer-office", "00000017", "--to", "NB", "--approval", "商办[2026]1"],
            "serial 00000017 lent to office NB",
        ),
        (["add-type", "EL", "--name", "出口", "--width", "6"], "serials like 000001"),
    ]
    for command, confirmation in steps:
        by = "wang" if command[0].startswith("add-") else "li"
        result = run(cli_url, *command, "--by", by)
        assert result.exit_code == 0, result.output
        assert result.stdout.count("\n") == 1
        assert confirmation in result.stdout
    serial = run(cli_url, "allocate", "--terminal", "T1").stdout.strip()
    used = run(cli_url, "use", serial, "--licence-no", "26-31-000001")
    assert used.stdout.startswith(f"serial {serial} used for licence 26-31-000001 (event ")


def test_times_on_screen_are_china_time_and_say_so(cli_url: str) -> None:
    _stocked(cli_url).engine.dispose()
    serial = run(cli_url, "allocate", "--terminal", "T1").stdout.strip()
    ledger = custody.open_ledger(cli_url)
    [reservation] = custody.open_reservations(ledger)
    ledger.engine.dispose()
    china = reservation.at + timedelta(hours=8)
    shown = f"{china:%Y-%m-%d %H:%M:%S} China time (UTC+8)"
    assert f"reserved {shown} by chen" in run(cli_url, "reservations").stdout
    assert f"\t{shown}\treserved\t" in run(cli_url, "where", serial).stdout


NOTE = "a\tb\x01c\nd\u202ee\x7ff\x1b[31mg\u200bh\U000e0001i 你好"
"""A note typed with characters that act on a terminal: controls, DEL, an escape sequence, a
bidi override, a zero-width space, a tag character."""


def test_what_the_listings_echo_cannot_act_on_the_terminal(cli_url: str) -> None:
    ledger = _stocked(cli_url)
    serial = custody.allocate(ledger, "T1").serial
    custody.propose_void(ledger, serial, reason="water", by="chen", note=NOTE)
    ledger.engine.dispose()
    for listing in (run(cli_url, "where", serial), run(cli_url, "proposals")):
        lines = listing.stdout.splitlines()
        assert all(field.isprintable() for line in lines for field in line.split("\t"))
        assert "你好" in listing.stdout
    [proposed] = [
        line
        for line in run(cli_url, "where", serial).stdout.splitlines()
        if "void_proposed" in line
    ]
    assert json.loads(proposed.split("\t")[-1])["note"] == NOTE


def test_a_nul_is_refused_alike_on_both_engines_and_writes_nothing(cli_url: str) -> None:
    ledger = _stocked(cli_url)
    serial = custody.allocate(ledger, "T1").serial
    before = custody.verify(ledger)
    with pytest.raises(Refused, match="U\\+0000"):
        custody.void(ledger, serial, reason="misprint", by="chen", note="a\x00b")
    with pytest.raises(Refused, match="U\\+0000"):
        custody.add_person(ledger, "nul", "王\x00", ["operator"], by="wang", office="SH")
    assert custody.verify(ledger) == before
    spelt = "a note that spells \\u0000 out"
    custody.void(ledger, serial, reason="misprint", by="chen", note=spelt)
    assert custody.where(ledger, serial).history[-1].payload["note"] == spelt
    ledger.engine.dispose()


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "3000-01-01", "9999-12-31"])
def test_a_day_out_of_the_ledgers_years_is_a_usage_error_that_writes_nothing(
    cli_url: str, day: str
) -> None:
    """Counting a deadline or a period from such a day left the calendar, with a traceback;
    an edition recorded so broke every morning check after it."""
    ledger = _stocked(cli_url)
    before = snapshot(ledger)
    commands = [
        ["edition", "IL", "--starts", day, "--notice", "函〔2026〕1号", "--by", "wang"],
        ["report", "demand", "--on", day],
        ["report", "selfcheck", "--on", day],
        ["report", "selfcheck", "--until", day],
        ["report", "settle", "--on", day, "--office", "SH"],
    ]
    for command in commands:
        result = run(cli_url, *command, "-o", "/dev/null") if command[0] == "report" else None
        result = result or run(cli_url, *command)
        assert result.exit_code == 2, (command, result.output)
        assert "is not a day of the years 2000 to 2999" in result.output
    assert snapshot(ledger) == before
    with pytest.raises(Refused, match="give a day of the years 2000 to 2999"):
        custody.record_edition(
            ledger, "IL", date.fromisoformat(day), by="wang", notice="函〔2026〕1号"
        )
    assert snapshot(ledger) == before
    assert run(cli_url, "alerts").exit_code == 0
    ledger.engine.dispose()


@pytest.mark.parametrize("year", ["-5", "0", "1999", "3000", "9999", "99999999999"])
def test_an_annual_report_of_a_year_out_of_range_is_a_usage_error(cli_url: str, year: str) -> None:
    result = run(cli_url, "report", "annual", "--year", year, "--office", "SH", "-o", "/dev/null")
    assert result.exit_code == 2, result.output
    assert "is not in the range 2000<=x<=2999" in result.output


@pytest.mark.parametrize("window", ["0", "3651", "99999999999999"])
def test_a_cover_window_out_of_range_is_a_usage_error(cli_url: str, window: str) -> None:
    result = run(cli_url, "stock", "--window", window)
    assert result.exit_code == 2, result.output
    assert "is not in the range 1<=x<=3650" in result.output


@pytest.mark.parametrize(
    ("command", "too_long"),
    [
        (["add-person", "p" * 33, "--name", "某人", "--role", "operator", "--by", "wang"], "code"),
        (["add-person", "ma", "--name", "名" * 201, "--role", "operator", "--by", "wang"], "name"),
        (["add-office", "O" * 33, "--name", "广州", "--by", "wang"], "code"),
        (["add-terminal", "T" * 33, "--office", "SH", "--name", "窗口", "--by", "wang"], "code"),
        (["add-type", "E" * 17, "--name", "出口", "--width", "8", "--by", "wang"], "code"),
        (
            [
                "add-type",
                "EL",
                "--name",
                "出口",
                "--width",
                "8",
                "--prefix",
                "P" * 9,
                "--by",
                "wang",
            ],
            "prefix",
        ),
        (
            ["receive", "--shipment", "W" * 65, "--box", "B9=00000100..00000101"],
            "waybill",
        ),
        (
            ["receive", "--shipment", "W9", "--box", "B" * 33 + "=00000100..00000101"],
            "box number",
        ),
    ],
)
def test_a_code_longer_than_the_ledger_holds_is_refused_alike_on_both_engines(
    cli_url: str, command: list[str], too_long: str
) -> None:
    """SQLite kept it, and PostgreSQL failed with 'database cannot be used'."""
    receiving = ["--office", "SH", "--checker", "li", "--checker", "zhao", "--by", "li"]
    ledger = custody.open_ledger(cli_url)
    before = snapshot(ledger)
    result = run(cli_url, *command, *(receiving if command[0] == "receive" else []))
    assert result.exit_code == 1, result.output
    assert too_long in result.stderr
    assert "characters; at most" in result.stderr
    assert snapshot(ledger) == before
    ledger.engine.dispose()


def test_a_shipment_without_a_waybill_is_refused(cli_url: str) -> None:
    ledger = custody.open_ledger(cli_url)
    before = snapshot(ledger)
    result = run(
        cli_url,
        *["receive", "--office", "SH", "--shipment", " ", "--box", "B9=00000100..00000101"],
        *["--checker", "li", "--checker", "zhao", "--by", "li"],
    )
    assert result.exit_code == 1, result.output
    assert "the shipment's waybill ' ' is blank" in result.stderr
    assert snapshot(ledger) == before
    ledger.engine.dispose()


@pytest.mark.parametrize(
    "report", [("voids", "-o", "/dev/null"), ("selfcheck", "-o", "/dev/null"), ("retention",)]
)
@pytest.mark.parametrize("seq", [2**31, 2**63, 10**20])
def test_a_cut_off_beyond_what_the_database_counts_is_beyond_the_ledger(
    cli_url: str, report: tuple[str, ...], seq: int
) -> None:
    result = run(cli_url, "report", report[0], "--until", f"#{seq}", *report[1:])
    assert result.exit_code == 1, result.output
    assert f"cut-off #{seq}: the ledger has only" in result.output
