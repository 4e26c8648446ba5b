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
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from typing import Annotated, Any, NoReturn

import pydantic
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from gbt15311 import cells, font
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
from gbt15311.exceptions import LicenceInvalid, ValidationError
from gbt15311.fields import FIELDS
from gbt15311.notation import Representation
from gbt15311.problems import problem, problems_from_errors

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
]

FILL = 2
"""Positions kept free in every number column for the anti-alteration asterisks (``*250.00*``).

Issuing practice prints amounts between asterisks. A number is accepted only if it still fits
its column with them, so a template may switch the fill on or off without making an accepted
licence unprintable. Where a representation (``n..13``) and its area (13 columns) disagree, the
area wins.
"""

MAX_ITEMS = 5
"""The item table has five rows of three lines (L29-43)."""


@dataclass(frozen=True, slots=True)
class Capacity:
    """The widest value accepted for a printed slot, in print positions per line and lines.

    ``numeric`` slots are right-aligned numbers whose column keeps ``FILL`` positions free.
    Templates check their slots against this table.
    """

    width: int
    lines: int
    numeric: bool = False


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity: a cheap cache key
class _Number:
    """How one kind of number is written: its representation and the column it prints in."""

    representation: Representation
    columns: int

    @property
    def width(self) -> int:
        return min(self.representation.length, self.columns - FILL)


_QUANTITY = _Number(Representation.parse("n..12", decimals=1), FIELDS[14].columns)
_UNIT_PRICE = _Number(Representation.parse("n..13", decimals=4), FIELDS[15].columns)
_AMOUNT = _Number(Representation.parse("n..12", decimals=2), FIELDS[16].columns)
_AMOUNT_USD = _Number(Representation.parse("n..9", decimals=2), FIELDS[17].columns)
_TOTAL_QUANTITY = _Number(Representation.parse("n..13", decimals=1), FIELDS[14].columns)
_CENT = Decimal("0.01")

_NAME = Representation.parse("an..35*2")
_SHORT = Representation.parse("an..16")
_DESCRIPTION = Representation.parse("an..35")
_SPECIFICATION = Representation.parse("an..18*3")
_UNIT = Representation.parse("an..6*3")
_REMARKS = Representation.parse("an..32*2")
_DATE_WIDTH = cells.cell_len("2026年11月22日")

CAPACITY: Mapping[str, Capacity] = {
    "importer.name": Capacity(_NAME.length, _NAME.lines),
    "importer.code": Capacity(13, 1),
    "consignee.name": Capacity(_NAME.length, _NAME.lines),
    "licence_no": Capacity(12, 1),
    "expiry_date": Capacity(_DATE_WIDTH, 1),
    "trade_mode": Capacity(_SHORT.length, 1),
    "foreign_exchange": Capacity(_SHORT.length, 1),
    "place_of_clearance": Capacity(_SHORT.length, 1),
    "country_of_exportation": Capacity(_SHORT.length, 1),
    "country_of_origin": Capacity(_SHORT.length, 1),
    "use_of_goods": Capacity(_SHORT.length, 1),
    "goods.description": Capacity(_DESCRIPTION.length, 1),
    "goods.code": Capacity(10, 1),
    "currency": Capacity(3, 1),
    "items.specification": Capacity(_SPECIFICATION.length, _SPECIFICATION.lines),
    "items.unit": Capacity(_UNIT.length, _UNIT.lines),
    "items.quantity": Capacity(_QUANTITY.width, 1, numeric=True),
    "items.unit_price": Capacity(_UNIT_PRICE.width, 1, numeric=True),
    "items.amount": Capacity(_AMOUNT.width, 1, numeric=True),
    "items.amount_usd": Capacity(_AMOUNT_USD.width, 1, numeric=True),
    "totals.unit": Capacity(_UNIT.length, _UNIT.lines),
    "totals.quantity": Capacity(_TOTAL_QUANTITY.width, 1, numeric=True),
    "totals.amount": Capacity(_AMOUNT.width, 1, numeric=True),
    "totals.amount_usd": Capacity(_AMOUNT_USD.width, 1, numeric=True),
    "remarks": Capacity(_REMARKS.length, _REMARKS.lines),
    "licence_date": Capacity(_DATE_WIDTH, 1),
}


# --- the rules every value goes through ------------------------------------------------------


def _refuse(message: str, field: int | None = None) -> NoReturn:
    """Fail one value's validation; the field's number and names are added from its path."""
    context: dict[str, Any] = {"message": message}
    if field is not None:
        context["field"] = field
    raise PydanticCustomError("gbt15311", "{message}", context)


def _fail(problems: list[str], field: int | None = None) -> None:
    if problems:
        _refuse("; ".join(problems), field)


