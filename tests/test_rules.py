"""The value rules: their shortcuts agree with the rules they shorten, and kept verdicts never
outlive the tables they came from."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from gbt15311 import cells, font
from gbt15311.codes import units
from gbt15311.exceptions import LicenceInvalid
from gbt15311.loading import load_licence
from gbt15311.model import EXAMPLE
from gbt15311.rules import Number, Text, code, printed_number

QUANTITY = Number("n..12", decimals=1, columns=13)
AMOUNT_USD = Number("n..9", decimals=2, columns=11)
SHORT = Text("an..16")

# Letters, CJK, full-width and ambiguous punctuation, and characters that cannot print:
# controls, a zero-width space, a combining accent, an emoji the font lacks.
_CHARACTERS = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80),
    st.sampled_from("（）、。“”é·—\t\n\u200b\u0301\U0001f600"),
)


def message(check: Any, value: Any) -> str:
    """The problem a rule reports for ``value``, or ``""`` when it accepts it."""
    try:
        check(value)
    except PydanticCustomError as error:
        return str(error.context["message"]) if error.context else str(error)
    return ""


@given(st.text(_CHARACTERS, max_size=12))
def test_a_single_line_is_accepted_exactly_when_it_prints_and_fits(text: str) -> None:
    prints = not cells.unprintable(text) and not font.missing_glyphs(text)
    fits = prints and text.strip() != "" and cells.cell_len(text) <= 16
    assert (message(SHORT.validate, text) == "") == fits


@given(st.lists(st.text(_CHARACTERS, max_size=12), min_size=1, max_size=3))
def test_lines_are_judged_line_by_line(lines: list[str]) -> None:
    rule = Text("an..16*2")
    prints = all(not cells.unprintable(line) and not font.missing_glyphs(line) for line in lines)
    fits = (
        prints
        and "".join(lines).strip() != ""
        and len(lines) <= 2
        and all(cells.cell_len(line) <= 16 for line in lines)
    )
    assert (message(rule.validate, lines) == "") == fits


@st.composite
def _computed_numbers(draw: st.DrawFn) -> tuple[Number, Decimal]:
    """A rule and a positive number with no more decimals than it allows, of any length
    (digit counts drawn first, so the column's edges are met often)."""
    rule = draw(st.sampled_from([QUANTITY, AMOUNT_USD]))
    places = draw(st.integers(0, rule.representation.decimals or 0))
    digits = draw(st.integers(1, 14))
    units = draw(st.integers(10 ** (digits - 1), 10**digits - 1))
    return rule, Decimal(units).scaleb(-places)


@given(_computed_numbers())
def test_the_shortcut_for_computed_numbers_agrees_with_the_rule(
    case: tuple[Number, Decimal],
) -> None:
    rule, number = case
    assert (rule.problem(number) == "") == (message(rule.validate, printed_number(number)) == "")


def test_a_number_with_a_huge_exponent_is_refused_without_writing_it_out() -> None:
    assert "far too many digits" in message(QUANTITY.validate, "1e999999999")
    assert "far too many digits" in message(QUANTITY.validate, "1e-999999999")


@pytest.mark.parametrize("given", ["2", 2, Decimal("2")])
def test_a_number_may_be_text_an_integer_or_a_decimal(given: Any) -> None:
    assert QUANTITY.validate(given) == Decimal(2)


@pytest.mark.parametrize("given", [2.0, True, None, [2]])
def test_anything_else_is_refused_as_a_number(given: Any) -> None:
    assert message(QUANTITY.validate, given).startswith("must be a number written as a string")


def test_equal_numbers_keep_the_decimals_they_were_given() -> None:
    assert str(AMOUNT_USD.validate("2.50")) == "2.50"
    assert str(AMOUNT_USD.validate("2.5")) == "2.5"


def test_kept_code_verdicts_still_refuse_what_is_not_text() -> None:
    check = code(lambda value: value.strip())
    assert check(" 10 ") == "10"
    assert message(check, 10) == "must be text"


def test_a_unit_table_loaded_later_is_seen_by_the_next_licence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = copy.deepcopy(dict(EXAMPLE))
    data["items"][0]["unit"] = "部"
    assert load_licence(data).items[0].unit == "部"
    monkeypatch.setattr(units, "_index", {})
    monkeypatch.setattr(units, "_by_code", {})
    table = tmp_path / "units.csv"
    table.write_text("code,name\n163,部件\n", encoding="utf-8")
    units.load_units(table)
    with pytest.raises(LicenceInvalid, match="not a customs measurement unit"):
        load_licence(data)
    data["items"][0]["unit"] = "163"
    assert load_licence(data).items[0].unit == "部件"
