"""Countries and regions, GB/T 2659 = ISO 3166-1 (fields 8 and 9)."""

from __future__ import annotations

import re
from pathlib import Path

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbt15311 import font
from gbt15311.cells import cell_len, unprintable
from gbt15311.codes import country
from gbt15311.codes.country import Country
from gbt15311.exceptions import InvalidComponent, InvalidFormat, InvalidLength

ALL = country.all_countries()


def test_every_iso_country_is_there() -> None:
    assert {c.alpha_2 for c in ALL} == {c.alpha_2 for c in pycountry.countries}


@pytest.mark.parametrize(
    "given_",
    [
        "DE",
        "de",
        "DEU",
        "deu",
        "iso:276",
        "ISO: 276",
        "Germany",
        "GERMANY",
        "德国",
        "德意志联邦共和国",
        "Federal Republic of Germany",
        "ＤＥ",
        "ｉｓｏ：２７６",
        " Germany ",
    ],
)
def test_every_spelling_of_germany(given_: str) -> None:
    assert country.lookup(given_) == Country("DE", "DEU", "276", "Germany", "德国")
    assert country.validate(given_) == "DE"
    assert country.is_valid(given_)


@pytest.mark.parametrize(
    ("alpha_2", "name_zh"),
    [
        ("HK", "中国香港"),
        ("MO", "中国澳门"),
        ("TW", "中国台湾"),
        ("GB", "英国"),
        ("US", "美国"),
        ("KR", "韩国"),
        ("KP", "朝鲜"),
        ("KH", "柬埔寨"),
        ("BA", "波黑"),
        ("CN", "中国"),
    ],
)
def test_customary_short_names(alpha_2: str, name_zh: str) -> None:
    assert country.format(alpha_2) == name_zh
    assert country.validate(name_zh) == alpha_2


