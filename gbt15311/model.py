"""The import licence as validated data (pydantic v2).

``gbt15311.loading.load_licence`` turns JSON or a dict into an ``ImportLicence`` or raises
``LicenceInvalid`` listing every problem at once. Whatever it accepts is printable: every value
fits its area on the form in print positions (a Chinese character takes two) and every character
is in the font the renderer embeds. Money and quantities are ``Decimal``; floats are refused
because they have already lost digits by the time they reach us.

    >>> from gbt15311.exceptions import LicenceInvalid
    >>> from gbt15311.loading import load_licence
    >>> licence = load_licence(EXAMPLE)
    >>> licence.importer.lines
    ['中国机械进出口（集团）有限公司']
    >>> licence.totals.amount
    Decimal('250000.00')
    >>> try:
    ...     load_licence({**EXAMPLE, "licence_no": "26-AA-12"})
    ... except LicenceInvalid as error:
    ...     print(error.problems[0].path, error.problems[0].field)
    licence_no 3
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING, Annotated, Any, Literal, NamedTuple

import pydantic
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

from gbt15311 import cells, clauses
from gbt15311._shipped import example
from gbt15311.codes import (
    commodity,
    country,
    currency,
    customs_district,
    enterprise,
    licence_no,
    trade_mode,
    units,
)
from gbt15311.exceptions import ValidationError
from gbt15311.fields import FIELDS, IMPORT_FIELDS, Catalogue
from gbt15311.fields import Field as FieldRow
from gbt15311.rules import (
    FILL,
    Capacity,
    Number,
    Text,
    checked,
    code,
    day,
    listed,
    printed_number,
    refuse,
)
from gbt15311.validity import IMPORT_VALIDITY, ValidityPolicy

if TYPE_CHECKING:
    pass

__all__ = [
    "CAPACITY",
    "EXAMPLE",
    "FILL",
    "Capacity",
    "Consignee",
    "Goods",
    "ImportLicence",
    "Importer",
    "Item",
    "Place",
    "RemarksClauses",
    "Totals",
    "TradeMode",
]

MAX_ITEMS = 5
"""The item table has five rows of three lines (L29-43)."""

_NAME = Text("an..35*2")
_SHORT = Text("an..16")
_DESCRIPTION = Text("an..35")
_SPECIFICATION = Text("an..18*3")
_UNIT = Text("an..6*3")
_REMARKS = Text("an..32*2", required=False)
_IN_REMARKS = Text(f"an..{_REMARKS.representation.length * _REMARKS.representation.lines}")
"""A specification printed in 备注: printable, and never wider than all of 备注."""
_QUANTITY = Number("n..12", decimals=1, columns=FIELDS[14].columns)
_UNIT_PRICE = Number("n..13", decimals=4, columns=FIELDS[15].columns)
_AMOUNT = Number("n..12", decimals=2, columns=FIELDS[16].columns)
_AMOUNT_USD = Number("n..9", decimals=2, columns=FIELDS[17].columns)
_TOTAL_QUANTITY = Number("n..13", decimals=1, columns=FIELDS[14].columns)
_CENT = Decimal("0.01")
_DATE_WIDTH = cells.cell_len("2026年11月22日")

CAPACITY: Mapping[str, Capacity] = {
    "importer.name": _NAME.capacity,
    "importer.code": Capacity(enterprise.USCC_LENGTH, 1),
    "consignee.name": _NAME.capacity,
    "licence_no": Capacity(12, 1),
    "expiry_date": Capacity(_DATE_WIDTH, 1),
    "trade_mode": _SHORT.capacity,
    "foreign_exchange": _SHORT.capacity,
    "place_of_clearance": _SHORT.capacity,
    "country_of_exportation": _SHORT.capacity,
    "country_of_origin": _SHORT.capacity,
    "use_of_goods": _SHORT.capacity,
    "goods.description": _DESCRIPTION.capacity,
    "goods.code": Capacity(10, 1),
    "currency": Capacity(3, 1),
    "items.specification": _SPECIFICATION.capacity,
    "items.unit": _UNIT.capacity,
    "items.quantity": _QUANTITY.capacity,
    "items.unit_price": _UNIT_PRICE.capacity,
    "items.amount": _AMOUNT.capacity,
    "items.amount_usd": _AMOUNT_USD.capacity,
    "totals.unit": _UNIT.capacity,
    "totals.quantity": _TOTAL_QUANTITY.capacity,
    "totals.amount": _AMOUNT.capacity,
    "totals.amount_usd": _AMOUNT_USD.capacity,
    "remarks": _REMARKS.capacity,
    "licence_date": Capacity(_DATE_WIDTH, 1),
}


# --- the types of the fields: each is one plain validator (see ``rules``) ---------------------


def _unit_name(value: str) -> str:
    """A unit given by name or code, as its name; a user's unit table may hold longer names."""
    name = units.lookup(value).name
    _UNIT.validate(name)
    return name


