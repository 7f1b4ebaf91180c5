"""Index versions side by side; `current` is a symlink swapped in one atomic rename.

    <index_dir>/versions/<stamp>/   one complete build each
    <index_dir>/current -> versions/<stamp>
    <index_dir>/.pruning/<stamp>/   a version being removed (renamed out of versions/ first)
A crash mid-build leaves only an unfinished folder under versions/, never a broken `current`,
and a crash while an old version is removed leaves it under .pruning/, never a listed version
with files missing. `clean_leftovers` (run under the build lock, where no build is under way)
removes both. The versions kept beside the current one are what `rollback` and
`load_last_good` fall back on.
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
PRUNING_DIR = ".pruning"


def current_version(index_dir: Path) -> Path:
    found = pointed_at(index_dir)
    if found is None:
        raise IndexNotBuilt(
            "no index has been built yet; build one: python scripts/rebuild_index.py [FOLDER]"
        )
    return found


def pointed_at(index_dir: Path) -> Path | None:
    """The version folder `current` points at; None when there is no `current` link, or it
    points at a folder that is gone (`missing_current`)."""
    link = index_dir / "current"
    return link.resolve() if link.exists() else None


def missing_current(index_dir: Path) -> str | None:
    """The name of the version a `current` link points at when that folder is gone, else
    None (no link, or a version that is there)."""
    link = index_dir / "current"
    if link.exists() or not link.is_symlink():
        return None
    return Path(os.readlink(link)).name


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
    doomed = [old for old in complete[:-KEEP_VERSIONS] if old != keep]
    # A version to roll back to survives: when none of the kept ones older than `keep` is intact
    # (damaged ones are complete too), the newest intact one of the rest is spared.
    older = [v for v in complete[-KEEP_VERSIONS:] if v.name < keep.name]
    if doomed and not any(_intact(v) for v in reversed(older)):
        spared = next((v for v in reversed(doomed) if _intact(v)), None)
        doomed = [v for v in doomed if v != spared]
    for old in doomed:
        discard_version(index_dir, old)
    for folder in unfinished:
        try:
            stale = time.time() - folder.stat().st_mtime > STALE_BUILD_SECONDS
        except OSError:
            continue
        if folder != keep and stale:  # an hour-old unfinished build is a crashed one
            discard_version(index_dir, folder)


def _intact(version: Path) -> bool:
    try:
        check_version(version)
    except (IndexCorrupt, OSError):
        return False
    return True


def discard_version(index_dir: Path, version: Path) -> None:
    """Remove a version folder so that a kill at any moment leaves no half-removed version in
    versions/: it is first renamed out into .pruning/ (one atomic step, made durable), then
    deleted there. What a kill leaves in .pruning/ is removed by `clean_leftovers`."""
    trash = index_dir / PRUNING_DIR
    trash.mkdir(exist_ok=True)
    target = trash / version.name
    if target.exists():  # the same version, left by a kill during an earlier removal
        shutil.rmtree(target, ignore_errors=True)
    os.rename(version, target)
    fsync_dir(version.parent)
    fsync_dir(trash)
    shutil.rmtree(target, ignore_errors=True)


def version_problem(version: Path) -> str | None:
    """Why `version` cannot be loaded, from a quick look (its manifest, and every file it
    lists present), or None. Checksums are checked when a version is loaded."""
    if not (version / MANIFEST_NAME).exists():
        return "unfinished build (no manifest)"
    try:
        manifest = Manifest.load(version)
    except IndexCorrupt:
        return "its manifest is unreadable"
    missing = sorted(name for name in manifest.files if not (version / name).is_file())
    if missing:
        return f"files missing: {', '.join(missing[:5])}" + (" …" if len(missing) > 5 else "")
    return None


def clean_leftovers(index_dir: Path) -> list[str]:
    """Remove what killed builds and prunes left; call it holding the build lock, when no
    build is under way. `current` is never touched, even when it is damaged (the server then
    serves the last good version and says so). Returns what was removed, one line each."""
    notes: list[str] = []
    trash = index_dir / PRUNING_DIR
    if trash.is_dir():
        left = sorted(trash.iterdir())
        for path in left:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        if left:
            names = ", ".join(p.name for p in left)
            notes.append(f"finished removing {len(left)} pruned version(s) a kill interrupted: "
                         f"{names}")  # fmt: skip
    current = pointed_at(index_dir)
    folder = index_dir / "versions"
    for version in sorted(folder.iterdir()) if folder.is_dir() else []:
        if not version.is_dir() or version == current:
            continue
        problem = version_problem(version)
        if problem is not None:
            discard_version(index_dir, version)
            notes.append(f"removed version {version.name}: {problem}")
    for stale in index_dir.glob(".current-*"):  # a temporary link a kill left before the swap
        if stale.is_symlink():
            stale.unlink()
    return notes


def complete_versions(index_dir: Path) -> list[Path]:
    """Versions with a manifest (finished builds), newest first."""
    folder = index_dir / "versions"
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.iterdir() if p.is_dir() and (p / MANIFEST_NAME).exists()), reverse=True
    )


def loadable_versions(index_dir: Path) -> list[Path]:
    """Complete versions whose manifest reads and whose files are all there, newest first."""
    return [v for v in complete_versions(index_dir) if version_problem(v) is None]


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
        try:
            check_version(target)
        except IndexCorrupt as exc:  # its own advice would name the rollback being made
            raise IndexCorrupt(
                f"version {to} is damaged ({exc.damage}); choose another "
                "(python scripts/rollback_index.py --list) or rebuild: "
                "python scripts/rebuild_index.py",
                damage=exc.damage,
            ) from exc
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
            problems.append(f"{version.name}: {exc.damage}")
            continue
        make_current(index_dir, version, prune=False)
        return version
    raise IndexNotBuilt(
        f"no intact version older than {current.name} to roll back to"
        + (f" ({'; '.join(problems)})" if problems else "")
        + "; rebuild instead: python scripts/rebuild_index.py"
    )


def built_from(index_dir: Path) -> tuple[Path, Path] | None:
    """The corpus folder the served index was built from, and the version whose manifest says
    so: the current version's, or, when its manifest cannot be read or `current` points at a
    removed version, that of the newest older version whose manifest reads (the one
    `load_last_good` falls back on; without a `current` link, the newest). None when no
    version's manifest reads."""
    candidates = complete_versions(index_dir)
    current = pointed_at(index_dir)
    if current is not None:
        candidates = [current] + [v for v in candidates if v.name < current.name]
    for version in candidates:
        try:
            return Path(Manifest.load(version).corpus_dir), version
        except IndexCorrupt:
            continue
    return None


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
        missing = Path(os.readlink(link)).name
        first_error = IndexCorrupt(f"'current' points at version {missing}, which is missing")
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
    raise first_error or IndexNotBuilt("no complete index version to serve")
