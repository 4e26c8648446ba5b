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


class _Text:
    """A text's rule: its representation, and the problems of values already seen.

    Importers, consignees and trade modes recur from licence to licence, so each rule keeps
    the verdicts on the values it has checked (bounded), keyed by the value alone.
    """

    def __init__(self, representation: str, *, required: bool = True) -> None:
        self.representation = Representation.parse(representation)
        self.required = required
        self.problems: Callable[[str | tuple[str, ...]], tuple[str, ...]] = lru_cache(maxsize=8192)(
            self._problems
        )

    @property
    def capacity(self) -> Capacity:
        return Capacity(self.representation.length, self.representation.lines)

    def check(self, value: str | list[str]) -> None:
        problems = self.problems(value if isinstance(value, str) else tuple(value))
        if problems:
            _refuse("; ".join(problems))

    def lines(self, value: str | list[str]) -> list[str]:
        """The printed lines of a text given whole (we wrap it) or as lines (kept)."""
        if isinstance(value, list):
            return value
        if cells.cell_len(value) <= self.representation.length:
            return [value] if value else []
        return cells.wrap(value, self.representation.length)

    def _problems(self, value: str | tuple[str, ...]) -> tuple[str, ...]:
        rep = self.representation
        given = [value] if isinstance(value, str) else list(value)
        if not "".join(given).strip():
            return ("is required",) if self.required else ()
        problems = [problem for line in given for problem in _printable(line)]
        if problems:
            return tuple(problems)
        if rep.lines == 1 and isinstance(value, str):
            return tuple(rep.check(value)) if cells.cell_len(value) > rep.length else ()
        lines = self.lines(value if isinstance(value, str) else given)
        if len(lines) <= rep.lines and all(cells.cell_len(line) <= rep.length for line in lines):
            return ()
        if isinstance(value, str):
            return (
                f"takes {cells.cell_len(value)} print positions, which wrap into {len(lines)} "
                f"lines of {rep.length}; at most {rep.lines} fit",
            )
        return tuple(rep.check_lines(lines))


class _Number:
    """A number's rule: its representation and the column it prints in.

    Verdicts are kept per printed text: 2.0 and 2.00 are equal numbers that print differently.
    """

    def __init__(self, representation: str, decimals: int, columns: int) -> None:
        self.representation = Representation.parse(representation, decimals=decimals)
        self.columns = columns
        self.width = min(self.representation.length, columns - FILL)
        self._printed_problems: Callable[[str], tuple[str, ...]] = lru_cache(maxsize=8192)(
            self._problems
        )

    def problems(self, value: Decimal) -> tuple[str, ...]:
        if value <= 0:
            return ("must be greater than zero",)
        return self._printed_problems(_printed_number(value))

    def check(self, value: Decimal) -> Decimal:
        problems = self.problems(value)
        if problems:
            _refuse("; ".join(problems))
        return value

    def _problems(self, printed: str) -> tuple[str, ...]:
        point = printed.find(".")
        decimals = len(printed) - point - 1 if point >= 0 else 0
        if len(printed) <= self.width and decimals <= (self.representation.decimals or 0):
            return ()
        problems = self.representation.check(printed)
        if not problems:
            problems.append(
                f"takes {len(printed)} print positions; at most {self.width} fit "
                f"between the anti-alteration asterisks in its {self.columns}-column area"
            )
        return tuple(problems)


_QUANTITY = _Number("n..12", 1, FIELDS[14].columns)
_UNIT_PRICE = _Number("n..13", 4, FIELDS[15].columns)
_AMOUNT = _Number("n..12", 2, FIELDS[16].columns)
_AMOUNT_USD = _Number("n..9", 2, FIELDS[17].columns)
_TOTAL_QUANTITY = _Number("n..13", 1, FIELDS[14].columns)
_CENT = Decimal("0.01")

