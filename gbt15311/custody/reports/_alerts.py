"""The deadlines that fail closed: what an office's morning check must see before work starts.

Each alert is something past or near its time that a person must act on: a licence due for
revocation (not collected within 20 working days, Art. 26), blanks still on hand of an edition
about to be replaced (Art. 34), a reservation open for more than a day (a crash nobody
resolved), a void proposal waiting for its second person. ``custody alerts`` exits 1 while any
is due, so a script or a person cannot mistake silence for an all-clear.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from gbt15311.custody.lifecycle import ON_HAND, State
from gbt15311.custody.proof._editions import editions
from gbt15311.custody.proof._proposals import still_open
from gbt15311.custody.proof._source import Record
from gbt15311.custody.proof._timeline import Timeline
from gbt15311.custody.reports._deadlines import collection
from gbt15311.custody.reports._pdf import Column, Sheet, Table
from gbt15311.custody.store._events import CHINA, Event, china_time, moment
from gbt15311.custody.workdays import WorkingCalendar

RESERVATION_HOURS = 24
"""A reservation open longer than this is an alert: a terminal's day is over."""
EDITION_WARNING_DAYS = 30
"""Blanks of an edition replaced within this many days are an alert (default of the option)."""


WORDS = {
    "revoke": "撤销 revoke",
    "edition": "改版 edition",
    "reservation": "预留未结 reservation",
    "proposal": "待审作废 proposal",
}
"""The words the sheet prints for each kind of alert."""


@dataclass(frozen=True)
class Alert:
    """One thing due: what kind of deadline, and what to do about it."""

    kind: str
    text: str


def alerts(
    record: Record,
    now: datetime,
    calendar: WorkingCalendar,
    *,
    collected: frozenset[str] = frozenset(),
    warning_days: int = EDITION_WARNING_DAYS,
) -> list[Alert]:
    """Everything due at ``now`` in the events of ``record``; the day a type's new edition
    starts is the one its ``edition_set`` event records (the bureau's notice)."""
    today = now.astimezone(CHINA).date()
    fold = Timeline()
    reserved_by: dict[tuple[str, str], Event] = {}
    for move in fold.run(record.events):
        if move.after.state == State.RESERVED:
            reserved_by[move.key] = move.event
    found = [
        Alert(
            "revoke",
            f"licence {u.licence_no} ({u.type} {u.serial}, printed {u.issued_on}): not "
            f"collected by {u.deadline}, revoke it and void it as not-collected (Art. 26)",
        )
        for u in collection(record, calendar, collected)
        if u.overdue(today)
    ]
    for type_code, edition in sorted(editions(record.events).items()):
        starts = edition.starts
        on_hand = Counter(
            b.office for (t, _s), b in fold.blanks.items() if t == type_code and b.state in ON_HAND
        )
        if on_hand and today >= starts - timedelta(days=warning_days):
            held = ", ".join(f"{office} {n}" for office, n in sorted(on_hand.items()))
            found.append(
                Alert(
                    "edition",
                    f"{type_code}: the new edition starts {starts} ({edition.notice}, event "
                    f"{edition.seq}); blanks on hand: {held}: "
                    "void them as expired-edition and seal them (Art. 34)",
                )
            )
    late = now - timedelta(hours=RESERVATION_HOURS)
    for (type_code, serial), event in sorted(reserved_by.items()):
        blank = fold.blanks[(type_code, serial)]
        if blank.state == State.RESERVED and moment(event.at) < late:
            found.append(
                Alert(
                    "reservation",
                    f"{type_code} {serial} reserved at terminal {blank.terminal} since "
                    f"{china_time(event.at)} (event {event.seq}): look at the paper, "
                    "use or void it",
                )
            )
    for event in still_open(record.events).values():
        p = event.payload
        found.append(
            Alert(
                "proposal",
                f"void proposal {event.seq} ({p['type']}, {p['reason']}) by {event.actor} "
                f"since {china_time(event.at)}: a second person approves or declines it",
            )
        )
    return found


def sheet(found: list[Alert], now: datetime, warning_days: int = EDITION_WARNING_DAYS) -> Sheet:
    """The morning check on paper: every alert due at ``now``, numbered, for the day book."""
    columns = (
        Column("序号", "No.", 6, "right"),
        Column("类别", "Kind", 22),
        Column("待办事项", "What is due, and what to do", 122),
    )
    rows = tuple(
        (str(number), WORDS[alert.kind], alert.text) for number, alert in enumerate(found, 1)
    )
    return Sheet(
        "每日晨检单",
        "The morning check",
        (
            ("检查时间 Checked", f"{now.astimezone(CHINA):%Y-%m-%d %H:%M} 北京时间 China time"),
            ("结果 Result", f"{len(found)} 项待办 DUE" if found else "无待办 no alerts"),
            ("改版提前 Edition warning", f"{warning_days} 天 days"),
        ),
        (Table(columns, rows or (("", "", "无待办事项 nothing is due"),)),),
        notes=(
            "待办事项未处理前不得视为正常：逾期未领取的许可证予以撤销（第二十六条）；"
            "改版证书作废封存（第三十四条）；预留未结者查看纸张后登记使用或作废；"
            "作废申请由第二人审批。 "
            "Nothing due may be left: revoke licences not collected (Art. 26), void and seal "
            "the blanks of an edition replaced (Art. 34), look at the paper of an open "
            "reservation and use or void it, and have a second person approve or decline a "
            "void proposed.",
        ),
        signatures=("检查人 Checked by", "主要负责同志 Head"),
    )
