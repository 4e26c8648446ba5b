"""Sealing, destruction and archived receipts on the scripted history, on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from test_reports_kit import Clock, scripted

import gbt15311.custody.operations._disposal as disposal
import gbt15311.custody.proof._source as source
import gbt15311.custody.reports._registers as registers
import gbt15311.custody.reports._retention as retention
import gbt15311.custody.reports._selfcheck as selfcheck
from gbt15311 import custody
from gbt15311.custody.store._events import Kind
from gbt15311.custody.store._ledger import set_state
from gbt15311.custody.store._schema import State
from gbt15311.custody.workdays import default_calendar
from gbt15311.exceptions import LedgerCorrupt, Refused

VOIDS = ["00000009", "00000016", "00000017", "00000098", "00000099"]


@pytest.fixture(params=["sqlite", "postgresql"])
def history(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[custody.Ledger]:
    with scripted(request.param, request, tmp_path) as ledger:
        yield ledger


def on(ledger: custody.Ledger, day: date) -> None:
    assert isinstance(ledger.clock, Clock)
    ledger.clock.day = day


def test_voids_are_sealed_kept_two_years_and_destroyed_with_approval(
    history: custody.Ledger,
) -> None:
    on(history, date(2026, 4, 1))
    lot = disposal.seal(history, register="voids", office="SH", by="li", head="wang")
    with pytest.raises(Refused, match="office SH has no IL voids left to seal in voids"):
        disposal.seal(history, register="voids", office="SH", by="li", head="wang")
    with pytest.raises(Refused, match=r"serial 00000016 is already sealed \(event \d+\)"):
        disposal.seal(history, ["00000016"], register="voids", by="li", head="wang")

    def destroy(by: str = "li", approved_by: str = "wang") -> int:
        return disposal.destroy(
            history,
            register="voids",
            lot=lot,
            by=by,
            approved_by=approved_by,
            approval="商务厅 2028-7",
        )

    on(history, date(2028, 4, 1))
    with pytest.raises(
        Refused,
        match=r"serial 00000009 \(sealed 2026-04-01\) may not be destroyed before 2028-04-02 "
        r"\(Art. 35: kept two years\); it is 2028-04-01",
    ):
        destroy()
    with pytest.raises(Refused, match="'wang' cannot approve their own destruction"):
        destroy(by="wang")
    found = selfcheck.self_check(history, None, date(2028, 4, 2), default_calendar())
    assert found.points[5].problems == [
        "SH IL 00000009 00000016..00000017 00000098..00000099: 5 blanks sealed 2026-04-01 may "
        "be destroyed since 2028-04-02 and await destruction (Art. 34, 35)"
    ]
    on(history, date(2028, 4, 2))
    destroy()
    assert custody.where(history, "00000016").state == "destroyed"
    custody.verify(history)
    record = source.read(history)
    rows = registers.sealing_register(record, "SH", expired=False).tables[0].rows
    assert rows[0][8:] == (
        "2026-04-01",
        "王主任 (wang)",
        "2028-04-02",
        "2028-04-02",
        "王主任 (wang)",
        "李保管 (li)",
    )
    (voids,) = [h for h in retention.holdings(record) if h.kind == "voids"]
    assert (voids.count, voids.destroyed, voids.status(date(2028, 4, 2))) == (0, 5, "destroyed")
    with pytest.raises(Refused, match="is already destroyed"):
        destroy()


def test_expired_blanks_go_in_the_year_the_new_edition_starts(history: custody.Ledger) -> None:
    on(history, date(2026, 4, 1))
    serials = [f"{n:08d}" for n in range(190, 200)]
    with pytest.raises(Refused, match="belongs in the voids register"):
        disposal.seal(
            history,
            ["00000016"],
            register="expired",
            by="li",
            head="wang",
            new_edition_from=date(2027, 1, 1),
        )
    with pytest.raises(Refused, match="no new edition of IL is recorded"):
        custody.void(history, serials, reason="expired-edition", by="li", note="2012 edition")
    with pytest.raises(Refused, match="recorded from the bureau's notice"):
        custody.record_edition(history, "IL", date(2027, 1, 1), by="wang", notice=" ")
    with pytest.raises(Refused, match="'li' has the roles checker keeper, not head"):
        custody.record_edition(history, "IL", date(2027, 1, 1), by="li", notice="函〔2026〕9号")
    custody.record_edition(history, "IL", date(2027, 1, 1), by="wang", notice="函〔2026〕9号")
    custody.void(history, serials, reason="expired-edition", by="li", note="2012 edition")
    with pytest.raises(Refused, match=r"records the new edition of IL from 2027-01-01 \(event"):
        disposal.seal(
            history,
            serials,
            register="expired",
            by="li",
            head="wang",
            new_edition_from=date(2027, 2, 1),
        )
    lot = disposal.seal(history, serials, register="expired", by="li", head="wang")
    holdings = [h for h in retention.holdings(source.read(history)) if h.kind == "expired"]
    assert holdings[0].status(date(2026, 12, 31)) == "keep until 2026-12-31"
    on(history, date(2026, 12, 31))
    with pytest.raises(Refused, match=r"may not be destroyed before 2027-01-01 \(Art. 34\)"):
        disposal.destroy(
            history, serials, register="expired", by="li", approved_by="wang", approval="ref"
        )
    with pytest.raises(Refused, match="is not sealed in the voids register"):
        disposal.destroy(
            history, serials, register="voids", by="li", approved_by="wang", approval="ref"
        )
    on(history, date(2027, 1, 1))
    disposal.destroy(
        history, register="expired", lot=lot, by="li", approved_by="wang", approval="ref"
    )
    custody.verify(history)
    rows = registers.sealing_register(source.read(history), "SH", expired=True).tables[0].rows
    assert rows[0][3] == "00000190..00000199"
    assert rows[0][-3] == "2027-01-01"


def test_receipts_are_archived_once(history: custody.Ledger) -> None:
    record = source.read(history)
    found = selfcheck.self_check(history, None, date(2026, 4, 2), default_calendar())
    assert any("W2: not recorded as sent and archived" in r for r in found.points[1].reminders)
    disposal.archive_receipt(history, "W2", by="li")
    with pytest.raises(Refused, match="receipt of shipment 'W2' is already archived"):
        disposal.archive_receipt(history, "W2", by="li")
    with pytest.raises(Refused, match="shipment 'W9' has not been received"):
        disposal.archive_receipt(history, "W9", by="li")
    receipts = {h.what: h for h in retention.holdings(source.read(history)) if h.kind == "receipt"}
    assert receipts["签收单 receipt W2"].status(date(2029, 1, 5)) == "keep until 2029-01-05"
    assert receipts["签收单 receipt W2"].status(date(2029, 1, 6)) == "may be disposed of"
    assert receipts["签收单 receipt W1"].status(date(2029, 1, 6)) == (
        "not recorded as sent and archived"
    )
    assert record.seq + 1 == source.read(history).seq
    custody.verify(history)


def test_a_destruction_written_around_the_rules_does_not_verify(history: custody.Ledger) -> None:
    """An event forged without sealing, state table and all, is caught by the replay."""
    with history.write() as writer:
        seq = writer.append(
            Kind.DESTROYED,
            "li",
            {
                "type": "IL",
                "register": "voids",
                "approved_by": "wang",
                "approval": "x",
                "note": "",
                "ranges": [["00000016", "00000016"]],
            },
        )
        set_state(writer.connection, "IL", ["00000016"], seq, state=State.DESTROYED)
    with pytest.raises(LedgerCorrupt, match="serial 00000016 is destroyed without being sealed"):
        custody.verify(history)
