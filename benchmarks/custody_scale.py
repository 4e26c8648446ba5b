"""Custody reads against the size of the history: a small ledger beside a big one.

    .venv/bin/python benchmarks/custody_scale.py [--blanks 500000] [--pairs 19500] [--db URL]
        [--keep FOLDER]

Both ledgers are built through the library, as an office would build them over a year:
shipments received in boxes of 1,000, boxes issued to four terminals, and licences printed
(allocate+use, one in a hundred voided as a misprint instead), the clock advancing through
2026. The big ledger has ``--blanks`` blanks and about ``2 × --pairs`` events; the small one
4,000 blanks (a box per terminal) and a hundred pairs. Then every read is timed on both:
``where``, ``stock`` and ``reservations`` (the median of 101: they take a fraction of a
millisecond), ``verify``, and each report of a quarter or the year, run as its command.
Targets (issue 13): the three reads within 1.2× of the small ledger, every report and
``verify`` within 5 s at 500,000 blanks. Not run by the tests: it takes minutes.
``--keep FOLDER`` keeps the two SQLite ledgers there, and a later run with the same folder
times them again (migrated to this version) instead of building them: the same ledgers
before and after a change.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from gbt15311 import custody
from gbt15311.cli import main

BOX = 1_000
TERMINALS = ("T1", "T2", "T3", "T4")
START = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


def _clock(events: int) -> Callable[[], datetime]:
    """A clock that spreads ``events`` readings evenly over the year 2026."""
    step = timedelta(days=350) / max(events, 1)
    ticks: Iterator[int] = iter(range(10**9))
    return lambda: START + step * next(ticks)


def build(url: str, blanks: int, pairs: int) -> custody.Ledger:
    """A year of an office: ``blanks`` received, ``pairs`` licences printed or spoilt."""
    ledger = custody.init_ledger(url, clock=_clock(2 * pairs + blanks // BOX * 2 + 20))
    custody.add_person(ledger, "wang", "王主任", ["head"], by="wang")
    custody.add_office(ledger, "SH", "上海", by="wang")
    custody.add_person(ledger, "li", "李保管", ["keeper", "checker"], by="wang", office="SH")
    custody.add_person(ledger, "zhao", "赵核对", ["checker"], by="wang", office="SH")
    custody.add_person(ledger, "chen", "陈操作", ["operator"], by="wang", office="SH")
    for terminal in TERMINALS:
        custody.add_terminal(ledger, terminal, "窗口", office="SH", by="wang")
    custody.add_type(ledger, "IL", "进口许可证", serial_width=8, by="wang")
    boxes = [f"B{n:05d}" for n in range(blanks // BOX)]
    for first in range(0, len(boxes), 50):
        custody.receive_shipment(
            ledger,
            office="SH",
            shipment=f"W{first:05d}",
            boxes_found=[
                custody.Box(box, f"{n * BOX + 1:08d}", f"{(n + 1) * BOX:08d}")
                for n, box in enumerate(boxes[first : first + 50], start=first)
            ],
            checkers=["li", "zhao"],
            by="li",
        )
    needed = max(-(-pairs // BOX) + len(TERMINALS), len(TERMINALS))
    for n, box in enumerate(boxes[:needed]):
        custody.issue_out(
            ledger,
            box=box,
            terminal=TERMINALS[n % len(TERMINALS)],
            by="li",
            receiver="chen",
            head="wang",
        )
    for n in range(pairs):
        reservation = custody.allocate(ledger, TERMINALS[n % len(TERMINALS)])
        if n % 100 == 99:
            custody.void(ledger, reservation.serial, reason="misprint", by="chen")
        else:
            custody.use(ledger, reservation.serial, licence_no=f"26-31-{n:06d}")
    custody.allocate(ledger, TERMINALS[0])  # one reservation left open
    return ledger


def _seconds(work: Callable[[], object], repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


REPORTS = {
    "report ledger (2026Q2)": [
        "ledger",
        "--office",
        "SH",
        "--from",
        "2026-04-01",
        "--to",
        "2026-06-30",
    ],
    "report reconcile (2026Q2)": ["reconcile", "--quarter", "2026Q2", "--office", "SH"],
    "report annual (2026)": ["annual", "--year", "2026", "--office", "SH"],
    "report voids": ["voids", "--office", "SH"],
    "report selfcheck": ["selfcheck", "--on", "2026-12-31"],
    "report retention": ["retention", "--on", "2026-12-31"],
    "report deadlines": ["deadlines", "--on", "2026-12-31"],
}


def _report(url: str, folder: Path, args: list[str]) -> Callable[[], object]:
    def run() -> object:
        output = ["-o", str(folder / f"{args[0]}.pdf")] if args[0] not in _PRINTED else []
        result = CliRunner().invoke(main, ["custody", "report", "--db", url, *args, *output])
        if result.exit_code not in (0, 1) or "Error:" in result.output:  # 1: findings
            raise SystemExit(f"report {args[0]} failed: {result.output}")
        return result

    return run


_PRINTED = {"retention", "deadlines"}
"""Reports printed on screen rather than written to a PDF."""


def measure(ledger: custody.Ledger, url: str, folder: Path) -> dict[str, float]:
    serial = custody.open_reservations(ledger)[0].serial
    figures = {
        "where": _seconds(lambda: custody.where(ledger, serial), 101),
        "stock": _seconds(lambda: custody.stock(ledger), 101),
        "reservations": _seconds(lambda: custody.open_reservations(ledger), 101),
        "verify": _seconds(lambda: custody.verify(ledger)),
    }
    for name, args in REPORTS.items():
        figures[name] = _seconds(_report(url, folder, args))
    return figures


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--blanks", type=int, default=500_000)
    parser.add_argument("--pairs", type=int, default=19_500)
    parser.add_argument("--db", help="the big ledger's URL (default: a SQLite file)")
    parser.add_argument("--keep", type=Path, help="a folder to keep the ledgers in, or reuse")
    arguments = parser.parse_args()
    folder = arguments.keep or Path(tempfile.mkdtemp(prefix="custody-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    small_url = f"sqlite:///{folder / 'small.sqlite3'}"
    big_url = arguments.db or f"sqlite:///{folder / 'big.sqlite3'}"
    started = time.perf_counter()
    reuse = arguments.keep is not None and arguments.db is None
    if reuse and all((folder / name).exists() for name in ("small.sqlite3", "big.sqlite3")):
        small, big = custody.init_ledger(small_url), custody.init_ledger(big_url)
    else:
        reuse = False
        small = build(small_url, BOX * len(TERMINALS), 100)
        big = build(big_url, arguments.blanks, arguments.pairs)
    little_one, big_one = custody.verify(small), custody.verify(big)
    print(
        f"{'reused' if reuse else 'built'} in {time.perf_counter() - started:.0f} s: "
        f"small {little_one.certificates:,} blanks, {little_one.events:,} events; "
        f"big {big_one.certificates:,} blanks, {big_one.events:,} events"
    )
    little, large = measure(small, small_url, folder), measure(big, big_url, folder)
    print(f"{'read':<28} {'small':>9} {'big':>9} {'ratio':>7}")
    for name in little:
        ratio = large[name] / little[name]
        print(f"{name:<28} {little[name]:8.4f}s {large[name]:8.4f}s {ratio:6.2f}×")
    small.close()
    big.close()


if __name__ == "__main__":
    main_()
