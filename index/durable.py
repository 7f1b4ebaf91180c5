"""Writes that survive a crash or power cut: fsync files and folders, replace files whole."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

# numpy (np.save) and FAISS (write_index) write with C's fwrite and report one that fell short
# without an errno: numpy as "N requested and M written", FAISS with strerror in its message
_SHORT_WRITE = re.compile(r"\d+ requested and \d+ written|No space left on device|Disk quota")


def fsync_dir(folder: Path) -> None:
    """Make a folder's entries (a rename, a new or removed file) durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """Every file under `folder`, then every folder, on disk."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as f:
                os.fsync(f.fileno())
    for path in sorted(p for p in folder.rglob("*") if p.is_dir()):
        fsync_dir(path)
    fsync_dir(folder)


def replace_atomically(target: Path, data: bytes, *, tmp: Path) -> None:
    """Write `data` to `tmp`, fsync it, then rename it over `target`: readers see the old file
    or the new one, never half of one. (The caller fsyncs the folder when the rename must last.)

    `tmp` is made anew, never opened through what is at its name: a link left there (by a
    crash, or by someone who may write in the folder) would have had the write go to the file
    it points at, anywhere this process may write."""
    tmp.unlink(missing_ok=True)  # a link is removed itself, not what it points at
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(tmp, flags, 0o666), "wb") as f:  # the umask applies, as for open()
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)


def storage_problem(exc: BaseException) -> tuple[str, str] | None:
    """Why a write did not reach the disk, and what to do, when `exc` says so: the disk is full
    (or the quota used up), the file system is read-only, or this process may not write there.
    None for any other error (a missing file, a bad one), which is no storage problem."""
    code = exc.errno if isinstance(exc, OSError) else None
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) or (
        code is None and isinstance(exc, OSError | RuntimeError) and _SHORT_WRITE.search(str(exc))
    ):
        return "no space is left on its disk", "Free some space on that disk and try again"
    if code == errno.EROFS:
        return "it is on a read-only file system", "Make it writable and try again"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied", "Let the user this runs as write there and try again"
    return None
