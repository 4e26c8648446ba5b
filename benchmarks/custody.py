"""Custody benchmarks, each against the raw database floor measured in the same run.

    .venv/bin/python benchmarks/custody.py [--postgres URL] [--rounds 3]

The floor does the same database work through the bare driver (sqlite3, psycopg), with the
library's own schema and the same durability settings, so the ratio shows what the library
costs on top of the database on this machine today: shared machines are noisy, so only
figures from one run are compared. Targets: receiving 100,000 serials under 3 s on SQLite;
allocate+confirm at least 300/s on SQLite (1 and 2 processes) and on PostgreSQL (8 terminals).
What a terminal feels is latency: each allocate+confirm pair is timed, and p50 and p99 are
printed beside the floor's (target p99 <= 25 ms on PostgreSQL with 8 terminals). PostgreSQL
runs when ``--postgres`` or ``GBT15311_TEST_POSTGRES_URL`` is set.

Two loads, because latency means nothing without the load it was measured under. *Flat out*:
each terminal starts its next pair the moment the last one ends (a closed loop), which gives
the most pairs per second; its latency is then the queue the terminals make for the chain
head (by Little's law, eight terminals at 300 pairs/s wait 8 / 300 s = 27 ms on average).
*Paced*: the terminals together are offered ``--paced`` pairs per second (150, half the
throughput floor, and 300, the floor itself), each on its own schedule, and every pair is
timed from the moment it was due, so a pair that waits for the one before it counts that
wait (no coordinated omission). The p99 target is read at the paced loads: an office's
terminals print when clerks print, not in lockstep, and 300 pairs/s is about 18,000 times
eight busy windows printing a licence a minute. Each terminal makes one pair first, untimed
(``WARM_UP``), as a terminal does once a day.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import gbt15311.custody.operations._at_once as at_once
import gbt15311.custody.store._ledger as ledger_module
from gbt15311 import custody

RECEIVED = 100_000
STOCK = 20_000
TERMINALS = 8
WARM_UP = 1
"""Pairs each terminal makes before the timed ones: the first on a new connection compiles and
caches statements, which a terminal does once a day; a process's start is measured by
``benchmarks/render.py``."""


def _seed(ledger: custody.Ledger) -> None:
    custody.add_person(ledger, "wang", "王", ["head"], by="wang")
    custody.add_office(ledger, "SH", "上海", by="wang")
    custody.add_person(ledger, "li", "李", ["keeper", "checker"], by="wang")
    custody.add_person(ledger, "zhao", "赵", ["checker"], by="wang")
    custody.add_person(ledger, "chen", "陈", ["operator"], by="wang")
    for terminal in range(1, TERMINALS + 1):
        custody.add_terminal(ledger, f"T{terminal}", "窗口", office="SH", by="wang")
    custody.add_type(ledger, "IL", "进口许可证", serial_width=10, by="wang")


def _receive(ledger: custody.Ledger, count: int) -> float:
    started = time.perf_counter()
    custody.receive_shipment(
        ledger,
        office="SH",
        shipment="W1",
        boxes_found=[custody.Box("B1", f"{1:010d}", f"{count:010d}")],
        checkers=["li", "zhao"],
        by="li",
    )
    return time.perf_counter() - started


def _stocked_ledger(url: str, terminals: int, issued: int) -> custody.Ledger:
    """A ledger whose first ``terminals`` terminals hold ``issued`` blanks each."""
    ledger = custody.init_ledger(url)
    _seed(ledger)
    _receive(ledger, STOCK)
    for terminal in range(1, terminals + 1):
        custody.issue_out(
            ledger,
            box="B1",
            terminal=f"T{terminal}",
            by="li",
            receiver="chen",
            head="wang",
            count=issued,
        )
    return ledger


# --- receiving -------------------------------------------------------------------------------


def receive_sqlite(parent: Path) -> tuple[float, float]:
    folder = Path(tempfile.mkdtemp(dir=parent))
    ledger = custody.init_ledger(f"sqlite:///{folder / 'receive.sqlite3'}")
    _seed(ledger)
    ours = _receive(ledger, RECEIVED)
    ledger.engine.dispose()

    floor_path = folder / "receive-floor.sqlite3"
    custody.init_ledger(f"sqlite:///{floor_path}").engine.dispose()
    connection = _sqlite_connect(floor_path)
    connection.execute("INSERT INTO offices VALUES ('SH', '上海')")
    connection.execute("INSERT INTO certificate_types VALUES ('IL', 'x', 10, '')")
    rows = [("IL", f"{n:010d}", "B1", "in_store", "SH", 1) for n in range(1, RECEIVED + 1)]
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "INSERT INTO boxes VALUES ('IL', 'B1', 'W1', ?, ?)", (rows[0][1], rows[-1][1])
    )
    connection.executemany(
        "INSERT INTO certificates (type_code, serial, box_no, state, office_code, seq) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    connection.execute("COMMIT")
    floor = time.perf_counter() - started
    connection.close()
    return ours, floor


# --- allocate + confirm ----------------------------------------------------------------------


def _sqlite_connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, timeout=60)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        connection.execute(f"PRAGMA {pragma}")
    return connection


AT = "2026-01-01T00:00:00.000000Z"


def _append(cursor: sqlite3.Cursor, kind: str, payload: str) -> int:
    cursor.execute("SELECT seq, hash, at FROM chain_head WHERE id = 1")
    seq, previous, at = cursor.fetchone()
    at = max(at, AT)
    digest = hashlib.sha256(f"{previous}{seq + 1}{at}{kind}{payload}".encode()).hexdigest()
    cursor.execute(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq + 1, at, kind, "chen", payload, previous, digest),
    )
    cursor.execute(
        "UPDATE chain_head SET seq = ?, hash = ?, at = ? WHERE id = 1", (seq + 1, digest, at)
    )
    return int(seq) + 1


class Schedule:
    """When a worker's pairs are due: at once (``every`` 0, flat out), or one each ``every``
    seconds from ``offset`` after the first is asked for (once the worker has connected, as
    a terminal is before its clerk prints), which staggers the terminals."""

    def __init__(self, every: float, offset: float) -> None:
        self.every = every
        self.offset = offset
        self.origin: float | None = None
        self.first = 0.0
        """When the first timed pair was due: pairs per second count from there."""

    def due(self, n: int) -> float:
        """Wait until pair ``n`` is due and return when that was: the time its latency counts
        from, even when the pair before it made it late."""
        now = time.perf_counter()
        if n < 0:
            return now
        if not self.every:
            due = now
        else:
            if self.origin is None:
                self.origin = now + self.offset
            due = self.origin + n * self.every
            if due > now:
                time.sleep(due - now)
        if n == 0:
            self.first = due
        return due


def floor_pairs_sqlite(path: str, pairs: int, worker: int, schedule: Schedule) -> list[float]:
    connection = _sqlite_connect(Path(path))
    cursor = connection.cursor()
    latencies = []
    for n in range(-WARM_UP, pairs):
        started = schedule.due(n)
        cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(
            "SELECT serial FROM certificates WHERE terminal_code = ? "
            "AND state = 'with_terminal' ORDER BY type_code, serial LIMIT 1",
            (f"T{worker + 1}",),
        )
        (serial,) = cursor.fetchone()
        seq = _append(cursor, "reserved", f'{{"serial":"{serial}"}}')
        cursor.execute(
            "UPDATE certificates SET state = 'reserved', seq = ? WHERE type_code = 'IL' "
            "AND serial = ?",
            (seq, serial),
        )
        cursor.execute("COMMIT")
        cursor.execute("BEGIN IMMEDIATE")
        seq = _append(cursor, "used", f'{{"serial":"{serial}"}}')
        cursor.execute(
            "UPDATE certificates SET state = 'used', licence_no = ?, seq = ? "
            "WHERE type_code = 'IL' AND serial = ? AND state = 'reserved'",
            (f"26-{worker:02d}-{n + WARM_UP:06d}", seq, serial),
        )
        cursor.execute("COMMIT")
        if n >= 0:
            latencies.append(time.perf_counter() - started)
    return latencies


def _compiled(statement: Any) -> str:
    return str(statement.compile(dialect=make_url("postgresql+psycopg://").get_dialect()()))


_ALLOCATE = _compiled(at_once._ALLOCATE)
_USE = _compiled(at_once._USE)
"""The library's own statements on PostgreSQL, run by the bare driver: each finds the blank,
checks who acts, hashes and appends the event, and moves the head and the blank."""


def floor_pairs_postgres(url: str, pairs: int, worker: int, schedule: Schedule) -> list[float]:
    parsed = make_url(url)
    connection = psycopg.connect(
        host=parsed.host,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname=parsed.database,
        options=str(parsed.query.get("options", "")),
        autocommit=True,
    )
    cursor = connection.cursor()
    unnamed = {"type": None, "by": None}
    latencies = []
    for n in range(-WARM_UP, pairs):
        started = schedule.due(n)
        at = ledger_module.timestamp(ledger_module.utc_now())
        reserved = {"at": at, "kind": "reserved", "state": "reserved", "licence_no": None}
        cursor.execute(_ALLOCATE, {**unnamed, **reserved, "terminal": f"T{worker + 1}"})
        row = cursor.fetchone()
        assert row is not None
        licence_no = f"26-{worker:02d}-{n + WARM_UP:06d}"
        used = {"at": at, "kind": "used", "state": "used", "licence_no": licence_no}
        cursor.execute(_USE, {**unnamed, **used, "terminal": None, "serial": row[4]})
        assert cursor.fetchone() is not None
        if n >= 0:
            latencies.append(time.perf_counter() - started)
    connection.close()
    return latencies


def library_pairs(url: str, pairs: int, worker: int, schedule: Schedule) -> list[float]:
    ledger = custody.open_ledger(url)
    latencies = []
    for n in range(-WARM_UP, pairs):
        started = schedule.due(n)
        serial = custody.allocate(ledger, f"T{worker + 1}").serial
        custody.use(ledger, serial, licence_no=f"26-{worker:02d}-{n + WARM_UP:06d}")
        if n >= 0:
            latencies.append(time.perf_counter() - started)
    return latencies


Work = Callable[[str, int, int, Schedule], list[float]]
"""Allocate+confirm ``pairs`` times as worker number ``n`` when the schedule says; each pair's
seconds."""


def _timed(
    work: Work,
    url: str,
    pairs: int,
    worker: int,
    pacing: tuple[float, float],
    ready: Any,
    go: EventType,
    done: Any,
) -> None:
    ready.put(worker)
    go.wait()
    schedule = Schedule(*pacing)
    try:
        latencies = work(url, pairs, worker, schedule)
    except BaseException:
        done.put(None)  # so the parent stops waiting; the traceback is on stderr
        raise
    done.put((schedule.first, time.perf_counter(), latencies))


Run = tuple[float, list[float]]
"""Pairs per second, and every pair's latency in seconds."""


