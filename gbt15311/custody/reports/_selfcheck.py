"""The inspection self-check: the seven points of Art. 37, each with the evidence the ledger
holds and anything out of order.

A *problem* is something the rules forbid or the ledger cannot account for (a chain that does
not verify, a receipt with one checker, a quarter without a count, an open reservation, a void
proposal no second person has approved or declined). A
*reminder* is something the ledger cannot decide alone and a person must confirm (licences
past their collection deadline that may not have been collected, voids whose sealing is
recorded on paper). Points 1 and 3 are mostly about paper and premises: the ledger shows who
holds which role and what is in the store, the rest is for the inspector's eyes.
"""

from __future__ import annotations

from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection

import gbt15311.custody.reports._retention as retention
from gbt15311.custody.lifecycle import ON_HAND
from gbt15311.custody.proof._proposals import still_open
from gbt15311.custody.proof._source import Cutoff, Record, read_in
from gbt15311.custody.proof._timeline import Timeline
from gbt15311.custody.proof._verify import verify_in
from gbt15311.custody.reports._deadlines import collection
from gbt15311.custody.reports._pdf import Column, Sheet, Table
from gbt15311.custody.reports._reconciliation import Quarter
from gbt15311.custody.store._events import Event, Kind, china_date
from gbt15311.custody.store._ledger import Ledger
from gbt15311.custody.store._schema import State
from gbt15311.custody.workdays import WorkingCalendar
from gbt15311.exceptions import CustodyError, LedgerCorrupt

POINTS = (
    ("（一）内部管理制度", "1. Internal rules and who does what"),
    ("（二）征订、验收", "2. Ordering and receipt"),
    ("（三）保管及安全", "3. Custody and store security"),
    ("（四）进、出库台账", "4. In/out ledger"),
    ("（五）使用情况", "5. Use"),
    ("（六）封存/销毁登记", "6. Sealing and destruction"),
    ("（七）系统登记", "7. Registration in the system"),
)

_UNREADABLE = (KeyError, TypeError, ValueError, CustodyError)


@dataclass
class Point:
    zh: str
    en: str
    evidence: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)


_CAUSES = (Kind.LOST, Kind.VOIDED)
"""What a count short of the ledger is put down to, once recorded."""


@dataclass
class _Discrepancies:
    """Counts that differ from the ledger, until a later count of the same place and type
    agrees with it: the cause (a loss, a void, or the first count's mistake) is then on
    record, and the difference is settled (Art. 32)."""

    open: dict[tuple[str, str | None, str], list[tuple[Event, list[Event]]]] = field(
        default_factory=dict
    )
    settled: list[str] = field(default_factory=list)

    def see(self, event: Event) -> None:
        if event.kind in _CAUSES:
            for pending in self.open.values():
                for _count, causes in pending:
                    causes.append(event)
        if event.kind != Kind.COUNTED:
            return
        p = event.payload
        place = (p["office"], p["terminal"], p["type"])
        if p["counted"] != p["expected"]:
            self.open.setdefault(place, []).append((event, []))
            return
        for count, causes in self.open.pop(place, []):
            recorded = ", ".join(f"{cause.kind} event {cause.seq}" for cause in causes)
            self.settled.append(
                f"{_difference(count)}; settled: count event {event.seq} agrees with the "
                f"ledger, after {recorded or 'no loss or void: the first count was mistaken'}"
            )

    def unsettled(self) -> list[str]:
        return [
            f"{_difference(count)}; report the cause (Art. 32), then count again"
            for pending in self.open.values()
            for count, _causes in pending
        ]


def _difference(count: Event) -> str:
    p = count.payload
    return (
        f"count event {count.seq} ({p['office']} {p['terminal'] or 'store'}, "
        f"{china_date(count.at)}): counted {p['counted']}, ledger {p['expected']}"
    )


@dataclass(frozen=True)
class SelfCheck:
    """The inspection self-check on ``day``: each point and the problems found there."""

    day: date
    points: tuple[Point, ...]
    record: Record

    @property
    def in_order(self) -> bool:
        return not any(point.problems for point in self.points)


