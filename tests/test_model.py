"""The licence model: every rule of the notes, every problem reported at once."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbt15311 import cells
from gbt15311.exceptions import LicenceInvalid, Problem
from gbt15311.loading import load_licence
from gbt15311.model import CAPACITY, EXAMPLE, FILL, ImportLicence
from gbt15311.strategies import licence_dicts


def licence(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(dict(EXAMPLE))
    data.update(changes)
    return data


def problems_of(data: Any) -> list[Problem]:
    with pytest.raises(LicenceInvalid) as raised:
        load_licence(data)
    return raised.value.problems


def only_problem(data: Any) -> Problem:
    problems = problems_of(data)
    assert len(problems) == 1, problems
    return problems[0]


def test_example_is_valid_and_totals_are_computed() -> None:
    valid = load_licence(EXAMPLE, form="import")
    assert valid.country_of_exportation == "DE"
    assert valid.country_of_origin == "DE"
    assert valid.totals.quantity == Decimal(2)
    assert valid.totals.unit == "台"
    assert valid.totals.amount == Decimal("250000.00")
    assert valid.totals.amount_usd == Decimal(271250)


def test_mixed_units_leave_the_total_quantity_blank(examples: Any) -> None:
    valid = load_licence((examples / "mixed-units.json").read_text())
    assert {item.unit for item in valid.items} == {"台", "套", "千克"}
    assert valid.totals.quantity is None
    assert valid.totals.unit is None
    assert valid.totals.amount == sum(item.amount or 0 for item in valid.items)


def test_amount_left_out_is_quantity_times_price_rounded_half_up() -> None:
    item = {
        "specification": "X",
        "unit": "千克",
        "quantity": "3",
        "unit_price": "0.3350",
        "amount_usd": "1",
    }
    valid = load_licence(licence(items=[item]))
    assert valid.items[0].amount == Decimal("1.01")  # 1.005 rounds half up


def test_amount_that_disagrees_with_the_product_is_refused() -> None:
    item = dict(EXAMPLE["items"][0], amount="250000.01")
    problem = only_problem(licence(items=[item]))
    assert (problem.field, problem.path) == (16, "items[0].amount")
    assert "quantity × unit price is 250000.00" in problem.message


def test_json_round_trip_keeps_the_licence() -> None:
    valid = load_licence(EXAMPLE)
    assert load_licence(valid.model_dump_json()) == valid


def test_widest_importer_line_fits_and_one_more_position_does_not() -> None:
    widest = "中" * 17 + "A"  # 35 positions
    assert cells.cell_len(widest) == 35
    load_licence(licence(importer={"name": [widest, widest], "code": "1100000000017"}))
    problem = only_problem(
        licence(importer={"name": [widest, widest + "B"], "code": "1100000000017"})
    )
    assert str(problem) == (
        "第1项 进口商 Importer (importer.name): line 2 takes 36 print positions; at most 35 fit"
    )


def test_a_long_name_given_whole_is_wrapped_into_two_lines_or_refused() -> None:
    name = "中国机械设备工程股份有限公司上海浦东新区外高桥保税区分公司（进口部）"
    assert 35 < cells.cell_len(name) <= 70
    valid = load_licence(licence(consignee={"name": name}), form="import")
    assert len(valid.consignee.lines) == 2
    assert all(cells.cell_len(line) <= 35 for line in valid.consignee.lines)
    problem = only_problem(licence(consignee={"name": name * 2}))
    assert problem.field == 2
    assert "wrap into 4 lines of 35; at most 2 fit" in problem.message


def test_mixed_scripts_and_full_width_punctuation_count_in_print_positions() -> None:
    name = "Siemens（中国）有限公司 Beijing"
    valid = load_licence(licence(importer={"name": name, "code": "1100000000017"}), form="import")
    assert valid.importer.lines == [name]
    assert cells.cell_len(name) == 7 + 2 + 4 + 2 + 8 + 1 + 7


def test_every_problem_is_reported_at_once() -> None:
    data = licence(licence_no="26-AA-12", currency="XYZ", expiry_date="2026-02-30")
    del data["consignee"]
    data["items"] = [dict(EXAMPLE["items"][0], quantity=2.5)]
    paths = {p.path for p in problems_of(data)}
    assert paths == {"licence_no", "consignee", "currency", "expiry_date", "items[0].quantity"}


def test_floats_are_refused_with_the_reason() -> None:
    problem = problems_of(licence(items=[dict(EXAMPLE["items"][0], unit_price=125000.0)]))[0]
    assert problem.path == "items[0].unit_price"
    assert "float has already lost digits" in problem.message


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("quantity", "2.25", "has 2 decimals; at most 1"),
        ("quantity", "0", "must be greater than zero"),
        ("quantity", "-1", "must be greater than zero"),
        ("quantity", "1e3x", "must be a number"),
        ("unit_price", "1.00001", "has 5 decimals; at most 4"),
        ("amount_usd", "1234567890", "takes 10 print positions; at most 9 fit"),
        ("quantity", "12345678901", "at most 10 fit between the anti-alteration asterisks"),
    ],
)
def test_number_rules(key: str, value: str, message: str) -> None:
    item = dict(EXAMPLE["items"][0])
    item.pop("amount")
    item[key] = value
    problems = problems_of(licence(items=[item]))
    assert any(p.path == f"items[0].{key}" and message in p.message for p in problems), problems


def test_number_columns_keep_room_for_the_asterisks() -> None:
    assert CAPACITY["items.unit_price"].width == 13 - FILL
    assert CAPACITY["items.amount_usd"].width == 9


def test_total_amount_that_overflows_its_column_is_a_field_18_problem() -> None:
    item = {
        "specification": "X",
        "unit": "台",
        "quantity": "99",
        "unit_price": "99999",
        "amount_usd": "1",
    }
    problem = only_problem(licence(items=[item] * 2))
    assert (problem.field, problem.name_zh, problem.path) == (18, "总计", "items")
    assert "the total amount takes 11 print positions" in problem.message


def test_one_to_five_items() -> None:
    assert only_problem(licence(items=[])).message == "has 0 items; 1 to 5 fit the form"
    assert only_problem(licence(items=[EXAMPLE["items"][0]] * 6)).name_en == (
        "Item table (fields 12-17)"
    )


def test_expiry_before_licence_date_is_refused() -> None:
    problem = only_problem(licence(expiry_date="2026-11-21"))
    assert (problem.field, problem.path) == (21, "licence_date")


def test_a_character_the_font_lacks_is_named_with_its_code_point() -> None:
    problem = only_problem(licence(use_of_goods="自用😀"))
    assert (problem.field, problem.name_zh) == (10, "商品用途")
    assert "U+1F600" in problem.message


def test_control_characters_are_refused() -> None:
    problem = only_problem(licence(foreign_exchange="银行\t购汇"))
    assert "U+0009" in problem.message


def test_unknown_key_is_named() -> None:
    problem = only_problem(licence(licence_number="x"))
    assert problem.message == "'licence_number' is not a field of the import licence"


def test_codes_are_normalised() -> None:
    valid = load_licence(
        licence(licence_no="２６－ａａ－０００１２３", currency="eur", country_of_origin="德国"),
        form="import",
    )
    assert (valid.licence_no, valid.currency, valid.country_of_origin) == (
        "26-AA-000123",
        "EUR",
        "DE",
    )


def test_unit_given_by_code_prints_its_name() -> None:
    valid = load_licence(licence(items=[dict(EXAMPLE["items"][0], unit="001")]))
    assert (valid.items[0].unit, valid.items[0].unit_code) == ("台", "001")


def test_district_code_must_match_a_known_name() -> None:
    problem = only_problem(licence(place_of_clearance={"name": "广州海关", "code": "2200"}))
    assert (problem.field, problem.path) == (7, "place_of_clearance.code")


@pytest.mark.parametrize("data", [[], 3, "[1]", "{", None, b"\xff"])
def test_input_that_is_not_a_licence_object(data: Any) -> None:
    assert problems_of(data)[0].field is None


@given(licence_dicts())
@settings(max_examples=150, deadline=None)
def test_valid_licences_round_trip_through_json(data: dict[str, Any]) -> None:
    valid = load_licence(data)
    assert load_licence(json.loads(valid.model_dump_json())) == valid


def _item_lines(valid: ImportLicence) -> dict[str, list[str]]:
    lines: dict[str, list[str]] = {}
    for item in valid.items:
        for key, printed in {
            "specification": item.specification_lines,
            "unit": item.unit_lines,
            "quantity": [f"{item.quantity:f}"],
            "unit_price": [f"{item.unit_price:f}"],
            "amount": [f"{item.amount:f}"],
            "amount_usd": [f"{item.amount_usd:f}"],
        }.items():
            lines.setdefault(f"items.{key}", []).extend(printed)
    return lines


def _printed(valid: ImportLicence) -> dict[str, list[str]]:
    """Each slot's printed lines, for the capacity check."""
    totals = valid.totals
    return {
        "importer.name": valid.importer.lines,
        "consignee.name": valid.consignee.lines,
        "trade_mode": [valid.trade_mode.name],
        "foreign_exchange": [valid.foreign_exchange],
        "place_of_clearance": [valid.place_of_clearance.name],
        "use_of_goods": [valid.use_of_goods],
        "goods.description": [valid.goods.description],
        "remarks": valid.remarks_lines,
        "totals.amount": [f"{totals.amount:f}"],
        "totals.amount_usd": [f"{totals.amount_usd:f}"],
        "totals.quantity": [f"{totals.quantity:f}"] if totals.quantity is not None else [],
        "totals.unit": totals.unit_lines,
        **_item_lines(valid),
    }


