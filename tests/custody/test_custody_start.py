"""A custody command starts with the database library only: no licence model, no renderer,
no migration tool (see ``docs/performance.md``). Each check runs a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gbt15311 import custody

HEAVY = ("reportlab", "alembic", "fontTools", "pydantic", "pycountry", "stdnum", "rich")


@pytest.mark.parametrize("command", [["where", "00000001"], ["stock"], ["verify"]])
def test_a_custody_command_imports_only_what_it_uses(
    stocked: custody.Ledger, engine_url: str, command: list[str]
) -> None:
    argv = ["custody", *command, "--db", engine_url]
    probe = (
        "import sys\nfrom gbt15311.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit as exit:\n    assert exit.code == 0\n"
        f"print('loaded:', *(name for name in {HEAVY!r} if name in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.rpartition("loaded:")[2].split() == []