@pytest.mark.parametrize(
    ("given_", "alpha_2"),
    [
        ("香港", "HK"),
        ("中国台湾省", "TW"),
        ("台湾", "TW"),
        ("大韩民国", "KR"),
        ("South Korea", "KR"),
        ("United States of America", "US"),
        ("大不列颠及北爱尔兰联合王国", "GB"),
        ("刚果（金）", "CD"),
        ("刚果民主共和国", "CD"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
    ],
)
def test_long_and_catalogue_names_still_accepted(given_: str, alpha_2: str) -> None:
    assert country.validate(given_) == alpha_2


@pytest.fixture
def customs_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's customs table; whatever a test loads is unloaded after it."""
    monkeypatch.setattr(country, "_customs", {})
    monkeypatch.setattr(country, "_customs_source", "")
    path = tmp_path / "customs.csv"
    path.write_text("# the user's copy of China Customs' table\ncode,alpha_2\n116,JP\n304,de\n")
    return path


@pytest.mark.parametrize(("number", "iso"), [("116", "Cambodia (KH)"), ("304", "Greenland (GL)")])
def test_a_bare_number_is_refused_with_both_readings(
    number: str, iso: str, customs_table: Path
) -> None:
    with pytest.raises(
        InvalidComponent, match=rf"{re.escape(iso)}.*no customs table.*iso:{number} or"
    ):
        country.validate(number)
    country.load_customs_codes(customs_table)
    with pytest.raises(
        InvalidComponent, match=rf"{re.escape(iso)}.*China Customs' code {number} is"
    ):
        country.validate(number)


def test_a_named_scheme_reads_the_number(customs_table: Path) -> None:
    assert country.validate("iso:116") == "KH"
    assert country.validate("iso:156") == "CN"
    with pytest.raises(InvalidComponent, match="ISO 3166-1 numeric code 142"):
        country.validate("iso:142")
    with pytest.raises(InvalidLength, match="three digits"):
        country.validate("iso:86")


def test_customs_codes_come_only_from_a_loaded_table(customs_table: Path) -> None:
    with pytest.raises(InvalidComponent, match="only from a table you load"):
        country.validate("customs:116")
    country.load_customs_codes(customs_table)
    assert (country.validate("customs:116"), country.validate("CUSTOMS:304")) == ("JP", "DE")
    with pytest.raises(InvalidComponent, match="not a country code of"):
        country.validate("customs:999")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,alpha_2\n1160,JP\n", "three-digit"),
        ("code,alpha_2\n116,XX\n", "alpha-2"),
        ("code,alpha_2\n116,JP\n116,KH\n", "twice"),
    ],
)
def test_a_bad_customs_table_is_refused_whole(
    tmp_path: Path, content: str, message: str, customs_table: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(InvalidFormat, match=message):
        country.load_customs_codes(path)
    with pytest.raises(InvalidComponent, match="none is loaded"):
        country.validate("customs:116")


def test_unknown_names_suggest_close_ones() -> None:
    with pytest.raises(InvalidComponent, match=r"did you mean Germany \(DE\)"):
        country.validate("Germny")
    with pytest.raises(InvalidComponent, match="GB/T 2659"):
        country.validate("XX")
    with pytest.raises(InvalidFormat):
        country.validate("")
    with pytest.raises(InvalidFormat, match="text"):
        country.validate(276)  # type: ignore[arg-type]


@given(st.sampled_from(ALL))
def test_every_name_zh_fits_fields_8_and_9(c: Country) -> None:
    assert 0 < cell_len(c.name_zh) <= country.NAME_ZH_WIDTH
    assert not c.name_zh.isascii()


def test_every_printed_name_prints() -> None:
    names = "".join(c.name_zh for c in ALL)
    assert unprintable(names) == []
    assert font.missing_glyphs(names) == []


@given(st.sampled_from(ALL))
def test_every_code_and_name_round_trips(c: Country) -> None:
    for spelling in (
        c.alpha_2,
        c.alpha_3,
        f"iso:{c.numeric}",
        c.name_en,
        c.name_zh,
        c.alpha_2.lower(),
    ):
        assert country.lookup(spelling) == c
    assert country.validate(country.format(c.alpha_2)) == c.alpha_2


def test_no_two_countries_share_a_printed_name() -> None:
    assert len({c.name_zh for c in ALL}) == len(ALL)
    assert len({c.name_en.casefold() for c in ALL}) == len(ALL)


def test_load_short_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("_index", "_by_alpha_2", "_aliases"):
        monkeypatch.setattr(country, name, {})
    table = tmp_path / "names.csv"
    table.write_text("alpha_2,name_zh\nde,德意志\nBO,玻利维亚多民族国\n", encoding="utf-8")
    country.load_short_names(table)
    assert country.format("DE") == "德意志"
    assert country.validate("德国") == "DE"  # the replaced name is still read
    assert country.format("BO") == "玻利维亚多民族国"


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        ("alpha_2,name_zh\nXX,某国\n", InvalidFormat, "line 2: 'XX' is not an ISO 3166-1"),
        ("alpha_2,name_zh\nGB,大不列颠及北爱尔兰联合王国\n", InvalidLength, "line 2: .* has 26"),
        ("alpha_2,name_zh\nGB,\n", InvalidLength, "line 2"),
        ("code,name\nGB,英国\n", InvalidFormat, "header"),
        ("alpha_2,name_zh\nDE,美国\n", InvalidFormat, "DE and US|US and DE"),
        ("alpha_2,name_zh\nDE,德\t国\n", InvalidFormat, "line 2: .*U\\+0009"),
        ("alpha_2,name_zh\nDE,德ゕ国\n", InvalidFormat, "line 2: .*cannot be printed"),
    ],
)
def test_load_short_names_rejects_bad_files_and_changes_nothing(
    tmp_path: Path, content: str, error: type[Exception], message: str
) -> None:
    table = tmp_path / "names.csv"
    table.write_text(content, encoding="utf-8")
    with pytest.raises(error, match=message):
        country.load_short_names(table)
    assert country.all_countries() == ALL


@pytest.mark.parametrize("bad", [["DE"], None, 276])
def test_non_text_is_a_format_error(bad: object) -> None:
    with pytest.raises(InvalidFormat, match="text"):
        country.lookup(bad)  # type: ignore[arg-type]
