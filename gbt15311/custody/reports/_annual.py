"""The annual usage report (附件4 使用情况登记表, Art. 33): per type, last year's flows.

Due to the bureau by the end of January of the next year. Voids are broken down by reason,
and voids of blanks already used (revoked licences) are shown apart, as in ``flows``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gbt15311.custody.lifecycle import VOID_REASONS, YEARS, YEARS_SPAN
from gbt15311.custody.proof._source import Record
from gbt15311.custody.proof._timeline import Timeline
from gbt15311.custody.reports._flows import Balance, balances
from gbt15311.custody.reports._pdf import Column, Sheet, Table
from gbt15311.custody.reports._words import reason
from gbt15311.exceptions import CustodyError

TERMS = (
    "opening",
    "received",
    "transferred_in",
    "used",
    "voided",
    "lost",
    "transferred_out",
    "returned",
    "closing",
)


@dataclass(frozen=True)
class AnnualUsage:
    """One office's year, per type; ``record`` is the ledger up to the end of the year."""

    year: int
    office: str
    office_name: str
    types: dict[str, str]
    balances: tuple[Balance, ...]
    record: Record

    @property
    def due(self) -> date:
        """Art. 33: by the end of January of the next year."""
        return date(self.year + 1, 1, 31)


def annual_usage(record: Record, year: int, office: str | None = None) -> AnnualUsage:
    """The usage of ``year`` from the events up to its end (or the cut-off, if earlier)."""
    if year not in YEARS:
        raise CustodyError(f"the annual usage of {year}: give a year from {YEARS_SPAN}")
    through = record.through(date(year, 12, 31))
    fold = Timeline()
    found = balances(through.events, date(year, 1, 1), fold)
    code = fold.office(office)
    rows = tuple(b for (_type, where), b in found.items() if where == code)
    return AnnualUsage(year, code, fold.offices[code], dict(fold.type_names), rows, through)


def sheet(report: AnnualUsage) -> Sheet:
    """附件4, with the voids by reason in a second table."""
    columns = (
        Column("种类", "Type", 18),
        Column("期初库存", "Opening", 10, "right"),
        Column("接收", "Received", 10, "right"),
        Column("调入", "Trans. in", 10, "right"),
        Column("使用", "Used", 10, "right"),
        Column("作废", "Voided", 10, "right"),
        Column("遗失", "Lost", 10, "right"),
        Column("调出", "Trans. out", 11, "right"),
        Column("退回许可证局", "Returned", 14, "right"),
        Column("期末库存", "Closing", 10, "right"),
        Column("核对", "Identity", 16),
    )
    rows = []
    voids = []
    for balance in report.balances:
        name = f"{balance.type} {report.types.get(balance.type, '')}"
        check = (
            "相符 holds"
            if balance.holds
            else f"差 {len(balance.closing) - balance.computed_closing:+d}"
        )
        rows.append((name, *(str(balance.count(term)) for term in TERMS), check))
        unused, used = balance.by_reason("voided"), balance.by_reason("revoked")
        for code in VOID_REASONS:
            if unused[code] or used[code]:
                voids.append((name, reason(code), str(unused[code]), str(used[code])))
    reasons = Table(
        (
            Column("种类", "Type", 18),
            Column("作废原因", "Reason", 34),
            Column("未使用证书作废", "Voided unused", 18, "right"),
            Column("使用后作废（撤销）", "Voided after use (revoked)", 28, "right"),
        ),
        tuple(voids) or (("", "无 none", "0", "0"),),
        caption="作废原因 Voids by reason",
    )
    return Sheet(
        "商务部进出口许可证书使用情况登记表",
        "Annual usage of licence certificates",
        (
            ("发证机构 Office", f"{report.office} {report.office_name}"),
            ("年度 Year", str(report.year)),
            ("报送期限 Due", f"{report.due.isoformat()} (第三十三条 Art. 33)"),
        ),
        (Table(columns, tuple(rows)), reasons),
        annex=4,
        notes=(
            "期初 + 接收 + 调入 - 使用 - 作废 - 遗失 - 调出 - 退回 = 期末。"
            "Opening + received + transferred in - used - voided - lost - transferred out - "
            "returned = closing; stock counts blanks in the store (sealed boxes included), with "
            "terminals, or reserved. Voids of licences already used are shown apart.",
        ),
        signatures=("填表人 Prepared by", "主要负责同志 Head"),
    )