def _plain(check: Callable[..., Any], given: Any = str) -> pydantic.PlainValidator:
    return pydantic.PlainValidator(check, json_schema_input_type=given)


_TRADE_MODE_FORM = code(trade_mode.validate)


def _trade_mode_code(value: Any, info: ValidationInfo) -> str | None:
    """Checked for form, or against the official table the caller passed as context."""
    if value is None:
        return None
    table: trade_mode.TradeModeTable | None = (info.context or {}).get("trade_modes")
    if table is None:
        return _TRADE_MODE_FORM(value)
    number = checked(table.validate_code, value)
    name = info.data.get("name")
    if name is not None and name != table.name(number):
        refuse(f"trade mode {number} is {table.name(number)} in {table.source}, not {name}")
    return number


def _district_code(value: Any, info: ValidationInfo) -> str | None:
    """A known district's code must belong to the name printed beside it."""
    if value is None:
        return None
    if not isinstance(value, str):
        refuse("must be text")
    name = info.data.get("name")
    try:
        if name is None:
            return customs_district.validate(value)
        return customs_district.check_name(value, name)
    except ValidationError as error:
        refuse(str(error))


def _amount(value: Any, info: ValidationInfo) -> Decimal | None:
    """Quantity × unit price rounded half up to the cent; a given amount must equal it."""
    data = info.data
    quantity: Decimal | None = data.get("quantity")
    price: Decimal | None = data.get("unit_price")
    if quantity is None or price is None:  # already reported; the product is unknown
        return None if value is None else _AMOUNT.validate(value)
    product = (quantity * price).quantize(_CENT, rounding=ROUND_HALF_UP)
    if value is not None and (given := _AMOUNT.parse(value)) != product:
        refuse(f"is {printed_number(given)} but quantity × unit price is {product}")
    if problem := _AMOUNT.problem(product):
        refuse(problem)
    return product


def _specification(value: Any, info: ValidationInfo) -> str | list[str]:
    """Field 12's width, unless the item asks for its specification to print in 备注: it then
    only has to be printable here, and to fit with the rest of 备注 (checked there)."""
    if info.data.get("specification_in_remarks"):
        kept: str | list[str] = _IN_REMARKS.validate(value)
        return kept
    checked_value: str | list[str] = _SPECIFICATION.validate(value)
    return checked_value


def _special_code_problem(importer: Importer) -> str:
    """A special code (gifts and aid) may require the importer's name it stands for."""
    number = importer.code
    row = enterprise.special(number)
    if row is None or not row.importer_name:
        return ""
    printed = "".join(importer.lines)
    if printed == row.importer_name:
        return ""
    return (
        f"{number} is the code of {row.meaning}, whose importer prints as "
        f"{row.importer_name}, not {printed} ({row.source})"
    )


_ENTERPRISE_CODE = code(enterprise.validate)


def _remarks(value: Any) -> str | list[str] | RemarksClauses:
    """Free text (a string or lines), or the clauses issuing software asks for."""
    if type(value) is dict:
        try:  # keyed with each value's type: 1 == True, but only true is a flag
            return _clauses(tuple((key, type(v), v) for key, v in value.items()))
        except TypeError:  # free text given as lines: not kept
            return RemarksClauses.model_validate(value)
    if isinstance(value, dict | RemarksClauses):
        return RemarksClauses.model_validate(value)
    kept: str | list[str] = _REMARKS.validate(value)
    return kept


@lru_cache(maxsize=1024)
def _clauses(asked: tuple[tuple[str, type, Any], ...]) -> RemarksClauses:
    """The clauses a licence asks for, kept per request (they are immutable): offices ask for
    the same few combinations all day."""
    return RemarksClauses.model_validate({key: value for key, _, value in asked})


def _free_text(value: Any) -> str | list[str]:
    """The free text after the clauses: printable; its width is checked with the clauses'."""
    kept: str | list[str] = _FREE_TEXT.validate(value)
    return kept


