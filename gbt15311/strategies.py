"""Hypothesis strategies for valid licence values and whole valid licences.

For testers of issuing software: ``licences()`` (``export_licences()``) draws import (export)
licences that ``load_licence`` accepts, as the JSON-like dicts issuing software sends
(``licence_dicts(form)``), including the widest values that still fit: 13-digit enterprise
codes and USCCs with their check character, validity within the form's policy (next-year
licences from 10 December), and 备注 clauses that fit with their text. Installing the
``strategies`` extra registers ``st.from_type(ImportLicence)`` and
``st.from_type(ExportLicence)`` through Hypothesis' entry point.

    >>> from hypothesis import given, settings
    >>> @given(licence_dicts())
    ... @settings(max_examples=10)
    ... def test(data):
    ...     assert load_licence(data).items
    >>> test()
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import strategies as st
from stdnum.cn import uscc

from gbt15311 import cells, clauses, font
from gbt15311.codes import country, currency, units
from gbt15311.export_licence import ExportLicence
from gbt15311.forms import FORMS
from gbt15311.loading import load_licence
from gbt15311.model import CAPACITY, MAX_ITEMS, ImportLicence

__all__ = [
    "amounts_usd",
    "commodity_codes",
    "country_values",
    "currency_values",
    "enterprise_codes",
    "export_licences",
    "licence_dicts",
    "licence_numbers",
    "licences",
    "texts",
    "unit_values",
    "usccs",
]

_LATIN = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5).filter(
    lambda ch: not font.missing_glyphs(ch)
)
_PUNCTUATION = st.sampled_from("（）、，。：；“”·—×°")
_CHARACTERS = st.one_of(_CJK, _LATIN, _PUNCTUATION)


@st.composite
def texts(draw: st.DrawFn, width: int) -> str:
    """A single line of printable, non-blank text taking at most ``width`` positions."""
    chars: list[str] = []
    used = 0
    for ch in draw(st.lists(_CHARACTERS, min_size=1, max_size=width)):
        used += cells.char_width(ch)
        if used > width:
            break
        chars.append(ch)
    text = "".join(chars)
    if not text.strip():
        text = draw(_CJK)
    return text


def _lines_or_text(width: int, lines: int) -> st.SearchStrategy[str | list[str]]:
    """A name given as lines (kept) or as one string that wraps into at most ``lines``."""
    as_lines = st.lists(texts(width), min_size=1, max_size=lines)
    as_text = texts(width * lines).filter(lambda text: len(cells.wrap(text, width)) <= lines)
    return st.one_of(as_lines, as_text)


def licence_numbers() -> st.SearchStrategy[str]:
    """``YY-OO-NNNNNN``: year, office (``AA``… or ``01``…), sequence."""
    office = st.one_of(
        st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2),
        st.integers(1, 99).map("{:02d}".format),
    )
    return st.builds(
        "{}-{}-{:06d}".format,
        st.integers(0, 99).map("{:02d}".format),
        office,
        st.integers(0, 999_999),
    )


_USCC_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def usccs() -> st.SearchStrategy[str]:
    """Unified social credit codes: 8 digits, 9 characters, and the right check character."""
    stem = st.builds(
        str.__add__,
        st.text("0123456789", min_size=8, max_size=8),
        st.text(_USCC_CHARACTERS, min_size=9, max_size=9),
    )
    return stem.map(lambda text: text + uscc.calc_check_digit(text))


def enterprise_codes() -> st.SearchStrategy[str]:
    """A 13-digit enterprise code or an 18-character USCC."""
    return st.one_of(st.text("0123456789", min_size=13, max_size=13), usccs())


def commodity_codes() -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=10, max_size=10)


def country_values() -> st.SearchStrategy[str]:
    """A country as issuing software may send it: alpha-2, alpha-3, ``iso:`` numeric, name."""
    return st.sampled_from(country.all_countries()).flatmap(
        lambda c: st.sampled_from([c.alpha_2, c.alpha_3, f"{country.ISO}:{c.numeric}", c.name_zh])
    )


def currency_values() -> st.SearchStrategy[str]:
    return st.sampled_from([c.alpha_3 for c in currency.all_currencies()])


def unit_values() -> st.SearchStrategy[str]:
    return st.sampled_from(units.all_units()).flatmap(
        lambda unit: st.sampled_from([unit.code, unit.name])
    )


def _decimal(largest: int, decimals: int, smallest: int = 1) -> st.SearchStrategy[str]:
    """Plain decimal strings from ``smallest`` to ``largest`` units of ``10**-decimals``."""
    return st.builds(
        lambda n, trim: format(
            Decimal(n).scaleb(-decimals).normalize() if trim else Decimal(n).scaleb(-decimals), "f"
        ),
        st.integers(smallest, largest * 10**decimals),
        st.booleans(),
    )


def amounts_usd(share: int = MAX_ITEMS) -> st.SearchStrategy[str]:
    """Amounts in USD small enough that ``share`` of them still total within the column."""
    largest = (10 ** (CAPACITY["totals.amount_usd"].width - 3) - 1) // share
    return _decimal(largest, 2)


@st.composite
def _item(draw: st.DrawFn, unit: str) -> dict[str, Any]:
    # Bounds keep five amounts' total within its column: 999.9 × 1999.9999 × 5 < 10,000,000.
    quantity = draw(_decimal(999, 1))
    unit_price = draw(_decimal(1999, 4, smallest=10**3))
    item: dict[str, Any] = {
        "specification": draw(
            _lines_or_text(
                CAPACITY["items.specification"].width, CAPACITY["items.specification"].lines
            )
        ),
        "unit": unit,
        "quantity": quantity,
        "unit_price": unit_price,
        "amount_usd": draw(amounts_usd()),
    }
    if draw(st.booleans()):
        product = Decimal(quantity) * Decimal(unit_price)
        item["amount"] = format(product.quantize(Decimal("0.01"), ROUND_HALF_UP), "f")
    return item


_NAME = _lines_or_text(CAPACITY["importer.name"].width, CAPACITY["importer.name"].lines)
_SHORT = texts(CAPACITY["trade_mode"].width)


@st.composite
def _import_fields(draw: st.DrawFn) -> dict[str, Any]:
    """The fields only the import form has."""
    return {
        "importer": {"name": draw(_NAME), "code": draw(enterprise_codes())},
        "consignee": {"name": draw(_NAME)},
        "foreign_exchange": draw(_SHORT),
        "country_of_exportation": draw(country_values()),
        "country_of_origin": draw(country_values()),
        "use_of_goods": draw(_SHORT),
    }


@st.composite
def _export_fields(draw: st.DrawFn) -> dict[str, Any]:
    """The fields only the export form has; ``form`` says it is one."""
    capacity = FORMS["export"].capacity
    return {
        "form": "export",
        "exporter": {"name": draw(_NAME), "code": draw(enterprise_codes())},
        "consignor": {"name": draw(_NAME)},
        "contract_no": draw(texts(capacity["contract_no"].width)),
        "country_of_purchase": draw(country_values()),
        "payment": draw(_SHORT),
        "transport": draw(_SHORT),
    }


_FORM_FIELDS = {"import": _import_fields, "export": _export_fields}


@st.composite
def licence_dicts(draw: st.DrawFn, form: str = "import") -> dict[str, Any]:
    """A valid licence of ``form`` as the JSON-like dict issuing software sends."""
    policy = FORMS[form].validity
    short = _SHORT
    issued = draw(st.dates(max_value=date(9997, 12, 31)))
    allowed = policy.next_year_allowed_from(issued.year)
    next_year = issued >= allowed and draw(st.booleans())
    effective = policy.effective_from(issued, next_year=next_year)
    expiry = draw(
        st.one_of(
            st.just(policy.default_expiry(issued, next_year=next_year)),
            st.dates(effective, policy.latest_expiry(effective)),
        )
    )
    same_unit = draw(st.booleans())
    unit = draw(unit_values())
    items = draw(
        st.lists(
            _item(unit) if same_unit else unit_values().flatmap(_item),
            min_size=1,
            max_size=MAX_ITEMS,
        )
    )
    return {
        **draw(_FORM_FIELDS[form]()),
        "licence_no": draw(licence_numbers()),
        "expiry_date": expiry.isoformat(),
        "trade_mode": {"name": draw(short)},
        "place_of_clearance": {"name": draw(short)},
        "goods": {
            "description": draw(texts(CAPACITY["goods.description"].width)),
            "code": draw(commodity_codes()),
        },
        "currency": draw(currency_values()),
        "items": items,
        "remarks": draw(_remarks(issued, next_year, items)),
        "licence_date": draw(
            st.sampled_from([issued.isoformat(), issued.isoformat().replace("-", "")])
        ),
    }


@st.composite
def _remarks(
    draw: st.DrawFn, issued: date, next_year: bool, items: list[dict[str, Any]]
) -> str | list[str] | dict[str, Any]:
    """Free text, or clauses with free text, fitting 备注 with any item's specification
    printed there (which the item asks for only when it then fits)."""
    width, lines = CAPACITY["remarks"].width, CAPACITY["remarks"].lines
    free = draw(st.one_of(st.just(""), _lines_or_text(width, lines)))
    if not next_year and not draw(st.booleans()):
        return free
    asked: dict[str, Any] = {"next_year": True} if next_year else {}
    if draw(st.booleans()):
        asked["multiple_use"] = True
    if draw(st.booleans()):
        asked["original_licence_no"] = draw(licence_numbers())
    written = _clause_texts(asked, issued)
    spec = items[0]["specification"]
    if isinstance(spec, str) and draw(st.booleans()):  # in 备注, if it fits
        wording = clauses.CLAUSES[-1].wording.format(row=1, specification=spec)
        if _fits([*written, wording], "", width, lines):
            items[0]["specification_in_remarks"] = True
            written.append(wording)
    if not _fits(written, free, width, lines):
        free = ""
    return {**asked, "text": free} if free or draw(st.booleans()) else asked


def _clause_texts(asked: dict[str, Any], issued: date) -> list[str]:
    values: dict[str, dict[str, Any]] = {
        "multiple_use": {},
        "next_year": {"year": issued.year + 1},
        "original_licence_no": {"licence_no": asked.get("original_licence_no")},
    }
    return [c.wording.format(**values[c.key]) for c in clauses.CLAUSES if c.key in asked]


def _fits(written: list[str], free: str | list[str], width: int, lines: int) -> bool:
    printed = clauses.compose(written, free, width)
    return len(printed) <= lines and all(cells.cell_len(line) <= width for line in printed)


def licences() -> st.SearchStrategy[ImportLicence]:
    """Validated import licences."""
    return licence_dicts().map(lambda data: load_licence(data, form="import"))


def export_licences() -> st.SearchStrategy[ExportLicence]:
    """Validated export licences."""
    return licence_dicts("export").map(lambda data: load_licence(data, form="export"))
