"""What issuing software may import is what the docs list; every command is documented."""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

import click
import pytest

from gbt15311.cli import main

DOCS = Path(__file__).parent.parent / "docs"


def _documented(section: str) -> set[str]:
    text = (DOCS / "api.md").read_text("utf-8")
    body = text.split(f"## `{section}`\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", body, re.MULTILINE))


@pytest.mark.parametrize("namespace", ["gbt15311", "gbt15311.custody.reports"])
def test_a_namespace_exports_exactly_the_documented_names(namespace: str) -> None:
    module = import_module(namespace)
    assert set(module.__all__) == _documented(namespace)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing, f"{namespace} lists names it does not have: {missing}"


def _commands(group: click.Group, prefix: str) -> list[str]:
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):  # the top group loads its commands lazily
        command = group.get_command(context, name)
        path = f"{prefix} {name}"
        found.append(path)
        if isinstance(command, click.Group):
            found.extend(_commands(command, path))
    return found


def test_every_command_is_documented() -> None:
    docs = "\n".join(p.read_text("utf-8") for p in DOCS.glob("*.md"))
    missing = [path for path in _commands(main, "gbt15311") if path not in docs]
    assert not missing, f"commands not mentioned in docs/: {missing}"
