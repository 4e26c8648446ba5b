"""The 4-digit customs district code (field 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbt15311.codes import customs_district
from gbt15311.codes.customs_district import District
from gbt15311.exceptions import InvalidComponent, InvalidFormat, InvalidLength

ALL = customs_district.all_districts()


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("2200", "上海海关"),
        ("2201", "浦江海关"),
        ("5100", "广州海关"),
        ("0100", "北京海关"),
        ("0200", "天津海关"),
        ("3100", "宁波海关"),
        ("4200", "青岛海关"),
        ("5300", "深圳海关"),
    ],
)
def test_known_districts(code: str, name: str) -> None:
    assert customs_district.name(code) == name
    assert customs_district.check_name(code, name) == code
    assert customs_district.check_name(code, f" {name} ") == code


def test_unknown_but_well_formed_codes_pass() -> None:
    assert customs_district.validate("2249") == "2249"
    assert customs_district.name("2249") is None
    assert customs_district.check_name("2249", "洋山海关") == "2249"


def test_name_mismatch() -> None:
    with pytest.raises(InvalidComponent, match="5100 is 广州海关, not 深圳海关"):
        customs_district.check_name("5100", "深圳海关")


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ("220", InvalidLength),
        ("22001", InvalidLength),
        ("22A0", InvalidFormat),
        ("", InvalidLength),
        ("上海海关", InvalidFormat),
    ],
)
def test_invalid(bad: str, error: type[Exception]) -> None:
    with pytest.raises(error, match="4 digits"):
        customs_district.validate(bad)
    assert not customs_district.is_valid(bad)
    with pytest.raises(error):
        customs_district.name(bad)


def test_full_width_input() -> None:
    assert customs_district.format("２２０１") == "2201"
    assert customs_district.check_name("２２０１", "浦江海关") == "2201"


def test_table_rows_are_well_formed() -> None:
    assert len(ALL) >= 40
    for district in ALL:
        assert customs_district.validate(district.code) == district.code
        assert district.name.endswith("海关")
    assert len({d.name for d in ALL}) == len(ALL)


@given(st.sampled_from(ALL))
def test_round_trip(district: District) -> None:
    code = customs_district.format(district.code)
    assert customs_district.validate(code) == district.code
    assert customs_district.check_name(code, customs_district.name(code) or "") == district.code


def test_load_districts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(customs_district, "_table", {})
    table = tmp_path / "districts.csv"
    table.write_text("code,name\n2248,洋山海关\n2201,上海浦江海关\n", encoding="utf-8-sig")
    customs_district.load_districts(table)
    assert customs_district.name("2248") == "洋山海关"
    assert customs_district.name("2201") == "上海浦江海关"
    assert customs_district.name("2200") == "上海海关"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,name\n224,洋山海关\n", "line 2: .*4 digits"),
        ("code,name\n2248,\n", "line 2: .* no name"),
        ("# a comment\ncode\n2248\n", "header"),
    ],
)
def test_load_districts_rejects_bad_files(tmp_path: Path, content: str, message: str) -> None:
    table = tmp_path / "districts.csv"
    table.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidFormat, match=message):
        customs_district.load_districts(table)
    assert customs_district.all_districts() == ALL


def test_names_must_match_exactly() -> None:
    with pytest.raises(InvalidComponent, match="2201 is 浦江海关"):
        customs_district.check_name("2201", "上海浦江海关")
