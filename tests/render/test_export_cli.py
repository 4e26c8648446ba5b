"""The export licence through every command, as the import licence goes: nothing but the
document's ``form`` tells the commands which form to print."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pikepdf
from click.testing import CliRunner

from gbt15311.cli import main

EXAMPLES = Path(__file__).parent.parent.parent / "examples"
EXPORT = str(EXAMPLES / "export-licence.json")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def text(path: Path, page: int = 0) -> str:
    with pdfplumber.open(path) as document:
        return str(document.pages[page].extract_text())


def test_the_export_proof_renders_with_no_other_flag(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    code, _ = run("render", EXPORT, "-o", str(out), "--mode", "proof", "--serial", "0012345")
    assert code == 0
    page = text(out).replace(" ", "")
    for printed in (
        "中华人民共和国出口许可证",
        "EXPORTLICENCEOFTHEPEOPLE'SREPUBLICOFCHINA",
        "No.0012345",
        "6.合同号ContractNo.",
        "26SHEX-DE0417-003",
        "8.进口国（地区）Country/Regionofpurchase",
        "德国",
        "9.付款方式Paymentconditions",
        "信用证",
        "10.运输方式Modeoftransport",
        "海上运输",
        "12.规格、等级",
        "1.出口商Exporter",
        "91310000MA1FL0TE2Y",
    ):
        assert printed in page, printed
    assert "进口商" not in page
    assert "外汇来源" not in page


def test_the_export_licence_goes_through_validate_layout_preview_and_batch(
    tmp_path: Path,
) -> None:
    code, output = run("validate", EXPORT)
    assert (code, "valid: export 26-SH-004512" in output) == (0, True)
    code, output = run("layout", EXPORT)
    assert code == 0
    layout = json.loads(output)
    assert layout["template"] == "export-licence"
    contract = [p for p in layout["placements"] if p["field"] == "contract_no"]
    assert contract == [
        {"field": "contract_no", "line": 19, "column": 3, "text": "26SHEX-DE0417-003", "width": 17}
    ]
    png = tmp_path / "proof.png"
    assert run("preview", EXPORT, "-o", str(png), "--dpi", "40")[0] == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ("a.json", "b.json"):
        (folder / name).write_bytes(Path(EXPORT).read_bytes())
    batch = tmp_path / "batch.pdf"
    code, output = run("render-batch", str(folder), "-o", str(batch), "--serial", "0000100")
    assert (code, "2 licences rendered, 0 bad records" in output) == (0, True)
    assert "核对空白证 No.0000101" in text(batch, 4)


def test_the_export_archive_is_pdfa_and_names_the_export_licence(tmp_path: Path) -> None:
    out = tmp_path / "archive.pdf"
    assert run("render", EXPORT, "-o", str(out), "--mode", "archive", "--parts", "1")[0] == 0
    with pikepdf.open(out) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "2B"
        subject = str(meta.get("dc:description"))
    assert "Archive copy of export licence 26-SH-004512" in subject
    assert "exporter 上海机械进出口有限公司" in subject
    assert "GB/T 15311.2-2008, template export-licence" in subject


def test_escp_and_calibration_for_the_export_form(tmp_path: Path) -> None:
    out = tmp_path / "export.prn"
    assert run("render", EXPORT, "-o", str(out), "--format", "escp", "--serial", "12")[0] == 0
    assert b"26SHEX-DE0417-003" in out.read_bytes()
    sheet = tmp_path / "sheet.pdf"
    assert run("calibrate", "-o", str(sheet), "--form", "export")[0] == 0
    assert "export-licence" in text(sheet)


def test_an_export_licence_on_the_import_template_is_refused(tmp_path: Path) -> None:
    template = Path(__file__).parent.parent.parent / "gbt15311/templates/import-licence.toml"
    out = tmp_path / "out.pdf"
    code, output = run("render", EXPORT, "-o", str(out), "--template", str(template))
    assert code != 0
    assert "a template of the import form; the licence 26-SH-004512 is of the export form" in output
    assert not out.exists()
