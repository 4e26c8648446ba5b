"""Widths in print positions, printability, wrapping and cropping."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbt15311.cells import cell_len, char_width, set_cell_size, unprintable, wrap

# Half-width letters, digits and punctuation, spaces, Chinese characters, full-width and
# ambiguous punctuation: the scripts that meet on a licence.
MIXED = st.text(
    st.sampled_from(list("abcXYZ0189 .,-/()中文上海贸易进出口公司（），、：“”·—×°№…ÉéΩЖ　"))
)
PRINTABLE = st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]))


@pytest.mark.parametrize(
    ("ch", "width"),
    [
        ("A", 1),
        ("z", 1),
        ("7", 1),
        (" ", 1),
        ("é", 2),  # Ambiguous: GB 2312 has it among the pinyin letters
        ("Â", 1),  # not in GB 2312: Neutral
        ("Ж", 2),  # Ambiguous: GB 2312 has Cyrillic
        ("中", 2),
        ("贸", 2),
        ("（", 2),
        ("）", 2),
        ("、", 2),
        ("，", 2),
        ("　", 2),  # ideographic space
        ("Ａ", 2),  # full-width Latin
        ("ｶ", 1),  # half-width katakana
    ],
)
def test_char_width(ch: str, width: int) -> None:
    assert char_width(ch) == width


@pytest.mark.parametrize("ch", ["“", "”", "·", "—", "×", "°", "№", "…"])
def test_ambiguous_characters_take_the_width_asked_for(ch: str) -> None:
    assert unicodedata.east_asian_width(ch) == "A"
    assert char_width(ch) == 2
    assert char_width(ch, ambiguous_width=1) == 1
    assert cell_len(ch * 3, ambiguous_width=1) == 3


@pytest.mark.parametrize("bad", [0, 3, -1])
def test_ambiguous_width_must_be_one_or_two(bad: int) -> None:
    with pytest.raises(ValueError, match="ambiguous_width"):
        char_width("中", bad)
    with pytest.raises(ValueError, match="ambiguous_width"):
        cell_len("中", bad)


def test_cell_len_counts_a_licence_date_as_the_standard_does() -> None:
    # Field 21 is an14 and prints as 2008年11月01日: the evidence that a Chinese character
    # takes two positions.
    assert cell_len("2008年11月01日") == 14
    assert cell_len("") == 0


@given(PRINTABLE | MIXED, st.sampled_from([1, 2]))
def test_cell_len_is_the_sum_of_character_widths(text: str, ambiguous: int) -> None:
    assert cell_len(text, ambiguous) == sum(char_width(ch, ambiguous) for ch in text)


@given(st.text(st.characters(max_codepoint=0x7F)))
def test_ascii_fast_path_agrees_with_the_general_path(text: str) -> None:
    # Appending a Chinese character forces the general path over the same ASCII text.
    assert cell_len(text) == len(text) == cell_len(text + "中") - 2
    assert unprintable(text) == unprintable(text + "中")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\t", "U+0009 CHARACTER TABULATION (a control character)"),
        ("\x7f", "U+007F DELETE (a control character)"),
        ("\x1b", "U+001B ESCAPE (a control character)"),
        ("\n", "U+000A LINE FEED (a line break; a value is a single line)"),
        ("\r", "U+000D CARRIAGE RETURN (a line break; a value is a single line)"),
        ("\x85", "U+0085 NEXT LINE (a line break; a value is a single line)"),
        ("\u2028", "U+2028 LINE SEPARATOR (a line or paragraph separator)"),
        ("\u2029", "U+2029 PARAGRAPH SEPARATOR (a line or paragraph separator)"),
        ("\u200b", "U+200B ZERO WIDTH SPACE (a zero-width character)"),
        ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE (a zero-width character)"),
        ("\u00ad", "U+00AD SOFT HYPHEN (a zero-width character)"),
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE (a text-direction control)"),
        ("\u0301", "U+0301 COMBINING ACUTE ACCENT (a combining character)"),
        ("\u20dd", "U+20DD COMBINING ENCLOSING CIRCLE (a combining character)"),
        ("\u093e", "U+093E DEVANAGARI VOWEL SIGN AA (a combining character)"),
        ("\ud800", "U+D800 (a lone surrogate)"),
        (
            "\u3000",
            "U+3000 IDEOGRAPHIC SPACE (a space other than the plain space U+0020,"
            " which is the only one printed)",
        ),
        (
            "\xa0",
            "U+00A0 NO-BREAK SPACE (a space other than the plain space U+0020,"
            " which is the only one printed)",
        ),
        ("\ue000", "U+E000 (a private-use character)"),
        ("\u0378", "U+0378 (an unassigned code point)"),
        ("\u3164", "U+3164 HANGUL FILLER (a blank filler character)"),
        ("\u115f", "U+115F HANGUL CHOSEONG FILLER (a blank filler character)"),
        (
            "\ufffd",
            "U+FFFD REPLACEMENT CHARACTER (a sign that the text was damaged when it was decoded)",
        ),
    ],
)
def test_unprintable_describes_each_offence(text: str, expected: str) -> None:
    assert unprintable(f"ab{text}中") == [expected]


@pytest.mark.parametrize("cp", [*range(0x20), *range(0x7F, 0xA0)])
def test_control_characters_are_named_by_their_unicode_alias(cp: int) -> None:
    (description,) = unprintable(chr(cp))
    name = re.fullmatch(r"U\+[0-9A-F]{4} (.+) \(.*\)", description)
    assert name is not None
    assert unicodedata.lookup(name.group(1)) == chr(cp)


def test_unprintable_lists_distinct_characters_in_order_of_first_appearance() -> None:
    assert unprintable("a\u200bb\tc\u200bd\t") == [
        "U+200B ZERO WIDTH SPACE (a zero-width character)",
        "U+0009 CHARACTER TABULATION (a control character)",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "ACME Trading Co., Ltd.",
        "北京某某进出口有限公司",
        "（北京）、，：；",
        "“№5”",
        "Café",
    ],
)
def test_what_prints_is_not_reported(text: str) -> None:
    assert unprintable(text) == []


@given(st.text())
def test_unprintable_reports_exactly_the_offending_characters(text: str) -> None:
    per_character = [d for ch in dict.fromkeys(text) for d in unprintable(ch)]
    assert unprintable(text) == per_character


def test_wrap_breaks_latin_text_at_spaces_and_drops_the_space() -> None:
    assert wrap("Shanghai Pudong Trading Co Ltd", 16) == ["Shanghai Pudong", "Trading Co Ltd"]


def test_wrap_breaks_between_any_two_chinese_characters() -> None:
    assert wrap("北京市朝阳区建国门外大街", 10) == ["北京市朝阳", "区建国门外", "大街"]
    assert wrap("北京市朝阳区", 9) == ["北京市朝", "阳区"]


def test_wrap_breaks_between_chinese_and_latin() -> None:
    assert wrap("上海ABC公司", 5) == ["上海", "ABC公", "司"]
    assert wrap("型号XJ-2000规格", 8) == ["型号", "XJ-2000", "规格"]


def test_wrap_cuts_a_word_longer_than_the_line_by_positions() -> None:
    assert wrap("ABCDEFGHIJKLM", 5) == ["ABCDE", "FGHIJ", "KLM"]
    assert wrap("No ABCDEFGHIJ", 5) == ["No AB", "CDEFG", "HIJ"]


def test_wrap_of_nothing_is_no_lines() -> None:
    assert wrap("", 10) == []


def test_wrap_refuses_a_line_too_narrow_for_a_chinese_character() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        wrap("ab", 1)


@given(MIXED | PRINTABLE, st.integers(min_value=2, max_value=40))
def test_wrap_keeps_every_line_within_the_width_and_the_text_intact(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(0 < cell_len(line) <= width for line in lines)
    # Only break spaces are dropped: the text is the lines joined by runs of spaces.
    assert re.fullmatch(" *" + " *".join(map(re.escape, lines)) + " *", text, re.DOTALL)
    assert not any(line.startswith(" ") for line in lines[1:])
    assert not any(line.endswith(" ") for line in lines[:-1])
    assert bool(lines) == bool(text)


@given(st.text(st.sampled_from(list("中文上海贸易（），、“”")), min_size=1), st.integers(2, 20))
def test_wrap_fills_each_line_with_chinese_characters(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert "".join(lines) == text
    assert all(cell_len(line) >= width - 1 for line in lines[:-1])


@given(
    st.lists(st.text(st.sampled_from("abcXYZ019.-"), min_size=1, max_size=12), min_size=1),
    st.integers(12, 40),
)
def test_wrap_never_splits_a_word_that_fits_a_line(words: list[str], width: int) -> None:
    lines = wrap(" ".join(words), width)
    assert [word for line in lines for word in line.split()] == words


@given(MIXED | PRINTABLE, st.integers(0, 40))
def test_set_cell_size_gives_exactly_the_width_and_the_longest_prefix_that_fits(
    text: str, width: int
) -> None:
    result = set_cell_size(text, width)
    assert cell_len(result) == width
    # The result is a prefix of the text padded with spaces, and no longer prefix fits.
    kept = max(k for k in range(len(text) + 1) if re.fullmatch(re.escape(text[:k]) + " *", result))
    assert kept == len(text) or cell_len(text[: kept + 1]) > width


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("ACME", 6, "ACME  "),
        ("ACME Trading", 4, "ACME"),
        ("上海贸易", 8, "上海贸易"),
        ("上海贸易", 7, "上海贸 "),
        ("上海贸易", 1, " "),
        ("A上海", 2, "A "),
        ("上海", 0, ""),
    ],
)
def test_set_cell_size_examples(text: str, width: int, expected: str) -> None:
    assert set_cell_size(text, width) == expected


def test_set_cell_size_refuses_a_negative_width() -> None:
    with pytest.raises(ValueError, match="negative"):
        set_cell_size("ACME", -1)
