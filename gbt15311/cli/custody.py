"""``gbt15311 custody``: the custody ledger for stock keepers, checkers and print terminals.

Each command is one library call; the library decides what the rules allow. Commands that
act take ``--by PERSON``. Output is plain text for people, except ``allocate``, whose stdout
is the reserved serial alone so that print scripts can capture it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import click

import gbt15311.custody.operations._disposal as disposal
import gbt15311.custody.reports._cover as cover
import gbt15311.custody.store._database as database
from gbt15311 import custody as api
from gbt15311.cli.custody_report import DAY, SCHEDULES, report, write_sheets
from gbt15311.cli.ledger_option import LEDGER_URL, LedgerGroup
from gbt15311.custody import lifecycle
from gbt15311.custody.store._events import CHINA, china_time, dumps
from gbt15311.custody.store._serials import SerialFormat
from gbt15311.custody.workdays import default_calendar
from gbt15311.exceptions import LedgerCorrupt


@dataclass(frozen=True)
class _Settings:
    url: str | None

    def ledger(self) -> api.Ledger:
        return api.open_ledger(self.url)


_pass_settings = click.make_pass_decorator(_Settings)
_by = click.option("--by", required=True, metavar="PERSON", help="Who does this.")
_type = click.option("--type", "type_code", metavar="TYPE", help="Certificate type, if several.")
_terminal_check = click.option(
    "--terminal", metavar="TERMINAL", help="Refuse unless the blank is in this terminal's custody."
)


@click.group(cls=LedgerGroup)
@click.option(
    "--db",
    metavar="URL",
    type=LEDGER_URL,
    envvar=database.ENV_VAR,
    help="Ledger database URL (sqlite:///PATH or postgresql://...), before or after the "
    "command. Default: $GBT15311_DB, else custody.sqlite3 in the user data directory.",
)
@click.pass_context
def custody(ctx: click.Context, db: str | None) -> None:
    """Keep custody of the blank certificates: receive, issue, allocate, use, void, verify."""
    ctx.obj = _Settings(db)


@custody.command()
@_pass_settings
def init(settings: _Settings) -> None:
    """Create the ledger database, or migrate it to this version."""
    ledger = api.init_ledger(settings.url)
    click.echo(f"custody ledger ready at {ledger.engine.url.render_as_string(hide_password=True)}")


@custody.command("add-person")
@click.argument("code")
@click.option("--name", required=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(api.ROLES),
    help="Repeat for several roles.",
)
@click.option("--office", metavar="OFFICE")
@_by
@_pass_settings
def add_person(
    settings: _Settings, code: str, name: str, roles: tuple[str, ...], office: str | None, by: str
) -> None:
    """Register a person CODE with roles; the first person is a head registering themselves."""
    api.add_person(settings.ledger(), code, name, roles, by=by, office=office)
    where = f" of office {office}" if office else ""
    click.echo(f"person {code} ({name}){where} registered as {', '.join(sorted(set(roles)))}")


@custody.command("add-office")
@click.argument("code")
@click.option("--name", required=True)
@_by
@_pass_settings
def add_office(settings: _Settings, code: str, name: str, by: str) -> None:
    """Register an issuing office CODE."""
    api.add_office(settings.ledger(), code, name, by=by)
    click.echo(f"office {code} ({name}) registered")


@custody.command("add-terminal")
@click.argument("code")
@click.option("--office", required=True, metavar="OFFICE")
@click.option("--name", required=True)
@_by
@_pass_settings
def add_terminal(settings: _Settings, code: str, office: str, name: str, by: str) -> None:
    """Register a print terminal CODE of an office."""
    api.add_terminal(settings.ledger(), code, name, office=office, by=by)
    click.echo(f"terminal {code} ({name}) of office {office} registered")


@custody.command("add-type")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--width", required=True, type=int, help="Digits in a serial number.")
@click.option("--prefix", default="", help="Letters before the digits, if any.")
@_by
@_pass_settings
def add_type(settings: _Settings, code: str, name: str, width: int, prefix: str, by: str) -> None:
    """Register a certificate type CODE and how its serials are written."""
    api.add_type(settings.ledger(), code, name, serial_width=width, prefix=prefix, by=by)
    first = SerialFormat(prefix, width).format(1)
    click.echo(f"certificate type {code} ({name}) registered: serials like {first}")


@custody.command()
@click.option("--office", required=True, metavar="OFFICE")
@click.option("--shipment", required=True, metavar="WAYBILL")
@click.option(
    "--box",
    "box_specs",
    multiple=True,
    metavar="BOX=FIRST..LAST",
    help="A box and its serial range; repeat for each box.",
)
@click.option(
    "--scanned",
    "scan_specs",
    multiple=True,
    metavar="BOX=FILE",
    help="A box from a scan of its sheets (one serial a line): the first and the last, or "
    "every sheet in order; a gap, repeat or disorder seals the box.",
)
@click.option("--checker", "checkers", multiple=True, required=True, metavar="PERSON")
@click.option("--missing", multiple=True, metavar="SERIAL", help="A serial not in its box.")
@click.option("--damaged", multiple=True, metavar="BOX", help="A box with damaged packing.")
@click.option(
    "--waybill-count",
    "waybill_counts",
    multiple=True,
    metavar="BOX=N",
    help="The count on the waybill for a box, when it differs from the range.",
)
@click.option("--head", metavar="PERSON", help="The head signing the inspection record.")
@click.option("--note", default="")
@_type
@_by
@_pass_settings
def receive(
    settings: _Settings,
    office: str,
    shipment: str,
    box_specs: tuple[str, ...],
    scan_specs: tuple[str, ...],
    checkers: tuple[str, ...],
    missing: tuple[str, ...],
    damaged: tuple[str, ...],
    waybill_counts: tuple[str, ...],
    head: str | None,
    note: str,
    type_code: str | None,
    by: str,
) -> None:
    """Register a shipment's boxes into an office's store, checked by two or more people."""
    counts = {box: _number(count, "--waybill-count") for box, count in _pairs(waybill_counts)}
    found = []
    for box_no, span in _pairs(box_specs):
        first, _, last = span.partition("..")
        if not last:
            raise click.BadParameter(
                f"{box_no}={span}: write the range as FIRST..LAST", param_hint="--box"
            )
        found.append(
            api.Box(
                box_no,
                first,
                last,
                type=type_code,
                missing=[serial for serial in missing if first <= serial <= last],
                packing_damaged=box_no in damaged,
                waybill_count=counts.get(box_no),
            )
        )
    found += _scanned_boxes(scan_specs, type_code, missing, damaged, counts)
    if not found:
        raise click.UsageError("name each box: --box BOX=FIRST..LAST or --scanned BOX=FILE")
    receipt = api.receive_shipment(
        settings.ledger(),
        office=office,
        shipment=shipment,
        boxes_found=found,
        checkers=checkers,
        by=by,
        head=head,
        note=note,
    )
    click.echo(f"shipment {shipment}: {receipt.received} blanks received")
    for box_no in receipt.sealed_boxes:
        click.echo(f"box {box_no} SEALED: return it to the bureau with the inspection record")


def _scanned_boxes(
    specs: tuple[str, ...],
    type_code: str | None,
    missing: tuple[str, ...],
    damaged: tuple[str, ...],
    counts: dict[str, int],
) -> list[api.Box]:
    """The boxes of ``--scanned BOX=FILE``, each from its scan file."""
    found = []
    for box_no, name in _pairs(specs):
        path = Path(name)
        try:
            sheets = path.read_text(encoding="utf-8-sig").split()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise click.BadParameter(f"{name}: {reason}", param_hint="--scanned") from None
        box = api.Box.scan(
            box_no,
            sheets,
            type=type_code,
            packing_damaged=box_no in damaged,
            waybill_count=counts.get(box_no),
        )
        found.append(replace(box, missing=[s for s in missing if box.first <= s <= box.last]))
    return found


@custody.command()
@click.option("--box", required=True, metavar="BOX")
@click.option("--terminal", required=True, metavar="TERMINAL")
@click.option("--receiver", required=True, metavar="PERSON", help="The receiving operator.")
@click.option("--head", required=True, metavar="PERSON", help="The head signing the ledger form.")
@click.option("--count", type=int, help="Issue only the lowest N blanks of the box.")
@click.option(
    "--counted",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File of the serials as counted one by one (one per line), checked against the box.",
)
@click.option(
    "--fault",
    "fault_specs",
    multiple=True,
    metavar="KIND:SERIAL",
    help=f"A fault seen while counting; KIND is one of {', '.join(api.FAULTS)}.",
)
@click.option("--note", default="")
@_type
@_by
@_pass_settings
def issue(
    settings: _Settings,
    box: str,
    terminal: str,
    receiver: str,
    head: str,
    count: int | None,
    counted: Path | None,
    fault_specs: tuple[str, ...],
    note: str,
    type_code: str | None,
    by: str,
) -> None:
    """Issue a box (or part of it) from the store to a terminal; faults seal the box."""
    faults = []
    for spec in fault_specs:
        kind, _, serial = spec.partition(":")
        faults.append(api.Fault(kind, serial))
    sequence = counted.read_text(encoding="utf-8").split() if counted else None
    result = api.issue_out(
        settings.ledger(),
        box=box,
        terminal=terminal,
        by=by,
        receiver=receiver,
        head=head,
        count=count,
        type=type_code,
        counted=sequence,
        faults=faults,
        note=note,
    )
    if result.sealed:
        for fault in result.faults:
            click.echo(f"{fault.kind}: {fault.serial}", err=True)
        click.echo(f"box {box} SEALED: return it to the bureau; nothing was issued", err=True)
        sys.exit(1)
    click.echo(
        f"{len(result.serials)} blanks {result.serials[0]}..{result.serials[-1]} "
        f"issued to terminal {terminal}"
    )


@custody.command()
@click.option("--terminal", required=True, metavar="TERMINAL")
@click.option("--to", "to", required=True, metavar="PERSON", help="The operator taking it over.")
@click.option("--note", default="")
@click.option("--by", required=True, metavar="PERSON", help="The keeper recording it.")
@_pass_settings
def handover(settings: _Settings, terminal: str, to: str, note: str, by: str) -> None:
    """Hand a terminal to another operator without moving blanks; one holding blanks only
    after the handover count of each type it holds (count --cadence handover)."""
    ledger = settings.ledger()
    seq = api.hand_over(ledger, terminal=terminal, to=to, by=by, note=note)
    click.echo(f"terminal {terminal} handed over to {to} (event {seq})")


@custody.command()
@click.option("--terminal", required=True, metavar="TERMINAL")
@click.option("--by", metavar="PERSON", help="Operator (default: the terminal's custodian).")
@_type
@_pass_settings
def allocate(settings: _Settings, terminal: str, by: str | None, type_code: str | None) -> None:
    """Reserve the terminal's next blank; prints its serial alone."""
    click.echo(api.allocate(settings.ledger(), terminal, type=type_code, by=by).serial)


