"""``gbt15311 issue``: check, reserve, render with the serial, send, register; on both engines.

Each test invokes the command, then reopens the ledger to see what it holds.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from ledgerkit import give, receive, seed, snapshot
from test_custody_cli import documented_options, options

import gbt15311
from gbt15311 import custody
from gbt15311.cli import main
from gbt15311.cli.issue import issue as issue_command
from gbt15311.exceptions import PrinterFailed
from gbt15311.loading import load_licence
from gbt15311.render import render_escp
from gbt15311.sending import CUPS_PDF_OPTIONS, Sender

EXAMPLE = Path(__file__).parents[2] / "examples" / "import-licence.json"
LICENCE_NO = "26-AA-000123"
WORKER = Path(__file__).with_name("issue_worker.py")
ROOT = Path(gbt15311.__file__).parent.parent


@pytest.fixture
def url(engine_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A ledger whose terminal T1 holds blanks 00000001..00000010; printer profiles go to a
    temporary configuration folder."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    ledger = custody.init_ledger(engine_url)
    seed(ledger)
    receive(ledger, "B1", 1, 100)
    give(ledger, "B1", count=10)
    ledger.engine.dispose()
    return engine_url


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def issue(url: str, *args: str) -> Result:
    return run("issue", str(EXAMPLE), "--terminal", "T1", "--db", url, *args)


def reopened(url: str) -> custody.Ledger:
    return custody.open_ledger(url)


@pytest.mark.parametrize("output_format", ["pdf", "escp"])
def test_a_licence_sent_to_a_file_is_what_render_gives_for_its_serial(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output_format: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the PDF's dates, not the clock's
    profile = ["--dx", "1.5", "--dy", "-0.5", "--escp-left", "12", "--hanzi-spacing", "0,12"]
    assert run("printer", "set", "lq", *profile).exit_code == 0
    sent, rendered = tmp_path / "sent", tmp_path / "rendered"
    common = ["--format", output_format, "--printer", "lq"]
    if output_format == "pdf":
        common += ["--parts", "set"]
    result = issue(url, "--to", f"file:{sent}", *common)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"licence {LICENCE_NO} printed on IL blank 00000001 at terminal T1, sent to file:{sent}\n"
    )
    render = run("render", str(EXAMPLE), "-o", str(rendered), "--serial", "00000001", *common)
    assert render.exit_code == 0, render.output
    assert sent.read_bytes() == rendered.read_bytes()
    assert stat.S_IMODE(sent.stat().st_mode) == stat.S_IMODE(rendered.stat().st_mode)
    ledger = reopened(url)
    blank = custody.where(ledger, "00000001")
    assert (blank.state, blank.licence_no) == ("used", LICENCE_NO)
    assert custody.open_reservations(ledger) == []
    custody.verify(ledger)


def test_a_printer_device_gets_every_byte_of_the_job(url: str, tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    os.mkfifo(device)  # a device that reads what it is sent, as a printer port does
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(device.read_bytes()), daemon=True)
    reader.start()
    result = issue(url, "--to", f"device:{device}", "--format", "escp")
    reader.join(30)
    assert result.exit_code == 0, result.output
    assert received == [render_escp(load_licence(EXAMPLE.read_bytes()), serial="00000001")]
    assert custody.where(reopened(url), "00000001").licence_no == LICENCE_NO


def test_a_failing_send_voids_the_blank_and_the_next_attempt_uses_the_next(
    url: str, tmp_path: Path
) -> None:
    result = issue(url, "--to", "device:/dev/full")  # every write: no space left on device
    assert result.exit_code == 1
    assert "sending to device:/dev/full failed: No space left on device" in result.output
    assert "blank 00000001 is voided as a misprint" in result.output
    ledger = reopened(url)
    spoilt = custody.where(ledger, "00000001")
    assert (spoilt.state, spoilt.void_reason) == ("void", "misprint")
    assert "No space left on device" in spoilt.history[-1].payload["note"]
    assert custody.where(ledger, "00000002").state == "with_terminal"
    assert custody.open_reservations(ledger) == []

    again = issue(url, "--to", f"file:{tmp_path / 'out.pdf'}")
    assert again.exit_code == 0, again.output
    assert "printed on IL blank 00000002" in again.stdout
    assert custody.where(reopened(url), "00000002").licence_no == LICENCE_NO


def test_a_reservation_left_by_a_crash_blocks_the_terminal_until_resolved(
    url: str, tmp_path: Path
) -> None:
    ledger = reopened(url)
    custody.allocate(ledger, "T1")  # the process reserved 00000001, then the power went
    before = snapshot(ledger)
    out = tmp_path / "out.pdf"
    blocked = issue(url, "--to", f"file:{out}")
    assert blocked.exit_code == 1
    assert "terminal T1 is blocked" in blocked.output
    assert "blank 00000001 (IL), reserved " in blocked.output
    assert "gbt15311 custody use 00000001 --type IL --terminal T1" in blocked.output
    assert "gbt15311 custody void 00000001 --type IL --terminal T1 --reason misprint" in (
        blocked.output
    )
    assert snapshot(ledger) == before
    assert not out.exists()

    resolved = run(
        "custody", "--db", url, "void", "00000001", "--reason", "misprint", "--by", "chen"
    )
    assert resolved.exit_code == 0, resolved.output
    assert issue(url, "--to", f"file:{out}").exit_code == 0
    assert custody.where(ledger, "00000002").licence_no == LICENCE_NO


def test_a_retry_prints_nothing_and_names_the_blank(url: str, tmp_path: Path) -> None:
    assert issue(url, "--to", f"file:{tmp_path / 'first.pdf'}").exit_code == 0
    ledger = reopened(url)
    before = snapshot(ledger)
    retry = issue(url, "--to", f"file:{tmp_path / 'retry.pdf'}", "--format", "escp")
    assert retry.exit_code == 1
    assert f"licence {LICENCE_NO} is already printed on IL serial 00000001" in retry.output
    assert "it was not printed again" in retry.output
    assert not (tmp_path / "retry.pdf").exists()
    assert snapshot(ledger) == before


def test_two_processes_issuing_one_licence_print_it_once(url: str, tmp_path: Path) -> None:
    jobs, ready = tmp_path / "jobs", tmp_path / "ready"
    ready.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), url, LICENCE_NO, str(jobs), str(ready), name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        for name in ("a", "b")
    ]
    outcomes = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outcomes.append(out.strip())
    assert sorted(outcomes) == ["already 00000001", "printed 00000001"]
    assert len(jobs.read_bytes().splitlines()) == 1
    ledger = reopened(url)
    assert custody.where(ledger, "00000001").licence_no == LICENCE_NO
    assert custody.where(ledger, "00000002").state == "with_terminal"
    assert custody.open_reservations(ledger) == []


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("printer:lp0", "write the destination as file:PATH, device:PATH or cups:QUEUE"),
        ("file:", "the file to send to is blank"),
        ("cups:-x", "'-x' is not a CUPS queue name"),
    ],
)
def test_a_destination_written_wrong_is_a_usage_error(url: str, to: str, message: str) -> None:
    result = issue(url, "--to", to)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("file:{tmp}/no/such/folder/out.pdf", "/no/such/folder does not exist"),
        ("file:{tmp}", "is a folder"),
        ("file:{tmp}/lp0", "is a device or a pipe, not a file"),
        ("device:{tmp}/lp9", "no such device; is the printer plugged in?"),
        ("cups:office", "CUPS is not installed here (no 'lp' command)"),
    ],
)
def test_a_destination_that_cannot_take_the_job_costs_no_blank(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to: str, message: str
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    os.mkfifo(tmp_path / "lp0")  # a device named as a file: a file put in its place breaks it
    before = snapshot(reopened(url))
    result = issue(url, "--to", to.format(tmp=tmp_path))
    assert result.exit_code == 2
    assert message in result.output
    assert snapshot(reopened(url)) == before
    assert stat.S_ISFIFO((tmp_path / "lp0").stat().st_mode)


def test_a_licence_with_problems_costs_no_blank(url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    text = EXAMPLE.read_text(encoding="utf-8")
    bad.write_text(text.replace('"2027-03-31"', '"2027-02-30"'), encoding="utf-8")
    before = snapshot(reopened(url))
    out = tmp_path / "out.pdf"
    result = run("issue", str(bad), "--terminal", "T1", "--db", url, "--to", f"file:{out}")
    assert result.exit_code == 1
    assert f"{bad}: 1 problem" in result.output
    assert snapshot(reopened(url)) == before
    assert not out.exists()


def test_escp_prints_one_pass_through_the_carbon_set(url: str, tmp_path: Path) -> None:
    result = issue(url, "--to", f"file:{tmp_path / 'x'}", "--format", "escp", "--parts", "1,2")
    assert result.exit_code == 2
    assert "leave --parts out or give 'set'" in result.output


def fake_cups(folder: Path, *, fails: bool = False, queues: str = "window1") -> Path:
    """An ``lp`` that keeps its arguments and its input, or fails as CUPS does, and an
    ``lpstat`` that knows ``queues``."""
    folder.mkdir()
    lp = (
        'echo "lp: The printer or class does not exist." >&2; exit 1'
        if fails
        else f'echo "$@" > {folder}/args; cat > {folder}/job; echo "request id is q-1"'
    )
    lpstat = (
        f'case " {queues} " in *" $2 "*) exit 0;; esac; '
        'echo "lpstat: Invalid destination name in list \\"$2\\"." >&2; exit 1'
    )
    for name, body in (("lp", lp), ("lpstat", lpstat)):
        script = folder / name
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return folder


@pytest.mark.parametrize(
    ("output_format", "options"),
    [("escp", "-o raw"), ("pdf", " ".join(CUPS_PDF_OPTIONS))],
)
def test_cups_gets_escp_raw_and_a_pdf_at_actual_size(
    url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    output_format: str,
    options: str,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    cups = fake_cups(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{cups}{os.pathsep}{os.environ['PATH']}")
    result = issue(url, "--to", "cups:window1", "--format", output_format)
    assert result.exit_code == 0, result.output
    assert (cups / "args").read_text() == f"-d window1 {options} -\n"
    rendered = tmp_path / "rendered"
    assert run(
        "render", str(EXAMPLE), "-o", str(rendered), "--serial", "00000001",
        "--format", output_format,
    ).exit_code == 0  # fmt: skip
    assert (cups / "job").read_bytes() == rendered.read_bytes()


def test_a_queue_cups_does_not_have_costs_no_blank(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(fake_cups(tmp_path / "bin")))
    before = snapshot(reopened(url))
    result = issue(url, "--to", "cups:windowl")
    assert result.exit_code == 2
    said = 'lpstat: Invalid destination name in list "windowl".'
    assert f"cups:windowl: CUPS cannot print there: {said}" in result.output
    assert snapshot(reopened(url)) == before


def test_a_cups_refusal_is_said_and_voids_the_blank(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(fake_cups(tmp_path / "bin", fails=True)))
    result = issue(url, "--to", "cups:window1")
    assert result.exit_code == 1
    assert "sending to cups:window1 failed: lp: The printer or class does not exist." in (
        result.output
    )
    assert custody.where(reopened(url), "00000001").void_reason == "misprint"


@given(st.text())
def test_any_destination_text_is_a_sender_that_writes_back_or_a_clear_refusal(
    text: str,
) -> None:
    try:
        written = str(Sender.parse(text))
    except PrinterFailed as refusal:
        written = str(refusal)
        assert written.startswith(f"{text!r}: ")
    else:
        assert written == text


def test_the_command_is_documented_with_every_option() -> None:
    documented = documented_options("issuing.md", "gbt15311")
    assert documented == {"issue": options(issue_command)}


def test_a_licence_text_mode_cannot_print_costs_no_blank(url: str, tmp_path: Path) -> None:
    licence = json.loads(EXAMPLE.read_text("utf-8"))
    licence["items"][0]["specification"] = "VMC-850 Böhler"  # ö: one position, four bytes
    source = tmp_path / "licence.json"
    source.write_text(json.dumps(licence, ensure_ascii=False), "utf-8")
    ledger = reopened(url)
    before = snapshot(ledger)
    out = tmp_path / "out.escp"
    refused = run(
        "issue",
        str(source),
        "--terminal",
        "T1",
        "--db",
        url,
        "--to",
        f"file:{out}",
        "--format",
        "escp",
    )
    assert refused.exit_code != 0
    assert "规格、型号 Specification (items[0].specification): 'ö' (U+00F6) counts 1" in (
        refused.output
    )
    assert snapshot(ledger) == before
    assert not out.exists()
    printed = run("issue", str(source), "--terminal", "T1", "--db", url, "--to", f"file:{out}.pdf")
    assert printed.exit_code == 0, printed.output


@pytest.mark.parametrize(
    ("content", "message"), [(None, "cannot be read: "), ("{", "cannot be read as JSON: ")]
)
def test_a_file_that_cannot_be_read_as_json_is_a_usage_error_costing_no_blank(
    url: str, tmp_path: Path, content: str | None, message: str
) -> None:
    source = tmp_path / "licence.json"
    if content is not None:
        source.write_text(content, "utf-8")
    ledger = reopened(url)
    before = snapshot(ledger)
    out = tmp_path / "out.pdf"
    refused = run("issue", str(source), "--terminal", "T1", "--db", url, "--to", f"file:{out}")
    assert refused.exit_code == 2, refused.output
    assert f"licence.json: {message}" in refused.output
    assert snapshot(ledger) == before
    assert not out.exists()
