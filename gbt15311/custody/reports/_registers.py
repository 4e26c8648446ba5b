"""The registers the rules annex, filled from the ledger: 附件2 receipt, 附件3 in/out ledger,
附件5 expired blanks and 附件6 voids sealing/destruction registers (附件1 is in ``forecast``,
附件4 in ``annual``).

The official layouts are not available to us: the columns are the ones the articles imply,
and the layouts are ours (see docs/custody-reports.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from gbt15311.custody.lifecycle import IN_STORE, register_of
from gbt15311.custody.proof._periods import allowed_from, receipt_disposal_from
from gbt15311.custody.proof._source import Record
from gbt15311.custody.proof._timeline import Blank, Move, Timeline
from gbt15311.custody.reports._pdf import Column, Sheet, Table
from gbt15311.custody.reports._words import person, reason, serial_ranges
from gbt15311.custody.store._events import Event, Kind, china_date
from gbt15311.exceptions import CustodyError

RECEIPT_COPIES = (
    "第一联 发运单位 Copy 1: shipper",
    "第二联 许可证局 Copy 2: licence bureau",
    "第三联 存档 Copy 3: archive",
)


def receipt(record: Record, shipment: str) -> list[Sheet]:
    """附件2 签收单, three copies, for a shipment received (Art. 17)."""
    fold = Timeline()
    found: Event | None = None
    for event in record.events:
        fold.settle([event])
        if event.kind == Kind.SHIPMENT_RECEIVED and event.payload["shipment"] == shipment:
            found = event
    if found is None:
        raise CustodyError(f"shipment {shipment!r} was not received by the cut-off")
    p = found.payload
    day = china_date(found.at)
    rows = []
    for box in p["boxes"]:
        fmt = fold.formats[box["type"]]
        span = len(fmt.expand(box["first"], box["last"]))
        received = span - len(box["missing"])
        rows.append(
            (
                f"{box['type']} {fold.type_names[box['type']]}",
                box["box"],
                box["first"],
                box["last"],
                str(box["waybill_count"] if box["waybill_count"] is not None else span),
                str(received),
                serial_ranges(fmt, box["missing"], per_line=2) if box["missing"] else "",
                _discrepancies(box["discrepancies"])
                + "".join(f"\n{kind} {serial}" for kind, serial in box.get("scan_faults", ())),
            )
        )
    total = sum(int(row[5]) for row in rows)
    rows.append(("合计 Total", "", "", "", "", str(total), "", ""))
    columns = (
        Column("种类", "Type", 22),
        Column("箱号", "Box", 10),
        Column("起始流水号", "First serial", 14),
        Column("终止流水号", "Last serial", 14),
        Column("货运单数量", "Waybill", 11, "right"),
        Column("实收数量", "Received", 10, "right"),
        Column("缺号", "Missing", 24),
        Column("验收情况", "Condition", 36),
    )
    fields = (
        ("发证机构 Office", f"{p['office']} {fold.offices[p['office']]}"),
        ("货运单号 Waybill", shipment),
        ("到货验收日期 Received and checked on", day.isoformat()),
        ("寄送日期 Send copies 1-2 on", (day + timedelta(days=1)).isoformat()),
        ("存档至 Keep until", (receipt_disposal_from(day) - timedelta(days=1)).isoformat()),
    )
    notes = [
        "验收人员 Checked by: " + ", ".join(person(fold.people, c) for c in p["checkers"]),
        f"签收人 Received by: {person(fold.people, found.actor)}",
    ]
    if any(box["discrepancies"] for box in p["boxes"]):
        notes.append(
            "有单证不符、包装损坏或缺失的箱已封存，检验记录报许可证局（第十八条）。 Boxes with "
            "discrepancies are sealed; the inspection record goes to the bureau (Art. 18). "
            f"主要负责同志 Head: {person(fold.people, p['head'])}"
        )
    if p["note"]:
        notes.append(f"备注 Note: {p['note']}")
    signatures = tuple(f"验收人 Checker {person(fold.people, c)}" for c in p["checkers"])
    signatures += ("签收人 Received by",)
    if p["head"]:
        signatures += ("主要负责同志 Head",)
    return [
        Sheet(
            "商务部进出口许可证书签收单",
            "Receipt of licence certificates",
            fields,
            (Table(columns, tuple(rows)),),
            annex=2,
            copy=copy,
            notes=tuple(notes),
            signatures=signatures,
        )
        for copy in RECEIPT_COPIES
    ]


def _discrepancies(codes: Sequence[str]) -> str:
    words = {
        "count": "数量不符 count",
        "packing": "包装损坏 packing",
        "missing": "缺失 missing",
        "sequence": "重号/错号 sequence",
    }
    if not codes:
        return "无误 in order"
    return "封存 SEALED: " + ", ".join(words.get(code, code) for code in codes)


@dataclass(frozen=True)
class LedgerLine:
    """One event's movement into or out of an office's store of one type."""

    event: Event
    day: date
    movement: str
    boxes: tuple[str, ...]
    serials_in: tuple[str, ...]
    serials_out: tuple[str, ...]
    balance: int
    keeper: str
    receiver: str
    head: str


def _in_store(blank: Blank | None, office: str) -> bool:
    return blank is not None and blank.office == office and blank.state in IN_STORE


def in_out_lines(
    record: Record, office: str | None, type_code: str | None, first_day: date
) -> tuple[str, str, int, list[LedgerLine], Timeline]:
    """The office's store of one type: balance brought forward to ``first_day``, then one
    line per event that moved blanks in or out (or sealed a box) up to the cut-off."""
    fold = Timeline()
    split = next(
        (i for i, e in enumerate(record.events) if china_date(e.at) >= first_day),
        len(record.events),
    )
    fold.settle(record.events[:split])
    brought_forward = Counter(
        (type_code, blank.office)
        for (type_code, _serial), blank in fold.blanks.items()
        if blank.state in IN_STORE
    )
    moves_of: dict[int, list[Move]] = {}
    order: list[Event] = []
    for move in fold.run(record.events[split:]):
        if move.event.seq not in moves_of:
            order.append(move.event)
        moves_of.setdefault(move.event.seq, []).append(move)
    code = fold.office(office)
    kind_code = fold.type_code(type_code)
    balance = brought = brought_forward[(kind_code, code)]
    lines: list[LedgerLine] = []
    for event in order:
        moves = [m for m in moves_of[event.seq] if m.key[0] == kind_code]
        came = tuple(
            m.key[1] for m in moves if _in_store(m.after, code) and not _in_store(m.before, code)
        )
        went = tuple(
            m.key[1] for m in moves if _in_store(m.before, code) and not _in_store(m.after, code)
        )
        sealed = event.kind == Kind.BOX_SEALED and any(m.after.office == code for m in moves)
        if not came and not went and not sealed:
            continue
        balance += len(came) - len(went)
        p = event.payload
        lines.append(
            LedgerLine(
                event,
                china_date(event.at),
                _movement(event, code),
                tuple(sorted({m.after.box for m in moves})),
                came,
                went,
                balance,
                person(fold.people, event.actor),
                person(fold.people, p.get("receiver") or p.get("handed_by")),
                person(fold.people, p.get("head")),
            )
        )
    return code, kind_code, brought, lines, fold


def _movement(event: Event, office: str) -> str:
    p = event.payload
    kind = event.kind
    if kind == Kind.SHIPMENT_RECEIVED:
        return f"入库 received, waybill {p['shipment']}"
    if kind == Kind.ISSUED_OUT:
        return f"出库 issued to terminal {p['terminal']}"
    if kind == Kind.RETURNED_TO_STORE:
        return f"退库 returned from terminal {p['terminal']}"
    if kind == Kind.TRANSFERRED_OFFICE:
        if p["target"] == office:
            return f"调入 lent by {p['source']}, approval {p['approval']}"
        return f"调出 lent to {p['target']}, approval {p['approval']}"
    if kind == Kind.BOX_SEALED:
        faults = ", ".join(f"{k} {s}" for k, s in p["faults"])
        return f"封箱 box sealed (Art. 24): {faults}"
    if kind == Kind.RETURNED_TO_BUREAU:
        return "退回许可证局 returned to the bureau"
    if kind == Kind.VOIDED:
        return f"作废 voided: {reason(p['reason'])}"
    if kind == Kind.LOST:
        return f"遗失 lost: {p['note']}"
    return str(kind)


def in_out_ledger(
    record: Record, office: str | None, type_code: str | None, first_day: date, last_day: date
) -> Sheet:
    """附件3 进、出库台账登记表 for one office's store of one type (Art. 21, 23)."""
    through = record.through(last_day)
    code, kind_code, brought, lines, fold = in_out_lines(through, office, type_code, first_day)
    fmt = fold.formats[kind_code]
    rows = [("", "", "上期结存 brought forward", "", "", "", "", str(brought), "", "", "")]
    for line in lines:
        serials = line.serials_in or line.serials_out
        rows.append(
            (
                line.day.isoformat(),
                str(line.event.seq),
                line.movement,
                " ".join(line.boxes),
                serial_ranges(fmt, serials, per_line=1) if serials else "",
                str(len(line.serials_in)) if line.serials_in else "",
                str(len(line.serials_out)) if line.serials_out else "",
                str(line.balance),
                line.keeper,
                line.receiver,
                line.head,
            )
        )
    columns = (
        Column("日期", "Date", 11),
        Column("事件", "Event", 6, "right"),
        Column("摘要", "Movement", 28),
        Column("箱号", "Box", 7),
        Column("流水号", "Serials", 19),
        Column("入库", "In", 6, "right"),
        Column("出库", "Out", 6, "right"),
        Column("结存", "Balance", 8, "right"),
        Column("保管人员", "Keeper", 20),
        Column("领用人员", "Receiver", 20),
        Column("负责人", "Head", 19),
    )
    return Sheet(
        "商务部进出口许可证书进、出库台账登记表",
        "In/out ledger of licence certificates",
        (
            ("发证机构 Office", f"{code} {fold.offices[code]}"),
            ("种类 Type", f"{kind_code} {fold.type_names[kind_code]}"),
            ("期间 Period", f"{first_day.isoformat()} – {last_day.isoformat()}"),
        ),
        (Table(columns, tuple(rows)),),
        annex=3,
        notes=(
            "库房结存含封存箱。 The store balance includes sealed boxes. 领用时保管人员与领用人员"
            "同时在场逐一清点（第二十三条）。 Keeper and receiver count one by one (Art. 23).",
        ),
        signatures=("保管人员 Keeper", "主要负责同志 Head"),
    )


