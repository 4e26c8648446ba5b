"""Unaccounted-for serials: every serial received whose fate the ledger does not record.

A serial received has exactly one fate: in stock (in the store, sealed, with a terminal or
reserved), used, voided, lost, returned to the bureau or destroyed; a serial a box lacked on
arrival is recorded missing at receipt (Art. 18). The ledger writes a fate with every receipt
and every move, in the same transaction as its event, so a gap cannot arise through it; this
register shows that to an inspector, per type and box, and catches what came in another way:
boxes and blanks imported from older records straight into the tables, a row deleted or
edited behind the ledger's back. Each serial of every box (the receipts' and the boxes
table's) is read twice, in the events (``proof._timeline``) and in the state table; it is
accounted for when the events give it a fate and the table agrees.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from gbt15311.custody.lifecycle import ON_HAND, State
from gbt15311.custody.proof._source import Record, read
from gbt15311.custody.proof._timeline import Key, Timeline
from gbt15311.custody.reports._pdf import Column, Sheet, Table
from gbt15311.custody.reports._words import serial_ranges
from gbt15311.custody.store._events import Kind
from gbt15311.custody.store._ledger import Ledger
from gbt15311.custody.store._schema import boxes, certificate_types, certificates
from gbt15311.custody.store._serials import SerialFormat

IN_STOCK = "in_stock"
MISSING = "missing"
FATES = (IN_STOCK, *(str(state) for state in State if state not in ON_HAND), MISSING)
"""The columns of the register: in stock, each state a blank leaves the office's hands in,
and missing at receipt."""

WORDS = {
    IN_STOCK: ("库存", "In stock"),
    State.USED: ("已用", "Used"),
    State.VOID: ("作废", "Void"),
    State.LOST: ("遗失", "Lost"),
    State.RETURNED: ("退回", "Returned"),
    State.DESTROYED: ("销毁", "Destroyed"),
    MISSING: ("到货缺号", "Missing at receipt"),
}


@dataclass
class Span:
    """One box's serials, first to last, and what became of each."""

    type: str
    box: str
    first: str
    last: str
    shipment: str
    """The waybill; empty for a box the events never received."""
    fates: Counter[str] = field(default_factory=Counter)
    unaccounted: dict[str, list[str]] = field(default_factory=dict)
    """Serials whose fate is not recorded, by cause."""

    @property
    def received(self) -> int:
        return sum(self.fates.values()) + self.count

    @property
    def count(self) -> int:
        """How many serials of the box are unaccounted for."""
        return sum(len(serials) for serials in self.unaccounted.values())

    def flag(self, cause: str, serial: str) -> None:
        self.unaccounted.setdefault(cause, []).append(serial)


@dataclass(frozen=True)
class Unaccounted:
    """Every box's serials as the ledger stands, each with its fate or why it has none."""

    record: Record
    spans: tuple[Span, ...]
    formats: dict[str, SerialFormat]

    @property
    def in_order(self) -> bool:
        return not any(span.count for span in self.spans)


