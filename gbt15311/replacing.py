"""Writing a file whole or not at all: beside it, then renamed into place.

A failure (or an interrupted command) never leaves half a PDF or half a print job where the
file was; the file gets the usual permissions, not ``mkstemp``'s private ones.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

__all__ = ["NOT_A_FILE", "is_not_a_file", "replacing"]

NOT_A_FILE = "is a device or a pipe, not a file: a file would be put in its place"


@contextmanager
def replacing(path: Path) -> Iterator[IO[bytes]]:
    """A file to write that becomes ``path`` when the block ends well, and is removed if not.
    Creating it beside ``path``, or a ``path`` that is not a file, raises ``OSError`` before
    the block runs. A symbolic link stays a link: the file it names is replaced."""
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if is_not_a_file(path):
        raise OSError(errno.EINVAL, NOT_A_FILE, str(path))
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


def is_not_a_file(path: Path) -> bool:
    """Whether ``path`` is there but neither a file nor a folder: a device, a pipe, a socket."""
    return path.exists() and not path.is_file() and not path.is_dir()