_FREE_TEXT = Text(
    f"an..{_REMARKS.representation.length}*{_REMARKS.representation.lines}", required=False
)


def _licence_date(value: Any, info: ValidationInfo) -> date:
    """The day of issue, and the rules across fields that need it, checked here (the last
    field) so that they are reported with every other problem: the validity of field 4 under
    the office's policy, 备注 (field 19) with its clauses fitting its area, and a special
    importer code's name (field 1)."""
    issued, errors = licence_date_checks(value, info, IMPORT_VALIDITY)
    importer = info.data.get("importer")
    if (
        importer is not None
        and not (
            len(importer.code) == enterprise.ENTERPRISE_CODE_LENGTH and importer.code.isdigit()
        )
        and (problem := _special_code_problem(importer))
    ):
        errors = (*errors, _error("importer.code", problem))
    if errors:
        raise pydantic.ValidationError.from_exception_data("ImportLicence", list(errors))
    return issued


def licence_date_checks(
    value: Any, info: ValidationInfo, default_policy: ValidityPolicy
) -> tuple[date, tuple[Any, ...]]:
    """Field 21 and the rules across fields every form checks there: field 4 under the
    validity policy (the caller's, else the form's ``default_policy``) and 备注 with its
    clauses; the day and the line errors found."""
    issued = day(value)
    data = info.data
    expiry: date | None = data.get("expiry_date")
    remarks = data.get("remarks")
    next_year = isinstance(remarks, RemarksClauses) and remarks.next_year
    if expiry is not None and expiry < issued and not next_year:
        refuse(f"is {issued.isoformat()}, after the expiry date {expiry.isoformat()} (field 4)")
    context = info.context
    policy: ValidityPolicy = (context and context.get("validity")) or default_policy
    errors = () if expiry is None else _validity_errors(issued, expiry, next_year, policy)
    items = data.get("items")
    if (
        remarks is not None
        and items is not None
        and (type(remarks) is RemarksClauses or any(map(_IN_REMARKS_FLAG, items)))
        and (problem := _remarks_problem(remarks, items, issued))
    ):
        errors = (*errors, _error("remarks", problem, 19))
    return issued, errors


_IN_REMARKS_FLAG = attrgetter("specification_in_remarks")


_AS_PRINTED = pydantic.PlainSerializer(printed_number, return_type=str, when_used="unless-none")
_ISO_DATE = pydantic.PlainSerializer(date.isoformat, return_type=str, when_used="json")
_LINES = str | list[str]

LicenceNo = Annotated[str, _plain(code(licence_no.validate))]
Name = Annotated[str | list[str], _plain(_NAME.validate, _LINES)]
EnterpriseCode = Annotated[str, _plain(_ENTERPRISE_CODE)]
Day = Annotated[date, _plain(day, str), _ISO_DATE]
ShortText = Annotated[str, _plain(_SHORT.validate)]
TradeModeCode = Annotated[str | None, _plain(_trade_mode_code, str | None)]
DistrictCode = Annotated[str | None, _plain(_district_code, str | None)]
Country = Annotated[str, _plain(listed(country.validate))]
Description = Annotated[str, _plain(_DESCRIPTION.validate)]
CommodityCode = Annotated[str, _plain(code(commodity.validate))]
CurrencyCode = Annotated[str, _plain(code(currency.validate))]
Specification = Annotated[str | list[str], _plain(_specification, _LINES)]
UnitName = Annotated[str, _plain(listed(_unit_name))]
Quantity = Annotated[Decimal, _plain(_QUANTITY.validate, str | int), _AS_PRINTED]
UnitPrice = Annotated[Decimal, _plain(_UNIT_PRICE.validate, str | int), _AS_PRINTED]
Amount = Annotated[Decimal | None, _plain(_amount, str | int | None), _AS_PRINTED]
AmountUSD = Annotated[Decimal, _plain(_AMOUNT_USD.validate, str | int), _AS_PRINTED]
FreeText = Annotated[str | list[str], _plain(_free_text, _LINES)]
LicenceDate = Annotated[date, _plain(_licence_date, str), _ISO_DATE]
Flag = Annotated[bool, Field(strict=True)]


def describe(number: int, fields: Catalogue = IMPORT_FIELDS) -> str:
    """A field as the JSON Schema's descriptions name it."""
    row: FieldRow = fields.by_number[number]
    return f"第{number}项 {row.name_zh} {row.name_en}"


