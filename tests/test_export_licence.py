"""The export licence: its own fields, validity and names; the same guarantees as imports."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbt15311 import cells
from gbt15311.exceptions import LicenceInvalid, Problem
from gbt15311.export_licence import EXAMPLE, ExportLicence
from gbt15311.fields import EXPORT_FIELDS, IMPORT_FIELDS
from gbt15311.forms import EXPORT
from gbt15311.loading import load_licence
from gbt15311.model import EXAMPLE as IMPORT_EXAMPLE
from gbt15311.strategies import licence_dicts


def licence(**changes: Any) -> dict[str, Any]:
    return {**json.loads(json.dumps(EXAMPLE)), **changes}


def problems(data: Any) -> list[Problem]:
    with pytest.raises(LicenceInvalid) as invalid:
        load_licence(data)
    return invalid.value.problems


def only_problem(data: Any) -> Problem:
    found = problems(data)
    assert len(found) == 1, found
    return found[0]


def test_the_example_is_an_export_licence_and_round_trips() -> None:
    valid = load_licence(EXAMPLE)
    assert isinstance(valid, ExportLicence)
    assert valid.holder is valid.exporter
    assert cells.cell_len(valid.contract_no) == 17
    assert load_licence(valid.model_dump_json()) == valid


def test_the_form_key_or_argument_chooses_the_form() -> None:
    assert isinstance(load_licence(EXAMPLE, form="export"), ExportLicence)
    as_import = {p.path for p in problems({**EXAMPLE, "form": "import"})}
    assert {"importer", "exporter", "contract_no"} <= as_import
    with pytest.raises(LicenceInvalid) as other:
        load_licence(EXAMPLE, form="import")
    assert other.value.problems[0].path == "form"
    unknown = only_problem({**EXAMPLE, "form": ["export"]})
    assert (unknown.path, unknown.message) == (
        "form",
        "must be one of import, export; got ['export']",
    )


@pytest.mark.parametrize(
    ("issued", "latest"),
    [
        ("2026-03-15", "2026-09-14"),  # 6 months
        ("2026-08-31", "2026-12-31"),  # never past 31 December
        ("2026-01-01", "2026-06-30"),
    ],
)
def test_validity_is_at_most_6_months_and_never_past_the_year(issued: str, latest: str) -> None:
    valid = load_licence(licence(licence_date=issued, expiry_date=latest))
    assert valid.expiry_date.isoformat() == latest
    late = only_problem(licence(licence_date=issued, expiry_date=_next_day(latest)))
    assert (late.field, late.name_zh, late.name_en) == (
        4,
        "出口许可证有效截止日期",
        "Export licence expiry date",
    )
    assert f"after {latest}" in late.message
    assert "an export licence is valid at most 6 months" in late.message


def _next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def test_next_year_licences_from_10_december_valid_6_months_from_1_january() -> None:
    asked = {"next_year": True}
    valid = load_licence(
        licence(licence_date="2026-12-10", expiry_date="2027-06-30", remarks=asked)
    )
    assert valid.remarks_lines == ["本证书自2027年1月1日起生效"]
    early = only_problem(
        licence(licence_date="2026-12-09", expiry_date="2027-06-30", remarks=asked)
    )
    assert (early.field, early.name_en) == (21, "Licence date")
    late = only_problem(licence(licence_date="2026-12-10", expiry_date="2027-07-01", remarks=asked))
    assert (late.field, late.name_zh) == (4, "出口许可证有效截止日期")


@pytest.mark.parametrize("grouping", ["欧盟", "EU", "european union", "东盟", "ASEAN"])
def test_a_regional_grouping_is_refused_in_field_8(grouping: str) -> None:
    problem = only_problem(licence(country_of_purchase=grouping))
    assert (problem.field, problem.name_zh, problem.name_en) == (
        8,
        "进口国（地区）",
        "Country/Region of purchase",
    )
    assert "is a regional grouping" in problem.message


def test_china_is_allowed_for_exports_to_a_bonded_zone() -> None:
    assert (
        load_licence(licence(country_of_purchase="中国"), form="export").country_of_purchase == "CN"
    )
    assert EXPORT.printed["country_of_purchase"](
        load_licence(licence(country_of_purchase="CN"))
    ) == ["中国"]


def test_the_contract_number_takes_17_positions_and_no_more() -> None:
    assert load_licence(licence(contract_no="A" * 17), form="export").contract_no == "A" * 17
    problem = only_problem(licence(contract_no="A" * 18))
    assert (problem.field, problem.name_zh, problem.name_en) == (6, "合同号", "Contract No.")
    assert problem.message == "takes 18 print positions; at most 17 fit"
    assert only_problem(licence(contract_no="合同" * 9)).field == 6


@pytest.mark.parametrize(
    ("changes", "field", "name_zh"),
    [
        ({"exporter": {"name": "某公司", "code": "123"}}, 1, "出口商"),
        ({"consignor": {"name": ""}}, 2, "发货人"),
        ({"licence_no": "26-AA-12"}, 3, "出口许可证号"),
        ({"payment": "信" * 9}, 9, "付款方式"),
        ({"transport": ""}, 10, "运输方式"),
        ({"items": [{**EXAMPLE["items"][0], "specification": "规" * 30}]}, 12, "规格、等级"),
    ],
)
def test_a_refusal_names_the_export_field(
    changes: dict[str, Any], field: int, name_zh: str
) -> None:
    problem = only_problem(licence(**changes))
    assert (problem.field, problem.name_zh) == (field, name_zh)


# --- the same properties as for imports, over any valid export licence ------------------------


@given(licence_dicts("export"))
@settings(max_examples=150, deadline=None)
def test_every_valid_export_licence_validates_round_trips_and_fits(data: dict[str, Any]) -> None:
    valid = load_licence(data, form="export")
    assert load_licence(json.loads(valid.model_dump_json())) == valid
    for key, printed in EXPORT.printed.items():
        capacity = EXPORT.capacity[key]
        lines = printed(valid)
        assert len(lines) <= capacity.lines, (key, lines)
        assert all(cells.cell_len(line) <= capacity.width for line in lines), (key, lines)
    for item in valid.items:
        for key, printed_item in EXPORT.item.items():
            capacity = EXPORT.capacity[key]
            lines = printed_item(item)
            assert all(cells.cell_len(line) <= capacity.width for line in lines), (key, lines)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=8,
)


@given(licence_dicts("export"), st.data())
@settings(max_examples=200, deadline=None)
def test_any_damaged_export_licence_is_refused_in_the_export_forms_names(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    key = draw.draw(st.sampled_from(sorted(set(data) - {"form"})))
    data[key] = draw.draw(_JSON)
    try:
        load_licence(data)
    except LicenceInvalid as invalid:
        found = invalid.problems
    else:
        return
    import_only = {r.name_zh for r in IMPORT_FIELDS.rows} - {r.name_zh for r in EXPORT_FIELDS.rows}
    for problem in found:
        assert problem.name_zh not in import_only | {"进口许可证"}, problem
        if problem.field is not None:
            row = EXPORT_FIELDS.by_number[problem.field]
            if problem.field != 15 or problem.path != "currency":
                assert (problem.name_zh, problem.name_en) == (row.name_zh, row.name_en)


@given(st.one_of(_JSON, st.text()).filter(lambda value: value not in ("import", "export")))
@settings(max_examples=200, deadline=None)
def test_any_other_form_is_one_problem_naming_form(value: Any) -> None:
    problem = only_problem({**EXAMPLE, "form": value})
    assert problem.path == "form"
    assert problem.message.startswith("must be one of import, export; got ")


def test_a_document_without_a_form_key_is_an_import_licence() -> None:
    plain = load_licence(IMPORT_EXAMPLE)
    assert plain == load_licence({**IMPORT_EXAMPLE, "form": "import"})
    assert plain.form == "import"
    assert json.loads(plain.model_dump_json())["form"] == "import"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "is not valid JSON"),
        ('{"form": "import"}', "the document is of the import form; the export form is asked"),
    ],
)
def test_a_refusal_before_validation_names_the_form_asked_for(text: str, message: str) -> None:
    with pytest.raises(LicenceInvalid) as refused:
        load_licence(text, form="export")
    (found,) = refused.value.problems
    assert found.name_en == "Export licence"
    assert message in found.message
