"""Each report against figures worked out by hand from the scripted history, on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text
from test_custody_tamper import drop_guards
from test_reports_kit import Clock, scripted

import gbt15311.custody.proof._source as source
import gbt15311.custody.reports._annual as annual
import gbt15311.custody.reports._deadlines as deadlines
import gbt15311.custody.reports._forecast as forecast
import gbt15311.custody.reports._reconciliation as reconciliation
import gbt15311.custody.reports._registers as registers
import gbt15311.custody.reports._selfcheck as selfcheck
from gbt15311 import custody
from gbt15311.cli import main
from gbt15311.custody.reports._flows import Balance
from gbt15311.custody.store._schema import certificates
from gbt15311.custody.workdays import default_calendar
from gbt15311.exceptions import CustodyError, LedgerCorrupt

Q1 = reconciliation.Quarter(2026, 1)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def history(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[custody.Ledger]:
    with scripted(request.param, request, tmp_path_factory.mktemp("history")) as ledger:
        yield ledger


@pytest.fixture(scope="module")
def record(history: custody.Ledger) -> source.Record:
    return source.read(history)


def figures(balance: Balance) -> dict[str, int]:
    return {term: balance.count(term) for term in (*annual.TERMS, "revoked")}


def test_annual_usage_of_2025(record: source.Record) -> None:
    report = annual.annual_usage(record, 2025, "SH")
    (balance,) = report.balances
    assert figures(balance) == {
        "opening": 0,
        "received": 100,
        "transferred_in": 0,
        "used": 30,
        "voided": 4,
        "lost": 1,
        "transferred_out": 0,
        "returned": 0,
        "closing": 65,
        "revoked": 0,
    }
    assert balance.by_reason("voided") == {"misprint": 2, "water": 2}
    assert balance.holds
    assert report.due == date(2026, 1, 31)
    assert report.record.events[-1].payload["reason"] == "water"  # the last event of 2025


def test_annual_usage_of_2026_so_far_for_both_offices(record: source.Record) -> None:
    (shanghai,) = annual.annual_usage(record, 2026, "SH").balances
    assert figures(shanghai) == {
        "opening": 65,
        "received": 110,
        "transferred_in": 0,
        "used": 10,
        "voided": 0,
        "lost": 0,
        "transferred_out": 5,
        "returned": 10,
        "closing": 150,
        "revoked": 1,
    }
    assert shanghai.by_reason("revoked") == {"not-collected": 1}
    (ningbo,) = annual.annual_usage(record, 2026, "NB").balances
    assert (ningbo.count("transferred_in"), ningbo.count("closing")) == (5, 5)
    with pytest.raises(CustodyError, match="name the office; offices at the cut-off: NB, SH"):
        annual.annual_usage(record, 2026)


def test_the_quarter_from_the_counts_recorded_in_the_ledger(record: source.Record) -> None:
    report = reconciliation.reconcile(record, Q1, "SH")
    (balance,) = report.balances
    assert (len(balance.opening), balance.computed_closing, len(balance.closing)) == (65, 150, 150)
    assert [(c.place, c.counted, c.expected) for c in report.compared] == [("store", 134, 134)]
    assert report.uncounted == (("IL", "T1", 16),)
    assert not report.in_order


COUNTS = """
office = "SH"
counted_on = 2026-03-31
counted_by = ["li", "zhao"]

[[count]]
type = "IL"
box = "B2"
counted = 99
serials = ["00000101..00000149", "00000151..00000200"]

[[count]]
box = "B1"
counted = 33

