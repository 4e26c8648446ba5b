"""How fast the library renders, against the floor of raw ReportLab drawing the same text.

    .venv/bin/python benchmarks/render.py [--rounds 30] [--batch 1000]

Prints medians (the machine may be shared and noisy) and ratios:

- warm: milliseconds per four-part overlay licence through ``render_licence`` (layout,
  runs, metadata) against a raw ReportLab baseline that draws the same placements at the
  same coordinates with the same font, size and scaling: the floor. Target: within 1.3× of
  the floor. Also with the overlay's control stamp, which the floor does not draw.
- cold start: a fresh interpreter importing the library, reading the font and writing the
  first PDF. Target: under 1 s.
- bytes: PDF bytes per licence, alone and in a batch.
- batch: ``render_batch`` of N licences (4 N pages) in a fresh interpreter, its time and its
  peak memory, with the peak for N/4 licences beside it to show memory is flat.
  Target: 1,000 licences under 30 s.
- start: whole ``gbt15311`` processes, as a clerk runs them, against bare scripts doing the
  least the command must: ``--version`` and ``--help`` against ``import click`` (target
  within 3×); ``render`` of the example against importing ReportLab, registering the same
  font and drawing four pages (within 1.5×), with beside it that script after importing
  click and validating a one-field pydantic model: what click and pydantic add to it (the
  library's ``render`` comes under that line, as it reads the font's parsed tables from the
  user's cache, which a first, uncounted round writes); ``custody where``, ``stock`` and
  ``verify`` on a small SQLite ledger against creating a SQLAlchemy engine and running one
  SELECT (within 2×). A ratio is the median of the rounds' ratios, each the command against
  its floor in the same round, a moment apart: other work on shared cores moves it far less
  than it moves the medians themselves. Each process's CPU time is printed beside its wall
  time. ``--only start`` runs this part alone.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "import-licence.json"

COLD = """
import time
start = time.perf_counter()
from gbt15311.loading import load_licence
from gbt15311.render import render_licence
imported = time.perf_counter()
from gbt15311.font import register
register()
font = time.perf_counter()
licence = load_licence(open({example!r}, "rb").read())
render_licence(licence, serial="0012345")
done = time.perf_counter()
print(imported - start, font - imported, done - font, done - start)
"""

BATCH = """
import resource, sys, time
from gbt15311.loading import load_licence
from gbt15311.render import render_batch
licence = load_licence(open({example!r}, "rb").read())
count = {count}
start = time.perf_counter()
with open("/dev/null", "wb") as null:
    class Counter:
        size = 0
        def write(self, data):
            self.size += len(data)
            return null.write(data)
    out = Counter()
    render_batch(((licence, str(n)) for n in range(count)), out)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(elapsed, peak, out.size)