class Model(BaseModel):
    """A part of a licence: no unknown keys, immutable once valid."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- the parts of the licence ----------------------------------------------------------------


class _Party(Model):
    """A name printed on up to 2 lines of 35 positions (fields 1 and 2)."""

    name: Name

    @cached_property
    def lines(self) -> list[str]:
        """The name as printed: at most 2 lines of at most 35 positions."""
        return _NAME.lines(self.name)


class Consignee(_Party):
    """Field 2: who actually receives the goods."""

    name: Name = Field(description=describe(2) + ", an..35*2: one string or up to 2 lines")


class Importer(_Party):
    """Field 1: who signed the import contract, by name and importer code."""

    name: Name = Field(description=describe(1) + ", an..35*2: one string or up to 2 lines")
    code: EnterpriseCode = Field(
        description="13-digit enterprise code (WM 1-1999) or 18-character unified social "
        "credit code (GB 32100, check character checked), or a special code "
        "(00000000000001 gifts and aid, 9999 + organisation code)"
    )


class TradeMode(Model):
    """Field 5: the trade mode's name as printed, and its GB/T 15421 code if known."""

    name: ShortText = Field(description=describe(5) + ", an..16")
    code: TradeModeCode = Field(None, description="GB/T 15421-2008 code, n2")


class Place(Model):
    """Field 7: the customs district where the goods are cleared; a licence is valid at one."""

    name: ShortText = Field(description=describe(7) + ", an..16")
    code: DistrictCode = Field(None, description="4-digit customs district code")


class Goods(Model):
    """Field 11: the one commodity a licence covers: description and 10-digit code."""

    description: Description = Field(description=describe(11) + ", an..35")
    code: CommodityCode = Field(description="10-digit commodity code")


class Item(Model):
    """Fields 12-17: one specification of the commodity, a row of the item table.

    ``amount`` may be left out: it is then quantity × unit price, rounded half up to the cent.
    When given it must equal that.
    """

    specification_in_remarks: Flag = Field(
        False,
        description="Print 见备注 in field 12 and this specification in 备注 (field 19), "
        "for a specification that does not fit field 12",
    )
    specification: Specification = Field(
        description=describe(12) + ", up to 3 lines of 18 positions (or, with "
        "specification_in_remarks, as much as fits 备注 with its clauses)"
    )
    unit: UnitName = Field(description=describe(13) + ": customs unit name or 3-digit code")
    quantity: Quantity = Field(description=describe(14) + ", n..12, at most 1 decimal")
    unit_price: UnitPrice = Field(description=describe(15) + ", n..13, at most 4 decimals")
    amount: Amount = Field(
        None, validate_default=True, description=describe(16) + ", n..12, 2 decimals"
    )
    amount_usd: AmountUSD = Field(description=describe(17) + ", n..9")

    @cached_property
    def specification_lines(self) -> list[str]:
        if self.specification_in_remarks:
            return [clauses.SEE_REMARKS]
        return _SPECIFICATION.lines(self.specification)

    @cached_property
    def unit_lines(self) -> list[str]:
        """The unit name wrapped in the row's lines: a few unit names are wider than 6."""
        return cells.wrap(self.unit, _UNIT.representation.length)

    @property
    def unit_code(self) -> str:
        return units.lookup(self.unit).code


class RemarksClauses(Model):
    """Field 19 as issuing software states it: what the licence is, never the wording.

    The clauses print in a fixed order before the free text (see ``clauses.CLAUSES``), and the
    whole must fit 备注's 2 lines of 32 positions."""

    multiple_use: Flag = Field(
        False,
        description="非一批一证: the licence may be used for several customs declarations "
        f"(at most {clauses.MAX_USES}, at one port); prints 非一批一证",
    )
    next_year: Flag = Field(
        False,
        description="A next-year licence, issued from 10 December: valid from 1 January of "
        "the next year; prints 本证书自YYYY年1月1日起生效",
    )
    original_licence_no: LicenceNo | None = Field(
        None, description="The licence this one reissues (YY-OO-NNNNNN); prints 原证号：…"
    )
    text: FreeText = Field("", description="Free text after the clauses")


def _remarks_json(value: str | list[str] | RemarksClauses) -> Any:
    return value.model_dump(mode="json") if isinstance(value, RemarksClauses) else value


Remarks = Annotated[
    str | list[str] | RemarksClauses,
    _plain(_remarks, str | list[str] | RemarksClauses),
    pydantic.PlainSerializer(_remarks_json, return_type=Any),
]


