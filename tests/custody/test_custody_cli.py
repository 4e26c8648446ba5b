"""The ``gbt15311 custody`` contract that other tools rely on, and its documentation."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from ledgerkit import seed
from sqlalchemy import text

from gbt15311 import custody
from gbt15311.cli import main
from gbt15311.cli.custody import custody as custody_group

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
            "--to",
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
    assert stock.stdout == "IL\tin_store\t8\nIL\tused\t1\nIL\tvoid\t1\n"


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