@custody.command()
@click.argument("serial")
@click.option("--licence-no", required=True, metavar="YY-OO-NNNNNN")
@click.option("--by", metavar="PERSON", help="Operator (default: the terminal's custodian).")
@_terminal_check
@_type
@_pass_settings
def use(
    settings: _Settings,
    serial: str,
    licence_no: str,
    by: str | None,
    terminal: str | None,
    type_code: str | None,
) -> None:
    """Register that the reserved blank SERIAL carries licence LICENCE-NO."""
    seq = api.use(
        settings.ledger(), serial, licence_no=licence_no, type=type_code, by=by, terminal=terminal
    )
    click.echo(f"serial {serial} used for licence {licence_no} (event {seq})")


@custody.command()
@click.argument("serials", nargs=-1, required=True)
@click.option("--reason", required=True, type=click.Choice(list(api.VOID_REASONS)))
@click.option("--note", default="")
@SCHEDULES
@_terminal_check
@_type
@_by
@_pass_settings
def void(
    settings: _Settings,
    serials: tuple[str, ...],
    reason: str,
    note: str,
    schedules: tuple[Path, ...],
    terminal: str | None,
    type_code: str | None,
    by: str,
) -> None:
    """Void SERIALS for a reason: spoilt, revoked, destroyed in storage or expired; a licence
    not collected only after its 20 working days. A reason that needs a second person's
    approval (fire, water, insects, printing-fault) is proposed, for `approve-void`."""
    needs_approval = reason in api.VOID_APPROVAL
    act = api.propose_void if needs_approval else api.void
    seq = act(
        settings.ledger(),
        serials,
        reason=reason,
        by=by,
        note=note,
        type=type_code,
        terminal=terminal,
        calendar=default_calendar(schedules),
    )
    if needs_approval:
        roles = " or ".join(api.VOID_APPROVAL[reason])
        click.echo(
            f"{_blanks(serials)} proposed for voiding as {reason} (event {seq}); "
            f"a second person ({roles}) approves: custody approve-void {seq} --by PERSON"
        )
    else:
        click.echo(f"{_blanks(serials)} voided as {reason} (event {seq})")


