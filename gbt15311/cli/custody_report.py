"""``gbt15311 custody report``: the custody rules' paperwork, from the ledger's events.

Every report reads the events up to ``--until`` (a date, or ``#SEQ``) and nothing after, so
the same command gives the same figures, and the same PDF bytes, years later. Registers go
to ``-o FILE.pdf``; a short summary goes to stdout. Commands that find something out of order
exit with status 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import click

import gbt15311.custody.proof._source as source
import gbt15311.custody.reports._annual as annual
import gbt15311.custody.reports._deadlines as deadlines
import gbt15311.custody.reports._export as export
import gbt15311.custody.reports._forecast as forecast
import gbt15311.custody.reports._pdf as pdf
import gbt15311.custody.reports._reconciliation as reconciliation
import gbt15311.custody.reports._registers as registers
import gbt15311.custody.reports._retention as retention
import gbt15311.custody.reports._selfcheck as selfcheck
import gbt15311.custody.reports._settlement as settlement
import gbt15311.custody.reports._unaccounted as unaccounted
import gbt15311.custody.reports._words as words
from gbt15311.cli.ledger_option import LEDGER_URL, LedgerGroup
from gbt15311.custody.lifecycle import YEARS, YEARS_SPAN
from gbt15311.custody.proof._source import Cutoff, Record
from gbt15311.custody.store._events import CHINA
from gbt15311.custody.store._ledger import open_ledger
from gbt15311.custody.workdays import default_calendar
from gbt15311.exceptions import Gbt15311Error

F = TypeVar("F", bound=Callable[..., Any])


class _Day(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2
    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a date written as 2026-03-31", param, ctx)
        if day.year not in YEARS:
            self.fail(f"{value!r} is not a day of the years {YEARS_SPAN}", param, ctx)
        return day


class _Cutoff(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2
    name = "cutoff"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> date | int:
        if isinstance(value, date | int):
            return value
        try:
            return source.parse_cutoff(str(value))
        except Gbt15311Error as error:
            self.fail(str(error), param, ctx)


DAY = _Day()


@dataclass(frozen=True)
class _Settings:
    url: str | None
    schedules: tuple[Path, ...]

    def record(self, cutoff: Cutoff) -> Record:
        return source.read(open_ledger(self.url), cutoff)


_pass = click.make_pass_decorator(_Settings)


def _today() -> date:
    return datetime.now(CHINA).date()


def _until(command: F) -> F:
    return click.option(
        "--until",
        "cutoff",
        type=_Cutoff(),
        metavar="DATE|#SEQ",
        help="Read the events up to the end of this day (China time) or this event number. "
        "Default: every event.",
    )(command)


def _office(command: F) -> F:
    return click.option("--office", metavar="OFFICE", help="The office, if several.")(command)


def _output(command: F) -> F:
    return click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        help="The PDF to write.",
    )(command)


def write_sheets(
    output: Path, sheets: Sequence[pdf.Sheet], record: Record, cutoff: Cutoff, title: str
) -> None:
    """Write ``sheets`` as one PDF/A pinned to ``record``, and say so on stdout."""
    label = (
        "every event"
        if cutoff is None
        else (f"#{cutoff}" if isinstance(cutoff, int) else cutoff.isoformat())
    )
    data = pdf.render(sheets, pdf.Pin(record.seq, record.head, label), title=title)
    try:
        output.write_bytes(data)
    except OSError as error:
        raise click.FileError(str(output), error.strerror) from None
    click.echo(f"{output}: {title}, event #{record.seq}, head {record.head}")


SCHEDULES = click.option(
    "--schedule",
    "schedules",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A holiday schedule file for a year chinesecalendar does not know; repeatable.",
)
"""``--schedule FILE``: the working days of a year the calendar package does not know."""


@click.group(cls=LedgerGroup)  # reports errors when run on its own, too
@click.option(
    "--db",
    metavar="URL",
    type=LEDGER_URL,
    help="Ledger database URL, before or after the report's name (default: as for `custody`).",
)
@SCHEDULES
@click.pass_context
def report(ctx: click.Context, db: str | None, schedules: tuple[Path, ...]) -> None:
    """The custody rules' registers and reports, as of a cut-off."""
    parent = getattr(ctx.obj, "url", None)
    ctx.obj = _Settings(db if db is not None else parent, schedules)


