"""Runs ``gbt15311`` in a process of its own whose clock is DAYS days ahead, for the test
that a report depends on its events alone, not on when or where it is built.

python report_worker.py DAYS ARGS...    runs ``gbt15311 ARGS...``
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from typing import Any


def run_ahead(days: int) -> None:
    """Move this process's clocks ``days`` ahead: ``time.time`` (and so ``date.today``),
    ``time.localtime``/``gmtime`` without an argument, and ``datetime.now``, before the
    library is imported."""
    ahead = days * 86_400
    real_time, real_localtime, real_gmtime = time.time, time.localtime, time.gmtime
    time.time = lambda: real_time() + ahead
    time.localtime = lambda secs=None: real_localtime(time.time() if secs is None else secs)
    time.gmtime = lambda secs=None: real_gmtime(time.time() if secs is None else secs)

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return super().now(tz) + dt.timedelta(days=days)

    dt.datetime = Later  # type: ignore[misc]


if __name__ == "__main__":
    run_ahead(int(sys.argv[1]))
    from gbt15311.cli import main

    main(sys.argv[2:])