@dataclass(frozen=True)
class VoidEntry:
    """One void registration: the blanks one event voided, as the sealing registers list them."""

    event: Event
    day: date
    type: str
    serials: tuple[str, ...]
    reason: str
    licences: tuple[str, ...]
    office: str
    reversals: tuple[Event, ...] = ()
    """The ``void_reversed`` events that put this void's blanks back, up to the cut-off."""

    @property
    def reversed(self) -> bool:
        """Whether the void no longer stands: each of its blanks was put back."""
        return bool(self.reversals)


def void_entries(record: Record) -> tuple[list[VoidEntry], Timeline]:
    """Every void up to the cut-off, oldest first, with the licences of used blanks voided
    and the reversals that undid it."""
    fold = Timeline()
    entries: dict[int, list[Move]] = {}
    reversals: dict[int, list[Event]] = {}
    for move in fold.run(record.events):
        if move.event.kind == Kind.VOIDED:
            entries.setdefault(move.event.seq, []).append(move)
        elif move.event.kind == Kind.VOID_REVERSED:
            undone = reversals.setdefault(move.event.payload["void"], [])
            if move.event not in undone:
                undone.append(move.event)
    found = []
    for seq, moves in entries.items():
        event = moves[0].event
        found.append(
            VoidEntry(
                event,
                moves[0].day,
                moves[0].key[0],
                tuple(m.key[1] for m in moves),
                event.payload["reason"],
                tuple(m.before.licence_no for m in moves if m.before and m.before.licence_no),
                moves[0].before.office if moves[0].before else "",
                tuple(reversals.get(seq, ())),
            )
        )
    return found, fold


