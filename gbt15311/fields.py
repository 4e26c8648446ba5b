"""The field catalogues of the forms: the import licence (GB/T 15311.1-2008, clause 3.3.4) and
the export licence (GB/T 15311.2-2008): data, not logic.

One row per numbered field, with its JSON key, names, area on the form's grid, representation
and provenance. ``provenance`` says how sure we are: ``text`` (in the standard's text),
``public`` (public notices, filling instructions, blank forms) or ``ours`` (our reconstruction,
which a template or code table can correct). See ``docs/standard.md``.

    >>> FIELDS[1].name_zh, FIELDS[1].area, FIELDS[1].representation
    ('进口商', 'L1-6 P1-36', 'an..35*2')
    >>> IMPORT_FIELDS.field_for_path("items[2].unit_price").number
    15
    >>> FIELDS[15].columns
    13
    >>> EXPORT_FIELDS.field_for_path("contract_no").name_en
    'Contract No.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Provenance = Literal["text", "public", "ours"]


@dataclass(frozen=True, slots=True)
class Field:
    number: int
    key: str
    name_zh: str
    name_en: str
    area: str
    representation: str | None
    code_representation: str | None
    provenance: Provenance

    @property
    def columns(self) -> int:
        """The width of the field's area in columns (``P37-49`` is 13)."""
        match = _COLUMNS.search(self.area)
        assert match, self.area
        return int(match[2]) - int(match[1]) + 1


_COLUMNS = re.compile(r"P(\d+)-(\d+)")

_ROWS = (
    Field(1, "importer", "进口商", "Importer", "L1-6 P1-36", "an..35*2", "n13", "text"),
    Field(2, "consignee", "收货人", "Consignee", "L7-12 P1-36", "an..35*2", None, "text"),
    Field(
        3, "licence_no", "进口许可证号", "Import licence No.", "L1-6 P37-72", "an12", None, "text"
    ),
    Field(
        4,
        "expiry_date",
        "进口许可证有效截止日期",
        "Import licence expiry date",
        "L7-12 P37-72",
        "n8",
        None,
        "text",
    ),
    Field(5, "trade_mode", "贸易方式", "Trade mode", "L13-16 P1-36", "an..16", "n2", "text"),
    Field(
        6,
        "foreign_exchange",
        "外汇来源",
        "Terms of foreign exchange",
        "L17-20 P1-36",
        "an..16",
        None,
        "text",
    ),
    Field(
        7,
        "place_of_clearance",
        "报关口岸",
        "Place of clearance",
        "L21-23 P1-36",
        "an..16",
        "n4",
        "ours",
    ),
    Field(
        8,
        "country_of_exportation",
        "出口国（地区）",
        "Country/Region of exportation",
        "L13-16 P37-72",
        "an..16",
        "a2",
        "ours",
    ),
    Field(
        9,
        "country_of_origin",
        "原产地国（地区）",
        "Country/Region of origin",
        "L17-20 P37-72",
        "an..16",
        "a2",
        "ours",
    ),
    Field(10, "use_of_goods", "商品用途", "Use of goods", "L21-23 P37-72", "an..16", None, "ours"),
    Field(
        11,
        "goods",
        "商品名称、商品编码",
        "Description of goods, Code of goods",
        "L24-26 P1-72",
        "an..35",
        "n10",
        "ours",
    ),
    Field(
        12, "specification", "规格、型号", "Specification", "L29-43 P1-18", "an..18*3", None, "ours"
    ),
    Field(13, "unit", "单位", "Unit", "L29-43 P19-24", "an..6*3", "n3", "ours"),
    Field(14, "quantity", "数量", "Quantity", "L29-43 P25-36", "n..12", None, "ours"),
    Field(15, "unit_price", "单价（币别）", "Unit price", "L29-43 P37-49", "n..13", "a3", "text"),
    Field(16, "amount", "总值（币别）", "Amount", "L29-43 P50-61", "n..12", "a3", "text"),
    Field(17, "amount_usd", "总值折美元", "Amount in USD", "L29-43 P62-72", "n..9", None, "text"),
    Field(18, "totals", "总计", "Total", "L44-46 P1-72", "n..13", None, "text"),
    Field(19, "remarks", "备注", "Supplementary details", "L47-61 P1-36", "an..32*2", None, "text"),
    Field(
        20,
        "stamp",
        "发证机关签章",
        "Issuing authority's stamp & signature",
        "L47-61 P37-72",
        None,
        None,
        "text",
    ),
    Field(21, "licence_date", "发证日期", "Licence date", "L59-60 P37-72", "an14", "n8", "text"),
)

