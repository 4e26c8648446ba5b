"""Hostile values in a template or a printer profile: each is refused with the library's
error naming the file and the key, never another exception."""

from __future__ import annotations

import math
import tomllib
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbt15311.exceptions import PrinterProfileError, TemplateError
from gbt15311.printers import PrinterProfile, load_profiles
from gbt15311.templates import parse_template

BUNDLED = tomllib.loads(
    resources.files("gbt15311.templates").joinpath("import-licence.toml").read_text("utf-8")
)

hostile_values: st.SearchStrategy[Any] = st.recursive(
    st.one_of(
        st.booleans(),
        st.integers(),
        st.integers(min_value=2**62, max_value=2**63 - 1),
        st.floats(),  # nan and inf too
        st.floats(min_value=1e300),
        st.text(),  # control characters, odd whitespace, astral planes
        st.sampled_from(["", " ", "\u3000", "L1 P1", "L0-0 P0-0", "L1-99999 P1-99999", "\ufeff"]),
        st.dates(),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=2),
    max_leaves=4,
)


def toml(value: Any) -> str:
    """``value`` as a TOML value on one line (inline tables, JSON-escaped strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{quoted(k)} = {toml(v)}" for k, v in value.items()) + "}"


def quoted(text: str) -> str:
    """A TOML basic string: control characters escaped, the rest as it is (surrogates too)."""
    escaped = "".join(
        f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F or c in '"\\' else c for c in text
    )
    return f'"{escaped}"'


def document(data: dict[str, Any]) -> str:
    return "".join(f"{quoted(key)} = {toml(value)}\n" for key, value in data.items())


def places(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every key and list entry in ``value``, as paths."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += places(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += places(inner, (*path, index))
    return found


def shown(path: tuple[str | int, ...]) -> str:
    """The key as messages write it: dotted, entries counted from 1."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def replaced(data: Any, path: tuple[str | int, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: replaced(data[head], rest, value)}
    return [replaced(v, rest, value) if i == head else v for i, v in enumerate(data)]


def the_same_kind(old: Any, new: Any) -> bool:
    """Whether ``new`` could pass where ``old`` stood (a number for a number)."""
    numbers = (int, float)
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new)
    if isinstance(old, numbers) and isinstance(new, numbers):
        return True
    return type(old) is type(new)


def test_the_bundled_template_survives_the_one_line_writer() -> None:
    template = parse_template(document(BUNDLED), source="mine.toml")
    assert template.front.boxes[0].slots[0].key == "importer.name"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), value=hostile_values)
def test_a_hostile_value_in_a_template_is_refused_naming_the_file_and_the_key(
    data: st.DataObject, value: Any
) -> None:
    everywhere = places(BUNDLED)
    path = data.draw(st.sampled_from(everywhere), label="path")
    old: Any = BUNDLED
    for part in path:
        old = old[part]
    text = document(replaced(BUNDLED, path, value))
    try:
        parse_template(text, source="mine.toml")
    except TemplateError as error:
        message = str(error)
        assert message.startswith("mine.toml: "), message
        if not the_same_kind(old, value) and not isinstance(path[-1], int):
            assert message.startswith(f"mine.toml: {shown(path)}"), message


@settings(max_examples=100, deadline=None)
@given(
    data=st.data(),
    key=st.text(min_size=1).filter(lambda k: k.isidentifier()),
    value=hostile_values,
)
def test_an_unknown_key_in_a_template_is_refused_naming_it(
    data: st.DataObject, key: str, value: Any
) -> None:
    tables = [p for p in places(BUNDLED) if isinstance(_at(BUNDLED, p), dict)]
    path = data.draw(st.sampled_from([(), *tables]), label="table")
    table = _at(BUNDLED, path)
    if key in table:
        return
    text = document(replaced(BUNDLED, path, {**table, key: value}))
    with pytest.raises(TemplateError) as refused:
        parse_template(text, source="mine.toml")
    assert str(refused.value).startswith(f"mine.toml: {shown((*path, key))}: unknown key")


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


PROFILE_KEYS = ["dx_mm", "dy_mm", "sx", "sy", "escp_left", "escp_top", "escp_hanzi_spacing"]


@settings(max_examples=300, deadline=None)
@given(
    name=st.text(min_size=1),
    key=st.sampled_from([*PROFILE_KEYS, "escp_charset", "dx", "秤"]),
    value=hostile_values,
)
def test_a_hostile_value_in_a_profile_is_refused_naming_the_file_and_the_key(
    tmp_path_factory: pytest.TempPathFactory, name: str, key: str, value: Any
) -> None:
    path = tmp_path_factory.mktemp("printers") / "printers.toml"
    text = f"[printers.{quoted(name)}]\n{quoted(key)} = {toml(value)}\n"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        profiles = load_profiles(path)
    except PrinterProfileError as error:
        message = str(error)
        assert message.startswith(f"{path}: "), message
        if key == "escp_hanzi_spacing":
            wrong_type = not isinstance(value, list)
        elif key == "escp_charset":
            wrong_type = not isinstance(value, str)
        else:
            default = PrinterProfile.__dataclass_fields__[key].default if key in PROFILE_KEYS else 0
            wrong_type = not the_same_kind(default, value)
        if key in ("dx", "秤"):
            assert f".{key}: unknown key" in message, message
        elif wrong_type and name.strip() and name.isprintable():
            assert f".{key}: expected" in message, message
    else:
        assert list(profiles) == [name]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ("serial", "digits"),
            2**62,
            r"serial L-2 P61-72: needs 461168601842738790\d positions; the area has 12",
        ),
        (("headings", 0, "scale"), 1.7e308, r"heading .*: scale 1.7e\+308 is taller than L-3--2"),
        (("style", "caption_scale"), 1e300, r"scale 1e\+300 is taller than"),
    ],
)
def test_a_huge_number_is_refused_without_building_it(
    path: tuple[str | int, ...], value: Any, message: str
) -> None:
    with pytest.raises(TemplateError, match=f"mine.toml: .*{message}"):
        parse_template(document(replaced(BUNDLED, path, value)), source="mine.toml")


def test_a_number_too_long_to_read_is_refused_as_not_toml(tmp_path: Path) -> None:
    digits = "9" * 5000  # Python refuses to turn more than 4,300 digits into a number
    text = document(BUNDLED).replace('"rows" = 5', f'"rows" = {digits}')
    with pytest.raises(TemplateError, match=r"mine\.toml: not valid TOML: .*4300 digits"):
        parse_template(text, source="mine.toml")
    path = tmp_path / "printers.toml"
    path.write_text(f"[printers.a]\nescp_left = {digits}\n", "utf-8")
    with pytest.raises(PrinterProfileError, match=r"printers\.toml: not valid TOML"):
        load_profiles(path)
