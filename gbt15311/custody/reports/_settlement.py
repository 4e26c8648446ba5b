"""The daily settlement of each terminal (日结): what it drew and what became of it, per day.

For one terminal and one China day: drawn (what it held at the start of the day, what was
issued to it and what was transferred to it) = used + voided + returned to the store +
transferred away + lost + on hand at the end of the day. Every term is read from the moves
of ``proof._timeline``; a move into or out of the terminal's hands by an event the settlement
does not name (an event kind added later, an event imported from older records) is counted
in no term, so the two sides differ, and the settlement flags the difference with its serials.
A reservation still open at the end of the day is on hand, and listed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from gbt15311.custody.lifecycle import AT_TERMINAL, Kind, State
from gbt15311.custody.proof._source import Record
from gbt15311.custody.proof._timeline import Blank, Move, Timeline
from gbt15311.custody.reports._pdf import Column, Sheet, Table
from gbt15311.custody.reports._words import serial_ranges
from gbt15311.custody.store._events import china_date
from gbt15311.exceptions import CustodyError

IN_TERMS: dict[Kind, str] = {Kind.ISSUED_OUT: "issued", Kind.TRANSFERRED: "transferred_in"}
"""The events that bring blanks into a terminal's hands, and their terms."""
OUT_TERMS: dict[Kind, str] = {
    Kind.USED: "used",
    Kind.VOIDED: "voided",
    Kind.RETURNED_TO_STORE: "returned",
    Kind.TRANSFERRED: "transferred_out",
    Kind.LOST: "lost",
}
"""The events that take blanks out of a terminal's hands, and their terms."""
TAKEN_BACK: dict[Kind, str] = {Kind.VOID_REVERSED: "voided"}
"""The events that bring blanks back by undoing an out-term: a void reversed is not a void
(the same day, its serial leaves the day's voids; after, it counts minus one)."""
TERMS = ("opening", *IN_TERMS.values(), *OUT_TERMS.values(), "closing")

WORDS = {
    "opening": ("日初结存", "Opening"),
    "issued": ("领用", "Issued"),
    "transferred_in": ("调入", "Transferred in"),
    "used": ("使用", "Used"),
    "voided": ("作废", "Voided"),
    "returned": ("退库", "Returned"),
    "transferred_out": ("调出", "Transferred out"),
    "lost": ("遗失", "Lost"),
    "closing": ("日末结存", "On hand"),
}


@dataclass
class Day:
    """One terminal's day: the serials of each term, and the moves nobody named."""

    terminal: str
    type: str
    serials: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in TERMS})
    unnamed: list[tuple[str, int, str]] = field(default_factory=list)
    """``(serial, event seq, event kind)`` of each move in or out no term names."""
    reserved: list[str] = field(default_factory=list)
    """Serials reserved at the end of the day: on hand, but a reservation left open."""
    taken_back: dict[str, list[str]] = field(default_factory=dict)
    """Serials whose earlier day's term an event of the day undid (a void reversed)."""

    def count(self, term: str) -> int:
        return len(self.serials[term]) - len(self.taken_back.get(term, ()))

    def take_back(self, term: str, serial: str) -> None:
        """Undo ``term`` for ``serial``: today's, or an earlier day's."""
        if serial in self.serials[term]:
            self.serials[term].remove(serial)
        else:
            self.taken_back.setdefault(term, []).append(serial)

    @property
    def drawn(self) -> int:
        return self.count("opening") + sum(self.count(term) for term in IN_TERMS.values())

    @property
    def accounted(self) -> int:
        """Used + voided + returned + transferred away + lost + on hand."""
        return sum(self.count(term) for term in OUT_TERMS.values()) + self.count("closing")

    @property
    def difference(self) -> int:
        return self.accounted - self.drawn

    @property
    def flagged(self) -> list[str]:
        """The serials behind a difference."""
        return sorted({serial for serial, _seq, _kind in self.unnamed})

    @property
    def quiet(self) -> bool:
        """Nothing held and nothing moved: a terminal the sheet may leave out."""
        return not any(self.serials.values()) and not self.unnamed


@dataclass(frozen=True)
class Settlement:
    """Every terminal of an office (or the one asked for), on one day, as the record says."""

    record: Record
    day: date
    office: str
    office_name: str
    days: tuple[Day, ...]
    timeline: Timeline

    @property
    def in_order(self) -> bool:
        return all(day.difference == 0 for day in self.days)


def _holder(blank: Blank | None) -> str | None:
    """The terminal holding the blank, if one does."""
    return blank.terminal if blank is not None and blank.state in AT_TERMINAL else None


