"""Incremental, versioned rebuilds: only new or changed text is embedded; damage is caught.

The builder runs for real on a temporary corpus folder with the hashing fake embedder; a
subclass records every text it was asked to embed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.bm25_store import BM25Store
from index.builder import BuildReport, build_lock, rebuild_index
from index.corpus import read_corpus
from index.documents import add_article, delete_article
from index.duplicates import find_near_duplicates
from index.loaded import open_index
from index.store import CorpusIndex
from index.versions import complete_versions, current_version, load_last_good, rollback
from qa.articles import compose_raw
from qa.errors import BadInput, Conflict, IndexCorrupt, IndexNotBuilt, NotFound
from qa.interfaces import Vectors
from qa.sentences import Span
from qa.settings import IndexSettings, Settings
from scripts.rebuild_index import summary
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.unit

ARTICLES = {
    "ferry": (
        "Ferry returns to Skarra island\n\n"
        "The ferry to Skarra island resumed service on Monday after a week of storms. "
        "Harbour staff said the new timetable adds two evening crossings.\n\n"
        "Islanders had relied on a fishing boat to bring bread and post."
    ),
    "orchard": (
        "Frost damages apple orchards\n\n"
        "A late frost destroyed about 3,000 tonnes of apples in the Brenna valley.\n\n"
        "Growers asked the regional council for emergency loans."
    ),
    "museum": (
        "Museum reopens after repairs\n\n"
        "The Lindqvist museum of maritime history reopened its doors on Saturday.\n\n"
        "Visitors can again see the restored whaling ship in the main hall."
    ),
}


class CountingEmbedder(HashingEmbedder):
    """The hashing fake, recording every text it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.texts.extend(texts)
        return super().embed(texts)


