"""ISO 7372 representations: parsing, printing and checking values against them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbt15311.cells import cell_len, unprintable
from gbt15311.fields import FIELDS
from gbt15311.notation import Representation


@pytest.mark.parametrize(
    ("text", "kind", "length", "fixed", "lines"),
    [
        ("a3", "a", 3, True, 1),
        ("n8", "n", 8, True, 1),
        ("an12", "an", 12, True, 1),
        ("an..35", "an", 35, False, 1),
        ("an..35*2", "an", 35, False, 2),
        ("n..13", "n", 13, False, 1),
        ("an.. 35 * 2", "an", 35, False, 2),
        (" an ..16 ", "an", 16, False, 1),
    ],
)
def test_parse(text: str, kind: str, length: int, fixed: bool, lines: int) -> None:
    rep = Representation.parse(text)
    assert (rep.kind, rep.length, rep.fixed, rep.lines, rep.decimals) == (
        kind,
        length,
        fixed,
        lines,
        None,
    )


def test_parse_keeps_the_decimals_stated_in_words() -> None:
    assert Representation.parse("n..13", decimals=4).decimals == 4


def test_every_representation_in_the_field_catalogue_parses() -> None:
    for field in FIELDS.values():
        if field.representation is not None:
            assert str(Representation.parse(field.representation)) == field.representation


@pytest.mark.parametrize(
    "text",
    [
        "",
        "an",
        "x12",
        "an..",
        "an35..",
        "an.35",
        "an..35*",
        "an..-3",
        "an..3.5",
        "ana3",
        "an..３５",
    ],
)
def test_parse_refuses_what_is_not_a_representation(text: str) -> None:
    with pytest.raises(ValueError, match="is not a data representation") as error:
        Representation.parse(text)
    assert repr(text) in str(error.value)


@pytest.mark.parametrize(
    ("text", "decimals", "match"),
    [
        ("an0", None, "at least 1"),
        ("an..35*0", None, "at least 1"),
        ("an..35", 2, "not numeric"),
        ("a3", 0, "not numeric"),
        ("n..13", -1, "cannot have -1 decimals"),
        ("n..5", 4, "cannot have 4 decimals"),
    ],
)
def test_parse_refuses_impossible_representations(
    text: str, decimals: int | None, match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        Representation.parse(text, decimals)


@given(
    st.sampled_from(["a", "n", "an"]),
    st.integers(1, 999),
    st.booleans(),
    st.integers(1, 9),
)
def test_str_and_parse_round_trip(kind: str, length: int, fixed: bool, lines: int) -> None:
    text = f"{kind}{'' if fixed else '..'}{length}{f'*{lines}' if lines > 1 else ''}"
    rep = Representation.parse(text)
    assert str(rep) == text
    assert Representation.parse(str(rep)) == rep


def printable(value: str) -> bool:
    return not unprintable(value)


AN35 = Representation.parse("an..35")
AN12 = Representation.parse("an12")
PRICE = Representation.parse("n..13", decimals=4)


@pytest.mark.parametrize(
    ("rep", "value", "problems"),
    [
        (AN35, "ACME Trading Co., Ltd.", []),
        (AN35, "北京某某进出口有限公司", []),
        (AN35, "A" * 35, []),
        (AN35, "A" * 36, ["takes 36 print positions; at most 35 fit"]),
        # 17 Chinese characters and one half-width character fill an..35 exactly.
        (AN35, "中" * 17 + "A", []),
        (AN35, "中" * 18, ["takes 36 print positions; at most 35 fit"]),
        (Representation.parse("an..1"), "AB", ["takes 2 print positions; at most 1 fits"]),
        (AN12, "06-AA-204966", []),
        (AN12, "06-AA-20496", ["must take exactly 12 print positions; takes 11"]),
        (AN12, "06-AA-2049667", ["must take exactly 12 print positions; takes 13"]),
        (Representation.parse("an1"), "AB", ["must take exactly 1 print position; takes 2"]),
        (Representation.parse("an14"), "2008年11月01日", []),
        (AN35, "", ["is empty"]),
        (
            AN35,
            "ACME\tTrading",
            [
                "has characters that cannot be printed: U+0009 CHARACTER TABULATION (a control"
                " character)"
            ],
        ),
        (PRICE, "1234.5678", []),
        (PRICE, "12345678.1234", []),
        (PRICE, "0", []),
        (PRICE, "1.23456", ["has 5 decimals; at most 4 are allowed"]),
        (PRICE, "123456789.1234", ["takes 14 print positions; at most 13 fit"]),
        (PRICE, "-12", ["must be a number: digits and at most one decimal point"]),
        (PRICE, "1.2.3", ["must be a number: digits and at most one decimal point"]),
        (PRICE, "1,234", ["must be a number: digits and at most one decimal point"]),
        (PRICE, "1e5", ["must be a number: digits and at most one decimal point"]),
        (PRICE, ".5", ["must have digits before and after the decimal point"]),
        (PRICE, "5.", ["must have digits before and after the decimal point"]),
        (
            PRICE,
            "１２３",
            ["must be typed with half-width digits 0-9 and '.', not full-width ones"],
        ),
        (
            Representation.parse("n..12", decimals=1),
            "10.25",
            ["has 2 decimals; at most 1 is allowed"],
        ),
        (
            Representation.parse("n8", decimals=0),
            "2008.111",
            ["must be a whole number, without a decimal point"],
        ),
        (Representation.parse("n..12"), "1.123456", []),
        (Representation.parse("a3"), "USD", []),
        (Representation.parse("a..8"), "中国", []),
        (Representation.parse("a3"), "US1", ["must contain letters only, not '1'"]),
        (
            Representation.parse("a..8"),
            "A-1 B",
            ["must contain letters only, not '-', '1', ' '"],
        ),
        (
            Representation.parse("a3"),
            "U1 D",
            [
                "must contain letters only, not '1', ' '",
                "must take exactly 3 print positions; takes 4",
            ],
        ),
    ],
)
def test_check(rep: Representation, value: str, problems: list[str]) -> None:
    assert rep.check(value) == problems


TWO_LINES = Representation.parse("an..35*2")


def test_check_lines_counts_lines_and_prefixes_each_lines_problems() -> None:
    assert TWO_LINES.check_lines(["北京某某进出口有限公司", "朝阳区建国门外大街1号"]) == []
    assert TWO_LINES.check_lines(["one", "two", "three"]) == ["has 3 lines; at most 2 fit"]
    assert TWO_LINES.check_lines(["fine", "中" * 19]) == [
        "line 2 takes 38 print positions; at most 35 fit"
    ]
    assert TWO_LINES.check_lines(["", "a\u200bb", "c"]) == [
        "has 3 lines; at most 2 fit",
        "line 1 is empty",
        "line 2 has characters that cannot be printed: U+200B ZERO WIDTH SPACE"
        " (a zero-width character)",
    ]
    assert TWO_LINES.check_lines([]) == ["is empty"]
    assert Representation.parse("an..16").check_lines(["a", "b"]) == ["has 2 lines; at most 1 fits"]


@given(st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1).filter(printable))
def test_a_value_fits_an_an_representation_exactly_when_its_print_positions_do(
    value: str,
) -> None:
    size = cell_len(value)
    assert Representation.parse(f"an..{size}").check(value) == []
    assert Representation.parse(f"an{size}").check(value) == []
    assert Representation.parse(f"an..{size + 1}").check(value) == []
    if size > 1:
        assert Representation.parse(f"an..{size - 1}").check(value) != []
