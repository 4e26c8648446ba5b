"""Quarterly reconciliation (Art. 31–32): the physical count against the ledger's balance,
the conservation identity over the quarter, and the discrepancy report for the bureau.

The count comes from a count file (per type and place, per box where counted, with the
serials found where scanned) or, without one, from the counts recorded in the ledger during
the quarter (``custody count``). A difference is explained by serials: those the ledger
expects and nobody found, those found and the ledger places elsewhere; a count of a number
only lists the serials that could be missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from gbt15311.custody.lifecycle import AT_TERMINAL, IN_STORE, YEARS, YEARS_SPAN
from gbt15311.custody.proof._source import Record
from gbt15311.custody.proof._timeline import Blank, Timeline
from gbt15311.custody.reports._flows import Balance, balances
from gbt15311.custody.reports._pdf import Column, Sheet, Table
from gbt15311.custody.reports._words import serial_ranges
from gbt15311.custody.store._events import Kind, china_date
from gbt15311.custody.store._serials import SerialFormat
from gbt15311.exceptions import CustodyError

STORE = "store"
"""The place name of an office's store in a count (any other place is a terminal code)."""


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``2026Q1`` or ``2026-Q1``.

        >>> Quarter.parse("2026-q2").last_day
        datetime.date(2026, 6, 30)
        """
        year, _, number = text.strip().upper().replace("-", "").partition("Q")
        if not (year.isdigit() and len(year) == 4 and number in ("1", "2", "3", "4")):
            raise CustodyError(f"quarter {text!r}: write it as 2026Q1 (Q1 to Q4)")
        if int(year) not in YEARS:
            raise CustodyError(f"quarter {text!r}: give a quarter of the years {YEARS_SPAN}")
        return cls(int(year), int(number))

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        if self.number == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.number + 1, 1) - timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


@dataclass(frozen=True)
class CountLine:
    """What was found at one place (a box of it, if given): a number, and the serials if
    they were read one by one."""

    type: str | None
    place: str
    box: str | None
    counted: int
    serials: tuple[str, ...] | None = None
    expected: int | None = None  # the ledger's figure when the count was recorded


@dataclass(frozen=True)
class Counts:
    """A quarter's physical counts, as a count file (``source``) writes them."""

    office: str | None
    counted_on: date | None
    counted_by: tuple[str, ...]
    lines: tuple[CountLine, ...]
    source: str


def load_counts(path: str | os.PathLike[str]) -> Counts:
    """Read a count file (TOML, format in docs/custody-reports.md); every problem raises
    ``CustodyError`` naming the file and the key."""
    # pydantic only when a count file is read
    import gbt15311.custody.reports._count_file as count_file

    written = count_file.read(path)
    lines = tuple(
        CountLine(
            entry.type,
            entry.place or STORE,
            entry.box,
            entry.counted,
            None if entry.serials is None else tuple(entry.serials),
        )
        for entry in written.count
    )
    return Counts(
        written.office, written.counted_on, tuple(written.counted_by), lines, os.fspath(path)
    )


def recorded_counts(record: Record, quarter: Quarter, office: str) -> Counts:
    """The counts ``custody count`` recorded for ``office`` during the quarter (the last per
    type and place)."""
    last: dict[tuple[str, str], CountLine] = {}
    for event in record.events:
        day = china_date(event.at)
        p = event.payload
        if event.kind == Kind.COUNTED and p["office"] == office and quarter.first_day <= day:
            place = p["terminal"] or STORE
            last[(p["type"], place)] = CountLine(
                p["type"], place, None, p["counted"], None, p["expected"]
            )
    return Counts(office, None, (), tuple(last.values()), "the counts recorded in the ledger")


@dataclass(frozen=True)
class Compared:
    """One count line against the ledger."""

    type: str
    place: str
    box: str | None
    counted: int
    expected: int
    missing: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()  # (serial, where the ledger says it is)
    candidates: tuple[str, ...] = ()

    @property
    def difference(self) -> int:
        return self.counted - self.expected


