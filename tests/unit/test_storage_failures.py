"""A disk that is full or read-only while the index or the corpus folder is written: the build
and the document API say so in words (and the API with a 507), leave nothing half-written,
and keep serving the version they had. The disk's refusals are raised where the real write
fails (numpy's short write, FAISS's, an OS error with its errno), as a full tmpfs gave them.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

import index.documents
import index.store
from api.errors import problem_details
from index.builder import rebuild_index
from index.documents import add_article, delete_article
from index.journal import JOURNAL_DIR, PENDING_NAME
from index.versions import complete_versions, current_version
from qa.errors import StorageFailed
from qa.settings import IndexSettings
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.unit

SETTINGS = IndexSettings(build_lock_timeout_s=5)
ARTICLES = {
    "ferry": "Ferry returns to Skarra\n\nThe ferry to Skarra island resumed service on Monday.",
    "orchard": "Frost hits orchards\n\nA late frost destroyed 3,000 tonnes of apples in Brenna.",
}
LIBRARY = "Library opens\n\nThe town council opened a library beside the port on Friday."


def setup(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc_id, raw in ARTICLES.items():
        (corpus / f"{doc_id}.txt").write_text(raw, encoding="utf-8")
    index_dir = tmp_path / "index"
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    return corpus, index_dir


def indexed(index_dir: Path) -> dict[str, str]:
    manifest = json.loads((current_version(index_dir) / "manifest.json").read_text("utf-8"))
    return dict(manifest["articles"])


def numpy_short_write(*args: object, **kwargs: object) -> None:
    raise OSError("41472 requested and 23520 written")  # np.save on a full disk


def faiss_short_write(*args: object, **kwargs: object) -> None:
    raise RuntimeError(
        "Error in void faiss::write_index(const Index*, IOWriter*, int) at "
        "index_write.cpp:499: Error: 'ret == (size * 4)' failed: write error in "
        "/srv/data/index/versions/x/paragraphs.faiss: 8147 != 1536000 (No space left on device)"
    )


@pytest.mark.parametrize("where", ["numpy", "faiss"])
def test_a_build_on_a_full_disk_says_so_and_keeps_the_current_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    corpus, index_dir = setup(tmp_path)
    before = current_version(index_dir)
    (corpus / "library.txt").write_text(LIBRARY, encoding="utf-8")
    if where == "numpy":
        monkeypatch.setattr(index.store.np, "save", numpy_short_write)
    else:
        monkeypatch.setattr(index.store.FaissStore, "save", faiss_short_write)
    with pytest.raises(StorageFailed) as caught:
        rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    message = str(caught.value)
    assert "the index folder" in message and "no space is left on its disk" in message
    assert "Free some space" in message and "/srv" not in message
    assert current_version(index_dir) == before
    assert complete_versions(index_dir) == [before]
    assert [p.name for p in (index_dir / "versions").iterdir()] == [before.name]


def test_an_add_on_a_full_disk_is_undone_and_a_retry_with_space_adds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, index_dir = setup(tmp_path)
    before = indexed(index_dir)
    with monkeypatch.context() as patched:
        patched.setattr(index.store.np, "save", numpy_short_write)
        with pytest.raises(StorageFailed, match="no space is left"):
            add_article(index_dir, "library", LIBRARY, embedder=HashingEmbedder(),
                        index_settings=SETTINGS, near_duplicate_threshold=None)  # fmt: skip
    assert indexed(index_dir) == before
    assert sorted(p.name for p in corpus.iterdir()) == ["ferry.txt", "orchard.txt"]
    assert not (index_dir / JOURNAL_DIR / PENDING_NAME).exists()
    report = add_article(index_dir, "library", LIBRARY, embedder=HashingEmbedder(),
                         index_settings=SETTINGS, near_duplicate_threshold=None)  # fmt: skip
    assert report is not None and report.added == ["library"]


def test_a_delete_from_a_read_only_corpus_folder_says_which_folder_and_keeps_the_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, index_dir = setup(tmp_path)
    before = indexed(index_dir)

    def read_only(folder: Path, doc_id: str, *, suffix: str = ".txt") -> None:
        path = folder / f"{doc_id}{suffix}"
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(index.documents, "remove_article_file", read_only)
    with pytest.raises(StorageFailed) as caught:
        delete_article(index_dir, "ferry", embedder=HashingEmbedder(), index_settings=SETTINGS,
                       near_duplicate_threshold=None)  # fmt: skip
    message = str(caught.value)
    assert message.startswith("the corpus folder cannot be written: it is on a read-only file")
    assert str(corpus) not in message
    assert indexed(index_dir) == before
    assert (corpus / "ferry.txt").read_text("utf-8") == ARTICLES["ferry"]


def test_another_os_error_is_not_called_a_storage_failure(tmp_path: Path) -> None:
    _, index_dir = setup(tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        rebuild_index(tmp_path / "gone", index_dir, embedder=HashingEmbedder())


def test_a_storage_failure_is_a_507_with_its_message() -> None:
    body = problem_details(StorageFailed("the index folder cannot be written: …"))
    assert body["status"] == 507
    assert body["detail"] == "the index folder cannot be written: …"