class Totals(NamedTuple):
    """Field 18: the licence's totals, computed from the items.

    A total quantity over different units means nothing, so when the items' units differ
    ``quantity`` and ``unit`` are ``None`` and that part of the total is left blank.
    """

    quantity: Decimal | None
    unit: str | None
    amount: Decimal
    amount_usd: Decimal

    @property
    def unit_lines(self) -> list[str]:
        return cells.wrap(self.unit, _UNIT.representation.length) if self.unit else []


def totals_of(items: list[Item]) -> Totals:
    """Field 18; a plain loop, since validation computes it for every licence."""
    unit: str | None = items[0].unit if items else None
    quantity = amount = amount_usd = Decimal(0)
    for item in items:
        if item.unit != unit:
            unit = None
        quantity += item.quantity
        amount += item.amount or 0
        amount_usd += item.amount_usd
    return Totals(quantity if unit is not None else None, unit, amount, amount_usd)


def checked_items(items: list[Item]) -> list[Item]:
    """The item table (fields 12-17) with field 18 computed from it fitting its columns."""
    if not 1 <= len(items) <= MAX_ITEMS:
        refuse(f"has {len(items)} items; 1 to {MAX_ITEMS} fit the form")
    totals = totals_of(items)
    problems = []
    if problem := _AMOUNT.problem(totals.amount):
        problems.append(f"the total amount {problem}")
    if problem := _AMOUNT_USD.problem(totals.amount_usd):
        problems.append(f"the total in USD {problem}")
    if totals.quantity is not None and (problem := _TOTAL_QUANTITY.problem(totals.quantity)):
        problems.append(f"the total quantity {problem}")
    if problems:
        refuse("; ".join(problems), field=18)
    return items


Items = Annotated[list[Item], pydantic.AfterValidator(checked_items)]
"""The item table of either form, field 18 computed from it fitting its columns."""


class ImportLicence(Model):
    """A validated import licence (GB/T 15311.1-2008): the 21 fields of the form.

    Field 18 (totals) is computed and field 20 (the issuing authority's stamp) carries no data.
    """

    model_config = ConfigDict(
        title="ImportLicence",
        json_schema_extra={"description": "中华人民共和国进口许可证 Import licence (GB/T 15311.1)"},
    )

    form: Literal["import"] = Field(
        "import", description="The form: import (the default) or export"
    )
    licence_no: LicenceNo = Field(description=describe(3) + ", an12: YY-OO-NNNNNN")
    importer: Importer
    consignee: Consignee
    expiry_date: Day = Field(
        description=describe(4) + ", YYYY-MM-DD or YYYYMMDD, within the validity policy"
    )
    trade_mode: TradeMode
    foreign_exchange: ShortText = Field(description=describe(6) + ", an..16")
    place_of_clearance: Place
    country_of_exportation: Country = Field(
        description=describe(8) + ": ISO 3166-1 alpha-2, alpha-3, numeric, or name"
    )
    country_of_origin: Country = Field(
        description=describe(9) + ": ISO 3166-1 alpha-2, alpha-3, numeric, or name"
    )
    use_of_goods: ShortText = Field(description=describe(10) + ", an..16")
    goods: Goods
    currency: CurrencyCode = Field(
        description="币别 Currency of fields 15 and 16: ISO 4217 alpha-3"
    )
    items: Items = Field(description="Fields 12-17: 1 to 5 rows of the item table")
    remarks: Remarks = Field(
        "",
        description=describe(19) + ", an..32*2: free text (a string or lines), or the "
        "clauses the licence asks for with free text after them",
    )
    licence_date: LicenceDate = Field(description=describe(21) + ", YYYY-MM-DD or YYYYMMDD")

    @cached_property
    def holder(self) -> Importer:
        """Field 1, whose licence it is."""
        return self.importer

    @cached_property
    def totals(self) -> Totals:
        """Field 18, computed from the items."""
        return totals_of(self.items)

    @cached_property
    def remarks_lines(self) -> list[str]:
        """备注 as printed: the clauses, then the free text."""
        return remarks_lines(self.remarks, self.items, self.licence_date)


def remarks_lines(
    remarks: str | list[str] | RemarksClauses, items: list[Item], issued: date
) -> list[str]:
    """备注 as printed: the clauses the licence asks for, then the free text."""
    written = _clause_texts(remarks, items, issued)
    if not written and not isinstance(remarks, RemarksClauses):
        return _REMARKS.lines(remarks)
    text = remarks.text if isinstance(remarks, RemarksClauses) else remarks
    return list(_composed(written, text if isinstance(text, str) else tuple(text))[0])