def self_check(ledger: Ledger, cutoff: Cutoff, day: date, calendar: WorkingCalendar) -> SelfCheck:
    """Check the ledger as of ``day`` (the cut-off's date; the events up to ``cutoff``)."""
    points = tuple(Point(zh, en) for zh, en in POINTS)
    rules, receipt, custody, inout, use, sealing, system = points
    with ledger.read() as connection:  # the events and the state tables of one moment
        record = read_in(connection, cutoff, check=False)
        _system(connection, cutoff, record, system)
    fold = Timeline()
    kinds: Counter[str] = Counter()
    counted: set[tuple[str, Quarter]] = set()
    to_count: set[tuple[str, Quarter]] = set()  # offices with blanks in hand at a quarter end
    quarter: Quarter | None = None
    discrepancies = _Discrepancies()
    for event in record.events:
        kinds[event.kind] += 1
        p, at = event.payload, china_date(event.at)
        while quarter is not None and at > quarter.last_day:
            to_count |= {(office, quarter) for office in _holding(fold)}
            quarter = _next(quarter)
        if event.kind == Kind.SHIPMENT_RECEIVED:
            quarter = quarter or _quarter_of(at)
            if len(set(p["checkers"])) < 2:
                receipt.problems.append(
                    f"shipment {p['shipment']} (event {event.seq}) was checked by "
                    f"{len(set(p['checkers']))} person; Art. 17 needs two"
                )
            if any(box["discrepancies"] for box in p["boxes"]) and not p["head"]:
                receipt.problems.append(
                    f"shipment {p['shipment']}: boxes sealed without the head's signature"
                )
        elif event.kind == Kind.ISSUED_OUT:
            if p["receiver"] == event.actor or not p["head"]:
                inout.problems.append(
                    f"issue-out event {event.seq}: keeper and receiver must differ, "
                    "with the head's signature (Art. 22-23)"
                )
        elif event.kind == Kind.COUNTED:
            counted.add((p["office"], _quarter_of(at)))
        discrepancies.see(event)
        # A broken chain may carry unreadable events: fold what can be folded.
        with suppress(*(_UNREADABLE if record.fault else ())):
            fold.settle([event])
    while quarter is not None and quarter.last_day <= day:
        to_count |= {(office, quarter) for office in _holding(fold)}
        quarter = _next(quarter)
    custody.evidence.extend(discrepancies.settled)
    custody.problems.extend(discrepancies.unsettled())
    for office, missed in sorted(to_count - counted, key=lambda item: (item[0], str(item[1]))):
        custody.problems.append(f"{office}: no count recorded in {missed} (Art. 31)")
    _rules(fold, rules)
    receipt.evidence.append(
        f"{kinds[Kind.SHIPMENT_RECEIVED]} shipments received; "
        f"{sum(1 for b in fold.blanks.values())} blanks ever received"
    )
    sealed = Counter((b.office, b.box) for b in fold.blanks.values() if b.state == State.SEALED)
    for (office, box), number in sorted(sealed.items()):
        receipt.problems.append(
            f"box {box} of {office} is sealed ({number} blanks): return it to the bureau "
            "with the inspection record (Art. 18, 24)"
        )
    states = Counter(b.state for b in fold.blanks.values())
    custody.evidence.append(
        ", ".join(f"{state} {states[state]}" for state in State if states[state]) or "no blanks"
    )
    for event in record.events:
        if event.kind == Kind.LOST:
            custody.reminders.append(
                f"loss event {event.seq} ({china_date(event.at)}): {event.payload['note']}; "
                "the written report to the bureau is due at once (Art. 30)"
            )
    inout.evidence.append(
        f"{kinds[Kind.ISSUED_OUT]} issue-outs, {kinds[Kind.RETURNED_TO_STORE]} returns to "
        f"store, {kinds[Kind.TRANSFERRED]} transfers between terminals, "
        f"{kinds[Kind.TRANSFERRED_OFFICE]} between offices"
    )
    _use(record, fold, calendar, day, use)
    _proposals(record, use)
    voids = [b for b in fold.blanks.values() if b.state == State.VOID]
    reasons = Counter(b.void_reason for b in voids)
    sealing.evidence.append(
        f"{len(voids)} voids registered"
        + "".join(f"; {reason} {n}" for reason, n in sorted(reasons.items(), key=str))
    )
    _sealing(record, fold, day, receipt, sealing)
    if day.month == 1:
        system.reminders.append(
            f"the annual usage report for {day.year - 1} (附件4) is due by {day.year}-01-31 "
            "(Art. 33)"
        )
    return SelfCheck(day, points, record)


def _sealing(record: Record, fold: Timeline, day: date, receipt: Point, sealing: Point) -> None:
    """Voids not sealed, lots due for destruction, receipts not archived (Art. 17, 34, 35)."""
    for holding in retention.holdings(record, fold):
        where = f"{holding.office} {holding.what}"
        if holding.kind == "receipt":
            if not holding.archived:
                receipt.reminders.append(
                    f"{where}: not recorded as sent and archived "
                    "(`custody archive-receipt`, Art. 17)"
                )
        elif holding.kind == "unsealed":
            sealing.reminders.append(
                f"{where}: {holding.count} voids not sealed yet; print the register and have "
                "the head seal them (`custody seal`)"
            )
        elif holding.count and holding.allowed_from and holding.allowed_from <= day:
            late = holding.kind == "voids" or day.year > holding.allowed_from.year
            message = (
                f"{where}: {holding.count} blanks sealed {holding.since} may be destroyed "
                f"since {holding.allowed_from} and await destruction (Art. 34, 35)"
            )
            (sealing.problems if late else sealing.reminders).append(message)


