"""Issuing a licence: draw the terminal's next blank, print on it, register the use.

Issuing sits above custody and render and joins them; neither of those imports the other.

Issuing software calls ``issue_licence`` with the validated licence and a ``printer``
callable that sends the rendered bytes (a PDF, or ESC/P2 from an ESC/P renderer) to the
terminal's printer and raises if printing failed (``gbt15311.sending.Sender`` sends to a file,
a device or a CUPS queue). A failed print spoils the blank: it is voided as ``misprint`` with
the error as note, and the next blank is drawn, up to ``attempts`` blanks.

Everything that can be checked is checked before a blank is reserved: the licence number, that
no blank carries it yet, that the template can print the type's serials, and the licence itself
(the PDF is rendered first, with the serial the terminal will most likely get, and rendered
again if another process took that blank). A refusal therefore costs no blank.

Issuing software retries after time-outs, so a retry must never print twice: a licence already
printed raises ``AlreadyIssued`` naming its blank, and prints nothing. Issues of one licence,
and issues at one terminal, take turns, across processes too: PostgreSQL advisory locks, or on
SQLite an OS lock on a file beside the database (``LEDGER.issuing.lock``), which makes all
issuing on that ledger take turns. So a retry sees the first attempt's blank, and a
reservation found open at the terminal is no other issue's work in progress: it was left by a
crash (or by hand), and ``ReservationOpen`` blocks the terminal until someone who looks at the
paper uses or voids it.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, func, select

from gbt15311.custody.lifecycle import MISPRINT
from gbt15311.custody.operations._printing import (
    Reservation,
    allocate,
    canonical_licence_no,
    open_reservations,
    use,
    void,
)
from gbt15311.custody.store import _ledger
from gbt15311.custody.store._events import china_time
from gbt15311.custody.store._ledger import Ledger
from gbt15311.custody.store._schema import State, certificates
from gbt15311.custody.store._serials import SerialFormat
from gbt15311.exceptions import CustodyError, NoStock, PrinterFailed, Refused
from gbt15311.templates import Template, default_template

__all__ = ["AlreadyIssued", "Issued", "Printer", "Renderer", "ReservationOpen", "issue_licence"]


class Licence(Protocol):
    @property
    def licence_no(self) -> str: ...


class Renderer(Protocol):
    def __call__(self, licence: Any, /, *, serial: str) -> bytes: ...


Printer = Callable[[bytes], None]


@dataclass(frozen=True)
class Issued:
    """A licence printed and registered: on which blank, and the blanks spoilt on the way.

    ``pdf`` holds the bytes sent: a PDF, or ESC/P2 from an ESC/P renderer."""

    type: str
    serial: str
    licence_no: str
    pdf: bytes = field(repr=False)
    voided: tuple[str, ...]


class AlreadyIssued(Refused):
    """The licence is already printed on a blank: a retry learns which, and nothing prints."""

    def __init__(self, licence_no: str, type: str, serial: str) -> None:
        super().__init__(
            f"licence {licence_no} is already printed on {type} serial {serial}; "
            "it was not printed again"
        )
        self.licence_no = licence_no
        self.type = type
        self.serial = serial


class ReservationOpen(Refused):
    """A blank at the terminal is reserved and neither used nor voided, as a crash leaves it:
    nothing prints there until a person looks at the paper and resolves it."""

    def __init__(self, terminal: str, reservations: list[Reservation]) -> None:
        lines = [f"terminal {terminal} is blocked: a reservation left open (after a crash?)"]
        for r in reservations:
            lines += [
                f"  blank {r.serial} ({r.type}), reserved {china_time(r.at)} by {r.actor} "
                f"(event {r.seq})",
                "  look at it: if the licence printed on it, register it with",
                f"    gbt15311 custody use {r.serial} --type {r.type} --terminal {terminal} "
                "--licence-no YY-OO-NNNNNN",
                "  if it did not print, or printed badly, void it with",
                f"    gbt15311 custody void {r.serial} --type {r.type} --terminal {terminal} "
                '--reason misprint --by PERSON --note "..."',
            ]
        super().__init__("\n".join([*lines, "then issue again"]))
        self.terminal = terminal
        self.reservations = tuple(reservations)


def issue_licence(
    ledger: Ledger,
    licence: Licence,
    *,
    terminal: str,
    printer: Printer,
    by: str | None = None,
    type: str | None = None,
    render: Renderer | None = None,
    template: Template | None = None,
    attempts: int = 3,
    forms: Mapping[str, str] | None = None,
) -> Issued:
    """Print ``licence`` on ``terminal``'s next blank and register the use.

    ``render`` defaults to ``gbt15311.render.render_licence`` (overlay, all four parts) on
    ``template`` (the bundled one by default); pass ``functools.partial(render_licence,
    options=RenderOptions(printer=profile, template=template))`` to use a printer profile,
    or ``render_escp`` likewise for a dot-matrix printer, and the ``template`` it prints on.
    The renderer gets the serial's digits (``fmt.digits``); the template prints its own
    label before them. After ``attempts`` failed prints in a row, ``PrinterFailed`` is
    raised: the printer needs a person. A licence already printed raises ``AlreadyIssued``
    and prints nothing; a reservation left open at the terminal raises ``ReservationOpen``
    and prints nothing.

    ``forms`` binds certificate types to the forms printed on their blanks (``{"IL":
    "import", "EL": "export"}``): a licence prints only on a blank of a type bound to its form
    (``licence.form``), and without ``type`` on the one type bound to it; any other is refused
    before a blank is reserved. The default template is that of the licence's form.
    """
    if attempts < 1:
        raise Refused(f"attempts must be at least 1, not {attempts}")
    licence_form: str = getattr(licence, "form", "import")
    if forms is not None:
        type = _type_of_form(forms, licence_form, type, licence.licence_no)
    form = template if template is not None else default_template(licence_form)
    draw = render if render is not None else _default_renderer(form)
    licence_no = canonical_licence_no(licence.licence_no)
    with _one_at_a_time(ledger, f"licence {licence_no}", f"terminal {terminal}"):
        peeked, fmt = _next_blank(ledger, licence_no, terminal, type)
        if form.serial is not None:
            fmt.refuse_unprintable(form.serial)
        pdf = draw(licence, serial=fmt.digits(peeked))
        voided: list[str] = []
        failure: Exception | None = None
        for _attempt in range(attempts):
            reservation = allocate(ledger, terminal, type=type, by=by)
            if reservation.serial != peeked:
                peeked = reservation.serial
                pdf = draw(licence, serial=fmt.digits(peeked))
            try:
                printer(pdf)
            except Exception as error:  # any printer or driver failure spoils this blank
                void(
                    ledger,
                    reservation.serial,
                    reason=MISPRINT,
                    by=reservation.actor,
                    note=_ledger.recordable(f"printing failed: {error}"),
                    type=reservation.type,
                )
                voided.append(reservation.serial)
                failure = error
                continue
            try:
                use(
                    ledger,
                    reservation.serial,
                    licence_no=licence_no,
                    type=reservation.type,
                    by=reservation.actor,
                )
            except CustodyError as error:  # by hand, meanwhile, the number went on another
                raise CustodyError(
                    f"licence {licence_no} was printed on {reservation.type} blank "
                    f"{reservation.serial}, but its use could not be registered: {error}; the "
                    f"blank stays reserved and terminal {terminal} blocked until a person looks "
                    "at the paper (gbt15311 custody reservations lists it)"
                ) from error
            return Issued(reservation.type, reservation.serial, licence_no, pdf, tuple(voided))
    spoilt = (
        f"blank {voided[0]} is voided as a misprint"
        if len(voided) == 1
        else f"blanks {', '.join(voided)} are voided as misprints"
    )
    tries = "once" if attempts == 1 else f"{attempts} times"
    raise PrinterFailed(
        f"printing licence {licence_no} failed {tries} on terminal {terminal} ({failure}); "
        f"{spoilt}; once the printer is right, issue again: the next blank is used"
    )


def _type_of_form(forms: Mapping[str, str], form: str, type: str | None, licence_no: str) -> str:
    """The certificate type to print a licence of ``form`` on: ``type``, if bound to ``form``,
    or else the one type bound to it."""
    bound = sorted(code for code, printed in forms.items() if printed == form)
    if type is None and len(bound) == 1:
        return bound[0]
    if type is not None and type in bound:
        return type
    if type is None:
        raise Refused(
            f"licence {licence_no} is of the {form} form; name the certificate type to print "
            f"it on: {', '.join(bound) if bound else 'no type is bound to that form'}"
        )
    raise Refused(
        f"licence {licence_no} is of the {form} form; blanks of type {type} are for the "
        f"{forms.get(type, 'unbound')} form: nothing was reserved"
    )


def _next_blank(
    ledger: Ledger, licence_no: str, terminal: str, type: str | None
) -> tuple[str, SerialFormat]:
    """The blank the terminal will most likely get, and its type's serial format; refuses a
    licence already printed, and a terminal with a reservation left open."""
    printed = select(certificates.c.type_code, certificates.c.serial).where(
        certificates.c.licence_no == licence_no, certificates.c.state == State.USED
    )
    query = (
        select(certificates.c.type_code, certificates.c.serial)
        .where(
            certificates.c.terminal_code == terminal,
            certificates.c.state == State.WITH_TERMINAL,
        )
        .order_by(certificates.c.type_code, certificates.c.serial)
        .limit(1)
    )
    if type is not None:
        query = query.where(certificates.c.type_code == type)
    with ledger.read() as connection:
        earlier = connection.execute(printed).first()
        if earlier is not None:
            raise AlreadyIssued(licence_no, earlier.type_code, earlier.serial)
        _ledger.terminal(connection, terminal)
    left_open = open_reservations(ledger, terminal=terminal)
    if left_open:
        raise ReservationOpen(terminal, left_open)
    with ledger.read() as connection:
        blank = connection.execute(query).first()
        if blank is None:
            raise NoStock(f"terminal {terminal} has no blank left to print on")
        return blank.serial, _ledger.serial_format(connection, blank.type_code)


@contextmanager
def _one_at_a_time(ledger: Ledger, *keys: str) -> Iterator[None]:
    """Hold locks on ``keys`` (always taken in the order given, so two issues cannot wait for
    each other) while a licence is checked, printed and registered."""
    if ledger.engine.dialect.name != "postgresql":
        with _sqlite_lock(ledger.engine):
            yield
        return
    with ledger.engine.connect() as connection, ExitStack() as held:
        for key in keys:
            number = func.hashtext(f"gbt15311 issue {key}")
            connection.execute(select(func.pg_advisory_lock(number)))
            held.callback(connection.execute, select(func.pg_advisory_unlock(number)))
        yield


_IN_MEMORY = threading.Lock()
"""An in-memory SQLite ledger lives in one process: a lock of the process is enough."""


@contextmanager
def _sqlite_lock(engine: Engine) -> Iterator[None]:
    """An OS lock on ``LEDGER.issuing.lock`` beside the SQLite file: every process and thread
    issuing on that ledger takes its turn (each opens the file, so threads exclude each other)."""
    database = engine.url.database
    if not database or database == ":memory:":
        with _IN_MEMORY:
            yield
        return
    path = Path(database).with_name(Path(database).name + ".issuing.lock")
    try:
        handle = open(path, "a+b")  # noqa: SIM115  # closed below, after the unlock
    except OSError as error:
        raise CustodyError(
            f"{path}: cannot lock the ledger for issuing: {error.strerror}"
        ) from None
    with handle:
        _lock(handle.fileno())
        try:
            yield
        finally:
            _unlock(handle.fileno())


if sys.platform == "win32":
    import msvcrt

    def _lock(descriptor: int) -> None:
        os.lseek(descriptor, 0, os.SEEK_SET)
        while True:
            try:
                msvcrt.locking(descriptor, msvcrt.LK_LOCK, 1)  # gives up after 10 s: try again
                return
            except OSError:
                continue

    def _unlock(descriptor: int) -> None:
        os.lseek(descriptor, 0, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_EX)

    def _unlock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)


def _default_renderer(template: Template) -> Renderer:
    from gbt15311.render import RenderOptions, render_licence

    return functools.partial(render_licence, options=RenderOptions(template=template))
