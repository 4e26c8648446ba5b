"""The font's character tables kept between processes: read back, they are ReportLab's own
parse, the PDFs made with them are the PDFs made without, and any doubt about the file is a
fresh parse."""

from __future__ import annotations

import json
import mmap
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from gbt15311 import _font_tables as tables
from gbt15311 import font

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def kept_at(font_file: Path) -> Path:
    """The tables' file of ``font_file`` in the user's cache directory."""
    file = tables.cache_file(font_file)
    assert file is not None
    return file


@pytest.fixture(scope="module")
def parsed() -> Any:
    """The face as ReportLab parses it, with the font module's correction of the advances."""
    face = TTFontFace(str(font.font_path()))
    font._unscale_trailing_advances(face.hmetrics)
    return face


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of the user's, and the tables' file in it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    file = kept_at(font.font_path())
    assert file.is_relative_to(tmp_path)
    return file


def header_only() -> Any:
    """The face of the small tables alone, as the cached font starts from."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    return TTFontFile(str(font.font_path()), charInfo=0)


def test_tables_read_back_are_reportlabs_own_parse(parsed: Any, cache: Path) -> None:
    assert tables.write_tables(parsed, font.font_path(), cache)
    face = header_only()
    assert tables.read_tables(face, font.font_path(), cache)
    assert dict(face.charToGlyph) == parsed.charToGlyph
    assert dict(face.charWidths) == parsed.charWidths
    assert dict(face.glyphToChar) == parsed.glyphToChar
    assert list(face.hmetrics) == parsed.hmetrics
    assert list(face.glyphPos) == parsed.glyphPos
    assert face.defaultWidth == parsed.defaultWidth
    # A character the font lacks is missing alike, between and beyond the mapped ones.
    for code in (0x1F600, 0x10FFFF, 0, max(parsed.charToGlyph) + 1):
        assert (code in face.charToGlyph) == (code in parsed.charToGlyph)
        assert face.charWidths.get(code, -1) == parsed.charWidths.get(code, -1)


def test_the_cached_font_is_reportlabs_font_with_the_cached_face(cache: Path) -> None:
    ours = font._font_class()(font.FONT_NAME, font.font_path())
    theirs = TTFont(font.FONT_NAME, str(font.font_path()))
    assert vars(ours).keys() == vars(theirs).keys()
    assert isinstance(ours.face, type(theirs.face))
    for key, value in vars(theirs).items():
        if key != "face":
            assert type(vars(ours)[key]) is type(value), key
        if key not in ("face", "state", "encoding", "_shapable"):
            assert vars(ours)[key] == value, key
    assert not ours.shapable  # the grid places every glyph: nothing is shaped
    assert vars(ours.encoding) == vars(theirs.encoding)
    assert not ours.state
    assert cache.is_file()  # the first font made wrote the tables; the second reads them
    again = font._font_class()(font.FONT_NAME, font.font_path())
    assert isinstance(again.face.charToGlyph, tables._Table)
    assert again.face.charToGlyph[ord("中")] == theirs.face.charToGlyph[ord("中")]


RENDER = """
import io, sys
from reportlab.pdfgen.canvas import Canvas
from gbt15311.font import missing_glyphs, register
from gbt15311.loading import load_licence
from gbt15311.render import RenderOptions, render_licence
licences = [load_licence(open(p, "rb").read()) for p in sys.argv[1:]]
out = bytearray()
for mode in ("overlay", "proof", "archive"):
    for licence in licences:
        out += render_licence(licence, serial="0012345", options=RenderOptions(mode=mode))