@dataclass(frozen=True)
class Reconciliation:
    """A quarter at one office: its balances from the events, and each count compared."""

    quarter: Quarter
    office: str
    office_name: str
    counts: Counts
    balances: tuple[Balance, ...]
    compared: tuple[Compared, ...]
    uncounted: tuple[tuple[str, str, int], ...]  # (type, place, blanks the ledger has there)
    formats: dict[str, SerialFormat] = field(repr=False)
    record: Record = field(repr=False)

    @property
    def differences(self) -> tuple[Compared, ...]:
        return tuple(c for c in self.compared if c.difference or c.missing or c.extra)

    @property
    def in_order(self) -> bool:
        held = all(b.holds for b in self.balances)
        return held and not self.differences and not self.uncounted


def place_of(blank: Blank) -> str | None:
    """Where a blank in hand is counted: the store or its terminal; ``None`` once gone."""
    if blank.state in IN_STORE:
        return STORE
    if blank.state in AT_TERMINAL:
        return blank.terminal
    return None


def reconcile(
    record: Record, quarter: Quarter, office: str | None = None, counts: Counts | None = None
) -> Reconciliation:
    """The quarter's identity and the counts compared, from the events up to the cut-off
    (at most the quarter's last day)."""
    through = record.through(quarter.last_day)
    fold = Timeline()
    found = balances(through.events, quarter.first_day, fold)
    code = fold.office(office if office is not None else counts.office if counts else None)
    if counts is not None and counts.office not in (None, code):
        raise CustodyError(f"{counts.source}: the count is of office {counts.office}, not {code}")
    if counts is not None:
        _check_counts(counts, fold, quarter)
    used = counts if counts is not None else recorded_counts(through, quarter, code)
    held: dict[tuple[str, str], list[tuple[str, Blank]]] = {}
    for (type_code, serial), blank in fold.blanks.items():
        place = place_of(blank)
        if blank.office == code and place is not None:
            held.setdefault((type_code, place), []).append((serial, blank))
    compared = [
        _compare(line, fold, code, held, f"{used.source}: [[count]] {number}")
        for number, line in enumerate(used.lines, start=1)
    ]
    _once_each(compared, used.source)
    counted_places = {(c.type, c.place, c.box) for c in compared}
    uncounted = []
    for (type_code, place), blanks in sorted(held.items()):
        if (type_code, place, None) in counted_places:
            continue
        boxes = {c.box for c in compared if (c.type, c.place) == (type_code, place)}
        left = [s for s, b in blanks if b.box not in boxes]
        if left:
            uncounted.append((type_code, place, len(left)))
    return Reconciliation(
        quarter,
        code,
        fold.offices[code],
        used,
        tuple(b for (_t, where), b in found.items() if where == code),
        tuple(compared),
        tuple(uncounted),
        dict(fold.formats),
        through,
    )


def _check_counts(counts: Counts, fold: Timeline, quarter: Quarter) -> None:
    """Who counted must be registered, and the count taken within the quarter it closes."""
    for person in counts.counted_by:
        if person not in fold.people:
            known = ", ".join(sorted(fold.people)) or "none"
            raise CustodyError(
                f"{counts.source}: counted_by: {person!r} is not registered; "
                f"expected people of the ledger: {known}"
            )
    day = counts.counted_on
    if day is not None and not quarter.first_day <= day <= quarter.last_day:
        raise CustodyError(
            f"{counts.source}: counted_on: {day} is not in {quarter}; expected a day from "
            f"{quarter.first_day} to {quarter.last_day}"
        )