@custody.command("approve-void")
@click.argument("proposal", type=int)
@_by
@_pass_settings
def approve_void(settings: _Settings, proposal: int, by: str) -> None:
    """Approve the void PROPOSAL (its event number) as a second person: the blanks go void."""
    seq = api.approve_void(settings.ledger(), proposal, by=by)
    click.echo(f"void proposal {proposal} approved by {by}: voided (event {seq})")


@custody.command("decline-void")
@click.argument("proposal", type=int)
@click.option("--note", default="")
@_by
@_pass_settings
def decline_void(settings: _Settings, proposal: int, note: str, by: str) -> None:
    """Close the void PROPOSAL without voiding (its proposer withdraws it, or an approver
    declines it)."""
    seq = api.decline_void(settings.ledger(), proposal, by=by, note=note)
    click.echo(f"void proposal {proposal} declined by {by} (event {seq})")


@custody.command("reverse-void")
@click.argument("void", type=int)
@click.option("--head", required=True, metavar="PERSON", help="The head approving it.")
@click.option("--note", default="")
@_by
@_pass_settings
def reverse_void(settings: _Settings, void: int, head: str, note: str, by: str) -> None:
    """Reverse the mistaken void VOID (its event number), approved by a head: its blanks go
    back to the state they were voided from; the void stays in the history."""
    seqs = api.reverse_void(settings.ledger(), void, by=by, head=head, note=note)
    click.echo(f"void {void} reversed (events {', '.join(map(str, seqs))})")


