"""``render``, ``render-batch``, ``layout``, ``preview`` and ``calibrate``: licences onto paper."""

from __future__ import annotations

import io
import json
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from gbt15311.exceptions import LicenceInvalid
from gbt15311.forms import FORMS, Licence
from gbt15311.grid import COLUMN_PITCH_MM, LINE_PITCH_MM
from gbt15311.loading import load_licence, read_json, validate_licence
from gbt15311.render._options import MODES, Mode, RenderOptions
from gbt15311.replacing import NOT_A_FILE, is_not_a_file, replacing
from gbt15311.templates import Template, load_template

if TYPE_CHECKING:
    from gbt15311.printers import PrinterProfile

F = TypeVar("F", bound=Callable[..., Any])


class _Parts(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2
    """``1,2,3,4``, a subset such as ``1,3``, or ``set`` for one page for a carbon set."""

    name = "parts"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[int, ...]:
        if isinstance(value, tuple):
            return value
        if value.strip().lower() == "set":
            return ()
        try:
            parts = tuple(int(p) for p in value.split(","))
        except ValueError:
            self.fail(f"{value!r} is not a list of parts such as 1,2,3,4 or 'set'", param, ctx)
        if len(set(parts)) != len(parts):
            self.fail(f"{value!r} names a part twice", param, ctx)
        return parts


_parts = click.option(
    "--parts",
    type=_Parts(),
    default="1,2,3,4",
    show_default=True,
    help="Parts of the four-part set, one page each; 'set' for one page "
    "for a single pass through an impact printer's carbon set.",
)
_printer_name = click.option(
    "--printer",
    "printer_name",
    metavar="NAME",
    help="Apply this printer profile's offsets ('gbt15311 printer list').",
)
_template_path = click.option(
    "--template",
    "template_path",
    type=click.Path(path_type=Path),
    help="A form template file instead of the bundled template of the licence's form.",
)


def _options(default_mode: str) -> Callable[[F], F]:
    """The options every rendering command shares."""

    def decorate(command: F) -> F:
        for option in reversed(
            (
                click.option(
                    "--mode",
                    type=click.Choice(MODES),
                    default=default_mode,
                    show_default=True,
                    help="overlay: data only, for the pre-printed blank; proof: the whole "
                    "form, marked as a proof; archive: the office's record copy.",
                ),
                _parts,
                click.option("--serial", help="The blank's serial number digits, e.g. 0012345."),
                click.option(
                    "--no-stamp",
                    is_flag=True,
                    help="Leave out the overlay's control stamp of the expected serial.",
                ),
                _printer_name,
                _template_path,
            )
        ):
            command = option(command)
        return command

    return decorate


FORMATS = ("pdf", "escp")

_format = click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="pdf",
    show_default=True,
    help="pdf, or escp: Epson ESC/P2 bytes for a dot-matrix printer in Chinese text mode, "
    "one pass per carbon set (overlay only; see docs/printers.md).",
)


def _escp_only_overlay(mode: str, parts: tuple[int, ...]) -> None:
    """ESC/P prints the data onto the blank in one pass through the carbon set."""
    ctx = click.get_current_context()
    if mode != "overlay":
        raise click.BadParameter(
            "ESC/P prints the data onto the blank: overlay only", param_hint="--mode"
        )
    if parts and ctx.get_parameter_source("parts") is not click.core.ParameterSource.DEFAULT:
        raise click.BadParameter(
            "ESC/P prints one pass through the carbon set: leave --parts out or give 'set'",
            param_hint="--parts",
        )


def _render_options(
    mode: str,
    parts: tuple[int, ...],
    no_stamp: bool,
    printer_name: str | None,
    template: Template | None,
) -> RenderOptions:
    """The options as given on the command line; ``printer_name`` names a saved profile."""
    return RenderOptions(
        mode=_mode(mode),
        parts=parts or (1,),
        carbon_set=not parts,
        stamp=not no_stamp,
        printer=_printer(printer_name),
        template=template,
    )


def _printer(name: str | None) -> PrinterProfile | None:
    """The saved profile ``name``; the profiles' module is imported only when one is named."""
    if not name:
        return None
    from gbt15311.printers import get_profile

    return get_profile(name)


