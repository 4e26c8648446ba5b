"""Data files shipped beside the code: the printing font and the example licences.

The wheel puts each folder inside the package (``force-include`` in ``pyproject.toml``); a
source checkout has it at the top, beside the package. One rule finds both.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def shipped(package: Path, folder: str, name: str, what: str) -> Path:
    """``folder/name`` inside the installed ``package``, else in the source checkout beside it;
    a missing file names both places looked in."""
    installed = package / folder / name
    checkout = package.parent / folder / name
    for path in (installed, checkout):
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"{what} {name} is missing: it is neither in the installed package ({installed})"
        f" nor in the source checkout ({checkout}); reinstall gbt15311"
    )


def example(name: str) -> dict[str, Any]:
    """The licence of ``examples/NAME``: the file is the one copy, for doctests and quick
    starts alike."""
    path = shipped(Path(__file__).parent, "examples", name, "the example licence")
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data
