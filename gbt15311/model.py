"""The import licence as validated data (pydantic v2).

``load_licence`` turns JSON or a dict into an ``ImportLicence`` or raises ``LicenceInvalid``
listing every problem at once. Whatever it accepts is printable: every value fits its area on
the form in print positions (a Chinese character takes two) and every character is in the font
the renderer embeds. Money and quantities are ``Decimal``; floats are refused because they have
already lost digits by the time they reach us.

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

import json
from collections.abc import Callable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Annotated, Any, NamedTuple

import pydantic
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from gbt15311 import cells
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
from gbt15311.exceptions import LicenceInvalid
from gbt15311.fields import FIELDS
from gbt15311.problems import problem, problems_from_errors
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
    "Totals",
    "TradeMode",
    "load_licence",
    "read_json",
    "validate_licence",
]

MAX_ITEMS = 5
"""The item table has five rows of three lines (L29-43)."""

_NAME = Text("an..35*2")
_SHORT = Text("an..16")
_DESCRIPTION = Text("an..35")
_SPECIFICATION = Text("an..18*3")
_UNIT = Text("an..6*3")
_REMARKS = Text("an..32*2", required=False)
_QUANTITY = Number("n..12", decimals=1, columns=FIELDS[14].columns)
_UNIT_PRICE = Number("n..13", decimals=4, columns=FIELDS[15].columns)
_AMOUNT = Number("n..12", decimals=2, columns=FIELDS[16].columns)
_AMOUNT_USD = Number("n..9", decimals=2, columns=FIELDS[17].columns)
_TOTAL_QUANTITY = Number("n..13", decimals=1, columns=FIELDS[14].columns)
_CENT = Decimal("0.01")
_DATE_WIDTH = cells.cell_len("2026年11月22日")

CAPACITY: Mapping[str, Capacity] = {
    "importer.name": _NAME.capacity,
    "importer.code": Capacity(13, 1),
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
    name = info.data.get("name")
    if name is None:
        return checked(customs_district.validate, value)
    return checked(lambda number: customs_district.check_name(number, name), value)


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


def _licence_date(value: Any, info: ValidationInfo) -> date:
    """The day of issue, which cannot come after the expiry date."""
    issued = day(value)
    expiry = info.data.get("expiry_date")
    if expiry is not None and expiry < issued:
        refuse(f"is {issued.isoformat()}, after the expiry date {expiry.isoformat()} (field 4)")
    return issued


_AS_PRINTED = pydantic.PlainSerializer(printed_number, return_type=str, when_used="unless-none")
_ISO_DATE = pydantic.PlainSerializer(date.isoformat, return_type=str, when_used="json")
_LINES = str | list[str]

LicenceNo = Annotated[str, _plain(code(licence_no.validate))]
Name = Annotated[str | list[str], _plain(_NAME.validate, _LINES)]
EnterpriseCode = Annotated[str, _plain(code(enterprise.validate))]
Day = Annotated[date, _plain(day, date), _ISO_DATE]
ShortText = Annotated[str, _plain(_SHORT.validate)]
TradeModeCode = Annotated[str | None, _plain(_trade_mode_code, str | None)]
DistrictCode = Annotated[str | None, _plain(_district_code, str | None)]
Country = Annotated[str, _plain(listed(country.validate))]
Description = Annotated[str, _plain(_DESCRIPTION.validate)]
CommodityCode = Annotated[str, _plain(code(commodity.validate))]
CurrencyCode = Annotated[str, _plain(code(currency.validate))]
Specification = Annotated[str | list[str], _plain(_SPECIFICATION.validate, _LINES)]
UnitName = Annotated[str, _plain(listed(_unit_name))]
Quantity = Annotated[Decimal, _plain(_QUANTITY.validate, str | int), _AS_PRINTED]
UnitPrice = Annotated[Decimal, _plain(_UNIT_PRICE.validate, str | int), _AS_PRINTED]
Amount = Annotated[Decimal | None, _plain(_amount, str | int | None), _AS_PRINTED]
AmountUSD = Annotated[Decimal, _plain(_AMOUNT_USD.validate, str | int), _AS_PRINTED]
Remarks = Annotated[str | list[str], _plain(_REMARKS.validate, _LINES)]
LicenceDate = Annotated[date, _plain(_licence_date, date), _ISO_DATE]


def _describe(number: int) -> str:
    row = FIELDS[number]
    return f"第{number}项 {row.name_zh} {row.name_en}"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the parts of the licence ----------------------------------------------------------------


class _Party(_Model):
    """A name printed on up to 2 lines of 35 positions (fields 1 and 2)."""

    name: Name

    @cached_property
    def lines(self) -> list[str]:
        """The name as printed: at most 2 lines of at most 35 positions."""
        return _NAME.lines(self.name)


class Consignee(_Party):
    """Field 2: who actually receives the goods."""

    name: Name = Field(description=_describe(2) + ", an..35*2: one string or up to 2 lines")


class Importer(_Party):
    """Field 1: who signed the import contract, by name and 13-digit enterprise code."""

    name: Name = Field(description=_describe(1) + ", an..35*2: one string or up to 2 lines")
    code: EnterpriseCode = Field(description="13-digit enterprise code (n13, WM 1-1999)")


class TradeMode(_Model):
    """Field 5: the trade mode's name as printed, and its GB/T 15421 code if known."""

    name: ShortText = Field(description=_describe(5) + ", an..16")
    code: TradeModeCode = Field(None, description="GB/T 15421-2008 code, n2")


