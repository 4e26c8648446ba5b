"""The export licence (GB/T 15311.2-2008) as validated data: the import form's frame and item
table, with its own fields 1-4, 6 and 8-10, validity and names (``fields.EXPORT_FIELDS``).

A document is an export licence when its ``form`` is ``"export"``; ``load_licence`` reads
either form.

    >>> from gbt15311.exceptions import LicenceInvalid
    >>> from gbt15311.loading import load_licence
    >>> licence = load_licence(EXAMPLE)
    >>> licence.contract_no, licence.country_of_purchase, licence.transport
    ('26SHEX-DE0417-003', 'DE', '海上运输')
    >>> try:
    ...     load_licence({**EXAMPLE, "country_of_purchase": "欧盟"})
    ... except LicenceInvalid as error:
    ...     found = error.problems[0]
    ...     print(found.field, found.name_zh, found.message)  # doctest: +NORMALIZE_WHITESPACE
    8 进口国（地区） 欧盟 is a regional grouping (European Union); an export licence names one
    country or region
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal

import pydantic
from pydantic import ConfigDict, Field, ValidationInfo

from gbt15311._shipped import example
from gbt15311.codes import country
from gbt15311.fields import EXPORT_FIELDS
from gbt15311.model import (
    _ISO_DATE,
    CAPACITY,
    Capacity,
    CurrencyCode,
    Day,
    EnterpriseCode,
    Goods,
    Items,
    LicenceNo,
    Model,
    Name,
    Place,
    Remarks,
    ShortText,
    Totals,
    TradeMode,
    _Party,
    _plain,
    describe,
    licence_date_checks,
    remarks_lines,
    totals_of,
)
from gbt15311.rules import Text, refuse
from gbt15311.validity import EXPORT_VALIDITY

__all__ = ["CAPACITY_EXPORT", "EXAMPLE", "Consignor", "ExportLicence", "Exporter"]

_CONTRACT = Text("an..17")
"""One contract number, 17 characters (issuing-rules.md; an..17 is our notation)."""

_RENAMED = {
    "importer.name": "exporter.name",
    "importer.code": "exporter.code",
    "consignee.name": "consignor.name",
    "foreign_exchange": "contract_no",
    "country_of_exportation": "country_of_purchase",
    "country_of_origin": "payment",
    "use_of_goods": "transport",
}

CAPACITY_EXPORT: Mapping[str, Capacity] = {
    _RENAMED.get(key, key): capacity for key, capacity in CAPACITY.items()
} | {"contract_no": _CONTRACT.capacity}
"""The widest value of every printed slot of the export form: the import form's, and 合同号."""

GROUPINGS: Mapping[str, str] = {
    "欧盟": "European Union",
    "EU": "European Union",
    "EUROPEAN UNION": "European Union",
    "东盟": "ASEAN",
    "ASEAN": "ASEAN",
    "独联体": "CIS",
    "CIS": "CIS",
    "海合会": "Gulf Cooperation Council",
    "GCC": "Gulf Cooperation Council",
    "非洲": "Africa",
    "欧洲": "Europe",
    "亚洲": "Asia",
    "中东": "Middle East",
}
"""Regional groupings, which field 8 of the export form refuses (issuing-rules.md, confirmed
for 欧盟; the others ours): a licence names one country."""


def _country_of_purchase(value: Any) -> str:
    """One country or region; 中国 (CN) for exports to a Chinese bonded zone."""
    if isinstance(value, str) and (grouping := GROUPINGS.get(country.compact(value).upper())):
        refuse(
            f"{value} is a regional grouping ({grouping}); an export licence names one "
            "country or region"
        )
    return country.validate(value) if isinstance(value, str) else refuse("must be text")


def _licence_date(value: Any, info: ValidationInfo) -> date:
    """Field 21, and field 4 under the export validity (6 months, never past 31 December)."""
    issued, errors = licence_date_checks(value, info, EXPORT_VALIDITY)
    if errors:
        raise pydantic.ValidationError.from_exception_data("ExportLicence", list(errors))
    return issued


def _describe(number: int) -> str:
    return describe(number, EXPORT_FIELDS)


ContractNo = Annotated[str, _plain(_CONTRACT.validate)]
PurchaseCountry = Annotated[str, _plain(_country_of_purchase)]
LicenceDate = Annotated[date, _plain(_licence_date, str), _ISO_DATE]


class Consignor(_Party):
    """Field 2: who ships the goods (for quota goods, the exporter)."""

    name: Name = Field(description=_describe(2) + ", an..35*2: one string or up to 2 lines")


class Exporter(_Party):
    """Field 1: who signed the export contract, by name and enterprise code."""

    name: Name = Field(description=_describe(1) + ", an..35*2: one string or up to 2 lines")
    code: EnterpriseCode = Field(
        description="13-digit enterprise code (WM 1-1999) or 18-character unified social "
        "credit code (GB 32100, check character checked)"
    )


class ExportLicence(Model):
    """A validated export licence (GB/T 15311.2-2008): the 21 fields of the form.

    Field 18 (totals) is computed and field 20 (the issuing authority's stamp) carries no data.
    """

    model_config = ConfigDict(
        title="ExportLicence",
        json_schema_extra={"description": "中华人民共和国出口许可证 Export licence (GB/T 15311.2)"},
    )

    form: Literal["export"] = Field(description="The form: export")
    licence_no: LicenceNo = Field(description=_describe(3) + ", an12: YY-OO-NNNNNN")
    exporter: Exporter
    consignor: Consignor
    expiry_date: Day = Field(
        description=_describe(4) + ", YYYY-MM-DD or YYYYMMDD: at most 6 months, never past "
        "31 December"
    )
    trade_mode: TradeMode
    contract_no: ContractNo = Field(description=_describe(6) + ", an..17: one contract")
    place_of_clearance: Place
    country_of_purchase: PurchaseCountry = Field(
        description=_describe(8) + ": one country (no regional grouping; CN for a bonded "
        "zone): ISO 3166-1 alpha-2, alpha-3, or name"
    )
    payment: ShortText = Field(description=_describe(9) + ", an..16, e.g. 信用证, 托收, 汇付")
    transport: ShortText = Field(
        description=_describe(10) + ", an..16, e.g. 海上运输, 铁路运输, 公路运输, 航空运输"
    )
    goods: Goods
    currency: CurrencyCode = Field(
        description="币别 Currency of fields 15 and 16: ISO 4217 alpha-3"
    )
    items: Items = Field(description="Fields 12-17: 1 to 5 rows of the item table")
    remarks: Remarks = Field(
        "",
        description=_describe(19) + ", an..32*2: free text (a string or lines), or the "
        "clauses the licence asks for with free text after them",
    )
    licence_date: LicenceDate = Field(description=_describe(21) + ", YYYY-MM-DD or YYYYMMDD")

    @cached_property
    def holder(self) -> Exporter:
        """Field 1, whose licence it is."""
        return self.exporter

    @cached_property
    def totals(self) -> Totals:
        """Field 18, computed from the items."""
        return totals_of(self.items)

    @cached_property
    def remarks_lines(self) -> list[str]:
        """备注 as printed: the clauses, then the free text."""
        return remarks_lines(self.remarks, self.items, self.licence_date)


EXAMPLE: Mapping[str, Any] = example("export-licence.json")
"""The example licence of ``examples/export-licence.json``."""
