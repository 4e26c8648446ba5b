"""The conservation identity as a property: over random histories driven by the ledger's own
state machine, on both engines, every office's flows lead from its opening to its closing
stock, and the closing stock is the ledger's balance."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule, run_state_machine_as_test
from ledgerkit import database_maker
from test_custody_stateful import LedgerMachine

import gbt15311
import gbt15311.custody.proof._source as source
from gbt15311 import custody
from gbt15311.cli import main
from gbt15311.custody.lifecycle import ON_HAND
from gbt15311.custody.reports._flows import balances
from gbt15311.custody.store._events import china_date

WORKER = Path(__file__).with_name("report_worker.py")
ROOT = Path(gbt15311.__file__).parent.parent


class DayClock:
    """One day later at every event, so that a history spans many days to split at."""

    def __init__(self) -> None:
        self.moment = datetime(2027, 1, 1, 2, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.moment += timedelta(days=1)
        return self.moment


class ReportMachine(LedgerMachine):
    def __init__(self) -> None:
        super().__init__()
        self.ledger = custody.Ledger(self.ledger.engine, DayClock())

    @rule(data=st.data())
    def a_period_conserves_blanks(self, data: st.DataObject) -> None:
        record = source.read(self.ledger)
        days = sorted({china_date(event.at) for event in record.events})
        first_day = data.draw(st.sampled_from(days), label="first day")
        for balance in balances(record.events, first_day).values():
            assert balance.holds, (balance.type, balance.office, balance.unexplained())
            assert balance.unexplained() == []

    @invariant()
    def the_closing_stock_is_the_ledgers_balance(self) -> None:
        record = source.read(self.ledger)
        for (type_code, office), balance in balances(record.events, date(2027, 1, 1)).items():
            states = custody.stock(self.ledger, office=office).get(type_code, Counter())
            assert len(balance.closing) == sum(states[state] for state in ON_HAND)

    def teardown(self) -> None:
        self.a_report_is_reproduced_from_the_same_events()
        super().teardown()

    def a_report_is_reproduced_from_the_same_events(self) -> None:
        """The annual report's PDF built here, and again in another process whose clock is
        400 days ahead, is the same to the byte (once per history: a process costs a second)."""
        url = self.ledger.engine.url.render_as_string(hide_password=False)
        with tempfile.TemporaryDirectory(prefix="custody-report-") as folder:
            here, there = Path(folder, "here.pdf"), Path(folder, "there.pdf")
            args = ["custody", "report", "--db", url, "annual", "--year", "2027"]
            result = CliRunner().invoke(main, [*args, "--office", "SH", "-o", str(here)])
            assert result.exit_code == 0, result.output
            later = subprocess.run(
                [sys.executable, str(WORKER), "400", *args, "--office", "SH", "-o", str(there)],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                check=False,
            )
            assert later.returncode == 0, later.stderr
            assert here.read_bytes() == there.read_bytes()


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_flows_conserve_blanks_over_random_histories(
    engine: str, request: pytest.FixtureRequest
) -> None:
    ReportMachine.make_database = staticmethod(database_maker(engine, request, "custody-reports-"))
    run_state_machine_as_test(
        ReportMachine,
        settings=settings(
            max_examples=10,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