@given(licence_dicts())
@settings(max_examples=150, deadline=None)
def test_every_accepted_value_fits_its_slot(data: dict[str, Any]) -> None:
    valid = load_licence(data, form="import")
    per_item = {"items.specification", "items.unit"}
    for slot, lines in _printed(valid).items():
        capacity = CAPACITY[slot]
        assert all(cells.cell_len(line) <= capacity.width for line in lines), (slot, lines)
        if slot not in per_item and not slot.startswith("items."):
            assert len(lines) <= capacity.lines, (slot, lines)
    for item in valid.items:
        assert len(item.specification_lines) <= CAPACITY["items.specification"].lines
        assert len(item.unit_lines) <= CAPACITY["items.unit"].lines


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def _damaged(draw: st.DrawFn) -> Any:
    """A valid licence with one value anywhere replaced by arbitrary JSON."""
    data = draw(licence_dicts())
    node: Any = data
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            return data
        key = draw(st.sampled_from(keys))
        if isinstance(node[key], dict | list) and draw(st.booleans()):
            node = node[key]
            continue
        node[key] = draw(_JSON)
        return data


@given(st.one_of(_JSON, _damaged()))
@settings(max_examples=300, deadline=None)
def test_arbitrary_input_raises_nothing_but_licence_invalid(data: Any) -> None:
    try:
        load_licence(data)
    except LicenceInvalid as invalid:
        problems = invalid.problems
    else:
        return
    assert problems
    assert all(isinstance(p.message, str) and p.message for p in problems)
