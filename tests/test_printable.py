"""What validates prints: text that cannot print is a problem naming its field, never a crash
at validation or at render; numbers too long to write out say what the field allows; a file
is decoded once, so every command gives it the same verdict."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont

from gbt15311 import font
from gbt15311.cli import main
from gbt15311.exceptions import LicenceInvalid, Problem
from gbt15311.loading import load_licence, read_json
from gbt15311.model import EXAMPLE

TEXT_FIELDS = (
    "importer.name",
    "consignee.name",
    "trade_mode.name",
    "foreign_exchange",
    "place_of_clearance.name",
    "use_of_goods",
    "goods.description",
    "items[0].specification",
    "remarks",
)
"""Every field whose text the clerk types and the renderer prints as given."""

ODD_WHITESPACE = (
    "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(map(chr, range(0x2000, 0x200B)))
)
"""Every whitespace character but the plain space (``str.isspace``), and no-break spaces."""


def with_value(path: str, value: Any) -> dict[str, Any]:
    """The example licence with the field at ``path`` (``items[0].specification``) set."""
    data = copy.deepcopy(dict(EXAMPLE))
    target: Any = data
    parts = path.replace("[0]", ".0").split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    target[parts[-1]] = value
    return data


def problems_of(data: Any) -> list[Problem]:
    with pytest.raises(LicenceInvalid) as raised:
        load_licence(data)
    return raised.value.problems


def test_the_whitespace_list_is_every_whitespace_but_the_space() -> None:
    every = {chr(c) for c in range(0x110000) if chr(c).isspace()} - {" "}
    assert every <= set(ODD_WHITESPACE)


@pytest.mark.parametrize("path", TEXT_FIELDS)
def test_a_lone_surrogate_is_a_problem_naming_the_field(path: str) -> None:
    for value in ("\ud800", "上海\udfff公司"):
        problems = problems_of(with_value(path, value))
        assert [p.path for p in problems] == [path]
        assert "U+D" in problems[0].message
        assert "lone surrogate" in problems[0].message
        json.dumps(problems[0].as_dict(), ensure_ascii=False).encode("utf-8")


def test_a_surrogate_encoded_in_the_file_names_the_field(
    tmp_path: Path,
) -> None:
    text = json.dumps(with_value("remarks", "@@"), ensure_ascii=False).encode("utf-8")
    path = tmp_path / "surrogate.json"
    path.write_bytes(text.replace(b"@@", b"\xed\xa0\x80"))
    assert [p.path for p in problems_of(path.read_bytes())] == ["remarks"]
    result = CliRunner().invoke(main, ["validate", "--json", str(path)])
    assert result.exit_code == 1, result.output
    assert [r["path"] for r in json.loads(result.output)] == ["remarks"]


def test_a_key_holding_a_lone_surrogate_is_a_problem_of_its_object() -> None:
    problems = problems_of({**EXAMPLE, "re\ud800marks": ""})
    assert [(p.path, p.message) for p in problems] == [
        ("", "has a key holding a lone surrogate (U+D800 to U+DFFF), which is not text")
    ]


@pytest.mark.parametrize("path", TEXT_FIELDS)
@pytest.mark.parametrize("ch", ODD_WHITESPACE)
def test_whitespace_other_than_the_space_is_refused_alone_or_within_text(
    path: str, ch: str
) -> None:
    for value in (ch, ch * 3, f"上海{ch}公司"):
        problems = problems_of(with_value(path, value))
        assert [p.path for p in problems] == [path], value
        assert f"U+{ord(ch):04X}" in problems[0].message


def _glyphs_that_draw() -> tuple[set[int], set[int]]:
    """Code points the font maps, and those whose glyph has an outline and an advance, read
    from 'glyf' and 'hmtx' (the library reads 'loca')."""
    with TTFont(font.font_path()) as ttf:
        glyf, metrics = ttf["glyf"], ttf["hmtx"].metrics
        cmap = ttf.getBestCmap()
        return set(cmap), {
            c
            for c, name in cmap.items()
            if glyf[name].numberOfContours != 0 and metrics[name][0] > 0
        }


def test_coverage_is_exactly_the_glyphs_that_draw_over_every_mapped_code_point() -> None:
    mapped, drawing = _glyphs_that_draw()
    covered = {c for c in mapped if not font.missing_glyphs(chr(c))}
    assert covered == drawing | {0x20}
    # the characters the issue found printing blank
    blank = "\u3095\u3096\u309d\u309e\u30a0\uf9ea\ufacf\ufad0\ufad1\ufad5\ufad6\ufad7\U0002f803"
    assert {ord(ch) for ch in blank} <= mapped - covered


def test_a_character_whose_glyph_is_empty_is_refused() -> None:
    problems = problems_of(with_value("consignee.name", "上ゕ海"))
    assert [p.path for p in problems] == ["consignee.name"]
    assert "U+3095" in problems[0].message


def test_a_licence_in_a_json_string_gets_one_verdict_everywhere(tmp_path: Path) -> None:
    path = tmp_path / "string.json"
    path.write_text(json.dumps(json.dumps(EXAMPLE, ensure_ascii=False)), encoding="utf-8")
    assert [p.message for p in problems_of(path.read_bytes())] == [
        "must be a JSON object with its own keys"
    ]
    for command in ("validate", "layout"):
        result = CliRunner().invoke(main, [command, str(path)])
        assert result.exit_code == 1, (command, result.output)
        assert "must be a JSON object" in result.output


def _with_quantity(quantity: Any) -> dict[str, Any]:
    data = with_value("items[0].quantity", quantity)
    del data["items"][0]["amount"]
    return data


@pytest.mark.parametrize(
    "data",
    [
        _with_quantity("9" * 5000),
        _with_quantity(int("9" * 4000) * 10**1000),
        json.dumps(_with_quantity(1)).replace('"quantity": 1', '"quantity": ' + "9" * 5000),
    ],
    ids=["text", "python-int", "json-number"],
)
def test_a_5000_digit_quantity_says_what_the_field_allows(data: Any) -> None:
    problems = problems_of(data)
    assert [p.path for p in problems] == ["items[0].quantity"]
    assert re.search(r"at most \d+ (print positions )?fit", problems[0].message), problems
    assert "4300" not in problems[0].message
    assert "Value error" not in problems[0].message


def test_json_integers_of_any_length_are_read_whole() -> None:
    assert read_json("[" + "9" * 5000 + "]")[0] == int("9" * 4000) * 10**1000 + int("9" * 1000)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_a_file_in_another_json_encoding_is_still_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "licence.json"
    path.write_bytes(json.dumps(EXAMPLE, ensure_ascii=False).encode(encoding))
    assert load_licence(path.read_bytes()).licence_no == EXAMPLE["licence_no"]
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0


@pytest.mark.parametrize("twice", ['"currency": "USD"', '"items": []'])
def test_a_key_given_twice_is_refused_naming_it(tmp_path: Path, twice: str) -> None:
    """Parsers disagree on which value counts: the licence printed could differ from the one
    another system checked."""
    text = json.dumps(EXAMPLE, ensure_ascii=False)
    path = tmp_path / "twice.json"
    path.write_text(f"{text[:-1]}, {twice}}}", "utf-8")
    key = twice.split(":")[0].strip('"')
    (problem,) = problems_of(path.read_bytes())
    assert f"has the key '{key}' twice" in problem.message
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert f"has the key '{key}' twice" in result.output


def test_bytes_that_are_not_text_say_where(tmp_path: Path) -> None:
    (problem,) = problems_of(b'{"remarks": "\xff"}')
    assert "byte 0xff at offset 13" in problem.message


@pytest.mark.parametrize(
    ("key", "value", "ending"),
    [
        ("licence_no", "9" * 100_000, "this one has 100000"),
        ("country_of_origin", "X" * 100_000, "not a country or region of GB/T 2659 (ISO 3166-1)"),
        ("Z" * 5_000, 1, "is not a field of the import licence"),
    ],
)
def test_a_huge_value_is_quoted_by_its_start_and_the_rule_kept_whole(
    key: str, value: Any, ending: str
) -> None:
    data = {**EXAMPLE, key: value}
    with pytest.raises(LicenceInvalid) as refused:
        load_licence(data)
    (found,) = refused.value.problems
    assert len(found.message) < 450
    assert len(found.path) < 450
    assert found.message.startswith(f"'{str(value if value != 1 else key)[:50]}")
    assert found.message.endswith(ending)
    assert re.search(r"…\[[\d,]+ characters left out\]…", found.message)
