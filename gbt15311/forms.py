"""The forms a licence is printed on, as data: each is a field catalogue, a model, a template
and its validity policy, and what each of the template's slots prints.

The engine (layout, templates, renderers, CLI) takes a ``Form`` and never asks which one it
is: adding a form adds a model, a catalogue, a template and an entry here.

    >>> FORMS["export"].fields.by_number[6].name_zh
    '合同号'
    >>> from gbt15311.export_licence import EXAMPLE
    >>> from gbt15311.loading import load_licence
    >>> form_of(load_licence(EXAMPLE)).name
    'export'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from gbt15311.codes import country
from gbt15311.export_licence import CAPACITY_EXPORT, ExportLicence
from gbt15311.fields import EXPORT_FIELDS, IMPORT_FIELDS, Catalogue
from gbt15311.model import CAPACITY, ImportLicence, Item
from gbt15311.rules import Capacity
from gbt15311.validity import EXPORT_VALIDITY, IMPORT_VALIDITY, ValidityPolicy

__all__ = ["FORMS", "Form", "Licence", "form_of", "printed_date"]

Licence = ImportLicence | ExportLicence
"""A validated licence of either form."""

Printed = Mapping[str, Callable[[Any], list[str]]]


@dataclass(frozen=True, slots=True)
class Form:
    """One form: what a licence of it holds, how it is checked, and where it prints."""

    name: str
    """The ``form`` key of its documents: ``import`` or ``export``."""
    standard: str
    model: type[ImportLicence] | type[ExportLicence]
    fields: Catalogue
    capacity: Mapping[str, Capacity]
    """The widest value of every slot: the template checker proves none overprints."""
    validity: ValidityPolicy
    template: str
    """The bundled template's file in ``gbt15311/templates``."""
    printed: Printed
    """What each slot of the form's template prints, as lines of text."""
    item: Mapping[str, Callable[[Item], list[str]]]
    """What each item slot prints, for one row of the item table."""

    @property
    def title(self) -> str:
        """The form's names, e.g. ``出口许可证 Export licence``."""
        return " ".join(self.fields.whole)


def printed_date(day: date) -> str:
    """Dates print ``YYYY年MM月DD日`` (14 positions), as issuing systems print them."""
    return f"{day.year:04d}年{day.month:02d}月{day.day:02d}日"


def _number(value: Decimal | None) -> list[str]:
    return [] if value is None else [format(value, "f")]


def _country(code: str) -> list[str]:
    return [country.lookup(code).name_zh]


_COMMON: Printed = {
    "licence_no": lambda lic: [lic.licence_no],
    "expiry_date": lambda lic: [printed_date(lic.expiry_date)],
    "trade_mode": lambda lic: [lic.trade_mode.name],
    "place_of_clearance": lambda lic: [lic.place_of_clearance.name],
    "goods.description": lambda lic: [lic.goods.description],
    "goods.code": lambda lic: [lic.goods.code],
    "currency": lambda lic: [lic.currency],
    "totals.unit": lambda lic: lic.totals.unit_lines,
    "totals.quantity": lambda lic: _number(lic.totals.quantity),
    "totals.amount": lambda lic: _number(lic.totals.amount),
    "totals.amount_usd": lambda lic: _number(lic.totals.amount_usd),
    "remarks": lambda lic: lic.remarks_lines,
    "licence_date": lambda lic: [printed_date(lic.licence_date)],
}
"""The slots both forms print alike."""

_ITEM: Mapping[str, Callable[[Item], list[str]]] = {
    "items.specification": lambda item: item.specification_lines,
    "items.unit": lambda item: item.unit_lines,
    "items.quantity": lambda item: _number(item.quantity),
    "items.unit_price": lambda item: _number(item.unit_price),
    "items.amount": lambda item: _number(item.amount),
    "items.amount_usd": lambda item: _number(item.amount_usd),
}

IMPORT = Form(
    name="import",
    standard="GB/T 15311.1-2008",
    model=ImportLicence,
    fields=IMPORT_FIELDS,
    capacity=CAPACITY,
    validity=IMPORT_VALIDITY,
    template="import-licence.toml",
    printed={
        **_COMMON,
        "importer.name": lambda lic: lic.importer.lines,
        "importer.code": lambda lic: [lic.importer.code],
        "consignee.name": lambda lic: lic.consignee.lines,
        "foreign_exchange": lambda lic: [lic.foreign_exchange],
        "country_of_exportation": lambda lic: _country(lic.country_of_exportation),
        "country_of_origin": lambda lic: _country(lic.country_of_origin),
        "use_of_goods": lambda lic: [lic.use_of_goods],
    },
    item=_ITEM,
)

EXPORT = Form(
    name="export",
    standard="GB/T 15311.2-2008",
    model=ExportLicence,
    fields=EXPORT_FIELDS,
    capacity=CAPACITY_EXPORT,
    validity=EXPORT_VALIDITY,
    template="export-licence.toml",
    printed={
        **_COMMON,
        "exporter.name": lambda lic: lic.exporter.lines,
        "exporter.code": lambda lic: [lic.exporter.code],
        "consignor.name": lambda lic: lic.consignor.lines,
        "contract_no": lambda lic: [lic.contract_no],
        "country_of_purchase": lambda lic: _country(lic.country_of_purchase),
        "payment": lambda lic: [lic.payment],
        "transport": lambda lic: [lic.transport],
    },
    item=_ITEM,
)

FORMS: Mapping[str, Form] = {form.name: form for form in (IMPORT, EXPORT)}
"""The forms by the ``form`` key of their documents."""


def form_of(licence: Licence) -> Form:
    """The form a validated licence is of."""
    return FORMS[licence.form]