def _mode(name: str) -> Mode:
    """``--mode``'s choice as the renderers' type (click checked it against ``MODES``)."""
    return next(mode for mode in MODES if mode == name)


def _licence(path: Path) -> Licence:
    """The licence in ``path``: a file that cannot be read, or is not JSON, is a usage error
    (exit 2), as ``validate`` has it; a licence with problems is refused content (exit 1)."""
    try:
        data = read_json(path.read_bytes())
    except OSError as error:
        raise FileProblem(f"{path}: cannot be read: {error.strerror}") from None
    except ValueError as error:
        raise FileProblem(f"{path}: cannot be read as JSON: {error}") from None
    try:
        return validate_licence(data)
    except LicenceInvalid as invalid:
        raise click.ClickException(_problems(str(path), invalid)) from None


def _problems(where: str, invalid: LicenceInvalid) -> str:
    count = len(invalid.problems)
    lines = [f"{where}: {count} problem{'s' if count > 1 else ''}"]
    return "\n".join(lines + [f"  {problem}" for problem in invalid.problems])


class FileProblem(click.ClickException):
    """A file that cannot be used as given: a usage error (exit 2), not refused content."""

    exit_code = 2


def _output_file(ctx: click.Context, param: click.Parameter, path: Path) -> Path:
    """``-o`` names a file in an existing folder: checked before anything is rendered."""
    if path.is_dir():
        raise FileProblem(f"{path}: is a folder; -o takes the name of the file to write")
    if is_not_a_file(path):
        raise FileProblem(f"{path}: {NOT_A_FILE}")
    folder = path.parent
    if not folder.is_dir():
        raise FileProblem(f"{path}: the folder {folder} does not exist")
    return path


def _output(help: str) -> Callable[[F], F]:
    """``-o FILE``, required, its folder checked before anything is rendered."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path),
        required=True,
        callback=_output_file,
        help=help,
    )


class _Terminated(SystemExit):
    """SIGTERM turned into an exception, so the half-written output is removed."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated(128 + signum)


@contextmanager
def _replacing(path: Path) -> Iterator[IO[bytes]]:
    """Write ``path`` whole or not at all (``gbt15311.replacing``), SIGTERM included."""
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    try:
        with ExitStack() as stack:
            try:
                out = stack.enter_context(replacing(path))
            except OSError as error:
                raise FileProblem(f"{path}: cannot write here: {error.strerror}") from error
            yield out
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@_output("The file to write: a PDF, or ESC/P2 bytes with --format escp.")
@_options("overlay")
@_format
def render(
    file: Path,
    output: Path,
    output_format: str,
    mode: str,
    parts: tuple[int, ...],
    serial: str | None,
    no_stamp: bool,
    printer_name: str | None,
    template_path: Path | None,
) -> None:
    """Render the licence in FILE (JSON) to a PDF for printing, checking or archiving, or
    to ESC/P2 bytes for a dot-matrix printer (--format escp)."""
    if output_format == "escp":
        _escp_only_overlay(mode, parts)
        from gbt15311.render import render_escp as render_one
    else:  # the PDF renderer alone: a start does not load the ESC/P one
        from gbt15311.render import render_licence as render_one
    licence = _licence(file)
    template = load_template(template_path, form=licence.form)
    options = _render_options(mode, parts, no_stamp, printer_name, template)
    data = render_one(licence, serial=serial, options=options)
    with _replacing(output) as out:
        out.write(data)
    click.echo(f"{output}: {licence.licence_no}, {mode}", err=True)


