"""Index versions side by side; `current` is a symlink swapped in one atomic rename.

    <index_dir>/versions/<stamp>/   one complete build each
    <index_dir>/current -> versions/<stamp>
A crash mid-build leaves only an unfinished folder under versions/, never a broken `current`.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

from index.manifest import MANIFEST_NAME
from qa.errors import IndexNotBuilt

log = logging.getLogger(__name__)

KEEP_VERSIONS = 3
STALE_BUILD_SECONDS = 3600


def current_version(index_dir: Path) -> Path:
    link = index_dir / "current"
    if not link.exists():
        raise IndexNotBuilt(
            f"no index at {index_dir}; build one: python scripts/rebuild_index.py [FOLDER]"
        )
    return link.resolve()


def new_version_dir(index_dir: Path) -> Path:
    """A new folder whose name sorts in creation order (one UTC clock reading, nanoseconds)."""
    now = time.time_ns()
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now // 1_000_000_000))
    folder = index_dir / "versions" / f"{stamp}-{now % 1_000_000_000:09d}"
    folder.mkdir(parents=True)
    return folder


def make_current(index_dir: Path, version: Path) -> None:
    """Point `current` at `version` atomically, then drop old complete versions beyond a few."""
    tmp_link = index_dir / f".current-{os.getpid()}"
    if tmp_link.is_symlink():
        tmp_link.unlink()
    tmp_link.symlink_to(version.relative_to(index_dir))
    os.replace(tmp_link, index_dir / "current")
    try:
        _prune(index_dir, keep=version)
    except OSError as exc:  # the swap is done; a failed clean-up must not undo it
        log.warning("could not prune old index versions: %s", exc)


def _prune(index_dir: Path, *, keep: Path) -> None:
    """Best effort: a folder that cannot be removed or read is left for the next build."""
    versions = sorted(p for p in (index_dir / "versions").iterdir() if p.is_dir())
    complete = [p for p in versions if (p / MANIFEST_NAME).exists()]
    unfinished = [p for p in versions if p not in complete]
    for old in complete[:-KEEP_VERSIONS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    for folder in unfinished:
        try:
            stale = time.time() - folder.stat().st_mtime > STALE_BUILD_SECONDS
        except OSError:
            continue
        if folder != keep and stale:  # an hour-old unfinished build is a crashed one
            shutil.rmtree(folder, ignore_errors=True)
