"""The bundled font: where it is found, what it covers, how wide its glyphs are."""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbt15311 import font
from gbt15311.cells import char_width
from gbt15311.fields import FIELDS


def gb2312_hanzi() -> str:
    """The 6,763 characters of GB 2312, the set every Chinese system can type."""
    return "".join(
        bytes([row, cell]).decode("gb2312")
        for row in range(0xB0, 0xF8)
        for cell in range(0xA1, 0xFF)
        if (row, cell) not in {(0xD7, c) for c in range(0xFA, 0xFF)}  # the gap after 座
    )


@pytest.fixture
def fresh_font_path() -> Iterator[None]:
    font.font_path.cache_clear()
    yield
    font.font_path.cache_clear()


def test_the_bundled_font_is_found_and_is_truetype() -> None:
    path = font.font_path()
    assert path.name == f"{font.FONT_NAME}.ttf"
    # ReportLab embeds TrueType outlines only, not CFF ('OTTO').
    assert path.read_bytes()[:4] == b"\x00\x01\x00\x00"


def test_the_installed_font_wins_over_a_source_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_font_path: None
) -> None:
    package = tmp_path / "site-packages" / "gbt15311"
    (package / "fonts").mkdir(parents=True)
    (package / "fonts" / f"{font.FONT_NAME}.ttf").touch()
    (tmp_path / "site-packages" / "fonts").mkdir()
    (tmp_path / "site-packages" / "fonts" / f"{font.FONT_NAME}.ttf").touch()
    monkeypatch.setattr(font, "__file__", str(package / "font.py"))
    assert font.font_path() == package / "fonts" / f"{font.FONT_NAME}.ttf"


def test_a_missing_font_names_both_places_looked_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_font_path: None
) -> None:
    package = tmp_path / "gbt15311"
    monkeypatch.setattr(font, "__file__", str(package / "font.py"))
    with pytest.raises(FileNotFoundError) as error:
        font.font_path()
    assert str(package / "fonts") in str(error.value)
    assert str(tmp_path / "fonts") in str(error.value)


def test_printable_ascii_is_covered_which_the_fast_path_relies_on() -> None:
    # The Chinese character sends the text down the general path, which reads the font.
    assert font.missing_glyphs(string.printable.strip() + " 中") == []


def test_every_gb2312_character_and_every_field_name_is_covered() -> None:
    hanzi = gb2312_hanzi()
    assert len(hanzi) == 6763
    assert font.missing_glyphs(hanzi) == []
    names = "".join(field.name_zh for field in FIELDS.values())
    assert font.missing_glyphs(names + "（）、，。：；“”《》·—×°№…") == []


def test_characters_the_font_lacks_are_reported_once_each_in_order() -> None:
    emoji, extension_b = "\U0001f600", "\U00020000"
    assert font.missing_glyphs(f"北京{extension_b}公司{emoji}{extension_b}") == [
        extension_b,
        emoji,
    ]


def test_only_the_plain_space_is_a_covered_blank() -> None:
    assert font.missing_glyphs("a\tb\x00") == ["\t", "\x00"]
    # the ideographic space has an advance but draws nothing, like U+3095 (see cells)
    assert font.missing_glyphs("a b\u3000c\u3095") == ["\u3000", "\u3095"]


@given(st.text(st.characters(max_codepoint=0x7F)))
def test_ascii_fast_path_agrees_with_the_general_path(text: str) -> None:
    assert font.missing_glyphs(text) == font.missing_glyphs(text + "中")


@given(st.text())
def test_missing_glyphs_agrees_with_glyph_cells(text: str) -> None:
    missing = font.missing_glyphs(text)
    assert len(set(missing)) == len(missing)
    for ch in dict.fromkeys(text):
        if ch in missing:
            with pytest.raises(ValueError, match=f"U\\+{ord(ch):04X}"):
                font.glyph_cells(ch)
        else:
            assert font.glyph_cells(ch) > 0


def test_glyph_cells_of_half_and_full_width_glyphs() -> None:
    assert font.glyph_cells("A") == 1
    assert font.glyph_cells("中") == 2


def test_ascii_and_hanzi_glyphs_take_exactly_the_positions_we_count() -> None:
    for ch in string.printable.strip() + " " + gb2312_hanzi():
        assert font.glyph_cells(ch) == char_width(ch), ch


def test_some_glyphs_differ_from_the_positions_we_count() -> None:
    # Curly quotes are half-width glyphs in this font, though we count them as two.
    assert font.glyph_cells("“") == 1
    assert char_width("“") == 2
    # Accented Latin letters are proportional, not a whole number of cells.
    assert not font.glyph_cells("é").is_integer()


def test_glyph_cells_names_a_character_the_font_lacks() -> None:
    with pytest.raises(ValueError, match=r"no glyph for U\+1F600"):
        font.glyph_cells("\U0001f600")


def test_the_shipped_metrics_are_the_fonts_own() -> None:
    # Run scripts/generate_font_metrics.py after changing the font or measure_font.
    assert font.METRICS_PATH.read_text("ascii") == font.metrics_text(font.font_path())
    advances, _ = font.measure_font(font.font_path())
    every_code_point = map(chr, range(0x110000))
    assert {ord(ch): advance for ch in every_code_point if (advance := font._advance(ch))} == (
        advances
    )
