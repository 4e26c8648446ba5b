"""The commands: clear messages for bad input, never a traceback; every command documented."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import click
import pdfplumber
import pytest
from click.testing import CliRunner
from escp_decode import replay

from gbt15311.cli import main
from gbt15311.cli import printer as printer_cli
from gbt15311.cli import render as render_cli

EXAMPLES = Path(__file__).parent.parent.parent / "examples"
EXAMPLE = str(EXAMPLES / "import-licence.json")
DOCS = Path(__file__).parent.parent.parent / "docs"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def pages(path: Path) -> int:
    with pdfplumber.open(path) as document:
        return len(document.pages)


def test_render_writes_the_pdf(tmp_path: Path) -> None:
    out = tmp_path / "licence.pdf"
    assert run("render", EXAMPLE, "-o", str(out), "--serial", "0012345")[0] == 0
    assert pages(out) == 4
    code, _ = run("render", EXAMPLE, "-o", str(out), "--mode", "proof", "--parts", "2,3")
    assert (code, pages(out)) == (0, 2)
    assert run("render", EXAMPLE, "-o", str(out), "--parts", "set")[0] == 0
    assert pages(out) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--parts", "1,x"], "'1,x' is not a list of parts"),
        (["--parts", "1,1"], "names a part twice"),
        (["--parts", "5"], "parts [5]: the template has parts [1, 2, 3, 4]"),
        (["--serial", "12ab"], "serial '12ab' must be 1 to 9 digits"),
        (["--printer", "nowhere"], "no printer profile named 'nowhere'"),
        (["--template", "missing.toml"], "missing.toml: cannot read the template"),
        (["--mode", "draft"], "'draft' is not one of"),
    ],
)
def test_render_refuses_bad_arguments_with_a_message(
    tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.pdf"
    code, output = run("render", EXAMPLE, "-o", str(out), *args)
    assert code != 0
    assert message in output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no half-written file either


def test_render_reports_a_bad_licence_with_its_fields(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"licence_no": "26-AA-12"}), encoding="utf-8")
    code, output = run("render", str(bad), "-o", str(tmp_path / "x.pdf"))
    assert code == 1
    assert "bad.json:" in output
    assert "第3项 进口许可证号 Import licence No." in output
    code, output = run("render", str(tmp_path / "none.json"), "-o", str(tmp_path / "x.pdf"))
    assert code == 2
    assert "none.json: cannot be read" in output
    (tmp_path / "not.json").write_text("{", "utf-8")
    output_option = ["-o", str(tmp_path / "x.pdf")]
    for command, options in (("render", output_option), ("layout", []), ("preview", output_option)):
        code, output = run(command, str(tmp_path / "not.json"), *options)
        assert code == 2, (command, output)
        assert "not.json: cannot be read as JSON" in output


def test_layout_prints_json_a_third_party_can_map_onto_paper() -> None:
    code, output = run("layout", EXAMPLE)
    assert code == 0
    document = json.loads(output)
    assert document["paper_mm"] == {"width": 210.0, "height": 297.0}
    assert document["frame_origin_mm"] == {"x": 20.0, "y": pytest.approx(26.933333)}
    assert document["pitch_mm"] == {"column": 2.54, "line": pytest.approx(4.233333)}
    first = document["placements"][0]
    assert first == {
        "field": "importer.name",
        "line": 2,
        "column": 2,
        "text": "中国机械进出口（集团）有限公司",
        "width": 30,
    }


def test_preview_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "proof.png"
    assert run("preview", EXAMPLE, "-o", str(out), "--dpi", "50", "--page", "2")[0] == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, output = run("preview", EXAMPLE, "-o", str(out), "--page", "9")
    assert (code, "page 9: the PDF has 5 pages" in output) == (1, True)


def test_calibrate_and_printer_profiles(tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    assert run("calibrate", "-o", str(out))[0] == 0
    assert pages(out) == 1
    code, output = run("printer", "set", "front desk", "--dx", "1.5", "--dy", "-0.5")
    assert (code, "front desk: dx +1.5 mm, dy -0.5 mm, sx 1, sy 1" in output) == (0, True)
    assert "sx 1.002" in run("printer", "set", "front desk", "--sx", "1.002")[1]
    assert "dx +1.5 mm" in run("printer", "list")[1]
    assert "printers.toml" in run("printer", "show", "front desk")[1]
    assert run("calibrate", "-o", str(out), "--printer", "front desk")[0] == 0
    assert run("render", EXAMPLE, "-o", str(out), "--printer", "front desk")[0] == 0
    code, output = run("printer", "set", "x", "--dx", "40")
    assert (code, "outside ±30 mm" in output) == (1, True)
    assert run("printer", "remove", "front desk")[0] == 0
    code, output = run("printer", "show", "front desk")
    assert (code, "no printer profile named 'front desk'" in output) == (1, True)
    assert "no printer profiles yet" in run("printer", "list")[1]


def test_render_batch_reports_bad_records_and_renders_the_others(tmp_path: Path) -> None:
    good = json.dumps(
        json.loads((EXAMPLES / "import-licence.json").read_text("utf-8")), ensure_ascii=False
    )
    source = tmp_path / "licences.jsonl"
    source.write_text(f'{good}\n\n{{"licence_no": 1}}\nnot json\n{good}\n', "utf-8")
    out = tmp_path / "batch.pdf"
    code, output = run("render-batch", str(source), "-o", str(out), "--serial", "0000100")
    assert code == 1
    assert "licences.jsonl:3: " in output
    assert "licences.jsonl:4: " in output
    assert "2 licences rendered, 2 bad records" in output
    assert pages(out) == 8
    with pdfplumber.open(out) as document:
        stamps = [
            "".join(c["text"] for c in page.chars if round(c["size"], 2) < 10)
            for page in document.pages
        ]
    assert stamps[0].startswith("核对空白证 No.0000100")
    assert stamps[4].startswith("核对空白证 No.0000101")
    strict = tmp_path / "strict.pdf"
    code, output = run("render-batch", str(source), "-o", str(strict), "--strict")
    assert (code, "licences.jsonl:3: " in output, strict.exists()) == (1, True, False)


def test_render_batch_reports_an_unreadable_file_of_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_bytes((EXAMPLES / "import-licence.json").read_bytes())
    (folder / "b.json").mkdir()  # a folder named like a file cannot be read as one
    code, output = run("render-batch", str(folder), "-o", str(tmp_path / "out.pdf"))
    assert code == 1
    assert "b.json: cannot be read" in output
    assert "1 licence rendered, 1 bad record" in output


def test_render_batch_reads_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "imports"
    folder.mkdir()
    for path in EXAMPLES.glob("*.json"):
        if json.loads(path.read_text("utf-8")).get("form", "import") == "import":
            (folder / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "batch.pdf"
    code, output = run(
        "render-batch", str(folder), "-o", str(out), "--mode", "archive", "--parts", "1"
    )
    count = len(list(folder.glob("*.json")))
    assert count >= 3
    assert code == 0
    assert f"{count} licences rendered" in output
    assert pages(out) == 2 * count  # part 1 and its back
    assert "no such file" in run("render-batch", str(tmp_path / "none"), "-o", str(out))[1]


def test_a_batch_is_of_one_form_and_a_licence_of_the_other_is_a_bad_record(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.json").write_bytes(Path(EXAMPLE).read_bytes())
    (folder / "b.json").write_bytes((EXAMPLES / "export-licence.json").read_bytes())
    out = tmp_path / "batch.pdf"
    code, output = run("render-batch", str(folder), "-o", str(out), "--parts", "1")
    assert code == 1
    assert "b.json: is an export licence; this batch prints on the import form" in output
    assert "1 licence rendered, 1 bad record" in output
    assert pages(out) == 1


def test_every_command_is_documented() -> None:
    docs = "\n".join(path.read_text("utf-8") for path in DOCS.glob("*.md"))
    commands: list[click.Command] = [*render_cli.COMMANDS, *printer_cli.COMMANDS]
    names = [f"gbt15311 {c.name}" for c in commands]
    names += [f"gbt15311 printer {name}" for name in printer_cli.printer.commands]
    for name in names:
        assert name in docs, f"{name} is not in docs/"


def jsonl(tmp_path: Path, count: int) -> Path:
    line = json.dumps(json.loads(Path(EXAMPLE).read_text("utf-8")), ensure_ascii=False)
    source = tmp_path / "licences.jsonl"
    source.write_text(f"{line}\n" * count, "utf-8")
    return source


@pytest.mark.parametrize("command", ["render", "render-batch", "preview", "calibrate"])
def test_an_output_that_is_a_folder_or_a_pipe_is_a_usage_error_before_any_work(
    tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # as a printer device would be: renaming a file onto it destroys it
    source = {"render-batch": [str(jsonl(tmp_path, 2))], "calibrate": []}.get(command, [EXAMPLE])

    def no_rendering(*args: object, **kwargs: object) -> None:
        raise AssertionError("rendered before the output was checked")

    monkeypatch.setattr(render_cli, "load_template", no_rendering)
    for output, message in (
        (folder, "out: is a folder; -o takes the name of the file to write"),
        (tmp_path / "none" / "x.pdf", "the folder"),
        (pipe, "pipe: is a device or a pipe, not a file"),
    ):
        code, printed = run(command, *source, "-o", str(output))
        assert (code, message in printed) == (2, True), printed
    assert list(folder.iterdir()) == []
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_an_output_that_is_a_link_writes_the_file_it_names_and_stays_a_link(
    tmp_path: Path,
) -> None:
    (tmp_path / "archive").mkdir()
    target = tmp_path / "archive" / "latest.pdf"
    target.write_bytes(b"yesterday's")
    link = tmp_path / "latest.pdf"
    link.symlink_to(target)
    code, printed = run("render", EXAMPLE, "-o", str(link))
    assert code == 0, printed
    assert link.is_symlink()
    assert target.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in (tmp_path / "archive").iterdir()) == ["latest.pdf"]


def test_render_batch_on_a_pretty_printed_json_file_says_it_is_not_json_lines(
    tmp_path: Path,
) -> None:
    source = tmp_path / "licence.json"
    source.write_text(Path(EXAMPLE).read_text("utf-8"), "utf-8")  # indented, over many lines
    lines = len(source.read_text("utf-8").strip().splitlines())
    out = tmp_path / "batch.pdf"
    code, output = run("render-batch", str(source), "-o", str(out))
    assert code == 2
    assert "licence.json: this is not JSON Lines: the file starts with one JSON document " in output
    assert f"over {lines} lines" in output
    assert "Extra data" not in output
    assert not out.exists()


def test_sigterm_during_render_batch_leaves_no_temporary_file(tmp_path: Path) -> None:
    source = jsonl(tmp_path, 400)
    folder = tmp_path / "out"
    folder.mkdir()
    command = [sys.executable, "-c", "from gbt15311.cli import main; main()", "render-batch"]
    process = subprocess.Popen(
        [*command, str(source), "-o", str(folder / "batch.pdf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not any(folder.iterdir()):  # the hidden temporary file appears as rendering starts
        assert process.poll() is None, "the batch ended before it was interrupted"
        assert time.monotonic() < deadline, "the batch never started"
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, errors
    assert b"Traceback" not in errors
    assert list(folder.iterdir()) == []


def test_escp_output_of_render_render_batch_and_calibrate(tmp_path: Path) -> None:
    code, output = run(
        "printer", "set", "lq", "--escp-left", "12", "--escp-top", "90", "--hanzi-spacing", "0,12"
    )
    assert code == 0
    assert "ESC/P origin 12/60 in, 90/360 in, hanzi spacing 0,12, GB18030" in output
    out = tmp_path / "licence.prn"
    args = ["--format", "escp", "--printer", "lq"]
    assert run("render", EXAMPLE, "-o", str(out), "--serial", "0012345", *args)[0] == 0
    assert out.read_bytes().startswith(b"\x1b@\x1b(C\x02\x00\x71\x10")
    assert b"\x1cS\x00\x0c" in out.read_bytes()
    run("printer", "set", "lq", "--charset", "GB2312")
    odd = json.loads(Path(EXAMPLE).read_text("utf-8"))
    odd["consignee"]["name"] = "上海镕钢有限公司"  # 镕 is in GB18030, not in GB2312
    source = jsonl(tmp_path, 2)
    with source.open("a", encoding="utf-8") as lines:
        lines.write(json.dumps(odd, ensure_ascii=False) + "\n")
    batch = tmp_path / "batch.prn"
    code, output = run("render-batch", str(source), "-o", str(batch), *args)
    assert code == 1
    assert "licences.jsonl:3: 1 problem" in output
    assert "'镕' (U+9555) is not in the printer's character set GB2312" in output
    assert "2 licences rendered, 1 bad record" in output
    assert len(replay(batch.read_bytes(), "gb2312").pages) == 2
    sheet = tmp_path / "sheet.prn"
    assert run("calibrate", "-o", str(sheet), *args)[0] == 0
    assert b"CALIBRATION lq" in sheet.read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mode", "proof"], "overlay only"),
        (["--parts", "1"], "one pass through the carbon set"),
    ],
)
def test_escp_is_overlay_in_one_pass(tmp_path: Path, args: list[str], message: str) -> None:
    code, output = run("render", EXAMPLE, "-o", str(tmp_path / "x.prn"), "--format", "escp", *args)
    assert (code, message in output) == (2, True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hanzi-spacing", "6,7"], "must be two whole numbers adding up to 12"),
        (["--hanzi-spacing", "six"], "'six' is not two whole numbers"),
        (["--escp-top", "-1"], "escp_top = -1 must be a whole number from 0 to 720"),
        (["--charset", "BIG5"], "'BIG5' is not one of"),
    ],
)
def test_bad_escp_settings_are_refused(args: list[str], message: str) -> None:
    code, output = run("printer", "set", "lq", *args)
    assert code != 0
    assert message in output