[[count]]
place = "T1"
counted = 17
serials = ["00000043..00000058", "00000061"]
"""


def test_a_count_file_explains_differences_by_serial(record: source.Record, tmp_path: Path) -> None:
    path = tmp_path / "counts.toml"
    path.write_text(COUNTS, encoding="utf-8")
    report = reconciliation.reconcile(record, Q1, counts=reconciliation.load_counts(path))
    b2, b1, t1 = report.compared
    assert (b2.difference, b2.missing, b2.extra) == (-1, ("00000150",), ())
    assert (b1.difference, len(b1.candidates)) == (-1, 34)
    assert b1.candidates[:3] == ("00000059", "00000060", "00000066")
    assert t1.difference == 1
    assert t1.extra == (("00000061", "in_store, office NB"),)
    assert report.uncounted == ()
    _main, discrepancies = reconciliation.sheets(report)
    assert discrepancies.title_en == "Discrepancy report to the licence bureau"
    assert len(discrepancies.tables[0].rows) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("office = 1", "office: expected the office code as text"),
        ("[[count]]\ncounted = -1", r"count\[1\]\.counted: expected the number found.*; got -1"),
        (
            "[[count]]\ncounted = 1\nbox = 3",
            r"count\[1\]\.box: expected the box as text in quotes; got 3",
        ),
        (
            "[[count]]\ncounted = 1\nshelf = 'A'",
            r"count\[1\]\.shelf: unknown key \(expected box, counted, place, serials, type\)",
        ),
        (
            "counted_on = '2026-03-31'\n[[count]]\ncounted = 1",
            "counted_on: expected a date without quotes",
        ),
        ("", r"count: missing; expected \[\[count\]\] tables"),
        ("[[count]\n", "not valid TOML"),
        ("[[count]]\nplace = ''\ncounted = 1", r"count\[1\]\.place: expected \"store\""),
        ("counted_by = 'li'\n[[count]]\ncounted = 1", "counted_by: expected a list of people"),
        ("[[count]]\ncounted = 1\nserials = [1]", r"count\[1\]\.serials\[1\]: expected a list"),
        (b"office = '\xc9'", "not UTF-8 text"),
    ],
)
def test_a_bad_count_file_is_named(tmp_path: Path, content: str | bytes, message: str) -> None:
    path = tmp_path / "counts.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(CustodyError, match=f"counts.toml: .*{message}"):
        reconciliation.load_counts(path)


def test_a_count_of_somewhere_unknown_is_refused(record: source.Record) -> None:
    counts = reconciliation.Counts(
        "SH", None, (), (reconciliation.CountLine(None, "N1", None, 0),), "counts.toml"
    )
    with pytest.raises(CustodyError, match="'N1' is neither 'store' nor a terminal of SH"):
        reconciliation.reconcile(record, Q1, counts=counts)


def test_the_in_out_ledger_of_the_first_quarter(record: source.Record) -> None:
    _office, _type, brought, lines, _fold = registers.in_out_lines(
        record.through(Q1.last_day), "SH", None, Q1.first_day
    )
    assert brought == 57
    assert [
        (line.day.isoformat(), len(line.serials_in), len(line.serials_out), line.balance)
        for line in lines
    ] == [
        ("2026-01-05", 110, 0, 167),
        ("2026-01-06", 0, 20, 147),
        ("2026-01-20", 0, 5, 142),
        ("2026-03-02", 0, 10, 132),
        ("2026-03-20", 2, 0, 134),
    ]
    assert lines[1].receiver == "陈操作 (chen)"
    assert lines[1].head == "王主任 (wang)"


def test_the_receipt_has_three_copies(record: source.Record) -> None:
    copies = registers.receipt(record, "W2")
    assert [sheet.copy for sheet in copies] == list(registers.RECEIPT_COPIES)
    rows = copies[0].tables[0].rows
    assert [row[1] for row in rows] == ["B2", "B3", ""]
    assert rows[1][7] == "封存 SEALED: 包装损坏 packing"
    assert rows[2][5] == "110"
    fields = dict(copies[0].fields)
    assert fields["寄送日期 Send copies 1-2 on"] == "2026-01-06"
    assert fields["存档至 Keep until"] == "2029-01-05"
    with pytest.raises(CustodyError, match="shipment 'W9' was not received"):
        registers.receipt(record, "W9")


def test_the_voids_register(record: source.Record) -> None:
    voids = registers.sealing_register(record, "SH", expired=False).tables[0].rows
    assert [(row[0], row[3], row[4], row[5]) for row in voids] == [
        ("2025-03-03", "00000016", "1", "打印错误 misprint"),
        ("2025-03-03", "00000017", "1", "打印错误 misprint"),
        ("2025-12-01", "00000098..00000099", "2", "水浸 water"),
        ("2026-02-12", "00000009", "1", "逾期未领取 not collected"),
    ]
    assert voids[3][7] == "证号 licences\n25-31-000009\nrevoked"
    expired = registers.sealing_register(record, "SH", expired=True).tables[0].rows
    assert expired == (("",) * 13,)  # an empty row to fill in by hand


def test_the_forecast(record: source.Record) -> None:
    report = forecast.forecast(record, date(2026, 3, 31), "SH", margin=Decimal("5"))
    (item,) = report.types
    assert item.monthly == (0, 5, 12, 0, 0, 5, 0, 0, 10, 0, 0, 0)
    assert (item.base_total, item.stock, item.rest_of_year, item.expected_stock) == (
        32,
        150,
        15,
        135,
    )
    assert (item.need, item.suggested) == (192, 100)
    assert report.year == 2027
    lines = forecast.reasoning(report, item)
    assert lines[-1] == (
        "Need for 2027: 32 + 500% = 192; suggested order: 192 - 135, rounded up to 100s = 100."
    )
    plain = forecast.forecast(record, date(2026, 10, 15), "SH")
    assert (plain.types[0].need, plain.types[0].suggested) == (36, 0)


def test_collection_deadlines(record: source.Record) -> None:
    calendar = default_calendar()
    found = deadlines.collection(record, calendar, frozenset({"25-31-000001"}))
    assert len(found) == 38  # 39 in use, one collected
    first_2026 = next(u for u in found if u.licence_no == "25-31-000100")
    assert (first_2026.serial, first_2026.issued_on) == ("00000033", date(2026, 2, 2))
    assert first_2026.deadline.day == date(2026, 3, 6)  # counted by hand over the Spring Festival
    assert not first_2026.overdue(date(2026, 3, 6))
    assert first_2026.overdue(date(2026, 3, 7))


def test_a_deadline_in_an_unknown_year_names_the_year() -> None:
    calendar = default_calendar()
    found = deadlines.supplementary_shipment(date(2026, 12, 20), calendar)
    assert found.day is None
    assert "schedule for 2027 is not known" in found.unknown
    assert str(found).startswith("unknown: ")
    assert deadlines.supplementary_order(date(2026, 10, 31), calendar).day == date(2026, 9, 28)


def test_the_self_check(history: custody.Ledger) -> None:
    found = selfcheck.self_check(history, date(2026, 4, 2), date(2026, 4, 2), default_calendar())
    problems = {point.en: point.problems for point in found.points}
    assert problems["3. Custody and store security"] == [
        "NB: no count recorded in 2026Q1 (Art. 31)",
        *(f"SH: no count recorded in 2025Q{n} (Art. 31)" for n in (1, 2, 3, 4)),
    ]
    others = [p for en, p in problems.items() if en != "3. Custody and store security"]
    assert others == [[]] * 6
    system = found.points[6].evidence[0]
    assert system == f"chain verified: {found.record.seq} events, head {found.record.head}"


def test_a_reservation_left_open_is_a_problem(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with scripted("sqlite", request, tmp_path) as ledger:
        custody.allocate(ledger, "T1")
        found = selfcheck.self_check(ledger, None, date(2026, 4, 2), default_calendar())
    assert found.points[4].problems == [
        "serial 00000043 of IL is reserved but neither used nor voided: "
        "look at the paper and resolve it"
    ]


def test_cut_off_by_date_and_by_event_agree(history: custody.Ledger) -> None:
    by_day = source.read(history, date(2025, 12, 31))
    by_seq = source.read(history, by_day.seq)
    assert (by_day.seq, by_day.head) == (by_seq.seq, by_seq.head)
    assert by_day.events[-1].payload["reason"] == "water"
    with pytest.raises(CustodyError, match="only 106 events"):
        source.read(history, 500)


def test_a_broken_chain_stops_registers_and_shows_in_the_self_check(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with scripted("sqlite", request, tmp_path) as ledger:
        with ledger.engine.begin() as connection:
            drop_guards(connection)
            connection.execute(
                text("UPDATE events SET payload = replace(payload, 'W1', 'W7') WHERE seq = 12")
            )
        with pytest.raises(LedgerCorrupt, match="event 12: its content does not match"):
            source.read(ledger)
        found = selfcheck.self_check(ledger, None, date(2026, 4, 2), default_calendar())
        assert found.points[6].problems == [
            "the hash chain does not verify: event 12: its content does not match its hash"
        ]


def test_a_count_that_differs_is_settled_once_a_recount_of_its_place_agrees(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Art. 32: a short count stays a problem through an agreeing count of another place and
    a recount still short; the loss recorded and a recount that agrees settle it."""

    def count_problems() -> list[str]:
        found = selfcheck.self_check(ledger, None, date(2026, 4, 2), default_calendar())
        return [p for p in found.points[2].problems if p.startswith("count event")]

    with scripted("sqlite", request, tmp_path) as ledger:
        assert isinstance(ledger.clock, Clock)
        ledger.clock.day = date(2026, 4, 1)
        with ledger.read() as connection:
            held = list(
                connection.execute(
                    select(certificates.c.serial).where(
                        certificates.c.terminal_code == "T1",
                        certificates.c.state == "with_terminal",
                    )
                ).scalars()
            )
        short = custody.record_count(
            ledger, office="SH", terminal="T1", counted=len(held) - 1, by="li"
        )
        assert short.difference == -1
        store = custody.stock(ledger, office="SH")["IL"]["in_store"]
        custody.record_count(ledger, office="SH", counted=store, by="li")
        again = custody.record_count(
            ledger, office="SH", terminal="T1", counted=len(held) - 1, by="zhao"
        )
        assert count_problems() == [
            f"count event {seq} (SH T1, 2026-04-01): counted {len(held) - 1}, ledger "
            f"{len(held)}; report the cause (Art. 32), then count again"
            for seq in (short.seq, again.seq)
        ]
        loss = custody.report_loss(ledger, held[-1:], by="li", note="not found at the count")
        custody.record_count(ledger, office="SH", terminal="T1", counted=len(held) - 1, by="wang")
        assert count_problems() == []
        found = selfcheck.self_check(ledger, None, date(2026, 4, 2), default_calendar())
        settled = [e for e in found.points[2].evidence if "settled" in e]
        assert len(settled) == 2
        assert all(f"after lost event {loss}" in e for e in settled)


