"""The example licences are one copy, the files of examples/, shipped inside the wheel."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from gbt15311 import export_licence, model
from gbt15311._shipped import shipped

ROOT = Path(__file__).parent.parent


def test_the_examples_in_code_are_the_files() -> None:
    examples = ROOT / "examples"
    assert json.loads((examples / "import-licence.json").read_text("utf-8")) == model.EXAMPLE
    export = json.loads((examples / "export-licence.json").read_text("utf-8"))
    assert export == export_licence.EXAMPLE


def test_the_wheel_ships_the_examples_where_the_package_looks() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    included = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert included["examples"] == "gbt15311/examples"
    assert included["fonts"] == "gbt15311/fonts"


def test_the_installed_file_wins_over_a_source_checkout(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "gbt15311"
    for folder in (package / "examples", tmp_path / "site-packages" / "examples"):
        folder.mkdir(parents=True)
        (folder / "a.json").write_text("{}")
    assert shipped(package, "examples", "a.json", "the example") == package / "examples" / "a.json"
    (package / "examples" / "a.json").unlink()
    checkout = tmp_path / "site-packages" / "examples" / "a.json"
    assert shipped(package, "examples", "a.json", "the example") == checkout


def test_a_missing_file_names_both_places_looked_in(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as error:
        shipped(tmp_path / "gbt15311", "examples", "a.json", "the example licence")
    assert str(tmp_path / "gbt15311" / "examples" / "a.json") in str(error.value)
    assert str(tmp_path / "examples" / "a.json") in str(error.value)
