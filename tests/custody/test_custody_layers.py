"""Imports point one way: the package's import graph, read from the source (``ast``).

Custody is layered ``store`` ← ``operations`` and ``proof`` ← ``reports``, with the lifecycle
table beneath them all; the licence renderer and custody never import each other (issuing
joins them from above), and no import cycle exists anywhere, the CLI included. Imports inside
functions count as much as those at the top; only ``if TYPE_CHECKING:`` blocks do not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "gbt15311"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module(path): path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts}


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node but those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


@cache
def graph() -> dict[str, frozenset[str]]:
    """Each module of the package and the modules of the package it imports."""
    modules = _modules()
    edges: dict[str, frozenset[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _runtime_nodes(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(
                        [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                    ).strip(".")
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    found.add(submodule if submodule in modules else base)
        edges[name] = frozenset(m for m in found if m in modules and m != name)
    return edges


def _reach(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for following in graph()[todo.pop()]:
            if following not in seen:
                seen.add(following)
                todo.append(following)
    return seen


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _imports(source: str, target: str) -> list[str]:
    """Modules of ``source`` that import a module of ``target`` directly."""
    return sorted(
        f"{module} -> {imported}"
        for module, imports in graph().items()
        if _under(module, source)
        for imported in imports
        if _under(imported, target)
    )


def test_the_graph_sees_the_imports() -> None:
    assert "gbt15311.custody.store._ledger" in graph()["gbt15311.custody.operations._printing"]
    assert "gbt15311.custody.lifecycle" in graph()["gbt15311.custody.proof._replay"]


def test_the_package_has_no_import_cycle() -> None:
    cycles = sorted(module for module in graph() if module in _reach(module))
    assert cycles == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("gbt15311.custody", "gbt15311.render"),
        ("gbt15311.render", "gbt15311.custody"),
        ("gbt15311.custody.proof", "gbt15311.custody.operations"),
        ("gbt15311.custody.proof", "gbt15311.custody.reports"),
        ("gbt15311.custody.store", "gbt15311.custody.operations"),
        ("gbt15311.custody.store", "gbt15311.custody.proof"),
        ("gbt15311.custody.store", "gbt15311.custody.reports"),
        ("gbt15311.custody.operations", "gbt15311.custody.reports"),
        ("gbt15311.custody.reports", "gbt15311.custody.operations"),
        ("gbt15311.custody.lifecycle", "gbt15311.custody"),
        ("gbt15311.typeset", "gbt15311.render"),
    ],
)
def test_a_layer_does_not_import_the_one_named(source: str, target: str) -> None:
    assert _imports(source, target) == []


def test_custody_and_render_do_not_reach_each_other() -> None:
    """Not even through a third module: issuing, above both, is the only join."""
    custody = [m for m in graph() if _under(m, "gbt15311.custody") and m != "gbt15311.custody"]
    assert sorted(m for m in custody if any(_under(r, "gbt15311.render") for r in _reach(m))) == []
    render = [m for m in graph() if _under(m, "gbt15311.render")]
    assert sorted(m for m in render if any(_under(r, "gbt15311.custody") for r in _reach(m))) == []
