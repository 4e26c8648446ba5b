"""What validates prints, and a PDF reader reads back exactly the accepted text: hostile text
in every field is refused naming the field, or it renders and every character is extracted."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from gbt15311.cli import main
from gbt15311.exceptions import LicenceInvalid
from gbt15311.loading import load_licence
from gbt15311.model import EXAMPLE
from gbt15311.render import RenderOptions, render_licence

BEYOND_BMP = "上\U00020547海\U0002f800\U0001d300公司"
"""Characters beyond U+FFFF the font draws: four bytes in UTF-8, a pair in UTF-16."""

TEXT_FIELDS = (
    "importer.name",
    "consignee.name",
    "trade_mode.name",
    "foreign_exchange",
    "place_of_clearance.name",
    "use_of_goods",
    "goods.description",
    "items.0.specification",
    "remarks",
)


def with_value(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(dict(EXAMPLE))
    target: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    target[parts[-1]] = value
    return data


PDFIUM_LINE_END_HYPHEN = "\ufffe"
"""What pdfium gives for a hyphen that ends a line after a letter (``B-``, ``上海-``): it
takes the hyphen for a word broken across lines, marks it so, and joins the lines. The PDF
holds the hyphen itself (``(B-) Tj``), and pdfplumber reads it so."""


def extracted(pdf: bytes) -> tuple[str, str]:
    """The first page's text as pdfium and as pdfplumber read it, without whitespace."""
    document = pdfium.PdfDocument(pdf)
    try:
        by_pdfium = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    by_pdfium = by_pdfium.replace(PDFIUM_LINE_END_HYPHEN, "-")
    with pdfplumber.open(io.BytesIO(pdf)) as plumber:
        by_plumber = "".join(c["text"] for c in plumber.pages[0].chars)
    return "".join(by_pdfium.split()), "".join(by_plumber.split())


def test_characters_beyond_the_bmp_are_extracted_as_accepted() -> None:
    licence = load_licence(with_value("remarks", BEYOND_BMP))
    pdf = render_licence(licence, serial="0000001", options=RenderOptions(mode="proof", parts=[1]))
    for text in extracted(pdf):
        assert BEYOND_BMP in text


@pytest.mark.parametrize("ch", ["\u2028", "\t", "\xa0", "\u3000", "\u2003", "\x1c", "\x85"])
def test_render_and_render_batch_refuse_odd_whitespace_without_a_traceback(
    tmp_path: Path, ch: str
) -> None:
    bad = json.dumps(with_value("remarks", ch * 2), ensure_ascii=False)
    good = json.dumps(dict(EXAMPLE), ensure_ascii=False)
    single = tmp_path / "bad.json"
    single.write_text(bad, "utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["render", str(single), "-o", str(tmp_path / "bad.pdf")])
    assert result.exit_code == 1, result.output
    assert "remarks" in result.output
    assert f"U+{ord(ch):04X}" in result.output
    assert not (tmp_path / "bad.pdf").exists()
    batch = tmp_path / "batch.jsonl"
    batch.write_text(f"{good}\n{bad}\n{good}\n", "utf-8")
    result = runner.invoke(main, ["render-batch", str(batch), "-o", str(tmp_path / "b.pdf")])
    assert result.exit_code == 1, result.output
    assert "batch.jsonl:2: " in result.output
    assert "2 licences rendered, 1 bad record" in result.output


_HOSTILE = st.text(
    st.one_of(
        st.characters(codec=None),  # anything, lone surrogates included
        st.characters(categories=["Cs"]),
        st.characters(categories=["Zs", "Zl", "Zp", "Cc"]),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
        st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),
        st.characters(min_codepoint=0x2F800, max_codepoint=0x2FA1F),
        st.sampled_from("\u3095\u309d\u30a0\uf9ea\ufacf“”—·é "),
    ),
    max_size=12,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(TEXT_FIELDS), value=_HOSTILE)
@example(path="importer.name", value="B-")  # a line ending in a hyphen, see extracted()
def test_hostile_text_is_refused_naming_its_field_or_read_back_whole(path: str, value: str) -> None:
    data = with_value(path, value)
    if path in ("trade_mode.name", "place_of_clearance.name"):
        del data[path.split(".")[0]]["code"]  # a district's code names its one district
    try:
        licence = load_licence(data)
    except LicenceInvalid as invalid:
        refused = invalid.problems
    else:
        refused = []
    if refused:
        event("refused")
        assert {p.path for p in refused} == {path.replace(".0.", "[0].")}, refused
        for problem in refused:
            json.dumps(problem.as_dict(), ensure_ascii=False).encode("utf-8")
        return
    event("rendered")
    pdf = render_licence(licence, serial="0000001", options=RenderOptions(mode="proof", parts=[1]))
    for text in extracted(pdf):
        assert "".join(value.split(" ")) in text