def settle(
    record: Record, day: date, office: str | None = None, terminal: str | None = None
) -> Settlement:
    """The settlement of ``day`` for ``terminal``, or for every terminal of ``office``."""
    fold = Timeline()
    split = next((i for i, e in enumerate(record.events) if china_date(e.at) >= day), None)
    fold.settle(record.events if split is None else record.events[:split])
    opening = [(key, holder) for key, blank in fold.blanks.items() if (holder := _holder(blank))]
    rest = () if split is None else record.events[split:]
    moves = list(fold.run(e for e in rest if china_date(e.at) == day))
    if terminal is not None and terminal not in fold.terminals:
        known = ", ".join(sorted(fold.terminals)) or "none registered"
        raise CustodyError(f"terminal {terminal!r} is not registered; terminals: {known}")
    code = fold.terminals[terminal] if terminal is not None else fold.office(office)
    if terminal is not None and office is not None and office != code:
        raise CustodyError(f"terminal {terminal} belongs to office {code}, not {office}")
    chosen = [terminal] if terminal else sorted(t for t, o in fold.terminals.items() if o == code)
    days = {(t, type_code): Day(t, type_code) for t in chosen for type_code in sorted(fold.formats)}
    for (type_code, serial), holder in opening:
        if found := days.get((holder, type_code)):
            found.serials["opening"].append(serial)
    for move in moves:
        for holder, term in _terms(move):
            if (found := days.get((holder, move.key[0]))) is None:
                continue
            undone = TAKEN_BACK.get(Kind(move.event.kind))
            if undone is not None and holder == _holder(move.after):
                found.take_back(undone, move.key[1])
            elif term is None:
                found.unnamed.append((move.key[1], move.event.seq, move.event.kind))
            else:
                found.serials[term].append(move.key[1])
    for (type_code, serial), blank in fold.blanks.items():
        holder = _holder(blank)
        if holder is not None and (found := days.get((holder, type_code))):
            found.serials["closing"].append(serial)
            if blank.state == State.RESERVED:
                found.reserved.append(serial)
    busy = tuple(d for d in days.values() if not d.quiet)
    kept = busy or tuple(days.values())
    return Settlement(record, day, code, fold.offices.get(code, ""), kept, fold)


def _terms(move: Move) -> Iterator[tuple[str, str | None]]:
    """``(terminal, term)`` for each terminal the move brings the blank into or takes it out
    of; ``term`` is ``None`` when no term names the event."""
    kind = Kind(move.event.kind)
    left, came = _holder(move.before), _holder(move.after)
    if left == came:
        return
    if left is not None:
        yield left, OUT_TERMS.get(kind)
    if came is not None:
        yield came, IN_TERMS.get(kind)


def sheet(found: Settlement) -> Sheet:
    """The day's settlement: one row per terminal and type, then the serials of each term."""
    columns = (
        Column("终端", "Terminal", 10),
        Column("种类", "Type", 6),
        *(Column(*WORDS[term], 12, "right") for term in TERMS[:3]),
        Column("领用合计", "Drawn", 12, "right"),
        *(Column(*WORDS[term], 12, "right") for term in TERMS[3:]),
        Column("差额", "Difference", 11, "right"),
    )
    rows = []
    for day in found.days:
        counts = [str(day.count(term)) for term in TERMS]
        rows.append(
            (
                day.terminal,
                day.type,
                *counts[:3],
                str(day.drawn),
                *counts[3:],
                "0" if day.difference == 0 else f"{day.difference:+d} !",
            )
        )
    details = []
    for day in found.days:
        fmt = found.timeline.formats[day.type]
        for term in TERMS:
            if day.serials[term]:
                words = " ".join(WORDS[term])
                details.append(
                    (
                        day.terminal,
                        day.type,
                        words,
                        serial_ranges(fmt, day.serials[term], per_line=5),
                    )
                )
        for term, serials in day.taken_back.items():
            details.append(
                (
                    day.terminal,
                    day.type,
                    f"{' '.join(WORDS[term])}（撤销 reversed, −1 each）",
                    serial_ranges(fmt, serials, per_line=5),
                )
            )
        if day.reserved:
            details.append(
                (
                    day.terminal,
                    day.type,
                    "预留未结 Reserved, open",
                    serial_ranges(fmt, day.reserved, per_line=5),
                )
            )
        for serial, seq, kind in day.unnamed:
            details.append(
                (day.terminal, day.type, "差异 DIFFERENCE", f"{serial}: event #{seq} ({kind})")
            )
    detail_columns = (
        Column("终端", "Terminal", 10),
        Column("种类", "Type", 6),
        Column("项目", "Term", 26),
        Column("流水号", "Serials", 100),
    )
    notes = [
        "领用合计 = 日初结存 + 领用 + 调入 = 使用 + 作废 + 退库 + 调出 + 遗失 + 日末结存。 "
        "Drawn = opening + issued + transferred in = used + voided + returned + transferred out "
        "+ lost + on hand.",
    ]
    if not found.in_order:
        notes.append(
            "差额不为零：所列流水号的变动未按日结项目登记，须查明原因（第三十二条）。 "
            "A difference: the serials listed moved by an event no term names; "
            "find the cause (Art. 32)."
        )
    return Sheet(
        "空白证书终端日结单",
        "Daily settlement of the terminals",
        (
            ("发证机构 Office", f"{found.office} {found.office_name}".strip()),
            ("日期 Day", found.day.isoformat()),
            ("结果 Result", "平衡 balanced" if found.in_order else "有差额 DIFFERENCE"),
        ),
        (
            Table(columns, tuple(rows)),
            Table(detail_columns, tuple(details), caption="明细 Serials of each term"),
        ),
        notes=tuple(notes),
        signatures=("操作员 Operator", "保管员 Keeper"),
    )