def _printable(text: str) -> list[str]:
    """Characters that would not print: control and zero-width characters, font gaps."""
    if text.isascii() and text.isprintable():
        return []
    problems = [f"contains {what}, which cannot be printed" for what in cells.unprintable(text)]
    missing = font.missing_glyphs(text)
    if missing:
        named = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing)
        problems.append(f"contains {named}, which the printing font does not have")
    return problems


def _text_lines(value: str | list[str], rep: Representation) -> list[str]:
    """The printed lines of a text that may be given whole (we wrap it) or as lines."""
    if isinstance(value, list):
        return value
    if cells.cell_len(value) <= rep.length:
        return [value] if value else []
    return cells.wrap(value, rep.length)


def _check_lines(value: str | list[str], rep: Representation, required: bool) -> None:
    """Check a text printed on up to ``rep.lines`` lines."""
    key = value if isinstance(value, str) else tuple(value)
    _fail(list(_lines_problems(key, rep, required)))


@lru_cache(maxsize=8192)
def _lines_problems(
    value: str | tuple[str, ...], rep: Representation, required: bool
) -> tuple[str, ...]:
    """The problems of a multi-line text; cached, as names recur from licence to licence."""
    given = [value] if isinstance(value, str) else list(value)
    if not "".join(given).strip():
        return ("is required",) if required else ()
    problems = [p for line in given for p in _printable(line)]
    if problems:
        return tuple(problems)
    lines = _text_lines(value if isinstance(value, str) else given, rep)
    if len(lines) <= rep.lines and all(cells.cell_len(line) <= rep.length for line in lines):
        return ()
    if isinstance(value, str):
        return (
            f"takes {cells.cell_len(value)} print positions, which wrap into {len(lines)} lines "
            f"of {rep.length}; at most {rep.lines} fit",
        )
    return tuple(rep.check_lines(lines))


def _check_text(value: str, rep: Representation) -> str:
    """Check a single-line text."""
    _fail(list(_text_problems(value, rep)))
    return value


@lru_cache(maxsize=8192)
def _text_problems(value: str, rep: Representation) -> tuple[str, ...]:
    """The problems of a single-line text; cached, as values recur from licence to licence."""
    if not value.strip():
        return ("is required",)
    problems = _printable(value)
    if not problems and cells.cell_len(value) > rep.length:
        problems = rep.check(value)
    return tuple(problems)


def _check_code(validate: Callable[[str], str], value: str) -> str:
    try:
        return validate(value)
    except ValidationError as error:
        _refuse(str(error))


def _printed_number(value: Decimal) -> str:
    return format(value, "f")


def _number_problems(value: Decimal, rule: _Number) -> list[str]:
    """Problems of a number as printed."""
    if value <= 0:
        return ["must be greater than zero"]
    return list(_printed_number_problems(_printed_number(value), rule))


@lru_cache(maxsize=8192)
def _printed_number_problems(printed: str, rule: _Number) -> tuple[str, ...]:
    """Keyed by the printed text: 2.0 and 2.00 are equal numbers but print differently."""
    point = printed.find(".")
    decimals = len(printed) - point - 1 if point >= 0 else 0
    if len(printed) <= rule.width and decimals <= (rule.representation.decimals or 0):
        return ()
    problems = rule.representation.check(printed)
    if not problems:
        problems.append(
            f"takes {len(printed)} print positions; at most {rule.width} fit "
            f"between the anti-alteration asterisks in its {rule.columns}-column area"
        )
    return tuple(problems)


def _refuse_float(value: Any) -> Any:
    """Numbers come as strings or integers: a float has already lost digits."""
    if isinstance(value, float | bool):
        _refuse(
            'must be a number written as a string, e.g. "125000.00"'
            + (" (a float has already lost digits)" if isinstance(value, float) else "")
        )
    return value


def _to_date(value: Any) -> date:
    """An ISO 8601 calendar date ``YYYY-MM-DD``; the printed forms are the layout's business."""
    if isinstance(value, date) and type(value) is date:
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    _refuse("must be a date written YYYY-MM-DD, e.g. 2026-11-22")


def _lines_type(value: Any) -> str | list[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return list(value)
    _refuse("must be text, or a list of lines of text")


Number = Annotated[
    Decimal,
    pydantic.BeforeValidator(_refuse_float),
    pydantic.PlainSerializer(_printed_number, return_type=str),
]
Day = Annotated[date, pydantic.BeforeValidator(_to_date)]
Text = Annotated[str | list[str], pydantic.WrapValidator(lambda v, _h: _lines_type(v))]


def _describe(number: int) -> str:
    row = FIELDS[number]
    return f"第{number}项 {row.name_zh} {row.name_en}"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


# --- the parts of the licence ----------------------------------------------------------------


class _Party(_Model):
    """A name printed on up to 2 lines of 35 positions (fields 1 and 2)."""

    name: Text

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | list[str]) -> str | list[str]:
        _check_lines(value, _NAME, required=True)
        return value

    @cached_property
    def lines(self) -> list[str]:
        """The name as printed: at most 2 lines of at most 35 positions."""
        return _text_lines(self.name, _NAME)


