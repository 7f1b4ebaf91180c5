"""SHA-256 of every file of an index version, recorded in its manifest and checked before use.

The manifest lists each file (path relative to the version folder) with its digest; the manifest
itself is not listed (it is written last and validated on load). A missing, truncated or altered
file is then named in the error instead of surfacing later as an odd search result.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from qa.errors import IndexCorrupt

_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def folder_checksums(folder: Path, *, exclude: frozenset[str] = frozenset()) -> dict[str, str]:
    """`relative/posix/path -> sha256` for every regular file under `folder`, sorted by path."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {
        p.relative_to(folder).as_posix(): sha256_file(p)
        for p in files
        if p.relative_to(folder).as_posix() not in exclude
    }


def without_paths(message: str, folder: Path) -> str:
    """`message` with `folder`'s path dropped from the file names in it: errors of a version
    name its files relative to it, so no problem detail a client sees carries a path."""
    for prefix in {str(folder.resolve()), str(folder.absolute()), str(folder)}:
        message = message.replace(prefix + "/", "").replace(prefix, ".")
    return message


def verify_checksums(folder: Path, expected: Mapping[str, str]) -> None:
    """Raise `IndexCorrupt` naming every missing or altered file; extra files are ignored."""
    problems: list[str] = []
    for name, digest in expected.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
            continue
        try:
            actual = sha256_file(path)
        except OSError as exc:
            problems.append(f"{name} cannot be read ({exc.strerror})")
            continue
        if actual != digest:
            problems.append(f"{name} does not match its checksum")
    if problems:
        raise IndexCorrupt(
            f"index version {folder.name} is damaged: {'; '.join(problems)}. "
            "Roll back (python scripts/rollback_index.py) or rebuild it: "
            "python scripts/rebuild_index.py",
            damage="; ".join(problems),
        )