class Place(_Model):
    """Field 7: the customs district where the goods are cleared; a licence is valid at one."""

    name: ShortText = Field(description=_describe(7) + ", an..16")
    code: DistrictCode = Field(None, description="4-digit customs district code")


class Goods(_Model):
    """Field 11: the one commodity a licence covers: description and 10-digit code."""

    description: Description = Field(description=_describe(11) + ", an..35")
    code: CommodityCode = Field(description="10-digit commodity code")


class Item(_Model):
    """Fields 12-17: one specification of the commodity, a row of the item table.

    ``amount`` may be left out: it is then quantity × unit price, rounded half up to the cent.
    When given it must equal that.
    """

    specification: Specification = Field(
        description=_describe(12) + ", up to 3 lines of 18 positions"
    )
    unit: UnitName = Field(description=_describe(13) + ": customs unit name or 3-digit code")
    quantity: Quantity = Field(description=_describe(14) + ", n..12, at most 1 decimal")
    unit_price: UnitPrice = Field(description=_describe(15) + ", n..13, at most 4 decimals")
    amount: Amount = Field(
        None, validate_default=True, description=_describe(16) + ", n..12, 2 decimals"
    )
    amount_usd: AmountUSD = Field(description=_describe(17) + ", n..9")

    @cached_property
    def specification_lines(self) -> list[str]:
        return _SPECIFICATION.lines(self.specification)

    @cached_property
    def unit_lines(self) -> list[str]:
        """The unit name wrapped in the row's lines: a few unit names are wider than 6."""
        return cells.wrap(self.unit, _UNIT.representation.length)

    @property
    def unit_code(self) -> str:
        return units.lookup(self.unit).code


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


def _totals(items: list[Item]) -> Totals:
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


class ImportLicence(_Model):
    """A validated import licence (GB/T 15311.1-2008): the 21 fields of the form.

    Field 18 (totals) is computed and field 20 (the issuing authority's stamp) carries no data.
    """

    model_config = ConfigDict(
        title="ImportLicence",
        json_schema_extra={"description": "中华人民共和国进口许可证 Import licence (GB/T 15311.1)"},
    )

    licence_no: LicenceNo = Field(description=_describe(3) + ", an12: YY-OO-NNNNNN")
    importer: Importer
    consignee: Consignee
    expiry_date: Day = Field(description=_describe(4) + ", ISO 8601 date")
    trade_mode: TradeMode
    foreign_exchange: ShortText = Field(description=_describe(6) + ", an..16")
    place_of_clearance: Place
    country_of_exportation: Country = Field(
        description=_describe(8) + ": ISO 3166-1 alpha-2, alpha-3, numeric, or name"
    )
    country_of_origin: Country = Field(
        description=_describe(9) + ": ISO 3166-1 alpha-2, alpha-3, numeric, or name"
    )
    use_of_goods: ShortText = Field(description=_describe(10) + ", an..16")
    goods: Goods
    currency: CurrencyCode = Field(
        description="币别 Currency of fields 15 and 16: ISO 4217 alpha-3"
    )
    items: list[Item] = Field(description="Fields 12-17: 1 to 5 rows of the item table")
    remarks: Remarks = Field("", description=_describe(19) + ", an..32*2")
    licence_date: LicenceDate = Field(description=_describe(21) + ", ISO 8601 date")

    @field_validator("items")
    @classmethod
    def _items(cls, items: list[Item]) -> list[Item]:
        if not 1 <= len(items) <= MAX_ITEMS:
            refuse(f"has {len(items)} items; 1 to {MAX_ITEMS} fit the form")
        totals = _totals(items)
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

    @cached_property
    def totals(self) -> Totals:
        """Field 18, computed from the items."""
        return _totals(self.items)

    @cached_property
    def remarks_lines(self) -> list[str]:
        return _REMARKS.lines(self.remarks)