class Consignee(_Party):
    """Field 2: who actually receives the goods."""

    name: Text = Field(description=_describe(2) + ", an..35*2: one string or up to 2 lines")


class Importer(_Party):
    """Field 1: who signed the import contract, by name and 13-digit enterprise code."""

    name: Text = Field(description=_describe(1) + ", an..35*2: one string or up to 2 lines")
    code: str = Field(description="13-digit enterprise code (n13, WM 1-1999)")

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        return _check_code(enterprise.validate, value)


class TradeMode(_Model):
    """Field 5: the trade mode's name as printed, and its GB/T 15421 code if known."""

    name: str = Field(description=_describe(5) + ", an..16")
    code: str | None = Field(None, description="GB/T 15421-2008 code, n2")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _check_text(value, _SHORT)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        table: trade_mode.TradeModeTable | None = (info.context or {}).get("trade_modes")
        if table is None:
            return _check_code(trade_mode.validate, value)
        code = _check_code(table.validate_code, value)
        name = info.data.get("name")
        if name is not None and name != table.name(code):
            _refuse(f"trade mode {code} is {table.name(code)} in {table.source}, not {name}")
        return code


class Place(_Model):
    """Field 7: the customs district where the goods are cleared; a licence is valid at one."""

    name: str = Field(description=_describe(7) + ", an..16")
    code: str | None = Field(None, description="4-digit customs district code")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _check_text(value, _SHORT)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        name = info.data.get("name")
        if name is None:
            return _check_code(customs_district.validate, value)
        return _check_code(lambda code: customs_district.check_name(code, name), value)


class Goods(_Model):
    """Field 11: the one commodity a licence covers: description and 10-digit code."""

    description: str = Field(description=_describe(11) + ", an..35")
    code: str = Field(description="10-digit commodity code")

    @field_validator("description")
    @classmethod
    def _description(cls, value: str) -> str:
        return _check_text(value, _DESCRIPTION)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        return _check_code(commodity.validate, value)