_SHEET = click.option(
    "--sheet",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the list as a PDF sheet for the day book.",
)


@custody.command()
@_SHEET
@_pass_settings
def proposals(settings: _Settings, sheet: Path | None) -> None:
    """List void proposals neither approved nor declined (exit 1 if any)."""
    ledger = settings.ledger()
    found = api.open_proposals(ledger)
    if sheet is not None:
        import gbt15311.custody.reports._proposals as paper
        from gbt15311.custody.proof._source import read

        waiting = paper.waiting(read(ledger))
        page = paper.sheet(waiting, ledger.clock())
        write_sheets(sheet, [page], waiting.record, None, "待审批作废申请")
    for proposal in found:
        spans = ", ".join(
            first if first == last else f"{first}-{last}" for first, last in proposal.ranges
        )
        click.echo(
            f"{proposal.seq}\t{proposal.type} {spans}\t{proposal.reason}\t"
            f"proposed {china_time(proposal.at)} by {proposal.actor}"
            + (f"\t{_inert(proposal.note)}" if proposal.note else "")
        )
    if found:
        sys.exit(1)


@custody.command()
@click.argument("type_code", metavar="TYPE")
@click.option("--starts", required=True, type=DAY, help="The day the new edition starts.")
@click.option("--notice", required=True, metavar="REFERENCE", help="The bureau's notice.")
@click.option("--note", default="")
@_by
@_pass_settings
def edition(
    settings: _Settings, type_code: str, starts: date, notice: str, note: str, by: str
) -> None:
    """Record the day TYPE's new edition starts, from the bureau's notice (Art. 34): the
    morning check warns from it, and the old blanks may be voided as expired-edition."""
    seq = api.record_edition(settings.ledger(), type_code, starts, by=by, notice=notice, note=note)
    click.echo(f"new edition of {type_code} from {starts} recorded (event {seq})")


