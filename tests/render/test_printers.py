"""Printer profiles: saved by name in the user's configuration, checked, never baked in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gbt15311.exceptions import PrinterProfileError
from gbt15311.printers import (
    PrinterProfile,
    get_profile,
    load_profiles,
    profiles_path,
    remove_profile,
    save_profile,
)


def test_profiles_live_in_the_user_configuration_directory(config_home: Path) -> None:
    assert profiles_path() == config_home / "gbt15311" / "printers.toml"
    assert load_profiles() == {}


def test_save_load_and_remove_round_trip() -> None:
    first = PrinterProfile("前台 OKI 5860", dx_mm=1.25, dy_mm=-0.5)
    second = PrinterProfile('lab "laser"', dx_mm=-3, dy_mm=2, sx=1.002, sy=0.998)
    save_profile(first)
    save_profile(second)
    assert load_profiles() == {first.name: first, second.name: second}
    assert get_profile(first.name) == first
    assert remove_profile(first.name) == first
    assert list(load_profiles()) == [second.name]


def test_saving_again_replaces() -> None:
    save_profile(PrinterProfile("p", dx_mm=1))
    save_profile(PrinterProfile("p", dx_mm=2))
    assert get_profile("p").dx_mm == 2


def test_unknown_names_list_the_known_ones() -> None:
    save_profile(PrinterProfile("front"))
    with pytest.raises(
        PrinterProfileError, match=r"no printer profile named 'back' \(profiles: front\)"
    ):
        get_profile("back")
    with pytest.raises(PrinterProfileError, match="'back'"):
        remove_profile("back")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"dx_mm": 31}, "dx = 31 mm is outside ±30 mm"),
        ({"dy_mm": float("nan")}, "dy = nan"),
        ({"sx": 1.5}, "driver's page scaling"),
        ({"sy": 0.5}, "sy = 0.5"),
    ],
)
def test_out_of_range_values_are_refused(values: dict[str, Any], message: str) -> None:
    with pytest.raises(PrinterProfileError, match=message):
        PrinterProfile("p", **values)


@pytest.mark.parametrize("name", ["", "  ", "tab\there", "x" * 65])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(PrinterProfileError, match="name"):
        PrinterProfile(name)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[printers\n", "not valid TOML"),
        ("printers = 3\n", "printers: expected a table of profiles"),
        ("[printers.a]\ndx = 1\n", r"printers\.a\.dx: unknown key \(expected dx_mm, dy_mm, "),
        (
            "[printers.a]\ndx_mm = 'one'\n",
            r"printers\.a\.dx_mm: expected a number of mm; got 'one'",
        ),
        ("[printers.a]\ndx_mm = 45\n", "printers.toml: printer 'a': dx = 45.0 mm"),
        (
            "[printers.a]\nescp_left = 1.5\n",
            r"printers\.a\.escp_left: expected a whole number from 0 to 120 .*; got 1\.5",
        ),
        ("[printers.a]\nescp_top = 800\n", r"escp_top = 800 must be a whole number from 0 to 720"),
        (
            "[printers.a]\nescp_hanzi_spacing = 6\n",
            r"printers\.a\.escp_hanzi_spacing: expected two whole numbers .*; got 6",
        ),
        ("[printers.a]\nescp_hanzi_spacing = [6, 7]\n", "adding up to 12"),
        ("[printers.a]\nescp_hanzi_spacing = [true, 11]\n", "adding up to 12"),
        ("[printers.a]\nescp_charset = 'BIG5'\n", "escp_charset = 'BIG5' must be one of GB18030"),
    ],
)
def test_a_broken_profiles_file_names_itself_and_the_problem(text: str, message: str) -> None:
    path = profiles_path()
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PrinterProfileError, match=message):
        load_profiles()


@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        ("utf-16", r"printers\.toml: UTF-16 text, not UTF-8; save the file as UTF-8"),
        ("utf-16-be", "not UTF-8 text"),  # no byte-order mark: its zero bytes are not UTF-8
        ("utf-32", "UTF-32 text, not UTF-8"),
        ("gbk", r"printers\.toml: not UTF-8 text \(byte 0xb4 on line 1"),
    ],
)
def test_a_profiles_file_in_another_encoding_names_the_file_and_the_encoding(
    encoding: str, message: str
) -> None:
    path = profiles_path()
    path.parent.mkdir(parents=True)
    path.write_bytes('# 打印机\n[printers."前台"]\ndx_mm = 1\n'.encode(encoding))
    with pytest.raises(PrinterProfileError, match=message):
        load_profiles()


def test_a_byte_order_mark_is_tolerated() -> None:
    path = profiles_path()
    path.parent.mkdir(parents=True)
    path.write_bytes('[printers."前台"]\ndx_mm = 1\n'.encode("utf-8-sig"))
    assert load_profiles() == {"前台": PrinterProfile("前台", dx_mm=1)}


def test_place_shifts_and_scales_from_the_paper_corner() -> None:
    profile = PrinterProfile("p", dx_mm=2, dy_mm=-1, sx=1.01, sy=0.99)
    assert profile.place(100, 200) == pytest.approx((103, 197))


def test_escp_settings_round_trip() -> None:
    profile = PrinterProfile(
        "lq", escp_left=17, escp_top=113, escp_hanzi_spacing=(0, 12), escp_charset="GB2312"
    )
    save_profile(profile)
    assert get_profile("lq") == profile