def test_the_self_check_compares_the_state_tables_with_the_events_it_read(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Point 7 verifies the state against the events the self-check read, in one snapshot."""
    with scripted("sqlite", request, tmp_path) as ledger:
        found = selfcheck.self_check(ledger, None, date(2026, 4, 2), default_calendar())
        certificates_held = custody.verify(ledger).certificates
        assert found.points[6].evidence[1] == (
            f"state tables match the events ({certificates_held} certificates)"
        )
        with ledger.engine.begin() as connection:
            connection.execute(text("UPDATE event_ranges SET last_serial = '00000001'"))
        found = selfcheck.self_check(ledger, None, date(2026, 4, 2), default_calendar())
        assert found.points[6].problems == [
            "the state does not match the events: range 1 of event 12 in the index of ranges: "
            "the table says IL 00000001..00000001, the events say IL 00000001..00000100"
        ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('["li", "zhao"]', '["li", "zhou"]'),
            "counted_by: 'zhou' is not registered; expected people of the ledger: chen, li,",
        ),
        (
            ("2026-03-31", "2026-04-01"),
            "counted_on: 2026-04-01 is not in 2026Q1; expected a day from 2026-01-01 to 2026-03-31",
        ),
        (
            ('box = "B1"', 'box = "B2"'),
            "[[count]] 2: a second count of IL at store, box B2 (the first is [[count]] 1)",
        ),
        (
            ('box = "B1"\n', ""),
            "[[count]] 2: a second count of IL at store (the first is [[count]] 1)",
        ),
        (
            ('place = "T1"', 'place = "store"\ntype = "IL"\nbox = "B1"'),
            "[[count]] 3: a second count of IL at store, box B1 (the first is [[count]] 2)",
        ),
        (('place = "T1"', 'place = "N1"'), "[[count]] 3: place 'N1' is neither"),
    ],
)
def test_a_count_file_that_does_not_fit_the_ledger_is_refused_writing_nothing(
    history: custody.Ledger, tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = tmp_path / "counts.toml"
    assert change[0] in COUNTS
    path.write_text(COUNTS.replace(*change, 1), encoding="utf-8")
    output = tmp_path / "reconcile.pdf"
    url = history.engine.url.render_as_string(hide_password=False)
    arguments = ["--quarter", "2026Q1", "--counts", str(path), "-o", str(output), "--db", url]
    result = CliRunner().invoke(main, ["custody", "report", "reconcile", *arguments])
    assert result.exit_code == 1
    assert f"counts.toml: {message}" in result.output
    assert not output.exists()


@pytest.mark.parametrize("year", [0, 1999, 3000, 9999])
def test_the_annual_usage_of_a_year_out_of_the_ledgers_years_is_refused(
    record: source.Record, year: int
) -> None:
    with pytest.raises(CustodyError, match="give a year from 2000 to 2999"):
        annual.annual_usage(record, year, "SH")


@pytest.mark.parametrize("text", ["0000Q1", "1999Q4", "3000Q1", "9999Q4"])
def test_a_quarter_out_of_the_ledgers_years_is_refused(text: str) -> None:
    with pytest.raises(CustodyError, match="give a quarter of the years 2000 to 2999"):
        reconciliation.Quarter.parse(text)
