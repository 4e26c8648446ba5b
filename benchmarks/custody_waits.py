"""What allocate+confirm waits for on PostgreSQL: the lock on the chain head, or a core.

    .venv/bin/python benchmarks/custody_waits.py --postgres URL [--terminals 1 2 8]

Runs ``custody.py``'s PostgreSQL round (the library, then the bare driver doing the same
statements) at each number of terminals, while a thread samples ``pg_stat_activity`` every
2 ms: the share of active server backends waiting for a lock (``Lock``: the chain head row,
held by each append until its commit is flushed), flushing the WAL (``IO``), or running.
Prints pairs per second and p50 / p99 beside the floor's, then the samples.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections import Counter

from custody import Run, _percentile, postgres_round
from sqlalchemy import create_engine, text

_ACTIVITY = text(
    "SELECT state, coalesce(wait_event_type, '-'), coalesce(wait_event, '-') "
    "FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
)


def _sample(url: str, samples: Counter[tuple[str, str, str]], stop: threading.Event) -> None:
    engine = create_engine(url)
    with engine.connect() as connection:
        while not stop.is_set():
            for state, kind, event in connection.execute(_ACTIVITY):
                samples[(state, kind, event)] += 1
            connection.rollback()
            time.sleep(0.002)
    engine.dispose()


def _figures(run: Run) -> str:
    milliseconds = [seconds * 1000 for seconds in run[1]]
    return (
        f"{run[0]:.0f}/s, p50 {_percentile(milliseconds, 50):.1f} "
        f"p99 {_percentile(milliseconds, 99):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=os.environ.get("GBT15311_TEST_POSTGRES_URL"))
    parser.add_argument("--terminals", type=int, nargs="+", default=[1, 2, 8])
    parser.add_argument("--pairs", type=int, default=150, help="allocate+confirm per terminal")
    arguments = parser.parse_args()
    if not arguments.postgres:
        raise SystemExit("pass --postgres URL or set GBT15311_TEST_POSTGRES_URL")
    for terminals in arguments.terminals:
        samples: Counter[tuple[str, str, str]] = Counter()
        stop = threading.Event()
        sampler = threading.Thread(target=_sample, args=(arguments.postgres, samples, stop))
        sampler.start()
        ours, floor = postgres_round(arguments.postgres, terminals, arguments.pairs, "waits")
        stop.set()
        sampler.join()
        print(f"{terminals} terminals: library {_figures(ours)}; floor {_figures(floor)}")
        active = sum(n for (state, *_), n in samples.items() if state == "active")
        for (state, kind, event), n in samples.most_common():
            if state == "active":
                print(f"    {kind:<8} {event:<24} {100 * n / active:5.1f} % of active samples")


if __name__ == "__main__":
    main()