@report.command("deadlines")
@_until
@click.option("--on", "day", type=DAY, help="Whose deadlines have passed on this day (today).")
@click.option(
    "--collected",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File of licence numbers already collected (one per line), left out of the list.",
)
@click.option("--needed-by", type=DAY, help="A supplementary order's blanks are needed by…")
@click.option("--requested-on", type=DAY, help="A supplementary order reached the bureau on…")
@_pass
def deadlines_(
    settings: _Settings,
    cutoff: Cutoff,
    day: date | None,
    collected: Path | None,
    needed_by: date | None,
    requested_on: date | None,
) -> None:
    """Working-day deadlines: licences due for revocation, supplementary orders (Art. 6, 14, 26)."""
    calendar = default_calendar(settings.schedules)
    today = day or _today()
    if needed_by is not None:
        click.echo(
            f"supplementary order for {needed_by}: file by "
            f"{deadlines.supplementary_order(needed_by, calendar)} (Art. 6)"
        )
    if requested_on is not None:
        click.echo(
            f"supplementary order received {requested_on}: ship by "
            f"{deadlines.supplementary_shipment(requested_on, calendar)} (Art. 14)"
        )
    if needed_by is not None or requested_on is not None:
        return
    done = frozenset(_lines(collected)) if collected else frozenset()
    found = deadlines.collection(settings.record(cutoff), calendar, done)
    overdue = 0
    for item in found:
        late = item.overdue(today)
        overdue += late
        mark = "REVOKE if not collected" if late else "collect by"
        click.echo(
            f"{item.licence_no}\t{item.type} {item.serial}\tissued {item.issued_on}\t"
            f"{mark} {item.deadline}"
        )
    if overdue:
        click.echo(f"{overdue} licences past their collection deadline on {today}", err=True)
        sys.exit(1)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").split()
    except (OSError, UnicodeDecodeError) as error:
        raise click.FileError(str(path), str(error)) from None


@report.command()
@click.option("--shipment", required=True, metavar="WAYBILL")
@_until
@_output
@_pass
def receipt(settings: _Settings, shipment: str, cutoff: Cutoff, output: Path) -> None:
    """附件2: the receipt of a shipment, three copies (Art. 17)."""
    record = settings.record(cutoff)
    write_sheets(output, registers.receipt(record, shipment), record, cutoff, f"签收单 {shipment}")


@report.command("ledger")
@click.option("--from", "first_day", type=DAY, required=True, help="First day of the period.")
@click.option("--to", "last_day", type=DAY, required=True, help="Last day of the period.")
@click.option("--type", "type_code", metavar="TYPE", help="Certificate type, if several.")
@_office
@_until
@_output
@_pass
def ledger_(
    settings: _Settings,
    first_day: date,
    last_day: date,
    type_code: str | None,
    office: str | None,
    cutoff: Cutoff,
    output: Path,
) -> None:
    """附件3: the in/out ledger of an office's store (Art. 21, 23)."""
    if last_day < first_day:
        raise click.BadParameter(f"{last_day} comes before {first_day}", param_hint="--to")
    record = settings.record(cutoff).through(last_day)
    sheet = registers.in_out_ledger(record, office, type_code, first_day, last_day)
    write_sheets(output, [sheet], record, cutoff, "进、出库台账登记表")


@report.command("annual")
@click.option("--year", type=click.IntRange(YEARS.start, YEARS[-1]), required=True)
@_office
@_until
@_output
@_pass
def annual_(
    settings: _Settings, year: int, office: str | None, cutoff: Cutoff, output: Path
) -> None:
    """附件4: the annual usage report, due by the end of January (Art. 33)."""
    found = annual.annual_usage(settings.record(cutoff), year, office)
    for balance in found.balances:
        figures = ", ".join(f"{term} {balance.count(term)}" for term in annual.TERMS)
        click.echo(f"{balance.type}: {figures}")
    click.echo(f"due to the bureau by {found.due} (Art. 33)")
    write_sheets(output, [annual.sheet(found)], found.record, cutoff, f"使用情况登记表 {year}")


@report.command()
@_office
@_until
@_output
@_pass
def expired(settings: _Settings, office: str | None, cutoff: Cutoff, output: Path) -> None:
    """附件5: blanks of an expired edition, sealed and destroyed (Art. 34)."""
    record = settings.record(cutoff)
    sheet = registers.sealing_register(record, office, expired=True)
    write_sheets(output, [sheet], record, cutoff, "过期空白证书封存/销毁登记表")


