"""Writing a file whole or not at all: beside it, then renamed into place.

A failure (or an interrupted command) never leaves half a PDF or half a print job where the
file was; the file gets the usual permissions, not ``mkstemp``'s private ones.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

__all__ = ["replacing"]


@contextmanager
def replacing(path: Path) -> Iterator[IO[bytes]]:
    """A file to write that becomes ``path`` when the block ends well, and is removed if not.
    Creating it beside ``path`` raises ``OSError`` before the block runs."""
    directory = path.parent if str(path.parent) else Path()
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
