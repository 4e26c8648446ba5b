"""The worked example in docs/custody-day.md runs, command by command, as written, and
prints what the page quotes: event numbers, counts, serials and messages."""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

import gbt15311.custody.store._ledger as ledger
from gbt15311.cli import custody_report, main
from gbt15311.custody.store._events import CHINA

DAY = Path(__file__).parents[2] / "docs" / "custody-day.md"
EXAMPLES = Path(__file__).parents[2] / "examples"
_CAPTURE = re.compile(r"(\w+)=\$\((.*)\)")
_BLOCK = re.compile(r"```(sh|text)\n(.*?)```", flags=re.DOTALL)
_VARYING = (
    (re.compile(r"\b\d\d:\d\d:\d\d\b"), "<time>"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "<hash>"),
)
"""What the page cannot pin: the seconds a command takes, and the hashes over them."""
START = datetime.combine(date(2026, 11, 23), time(8), CHINA)
LATER = {"Later that month": date(2026, 11, 30)}
"""The days of the sections whose heading is not a time of the page's first day."""


@dataclass
class PageClock:
    """The page's own day: a section headed by a time (``## 09:00 — …``) starts at that time
    of its day (China time), ``Later that month`` on its day, ``The next morning`` at 09:00
    of the day after; each event a few seconds after the one before."""

    now: datetime = START

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=7)
        return self.now

    def turn_to(self, heading: str) -> None:
        day = self.now.astimezone(CHINA).date()
        if at := re.match(r"(\d\d):(\d\d) ", heading):
            self.now = datetime.combine(day, time(int(at[1]), int(at[2])), CHINA)
        elif heading in LATER:
            self.now = datetime.combine(LATER[heading], time(9), CHINA)
        elif heading.startswith("The next morning"):
            self.now = datetime.combine(day + timedelta(days=1), time(9), CHINA)


@dataclass
class Step:
    """One ``sh`` block: its section's heading, its commands, and the lines of the ``text``
    block right after it, what the page says they print (a ``text`` block after prose
    alone is not output)."""

    heading: str
    commands: list[str]
    quotes: list[str] = field(default_factory=list)


def steps() -> list[Step]:
    """The page's ``sh`` blocks in order, continuation lines joined."""
    found: list[Step] = []
    for section in DAY.read_text(encoding="utf-8").split("\n## ")[1:]:
        heading = section.partition("\n")[0]
        previous = ""
        for kind, body in _BLOCK.findall(section):
            lines = body.replace("\\\n", " ").splitlines()
            if kind == "sh":
                found.append(Step(heading, lines))
            elif previous == "sh":
                found[-1].quotes.extend(lines)
            previous = kind
    return found


def normal(line: str) -> str:
    for pattern, placeholder in _VARYING:
        line = pattern.sub(placeholder, line)
    return line


def quoted(line: str) -> re.Pattern[str]:
    """A quoted line as a pattern: ``…`` marks text the page shortened."""
    return re.compile(".*?".join(re.escape(part) for part in normal(line).split("…")))


def unmatched(quotes: list[str], printed: list[str]) -> list[str]:
    """The quoted lines not found, in order, among the lines printed."""
    missing: list[str] = []
    position = 0
    for line in quotes:
        pattern = quoted(line)
        at = next(
            (i for i in range(position, len(printed)) if pattern.fullmatch(normal(printed[i]))),
            None,
        )
        if at is None:
            missing.append(line)
        else:
            position = at + 1
    return missing


def test_the_page_quotes_every_output_after_its_commands() -> None:
    """The pairing the test relies on: the page quotes output, and each quote follows the
    commands that print it."""
    assert sum(bool(step.quotes) for step in steps()) >= 15
    assert unmatched(["event 22 at 2026-11-23 11:15:02"], ["event 22 at 2026-11-23 11:17:45"]) == []
    assert unmatched(["on 2026-11-23"], ["on 2026-11-24"]) == ["on 2026-11-23"]
    assert unmatched(["event 22"], ["event 23"]) == ["event 22"]
    assert unmatched(['{"a":1,…}'], ['{"a":1,"b":2}']) == []
    assert unmatched(["b", "a"], ["a", "b"]) == ["a"]  # in the order printed


def test_the_day_runs(engine_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every command exits as the page says (among them, the self-check after the count that
    was short, the loss and the recount that agrees: exit 0, the difference is settled), and
    every line the page quotes after a block is printed by it, in order, on the page's own
    days, the same but for the seconds and the hashes over them."""
    clock = PageClock()
    for opening in (ledger.open_ledger, ledger.init_ledger):
        defaults = opening.__kwdefaults__
        assert defaults is not None
        monkeypatch.setitem(defaults, "clock", clock)  # every command's ledger runs on it
    monkeypatch.setattr(custody_report, "_today", lambda: clock.now.astimezone(CHINA).date())
    monkeypatch.setenv("GBT15311_DB", engine_url)
    monkeypatch.chdir(tmp_path)  # where the reports' PDFs and the issued licences go
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    variables: dict[str, str] = {}
    for step in steps():
        clock.turn_to(step.heading)
        printed: list[str] = []
        for line in step.commands:
            expected = 1 if "# exits 1" in line else 0
            captured = _CAPTURE.fullmatch(line)
            command = captured.group(2) if captured else line
            command = re.sub(r"\$(\w+)", lambda m: variables[m.group(1)], command)
            words = shlex.split(command, comments=True)
            assert words[0] == "gbt15311", line
            assert words[1] in ("custody", "issue"), line
            result = CliRunner().invoke(main, words[1:])
            assert result.exit_code == expected, f"{line}\n{result.output}"
            if captured:
                variables[captured.group(1)] = result.stdout.strip()
            else:
                printed.extend(result.output.splitlines())
        missing = unmatched(step.quotes, printed)
        assert missing == [], "\n".join(["", *step.commands, "printed:", *printed])