def unaccounted(ledger: Ledger) -> Unaccounted:
    """Every box's serials, each with its fate or the reason it has none, as the ledger
    stands (the state tables hold only the present, so there is no cut-off)."""
    record = read(ledger)
    fold = Timeline().settle(record.events)
    spans: dict[tuple[str, str], Span] = {}
    missing: set[Key] = set()
    for event in record.events:
        if event.kind == Kind.SHIPMENT_RECEIVED:
            for box in event.payload["boxes"]:
                key = (box["type"], box["box"])
                spans[key] = Span(
                    key[0], key[1], box["first"], box["last"], event.payload["shipment"]
                )
                missing.update((box["type"], serial) for serial in box["missing"])
    with ledger.read() as connection:
        formats = dict(fold.formats)
        for row in connection.execute(select(certificate_types)):
            formats.setdefault(row.code, SerialFormat(prefix=row.prefix, width=row.serial_width))
        for row in connection.execute(select(boxes)):
            if (row.type_code, row.box_no) not in spans:
                spans[(row.type_code, row.box_no)] = Span(
                    row.type_code, row.box_no, row.first_serial, row.last_serial, ""
                )
        query = select(certificates.c.type_code, certificates.c.serial, certificates.c.state)
        rows: dict[Key, str] = {(r.type_code, r.serial): r.state for r in connection.execute(query)}
    for span in spans.values():
        for serial in formats[span.type].expand(span.first, span.last):
            key = (span.type, serial)
            blank, kept = fold.blanks.get(key), rows.pop(key, None)
            if blank is None and kept is None and key in missing:
                span.fates[MISSING] += 1
            elif blank is not None and kept == blank.state:
                span.fates[IN_STOCK if blank.state in ON_HAND else blank.state] += 1
            else:
                span.flag(_cause(None if blank is None else blank.state, kept), serial)
    strays: dict[str, Span] = {}
    for (type_code, serial), kept in sorted(rows.items()):
        stray = strays.setdefault(type_code, Span(type_code, "", "", "", ""))
        stray.flag(f"table row {kept!r} outside every box", serial)
    ordered = sorted(spans.values(), key=lambda s: (s.type, s.first, s.box))
    return Unaccounted(record, (*ordered, *strays.values()), formats)


def _cause(state: str | None, row: str | None) -> str:
    if state is None and row is None:
        return "no event and no table row"
    if state is None:
        return f"table row {row!r}, no event"
    if row is None:
        return f"no table row; the events say {state}"
    return f"table row {row!r}; the events say {state}"


def sheet(found: Unaccounted) -> Sheet:
    """The register: each box with its serials' fates, then every serial unaccounted for."""
    columns = (
        Column("种类", "Type", 6),
        Column("箱号", "Box", 10),
        Column("起止流水号", "Serials", 22),
        Column("货运单号", "Waybill", 14),
        Column("箱内号数", "In the box", 11, "right"),
        *(Column(*WORDS[fate], 10, "right") for fate in FATES),
        Column("去向不明", "Unaccounted", 12, "right"),
    )
    rows = []
    for span in found.spans:
        serials = f"{span.first}..{span.last}" if span.first else "-"
        rows.append(
            (
                span.type,
                span.box or "-",
                serials,
                span.shipment or "(无记录 none)",
                str(span.received),
                *(str(span.fates[fate]) for fate in FATES),
                f"{span.count} !" if span.count else "0",
            )
        )
    details = [
        (
            span.type,
            span.box or "-",
            cause,
            serial_ranges(found.formats[span.type], serials, per_line=4),
        )
        for span in found.spans
        for cause, serials in span.unaccounted.items()
    ]
    detail_columns = (
        Column("种类", "Type", 6),
        Column("箱号", "Box", 10),
        Column("原因", "Cause", 44),
        Column("流水号", "Serials", 82),
    )
    tables = [Table(columns, tuple(rows))]
    if details:
        tables.append(
            Table(
                detail_columns, tuple(details), caption="去向不明的流水号 Serials unaccounted for"
            )
        )
    notes = (
        "每一到货流水号须有且仅有一个去向：库存、已用、作废、遗失、退回或销毁；"
        "到货缺号见签收单（第十八条）。 "
        "Every serial received has one fate: in stock, used, void, lost, returned or destroyed; "
        "serials a box lacked on arrival are on its receipt (Art. 18).",
        "去向由事件链与状态表两处核对；两处不一致或缺失者列为去向不明。 Each fate is read in the "
        "event chain and in the state table; a serial missing from either, or on which they "
        "differ, is unaccounted for.",
    )
    return Sheet(
        "空白证书流水号去向核查表",
        "Serials unaccounted for",
        (
            (
                "结果 Result",
                "全部有去向 every serial accounted for"
                if found.in_order
                else "有去向不明 UNACCOUNTED",
            ),
            ("事件 Events", str(found.record.seq)),
        ),
        tuple(tables),
        notes=notes,
        signatures=("保管员 Keeper", "检查人 Inspector"),
    )