@custody.command()
@click.option("--terminal", metavar="TERMINAL")
@_pass_settings
def reservations(settings: _Settings, terminal: str | None) -> None:
    """List reservations neither used nor voided (exit 1 if any): each needs resolving."""
    found = api.open_reservations(settings.ledger(), terminal=terminal)
    for reservation in found:
        click.echo(
            f"{reservation.serial}\t{reservation.type}\tterminal {reservation.terminal}\t"
            f"reserved {china_time(reservation.at)} by {reservation.actor} "
            f"(event {reservation.seq})"
        )
    if found:
        sys.exit(1)


@custody.command()
@click.option(
    "--collected",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File of licence numbers already collected (one per line): not due for revocation.",
)
@click.option(
    "--edition-warning",
    default=30,
    type=click.IntRange(0, 366),
    metavar="DAYS",
    help="Warn this many days before a new edition starts (default 30).",
)
@SCHEDULES
@_SHEET
@_pass_settings
def alerts(
    settings: _Settings,
    collected: Path | None,
    edition_warning: int,
    schedules: tuple[Path, ...],
    sheet: Path | None,
) -> None:
    """The morning check: licences due for revocation, blanks of an edition about to be
    replaced (as `custody edition` recorded it), reservations open past a day, void proposals
    waiting; exit 1 while any is due."""
    import gbt15311.custody.reports._alerts as morning
    from gbt15311.custody.proof._source import read

    done = frozenset(_read_words(collected)) if collected else frozenset()
    ledger = settings.ledger()
    record, now = read(ledger), ledger.clock()
    found = morning.alerts(
        record, now, default_calendar(schedules), collected=done, warning_days=edition_warning
    )
    if sheet is not None:
        page = morning.sheet(found, now, edition_warning)
        write_sheets(sheet, [page], record, None, "每日晨检单")
    for alert in found:
        click.echo(f"{alert.kind}\t{alert.text}")
    if found:
        click.echo(f"{len(found)} alerts due", err=True)
        sys.exit(1)
    click.echo("no alerts")