_SEALING_COLUMNS = (
    Column("封存日期", "Sealed on", 11),
    Column("审核封存", "Sealed by", 10),
    Column("可销毁日期", "Destroy from", 11),
    Column("销毁日期", "Destroyed", 11),
    Column("批准人", "Approved", 10),
    Column("销毁人", "Destroyer", 10),
)


def _sealing_cells(fold: Timeline, entry: VoidEntry) -> tuple[str, ...]:
    """The sealing and destruction columns of one void entry: a line per lot if its blanks
    were sealed or destroyed apart."""
    lines: list[tuple[str, ...]] = []
    for serial in entry.serials:
        sealing = fold.sealed.get((entry.type, serial))
        destroyed = fold.destroyed.get((entry.type, serial))
        cells = ("",) * len(_SEALING_COLUMNS)
        if sealing is not None:
            cells = (
                sealing.day.isoformat(),
                person(fold.people, sealing.event.payload["head"]),
                allowed_from(sealing).isoformat(),
                china_date(destroyed.at).isoformat() if destroyed else "",
                person(fold.people, destroyed.payload["approved_by"]) if destroyed else "",
                person(fold.people, destroyed.actor) if destroyed else "",
            )
        lines.append(cells)
    distinct = list(dict.fromkeys(lines))
    return tuple("\n".join(column) for column in zip(*distinct, strict=True))