"""


def floor_renderer() -> Callable[[], bytes]:
    """A raw ReportLab renderer of the same placements at the same coordinates."""
    from reportlab.pdfgen.canvas import Canvas

    from gbt15311.font import register
    from gbt15311.layout import lay_out
    from gbt15311.loading import load_licence
    from gbt15311.templates import default_template
    from gbt15311.typeset import HORIZ_SCALE, SIZE_PT, baseline, runs

    template = default_template()
    licence = load_licence(EXAMPLE.read_bytes())
    name = register()
    k = 72 / 25.4
    height = float(template.paper_mm[1])
    grid = template.grid
    drawn: list[tuple[float, float, str]] = []
    for placement in lay_out(licence, template):
        x = float(grid.column_left(placement.column))
        y = (height - baseline(float(grid.line_top(placement.line)), 1, 1.0)) * k
        for offset, chunk, _ in runs(placement.text):
            drawn.append(((x + offset * 2.54) * k, y, chunk))
    size = (float(template.paper_mm[0]) * k, height * k)

    def render() -> bytes:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=size, pageCompression=1)
        for _ in range(4):
            text = canvas.beginText()
            text.setFont(name, SIZE_PT)
            text.setHorizScale(HORIZ_SCALE)
            for x, y, chunk in drawn:
                text.setTextOrigin(x, y)
                text.textOut(chunk)
            canvas.drawText(text)
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    return render


def warm(rounds: int) -> None:
    from gbt15311.loading import load_licence
    from gbt15311.render import render_licence

    licence = load_licence(EXAMPLE.read_bytes())
    floor = floor_renderer()

    def library() -> bytes:
        return render_licence(licence)

    def stamped() -> bytes:
        return render_licence(licence, serial="0012345")

    for _ in range(3):  # warm caches, font subsets, imports
        library()
        stamped()
        floor()
    ours, marked, base = [], [], []
    for _ in range(rounds):  # interleaved, so that noise hits all alike
        start = time.perf_counter()
        library()
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        pdf = stamped()
        marked.append(time.perf_counter() - start)
        start = time.perf_counter()
        floor()
        base.append(time.perf_counter() - start)
    mine, stamp, least = (statistics.median(s) * 1000 for s in (ours, marked, base))
    print(f"warm, one four-part overlay licence ({rounds} rounds, medians):")
    print(f"  library   {mine:7.2f} ms   (the same placements as the floor)")
    print(f"  + stamp   {stamp:7.2f} ms   (with the serial's control stamp, as issued)")
    print(f"  floor     {least:7.2f} ms   (raw ReportLab, same placements)")
    print(
        f"  ratio     {mine / least:7.2f} ×   (target ≤ 1.3; with the stamp {stamp / least:.2f} ×)"
    )
    print(f"  PDF       {len(pdf):7d} bytes for the licence alone")


def cold(rounds: int) -> None:
    code = COLD.format(example=str(EXAMPLE))
    samples = []
    for _ in range(rounds):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        )
        samples.append([float(v) for v in out.stdout.split()])
    imported, font, first, total = (statistics.median(s[i] for s in samples) for i in range(4))
    print(f"cold start ({rounds} fresh interpreters, medians):")
    print(f"  import    {imported * 1000:7.0f} ms   (gbt15311.model, gbt15311.render)")
    print(f"  font      {font * 1000:7.0f} ms   (register the TrueType font)")
    print(f"  first PDF {first * 1000:7.0f} ms   (validate, lay out, render, subset)")
    print(f"  total     {total * 1000:7.0f} ms   (target < 1000)")


def batch(count: int) -> None:
    results = {}
    for n in (count // 4, count):
        out = subprocess.run(
            [sys.executable, "-c", BATCH.format(example=str(EXAMPLE), count=n)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        results[n] = [float(v) for v in out.stdout.split()]
    elapsed, peak, size = results[count]
    small_peak = results[count // 4][1]
    print(f"batch of {count} licences ({4 * count} pages), one run each:")
    print(
        f"  time      {elapsed:7.2f} s    (target < 30 s; {elapsed / count * 1000:.1f} ms a "
        "licence)"
    )
    print(f"  peak RSS  {peak:7.1f} MB   ({count // 4} licences: {small_peak:.1f} MB)")
    print(f"  PDF       {size / count:7.0f} bytes a licence ({size / 1e6:.1f} MB in all)")


FLOOR_RENDER = """
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
pdfmetrics.registerFont(TTFont("F", {font!r}))
canvas = Canvas({out!r}, pagesize=(595, 842))
for _ in range(4):
    text = canvas.beginText(40, 800)
    text.setFont("F", 10)
    for line in range(40):
        text.textLine("中华人民共和国进口许可证 ACME 进出口有限公司 %d" % line)
    canvas.drawText(text)
    canvas.showPage()
canvas.save()
"""

LEAST_VALIDATED = """
import click
from pydantic import BaseModel
class Licence(BaseModel):
    licence_no: str