@report.command()
@_office
@_until
@_output
@_pass
def voids(settings: _Settings, office: str | None, cutoff: Cutoff, output: Path) -> None:
    """附件6: voids, sealed and destroyed (Art. 35)."""
    record = settings.record(cutoff)
    sheet = registers.sealing_register(record, office, expired=False)
    write_sheets(output, [sheet], record, cutoff, "废证封存/销毁登记表")


@report.command()
@click.option("--quarter", required=True, metavar="YYYYQN", help="e.g. 2026Q1.")
@click.option(
    "--counts",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The physical count (TOML); default: the counts recorded with `custody count`.",
)
@_office
@_until
@_output
@_pass
def reconcile(
    settings: _Settings,
    quarter: str,
    counts: Path | None,
    office: str | None,
    cutoff: Cutoff,
    output: Path,
) -> None:
    """Quarterly count against the ledger, and the discrepancy report (Art. 31-32)."""
    period = reconciliation.Quarter.parse(quarter)
    found = reconciliation.reconcile(
        settings.record(cutoff),
        period,
        office,
        reconciliation.load_counts(counts) if counts else None,
    )
    for balance in found.balances:
        state = "holds" if balance.holds else "DOES NOT HOLD"
        click.echo(
            f"{balance.type}: opening {len(balance.opening)}, closing {len(balance.closing)}; "
            f"identity {state}"
        )
    for item in found.compared:
        click.echo(
            f"{item.type} {item.place} {item.box or ''}: counted {item.counted}, "
            f"ledger {item.expected}"
        )
    for type_code, place, number in found.uncounted:
        click.echo(f"{type_code} {place}: NOT COUNTED ({number} in the ledger)")
    write_sheets(
        output, reconciliation.sheets(found), found.record, cutoff, f"季度清点核对 {period}"
    )
    if not found.in_order:
        click.echo("out of order: find the cause and report to the bureau (Art. 32)", err=True)
        sys.exit(1)