def pairs_per_second(work: Work, url: str, processes: int, pairs: int, offered: float) -> Run:
    """Allocate+confirm pairs per second from ``processes`` processes started together, and
    each pair's latency; ``offered`` pairs per second between them, or 0 for flat out."""
    context = multiprocessing.get_context("fork")
    ready, done, go = context.Queue(), context.Queue(), context.Event()
    every = processes / offered if offered else 0.0
    workers = [
        context.Process(
            target=_timed,
            args=(work, url, pairs, w, (every, every * w / processes), ready, go, done),
        )
        for w in range(processes)
    ]
    for process in workers:
        process.start()
    for _ in workers:
        ready.get()
    go.set()
    spans: list[tuple[float, float, list[float]]] = [done.get(timeout=600) for _ in workers]
    if None in spans:
        sys.exit("a worker failed")
    for process in workers:
        process.join()
        if process.exitcode:
            sys.exit(f"a worker failed (exit {process.exitcode})")
    elapsed = max(end for _, end, _ in spans) - min(start for start, _, _ in spans)
    return processes * pairs / elapsed, [seconds for *_, each in spans for seconds in each]


def sqlite_round(parent: Path, processes: int, pairs: int, offered: float = 0) -> tuple[Run, Run]:
    folder = Path(tempfile.mkdtemp(dir=parent))
    rates = []
    for name, work in (("ours", library_pairs), ("floor", floor_pairs_sqlite)):
        path = folder / f"pairs-{processes}-{name}.sqlite3"
        _stocked_ledger(f"sqlite:///{path}", processes, WARM_UP + pairs).engine.dispose()
        target = f"sqlite:///{path}" if work is library_pairs else str(path)
        rates.append(pairs_per_second(work, target, processes, pairs, offered))
    return rates[0], rates[1]