class Item(_Model):
    """Fields 12-17: one specification of the commodity, a row of the item table.

    ``amount`` may be left out: it is then quantity × unit price, rounded half up to the cent.
    When given it must equal that.
    """

    specification: Text = Field(description=_describe(12) + ", up to 3 lines of 18 positions")
    unit: str = Field(description=_describe(13) + ": customs unit name or 3-digit code")
    quantity: Number = Field(description=_describe(14) + ", n..12, at most 1 decimal")
    unit_price: Number = Field(description=_describe(15) + ", n..13, at most 4 decimals")
    amount: Number | None = Field(
        None, validate_default=True, description=_describe(16) + ", n..12, 2 decimals"
    )
    amount_usd: Number = Field(description=_describe(17) + ", n..9")

    @field_validator("specification")
    @classmethod
    def _specification(cls, value: str | list[str]) -> str | list[str]:
        _check_lines(value, _SPECIFICATION, required=True)
        return value

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        try:
            return units.lookup(value).name
        except ValidationError as error:
            _refuse(str(error))

    @field_validator("quantity")
    @classmethod
    def _quantity(cls, value: Decimal) -> Decimal:
        _fail(_number_problems(value, _QUANTITY))
        return value

    @field_validator("unit_price")
    @classmethod
    def _unit_price(cls, value: Decimal) -> Decimal:
        _fail(_number_problems(value, _UNIT_PRICE))
        return value

    @field_validator("amount")
    @classmethod
    def _amount(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        quantity: Decimal | None = info.data.get("quantity")
        price: Decimal | None = info.data.get("unit_price")
        if quantity is None or price is None:  # already reported; the product is unknown
            _fail(_number_problems(value, _AMOUNT) if value is not None else [])
            return value
        product = (quantity * price).quantize(_CENT, rounding=ROUND_HALF_UP)
        if value is not None and value != product:
            _refuse(f"is {_printed_number(value)} but quantity × unit price is {product}")
        _fail(_number_problems(product, _AMOUNT))
        return product

    @field_validator("amount_usd")
    @classmethod
    def _amount_usd(cls, value: Decimal) -> Decimal:
        _fail(_number_problems(value, _AMOUNT_USD))
        return value

    @cached_property
    def specification_lines(self) -> list[str]:
        return _text_lines(self.specification, _SPECIFICATION)

    @cached_property
    def unit_lines(self) -> list[str]:
        """The unit name wrapped in the row's lines: a few unit names are wider than 6."""
        return cells.wrap(self.unit, _UNIT.length)

    @property
    def unit_code(self) -> str:
        return units.lookup(self.unit).code


@dataclass(frozen=True, slots=True)
class Totals:
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
        return cells.wrap(self.unit, _UNIT.length) if self.unit else []


def _totals(items: list[Item]) -> Totals:
    unit_names = {item.unit for item in items}
    same_unit = len(unit_names) == 1
    return Totals(
        quantity=sum((item.quantity for item in items), Decimal(0)) if same_unit else None,
        unit=unit_names.pop() if same_unit else None,
        amount=sum((item.amount or Decimal(0) for item in items), Decimal(0)),
        amount_usd=sum((item.amount_usd for item in items), Decimal(0)),
    )


class ImportLicence(_Model):
    """A validated import licence (GB/T 15311.1-2008): the 21 fields of the form.

    Field 18 (totals) is computed and field 20 (the issuing authority's stamp) carries no data.
    """

    model_config = ConfigDict(
        title="ImportLicence",
        json_schema_extra={"description": "中华人民共和国进口许可证 Import licence (GB/T 15311.1)"},
    )

    licence_no: str = Field(description=_describe(3) + ", an12: YY-OO-NNNNNN")
    importer: Importer
    consignee: Consignee
    expiry_date: Day = Field(description=_describe(4) + ", ISO 8601 date")
    trade_mode: TradeMode
    foreign_exchange: str = Field(description=_describe(6) + ", an..16")
    place_of_clearance: Place
    country_of_exportation: str = Field(
        description=_describe(8) + ": ISO 3166-1 alpha-2, alpha-3, numeric, or name"
    )
    country_of_origin: str = Field(
        description=_describe(9) + ": ISO 3166-1 alpha-2, alpha-3, numeric, or name"
    )
    use_of_goods: str = Field(description=_describe(10) + ", an..16")
    goods: Goods
    currency: str = Field(description="币别 Currency of fields 15 and 16: ISO 4217 alpha-3")
    items: list[Item] = Field(description="Fields 12-17: 1 to 5 rows of the item table")
    remarks: Text = Field("", description=_describe(19) + ", an..32*2")
    licence_date: Day = Field(description=_describe(21) + ", ISO 8601 date")

    @field_validator("licence_no")
    @classmethod
    def _licence_no(cls, value: str) -> str:
        return _check_code(licence_no.validate, value)

    @field_validator("foreign_exchange", "use_of_goods")
    @classmethod
    def _short_text(cls, value: str) -> str:
        return _check_text(value, _SHORT)

    @field_validator("country_of_exportation", "country_of_origin")
    @classmethod
    def _country(cls, value: str) -> str:
        return _check_code(country.validate, value)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return _check_code(currency.validate, value)

    @field_validator("items")
    @classmethod
    def _items(cls, items: list[Item]) -> list[Item]:
        if not 1 <= len(items) <= MAX_ITEMS:
            _refuse(f"has {len(items)} items; 1 to {MAX_ITEMS} fit the form")
        totals = _totals(items)
        problems = [f"the total amount {p}" for p in _number_problems(totals.amount, _AMOUNT)]
        problems += [
            f"the total in USD {p}" for p in _number_problems(totals.amount_usd, _AMOUNT_USD)
        ]
        if totals.quantity is not None:
            problems += [
                f"the total quantity {p}"
                for p in _number_problems(totals.quantity, _TOTAL_QUANTITY)
            ]
        _fail(problems, field=18)
        return items

    @field_validator("remarks")
    @classmethod
    def _remarks(cls, value: str | list[str]) -> str | list[str]:
        _check_lines(value, _REMARKS, required=False)
        return value

    @field_validator("licence_date")
    @classmethod
    def _licence_date(cls, value: date, info: ValidationInfo) -> date:
        expiry = info.data.get("expiry_date")
        if expiry is not None and expiry < value:
            _refuse(f"is {value.isoformat()}, after the expiry date {expiry.isoformat()} (field 4)")
        return value

    @cached_property
    def totals(self) -> Totals:
        """Field 18, computed from the items."""
        return _totals(self.items)

    @cached_property
    def remarks_lines(self) -> list[str]:
        return _text_lines(self.remarks, _REMARKS)


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
            data = json.loads(data)
        except (ValueError, RecursionError) as error:
            raise LicenceInvalid([problem("", f"is not valid JSON: {error}")]) from None
    try:
        return ImportLicence.model_validate(data, context={"trade_modes": trade_modes})
    except pydantic.ValidationError as error:
        raise LicenceInvalid(problems_from_errors(error.errors())) from None
