"""Index versions side by side; `current` is a symlink swapped in one atomic rename.

    <index_dir>/versions/<stamp>/   one complete build each
    <index_dir>/current -> versions/<stamp>
A crash mid-build leaves only an unfinished folder under versions/, never a broken `current`.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from index.manifest import MANIFEST_NAME
from qa.errors import IndexNotBuilt

KEEP_VERSIONS = 3


def current_version(index_dir: Path) -> Path:
    link = index_dir / "current"
    if not link.exists():
        raise IndexNotBuilt(
            f"no index at {index_dir}; build one: python scripts/rebuild_index.py [FOLDER]"
        )
    return link.resolve()


def new_version_dir(index_dir: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{time.time_ns() % 1_000_000_000:09d}"
    folder = index_dir / "versions" / stamp
    folder.mkdir(parents=True)
    return folder


def make_current(index_dir: Path, version: Path) -> None:
    """Point `current` at `version` atomically, then drop old complete versions beyond a few."""
    tmp_link = index_dir / f".current-{os.getpid()}"
    if tmp_link.is_symlink():
        tmp_link.unlink()
    tmp_link.symlink_to(version.relative_to(index_dir))
    os.replace(tmp_link, index_dir / "current")
    _prune(index_dir, keep=version)


def _prune(index_dir: Path, *, keep: Path) -> None:
    versions = sorted(p for p in (index_dir / "versions").iterdir() if p.is_dir())
    complete = [p for p in versions if (p / MANIFEST_NAME).exists()]
    for old in complete[:-KEEP_VERSIONS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    for unfinished in (p for p in versions if not (p / MANIFEST_NAME).exists()):
        if unfinished != keep and time.time() - unfinished.stat().st_mtime > 3600:
            shutil.rmtree(unfinished, ignore_errors=True)
