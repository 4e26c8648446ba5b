"""Trade modes (field 5): form only, membership against a table the user loads."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbt15311.codes import trade_mode
from gbt15311.exceptions import InvalidComponent, InvalidFormat, InvalidLength


def test_names_of_the_notes() -> None:
    assert len(trade_mode.NAMES) == len(set(trade_mode.NAMES)) == 16
    assert trade_mode.NAMES[0] == "一般贸易"
    assert "其他" in trade_mode.NAMES


@pytest.mark.parametrize(("given_", "expected"), [("10", "10"), ("１０", "10"), (" 0 2 ", "02")])
def test_form(given_: str, expected: str) -> None:
    assert trade_mode.validate(given_) == trade_mode.format(given_) == expected
    assert trade_mode.is_valid(given_)


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ("1", InvalidLength),
        ("110", InvalidLength),
        ("一般贸易", InvalidFormat),
        ("1A", InvalidFormat),
    ],
)
def test_invalid_form(bad: str, error: type[Exception]) -> None:
    with pytest.raises(error, match="2 digits"):
        trade_mode.validate(bad)
    assert not trade_mode.is_valid(bad)


def test_load_table(tmp_path: Path) -> None:
    path = tmp_path / "modes.csv"
    path.write_text(
        "# our office's table\ncode,name\n10,一般贸易\n２１,来料加工\n", encoding="utf-8"
    )
    table = trade_mode.load_table(path)
    assert table.validate_code("10") == "10"
    assert table.name("２１") == "来料加工"
    with pytest.raises(InvalidComponent, match=r"modes\.csv"):
        table.validate_code("11")
    with pytest.raises(InvalidComponent):
        table.name("11")
    with pytest.raises(InvalidLength):
        table.validate_code("1")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,name\n1,一般贸易\n", "line 2: .*2 digits"),
        ("code,name\n10,\n", "line 2: trade mode 10 has no name"),
        ("code,name\n10,一般贸易\n10,易货贸易\n", "line 3: trade mode 10 is given twice"),
        ("code;name\n10;一般贸易\n", "header"),
        ("code,name\n", "no trade modes"),
        ("", "empty"),
    ],
)
def test_load_table_rejects_bad_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "modes.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidFormat, match=message):
        trade_mode.load_table(path)


@given(st.text("0123456789", min_size=2, max_size=2))
def test_round_trip(code: str) -> None:
    assert trade_mode.validate(trade_mode.format(code)) == trade_mode.validate(code) == code
