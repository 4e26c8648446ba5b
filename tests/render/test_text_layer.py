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
from conftest import BOTH_FORMS
from escp_decode import replay
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from gbt15311.cli import main
from gbt15311.exceptions import LicenceInvalid, Problem
from gbt15311.forms import FORMS
from gbt15311.loading import load_licence
from gbt15311.model import EXAMPLE
from gbt15311.render import MODES, RenderOptions, render_escp, render_licence
from gbt15311.strategies import licence_dicts

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


def loaded(data: dict[str, Any], form: str | None = None) -> tuple[Any, list[Problem]]:
    """The licence ``data`` makes, or ``None`` and the problems validation found."""
    try:
        return load_licence(data, form=form), []
    except LicenceInvalid as invalid:
        return None, invalid.problems


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(TEXT_FIELDS), value=_HOSTILE)
@example(path="importer.name", value="B-")  # a line ending in a hyphen, see extracted()
def test_hostile_text_is_refused_naming_its_field_or_read_back_whole(path: str, value: str) -> None:
    data = with_value(path, value)
    if path in ("trade_mode.name", "place_of_clearance.name"):
        del data[path.split(".")[0]]["code"]  # a district's code names its one district
    licence, refused = loaded(data)
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


EXPORT_TEXT_FIELDS = (
    "exporter.name",
    "consignor.name",
    "trade_mode.name",
    "contract_no",
    "place_of_clearance.name",
    "payment",
    "transport",
    "goods.description",
    "items.0.specification",
    "remarks",
)
FORM_TEXT_FIELDS = {"import": TEXT_FIELDS, "export": EXPORT_TEXT_FIELDS}


def _set(data: dict[str, Any], path: str, value: str) -> None:
    target: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    if parts[0] in ("trade_mode", "place_of_clearance"):
        target.pop("code", None)  # the code names its one name
    target[parts[-1]] = value


@BOTH_FORMS
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), value=_HOSTILE)
def test_a_valid_licence_with_one_hostile_text_is_refused_or_prints_everywhere(
    form: str, data: st.DataObject, value: str
) -> None:
    """Either validation refuses the value naming its field, or the licence prints in every
    PDF mode with the value read back, and ESC/P prints it or refuses it naming that field
    of the licence's own form."""
    document = copy.deepcopy(data.draw(licence_dicts(form)))
    path = data.draw(st.sampled_from(FORM_TEXT_FIELDS[form]))
    if path.startswith("items.0.") and document["items"][0].get("specification_in_remarks"):
        return  # its specification is printed in 备注, not where it is given
    _set(document, path, value)
    where = path.replace(".0.", "[0].")
    named = FORMS[form].fields.field_for_path(where)
    licence, refused = loaded(document, form)
    if refused:
        event("refused")
        assert {p.path for p in refused} == {where}, refused
        return
    event("rendered")
    for mode in MODES:
        pdf = render_licence(licence, serial="0000001", options=RenderOptions(mode=mode, parts=[1]))
        for text in extracted(pdf):
            assert "".join(value.split(" ")) in text, mode
    try:
        stream = render_escp(licence)
    except LicenceInvalid as invalid:
        refused = invalid.problems
    if refused:
        event("refused by the printer")
        field = (named.number if named else None, where.split(".")[0])
        assert {(p.field, p.path.split(".")[0]) for p in refused} == {field}, refused
        return
    printed = "".join(p.text for p in replay(stream).pages[0])
    assert "".join(value.split(" ")) in "".join(printed.split(" "))
