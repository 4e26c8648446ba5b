"""A separate process issuing one licence, for the test that two processes print it once.

python issue_worker.py URL LICENCE_NO JOBS_FILE READY_FOLDER NAME

Once every worker has written its file in READY_FOLDER (two of them), issues the licence at
terminal T1 with a printer that takes a second and appends one line to JOBS_FILE; prints
``printed SERIAL`` or ``already SERIAL``.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gbt15311 import custody

WORKERS = 2


@dataclass(frozen=True)
class Licence:
    licence_no: str


def main(url: str, licence_no: str, jobs: str, ready: str, name: str) -> None:
    ledger = custody.open_ledger(url)

    def render(licence: Any, /, *, serial: str) -> bytes:
        return f"{licence.licence_no} on {serial} by {name}\n".encode()

    def slow_printer(data: bytes) -> None:
        time.sleep(1)
        with open(jobs, "ab") as out:
            out.write(data)

    Path(ready, name).touch()
    while len(list(Path(ready).iterdir())) < WORKERS:
        time.sleep(0.01)
    try:
        issued = custody.issue_licence(
            ledger, Licence(licence_no), terminal="T1", printer=slow_printer, render=render
        )
    except custody.AlreadyIssued as refusal:
        print(f"already {refusal.serial}", flush=True)
        return
    print(f"printed {issued.serial}", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
