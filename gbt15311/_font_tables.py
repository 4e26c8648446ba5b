"""ReportLab's character tables of the printing font, kept between processes.

Registering the font makes ReportLab parse its cmap, hmtx and loca tables: 42,669 characters
and 44,960 glyphs, one Python call per entry, most of what ``gbt15311 render`` spends on the
font at every start. The tables depend only on the font file and on ReportLab, so the first
process writes them to a file in the user's cache directory, and each later process maps the
file's arrays back in a millisecond or two, while ReportLab parses only the font's small
tables. A licence looks up a few hundred characters, each by bisection in the arrays
(``_Table``), so the 42,669 dictionary entries are never built.

The file holds numbers alone, machine arrays behind one JSON header: the font file's name,
size and modification time and ReportLab's version it was made from, the arrays' lengths and
a CRC-32 of them. Any difference, a short or damaged file, or a directory that cannot be read
or written is a miss, and ReportLab parses the font as it always did. The file is written
whole under another name and renamed into place, so processes starting together never read
half of one (``gbt15311.replacing``). ``tests/test_font_tables.py`` holds the tables read
back to ReportLab's own parse, and the PDFs made with them to the PDFs made without.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from gbt15311.replacing import replacing

__all__ = ["cache_file", "read_tables", "write_tables"]

_MAGIC = b"gbt15311 font tables 1\n"
_MOST = 16 * 2**20
"""More bytes than any font's tables take (this font's: 1.7 MB): a larger file is not ours."""
_ARRAYS = {  # name -> typecode; each array's length is in the header
    "codes": "I",  # every mapped character, ascending
    "glyphs": "I",  # charToGlyph, by code
    "widths": "d",  # charWidths, by code
    "mapped_glyphs": "I",  # glyphToChar's glyphs, ascending
    "mapped_starts": "I",  # where each one's characters start in mapped_chars, and the end
    "mapped_chars": "I",
    "advances": "H",  # hmetrics, by glyph
    "bearings": "H",
    "glyph_offsets": "I",  # glyphPos
}


def cache_file(font: Path) -> Path | None:
    """Where the tables of ``font`` are kept: the user's cache directory for gbt15311, one
    file for each installed copy of the font, so that two installations (two virtual
    environments, a checkout beside an install) do not overwrite each other's at every start.
    ``None`` for a user without a home (the directory would be relative to the working one):
    the font is then parsed at every start."""
    import platformdirs

    directory = platformdirs.user_cache_path("gbt15311", appauthor=False)
    if not directory.is_absolute():
        return None
    where = hashlib.sha256(str(font.resolve()).encode()).hexdigest()[:16]
    return directory / f"{font.stem}-{where}.tables"


def _source(font: Path) -> dict[str, Any]:
    """What the tables were made from: a file made from anything else is not read."""
    import reportlab

    stat = font.stat()
    return {
        "font": font.name,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "reportlab": reportlab.Version,
    }


def write_tables(face: Any, font: Path, file: Path) -> bool:
    """Write the character tables ReportLab parsed into ``face`` to ``file``; False, and
    nothing written, when they hold what the arrays cannot (a scaled advance, a width for a
    character without a glyph) or the directory cannot take the file."""
    try:
        arrays = _arrays(face)
    except (TypeError, OverflowError, ValueError):
        return False
    payload = b"".join(arrays[name].tobytes() for name in _ARRAYS)
    header = {
        "source": _source(font),
        "lengths": {name: len(arrays[name]) for name in _ARRAYS},
        "defaultWidth": face.defaultWidth,
        "crc32": zlib.crc32(payload),
    }
    data = _MAGIC + json.dumps(header).encode() + b"\n" + payload
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        with replacing(file) as out:
            out.write(data)
    except OSError:
        return False
    return True


def _arrays(face: Any) -> dict[str, array[Any]]:
    codes = sorted(face.charToGlyph)
    if len(face.charWidths) != len(codes):
        raise ValueError("charWidths and charToGlyph name different characters")
    mapped = sorted(face.glyphToChar)
    starts = [0]
    for glyph in mapped:
        starts.append(starts[-1] + len(face.glyphToChar[glyph]))
    return {
        "codes": array("I", codes),
        "glyphs": array("I", (face.charToGlyph[code] for code in codes)),
        "widths": array("d", (face.charWidths[code] for code in codes)),
        "mapped_glyphs": array("I", mapped),
        "mapped_starts": array("I", starts),
        "mapped_chars": array("I", (char for glyph in mapped for char in face.glyphToChar[glyph])),
        "advances": array("H", (advance for advance, _ in face.hmetrics)),
        "bearings": array("H", (bearing for _, bearing in face.hmetrics)),
        "glyph_offsets": array("I", face.glyphPos),
    }


def read_tables(face: Any, font: Path, file: Path) -> bool:
    """Set the character tables of ``face`` from ``file``; False, and ``face`` untouched,
    when the file is missing, damaged, or made from another font file or ReportLab."""
    try:
        with file.open("rb") as handle:  # not a whole huge file, nor an endless device
            data = handle.read(_MOST + 1)
    except OSError:
        return False
    parsed = None if len(data) > _MOST else _parse(data, font)
    if parsed is None:
        return False
    default_width, arrays = parsed
    if len(arrays["glyph_offsets"]) != face.numGlyphs + 1:
        return False
    codes, chars, starts = arrays["codes"], arrays["mapped_chars"], arrays["mapped_starts"]
    face.charToGlyph = _Table(codes, arrays["glyphs"].__getitem__)
    face.charWidths = _Table(codes, arrays["widths"].__getitem__)
    face.glyphToChar = _Table(
        arrays["mapped_glyphs"], lambda i: chars[starts[i] : starts[i + 1]].tolist()
    )
    face.defaultWidth = default_width
    face.hmetrics = _Metrics(arrays["advances"], arrays["bearings"])
    face.glyphPos = arrays["glyph_offsets"]
    return True


def _parse(data: bytes, font: Path) -> tuple[float, dict[str, array[Any]]] | None:
    """The default width and the arrays of a file made from ``font`` by this ReportLab."""
    if not data.startswith(_MAGIC) or (header_end := data.find(b"\n", len(_MAGIC))) < 0:
        return None
    try:
        header = json.loads(data[len(_MAGIC) : header_end])
        lengths = {name: int(header["lengths"][name]) for name in _ARRAYS}
        default_width = float(header["defaultWidth"])
        crc = int(header["crc32"])
        source = header["source"]
    except (ValueError, KeyError, TypeError):
        return None
    payload = memoryview(data)[header_end + 1 :]
    if source != _source(font) or zlib.crc32(payload) != crc:
        return None
    arrays: dict[str, array[Any]] = {}
    offset = 0
    for name, typecode in _ARRAYS.items():
        values = array(typecode)
        size = lengths[name] * values.itemsize
        if size < 0 or offset + size > len(payload):
            return None
        values.frombytes(payload[offset : offset + size])
        arrays[name] = values
        offset += size
    if offset != len(payload) or not _consistent(arrays):
        return None
    return default_width, arrays


def _consistent(arrays: dict[str, array[Any]]) -> bool:
    """The arrays fit together: one glyph and one width a code, one bearing an advance, and
    every glyph's characters inside ``mapped_chars``. (Their order is the writer's, and the
    CRC holds the bytes to what it wrote.)"""
    codes, mapped, starts = arrays["codes"], arrays["mapped_glyphs"], arrays["mapped_starts"]
    return (
        len(arrays["glyphs"]) == len(arrays["widths"]) == len(codes)
        and len(arrays["advances"]) == len(arrays["bearings"])
        and len(starts) == len(mapped) + 1
        and starts[-1] == len(arrays["mapped_chars"])
    )


class _Table(Mapping[int, Any]):
    """One of ReportLab's dictionaries, read-only, over ascending keys: a lookup is a
    bisection, so a start builds nothing for the characters a licence does not use."""

    __slots__ = ("_keys", "_value")

    def __init__(self, keys: array[int], value: Callable[[int], Any]) -> None:
        self._keys = keys
        self._value = value  # the value of the i-th key

    def _index(self, key: int) -> int:
        """The key's place among the keys, or -1."""
        keys = self._keys
        i = bisect_left(keys, key)
        return i if i < len(keys) and keys[i] == key else -1

    def __getitem__(self, key: int) -> Any:
        i = self._index(key)
        if i < 0:
            raise KeyError(key)
        return self._value(i)

    def __contains__(self, key: object) -> bool:  # ReportLab asks it of every character
        return isinstance(key, int) and self._index(key) >= 0

    def get(self, key: int, default: Any = None) -> Any:
        i = self._index(key)
        return default if i < 0 else self._value(i)

    def __iter__(self) -> Iterator[int]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class _Metrics(Sequence[tuple[int, int]]):
    """ReportLab's ``hmetrics``: each glyph's advance and left side bearing."""

    __slots__ = ("_advances", "_bearings")

    def __init__(self, advances: array[int], bearings: array[int]) -> None:
        self._advances = advances
        self._bearings = bearings

    def __getitem__(self, glyph: int) -> tuple[int, int]:  # type: ignore[override]
        return self._advances[glyph], self._bearings[glyph]

    def __len__(self) -> int:
        return len(self._advances)