def _once_each(compared: Sequence[Compared], source: str) -> None:
    """Each place (or box of it) counted once: a second count, or a count of a whole place
    beside one of its boxes, would count the same blanks twice."""
    seen: dict[tuple[str, str], list[tuple[int, str | None]]] = {}
    for number, c in enumerate(compared, start=1):
        earlier = seen.setdefault((c.type, c.place), [])
        for first, box in earlier:
            if box is None or c.box is None or box == c.box:
                what = f"{c.type} at {c.place}" + (f", box {c.box}" if c.box else "")
                raise CustodyError(
                    f"{source}: [[count]] {number}: a second count of {what} (the first is "
                    f"[[count]] {first}); expected one count per type and place, or per box "
                    "of a place"
                )
        earlier.append((number, c.box))


def _compare(
    line: CountLine,
    fold: Timeline,
    office: str,
    held: dict[tuple[str, str], list[tuple[str, Blank]]],
    source: str,
) -> Compared:
    """``source`` names the count file and the entry, for the errors."""
    try:
        type_code = fold.type_code(line.type)
    except CustodyError as error:
        raise CustodyError(f"{source}: {error}") from None
    if line.place != STORE and fold.terminals.get(line.place) != office:
        raise CustodyError(
            f"{source}: place {line.place!r} is neither {STORE!r} nor a terminal of {office}"
        )
    expected = sorted(
        serial
        for serial, blank in held.get((type_code, line.place), [])
        if line.box is None or blank.box == line.box
    )
    if line.box is not None and not any(
        key[0] == type_code and b.box == line.box for key, b in fold.blanks.items()
    ):
        raise CustodyError(f"{source}: box {line.box} of type {type_code} is not in the ledger")
    figure = line.expected if line.expected is not None else len(expected)
    if line.serials is None:
        candidates = tuple(expected) if line.counted < figure else ()
        return Compared(
            type_code, line.place, line.box, line.counted, figure, candidates=candidates
        )
    fmt = fold.formats[type_code]
    seen = set(_expand(fmt, line.serials, source))
    wanted = set(expected)
    extra = tuple(
        (serial, _where(fold.blanks.get((type_code, serial)))) for serial in sorted(seen - wanted)
    )
    return Compared(
        type_code, line.place, line.box, line.counted, figure, tuple(sorted(wanted - seen)), extra
    )


def _expand(fmt: SerialFormat, written: Iterable[str], source: str) -> list[str]:
    out = []
    for text in written:
        first, _, last = text.partition("..")
        try:
            out.extend(fmt.expand(first.strip(), (last or first).strip()))
        except CustodyError as error:
            raise CustodyError(f"{source}: serials {text!r}: {error}") from None
    return out


def _where(blank: Blank | None) -> str:
    if blank is None:
        return "不在账本中 not in the ledger"
    if blank.licence_no:
        return f"{blank.state}, office {blank.office}, licence {blank.licence_no}"
    if blank.terminal and blank.state in AT_TERMINAL:
        return f"{blank.state}, office {blank.office}, terminal {blank.terminal}"
    return f"{blank.state}, office {blank.office}"


_IDENTITY = (
    Column("种类", "Type", 8),
    Column("期初", "Opening", 9, "right"),
    Column("接收", "Received", 9, "right"),
    Column("调入", "Trans. in", 10, "right"),
    Column("使用", "Used", 8, "right"),
    Column("作废", "Voided", 8, "right"),
    Column("遗失", "Lost", 8, "right"),
    Column("调出", "Trans. out", 11, "right"),
    Column("退回", "Returned", 9, "right"),
    Column("应有期末", "Computed", 10, "right"),
    Column("账面期末", "Closing", 9, "right"),
    Column("核对", "Identity", 30),
)
_COUNTS = (
    Column("种类", "Type", 8),
    Column("地点", "Place", 14),
    Column("箱号", "Box", 10),
    Column("实点数", "Counted", 9, "right"),
    Column("账面数", "Ledger", 9, "right"),
    Column("差异", "Difference", 11, "right"),
    Column("说明（流水号）", "Explanation (serials)", 90),
)


def _place(place: str) -> str:
    return "库房 store" if place == STORE else f"终端 terminal {place}"


