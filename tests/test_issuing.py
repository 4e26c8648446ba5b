"""Licences as offices issue them today: USCC codes, validity under a replaceable policy, 备注
clauses, unambiguous countries, money-only currencies, the two date forms."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gbt15311 import cells, clauses
from gbt15311.cli import main
from gbt15311.exceptions import LicenceInvalid, Problem
from gbt15311.layout import lay_out
from gbt15311.loading import load_licence
from gbt15311.model import CAPACITY, EXAMPLE, ImportLicence
from gbt15311.strategies import licence_dicts
from gbt15311.templates import default_template
from gbt15311.validity import EXPORT_VALIDITY, IMPORT_VALIDITY, ValidityPolicy


def licence(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(dict(EXAMPLE))
    data.update(changes)
    return data


def problems_of(data: Any, **options: Any) -> list[Problem]:
    with pytest.raises(LicenceInvalid) as raised:
        load_licence(data, **options)
    return raised.value.problems


def printed(valid: ImportLicence, key: str) -> list[str]:
    return [p.text for p in lay_out(valid, default_template()) if p.field == key]


# --- field 1: enterprise code or USCC ---------------------------------------------------------


def test_an_importer_with_a_uscc_is_accepted_and_printed_whole_in_upper_case() -> None:
    data = licence(importer={"name": "北京某某进出口有限公司", "code": "91110000600037341l"})
    valid = load_licence(data, form="import")
    assert valid.importer.code == "91110000600037341L"
    assert printed(valid, "importer.code") == ["91110000600037341L"]
    assert CAPACITY["importer.code"].width == 18


def test_a_uscc_with_a_wrong_check_character_names_field_1() -> None:
    data = licence(importer={"name": "北京某某进出口有限公司", "code": "91110000600037341X"})
    (problem,) = problems_of(data)
    assert (problem.field, problem.path) == (1, "importer.code")
    assert "must be L" in problem.message


def test_the_gift_code_requires_the_importer_its_row_names() -> None:
    assert load_licence(licence(importer={"name": "赠送", "code": "00000000000001"}))
    (problem,) = problems_of(licence(importer={"name": "某公司", "code": "00000000000001"}))
    assert problem.path == "importer.code"
    assert "赠送" in problem.message


# --- field 4: validity -------------------------------------------------------------------------


def test_an_expiry_past_31_march_of_the_next_year_names_field_4_and_the_limit() -> None:
    (problem,) = problems_of(licence(expiry_date="2028-01-01"))
    assert (problem.field, problem.path) == (4, "expiry_date")
    assert "after 2027-03-31" in problem.message
    assert "31 March of the next" in problem.message
    assert load_licence(licence(expiry_date="2027-03-31"))


def test_a_next_year_licence_counts_from_1_january_and_prints_its_clause() -> None:
    data = licence(licence_date="2026-12-10", expiry_date="2027-12-31", remarks={"next_year": True})
    valid = load_licence(data)
    assert valid.remarks_lines == ["本证书自2027年1月1日起生效"]
    assert problems_of({**data, "expiry_date": "2028-04-01"})[0].message.startswith(
        "is 2028-04-01, after 2028-03-31"
    )
    (early,) = problems_of({**data, "licence_date": "2026-12-09"})
    assert (early.path, early.field) == ("licence_date", 21)
    assert "from 2026-12-10" in early.message
    (before,) = problems_of({**data, "expiry_date": "2026-12-31"})
    assert (before.path, "before 2027-01-01" in before.message) == ("expiry_date", True)


def test_an_office_replaces_the_policy() -> None:
    strict = ValidityPolicy(rule="our office: within the year", source="office", confidence="ours")
    assert load_licence(licence(expiry_date="2027-03-31"))
    (problem,) = problems_of(licence(expiry_date="2027-03-31"), validity=strict)
    assert "our office: within the year" in problem.message


@pytest.mark.parametrize(
    ("issued", "next_year", "expected"),
    [
        (date(2026, 11, 22), False, date(2026, 12, 31)),
        (date(2026, 12, 15), True, date(2027, 12, 31)),
        (date(2028, 2, 29), False, date(2028, 12, 31)),
    ],
)
def test_the_default_expiry_is_the_end_of_the_licences_year(
    issued: date, next_year: bool, expected: date
) -> None:
    assert IMPORT_VALIDITY.default_expiry(issued, next_year=next_year) == expected


def test_the_export_policy_is_six_months_within_the_year() -> None:
    assert EXPORT_VALIDITY.default_expiry(date(2026, 8, 31)) == date(2026, 12, 31)
    assert EXPORT_VALIDITY.default_expiry(date(2026, 1, 31)) == date(2026, 7, 30)
    assert EXPORT_VALIDITY.latest_expiry(date(2026, 8, 31)) == date(2026, 12, 31)


@given(st.dates(max_value=date(9998, 1, 1)), st.booleans())
def test_the_default_expiry_is_always_accepted(issued: date, next_year: bool) -> None:
    next_year = next_year and issued >= IMPORT_VALIDITY.next_year_allowed_from(issued.year)
    expiry = IMPORT_VALIDITY.default_expiry(issued, next_year=next_year)
    data = licence(
        licence_date=issued.isoformat(),
        expiry_date=expiry.isoformat(),
        remarks={"next_year": True} if next_year else "",
    )
    assert load_licence(data).expiry_date == expiry


# --- field 19: clauses ---------------------------------------------------------------------------


def test_clauses_print_in_a_fixed_order_before_the_free_text() -> None:
    asked = {"original_licence_no": "26-AA-000001", "next_year": True, "multiple_use": True}
    data = licence(licence_date="2026-12-20", expiry_date="2027-06-30", remarks=asked)
    assert load_licence(data).remarks_lines == [
        "非一批一证；本证书自2027年1月1日",
        "起生效；原证号：26-AA-000001",
    ]
    data = licence(remarks={"text": "另附清单", "multiple_use": True})
    assert load_licence(data).remarks_lines == ["非一批一证；另附清单"]
    data = licence(remarks={"text": ["另附清单"], "multiple_use": True})
    assert load_licence(data).remarks_lines == ["非一批一证", "另附清单"]


def test_a_plain_string_stays_free_text() -> None:
    valid = load_licence(licence(remarks="非一批一证"))
    assert valid.remarks == "非一批一证"
    assert valid.remarks_lines == ["非一批一证"]


def test_clauses_and_text_that_overflow_the_area_name_field_19() -> None:
    data = licence(remarks={"multiple_use": True, "text": "很" * 28})
    (problem,) = problems_of(data)
    assert (problem.field, problem.path) == (19, "remarks")
    assert "at most 2 fit" in problem.message


def test_a_specification_in_remarks_prints_see_remarks_in_field_12() -> None:
    item = dict(
        EXAMPLE["items"][0],
        specification="VMC-850 三轴 立式加工中心 " + "A" * 30,
        specification_in_remarks=True,
    )
    valid = load_licence(licence(items=[item]))
    assert valid.items[0].specification_lines == ["见备注"]
    assert valid.remarks_lines == ["规格1：VMC-850 三轴 立式加工中心", "A" * 30]
    plain = dict(item, specification_in_remarks=False)
    assert problems_of(licence(items=[plain]))[0].path == "items[0].specification"
    long = dict(item, specification="很" * 30)
    (problem,) = problems_of(licence(items=[long]))
    assert (problem.field, problem.path) == (19, "remarks")


@pytest.mark.parametrize(
    ("remarks", "path"),
    [
        ({"multiple_use": "yes"}, "remarks.multiple_use"),
        ({"original_licence_no": "26-AA-12"}, "remarks.original_licence_no"),
        ({"wording": "非一批一证"}, "remarks.wording"),
        ({"text": "\u2028"}, "remarks.text"),
    ],
)
def test_bad_clauses_name_their_path_in_field_19(remarks: dict[str, Any], path: str) -> None:
    (problem,) = problems_of(licence(remarks=remarks))
    assert (problem.field, problem.path) == (19, path)


def test_the_json_schema_shows_the_clauses() -> None:
    schema = ImportLicence.model_json_schema()
    clauses = schema["$defs"]["RemarksClauses"]["properties"]
    assert set(clauses) == {"multiple_use", "next_year", "original_licence_no", "text"}
    assert "12" in clauses["multiple_use"]["description"]
    assert "specification_in_remarks" in schema["$defs"]["Item"]["properties"]


# --- fields 8, 9, 15, 16, 4, 21 -----------------------------------------------------------------


@pytest.mark.parametrize(("number", "iso"), [("116", "Cambodia"), ("304", "Greenland")])
def test_a_bare_country_number_is_ambiguous(number: str, iso: str) -> None:
    (problem,) = problems_of(licence(country_of_origin=number))
    assert problem.field == 9
    assert iso in problem.message
    assert "China Customs" in problem.message
    assert load_licence(licence(country_of_origin=f"iso:{number}"))


@pytest.mark.parametrize(
    ("code", "reason"), [("XXX", "no currency"), ("XTS", "testing"), ("XAU", "precious metal")]
)
def test_currencies_that_are_not_money_are_refused(code: str, reason: str) -> None:
    (problem,) = problems_of(licence(currency=code))
    assert problem.path == "currency"
    assert reason in problem.message


@pytest.mark.parametrize(
    "text", ["2027-W22-1", "2027-152", "2027-05-31T00:00", "2027/05/31", "２０２７０５３１"]
)
def test_only_the_two_date_forms_are_accepted(text: str) -> None:
    (problem,) = problems_of(licence(expiry_date=text))
    assert problem.path == "expiry_date"
    assert "YYYY-MM-DD or YYYYMMDD" in problem.message


def test_the_standards_n8_date_is_accepted() -> None:
    valid = load_licence(licence(expiry_date="20270331", licence_date="20261122"))
    assert (valid.expiry_date, valid.licence_date) == (date(2027, 3, 31), date(2026, 11, 22))


def test_the_cli_exits_1_with_the_problems(tmp_path: Any) -> None:
    path = tmp_path / "late.json"
    path.write_text(json.dumps(licence(expiry_date="2028-01-01", country_of_origin="116")))
    result = CliRunner().invoke(main, ["validate", "--json", str(path)])
    assert result.exit_code == 1
    assert {r["field"] for r in json.loads(result.output)} == {4, 9}


# --- the strategies -------------------------------------------------------------------------------


@given(licence_dicts())
@settings(max_examples=60, deadline=None)
def test_generated_licences_validate_round_trip_and_fit(data: dict[str, Any]) -> None:
    valid = load_licence(data)
    assert load_licence(json.loads(valid.model_dump_json())) == valid
    placements = lay_out(valid, default_template())
    assert placements
    width, lines = CAPACITY["remarks"].width, CAPACITY["remarks"].lines
    assert len(valid.remarks_lines) <= lines
    assert all(cells.cell_len(line) <= width for line in valid.remarks_lines)


_CLAUSE_TEXT = st.text(
    st.sampled_from("非一批证本书自年月日起生效原号：规格0123456789-ABC "), min_size=1, max_size=30
)


@given(st.lists(_CLAUSE_TEXT.map(str.strip).filter(bool), min_size=1, max_size=4), _CLAUSE_TEXT)
def test_composing_clauses_then_text_wraps_as_the_whole_would(
    written: list[str], text: str
) -> None:
    joined = clauses.SEPARATOR.join([*written, text] if text.strip(" ") else written)
    assert clauses.compose(written, text, 32) == cells.wrap(joined, 32)


def test_a_flag_is_true_or_false_whatever_was_asked_before() -> None:
    assert load_licence(licence(remarks={"multiple_use": True}))
    for number in (1, 1.0):
        (problem,) = problems_of(licence(remarks={"multiple_use": number}))
        assert problem.path == "remarks.multiple_use"


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)


@given(
    st.dictionaries(
        st.sampled_from(["multiple_use", "next_year", "original_licence_no", "text", "x"]),
        _JSON_VALUES | st.sampled_from([True, "26-AA-000001", "附单"]),
    ),
    st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_any_clauses_object_is_refused_in_field_19_or_fits(
    asked: dict[str, Any], in_remarks: bool
) -> None:
    item = dict(EXAMPLE["items"][0], specification_in_remarks=in_remarks)
    data = licence(remarks=asked, items=[item], licence_date="2026-12-15")
    try:
        valid = load_licence(data)
    except LicenceInvalid as invalid:
        refused = invalid.problems
    else:
        refused = []
    if refused:
        # 备注's own problems, or field 4 and 21 when the request makes it a next-year licence
        assert {p.field for p in refused} <= {19, 4, 21}, refused
        return
    assert len(valid.remarks_lines) <= CAPACITY["remarks"].lines
    assert all(cells.cell_len(line) <= CAPACITY["remarks"].width for line in valid.remarks_lines)