def postgres_round(
    base_url: str, processes: int, pairs: int, tag: str, offered: float = 0
) -> tuple[Run, Run]:
    rates = []
    admin = create_engine(base_url)
    for name, work in (("ours", library_pairs), ("floor", floor_pairs_postgres)):
        schema = f"custody_bench_{os.getpid()}_{tag}_{name}"
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        url = make_url(base_url).set(drivername="postgresql+psycopg")
        url = url.update_query_dict({"options": f"-csearch_path={schema}"})
        rendered = url.render_as_string(hide_password=False)
        _stocked_ledger(rendered, processes, WARM_UP + pairs).engine.dispose()
        rates.append(pairs_per_second(work, rendered, processes, pairs, offered))
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()
    return rates[0], rates[1]


def latency(name: str, rounds: list[tuple[Run, Run]], target: str) -> None:
    """p50 and p99 of every pair of every round, ours beside the floor's, in milliseconds."""
    for label, which in (("p50", 50), ("p99", 99)):
        ours, floor = (
            [seconds * 1000 for run in rounds for seconds in run[side][1]] for side in (0, 1)
        )
        report(
            f"{name} {label}",
            "ms",
            [_percentile(ours, which)],
            [_percentile(floor, which)],
            target if label == "p99" else "-",
        )