Licence(licence_no="26-AA-000123")
"""
"""What any command that reads its options with click and validates with pydantic pays before
its own code: with ``FLOOR_RENDER`` after it, what the floor would take with those two, were
it to parse the font as ReportLab does at every start (``render`` reads the parsed tables
from the user's cache instead)."""

FLOOR_DATABASE = """
from sqlalchemy import create_engine, text
with create_engine({url!r}).connect() as connection:
    connection.execute(text("SELECT count(*) FROM events")).scalar_one()
"""


def _small_ledger(folder: Path) -> tuple[str, str]:
    """A SQLite ledger with one box received, ten blanks issued and one used; its URL and
    the used serial."""
    from gbt15311 import custody

    url = f"sqlite:///{folder / 'ledger.sqlite3'}"
    ledger = custody.init_ledger(url)
    custody.add_person(ledger, "wang", "王", ["head"], by="wang")
    custody.add_office(ledger, "SH", "上海", by="wang")
    custody.add_person(ledger, "li", "李", ["keeper", "checker"], by="wang")
    custody.add_person(ledger, "zhao", "赵", ["checker"], by="wang")
    custody.add_person(ledger, "chen", "陈", ["operator"], by="wang")
    custody.add_terminal(ledger, "T1", "窗口", office="SH", by="wang")
    custody.add_type(ledger, "IL", "进口许可证", serial_width=10, by="wang")
    custody.receive_shipment(
        ledger,
        office="SH",
        shipment="W1",
        boxes_found=[custody.Box("B1", f"{1:010d}", f"{100:010d}")],
        checkers=["li", "zhao"],
        by="li",
    )
    custody.issue_out(
        ledger, box="B1", terminal="T1", by="li", receiver="chen", head="wang", count=10
    )
    ledger.engine.dispose()
    return url, f"{1:010d}"


def _run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The process's wall time, and the CPU time it used (user + system): on shared cores
    the second barely moves when other work runs, so its ratios are the steadier."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, cwd=ROOT, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime


def start(rounds: int) -> None:
    """Whole processes, interleaved round by round so that noise hits all alike.

    As on an installed system, modules run from cached byte code and the font's character
    tables from the user's cache: a first round, not counted, compiles every module into a
    fresh cache (``PYTHONPYCACHEPREFIX``), whatever ``PYTHONDONTWRITEBYTECODE`` says, for the
    floors and the library alike, and writes the tables into a fresh cache directory
    (``XDG_CACHE_HOME``)."""
    from gbt15311.font import font_path

    command = str(Path(sys.executable).parent / "gbt15311")
    python = sys.executable
    folder = Path(tempfile.mkdtemp(prefix="gbt15311-start-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    env["XDG_CACHE_HOME"] = str(folder / "cache")
    url, serial = _small_ledger(folder)
    pdf, floor_pdf = str(folder / "licence.pdf"), str(folder / "floor.pdf")
    floor_render = FLOOR_RENDER.format(font=str(font_path()), out=floor_pdf)
    cases: dict[str, list[str]] = {
        "import click": [python, "-c", "import click"],
        "--version": [command, "--version"],
        "--help": [command, "--help"],
        "bare ReportLab": [python, "-c", floor_render],
        "+ click, pydantic": [python, "-c", LEAST_VALIDATED + floor_render],
        "render": [command, "render", str(EXAMPLE), "-o", pdf],
        "bare SQLAlchemy": [python, "-c", FLOOR_DATABASE.format(url=url)],
        "custody where": [command, "custody", "where", serial, "--db", url],
        "custody stock": [command, "custody", "stock", "--db", url],
        "custody verify": [command, "custody", "verify", "--db", url],
    }
    for argv in cases.values():  # compile and cache the byte code
        _run_once(argv, env)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, argv in cases.items():
            samples[name].append(_run_once(argv, env))
    median = {name: statistics.median(wall for wall, _ in runs) for name, runs in samples.items()}
    cpu = {name: statistics.median(used for _, used in runs) for name, runs in samples.items()}
    floors = {
        "--version": ("import click", 3.0),
        "--help": ("import click", 3.0),
        "+ click, pydantic": ("bare ReportLab", 1.5),
        "render": ("bare ReportLab", 1.5),
        "custody where": ("bare SQLAlchemy", 2.0),
        "custody stock": ("bare SQLAlchemy", 2.0),
        "custody verify": ("bare SQLAlchemy", 2.0),
    }
    print(f"start, whole processes ({rounds} rounds, medians; CPU time in brackets):")
    for name, seconds in median.items():
        line = f"  {name:17} {seconds * 1000:5.0f} ms ({cpu[name] * 1000:4.0f})"
        if name in floors:
            floor, target = floors[name]
            pairs = list(zip(samples[name], samples[floor], strict=True))
            ratio = statistics.median(ours[0] / theirs[0] for ours, theirs in pairs)
            cpu_ratio = statistics.median(ours[1] / theirs[1] for ours, theirs in pairs)
            line += f"  {ratio:4.2f} × ({cpu_ratio:4.2f}) {floor} (target ≤ {target})"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--cold", type=int, default=5, help="fresh interpreters to time")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--start", type=int, default=7, help="rounds of whole processes")
    parser.add_argument("--only", choices=["start"], help="run one part alone")
    args = parser.parse_args()
    if args.only != "start":
        cold(args.cold)
        warm(args.rounds)
        batch(args.batch)
    start(args.start)


if __name__ == "__main__":
    main()
