"""Writes that survive a crash or power cut: fsync files and folders, replace files whole."""

from __future__ import annotations

import os
from pathlib import Path


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
    or the new one, never half of one. (The caller fsyncs the folder when the rename must last.)"""
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)