def write(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, raw in articles.items():
        (folder / f"{doc_id}.txt").write_text(raw, encoding="utf-8")
    return folder


def build(
    corpus: Path,
    index_dir: Path,
    *,
    full: bool = False,
    near_duplicate_threshold: float | None = None,
) -> tuple[CountingEmbedder, BuildReport]:
    embedder = CountingEmbedder()
    report = rebuild_index(
        corpus, index_dir, embedder=embedder, full=full,
        near_duplicate_threshold=near_duplicate_threshold,
    )  # fmt: skip
    return embedder, report


def test_incremental_rebuild_embeds_only_added_and_changed_articles(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    first_embedder, _ = build(corpus, index_dir)
    first = CorpusIndex.load(current_version(index_dir))
    assert len(first_embedder.texts) == len(first.paragraphs) + len(first.sentences)

    added = "Council opens a new library\n\nThe town council opened a library beside the port."
    changed = ARTICLES["orchard"].replace("3,000 tonnes", "4,500 tonnes")
    write(corpus, {"library": added, "orchard": changed})
    (corpus / "museum.txt").unlink()

    embedder = CountingEmbedder()
    report = rebuild_index(corpus, index_dir, embedder=embedder)

    assert (report.added, report.changed, report.removed) == (["library"], ["orchard"], ["museum"])
    assert not report.full
    after = CorpusIndex.load(current_version(index_dir))
    assert set(after.articles) == {"ferry", "orchard", "library"}
    # only the new paragraph texts were embedded: the library's and the one changed sentence
    embedded = set(embedder.texts)
    assert "The town council opened a library beside the port." in embedded
    assert "A late frost destroyed about 4,500 tonnes of apples in the Brenna valley." in embedded
    assert not any("Skarra" in t or "Growers" in t for t in embedder.texts)
    assert report.embedded_paragraphs == 2  # the library's paragraph, the changed one
    assert after.manifest.changes.removed == ["museum"]
    assert after.manifest.changes.base_version is not None


def test_incremental_build_equals_a_full_build(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    build(corpus, index_dir)
    write(corpus, {"orchard": ARTICLES["orchard"] + "\n\nThe council will decide in May."})
    build(corpus, index_dir)
    incremental = CorpusIndex.load(current_version(index_dir))
    build(corpus, tmp_path / "full", full=True)
    full = CorpusIndex.load(current_version(tmp_path / "full"))

    assert incremental.paragraphs == full.paragraphs
    assert incremental.sentences == full.sentences
    assert incremental.doc_freq == full.doc_freq
    np.testing.assert_allclose(incremental.sentence_vectors, full.sentence_vectors, atol=1e-6)
    assert incremental.paragraph_vectors is not None and full.paragraph_vectors is not None
    np.testing.assert_allclose(incremental.paragraph_vectors, full.paragraph_vectors, atol=1e-6)


def test_unchanged_corpus_is_up_to_date_and_writes_no_version(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    _, first = build(corpus, index_dir)
    embedder, again = build(corpus, index_dir)
    assert again.up_to_date
    assert embedder.texts == []
    assert len(complete_versions(index_dir)) == 1
    full_embedder, full = build(corpus, index_dir, full=True)
    assert not full.up_to_date and full.full
    assert full_embedder.texts
    assert len(complete_versions(index_dir)) == 2


def test_an_index_whose_keyword_search_kept_accents_is_rebuilt_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    with monkeypatch.context() as old:  # saved as before words were read without accents
        old.setattr(BM25Store, "save", lambda self, folder: self._retriever.save(str(folder)))
        build(corpus, index_dir)
    assert not CorpusIndex.load(current_version(index_dir)).lexical.folds_accents
    embedder, again = build(corpus, index_dir)
    assert not again.up_to_date and embedder.texts == []  # a new version, every vector reused
    assert again.rewritten == "keyword search now reads words without their accents"
    assert "no article file changed; a new version because keyword search" in summary(again)
    assert CorpusIndex.load(current_version(index_dir)).lexical.folds_accents
    assert build(corpus, index_dir)[1].up_to_date


def test_an_index_whose_keyword_search_read_amounts_as_written_is_rebuilt_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    with monkeypatch.context() as old:  # saved as before "£620m" was read as "£620 million"
        old.setattr(BM25Store, "__init__", _without_amounts(BM25Store.__init__))
        build(corpus, index_dir)
    before = CorpusIndex.load(current_version(index_dir))
    assert before.lexical.folds_accents and not before.lexical.writes_out_amounts
    with caplog.at_level("WARNING", logger="index.loaded"):
        open_index(current_version(index_dir), embedder=CountingEmbedder(), settings=Settings())
    assert "reads amounts as written ('£620m' misses '£620 million')" in caplog.text
    embedder, again = build(corpus, index_dir)
    assert not again.up_to_date and embedder.texts == []  # a new version, every vector reused
    assert again.rewritten == "keyword search now reads amounts written short as written out"
    assert CorpusIndex.load(current_version(index_dir)).lexical.writes_out_amounts
    assert build(corpus, index_dir)[1].up_to_date


def test_an_index_whose_keyword_search_wrote_amounts_out_alone_is_rebuilt_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    with monkeypatch.context() as old:  # saved as when "£620m" was read as "620 million" alone
        old.setattr(BM25Store, "__init__", _without_amounts(BM25Store.__init__, "keeps_short"))
        build(corpus, index_dir)
    before = CorpusIndex.load(current_version(index_dir))
    assert before.lexical.writes_out_amounts and not before.lexical.keeps_short_amounts
    with caplog.at_level("WARNING", logger="index.loaded"):
        open_index(current_version(index_dir), embedder=CountingEmbedder(), settings=Settings())
    assert "written out alone ('620m' misses '£620m')" in caplog.text
    embedder, again = build(corpus, index_dir)
    assert not again.up_to_date and embedder.texts == []
    assert again.rewritten == (
        "keyword search now keeps an amount's short form beside the written-out one"
    )
    assert CorpusIndex.load(current_version(index_dir)).lexical.keeps_short_amounts
    assert build(corpus, index_dir)[1].up_to_date


def _without_amounts(init: Any, *flags: str) -> Any:
    off = {f"{flag}_amounts": False for flag in flags or ("writes_out", "keeps_short")}

    def built_without(self: BM25Store, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **{**kwargs, **off})

    return built_without


def test_the_same_articles_from_another_folder_are_recorded_with_that_folder(
    tmp_path: Path,
) -> None:
    first_folder = write(tmp_path / "first", ARTICLES)
    moved = write(tmp_path / "moved", ARTICLES)
    index_dir = tmp_path / "index"
    build(first_folder, index_dir)
    embedder, again = build(moved, index_dir)
    assert not again.up_to_date and not (again.added or again.changed or again.removed)
    assert again.rewritten == "the articles are read from another folder"
    assert embedder.texts == []  # every vector reused
    assert CorpusIndex.load(current_version(index_dir)).manifest.corpus_dir == str(moved)
    add_article(index_dir, "harbour", "Harbour reopens\n\nThe harbour reopened on Monday.",
                embedder=HashingEmbedder(), index_settings=IndexSettings(build_lock_timeout_s=1),
                near_duplicate_threshold=None)  # fmt: skip
    assert (moved / "harbour.txt").exists() and not (first_folder / "harbour.txt").exists()


def test_the_same_folder_by_another_path_is_up_to_date(tmp_path: Path) -> None:
    folder = write(tmp_path / "corpus", ARTICLES)
    (tmp_path / "link").symlink_to(folder, target_is_directory=True)
    index_dir = tmp_path / "index"
    build(folder, index_dir)
    assert build(tmp_path / "link", index_dir)[1].up_to_date
    assert build(tmp_path / "corpus" / ".." / "corpus", index_dir)[1].up_to_date


def test_unchanged_articles_are_not_cleaned_again(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    articles, _ = read_corpus(corpus)
    known = {a.doc_id: a.model_copy(update={"title": "kept from the index"}) for a in articles}
    write(corpus, {"ferry": ARTICLES["ferry"] + "\n\nMore crossings follow in June."})
    again, _ = read_corpus(corpus, known=known)
    titles = {a.doc_id: a.title for a in again}
    assert titles["orchard"] == titles["museum"] == "kept from the index"  # reused as stored
    assert titles["ferry"] == "Ferry returns to Skarra island"  # changed: cleaned again


def test_near_duplicate_paragraphs_are_left_out_and_recorded(tmp_path: Path) -> None:
    copy = (
        ARTICLES["ferry"]
        .replace("Ferry returns", "Island ferry back")
        .replace("bread and post", "bread and the post")
    )
    corpus = write(tmp_path / "corpus", {**ARTICLES, "wire-copy": copy})
    index_dir = tmp_path / "index"
    build(corpus, index_dir, near_duplicate_threshold=0.9)
    built = CorpusIndex.load(current_version(index_dir))
    duplicates = built.manifest.duplicates
    assert {d.paragraph_id.split(":")[0] for d in duplicates} == {"wire-copy"}
    assert {d.duplicate_of.split(":")[0] for d in duplicates} == {"ferry"}
    assert all(d.similarity >= 0.9 for d in duplicates)
    searched = {p.paragraph_id for p in built.paragraphs}
    assert not searched & {d.paragraph_id for d in duplicates}
    assert "wire-copy" in built.articles  # the article itself is still listed
    # deleting the original brings the copy back into search, embedded only now
    (corpus / "ferry.txt").unlink()
    embedder, _ = build(corpus, index_dir, near_duplicate_threshold=0.9)
    rebuilt = CorpusIndex.load(current_version(index_dir))
    assert rebuilt.manifest.duplicates == []
    assert {d.paragraph_id for d in duplicates} <= {p.paragraph_id for p in rebuilt.paragraphs}
    assert embedder.texts


def test_prefix_filtered_duplicates_match_all_pairs() -> None:
    rng = np.random.default_rng(7)
    vocabulary = [f"w{i}" for i in range(40)]
    sets = []
    for _ in range(120):
        base = set(rng.choice(vocabulary, size=int(rng.integers(1, 12)), replace=False))
        if sets and rng.random() < 0.4:  # a near copy of an earlier set
            base = set(sets[int(rng.integers(len(sets)))]) | {str(rng.choice(vocabulary))}
        sets.append(frozenset(base))
    for threshold in (0.5, 0.8, 0.9, 1.0):
        kept: list[int] = []
        expected = []
        for row, terms in enumerate(sets):
            matches = [k for k in kept if len(terms & sets[k]) / len(terms | sets[k]) >= threshold]
            if matches:
                expected.append((row, min(matches)))
            else:
                kept.append(row)
        found = [(d.row, d.original) for d in find_near_duplicates(sets, threshold=threshold)]
        assert found == expected, threshold


def test_every_file_has_a_checksum_and_damage_is_named(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    build(corpus, index_dir)
    version = current_version(index_dir)
    manifest = json.loads((version / "manifest.json").read_text("utf-8"))
    on_disk = {
        p.relative_to(version).as_posix()
        for p in version.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    assert set(manifest["files"]) == on_disk
    assert all(len(digest) == 64 for digest in manifest["files"].values())
    with (version / "sentences.npy").open("r+b") as f:  # one flipped byte deep in the file
        f.seek(-3, 2)
        byte = f.read(1)
        f.seek(-3, 2)
        f.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(IndexCorrupt, match=r"sentences\.npy does not match its checksum"):
        CorpusIndex.load(version)


def test_corrupt_current_falls_back_to_the_last_good_version(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    build(corpus, index_dir)
    good = current_version(index_dir)
    write(corpus, {"orchard": ARTICLES["orchard"] + "\n\nA second frost is forecast."})
    build(corpus, index_dir)
    damaged = current_version(index_dir)
    (damaged / "paragraphs.faiss").write_bytes(b"truncated")
    warnings: list[str] = []

    loaded, version = load_last_good(index_dir, CorpusIndex.load, warn=warnings.append)

    assert version == good
    assert "A second frost" not in loaded.articles["orchard"].text
    assert any(damaged.name in w and "paragraphs.faiss" in w for w in warnings)
    assert current_version(index_dir) == damaged  # the link is left for a rebuild or rollback
    (damaged / "paragraphs.faiss").unlink()
    (good / "paragraphs.jsonl").write_text("garbled", encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="paragraphs.faiss"):  # nothing good: the first error
        load_last_good(index_dir, CorpusIndex.load, warn=warnings.append)


def test_rollback_returns_to_the_previous_version_and_forward_again(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    with pytest.raises(IndexNotBuilt):
        rollback(index_dir)
    build(corpus, index_dir)
    first = current_version(index_dir)
    with pytest.raises(IndexNotBuilt, match="no intact version older"):
        rollback(index_dir)
    (corpus / "museum.txt").unlink()
    build(corpus, index_dir)
    second = current_version(index_dir)

    assert rollback(index_dir) == first
    assert current_version(index_dir) == first
    assert "museum" in CorpusIndex.load(first).articles
    assert rollback(index_dir, to=second.name) == second  # newer versions were kept
    with pytest.raises(IndexNotBuilt, match="no complete version"):
        rollback(index_dir, to="19990101T000000Z-000000000")


def test_a_damaged_version_is_refused_with_advice_that_does_not_name_rollback(
    tmp_path: Path,
) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    build(corpus, index_dir)
    first = current_version(index_dir)
    (corpus / "museum.txt").unlink()
    build(corpus, index_dir)
    second = current_version(index_dir)
    (first / "paragraphs.faiss").write_bytes(b"truncated")

    with pytest.raises(IndexCorrupt) as refused:
        rollback(index_dir, to=first.name)
    message = str(refused.value)
    assert "paragraphs.faiss does not match its checksum" in message
    assert "--list" in message and "rebuild" in message and "Roll back" not in message
    with pytest.raises(IndexNotBuilt) as nothing:  # the only older version is the damaged one
        rollback(index_dir)
    assert f"{first.name}: paragraphs.faiss does not match" in str(nothing.value)
    assert "rebuild instead" in str(nothing.value) and "Roll back" not in str(nothing.value)
    assert current_version(index_dir) == second


def test_a_second_build_waits_for_the_lock_or_gives_up(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    with build_lock(index_dir), pytest.raises(Conflict, match="another index build"):
        rebuild_index(corpus, index_dir, embedder=HashingEmbedder(), lock_timeout_s=0.1)
    assert not (index_dir / "current").exists()
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder(), lock_timeout_s=0.1)
    assert (index_dir / "current").exists()


# --- adding and deleting one article (the document API's path) -------------------------------


class _FailingEmbedder(HashingEmbedder):
    def embed(self, texts: Sequence[str]) -> Vectors:
        raise RuntimeError("the embedding model fell over")


def test_add_and_delete_article_change_the_folder_and_the_index(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    build(corpus, index_dir)
    settings = IndexSettings(build_lock_timeout_s=1)
    raw = "Library opens\n\nThe town council opened a library beside the port."

    report = add_article(index_dir, "library", raw, embedder=CountingEmbedder(),
                         index_settings=settings, near_duplicate_threshold=0.9)  # fmt: skip

    assert report.added == ["library"]
    assert (corpus / "library.txt").read_text("utf-8") == raw
    assert "library" in CorpusIndex.load(current_version(index_dir)).articles
    # the same article again is a retry: nothing is built; other content under the id is not
    assert add_article(index_dir, "library", raw, embedder=HashingEmbedder(),
                       index_settings=settings, near_duplicate_threshold=0.9) is None  # fmt: skip
    with pytest.raises(Conflict, match="exists with other content"):
        add_article(index_dir, "library", raw + " Again.", embedder=HashingEmbedder(),
                    index_settings=settings, near_duplicate_threshold=0.9)  # fmt: skip

    delete_article(index_dir, "library", embedder=HashingEmbedder(), index_settings=settings,
                   near_duplicate_threshold=0.9)  # fmt: skip
    assert not (corpus / "library.txt").exists()
    assert "library" not in CorpusIndex.load(current_version(index_dir)).articles
    # deleting it again is a retry; an id never indexed is not found
    again = delete_article(index_dir, "library", embedder=HashingEmbedder(),
                           index_settings=settings, near_duplicate_threshold=0.9)  # fmt: skip
    assert again is None
    with pytest.raises(NotFound):
        delete_article(index_dir, "atlantis", embedder=HashingEmbedder(), index_settings=settings,
                       near_duplicate_threshold=0.9)  # fmt: skip


def test_a_retried_add_an_earlier_release_wrote_out_differently_is_still_a_retry(
    tmp_path: Path,
) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    build(corpus, index_dir)
    settings = IndexSettings(build_lock_timeout_s=1)
    body = "The town council opened a library beside the port on Monday."
    when = dt.date(2024, 5, 6)
    # an earlier release wrote the title as a bare first line; this one writes "Title: …"
    legacy = f"Library opens\n\nSource: Port Gazette\n\nPublished: {when.isoformat()}\n\n{body}\n"
    now = compose_raw(body, title="Library opens", source="Port Gazette", date=when)
    assert now != legacy
    add_article(index_dir, "library", legacy, embedder=HashingEmbedder(),
                index_settings=settings, near_duplicate_threshold=0.9)  # fmt: skip
    before = current_version(index_dir)

    again = add_article(index_dir, "library", now, embedder=CountingEmbedder(),
                        index_settings=settings, near_duplicate_threshold=0.9)  # fmt: skip

    assert again is None and current_version(index_dir) == before
    assert (corpus / "library.txt").read_text("utf-8") == legacy  # the stored file is kept
    # a different article under the same id is still refused, whatever its shape
    other = compose_raw(body, title="Library closes", source="Port Gazette", date=when)
    with pytest.raises(Conflict, match="exists with other content"):
        add_article(index_dir, "library", other, embedder=HashingEmbedder(),
                    index_settings=settings, near_duplicate_threshold=0.9)  # fmt: skip
    # the file edited by hand since the index was built is not what is served: sending its new
    # text is no retry of the add, so it is refused, not answered "unchanged"
    edited = legacy.replace("opened", "closed")
    (corpus / "library.txt").write_text(edited, "utf-8")
    sent = compose_raw(body.replace("opened", "closed"), title="Library opens",
                       source="Port Gazette", date=when)  # fmt: skip
    with pytest.raises(Conflict, match="exists with other content"):
        add_article(index_dir, "library", sent, embedder=HashingEmbedder(),
                    index_settings=settings, near_duplicate_threshold=0.9)  # fmt: skip


def test_an_article_the_build_would_skip_changes_neither_folder_nor_index(
    tmp_path: Path,
) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    build(corpus, index_dir)
    before = current_version(index_dir)
    # a change in the folder that no build has taken yet: a refused add must not build it
    (corpus / "pier.txt").write_text("Pier mended\n\nThe pier was mended on Friday.", "utf-8")
    files = sorted(p.name for p in corpus.iterdir())
    settings = IndexSettings(build_lock_timeout_s=1, max_document_bytes=1024)
    embedder = CountingEmbedder()

    with pytest.raises(BadInput, match="larger than the limit of 1,024 bytes"):
        add_article(index_dir, "long-read", "Long read\n\n" + "The port grew. " * 100,
                    embedder=embedder, index_settings=settings,
                    near_duplicate_threshold=None)  # fmt: skip
    assert current_version(index_dir) == before  # no build ran: nothing was switched
    assert embedder.texts == []
    assert sorted(p.name for p in corpus.iterdir()) == files


def test_deleting_the_last_article_is_a_conflict_and_keeps_it(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", {"ferry": ARTICLES["ferry"]})
    index_dir = tmp_path / "index"
    build(corpus, index_dir)
    before = current_version(index_dir)
    settings = IndexSettings(build_lock_timeout_s=1)

    with pytest.raises(Conflict, match="the only article"):
        delete_article(index_dir, "ferry", embedder=HashingEmbedder(), index_settings=settings,
                       near_duplicate_threshold=None)  # fmt: skip
    assert current_version(index_dir) == before
    assert (corpus / "ferry.txt").read_text("utf-8") == ARTICLES["ferry"]


def test_a_failed_build_undoes_the_folder_change(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    build(corpus, index_dir)
    before = current_version(index_dir)
    settings = IndexSettings(build_lock_timeout_s=1)

    with pytest.raises(RuntimeError, match="fell over"):
        add_article(index_dir, "library", "Library opens\n\nA library opened by the port.",
                    embedder=_FailingEmbedder(), index_settings=settings,
                    near_duplicate_threshold=None)  # fmt: skip
    assert not (corpus / "library.txt").exists()

    museum = (corpus / "museum.txt").read_bytes()
    write(corpus, {"orchard": ARTICLES["orchard"] + "\n\nA new paragraph needs embedding."})
    with pytest.raises(RuntimeError, match="fell over"):
        delete_article(index_dir, "museum", embedder=_FailingEmbedder(), index_settings=settings,
                       near_duplicate_threshold=None)  # fmt: skip
    assert (corpus / "museum.txt").read_bytes() == museum  # put back
    assert current_version(index_dir) == before


def test_the_last_article_cannot_be_deleted(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", {"ferry": ARTICLES["ferry"]})
    index_dir = tmp_path / "index"
    build(corpus, index_dir)
    with pytest.raises(Conflict, match="only article"):
        delete_article(index_dir, "ferry", embedder=HashingEmbedder(),
                       index_settings=IndexSettings(), near_duplicate_threshold=None)  # fmt: skip
    assert (corpus / "ferry.txt").exists()


def test_an_index_cleaned_by_an_older_cleaner_is_cleaned_again_keeping_its_vectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sentence spans are reused by paragraph id, so a change to cleaning or sentence splitting
    (a new CLEANER_VERSION) must split every paragraph again; a paragraph text that came out the
    same keeps its vector (its id names the text), and so does a sentence split the same way."""
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    monkeypatch.setattr("index.builder.CLEANER_VERSION", "older")
    # the older cleaner split no sentence: one span a paragraph
    monkeypatch.setattr(
        "index.store.sentence_spans", lambda text: [Span(0, len(text), text)] if text else []
    )
    build(corpus, index_dir)
    monkeypatch.undo()
    older = CorpusIndex.load(current_version(index_dir))
    assert older.manifest.cleaner_version == "older"
    assert len(older.sentences) == len(older.paragraphs)

    embedder, report = build(corpus, index_dir)

    rebuilt = CorpusIndex.load(current_version(index_dir))
    assert rebuilt.manifest.cleaner_version != "older" and not report.up_to_date
    assert report.rewritten is not None and report.rewritten.startswith("the cleaner changed")
    assert report.embedded_paragraphs == 0  # every paragraph text is the same
    split = [
        p.text[ref.start : ref.end]
        for ref in rebuilt.sentences
        for p in [rebuilt.paragraphs[ref.row]]
        if (ref.start, ref.end) != (0, len(p.text))
    ]
    assert split and sorted(embedder.texts) == sorted(split)  # only sentences split anew
    assert len(rebuilt.sentences) > len(older.sentences)
    np.testing.assert_allclose(rebuilt.paragraph_vectors, older.paragraph_vectors)
    again = build(corpus, index_dir)[1]
    assert again.up_to_date


def test_delete_of_a_file_the_index_skipped_is_not_found_and_keeps_it(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    (corpus / "notes.txt").write_bytes(b"operator notes \x00\x01\x02 binary")  # skipped
    index_dir = tmp_path / "index"
    build(corpus, index_dir)
    with pytest.raises(NotFound, match="'notes.txt', but it is not indexed"):
        delete_article(index_dir, "notes", embedder=HashingEmbedder(),
                       index_settings=IndexSettings(build_lock_timeout_s=1),
                       near_duplicate_threshold=None)  # fmt: skip
    assert (corpus / "notes.txt").exists()


def test_pruning_spares_a_version_to_roll_back_to_when_the_newer_ones_are_damaged(
    tmp_path: Path,
) -> None:
    corpus = write(tmp_path / "corpus", ARTICLES)
    index_dir = tmp_path / "index"
    built = []
    for n in range(4):
        write(corpus, {"museum": ARTICLES["museum"] + f"\n\nVisitors on day {n} were counted."})
        build(corpus, index_dir)
        built.append(current_version(index_dir))
    assert complete_versions(index_dir)[::-1] == built[1:]  # the newest three are kept
    for damaged in built[2:]:  # the two newest, the served one among them
        (damaged / "sentences.npy").write_bytes(b"truncated")
    write(corpus, {"museum": ARTICLES["museum"] + "\n\nThe cafe reopens."})
    build(corpus, index_dir)  # newest three: 2, 3 (both damaged) and the new one
    assert built[1] in complete_versions(index_dir)  # the newest intact older one is spared
    assert rollback(index_dir) == built[1]
    # with an intact version among the newest three, the older ones go as before
    write(corpus, {"museum": ARTICLES["museum"] + "\n\nA new wing opens."})
    build(corpus, index_dir)
    write(corpus, {"museum": ARTICLES["museum"] + "\n\nThe wing closes."})
    build(corpus, index_dir)
    assert len(complete_versions(index_dir)) == 3