_NAME = _Text("an..35*2")
_SHORT = _Text("an..16")
_DESCRIPTION = _Text("an..35")
_SPECIFICATION = _Text("an..18*3")
_UNIT = _Text("an..6*3")
_REMARKS = _Text("an..32*2", required=False)
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
    "items.quantity": Capacity(_QUANTITY.width, 1, numeric=True),
    "items.unit_price": Capacity(_UNIT_PRICE.width, 1, numeric=True),
    "items.amount": Capacity(_AMOUNT.width, 1, numeric=True),
    "items.amount_usd": Capacity(_AMOUNT_USD.width, 1, numeric=True),
    "totals.unit": _UNIT.capacity,
    "totals.quantity": Capacity(_TOTAL_QUANTITY.width, 1, numeric=True),
    "totals.amount": Capacity(_AMOUNT.width, 1, numeric=True),
    "totals.amount_usd": Capacity(_AMOUNT_USD.width, 1, numeric=True),
    "remarks": _REMARKS.capacity,
    "licence_date": Capacity(_DATE_WIDTH, 1),
}


# --- the rules every value goes through ------------------------------------------------------


def _refuse(message: str, field: int | None = None) -> NoReturn:
    """Fail one value's validation; the field's number and names are added from its path."""
    context: dict[str, Any] = {"message": message}
    if field is not None:
        context["field"] = field
    raise PydanticCustomError("gbt15311", "{message}", context)


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


def _check_code(validate: Callable[[str], str], value: str) -> str:
    try:
        return validate(value)
    except ValidationError as error:
        _refuse(str(error))


def _printed_number(value: Decimal) -> str:
    return format(value, "f")


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
        _NAME.check(value)
        return value

    @cached_property
    def lines(self) -> list[str]:
        """The name as printed: at most 2 lines of at most 35 positions."""
        return _NAME.lines(self.name)


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


class _Coded(_Model):
    """A short name as printed (an..16), with an optional code that is not printed."""

    name: str
    code: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        _SHORT.check(value)
        return value


class TradeMode(_Coded):
    """Field 5: the trade mode's name as printed, and its GB/T 15421 code if known."""

    name: str = Field(description=_describe(5) + ", an..16")
    code: str | None = Field(None, description="GB/T 15421-2008 code, n2")

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


class Place(_Coded):
    """Field 7: the customs district where the goods are cleared; a licence is valid at one."""

    name: str = Field(description=_describe(7) + ", an..16")
    code: str | None = Field(None, description="4-digit customs district code")

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
        _DESCRIPTION.check(value)
        return value

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
        _SPECIFICATION.check(value)
        return value

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        name = _check_code(lambda unit: units.lookup(unit).name, value)
        _UNIT.check(name)  # a unit table the user loaded may hold longer names
        return name

    @field_validator("quantity")
    @classmethod
    def _quantity(cls, value: Decimal) -> Decimal:
        return _QUANTITY.check(value)

    @field_validator("unit_price")
    @classmethod
    def _unit_price(cls, value: Decimal) -> Decimal:
        return _UNIT_PRICE.check(value)

    @field_validator("amount")
    @classmethod
    def _amount(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        quantity: Decimal | None = info.data.get("quantity")
        price: Decimal | None = info.data.get("unit_price")
        if quantity is None or price is None:  # already reported; the product is unknown
            return _AMOUNT.check(value) if value is not None else None
        product = (quantity * price).quantize(_CENT, rounding=ROUND_HALF_UP)
        if value is not None and value != product:
            _refuse(f"is {_printed_number(value)} but quantity × unit price is {product}")
        return _AMOUNT.check(product)

    @field_validator("amount_usd")
    @classmethod
    def _amount_usd(cls, value: Decimal) -> Decimal:
        return _AMOUNT_USD.check(value)

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
        return cells.wrap(self.unit, _UNIT.representation.length) if self.unit else []


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
        _SHORT.check(value)
        return value

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
        problems = [f"the total amount {p}" for p in _AMOUNT.problems(totals.amount)]
        problems += [f"the total in USD {p}" for p in _AMOUNT_USD.problems(totals.amount_usd)]
        if totals.quantity is not None:
            problems += [
                f"the total quantity {p}" for p in _TOTAL_QUANTITY.problems(totals.quantity)
            ]
        if problems:
            _refuse("; ".join(problems), field=18)
        return items

    @field_validator("remarks")
    @classmethod
    def _remarks(cls, value: str | list[str]) -> str | list[str]:
        _REMARKS.check(value)
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