def _reversal(fold: Timeline, event: Event) -> str:
    """A reversal as the register's note gives it: the void does not stand."""
    head = person(fold.people, event.payload["head"])
    return f"已撤销 REVERSED #{event.seq} {china_date(event.at).isoformat()} {head}"


def sealing_register(record: Record, office: str | None, *, expired: bool) -> Sheet:
    """附件5 (``expired``: blanks of an expired edition) or 附件6 (every other void)."""
    entries, fold = void_entries(record)
    code = fold.office(office)
    rows = []
    standing = undone = 0
    for entry in entries:
        if entry.office != code or (register_of(entry.reason) == "expired") != expired:
            continue
        fmt = fold.formats[entry.type]
        note = entry.event.payload["note"]
        if entry.licences:
            licences = "\n".join(entry.licences)
            note = f"证号 licences\n{licences}\n{note}".strip()
        quantity = str(len(entry.serials))
        if entry.reversed:
            undone += len(entry.serials)
            quantity = f"({quantity})\n撤销"
            note = "\n".join(
                [*(_reversal(fold, reversal) for reversal in entry.reversals), note]
            ).strip()
        else:
            standing += len(entry.serials)
        rows.append(
            (
                entry.day.isoformat(),
                str(entry.event.seq),
                entry.type,
                serial_ranges(fmt, entry.serials),
                quantity,
                *(() if expired else (reason(entry.reason),)),
                person(fold.people, entry.event.actor),
                note,
                *_sealing_cells(fold, entry),
            )
        )
    columns = (
        Column("登记日期", "Registered", 11),
        Column("事件", "Event", 6, "right"),
        Column("种类", "Type", 5),
        Column("流水号", "Serials", 19),
        Column("数量", "Qty", 5, "right"),
        *(() if expired else (Column("作废原因", "Reason", 13),)),
        Column("登记人", "By", 13 if expired else 11),
        Column("备注", "Note", 19 if expired else 15),
        *_SEALING_COLUMNS,
    )
    if expired:
        titles = (
            "商务部过期空白进出口许可证书封存/销毁登记表",
            "Register of expired blank certificates sealed and destroyed",
        )
        rule = (
            "经主要负责同志审核后封存；新版启用当年经批准按保密文件销毁（第三十四条）。 "
            "Sealed after the head's check; destroyed with approval in the year the new "
            "edition starts (Art. 34)."
        )
    else:
        titles = (
            "商务部进出口许可证书废证封存/销毁登记表",
            "Register of void certificates sealed and destroyed",
        )
        rule = (
            "废证经主要负责同志审核后封存，保存期两年；期满经批准销毁（第三十五条）。 Voids are "
            "sealed after the head's check and kept two years; then destroyed with approval "
            "(Art. 35)."
        )
    return Sheet(
        titles[0],
        titles[1],
        (
            ("发证机构 Office", f"{code} {fold.offices[code]}"),
            ("作废 Voids", f"{standing}（另撤销 {undone} reversed, not counted）"),
        ),
        (Table(columns, tuple(rows) or (("",) * len(columns),)),),
        annex=5 if expired else 6,
        notes=(rule,),
        signatures=(
            "登记人 Registered by",
            "主要负责同志 Head",
            "批准人 Approved by",
            "销毁人 Destroyed by",
        ),
    )
