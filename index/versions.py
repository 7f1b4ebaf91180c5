"""Index versions side by side; `current` is a symlink swapped in one atomic rename.

    <index_dir>/versions/<stamp>/   one complete build each
    <index_dir>/current -> versions/<stamp>
A crash mid-build leaves only an unfinished folder under versions/, never a broken `current`.
The versions kept beside the current one are what `rollback` and `load_last_good` fall back on.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from index.checksums import verify_checksums
from index.durable import fsync_dir
from index.manifest import MANIFEST_NAME, Manifest
from qa.errors import IndexCorrupt, IndexNotBuilt

T = TypeVar("T")

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


def make_current(index_dir: Path, version: Path, *, prune: bool = True) -> None:
    """Point `current` at `version` atomically, then drop old complete versions beyond a few."""
    tmp_link = index_dir / f".current-{os.getpid()}"
    if tmp_link.is_symlink():
        tmp_link.unlink()
    tmp_link.symlink_to(version.relative_to(index_dir))
    os.replace(tmp_link, index_dir / "current")
    fsync_dir(index_dir)  # the swap itself survives a power cut
    if not prune:
        return
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


def complete_versions(index_dir: Path) -> list[Path]:
    """Versions with a manifest (finished builds), newest first."""
    folder = index_dir / "versions"
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.iterdir() if p.is_dir() and (p / MANIFEST_NAME).exists()), reverse=True
    )


def check_version(version: Path) -> Manifest:
    """The manifest of a version whose files all match their checksums, else `IndexCorrupt`."""
    manifest = Manifest.load(version)
    verify_checksums(version, manifest.files)
    return manifest


def rollback(index_dir: Path, *, to: str | None = None) -> Path:
    """Make the newest intact version older than `current` (or version `to`) current again.

    Newer versions are kept (nothing is pruned), so a rollback can itself be undone with `to`.
    """
    versions = complete_versions(index_dir)
    if to is not None:
        target = index_dir / "versions" / to
        if target not in versions:
            known = ", ".join(v.name for v in versions) or "none"
            raise IndexNotBuilt(f"no complete version {to!r}; complete versions: {known}")
        check_version(target)
        make_current(index_dir, target, prune=False)
        return target
    current = current_version(index_dir)
    problems: list[str] = []
    for version in versions:
        if version.name >= current.name:
            continue
        try:
            check_version(version)
        except IndexCorrupt as exc:
            problems.append(str(exc))
            continue
        make_current(index_dir, version, prune=False)
        return version
    raise IndexNotBuilt(
        f"no intact version older than {current.name} to roll back to"
        + (f" ({'; '.join(problems)})" if problems else "")
    )


def load_last_good(
    index_dir: Path, load: Callable[[Path], T], *, warn: Callable[[str], None] = log.warning
) -> tuple[T, Path]:
    """`load(current)`, or if it is corrupt, of the newest older version that loads.

    Only damage (`IndexCorrupt`, or a `current` link to a removed folder) falls back; each
    refused version is reported through `warn`. When no version loads, the error about the
    current one is raised. `current` itself is not changed: a rebuild or rollback does that.
    """
    link = index_dir / "current"
    candidates = complete_versions(index_dir)
    first_error: Exception | None = None
    current: Path | None = None
    if link.exists():
        current = link.resolve()
        candidates = [current] + [v for v in candidates if v.name < current.name]
    elif link.is_symlink():
        first_error = IndexCorrupt(f"{link} points at {os.readlink(link)}, which is missing")
        warn(str(first_error))
    else:
        current_version(index_dir)  # raises IndexNotBuilt with how to build one
    for version in candidates:
        try:
            loaded = load(version)
        except IndexCorrupt as exc:
            first_error = first_error or exc
            warn(f"refusing index version {version.name}: {exc}")
            continue
        if version != current:
            warn(f"serving the last good index version {version.name} instead of the current one")
        return loaded, version
    raise first_error or IndexNotBuilt(f"no complete index version under {index_dir}")