_FIRST_KEY = re.compile(r"[A-Za-z_]+")


@dataclass(frozen=True)
class Catalogue:
    """A form's numbered fields, and how a JSON path or a refusal names them."""

    rows: tuple[Field, ...]
    whole: tuple[str, str]
    """The form's own names, Chinese and English, for a problem of no one field."""
    currency: Field
    by_number: dict[int, Field] = field(init=False)
    by_key: dict[str, Field] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_number", {row.number: row for row in self.rows})
        object.__setattr__(self, "by_key", {row.key: row for row in self.rows})

    def field_for_path(self, path: str) -> Field | None:
        """The field a JSON path such as ``items[0].amount`` or ``importer.name`` belongs to."""
        keys = _FIRST_KEY.findall(path)
        if not keys:
            return None
        if keys[0] == "items":
            return self.by_key.get(keys[1]) if len(keys) > 1 else None
        if keys[0] == "currency":
            return self.currency
        return self.by_key.get(keys[0])


IMPORT_FIELDS = Catalogue(
    _ROWS,
    ("进口许可证", "Import licence"),
    Field(15, "currency", "币别", "Currency", "L27-28 P37-61", "a3", "a3", "text"),
)
"""The import licence's 21 fields."""

FIELDS: dict[int, Field] = IMPORT_FIELDS.by_number
"""The import licence's 21 fields by number."""

_EXPORT_ROWS = (
    Field(1, "exporter", "出口商", "Exporter", "L1-6 P1-36", "an..35*2", "n13", "text"),
    Field(2, "consignor", "发货人", "Consignor", "L7-12 P1-36", "an..35*2", None, "text"),
    Field(
        3, "licence_no", "出口许可证号", "Export licence No.", "L1-6 P37-72", "an12", None, "text"
    ),
    Field(
        4,
        "expiry_date",
        "出口许可证有效截止日期",
        "Export licence expiry date",
        "L7-12 P37-72",
        "n8",
        None,
        "text",
    ),
    Field(6, "contract_no", "合同号", "Contract No.", "L17-20 P1-36", "an..17", None, "ours"),
    Field(
        8,
        "country_of_purchase",
        "进口国（地区）",
        "Country/Region of purchase",
        "L13-16 P37-72",
        "an..16",
        "a2",
        "ours",
    ),
    Field(9, "payment", "付款方式", "Payment conditions", "L17-20 P37-72", "an..16", None, "ours"),
    Field(
        10, "transport", "运输方式", "Mode of transport", "L21-23 P37-72", "an..16", None, "ours"
    ),
    Field(
        12, "specification", "规格、等级", "Specification", "L29-43 P1-18", "an..18*3", None, "ours"
    ),
)
"""Where the export form differs from the import form (GB/T 15311.2-2008, issuing-rules.md
§ The export licence); the areas of 6, 8, 9 and 10 are the import form's, ours."""

_EXPORT_CHANGED = {row.number: row for row in _EXPORT_ROWS}

EXPORT_FIELDS = Catalogue(
    tuple(_EXPORT_CHANGED.get(row.number, row) for row in _ROWS),
    ("出口许可证", "Export licence"),
    IMPORT_FIELDS.currency,
)
"""The export licence's 21 fields: the import form's, with fields 1-4, 6, 8-10 and 12's
caption of GB/T 15311.2."""