def _read_words(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").split()
    except (OSError, UnicodeDecodeError) as error:
        raise click.FileError(str(path), str(error)) from None


@custody.command("return")
@click.argument("serials", nargs=-1)
@click.option("--terminal", required=True, metavar="TERMINAL")
@click.option(
    "--handed-by", required=True, metavar="PERSON", help="The operator handing them back."
)
@_type
@_by
@_pass_settings
def return_(
    settings: _Settings,
    serials: tuple[str, ...],
    terminal: str,
    handed_by: str,
    type_code: str | None,
    by: str,
) -> None:
    """Take unused blanks back from a terminal into the store (all, unless SERIALS)."""
    returned = api.return_to_store(
        settings.ledger(),
        terminal=terminal,
        by=by,
        handed_by=handed_by,
        serials=serials or None,
        type=type_code,
    )
    click.echo(f"{len(returned)} blanks returned to the store from terminal {terminal}")


@custody.command("return-to-bureau")
@click.option("--box", required=True, metavar="BOX")
@click.option("--note", default="")
@_type
@_by
@_pass_settings
def return_to_bureau(
    settings: _Settings, box: str, note: str, type_code: str | None, by: str
) -> None:
    """Send a sealed box back to the bureau."""
    seq = api.return_to_bureau(settings.ledger(), box=box, by=by, type=type_code, note=note)
    click.echo(f"box {box} returned to the bureau (event {seq})")


@custody.command()
@click.argument("serials", nargs=-1)
@click.option("--from", "source", required=True, metavar="TERMINAL")
@click.option("--to", "target", required=True, metavar="TERMINAL")
@click.option("--receiver", required=True, metavar="PERSON")
@click.option("--count", type=int, help="Transfer the lowest N blanks.")
@_type
@_by
@_pass_settings
def transfer(
    settings: _Settings,
    serials: tuple[str, ...],
    source: str,
    target: str,
    receiver: str,
    count: int | None,
    type_code: str | None,
    by: str,
) -> None:
    """Move unused blanks between two terminals of one office (all, unless SERIALS or --count)."""
    moved = api.transfer(
        settings.ledger(),
        source=source,
        target=target,
        by=by,
        receiver=receiver,
        serials=serials or None,
        count=count,
        type=type_code,
    )
    click.echo(f"{len(moved)} blanks moved from terminal {source} to {target}")


@custody.command("transfer-office")
@click.argument("serials", nargs=-1, required=True)
@click.option("--to", "to_office", required=True, metavar="OFFICE")
@click.option("--approval", required=True, metavar="REFERENCE", help="The bureau's approval.")
@_type
@_by
@_pass_settings
def transfer_office(
    settings: _Settings,
    serials: tuple[str, ...],
    to_office: str,
    approval: str,
    type_code: str | None,
    by: str,
) -> None:
    """Lend store blanks SERIALS to another office, under a bureau approval."""
    seq = api.transfer_to_office(
        settings.ledger(),
        serials=serials,
        to_office=to_office,
        approval=approval,
        by=by,
        type=type_code,
    )
    click.echo(f"{_blanks(serials)} lent to office {to_office} under {approval} (event {seq})")


@custody.command()
@click.argument("serials", nargs=-1, required=True)
@click.option("--note", required=True, help="What happened, for the report to the bureau.")
@_type
@_by
@_pass_settings
def lose(
    settings: _Settings, serials: tuple[str, ...], note: str, type_code: str | None, by: str
) -> None:
    """Report blanks SERIALS lost; they can never be used again."""
    seq = api.report_loss(settings.ledger(), serials, by=by, note=note, type=type_code)
    click.echo(f"{_blanks(serials)} reported lost (event {seq}); report it to the bureau")


@custody.command()
@click.option("--office", required=True, metavar="OFFICE")
@click.option("--terminal", metavar="TERMINAL", help="Count a terminal instead of the store.")
@click.option("--counted", required=True, type=int, help="Blanks found by hand.")
@click.option("--note", default="")
@click.option(
    "--cadence",
    type=click.Choice(lifecycle.CADENCES),
    default="ad-hoc",
    show_default=True,
    help="Why the count is made; handover: a terminal changing hands.",
)
@click.option(
    "--handed-to", metavar="PERSON", help="handover: the person taking the terminal over."
)
@_type
@_by
@_pass_settings
def count(
    settings: _Settings,
    office: str,
    terminal: str | None,
    counted: int,
    note: str,
    cadence: str,
    handed_to: str | None,
    type_code: str | None,
    by: str,
) -> None:
    """Record a physical count against the ledger (exit 1 when they differ): on a variance,
    a second count by another person, then a third by a head."""
    result = api.record_count(
        settings.ledger(),
        office=office,
        terminal=terminal,
        counted=counted,
        by=by,
        type=type_code,
        note=note,
        cadence=cadence,
        handed_to=handed_to,
    )
    click.echo(
        f"counted {result.counted}, ledger {result.expected} ({cadence} count, round "
        f"{result.round}; last used {result.last_used or 'none'})"
    )
    if result.difference:
        recount = result.recount
        if recount is None:
            then = "the variance stays open until a count agrees"
        else:
            then = "count again by another person" + (f" ({' or '.join(recount)})" * bool(recount))
        click.echo(f"DIFFERENCE {result.difference:+d}: find the cause (Art. 32); {then}", err=True)
        sys.exit(1)


@custody.command()
@click.option("--office", metavar="OFFICE")
@click.option("--terminal", metavar="TERMINAL", help="One terminal's balance.")
@click.option(
    "--window",
    metavar="DAYS",
    type=click.IntRange(1, cover.LONGEST_WINDOW),
    default=cover.WINDOW,
    show_default=True,
    help="Days of recent use the cover is reckoned from.",
)
@click.option(
    "--thresholds",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Days of cover per type (TOML) in place of the shipped ones.",
)
@_pass_settings
def stock(
    settings: _Settings,
    office: str | None,
    terminal: str | None,
    window: int,
    thresholds: Path | None,
) -> None:
    """Blanks per type and state, and days of cover (LOW under the type's threshold)."""
    ledger = settings.ledger()
    balance = api.stock(ledger, office=office, terminal=terminal)
    for type_code, states in sorted(balance.items()):
        for state in api.State:
            if states[state]:
                click.echo(f"{type_code}\t{state}\t{states[state]}")
    _cover(ledger, office, terminal, window, thresholds)


def _cover(
    ledger: api.Ledger,
    office: str | None,
    terminal: str | None,
    window: int,
    thresholds: Path | None,
) -> None:
    limits = cover.load_thresholds(thresholds)
    today = ledger.clock().astimezone(CHINA).date()
    for item in cover.covers(
        ledger, today, window=window, thresholds=limits, office=office, terminal=terminal
    ):
        days = "no use" if item.days is None else f"{item.days} days"
        mark = f"LOW, under {item.threshold}" if item.low else "cover"
        click.echo(
            f"{mark}\t{item.place} {item.code}\t{item.type}\t{item.on_hand} on hand, "
            f"{item.used} used in {item.window} days: {days}"
        )


@custody.command()
@_pass_settings
def verify(settings: _Settings) -> None:
    """Check the hash chain and the state rebuilt from the events (exit 1 naming the fault)."""
    try:
        verified = api.verify(settings.ledger())
    except LedgerCorrupt as error:
        click.echo(f"NOT VERIFIED: {error}", err=True)
        sys.exit(1)
    click.echo(
        f"verified: {verified.events} events, {verified.certificates} certificates; "
        f"head {verified.head}"
    )


@custody.command()
@click.argument("serial")
@_type
@_pass_settings
def where(settings: _Settings, serial: str, type_code: str | None) -> None:
    """Show where SERIAL is and every event that touched it."""
    found = api.where(settings.ledger(), serial, type=type_code)
    place = f"terminal {found.terminal}" if found.terminal else "the store"
    click.echo(f"{found.type} {found.serial} (box {found.box}): {found.state}")
    click.echo(f"office {found.office}, {place}")
    if found.licence_no:
        click.echo(f"licence {found.licence_no}")
    if found.void_reason:
        click.echo(f"void: {found.void_reason}")
    for event in found.history:
        click.echo(
            f"{event.seq}\t{china_time(event.at)}\t{event.kind}\tby {event.actor}\t"
            f"{_inert(dumps(event.payload))}"
        )


def _inert(text: str) -> str:
    """``text`` with every character that is not printable (controls, DEL, a bidi override
    that would turn the clerk's line around) written as its JSON escape, so a payload stays
    the same JSON and a note typed with them cannot act on the terminal."""
    return "".join(ch if ch.isprintable() else _json_escape(ch) for ch in text)


def _json_escape(ch: str) -> str:
    units = ch.encode("utf-16-be")
    return "".join(f"\\u{units[i : i + 2].hex()}" for i in range(0, len(units), 2))


def _blanks(serials: tuple[str, ...]) -> str:
    unique = sorted(set(serials))
    return f"serial {unique[0]}" if len(unique) == 1 else f"{len(unique)} blanks"


def _pairs(specs: tuple[str, ...]) -> list[tuple[str, str]]:
    pairs = []
    for spec in specs:
        key, sep, value = spec.partition("=")
        if not sep or not key or not value:
            raise click.BadParameter(f"{spec!r} should be written NAME=VALUE")
        pairs.append((key, value))
    return pairs


def _number(text: str, option: str) -> int:
    if not text.isdigit():
        raise click.BadParameter(f"{text!r} is not a whole number", param_hint=option)
    return int(text)


_REGISTER = click.option(
    "--register",
    required=True,
    type=click.Choice(lifecycle.REGISTERS),
    help="voids: 附件6; expired: 附件5 (blanks of an expired edition).",
)


@custody.command()
@click.argument("serials", nargs=-1)
@_REGISTER
@click.option("--head", required=True, metavar="PERSON", help="The head who checks and seals.")
@click.option("--office", metavar="OFFICE", help="Without SERIALS: seal all of its voids.")
@click.option(
    "--new-edition-from",
    type=DAY,
    help="Expired blanks: the new edition's first day (default: as `custody edition` "
    "recorded it; must agree with it).",
)
@click.option("--type", "type_code", metavar="TYPE", help="Certificate type, if several.")
@click.option("--note", default="")
@click.option("--by", required=True, metavar="PERSON", help="The keeper registering them.")
@_pass_settings
def seal(
    settings: _Settings,
    serials: tuple[str, ...],
    register: lifecycle.Register,
    head: str,
    office: str | None,
    new_edition_from: date | None,
    type_code: str | None,
    note: str,
    by: str,
) -> None:
    """Seal voids in a register, checked by the head (all of an office's, unless SERIALS)."""
    seq = disposal.seal(
        settings.ledger(),
        serials or None,
        register=register,
        by=by,
        head=head,
        office=office,
        new_edition_from=new_edition_from,
        type=type_code,
        note=note,
    )
    click.echo(f"sealed in the {register} register: lot {seq}")


@custody.command()
@click.argument("serials", nargs=-1)
@_REGISTER
@click.option("--lot", type=int, metavar="SEQ", help="Destroy what is left of this lot.")
@click.option("--approved-by", required=True, metavar="PERSON", help="Who approved; not --by.")
@click.option("--approval", required=True, metavar="REFERENCE", help="The signed approval.")
@click.option("--type", "type_code", metavar="TYPE", help="Certificate type, if several.")
@click.option("--note", default="")
@click.option("--by", required=True, metavar="PERSON", help="Who destroys them.")
@_pass_settings
def destroy(
    settings: _Settings,
    serials: tuple[str, ...],
    register: lifecycle.Register,
    lot: int | None,
    approved_by: str,
    approval: str,
    type_code: str | None,
    note: str,
    by: str,
) -> None:
    """Record the destruction of sealed blanks (SERIALS or a --lot), once retention allows."""
    disposal.destroy(
        settings.ledger(),
        serials or None,
        register=register,
        lot=lot,
        by=by,
        approved_by=approved_by,
        approval=approval,
        type=type_code,
        note=note,
    )
    click.echo(f"destroyed; record it in the {register} register and inform the bureau")


@custody.command("archive-receipt")
@click.option("--shipment", required=True, metavar="WAYBILL")
@click.option("--note", default="")
@click.option("--by", required=True, metavar="PERSON")
@_pass_settings
def archive_receipt(settings: _Settings, shipment: str, note: str, by: str) -> None:
    """Record that a receipt was sent and its third copy archived (kept three years)."""
    disposal.archive_receipt(settings.ledger(), shipment, by=by, note=note)


custody.add_command(report)