@click.command("render-batch")
@click.argument("source", type=click.Path(path_type=Path))
@_output("The file to write, with every licence: a PDF, or ESC/P2 bytes with --format escp.")
@click.option("--strict", is_flag=True, help="Stop at the first bad record.")
@_options("overlay")
@_format
def render_batch(
    source: Path,
    output: Path,
    strict: bool,
    output_format: str,
    mode: str,
    parts: tuple[int, ...],
    serial: str | None,
    no_stamp: bool,
    printer_name: str | None,
    template_path: Path | None,
) -> None:
    """Render every licence of SOURCE, a JSON Lines file or a folder of JSON files, to one PDF
    (or one ESC/P2 stream).

    A bad record is reported with its line (or file) and skipped; the others still render
    and the command exits 1. With --serial, the first licence goes onto that blank and each
    following one onto the next number.
    """
    from rich.console import Console
    from rich.progress import Progress

    from gbt15311.render import render_batch as render_all
    from gbt15311.render import render_escp_batch
    from gbt15311.render._escp import EscpWriter, escp_placements

    if output_format == "escp":
        _escp_only_overlay(mode, parts)
    records = _records(source)
    given = load_template(template_path) if template_path else None
    options = _render_options(mode, parts, no_stamp, printer_name, given)
    printer, template = options.printer, options.template
    probe: EscpWriter | None = None
    bad: list[str] = []
    next_serial = int(serial) if serial and serial.isdigit() else None
    if serial is not None and next_serial is None:
        raise click.BadParameter(
            f"{serial!r} is not a serial number's digits", param_hint="--serial"
        )

    def jobs(progress: Progress) -> Iterator[tuple[Licence, str | None]]:
        nonlocal next_serial, template, probe
        task = progress.add_task("rendering", total=records.total)
        for where, data in records:
            progress.advance(task)
            try:
                if isinstance(data, OSError):
                    raise click.ClickException(f"{where}: cannot be read: {data.strerror}")
                licence = load_licence(data)
                if template is None:  # the batch's form is its first licence's
                    template = load_template(form=licence.form)
                if licence.form != template.form:
                    raise click.ClickException(
                        f"{where}: is an {FORMS[licence.form].fields.whole[1].lower()}; this "
                        f"batch prints on the {template.form} form ({template.source})"
                    )
                if output_format == "escp":  # refused here, so the record is skipped
                    probe = probe or EscpWriter(io.BytesIO(), printer=printer, template=template)
                    escp_placements(licence, None, stamp=False, writer=probe)
            except (LicenceInvalid, click.ClickException) as error:
                message = (
                    _problems(where, error) if isinstance(error, LicenceInvalid) else error.message
                )
                if strict:
                    raise click.ClickException(message) from None
                bad.append(message)
                progress.console.print(message, markup=False, highlight=False)
                continue
            blank = None
            if next_serial is not None:
                blank = str(next_serial).zfill(len(serial or ""))
                next_serial += 1
            yield licence, blank

    console = Console(stderr=True, soft_wrap=True)
    with _replacing(output) as out, Progress(console=console, transient=True) as progress:
        render_jobs = render_escp_batch if output_format == "escp" else render_all
        count = render_jobs(jobs(progress), out, options=options)
    click.echo(
        f"{output}: {count} licence{'s' if count != 1 else ''} rendered, "
        f"{len(bad)} bad record{'s' if len(bad) != 1 else ''}",
        err=True,
    )
    if bad:
        raise SystemExit(1)


class _Records:
    """The records of a JSON Lines file or a folder of JSON files, with where each is."""

    def __init__(self, source: Path) -> None:
        self.source = source
        if source.is_dir():
            self.files = sorted(source.glob("*.json"))
            self.total = len(self.files)
        else:
            self.files = []
            try:
                with source.open("rb") as lines:
                    self.total = sum(1 for line in lines if line.strip())
                with source.open("rb") as head:
                    _check_json_lines(source, head.read(_HEAD))
            except OSError as error:
                raise FileProblem(f"{source}: cannot be read: {error.strerror}") from error

    def __iter__(self) -> Iterator[tuple[str, bytes | OSError]]:
        if self.source.is_dir():
            for path in self.files:
                try:
                    yield str(path), path.read_bytes()
                except OSError as error:
                    yield str(path), error
            return
        with self.source.open("rb") as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    yield f"{self.source}:{number}", line


_HEAD = 1 << 22
"""Bytes read to tell a pretty-printed JSON document from JSON Lines: many licences' worth."""