def paced(name: str, rounds: list[tuple[Run, Run]], target: str) -> None:
    """The pairs per second kept up at an offered load, then the latency at it."""
    report(name, "/s", [r[0][0] for r in rounds], [r[1][0] for r in rounds], "-")
    latency(name, rounds, target)


def _percentile(values: list[float], which: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[which - 1]


def report(name: str, unit: str, ours: list[float], floor: list[float], target: str) -> None:
    mine, base = statistics.median(ours), statistics.median(floor)
    print(
        f"{name:<42} {mine:10.2f} {unit:<9} floor {base:10.2f}   "
        f"ratio {mine / base:5.2f}   target {target}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=os.environ.get("GBT15311_TEST_POSTGRES_URL"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=300, help="allocate+confirm per process")
    parser.add_argument(
        "--paced",
        type=float,
        nargs="*",
        default=[150, 300],
        help="pairs per second offered, all terminals together (one run per rate)",
    )
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="custody-bench-"))
    try:
        received = [receive_sqlite(folder) for _ in range(arguments.rounds)]
        report(
            f"receive {RECEIVED:,} serials, SQLite",
            "s",
            [r[0] for r in received],
            [r[1] for r in received],
            "< 3 s",
        )
        for processes in (1, 2):
            rounds = [
                sqlite_round(folder, processes, arguments.pairs) for _ in range(arguments.rounds)
            ]
            name = f"allocate+confirm, SQLite, {processes} process{'es' * (processes > 1)}"
            report(name, "/s", [r[0][0] for r in rounds], [r[1][0] for r in rounds], ">= 300/s")
            if processes == 2:
                latency(f"{name}, flat out", rounds, "-")
                for offered in arguments.paced:
                    rounds = [
                        sqlite_round(folder, processes, arguments.pairs, offered)
                        for _ in range(arguments.rounds)
                    ]
                    paced(f"{name}, {offered:g}/s offered", rounds, "-")
        if arguments.postgres:
            rounds = [
                postgres_round(arguments.postgres, TERMINALS, arguments.pairs // 2, str(n))
                for n in range(arguments.rounds)
            ]
            name = "allocate+confirm, PostgreSQL, 8 terminals"
            report(name, "/s", [r[0][0] for r in rounds], [r[1][0] for r in rounds], ">= 300/s")
            latency(f"{name}, flat out", rounds, "-")
            for offered in arguments.paced:
                rounds = [
                    postgres_round(
                        arguments.postgres, TERMINALS, arguments.pairs // 2, f"p{n}", offered
                    )
                    for n in range(arguments.rounds)
                ]
                paced(f"{name}, {offered:g}/s offered", rounds, "<= 25 ms")
        else:
            print("PostgreSQL skipped: pass --postgres URL or set GBT15311_TEST_POSTGRES_URL")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
