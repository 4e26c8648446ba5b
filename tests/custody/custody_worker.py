"""A separate process working on a ledger, for the concurrency and crash tests.

python custody_worker.py URL allocate-use TERMINAL COUNT WORKER
    allocates and uses COUNT blanks; prints each serial used
python custody_worker.py URL reserve-and-hang TERMINAL
    reserves one blank, prints its serial, then waits to be killed
python custody_worker.py URL hang-in-transaction TERMINAL
    starts a loss report and, holding the write lock, waits to be killed
python custody_worker.py URL add-offices PREFIX COUNT
    registers COUNT offices PREFIX1, PREFIX2, ... with Chinese names
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

from gbt15311 import custody
from gbt15311.custody.store._ledger import Ledger


def _hang() -> datetime:
    print("in transaction", flush=True)
    time.sleep(600)
    return datetime.now(UTC)


def main(url: str, mode: str, *args: str) -> None:
    ledger = custody.open_ledger(url)
    if mode == "allocate-use":
        terminal, count, worker = args[0], int(args[1]), int(args[2])
        for n in range(count):
            serial = custody.allocate(ledger, terminal).serial
            custody.use(ledger, serial, licence_no=f"26-{worker:02d}-{n:06d}")
            print(serial, flush=True)
    elif mode == "reserve-and-hang":
        print(custody.allocate(ledger, args[0]).serial, flush=True)
        time.sleep(600)
    elif mode == "hang-in-transaction":
        hanging = Ledger(ledger.engine, clock=_hang)
        serial = custody.allocate(ledger, args[0]).serial
        custody.report_loss(hanging, [serial], by="li", note="never written")
    elif mode == "add-offices":
        prefix, count = args[0], int(args[1])
        for n in range(1, count + 1):
            name = f'{prefix}第{n}号办事处「测试」"引号" \\ 😀'
            custody.add_office(ledger, f"{prefix}{n}", name, by="wang")


if __name__ == "__main__":
    main(*sys.argv[1:])