def _check_json_lines(source: Path, head: bytes) -> None:
    """Refuse a JSON document spread over lines: every line would be reported as bad."""
    start = len(head) - len(head.lstrip())
    first = head[start:].split(b"\n", 1)[0]
    try:
        json.loads(first)
    except ValueError:
        pass
    else:
        return
    try:
        text = head[start:].decode("utf-8", "replace")
        _, end = json.JSONDecoder().raw_decode(text)
    except ValueError:
        return  # a bad first record: reported as such
    lines = text.count("\n", 0, end) + 1
    raise FileProblem(
        f"{source}: this is not JSON Lines: the file starts with one JSON document over "
        f"{lines} lines; give each licence on one line (e.g. jq -c), or render a single "
        "licence with 'gbt15311 render'"
    )


def _records(source: Path) -> _Records:
    if not source.exists():
        raise click.ClickException(f"{source}: no such file or folder")
    return _Records(source)


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@_template_path
def layout(file: Path, template_path: Path | None) -> None:
    """Print where each value of the licence in FILE goes on the grid, as JSON.

    Lines and columns are 1-based, counted from the form's frame as the standard numbers
    them; a placement's left edge is frame x + (column − 1) × column pitch from the paper's
    left edge, its line's top is frame y + (line − 1) × line pitch from the top edge.
    """
    from gbt15311.layout import lay_out

    licence = _licence(file)
    template = load_template(template_path, form=licence.form)
    placements = lay_out(licence, template)
    width, height = template.paper_mm
    document = {
        "template": template.name,
        "paper_mm": {"width": float(width), "height": float(height)},
        "frame_origin_mm": {
            "x": float(template.grid.left_mm),
            "y": round(float(template.grid.top_mm), 6),
        },
        "pitch_mm": {"column": float(COLUMN_PITCH_MM), "line": round(float(LINE_PITCH_MM), 6)},
        "placements": [
            {"field": p.field, "line": p.line, "column": p.column, "text": p.text, "width": p.width}
            for p in placements
        ],
    }
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@_output("The PNG to write.")
@click.option(
    "--page",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Which page of the rendered PDF.",
)
@click.option("--dpi", type=click.IntRange(36, 600), default=150, show_default=True)
@_options("proof")
def preview(
    file: Path,
    output: Path,
    page: int,
    dpi: int,
    mode: str,
    parts: tuple[int, ...],
    serial: str | None,
    no_stamp: bool,
    printer_name: str | None,
    template_path: Path | None,
) -> None:
    """Render the licence in FILE and write one page as a PNG image, to check on screen."""
    from gbt15311.render import png, render_licence

    licence = _licence(file)
    template = load_template(template_path, form=licence.form)
    options = _render_options(mode, parts, no_stamp, printer_name, template)
    pdf = render_licence(licence, serial=serial, options=options)
    image = png(pdf, page=page, dpi=dpi)
    with _replacing(output) as out:
        out.write(image)
    click.echo(f"{output}: page {page}, {dpi} dpi", err=True)


@click.command()
@_output("The file to write: a PDF, or ESC/P2 bytes with --format escp.")
@click.option(
    "--printer",
    "printer_name",
    metavar="NAME",
    help="Apply this printer profile, to check it after saving.",
)
@click.option(
    "--template",
    "template_path",
    type=click.Path(path_type=Path),
    help="A form template file instead of the bundled template of --form.",
)
@click.option(
    "--form",
    type=click.Choice(tuple(FORMS)),
    default="import",
    show_default=True,
    help="The form whose bundled template the sheet is drawn on.",
)
@_format
def calibrate(
    output: Path,
    printer_name: str | None,
    template_path: Path | None,
    form: str,
    output_format: str,
) -> None:
    """Write the calibration sheet: print it on plain paper and hold it over a blank."""
    from gbt15311.render import render_calibration, render_escp_calibration

    printer = _printer(printer_name)
    make = render_escp_calibration if output_format == "escp" else render_calibration
    data = make(printer=printer, template=load_template(template_path, form=form))
    with _replacing(output) as out:
        out.write(data)
    click.echo(f"{output}: print at actual size (100 %); see docs/printers.md", err=True)


COMMANDS = (render, render_batch, layout, preview, calibrate)