def _quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def _holding(fold: Timeline) -> set[str]:
    return {blank.office for blank in fold.blanks.values() if blank.state in ON_HAND}


def _next(quarter: Quarter) -> Quarter:
    if quarter.number == 4:
        return Quarter(quarter.year + 1, 1)
    return Quarter(quarter.year, quarter.number + 1)


def _system(connection: Connection, cutoff: Cutoff, record: Record, point: Point) -> None:
    if record.fault:
        point.problems.append(f"the hash chain does not verify: {record.fault}")
        return
    point.evidence.append(f"chain verified: {record.seq} events, head {record.head}")
    if cutoff is None:
        try:
            verified = verify_in(connection, record.events, chained=True)
        except LedgerCorrupt as error:
            point.problems.append(f"the state does not match the events: {error}")
        else:
            point.evidence.append(
                f"state tables match the events ({verified.certificates} certificates)"
            )


def _rules(fold: Timeline, point: Point) -> None:
    holders: dict[str, list[str]] = {}
    for code, (_name, roles) in sorted(fold.people.items()):
        for role in roles:
            holders.setdefault(role, []).append(code)
    point.evidence.append(
        "; ".join(f"{role}: {', '.join(codes)}" for role, codes in sorted(holders.items()))
        or "nobody registered"
    )
    for role, why in (("head", "Art. 4"), ("keeper", "Art. 4, 16")):
        if not holders.get(role):
            point.problems.append(f"no {role} registered ({why})")
    if len(holders.get("checker", [])) < 2:
        point.problems.append("fewer than two checkers registered: receipts need two (Art. 17)")
    both = sorted(set(holders.get("keeper", [])) & set(holders.get("operator", [])))
    if both:
        point.reminders.append(
            f"{', '.join(both)} both keep and use blanks; Art. 22 wants them apart"
        )
    point.reminders.append("the office's written custody rules are checked on paper (Art. 4)")


def _use(
    record: Record, fold: Timeline, calendar: WorkingCalendar, day: date, point: Point
) -> None:
    used = sum(1 for b in fold.blanks.values() if b.state == State.USED)
    point.evidence.append(f"{used} blanks in use for licences")
    open_ = sorted(key for key, b in fold.blanks.items() if b.state == State.RESERVED)
    for type_code, serial in open_:
        point.problems.append(
            f"serial {serial} of {type_code} is reserved but neither used nor voided: "
            "look at the paper and resolve it"
        )
    licences = collection(record, calendar, fold=fold)
    overdue = [u.licence_no for u in licences if u.overdue(day)]
    unknown = [u for u in licences if u.deadline.day is None]
    if overdue:
        shown = ", ".join(overdue[:5]) + (", ..." if len(overdue) > 5 else "")
        point.reminders.append(
            f"{len(overdue)} licences are past their collection deadline ({shown}): "
            "revoke and void those not collected (Art. 26; `custody report deadlines`)"
        )
    if unknown:
        point.reminders.append(f"collection deadlines unknown: {unknown[0].deadline.unknown}")


def _proposals(record: Record, point: Point) -> None:
    for event in still_open(record.events).values():
        p = event.payload
        point.problems.append(
            f"void proposal {event.seq} ({p['type']}, {p['reason']}, by {event.actor}, "
            f"{china_date(event.at)}) waits for a second person: approve or decline it"
        )


def sheet(report: SelfCheck) -> Sheet:
    """The self-check as one sheet: each point, its finding and its problems."""
    columns = (
        Column("检查内容", "Point (Art. 37)", 26),
        Column("账本证据", "Evidence in the ledger", 50),
        Column("问题与提醒", "Problems (!) and reminders (?)", 60),
        Column("结论", "Result", 14),
    )
    rows = tuple(
        (
            f"{point.zh}\n{point.en}",
            "\n".join(point.evidence) or "-",
            "\n".join([*(f"! {p}" for p in point.problems), *(f"? {r}" for r in point.reminders)])
            or "-",
            "不符合 PROBLEMS" if point.problems else "符合 in order",
        )
        for point in report.points
    )
    return Sheet(
        "许可证书管理自查表",
        "Inspection self-check of certificate custody",
        (("自查日期 As of", report.day.isoformat()),),
        (Table(columns, rows),),
        notes=(
            "依据《进出口许可证证书管理规定》第三十七条。 After Art. 37 of the custody rules; "
            "the ledger's evidence only, paper and premises are for the inspector's eyes.",
        ),
        signatures=("自查人 Checked by", "主要负责同志 Head"),
    )
