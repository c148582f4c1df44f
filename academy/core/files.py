"""Files the app writes that hold personal data (attachments, batch ZIPs, pending imports): readable by
the app's own account only, whatever the process umask, so another account on the server cannot read
them. Folders are 0700 and files 0600, set when they are created rather than changed afterwards.
"""

import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: str | Path) -> Path:
    """The folder, created 0700 (with its missing parents) and made 0700 if it already existed."""
    folder = Path(path)
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o777 != FOLDER_MODE:
        folder.chmod(FOLDER_MODE)
    return folder


@contextmanager
def private_file(path: str | Path) -> Iterator[BinaryIO]:
    """Write a file 0600 in its private folder: written under a temporary name, then moved into place,
    so a reader never sees half a file. On an error the temporary file is removed."""
    target = Path(path)
    private_folder(target.parent)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_private(path: str | Path, data: bytes) -> Path:
    """`data` written to `path`, 0600, in a 0700 folder."""
    with private_file(path) as handle:
        handle.write(data)
    return Path(path)


def remove_older_than(folder: str | Path, pattern: str, seconds: float, *, now: float | None = None) -> list[Path]:
    """Delete the files in `folder` matching `pattern` last written more than `seconds` ago; returns them."""
    now = time.time() if now is None else now
    removed = []
    for path in Path(folder).glob(pattern):
        try:
            if path.is_file() and now - path.stat().st_mtime > seconds:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:  # another process swept it first
            continue
    return removed
