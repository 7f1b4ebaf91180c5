"""index/durable.py: an atomic replace writes only where it is told."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.durable import replace_atomically

pytestmark = pytest.mark.unit


def test_a_link_at_the_temporary_name_is_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("kept\n")
    folder = tmp_path / "corpus"
    folder.mkdir()
    tmp = folder / ".harbour.txt.123.tmp"
    tmp.symlink_to(outside)  # left by someone who may write in the corpus folder
    replace_atomically(folder / "harbour.txt", b"new article\n", tmp=tmp)
    assert outside.read_text() == "kept\n"
    assert (folder / "harbour.txt").read_bytes() == b"new article\n"
    assert not (folder / "harbour.txt").is_symlink() and not tmp.exists()


def test_a_stale_temporary_file_is_replaced_and_the_target_too(tmp_path: Path) -> None:
    tmp, target = tmp_path / ".a.tmp", tmp_path / "a.txt"
    tmp.write_bytes(b"half of an old write")
    target.write_bytes(b"old")
    replace_atomically(target, b"new", tmp=tmp)
    assert target.read_bytes() == b"new" and not tmp.exists()
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