EXAMPLE: Mapping[str, Any] = {
    "licence_no": "26-AA-000123",
    "importer": {"name": "中国机械进出口（集团）有限公司", "code": "1100000000017"},
    "consignee": {"name": "上海浦东机床有限公司"},
    "expiry_date": "2027-03-31",
    "trade_mode": {"name": "一般贸易", "code": "10"},
    "foreign_exchange": "银行购汇",
    "place_of_clearance": {"name": "上海海关", "code": "2200"},
    "country_of_exportation": "DE",
    "country_of_origin": "DEU",
    "use_of_goods": "生产用",
    "goods": {"description": "立式加工中心", "code": "8457101000"},
    "currency": "EUR",
    "items": [
        {
            "specification": "VMC-850 三轴",
            "unit": "台",
            "quantity": "2",
            "unit_price": "125000.0000",
            "amount": "250000.00",
            "amount_usd": "271250",
        }
    ],
    "remarks": "",
    "licence_date": "2026-11-22",
}
"""The example licence of ``examples/import-licence.json``, for doctests and quick starts."""


def read_json(text: str | bytes) -> Any:
    """The value a licence file's JSON text holds, decoded once; ``ValueError`` says why not.

    A surrogate encoded in UTF-8 (bytes ``ED A0 80``) is read as the lone surrogate it is, so
    the field holding it is named; an integer is kept whole whatever its length, so the field
    holding a 5,000-digit number says what it allows."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "surrogatepass")
        return json.loads(text, parse_int=_integer)
    except UnicodeDecodeError as error:
        raise ValueError(
            f"is not UTF-8 text: byte {error.object[error.start]:#04x} at offset {error.start}"
        ) from None
    except RecursionError:
        raise ValueError("is nested too deeply to be a licence") from None


def _integer(digits: str) -> int | Decimal:
    """A JSON integer: as ``int`` while Python can read it, else as ``Decimal``."""
    return int(digits) if len(digits) < _INTEGER_DIGITS else Decimal(digits)


_INTEGER_DIGITS = 4300
"""Python refuses to read longer integers (``sys.get_int_max_str_digits``)."""


def load_licence(
    data: Mapping[str, Any] | str | bytes,
    *,
    trade_modes: trade_mode.TradeModeTable | None = None,
) -> ImportLicence:
    """Validate a licence given as JSON text or a dict; raise ``LicenceInvalid`` with every problem.

    ``trade_modes`` is an official GB/T 15421 table the user loaded: trade-mode codes are then
    checked for membership, not only for form.
    """
    if isinstance(data, str | bytes):
        try:
            data = read_json(data)
        except ValueError as error:
            raise LicenceInvalid([problem("", f"is not valid JSON: {error}")]) from None
    return validate_licence(data, trade_modes=trade_modes)


def validate_licence(
    data: Any, *, trade_modes: trade_mode.TradeModeTable | None = None
) -> ImportLicence:
    """Validate a value already decoded from JSON (``read_json``): a JSON string is a string,
    never decoded a second time, so every command gives a file the same verdict."""
    try:
        context = None if trade_modes is None else {"trade_modes": trade_modes}
        return ImportLicence.model_validate(data, context=context)
    except pydantic.ValidationError as error:
        raise LicenceInvalid(problems_from_errors(error.errors())) from None