def _margin(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise click.BadParameter(f"{text!r} is not a percentage", param_hint="--margin") from None
    if not 0 <= value <= 100:
        raise click.BadParameter(f"{text} is not between 0 and 100", param_hint="--margin")
    return value / 100


def _forecast_options(command: F) -> F:
    for option in reversed(
        (
            click.option(
                "--on",
                "day",
                type=DAY,
                required=True,
                help="The day of the forecast: events up to its end.",
            ),
            click.option("--margin", default="10", show_default=True, help="Safety margin, %."),
            click.option("--needed-by", type=DAY, help="For a supplementary order: needed by."),
            _office,
        )
    ):
        command = option(command)
    return command


def _forecast(
    settings: _Settings, day: date, margin: str, needed_by: date | None, office: str | None
) -> forecast.Forecast:
    return forecast.forecast(
        settings.record(day),
        day,
        office,
        margin=_margin(margin),
        needed_by=needed_by,
        calendar=default_calendar(settings.schedules),
    )


@report.command("forecast")
@_forecast_options
@_pass
def forecast_(
    settings: _Settings, day: date, margin: str, needed_by: date | None, office: str | None
) -> None:
    """The suggested annual order per type, with the reasoning (Art. 5)."""
    found = _forecast(settings, day, margin, needed_by, office)
    for item in found.types:
        for line in forecast.reasoning(found, item):
            click.echo(line)
    if found.file_by is not None:
        click.echo(f"supplementary order needed by {found.needed_by}: file by {found.file_by}")


@report.command()
@_forecast_options
@_output
@_pass
def demand(
    settings: _Settings,
    day: date,
    margin: str,
    needed_by: date | None,
    office: str | None,
    output: Path,
) -> None:
    """附件1: the demand report, filled from the forecast (Art. 6-7)."""
    found = _forecast(settings, day, margin, needed_by, office)
    for item in found.types:
        click.echo(f"{item.type}: request {item.suggested}")
    write_sheets(output, [forecast.sheet(found)], found.record, day, f"需求量报送单 {found.year}")


@report.command("selfcheck")
@_until
@click.option("--on", "day", type=DAY, help="The day of the check (default: today).")
@_output
@_pass
def selfcheck_(settings: _Settings, cutoff: Cutoff, day: date | None, output: Path) -> None:
    """The inspection self-check over the seven points of Art. 37 (exit 1 on problems)."""
    as_of = day or (cutoff if isinstance(cutoff, date) else _today())
    found = selfcheck.self_check(
        open_ledger(settings.url), cutoff, as_of, default_calendar(settings.schedules)
    )
    for point in found.points:
        click.echo(f"{point.en}: {'PROBLEMS' if point.problems else 'in order'}")
        for problem in point.problems:
            click.echo(f"  ! {problem}")
        for reminder in point.reminders:
            click.echo(f"  ? {reminder}")
    write_sheets(output, [selfcheck.sheet(found)], found.record, cutoff, "自查表")
    if not found.in_order:
        sys.exit(1)


@report.command("retention")
@_until
@click.option("--on", "day", type=DAY, help="The day to judge retention on (default: today).")
@_office
@_pass
def retention_(settings: _Settings, cutoff: Cutoff, day: date | None, office: str | None) -> None:
    """What must be kept, and from when it may be destroyed (Art. 17, 34, 35)."""
    today = day or (cutoff if isinstance(cutoff, date) else _today())
    for holding in retention.holdings(settings.record(cutoff)):
        if office is not None and holding.office != office:
            continue
        since = f"since {holding.since}" if holding.since else ""
        click.echo(
            f"{holding.kind}\t{holding.office}\t{holding.what}\t{holding.count}\t{since}\t"
            f"{holding.status(today)}"
        )


@report.command("settle")
@click.option("--on", "day", type=DAY, help="The day to settle (default: today, China time).")
@click.option("--terminal", metavar="TERMINAL", help="One terminal (default: every terminal).")
@_office
@_output
@_pass
def settle_(
    settings: _Settings, day: date | None, terminal: str | None, office: str | None, output: Path
) -> None:
    """日结: each terminal's day, drawn = used + voided + returned + on hand (exit 1 on a
    difference)."""
    on = day or _today()
    record = settings.record(on)
    found = settlement.settle(record, on, office, terminal)
    for item in found.days:
        figures = ", ".join(f"{term} {item.count(term)}" for term in settlement.TERMS)
        state = "balanced" if item.difference == 0 else f"DIFFERENCE {item.difference:+d}"
        click.echo(f"{item.terminal}\t{item.type}\tdrawn {item.drawn}: {figures}; {state}")
        if item.reserved:
            click.echo(f"  ? reserved, open: {' '.join(item.reserved)}")
        for serial, seq, kind in item.unnamed:
            click.echo(f"  ! {serial}: moved by event #{seq} ({kind}), which no term names")
    write_sheets(output, [settlement.sheet(found)], record, on, f"日结 {found.office} {on}")
    if not found.in_order:
        click.echo("a difference: find the cause (Art. 32)", err=True)
        sys.exit(1)


@report.command("unaccounted")
@_output
@_pass
def unaccounted_(settings: _Settings, output: Path) -> None:
    """Every serial received whose fate is not recorded, per type and box (exit 1 if any)."""
    found = unaccounted.unaccounted(open_ledger(settings.url))
    for span in found.spans:
        fates = ", ".join(f"{fate} {span.fates[fate]}" for fate in unaccounted.FATES)
        where = f"{span.box} {span.first}..{span.last}" if span.box else "outside every box"
        click.echo(f"{span.type}\t{where}\t{fates}; unaccounted {span.count}")
        fmt = found.formats[span.type]
        for cause, serials in span.unaccounted.items():
            ranges = " ".join(words.serial_ranges(fmt, serials).split("\n"))
            click.echo(f"  ! {cause}: {ranges}")
    write_sheets(output, [unaccounted.sheet(found)], found.record, None, "流水号去向核查表")
    if not found.in_order:
        click.echo("serials unaccounted for: find their fate and report it (Art. 30, 32)", err=True)
        sys.exit(1)


@report.command("export")
@click.option("--from", "first_day", type=DAY, required=True, help="First day of the period.")
@click.option("--to", "last_day", type=DAY, required=True, help="Last day of the period.")
@_office
@click.option(
    "--format",
    "form",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="JSON, or CSV with a header row.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The file to write.",
)
@_pass
def export_(
    settings: _Settings,
    first_day: date,
    last_day: date,
    office: str | None,
    form: str,
    output: Path,
) -> None:
    """A period's receipts, uses, voids, losses and destructions, for the central system."""
    found = export.export(settings.record(last_day), first_day, last_day, office)
    text = found.json() if form == "json" else found.csv()
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise click.FileError(str(output), error.strerror) from None
    figures = ", ".join(f"{what} {number}" for what, number in found.totals().items())
    click.echo(f"{output}: {len(found.lines)} records ({figures})")
    click.echo(f"ledger event #{found.record.seq}, head {found.record.head}")