# Every 40th character the font prints, beyond the BMP too, and a few it lacks.
sample = [chr(c) for c in range(0x20, 0x30000, 40) if 0xD800 > c or c > 0xDFFF]
text = "".join(ch for ch in sample if not missing_glyphs(ch)) + "\U0001f600\uffff"
pdf = io.BytesIO()
canvas = Canvas(pdf, invariant=1, initialFontName=register())
for start in range(0, len(text), 80):
    canvas.drawString(20, 800 - (start // 80 % 60) * 13, text[start : start + 80])
    if start // 80 % 60 == 59:
        canvas.showPage()
canvas.save()
out += pdf.getvalue()
sys.stdout.buffer.write(bytes(out))
"""


def render_all(cache_home: Path) -> bytes:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "SOURCE_DATE_EPOCH": "1700000000"}
    examples = sorted(str(p) for p in EXAMPLES.glob("*licence*.json"))
    assert len(examples) >= 2
    done = subprocess.run(
        [sys.executable, "-c", RENDER, *examples], env=env, capture_output=True, check=True
    )
    return done.stdout


def test_pdfs_made_with_the_cached_tables_are_the_pdfs_made_from_the_font(
    tmp_path: Path,
) -> None:
    home = tmp_path / "cache"
    parsed = render_all(home)  # an empty cache: ReportLab parses, and the tables are written
    assert [p.name for p in (home / "gbt15311").iterdir()] == [kept_at(font.font_path()).name]
    assert render_all(home) == parsed


def damage(file: Path, how: str) -> None:
    data = bytearray(file.read_bytes())
    if how == "flipped byte":
        data[-100] ^= 0x40
    elif how == "truncated":
        del data[-10:]
    elif how == "longer":
        data += b"\0\0\0\0"
    elif how == "huge":
        data += bytes(16 * 2**20)
    elif how == "not ours":
        data[:8] = b"PK\x03\x04xxxx"
    elif how == "no header end":
        data = data[: data.index(b"\n") + 5]
    else:
        header_at = data.index(b"\n") + 1
        header_end = data.index(b"\n", header_at)
        header = json.loads(data[header_at:header_end])
        if how == "other reportlab":
            header["source"]["reportlab"] = "0.1"
        elif how == "other font file":
            header["source"]["size"] += 1
        elif how == "negative length":
            header["lengths"]["codes"] = -1
        elif how == "huge length":
            header["lengths"]["widths"] = 2**40
        elif how == "lengths that disagree":
            header["lengths"]["codes"] -= 1
            header["lengths"]["glyphs"] += 1
        elif how == "header not json":
            header = "{"
        data[header_at:header_end] = json.dumps(header).encode()
    file.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "how",
    [
        "flipped byte",
        "truncated",
        "longer",
        "huge",
        "not ours",
        "no header end",
        "other reportlab",
        "other font file",
        "negative length",
        "huge length",
        "lengths that disagree",
        "header not json",
    ],
)
def test_a_doubtful_file_is_a_miss_and_the_font_is_parsed_and_written_again(
    parsed: Any, cache: Path, how: str
) -> None:
    assert tables.write_tables(parsed, font.font_path(), cache)
    damage(cache, how)
    face = header_only()
    assert not tables.read_tables(face, font.font_path(), cache)
    assert face.charToGlyph is None  # untouched
    made = font._font_class()(font.FONT_NAME, font.font_path())
    assert made.face.charToGlyph == parsed.charToGlyph
    again = header_only()
    assert tables.read_tables(again, font.font_path(), cache)


def test_an_endless_device_in_place_of_the_file_is_a_miss(cache: Path) -> None:
    cache.parent.mkdir(parents=True)
    cache.symlink_to("/dev/zero")
    assert not tables.read_tables(header_only(), font.font_path(), cache)


def test_a_font_file_changed_since_is_a_miss(parsed: Any, cache: Path, tmp_path: Path) -> None:
    copy = tmp_path / font.font_path().name
    copy.write_bytes(font.font_path().read_bytes())
    assert tables.write_tables(parsed, copy, cache)
    os.utime(copy, ns=(0, copy.stat().st_mtime_ns + 1_000_000_000))
    assert not tables.read_tables(header_only(), copy, cache)


def test_a_cache_that_cannot_be_written_costs_only_the_parse(
    parsed: Any, cache: Path, tmp_path: Path
) -> None:
    cache.parent.parent.mkdir(parents=True)
    cache.parent.write_text("a file where the directory would be")
    made = font._font_class()(font.FONT_NAME, font.font_path())
    assert made.face.charToGlyph == parsed.charToGlyph
    assert not tables.write_tables(parsed, font.font_path(), cache)


def test_tables_that_do_not_fit_the_arrays_are_not_written(parsed: Any, cache: Path) -> None:
    scaled = TTFontFace(str(font.font_path()))  # as ReportLab 5.1 leaves the last advances
    assert any(isinstance(advance, float) for advance, _ in scaled.hmetrics)
    assert not tables.write_tables(scaled, font.font_path(), cache)
    assert not cache.exists()


def test_processes_starting_together_on_an_empty_cache_all_get_the_tables(
    tmp_path: Path,
) -> None:
    home = tmp_path / "cache"
    code = "from gbt15311.font import register; register()"
    env = {**os.environ, "XDG_CACHE_HOME": str(home)}

    def start(_: int) -> int:
        return subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(start, range(4))) == [0] * 4
    (written,) = (home / "gbt15311").iterdir()
    assert written.name == kept_at(font.font_path()).name
    assert tables.read_tables(header_only(), font.font_path(), written)


def test_two_installed_copies_of_the_font_keep_their_own_tables(
    parsed: Any, cache: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "site-packages" / font.font_path().name
    copy.parent.mkdir()
    copy.write_bytes(font.font_path().read_bytes())
    theirs = kept_at(copy)
    assert theirs != cache
    assert theirs.parent == cache.parent
    assert tables.write_tables(parsed, font.font_path(), cache)
    assert tables.write_tables(parsed, copy, theirs)
    assert tables.read_tables(header_only(), font.font_path(), cache)
    assert tables.read_tables(header_only(), copy, theirs)


@given(start=st.integers(-50, 200) | st.none(), stop=st.integers(-50, 200) | st.none())
def test_the_glyph_table_sliced_in_the_mapping_is_the_table_sliced(
    start: int | None, stop: int | None
) -> None:
    data = mmap.mmap(-1, 300)
    data.write(bytes(range(256)) + bytes(44))
    table = bytes(range(256))[50:150]
    assert font._Slices(data, 50, 100)[start:stop] == table[start:stop]
    assert len(font._Slices(data, 50, 100)) == len(table)


def test_a_user_without_a_home_parses_the_font_and_writes_nothing_where_they_stand(
    parsed: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(platformdirs, "user_cache_path", lambda *_, **__: Path("~/.cache/gbt15311"))
    assert tables.cache_file(font.font_path()) is None
    made = font._font_class()(font.FONT_NAME, font.font_path())
    assert dict(made.face.charToGlyph) == parsed.charToGlyph
    assert list(tmp_path.iterdir()) == []
