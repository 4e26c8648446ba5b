"""The validate and schema commands: exit statuses, both output forms, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gbt15311.cli import main
from gbt15311.export_licence import EXAMPLE as EXPORT_EXAMPLE
from gbt15311.model import EXAMPLE


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_valid_examples_exit_0_with_a_summary(runner: CliRunner, examples: Path) -> None:
    result = runner.invoke(main, ["validate", *map(str, sorted(examples.glob("*.json")))])
    assert result.exit_code == 0, result.output
    assert "26-AA-000123" in result.output
    assert "total EUR 250000.00" in result.output


def test_invalid_file_exits_1_listing_every_problem(runner: CliRunner, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", {**EXAMPLE, "currency": "XYZ", "licence_no": "1"})
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "2 problems" in result.output
    assert "第3项 进口许可证号 Import licence No. (licence_no)" in result.output
    assert "(currency)" in result.output


def test_json_output_lists_problem_records(runner: CliRunner, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", {**EXAMPLE, "use_of_goods": ""})
    result = runner.invoke(main, ["validate", "--json", str(bad)])
    assert result.exit_code == 1
    records = json.loads(result.output)
    assert records == [
        {
            "field": 10,
            "name_zh": "商品用途",
            "name_en": "Use of goods",
            "path": "use_of_goods",
            "message": "is required",
        }
    ]


def test_several_files_name_the_file_in_json(
    runner: CliRunner, tmp_path: Path, examples: Path
) -> None:
    bad = write(tmp_path, "bad.json", {**EXAMPLE, "use_of_goods": ""})
    result = runner.invoke(
        main, ["validate", "--json", str(examples / "import-licence.json"), str(bad)]
    )
    assert result.exit_code == 1
    assert [r["file"] for r in json.loads(result.output)] == [str(bad)]


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00", b""])
def test_unreadable_or_not_json_exits_2(runner: CliRunner, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "cannot be read as JSON" in result.output
    assert "Traceback" not in result.output


def test_missing_file_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path / "absent.json")])
    assert result.exit_code == 2


def test_a_licence_that_is_not_an_object_is_invalid_not_a_crash(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(main, ["validate", str(write(tmp_path, "list.json", [1, 2]))])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_schema_describes_every_field_bilingually(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert set(schema["properties"]) == {"form", *EXAMPLE}
    assert "第1项 进口商 Importer" in json.dumps(schema, ensure_ascii=False)


def test_schema_of_the_export_form_names_the_export_fields(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema", "--form", "export"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert set(schema["properties"]) == set(EXPORT_EXAMPLE)
    assert schema["required"][0] == "form"
    text = json.dumps(schema, ensure_ascii=False)
    assert "第1项 出口商 Exporter" in text
    assert "第6项 合同号 Contract No., an..17" in text


def test_validate_tells_the_forms_apart_by_the_form_key(runner: CliRunner, tmp_path: Path) -> None:
    as_import = write(tmp_path, "a.json", {**EXPORT_EXAMPLE, "form": "import"})
    exported = write(tmp_path, "b.json", EXPORT_EXAMPLE)
    result = runner.invoke(main, ["validate", str(exported)])
    assert result.exit_code == 0, result.output
    assert "valid: export 26-SH-004512" in result.output
    result = runner.invoke(main, ["validate", "--json", str(as_import)])
    assert result.exit_code == 1
    problems = json.loads(result.output)
    assert {
        "field": None,
        "name_zh": "进口许可证",
        "name_en": "Import licence",
        "path": "contract_no",
        "message": "'contract_no' is not a field of the import licence",
    } in problems