def sheets(report: Reconciliation) -> list[Sheet]:
    """The reconciliation sheet, and the discrepancy report when anything is out of order."""
    identity = []
    for balance in report.balances:
        if balance.holds:
            check = "相符 holds"
        else:
            wrong = balance.unexplained()
            check = f"不符 {len(balance.closing) - balance.computed_closing:+d}: " + " ".join(
                f"{serial} {diff:+d}" for serial, diff in wrong
            )
        terms = (
            "opening",
            "received",
            "transferred_in",
            "used",
            "voided",
            "lost",
            "transferred_out",
            "returned",
        )
        identity.append(
            (
                balance.type,
                *(str(balance.count(t)) for t in terms),
                str(balance.computed_closing),
                str(len(balance.closing)),
                check,
            )
        )
    counted = [
        (
            c.type,
            _place(c.place),
            c.box or "全部 all",
            str(c.counted),
            str(c.expected),
            f"{c.difference:+d}" if c.difference else "0",
            _explain(report, c),
        )
        for c in report.compared
    ]
    counted += [
        (
            type_code,
            _place(place),
            "",
            "未清点",
            str(number),
            "",
            "未清点 not counted this quarter (Art. 31)",
        )
        for type_code, place, number in report.uncounted
    ]
    fields: tuple[tuple[str, str], ...] = (
        ("发证机构 Office", f"{report.office} {report.office_name}"),
        (
            "季度 Quarter",
            f"{report.quarter} ({report.quarter.first_day} – {report.quarter.last_day})",
        ),
        ("清点来源 Count", Path(report.counts.source).name),
    )
    if report.counts.counted_on:
        fields += (("清点日期 Counted on", report.counts.counted_on.isoformat()),)
    if report.counts.counted_by:
        fields += (("清点人 Counted by", ", ".join(report.counts.counted_by)),)
    verdict = (
        "结论：账实相符。 Result: the count agrees with the ledger."
        if report.in_order
        else (
            "结论：账实不符，须查找原因并书面报许可证局（第三十二条）。 "
            "Result: out of order; find the cause and report to the bureau in writing (Art. 32)."
        )
    )
    main = Sheet(
        "许可证书季度清点核对表",
        "Quarterly count and reconciliation of licence certificates",
        fields,
        (
            Table(_IDENTITY, tuple(identity), caption="本季度进出 Flows of the quarter"),
            Table(
                _COUNTS,
                tuple(counted) or (("", "", "", "", "", "", "无清点记录 no count"),),
                caption="实物清点 Physical count",
            ),
        ),
        notes=(verdict,),
        signatures=(
            "清点人 Counted by",
            "清点人 Counted by",
            "保管人员 Keeper",
            "主要负责同志 Head",
        ),
    )
    if report.in_order:
        return [main]
    rows = [row for row in counted if row[5] not in ("0",)]
    report_sheet = Sheet(
        "许可证书核查差异情况报告",
        "Discrepancy report to the licence bureau",
        fields[:2],
        (Table(_COUNTS, tuple(rows) or (("", "", "", "", "", "", "见核对表 see the identity"),)),),
        notes=tuple(
            line
            for heading in ("原因 Cause:", "责任 Responsibility:", "整改措施 Measures taken:")
            for line in (heading, "", "", "")
        ),
        signatures=("保管人员 Keeper", "主要负责同志 Head"),
    )
    return [main, report_sheet]


def _explain(report: Reconciliation, c: Compared) -> str:
    fmt = report.formats[c.type]
    parts = []
    if c.missing:
        parts.append("未找到 not found: " + serial_ranges(fmt, c.missing, per_line=4))
    for serial, where in c.extra:
        parts.append(f"多出 found here, ledger says elsewhere: {serial} ({where})")
    if c.candidates:
        parts.append(
            f"缺{c.expected - c.counted} missing, one or more of: "
            + serial_ranges(fmt, c.candidates, per_line=4)
        )
    if c.difference > 0 and not c.extra:
        parts.append(
            "多出的证书不在账面此处 more blanks than the ledger has here: read their serials"
        )
    return "\n".join(parts) or "相符 agrees"
