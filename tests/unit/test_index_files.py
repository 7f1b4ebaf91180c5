"""Unit tests for the on-disk index: manifest, versions, reading a corpus folder, save/load."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from index import versions
from index.builder import rebuild_index
from index.corpus import read_corpus
from index.manifest import FORMAT_VERSION, MANIFEST_NAME, Manifest
from index.store import CorpusIndex
from index.versions import (
    KEEP_VERSIONS,
    current_version,
    make_current,
    missing_current,
    new_version_dir,
    pointed_at,
)
from qa.errors import IndexCorrupt, IndexMismatch, IndexNotBuilt
from qa.interfaces import Vectors
from qa.lexical import content_terms
from tests.fakes import HashingEmbedder, build_index

ARTICLES = {
    "ferry": (
        "Ferry returns to Skarra island\n\n"
        "The ferry to Skarra island resumed service on Monday after a week of storms. "
        "Harbour staff said the new timetable adds two evening crossings.\n\n"
        "Islanders had relied on a fishing boat to bring bread and post."
    ),
    "orchard": (
        "Frost damages apple orchards\n\n"
        "A late frost destroyed about 3,000 tonnes of apples in the Brenna valley."
    ),
}


def manifest(**overrides: object) -> Manifest:
    fields: dict[str, object] = {
        "embedding_model": "fake:hashing-64",
        "dimension": 64,
        "cleaner_version": "1",
        "corpus_dir": "corpus",
        "articles": {"ferry": "ab" * 32},
        "paragraph_count": 2,
        "sentence_count": 3,
    }
    fields.update(overrides)
    return Manifest.model_validate(fields)


# --- manifest -------------------------------------------------------------------------------


@pytest.mark.unit
def test_manifest_round_trips(tmp_path: Path) -> None:
    m = manifest()
    m.save(tmp_path)
    assert (tmp_path / MANIFEST_NAME).is_file()
    assert Manifest.load(tmp_path) == m
    assert m.format_version == FORMAT_VERSION
    assert m.built_at


@pytest.mark.unit
def test_compatible_manifest_passes() -> None:
    manifest().check_compatible(embedding_model="fake:hashing-64", dimension=64)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("model", "dimension"),
    [("other/model", 64), ("fake:hashing-64", 384), ("other/model", 384)],
)
def test_other_model_or_dimension_is_a_mismatch(model: str, dimension: int) -> None:
    with pytest.raises(IndexMismatch, match="rebuild") as info:
        manifest().check_compatible(embedding_model=model, dimension=dimension)
    assert "fake:hashing-64" in str(info.value)
    assert model in str(info.value)


@pytest.mark.unit
def test_other_format_version_is_a_mismatch() -> None:
    old = manifest(format_version=FORMAT_VERSION + 1)
    with pytest.raises(IndexMismatch, match="rebuild"):
        old.check_compatible(embedding_model="fake:hashing-64", dimension=64)


@pytest.mark.unit
def test_missing_manifest_is_corrupt(tmp_path: Path) -> None:
    with pytest.raises(IndexCorrupt, match="(?i)rebuild"):
        Manifest.load(tmp_path)


@pytest.mark.unit
@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"",
        b"\xff\xfe\x00garbage",
        b"[]",
        b'{"embedding_model": "x"}',
        b'{"embedding_model": "x", "dimension": "many", "cleaner_version": "1", '
        b'"corpus_dir": "c", "articles": {}, "paragraph_count": 0, "sentence_count": 0}',
    ],
    ids=["truncated", "empty", "binary", "wrong-type", "missing-fields", "bad-field"],
)
def test_garbled_manifest_is_corrupt(tmp_path: Path, content: bytes) -> None:
    (tmp_path / MANIFEST_NAME).write_bytes(content)
    with pytest.raises(IndexCorrupt):
        Manifest.load(tmp_path)


# --- versions -------------------------------------------------------------------------------


PRUNE_BUG = (
    "bug: _prune deletes old complete versions, then treats the deleted folders as unfinished "
    "builds and calls stat() on them: FileNotFoundError after `current` was already swapped"
)


def complete_version(index_dir: Path) -> Path:
    version = new_version_dir(index_dir)
    manifest().save(version)
    return version


@pytest.mark.unit
def test_no_current_version_is_not_built(tmp_path: Path) -> None:
    with pytest.raises(IndexNotBuilt, match="rebuild_index"):
        current_version(tmp_path)
    with pytest.raises(IndexNotBuilt):
        current_version(tmp_path / "does-not-exist")


@pytest.mark.unit
def test_dangling_current_link_is_not_built(tmp_path: Path) -> None:
    (tmp_path / "current").symlink_to("versions/gone")
    with pytest.raises(IndexNotBuilt):
        current_version(tmp_path)
    assert pointed_at(tmp_path) is None
    assert missing_current(tmp_path) == "gone"


@pytest.mark.unit
def test_what_current_points_at_is_asked_of_the_index_layer(tmp_path: Path) -> None:
    assert (pointed_at(tmp_path), missing_current(tmp_path)) == (None, None)  # no link
    version = tmp_path / "versions" / "v1"
    version.mkdir(parents=True)
    (tmp_path / "current").symlink_to("versions/v1")
    assert pointed_at(tmp_path) == version.resolve() and missing_current(tmp_path) is None


@pytest.mark.unit
def test_new_version_dirs_are_distinct_and_sort_in_creation_order(tmp_path: Path) -> None:
    made = [new_version_dir(tmp_path) for _ in range(4)]
    assert len(set(made)) == 4
    assert all(p.is_dir() and p.parent == tmp_path / "versions" for p in made)
    assert sorted(made) == made


@pytest.mark.unit
def test_make_current_points_the_link_at_the_version(tmp_path: Path) -> None:
    first = complete_version(tmp_path)
    make_current(tmp_path, first)
    link = tmp_path / "current"
    assert link.is_symlink()
    assert not os.readlink(link).startswith("/")  # relative: the folder can be moved
    assert current_version(tmp_path) == first.resolve()

    second = complete_version(tmp_path)
    make_current(tmp_path, second)
    assert current_version(tmp_path) == second.resolve()
    assert first.exists()  # still within the versions kept
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".current")] == []


@pytest.mark.unit
def test_make_current_replaces_a_stale_temporary_link(tmp_path: Path) -> None:
    version = complete_version(tmp_path)
    (tmp_path / f".current-{os.getpid()}").symlink_to("versions/left-from-a-crash")
    make_current(tmp_path, version)
    assert current_version(tmp_path) == version.resolve()
    assert not (tmp_path / f".current-{os.getpid()}").is_symlink()


@pytest.mark.unit
def test_make_current_swaps_with_one_atomic_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = complete_version(tmp_path), complete_version(tmp_path)
    make_current(tmp_path, old)
    seen: list[Path] = []
    real_replace = os.replace

    def spy(src: str | Path, dst: str | Path) -> None:
        # right before the swap, `current` still points at the old version
        seen.append(current_version(tmp_path))
        assert Path(dst) == tmp_path / "current"
        real_replace(src, dst)

    monkeypatch.setattr(versions.os, "replace", spy)
    make_current(tmp_path, new)
    assert seen == [old.resolve()]
    assert current_version(tmp_path) == new.resolve()


@pytest.mark.unit
def test_make_current_prunes_to_the_last_few_versions(tmp_path: Path) -> None:
    made = []
    for _ in range(KEEP_VERSIONS + 3):
        version = complete_version(tmp_path)
        make_current(tmp_path, version)
        made.append(version)
    left = sorted((tmp_path / "versions").iterdir())
    assert left == made[-KEEP_VERSIONS:]
    assert current_version(tmp_path) == made[-1].resolve()


@pytest.mark.unit
def test_prune_drops_stale_unfinished_builds_only(tmp_path: Path) -> None:
    stale = new_version_dir(tmp_path)  # no manifest: a crashed build
    an_hour_ago = time.time() - 2 * 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    fresh = new_version_dir(tmp_path)  # maybe a build running right now
    version = complete_version(tmp_path)
    make_current(tmp_path, version)
    assert not stale.exists()
    assert fresh.exists()
    assert version.exists()


@pytest.mark.unit
def test_rolling_back_to_an_old_version_keeps_it(tmp_path: Path) -> None:
    made = [complete_version(tmp_path) for _ in range(KEEP_VERSIONS + 1)]
    make_current(tmp_path, made[0])
    assert made[0].exists()
    assert current_version(tmp_path) == made[0].resolve()
    assert all(p.exists() for p in made[-KEEP_VERSIONS:])


class _SteppingClock:
    """A clock (in nanoseconds) that has moved on each time it is read."""

    def __init__(self, readings_ns: Sequence[int]) -> None:
        self._readings = list(readings_ns)

    @staticmethod
    def strftime(fmt: str, moment: time.struct_time) -> str:
        return time.strftime(fmt, moment)

    def time_ns(self) -> int:
        return self._readings.pop(0)

    def time(self) -> float:
        return time.time()

    @staticmethod
    def gmtime(seconds: float) -> time.struct_time:
        return time.gmtime(seconds)


@pytest.mark.unit
def test_version_names_sort_in_creation_order_across_a_second_boundary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = 1_700_000_000 * 1_000_000_000
    clock = _SteppingClock(
        [
            second + 999_999_900,  # first build, just before the second ticks over
            second + 1_000_000_100,  # second build, just after
        ]
    )  # fmt: skip
    monkeypatch.setattr(versions, "time", clock)
    first_dir = new_version_dir(tmp_path)
    second_dir = new_version_dir(tmp_path)
    assert sorted([second_dir, first_dir]) == [first_dir, second_dir]


# --- reading a corpus folder ----------------------------------------------------------------


@pytest.mark.unit
def test_read_corpus_skips_unusable_files_with_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "b-orchard.txt").write_text(ARTICLES["orchard"], encoding="utf-8")
    (tmp_path / "a_ferry.txt").write_text(ARTICLES["ferry"], encoding="utf-8")
    (tmp_path / "noise.txt").write_bytes(bytes(range(128, 256)) * 4)  # no encoding's text
    (tmp_path / "binary.txt").write_bytes(ARTICLES["ferry"].encode() + b"\n\nx\x00\x01\x02y")
    (tmp_path / "-dash first.txt").write_text(ARTICLES["orchard"], encoding="utf-8")
    (tmp_path / "blank.txt").write_text(" \n\n \n", encoding="utf-8")
    (tmp_path / "notes.odt").write_text(ARTICLES["ferry"], encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="index.corpus"):
        articles, warnings = read_corpus(tmp_path)
    # a name that is no id ("-dash first") is read under one made of it, after the others
    assert [a.doc_id for a in articles] == ["a_ferry", "b-orchard", "dash-first"]
    assert articles[0].title == "Ferry returns to Skarra island"
    assert "resumed service on Monday" in articles[0].text
    assert articles[2].text == articles[1].text
    by_file = dict(w.removeprefix("skipped ").split(": ", 1) for w in warnings)
    assert set(by_file) == {"noise.txt", "binary.txt", "blank.txt", "notes.odt"}
    assert "not a kind of file the index reads" in by_file["notes.odt"]
    assert "neither UTF-8 nor any other encoding" in by_file["noise.txt"]
    assert "binary" in by_file["binary.txt"]
    assert "the file is empty" in by_file["blank.txt"]
    assert sorted(r.getMessage() for r in caplog.records) == sorted(warnings)


@pytest.mark.unit
def test_read_corpus_sorts_by_name_and_hashes_raw_content(tmp_path: Path) -> None:
    for name in ["c", "a", "B", "b2"]:
        (tmp_path / f"{name}.txt").write_text(f"Note {name}\n\nThe text of {name}.")
    articles, warnings = read_corpus(tmp_path)
    assert warnings == []
    assert [a.doc_id for a in articles] == ["B", "a", "b2", "c"]
    assert len({a.content_hash for a in articles}) == 4


@pytest.mark.unit
def test_read_corpus_of_a_missing_folder_fails(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_corpus(tmp_path / "nowhere")


@pytest.mark.unit
def test_read_corpus_skips_a_folder_named_like_an_article(tmp_path: Path) -> None:
    (tmp_path / "ferry.txt").write_text(ARTICLES["ferry"], encoding="utf-8")
    (tmp_path / "attachments.txt").mkdir()
    articles, warnings = read_corpus(tmp_path)
    assert [a.doc_id for a in articles] == ["ferry"]
    assert len(warnings) == 1 and "attachments.txt" in warnings[0]


# --- save and load --------------------------------------------------------------------------


@pytest.fixture
def built() -> CorpusIndex:
    return build_index(ARTICLES, HashingEmbedder())


@pytest.mark.unit
def test_build_counts_and_manifest(built: CorpusIndex) -> None:
    assert len(built.paragraphs) == 3
    assert len(built.sentences) == 4
    assert built.manifest.paragraph_count == 3
    assert built.manifest.sentence_count == 4
    assert built.manifest.embedding_model == "fake:hashing-64"
    assert built.manifest.dimension == 64
    assert set(built.manifest.articles) == {"ferry", "orchard"}
    assert built.sentence_vectors.shape == (4, 64)
    assert built.sentences_by_row == {0: [0, 1], 1: [2], 2: [3]}
    assert built.rows_by_doc == {"ferry": [0, 1], "orchard": [2]}
    assert (
        built.sentence_text(1) == "Harbour staff said the new timetable adds two evening crossings."
    )
    # document frequency counts paragraphs: "ferry" is in one, "apples" in one, "the" in none
    assert built.doc_freq[content_terms("ferry")[0]] == 1
    assert built.doc_freq[content_terms("apples")[0]] == 1
    assert "the" not in built.doc_freq


@pytest.mark.unit
def test_save_then_load_round_trips(built: CorpusIndex, tmp_path: Path) -> None:
    built.save(tmp_path / "v1")
    loaded = CorpusIndex.load(tmp_path / "v1")
    assert loaded.manifest == built.manifest
    assert loaded.articles == built.articles
    assert loaded.paragraphs == built.paragraphs
    assert loaded.sentences == built.sentences
    np.testing.assert_array_equal(loaded.sentence_vectors, built.sentence_vectors)
    assert loaded.sentence_vectors.dtype == np.float32
    assert loaded.doc_freq == built.doc_freq
    assert loaded.sentences_by_row == built.sentences_by_row
    embedder = HashingEmbedder()
    for question in ["apple frost tonnes", "ferry timetable crossings", "bread post boat"]:
        vector = embedder.embed([question])[0]
        assert loaded.dense.search(vector, 3) == built.dense.search(vector, 3)
        assert loaded.lexical.search(question, 3) == built.lexical.search(question, 3)
    assert loaded.lexical.search("frost apples", 1)[0][0] == 2


@pytest.mark.unit
def test_manifest_is_written_last(built: CorpusIndex, tmp_path: Path) -> None:
    folder = tmp_path / "v1"
    built.save(folder)
    manifest_time = (folder / MANIFEST_NAME).stat().st_mtime_ns
    others = [p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST_NAME]
    assert others
    assert all(p.stat().st_mtime_ns <= manifest_time for p in others)


SAVED_FILES = [
    MANIFEST_NAME,
    "articles.jsonl",
    "paragraphs.jsonl",
    "paragraphs.faiss",
    "sentences.jsonl",
    "sentences.npy",
    "doc_freq.json",
    "bm25/vocab.index.json",
    "bm25/params.index.json",
]


@pytest.mark.unit
@pytest.mark.parametrize("name", SAVED_FILES)
def test_missing_file_makes_load_corrupt(built: CorpusIndex, tmp_path: Path, name: str) -> None:
    built.save(tmp_path)
    (tmp_path / name).unlink()
    with pytest.raises(IndexCorrupt, match="(?i)rebuild"):
        CorpusIndex.load(tmp_path)


@pytest.mark.unit
def test_missing_bm25_folder_makes_load_corrupt(built: CorpusIndex, tmp_path: Path) -> None:
    built.save(tmp_path)
    shutil.rmtree(tmp_path / "bm25")
    with pytest.raises(IndexCorrupt):
        CorpusIndex.load(tmp_path)


@pytest.mark.unit
@pytest.mark.parametrize("name", SAVED_FILES)
def test_garbled_file_makes_load_corrupt(built: CorpusIndex, tmp_path: Path, name: str) -> None:
    built.save(tmp_path)
    (tmp_path / name).write_bytes(b"\x93NUMPY garbage \xff\x00")
    with pytest.raises(IndexCorrupt):
        CorpusIndex.load(tmp_path)


@pytest.mark.unit
def test_lost_paragraph_rows_make_load_corrupt(built: CorpusIndex, tmp_path: Path) -> None:
    built.save(tmp_path)
    path = tmp_path / "paragraphs.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="paragraphs.jsonl does not match its checksum"):
        CorpusIndex.load(tmp_path)
    with pytest.raises(IndexCorrupt, match="inconsistent"):  # caught even without checksums
        CorpusIndex.load(tmp_path, verify=False)


@pytest.mark.unit
def test_vectors_out_of_step_with_sentences_make_load_corrupt(
    built: CorpusIndex, tmp_path: Path
) -> None:
    built.save(tmp_path)
    np.save(tmp_path / "sentences.npy", built.sentence_vectors[:-1])
    with pytest.raises(IndexCorrupt, match="sentences.npy does not match its checksum"):
        CorpusIndex.load(tmp_path)
    with pytest.raises(IndexCorrupt, match="inconsistent"):
        CorpusIndex.load(tmp_path, verify=False)


@pytest.mark.unit
def test_malformed_sentence_row_makes_load_corrupt(built: CorpusIndex, tmp_path: Path) -> None:
    built.save(tmp_path)
    path = tmp_path / "sentences.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = json.dumps([0, 5])  # the end offset is missing
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(IndexCorrupt):
        CorpusIndex.load(tmp_path)


# --- rebuilding -----------------------------------------------------------------------------


class _BrokenEmbedder(HashingEmbedder):
    def embed(self, texts: Sequence[str]) -> Vectors:
        raise RuntimeError("the embedding model fell over")


@pytest.mark.unit
def test_rebuild_makes_a_loadable_current_version(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc_id, raw in ARTICLES.items():
        (corpus / f"{doc_id}.txt").write_text(raw, encoding="utf-8")
    (corpus / "broken.txt").write_bytes(b"\xff\xfe not text")
    report = rebuild_index(corpus, tmp_path / "index", embedder=HashingEmbedder())
    assert (report.articles, report.paragraphs, report.sentences) == (2, 3, 4)
    assert len(report.warnings) == 1 and "broken.txt" in report.warnings[0]
    current = current_version(tmp_path / "index")
    assert current == report.version.resolve()
    loaded = CorpusIndex.load(current)
    loaded.manifest.check_compatible(embedding_model="fake:hashing-64", dimension=64)
    assert loaded.manifest.corpus_dir == str(corpus)


@pytest.mark.unit
def test_failed_rebuild_keeps_the_previous_version(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(ARTICLES["ferry"], encoding="utf-8")
    first = rebuild_index(corpus, tmp_path / "index", embedder=HashingEmbedder())
    with pytest.raises(RuntimeError, match="fell over"):
        rebuild_index(corpus, tmp_path / "index", embedder=_BrokenEmbedder(), full=True)
    assert current_version(tmp_path / "index") == first.version.resolve()
    assert list((tmp_path / "index" / "versions").iterdir()) == [first.version]


@pytest.mark.unit
def test_repeated_rebuilds_keep_a_loadable_current_version(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(ARTICLES["ferry"], encoding="utf-8")
    index_dir = tmp_path / "index"
    reports = [
        rebuild_index(corpus, index_dir, embedder=HashingEmbedder(), full=True)
        for _ in range(KEEP_VERSIONS + 1)  # the first rebuild that has something to prune
    ]
    assert current_version(index_dir) == reports[-1].version.resolve()
    CorpusIndex.load(current_version(index_dir))
    assert len(list((index_dir / "versions").iterdir())) == KEEP_VERSIONS


@pytest.mark.unit
def test_error_while_pruning_never_leaves_current_dangling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(ARTICLES["ferry"], encoding="utf-8")
    index_dir = tmp_path / "index"
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())

    def failing_prune(index_dir: Path, *, keep: Path) -> None:
        raise PermissionError("cannot list versions/")

    monkeypatch.setattr(versions, "_prune", failing_prune)
    # a failed clean-up only warns: the swap is done
    report = rebuild_index(corpus, index_dir, embedder=HashingEmbedder(), full=True)
    assert current_version(index_dir) == report.version.resolve()
    CorpusIndex.load(current_version(index_dir))  # the new, complete version is current


@pytest.mark.unit
def test_rebuild_of_an_empty_folder_fails_without_touching_the_index(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with pytest.raises(ValueError, match="no usable"):
        rebuild_index(corpus, tmp_path / "index", embedder=HashingEmbedder())
    assert not (tmp_path / "index" / "current").exists()
    assert not (tmp_path / "index" / "versions").exists()