def _clause_texts(
    remarks: str | list[str] | RemarksClauses, items: list[Item], issued: date
) -> tuple[str, ...]:
    """The wording of each clause the licence asks for, in the fixed order of ``CLAUSES``."""
    specifications = tuple(
        (row, item.specification)
        for row, item in enumerate(items, start=1)
        if item.specification_in_remarks
    )
    if isinstance(remarks, RemarksClauses):
        return _wording(
            remarks.multiple_use,
            issued.year + 1 if remarks.next_year else None,
            remarks.original_licence_no,
            specifications,
        )
    return _wording(False, None, None, specifications)


@lru_cache(maxsize=4096)
def _wording(
    multiple_use: bool,
    next_year: int | None,
    original_licence_no: str | None,
    specifications: tuple[tuple[int, str | list[str]], ...],
) -> tuple[str, ...]:
    """The clauses' wording, kept per request, as licences repeat their clauses."""
    asked: dict[str, list[dict[str, Any]]] = {
        "multiple_use": [{}] if multiple_use else [],
        "next_year": [{"year": next_year}] if next_year else [],
        "original_licence_no": [{"licence_no": original_licence_no}] if original_licence_no else [],
        "specification_in_remarks": [
            {"row": row, "specification": specification} for row, specification in specifications
        ],
    }
    return tuple(
        clause.wording.format(**values)
        for clause in clauses.CLAUSES
        for values in asked[clause.key]
    )


@lru_cache(maxsize=4096)
def _composed(written: tuple[str, ...], text: str | tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """备注's printed lines from the clauses' wording and the free text, and what keeps them
    from fitting its area (or ``""``); kept per wording, as licences repeat their clauses.
    Every line fits its width (wrapped, or free text lines checked as given): only their
    count can fail."""
    rep = _REMARKS.representation
    lines = clauses.compose(
        list(written), text if isinstance(text, str) else list(text), rep.length
    )
    if len(lines) <= rep.lines:
        return tuple(lines), ""
    return tuple(lines), (
        f"the clauses and text take {len(lines)} lines of {rep.length} print positions; "
        f"at most {rep.lines} fit: {' | '.join(lines)}"
    )


def _remarks_problem(
    remarks: str | list[str] | RemarksClauses, items: list[Item], issued: date
) -> str:
    """What keeps 备注 with its clauses (or an item's specification) from fitting its area,
    or ``""``. Free text alone was checked as the field's value."""
    written = _clause_texts(remarks, items, issued)
    text = remarks.text if isinstance(remarks, RemarksClauses) else remarks
    return _composed(written, text if isinstance(text, str) else tuple(text))[1]


@lru_cache(maxsize=4096)
def _validity_errors(
    issued: date, expiry: date, next_year: bool, policy: ValidityPolicy
) -> tuple[Any, ...]:
    """Field 4 under the validity policy; a next-year licence's date under field 21. Kept
    per question: licences of a day share their dates."""
    errors = []
    if next_year and issued < (allowed := policy.next_year_allowed_from(issued.year)):
        errors.append(
            _error(
                "licence_date",
                f"is {issued.isoformat()}; a next-year licence may be issued from "
                f"{allowed.isoformat()} ({policy.source}, {policy.confidence})",
            )
        )
    effective = policy.effective_from(issued, next_year=next_year)
    latest = policy.latest_expiry(effective)
    if next_year and expiry < effective:
        errors.append(
            _error(
                "expiry_date",
                f"is {expiry.isoformat()}, before {effective.isoformat()}, the day this "
                "next-year licence takes effect",
            )
        )
    elif expiry > latest:
        errors.append(
            _error(
                "expiry_date",
                f"is {expiry.isoformat()}, after {latest.isoformat()}, the latest for a licence "
                f"valid from {effective.isoformat()}: {policy.rule} ({policy.source}, "
                f"{policy.confidence})",
            )
        )
    return tuple(errors)


def _error(path: str, message: str, field: int | None = None) -> Any:
    """A line error of a rule across fields, reported at ``path`` (``problems`` reads it)."""
    context: dict[str, Any] = {"message": message, "path": path}
    if field is not None:
        context["field"] = field
    return {"type": PydanticCustomError("gbt15311", "{message}", context), "input": None}


EXAMPLE: Mapping[str, Any] = example("import-licence.json")
"""The example licence of ``examples/import-licence.json``, for doctests and quick starts."""
