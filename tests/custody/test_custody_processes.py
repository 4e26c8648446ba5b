"""Several processes at once, and processes killed mid-operation, on both engines."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from ledgerkit import give, receive
from sqlalchemy import select

import gbt15311
from gbt15311 import custody
from gbt15311.custody.store._schema import events

WORKER = Path(__file__).with_name("custody_worker.py")
ROOT = Path(gbt15311.__file__).parent.parent


def start(url: str, *args: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )


def test_concurrent_allocation_never_hands_out_a_serial_twice(
    ledger: custody.Ledger, engine_url: str
) -> None:
    receive(ledger, "B1", 1, 200)
    give(ledger, "B1", count=160)
    before = custody.verify(ledger).events
    workers, each = 4, 40
    processes = [start(engine_url, "allocate-use", "T1", str(each), str(w)) for w in range(workers)]
    used: list[str] = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        used.extend(out.split())
    assert len(used) == len(set(used)) == workers * each
    assert set(used) == {f"{n:08d}" for n in range(1, 161)}
    assert custody.open_reservations(ledger) == []
    assert custody.stock(ledger)["IL"]["used"] == 160
    assert custody.verify(ledger).events == before + 2 * workers * each


def test_concurrent_writers_keep_one_chain_that_verifies_and_never_goes_back_in_time(
    ledger: custody.Ledger, engine_url: str
) -> None:
    """Appends racing for the head, with and without a blank to move, and Chinese text: on
    PostgreSQL the database hashes them and ``verify`` recomputes every hash in Python."""
    receive(ledger, "B1", 1, 200)
    give(ledger, "B1", count=100)
    before = custody.verify(ledger).events
    processes = [start(engine_url, "allocate-use", "T1", "25", str(w)) for w in range(4)]
    processes += [start(engine_url, "add-offices", f"办{w}-", "25") for w in range(2)]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert custody.verify(ledger).events == before + 4 * 2 * 25 + 2 * 25
    with ledger.read() as connection:
        times = list(connection.execute(select(events.c.at).order_by(events.c.seq)).scalars())
    assert times == sorted(times)


def test_a_crash_between_reserve_and_use_leaves_the_reservation_listed(
    stocked: custody.Ledger, engine_url: str
) -> None:
    process = start(engine_url, "reserve-and-hang", "T1")
    assert process.stdout is not None
    serial = process.stdout.readline().strip()
    process.send_signal(signal.SIGKILL)
    process.wait()
    custody.verify(stocked)
    assert [(r.serial, r.terminal) for r in custody.open_reservations(stocked)] == [(serial, "T1")]
    assert custody.allocate(stocked, "T1").serial != serial


def test_a_crash_inside_a_transaction_writes_nothing(
    stocked: custody.Ledger, engine_url: str
) -> None:
    process = start(engine_url, "hang-in-transaction", "T1")
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "in transaction"
    process.send_signal(signal.SIGKILL)
    process.wait()
    verified = custody.verify(stocked)
    assert custody.stock(stocked)["IL"]["lost"] == 0
    assert len(custody.open_reservations(stocked)) == 1
    custody.report_loss(stocked, ["00000100"], by="li", note="the lock was released")
    assert custody.verify(stocked).events == verified.events + 1


def test_a_worker_killed_while_printing_leaves_a_verifiable_ledger(
    stocked: custody.Ledger, engine_url: str
) -> None:
    process = start(engine_url, "allocate-use", "T1", "10", "1")
    assert process.stdout is not None
    process.stdout.readline()
    process.send_signal(signal.SIGKILL)
    process.wait()
    custody.verify(stocked)
    for reservation in custody.open_reservations(stocked):
        custody.void(stocked, reservation.serial, reason="misprint", by="chen")
    assert custody.open_reservations(stocked) == []
    custody.verify(stocked)


def test_verify_while_terminals_print_always_sees_one_consistent_moment(
    ledger: custody.Ledger, engine_url: str
) -> None:
    """``verify`` reads the chain, its head and the state tables; writers appending meanwhile
    must not make the head or the state look ahead of the chain it read."""
    receive(ledger, "B1", 1, 200)
    give(ledger, "B1", count=120)
    processes = [start(engine_url, "allocate-use", "T1", "40", str(w)) for w in range(3)]
    processes.append(start(engine_url, "add-offices", "V", "40"))
    verified: list[int] = []
    while any(process.poll() is None for process in processes) or not verified:
        verified.append(custody.verify(ledger).events)
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert len(verified) > 3
    assert verified == sorted(verified)
