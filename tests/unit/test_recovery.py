"""What the build lock's holder settles: a journalled document change, and the leftovers of
killed builds and prunes (index/journal.py, `clean_leftovers` in index/versions.py).

The states a kill leaves are made by hand here (test_crash_safety.py makes them with real
kills); each test then takes the lock with `recover` and checks what is left.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import pytest

import index.documents
from index import journal
from index.builder import rebuild_index, recover
from index.documents import add_article, delete_article
from index.manifest import Manifest
from index.versions import (
    PRUNING_DIR,
    clean_leftovers,
    complete_versions,
    current_version,
    loadable_versions,
    new_version_dir,
)
from qa.articles import content_hash
from qa.errors import BadInput, Conflict
from qa.interfaces import Vectors
from qa.settings import IndexSettings
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.unit

SETTINGS = IndexSettings(build_lock_timeout_s=5)
FERRY = "Ferry returns\n\nThe ferry to Skarra island resumed service on Monday."
ORCHARD = "Frost hits orchards\n\nA late frost destroyed 3,000 tonnes of apples in Brenna."
LIBRARY = "Library opens\n\nThe town council opened a library beside the port on Friday."


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(FERRY, encoding="utf-8")
    (corpus / "orchard.txt").write_text(ORCHARD, encoding="utf-8")
    index_dir = tmp_path / "index"
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    return corpus, index_dir


def add(index_dir: Path, doc_id: str, raw: str) -> object:
    return add_article(index_dir, doc_id, raw, embedder=HashingEmbedder(),
                       index_settings=SETTINGS, near_duplicate_threshold=None)  # fmt: skip


def pending_add(
    corpus: Path, doc_id: str, raw: str, *, existed: bool = False
) -> journal.PendingChange:
    return journal.PendingChange(
        op="add", doc_id=doc_id, content_hash=content_hash(raw), corpus_dir=str(corpus),
        file_existed=existed,
    )  # fmt: skip


# --- the journal ---------------------------------------------------------------------------


def test_an_uncommitted_add_is_undone_and_reported(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    journal.begin(index_dir, pending_add(corpus, "library", LIBRARY))
    (corpus / "library.txt").write_text(LIBRARY, encoding="utf-8")
    (corpus / ".library.txt.4242.tmp").write_text(LIBRARY[:5], encoding="utf-8")

    notes = recover(index_dir)

    assert notes == ["the add of 'library' was not committed; undone (its file removed)"]
    assert sorted(p.name for p in corpus.iterdir()) == ["ferry.txt", "orchard.txt"]
    assert journal.pending(index_dir) is None
    assert recover(index_dir) == []  # settled once


def test_undoing_an_add_never_removes_a_file_it_did_not_write(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    # the same file was there before the add (kept), or was changed since (not ours)
    journal.begin(index_dir, pending_add(corpus, "library", LIBRARY, existed=True))
    (corpus / "library.txt").write_text(LIBRARY, encoding="utf-8")
    recover(index_dir)
    assert (corpus / "library.txt").exists()

    journal.begin(index_dir, pending_add(corpus, "museum", "Museum\n\nIt reopened."))
    (corpus / "museum.txt").write_text("Museum\n\nSomeone else's text.", encoding="utf-8")
    recover(index_dir)
    assert (corpus / "museum.txt").exists()


def test_an_uncommitted_delete_puts_the_exact_file_back(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    raw = (corpus / "orchard.txt").read_bytes()
    journal.begin(
        index_dir,
        journal.PendingChange(
            op="delete", doc_id="orchard", content_hash=content_hash(ORCHARD),
            corpus_dir=str(corpus), raw_b64=journal.raw_b64(raw),
        ),
    )  # fmt: skip
    (corpus / "orchard.txt").unlink()

    assert recover(index_dir) == [
        "the delete of 'orchard' was not committed; undone (its file put back)"
    ]
    assert (corpus / "orchard.txt").read_bytes() == raw


def replace(index_dir: Path, doc_id: str, raw: str | bytes, suffix: str = ".txt") -> object:
    return add_article(index_dir, doc_id, raw, embedder=HashingEmbedder(), index_settings=SETTINGS,
                       near_duplicate_threshold=None, suffix=suffix, replace=True)  # fmt: skip


def test_a_replacement_is_one_build_and_a_retry_builds_nothing(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    before = current_version(index_dir)
    newer = FERRY + " It runs twice a day."

    report = replace(index_dir, "ferry", newer)

    assert report.changed == ["ferry"] and report.added == [] and report.removed == []
    assert (corpus / "ferry.txt").read_text("utf-8") == newer
    assert current_version(index_dir) != before
    assert replace(index_dir, "ferry", newer) is None  # already as sent
    # an id no article has is added
    assert replace(index_dir, "library", LIBRARY).added == ["library"]
    assert journal.pending(index_dir) is None


def test_a_replacement_in_another_kind_of_file_leaves_one_file(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    page = (
        b"<html><head><title>Ferry returns</title></head><body><article><p>The ferry to Skarra "
        b"island resumed service on Monday, and it now runs twice a day.</p></article>"
        b"</body></html>"
    )

    report = replace(index_dir, "ferry", page, suffix=".html")

    assert report.changed == ["ferry"]
    assert sorted(p.name for p in corpus.iterdir()) == ["ferry.html", "orchard.txt"]


def begin_page_replacement(corpus: Path, index_dir: Path) -> tuple[bytes, bytes]:
    """The record of a replacement of ferry.txt by a page, as written before the folder
    changes; the earlier file's bytes and the page's."""
    earlier = (corpus / "ferry.txt").read_bytes()
    page = b"<html><body><p>The ferry now runs twice a day, its owners said.</p></body></html>"
    journal.begin(
        index_dir,
        journal.PendingChange(
            op="replace", doc_id="ferry", content_hash=content_hash(page), corpus_dir=str(corpus),
            raw_b64=journal.raw_b64(earlier), suffix=".html", old_suffix=".txt",
        ),
    )  # fmt: skip
    return earlier, page


def test_an_uncommitted_replacement_puts_the_earlier_file_back(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    earlier, page = begin_page_replacement(corpus, index_dir)
    (corpus / "ferry.html").write_bytes(page)  # killed after the new file, before the old left
    (corpus / "ferry.txt").unlink()  # or after both

    assert recover(index_dir) == [
        "the replacement of 'ferry' was not committed; undone (its earlier file put back)"
    ]
    assert sorted(p.name for p in corpus.iterdir()) == ["ferry.txt", "orchard.txt"]
    assert (corpus / "ferry.txt").read_bytes() == earlier


def test_a_failed_replacement_build_keeps_the_earlier_article(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    before = current_version(index_dir)

    class Failing(HashingEmbedder):
        def embed(self, texts: Sequence[str]) -> Vectors:
            raise RuntimeError("the embedding model fell over")

    with pytest.raises(RuntimeError, match="fell over"):
        add_article(index_dir, "ferry", FERRY + " Updated.", embedder=Failing(),
                    index_settings=SETTINGS, near_duplicate_threshold=None,
                    replace=True)  # fmt: skip
    assert (corpus / "ferry.txt").read_text("utf-8") == FERRY
    assert current_version(index_dir) == before


def test_a_replacement_the_build_would_skip_changes_nothing(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    before = current_version(index_dir)
    with pytest.raises(BadInput, match="the file is empty"):
        replace(index_dir, "ferry", " \n\n ")
    assert (corpus / "ferry.txt").read_text("utf-8") == FERRY
    assert current_version(index_dir) == before


def test_a_replacement_the_build_skips_after_all_leaves_the_earlier_article_served(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, index_dir = built
    before = current_version(index_dir)
    # let it through
    monkeypatch.setattr(index.documents, "_check_readable", lambda *args, **kwargs: None)
    with pytest.raises(BadInput, match="'ferry' could not be indexed .*the file is empty"):
        replace(index_dir, "ferry", " \n\n ")
    assert (corpus / "ferry.txt").read_text("utf-8") == FERRY
    # no version without the article was ever made current
    assert current_version(index_dir) == before
    assert Manifest.load(before).articles["ferry"] == content_hash(FERRY)
    assert journal.pending(index_dir) is None
    # nor for an add
    with pytest.raises(BadInput, match="'library' could not be indexed"):
        add(index_dir, "library", " \n\n ")
    assert current_version(index_dir) == before
    assert not (corpus / "library.txt").exists()


def test_a_suffix_in_other_capitals_is_replaced_in_its_own_file(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    (corpus / "ferry.txt").rename(corpus / "ferry.TXT")
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    newer = FERRY + " It runs twice a day."
    assert replace(index_dir, "ferry", newer).changed == ["ferry"]
    assert sorted(p.name for p in corpus.iterdir()) == ["ferry.TXT", "orchard.txt"]
    assert (corpus / "ferry.TXT").read_text("utf-8") == newer


def test_settling_removes_a_half_written_earlier_file_too(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    earlier, _ = begin_page_replacement(corpus, index_dir)
    (corpus / "ferry.txt").unlink()
    (corpus / ".ferry.txt.4242.tmp").write_bytes(earlier[:5])  # killed while putting it back
    recover(index_dir)
    assert sorted(p.name for p in corpus.iterdir()) == ["ferry.txt", "orchard.txt"]


def test_an_article_from_an_archive_or_a_renamed_file_is_not_replaced(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    (corpus / "Pier mended - Coast Times.txt").write_text(
        "Pier mended\n\nThe pier was mended on Friday.", "utf-8"
    )
    (corpus / "export.jsonl").write_text(
        '{"title": "Museum", "text": "The museum reopened on Saturday."}\n',
        "utf-8",
    )
    report = rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    (museum,) = [i for i in report.added if i.startswith("museum-")]  # the archive line's id
    with pytest.raises(Conflict, match="change that file and rebuild"):
        replace(index_dir, "Pier-mended-Coast-Times", "Pier\n\nThe pier reopened.")
    with pytest.raises(Conflict, match="comes from the archive export.jsonl"):
        replace(index_dir, museum, "Museum\n\nThe museum closed again.")
    assert sorted(p.name for p in corpus.iterdir()) == [
        "Pier mended - Coast Times.txt", "export.jsonl", "ferry.txt", "orchard.txt"
    ]  # fmt: skip


def test_an_unreadable_record_is_dropped(built: tuple[Path, Path]) -> None:
    _, index_dir = built
    folder = index_dir / journal.JOURNAL_DIR
    folder.mkdir(exist_ok=True)
    (folder / journal.PENDING_NAME).write_text("{not json", encoding="utf-8")
    (folder / ".pending.json.77.tmp").write_text("{half", encoding="utf-8")
    recover(index_dir)
    assert list(folder.iterdir()) == []


def test_deleted_ids_are_remembered_up_to_a_limit_and_forgotten_on_add(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, index_dir = built
    monkeypatch.setattr(journal, "REMEMBERED_DELETES", 3)
    for doc_id in ("a", "b", "c", "d"):
        journal.remember_deleted(index_dir, doc_id)
    assert [journal.was_deleted(index_dir, d) for d in "abcd"] == [False, True, True, True]

    delete_article(index_dir, "orchard", embedder=HashingEmbedder(), index_settings=SETTINGS,
                   near_duplicate_threshold=None)  # fmt: skip
    assert journal.was_deleted(index_dir, "orchard")
    add(index_dir, "orchard", ORCHARD)
    assert not journal.was_deleted(index_dir, "orchard")


def test_a_delete_is_remembered_with_its_time_and_an_older_list_is_read(
    built: tuple[Path, Path],
) -> None:
    _, index_dir = built
    at = dt.datetime(2031, 5, 12, 9, 30, 15, 123456, tzinfo=dt.UTC)
    journal.remember_deleted(index_dir, "pier", at=at)
    assert journal.deletion(index_dir, "pier") == journal.Deletion("pier", "2031-05-12T09:30:15Z")
    assert journal.deletion(index_dir, "quay") is None
    # a list written before the times were kept (ids alone) is still read, without a time
    (index_dir / journal.JOURNAL_DIR / journal.DELETED_NAME).write_text('["quay", "pier"]')
    assert journal.deletion(index_dir, "quay") == journal.Deletion("quay", None)
    journal.remember_deleted(index_dir, "dock", at=at)
    assert journal.was_deleted(index_dir, "pier") and journal.was_deleted(index_dir, "dock")


# --- adds the build would skip, and files already in the folder -----------------------------


@pytest.mark.parametrize("raw", ["Headline\n\nText with a \x00 NUL byte.", "\x00\x00\x00"])
def test_an_article_the_build_skips_is_refused_and_leaves_nothing(
    built: tuple[Path, Path], raw: str
) -> None:
    corpus, index_dir = built
    before = current_version(index_dir)
    with pytest.raises(BadInput, match="could not be indexed .*; nothing was added$"):
        add(index_dir, "binary", raw)
    assert not (corpus / "binary.txt").exists()
    assert current_version(index_dir) == before
    assert journal.pending(index_dir) is None
    # a replacement says what it kept: the article as it was
    with pytest.raises(BadInput, match="could not be indexed .*; the stored article is unchanged$"):
        replace(index_dir, "ferry", raw)
    assert (corpus / "ferry.txt").read_text("utf-8") == FERRY
    assert current_version(index_dir) == before


def test_an_unindexed_file_is_indexed_by_an_add_of_the_same_text_else_a_conflict(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    (corpus / "library.txt").write_text(LIBRARY, encoding="utf-8")  # left by an older crash
    report = add(index_dir, "library", LIBRARY)
    assert report is not None and getattr(report, "added", None) == ["library"]

    (corpus / "museum.txt").write_text("Museum\n\nOther text.", encoding="utf-8")
    with pytest.raises(Conflict, match="unindexed file"):
        add(index_dir, "museum", "Museum\n\nThe text sent now.")
    assert (corpus / "museum.txt").read_text("utf-8") == "Museum\n\nOther text."


# --- leftovers of killed builds and prunes ------------------------------------------------


def test_leftovers_are_removed_and_current_is_never_touched(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    (corpus / "library.txt").write_text(LIBRARY, encoding="utf-8")
    older = current_version(index_dir)
    newer = rebuild_index(corpus, index_dir, embedder=HashingEmbedder()).version
    (newer / "paragraphs.faiss").unlink()  # current, damaged: served around, never removed
    (older / "doc_freq.json").unlink()  # an older version a kill half-removed
    unfinished = new_version_dir(index_dir)  # a killed build, empty
    half_pruned = index_dir / PRUNING_DIR / "20000101T000000Z-000000001"
    half_pruned.mkdir(parents=True)
    (half_pruned / "sentences.npy").write_bytes(b"x")
    os.symlink("versions/gone", index_dir / ".current-999")

    assert loadable_versions(index_dir) == []  # the damaged current one is not loadable either
    notes = clean_leftovers(index_dir)

    assert len(notes) == 3, notes
    assert any("finished removing 1 pruned version" in n for n in notes)
    assert any(older.name in n and "doc_freq.json" in n for n in notes)
    assert any(unfinished.name in n and "unfinished build" in n for n in notes)
    assert complete_versions(index_dir) == [newer]
    assert current_version(index_dir) == newer
    assert list((index_dir / PRUNING_DIR).iterdir()) == []
    assert not (index_dir / ".current-999").is_symlink()
