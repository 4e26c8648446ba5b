"""The worked example in docs/custody-day.md runs, command by command, as written."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gbt15311.cli import main

DAY = Path(__file__).parents[2] / "docs" / "custody-day.md"
EXAMPLES = Path(__file__).parents[2] / "examples"
_CAPTURE = re.compile(r"(\w+)=\$\((.*)\)")


def commands() -> list[str]:
    """The lines of the page's ``sh`` blocks, continuation lines joined."""
    blocks = re.findall(r"```sh\n(.*?)```", DAY.read_text(encoding="utf-8"), flags=re.DOTALL)
    return [line for block in blocks for line in block.replace("\\\n", " ").splitlines()]


def test_the_day_runs(engine_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every command exits as the page says: among them, the self-check after the count that
    was short, the loss and the recount that agrees (exit 0: the difference is settled)."""
    monkeypatch.setenv("GBT15311_DB", engine_url)
    monkeypatch.chdir(tmp_path)  # where the reports' PDFs and the issued licences go
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    variables: dict[str, str] = {}
    for line in commands():
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
