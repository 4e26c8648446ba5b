"""Customs measurement units (field 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbt15311.codes import units
from gbt15311.codes.units import Unit
from gbt15311.exceptions import InvalidComponent, InvalidFormat, InvalidLength

ALL = units.all_units()


def test_the_whole_table_of_the_notes_is_shipped() -> None:
    assert len(ALL) == 122
    assert ALL[0] == Unit("001", "台")
    assert ALL[-1] == Unit("163", "部")
    assert units.lookup("149") == Unit("149", "千百万贝可")
    assert units.lookup("032").name == "平方米"


@pytest.mark.parametrize(
    ("given_", "code"),
    [
        ("035", "035"),
        ("35", "035"),
        ("３５", "035"),
        (" 035 ", "035"),
        ("千克", "035"),
        ("台", "001"),
        ("1", "001"),
        (" 平方 米 ", "032"),
    ],
)
def test_code_or_name(given_: str, code: str) -> None:
    assert units.validate(given_) == code
    assert units.is_valid(given_)


def test_format_is_the_name() -> None:
    assert units.format("070") == "吨"


@pytest.mark.parametrize("unknown", ["024", "24", "000", "999"])
def test_codes_outside_the_table(unknown: str) -> None:
    with pytest.raises(InvalidComponent, match="no customs measurement unit has the code"):
        units.validate(unknown)
    assert not units.is_valid(unknown)


def test_unknown_name_suggests_close_units() -> None:
    with pytest.raises(InvalidComponent, match=r"did you mean .*斤 \(075\)"):
        units.validate("公斤")


def test_too_long_code() -> None:
    with pytest.raises(InvalidLength):
        units.validate("0035")


def test_empty_and_non_text() -> None:
    with pytest.raises(InvalidFormat):
        units.validate("  ")
    with pytest.raises(InvalidFormat):
        units.validate(35)  # type: ignore[arg-type]


@given(st.sampled_from(ALL))
def test_every_unit_round_trips_code_and_name(unit: Unit) -> None:
    assert units.lookup(unit.code) == unit
    assert units.lookup(unit.name) == unit
    assert units.validate(units.format(unit.code)) == unit.code
    assert units.validate(unit.code.lstrip("0")) == unit.code


def test_codes_and_names_are_unique() -> None:
    assert len({u.code for u in ALL}) == len({u.name for u in ALL}) == len(ALL)


def test_load_units_corrects_and_extends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(units, "_index", {})
    monkeypatch.setattr(units, "_by_code", {})
    table = tmp_path / "units.csv"
    table.write_text("code,name\n164,千件\n163,部件\n", encoding="utf-8")
    units.load_units(table)
    assert units.lookup("164") == Unit("164", "千件")
    assert units.format("163") == "部件"
    assert not units.is_valid("部")
    assert units.validate("台") == "001"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,name\n16,件\n", "line 2: a unit code has three digits"),
        ("code,name\n164,\n", "line 2: unit 164 has no name"),
        ("code;name\n164;千件\n", "header"),
        ("code,name\n164,台\n", "same name"),
    ],
)
def test_load_units_rejects_bad_files_and_changes_nothing(
    tmp_path: Path, content: str, message: str
) -> None:
    table = tmp_path / "units.csv"
    table.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidFormat, match=message):
        units.load_units(table)
    assert units.all_units() == ALL
