"""The demand forecast for the annual order, and the demand report it fills (附件1 需求量报送单,
Art. 5–7).

The method is ours, kept simple enough to check by hand, and every step is printed:

1. consumption of the base year (the last full calendar year up to the cut-off), by month:
   blanks printed on plus blanks spoilt in printing (``misprint``); fire, water, losses
   and expired editions are not demand;
2. expected consumption for the rest of the cut-off's year: the base year's months after
   the cut-off's month;
3. stock expected on 1 January: blanks in hand at the cut-off minus step 2 (not below 0);
4. need for the next year: the base year's consumption plus a safety margin (10 %);
5. suggested order: need minus expected stock, rounded up to whole hundreds, not below 0.

A supplementary order (Art. 6) may name the day the blanks are needed: the report then
gives the last day to file it, 20 working days before.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from gbt15311.custody.lifecycle import MISPRINT
from gbt15311.custody.proof._source import Record
from gbt15311.custody.proof._timeline import Timeline
from gbt15311.custody.reports._deadlines import Deadline, supplementary_order
from gbt15311.custody.reports._flows import balances
from gbt15311.custody.reports._pdf import Column, Sheet, Table
from gbt15311.custody.workdays import WorkingCalendar

MARGIN = Decimal("0.10")
ROUND_TO = 100
DEMAND_VOIDS = frozenset({MISPRINT})
"""Void reasons that consume blanks like use does: a print gone wrong costs a blank."""


@dataclass(frozen=True)
class TypeForecast:
    type: str
    name: str
    monthly: tuple[int, ...]
    stock: int
    rest_of_year: int
    need: int
    suggested: int

    @property
    def base_total(self) -> int:
        return sum(self.monthly)

    @property
    def expected_stock(self) -> int:
        return max(0, self.stock - self.rest_of_year)


@dataclass(frozen=True)
class Forecast:
    """The suggested order of an office for ``year``, from the use of ``base_year``."""

    office: str
    office_name: str
    cutoff: date
    base_year: int
    year: int
    margin: Decimal
    types: tuple[TypeForecast, ...]
    needed_by: date | None
    file_by: Deadline | None
    record: Record


def forecast(
    record: Record,
    cutoff: date,
    office: str | None = None,
    *,
    margin: Decimal = MARGIN,
    needed_by: date | None = None,
    calendar: WorkingCalendar | None = None,
) -> Forecast:
    """The suggested order for the year after ``cutoff`` (events up to ``cutoff``)."""
    through = record.through(cutoff)
    base_year = cutoff.year if (cutoff.month, cutoff.day) == (12, 31) else cutoff.year - 1
    fold = Timeline()
    found = balances(through.events, date(base_year, 1, 1), fold)
    code = fold.office(office)
    types = []
    for (type_code, where), balance in found.items():
        if where != code:
            continue
        monthly = [0] * 12
        for flow in balance.flows:
            consumed = flow.term == "used" or (
                flow.term == "voided" and flow.reason in DEMAND_VOIDS
            )
            if consumed and flow.day.year == base_year:
                monthly[flow.day.month - 1] += flow.sign
        rest = sum(monthly[cutoff.month :]) if cutoff.year > base_year else 0
        need = int((sum(monthly) * (1 + margin)).to_integral_value(ROUND_CEILING))
        expected = max(0, len(balance.closing) - rest)
        suggested = max(0, math.ceil((need - expected) / ROUND_TO) * ROUND_TO)
        types.append(
            TypeForecast(
                type_code,
                fold.type_names[type_code],
                tuple(monthly),
                len(balance.closing),
                rest,
                need,
                suggested,
            )
        )
    file_by = None
    if needed_by is not None and calendar is not None:
        file_by = supplementary_order(needed_by, calendar)
    return Forecast(
        code,
        fold.offices[code],
        cutoff,
        base_year,
        cutoff.year + 1,
        margin,
        tuple(types),
        needed_by,
        file_by,
        through,
    )


def reasoning(report: Forecast, item: TypeForecast) -> list[str]:
    """The method's steps with this type's figures."""
    months = " ".join(f"{m + 1}月:{n}" for m, n in enumerate(item.monthly))
    percent = f"{report.margin * 100:.0f}%"
    rest_months = (
        f"months {report.cutoff.month + 1}-12"
        if report.cutoff.year > report.base_year and report.cutoff.month < 12
        else "no months"
    )
    return [
        f"{item.type}: {report.base_year} consumption {item.base_total} ({months}).",
        f"Expected use for the rest of {report.cutoff.year} ({rest_months} of "
        f"{report.base_year}): {item.rest_of_year}.",
        f"In hand on {report.cutoff}: {item.stock}; expected on 1 January {report.year}: "
        f"{item.stock} - {item.rest_of_year} = {item.expected_stock} (not below 0).",
        f"Need for {report.year}: {item.base_total} + {percent} = {item.need}; "
        f"suggested order: {item.need} - {item.expected_stock}, rounded up to "
        f"{ROUND_TO}s = {item.suggested}.",
    ]


def sheet(report: Forecast) -> Sheet:
    """附件1, filled from the forecast."""
    columns = (
        Column("种类", "Type", 20),
        Column(f"{report.base_year}年用量", f"Used {report.base_year}", 14, "right"),
        Column("现有库存", "In hand", 10, "right"),
        Column("年底前预计用量", "Use to year end", 16, "right"),
        Column("预计年初库存", "Stock on 1 Jan", 15, "right"),
        Column(f"{report.year}年需求", f"Need {report.year}", 12, "right"),
        Column("申请数量", "Requested", 11, "right"),
        Column("备注", "Remarks", 40),
    )
    rows = tuple(
        (
            f"{t.type} {t.name}",
            str(t.base_total),
            str(t.stock),
            str(t.rest_of_year),
            str(t.expected_stock),
            str(t.need),
            str(t.suggested),
            f"按{report.base_year}年用量加{report.margin * 100:.0f}% base year + margin",
        )
        for t in report.types
    )
    fields: tuple[tuple[str, str], ...] = (
        ("发证机构 Office", f"{report.office} {report.office_name}"),
        ("征订年度 For year", str(report.year)),
        ("填报日期 Filed on", report.cutoff.isoformat()),
    )
    if report.needed_by is not None:
        fields += (
            ("补充征订 Supplementary, needed by", report.needed_by.isoformat()),
            ("最迟报送 File by (Art. 6)", str(report.file_by)),
        )
    notes = ["测算依据 How the quantities were worked out (our method, docs/custody-reports.md):"]
    for item in report.types:
        notes.extend(reasoning(report, item))
    return Sheet(
        "商务部进出口许可证书需求量报送单",
        "Demand report for licence certificates",
        fields,
        (Table(columns, rows),),
        annex=1,
        notes=tuple(notes),
        signatures=("经办人 Prepared by", "主要负责同志 Head", "单位盖章 Office seal"),
    )
