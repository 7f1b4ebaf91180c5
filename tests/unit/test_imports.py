"""Importing an archive export through the document API's path (index/imports.py): what is
added, kept, refused; one build; deleting an imported article; and what a kill leaves, settled
by the next holder of the build lock (states made by hand, as in test_recovery.py)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from api.errors import problem_details
from index import journal
from index.archive_records import ids_in_folder
from index.builder import rebuild_index, recover
from index.documents import add_article, delete_article
from index.imports import without_line
from index.manifest import Manifest
from index.versions import current_version
from qa.archives import parse_record, record_doc_id
from qa.errors import BadInput, Conflict
from tests.fakes import HashingEmbedder
from tests.importing import FERRY, SETTINGS, built_corpus, run_import

pytestmark = pytest.mark.unit


TABLE = (
    "headline,body,published,url\n"
    '"Harbour reopens","The harbour of Skarra reopened on Monday after storms.",31/12/2023,'
    "https://coast.example/harbour\n"
    '"Bridge closes","The bridge over the Tolva closed on Friday for repairs.",03/04/2024,'
    "https://coast.example/bridge\n"
    '"No body",,2024-01-01,https://coast.example/empty\n'
)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    return built_corpus(tmp_path)


def served(index_dir: Path) -> dict[str, str]:
    return Manifest.load(current_version(index_dir)).articles


def imported_files(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("import-*.jsonl"))


def test_an_export_is_added_in_one_build_and_its_bad_records_are_named(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    before = current_version(index_dir).name

    report = run_import(index_dir, "coast.csv", TABLE)

    assert len(report.added) == 2
    # an empty cell is said as empty, not as a missing column
    assert report.refused == ["coast.csv row 4: `text` is empty: give the article's text or page"]
    assert report.build is not None and sorted(report.build.added) == sorted(report.added)
    assert current_version(index_dir).name != before
    assert set(report.added) <= set(served(index_dir))
    (archive,) = imported_files(corpus)
    assert archive.name == report.stored_as
    lines = [json.loads(line) for line in archive.read_text(encoding="utf-8").splitlines()]
    # a table's dates are read as the whole table says (31/12 makes 03/04 the 3rd of April)
    # and stored in ISO form, so the line reads the same alone
    assert [line["date"] for line in lines] == ["2023-12-31", "2024-04-03"]
    assert not (index_dir / journal.JOURNAL_DIR / journal.PENDING_NAME).exists()


def test_the_same_export_again_builds_nothing(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    first = run_import(index_dir, "coast.csv", TABLE)
    version = current_version(index_dir).name

    again = run_import(index_dir, "coast.csv", TABLE)

    assert again.added == [] and again.build is None
    assert again.unchanged == first.added
    assert current_version(index_dir).name == version
    assert len(imported_files(corpus)) == 1


def test_an_id_indexed_with_other_content_is_refused_and_the_rest_added(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    run_import(index_dir, "coast.csv", TABLE)
    changed = {"title": "Bridge closes", "text": "The bridge closed for a year.",
               "url": "https://coast.example/bridge"}  # fmt: skip
    new = {"title": "Mill burns", "text": "The old mill at Varne burned down on Sunday."}
    export = "\n".join(json.dumps(r) for r in (changed, new)) + "\n"

    report = run_import(index_dir, "more.jsonl", export)

    assert len(report.added) == 1 and report.added[0].startswith("mill-burns")
    (refused,) = report.refused
    assert refused.startswith("more.jsonl line 1 (id bridge-")
    assert "already indexed with other content" in refused
    # named for a client to open and delete (the chat page does), which frees the id
    (bridge,) = report.indexed_otherwise
    assert refused.startswith(f"more.jsonl line 1 (id {bridge}):")
    # and when it is the only record, the refusal (a 422's problem details) names it too
    with pytest.raises(BadInput) as alone:
        run_import(index_dir, "alone.jsonl", json.dumps(changed) + "\n")
    assert alone.value.extensions == {"indexed_otherwise": [bridge]}
    body = problem_details(alone.value)
    assert body["status"] == 422 and body["indexed_otherwise"] == [bridge]
    assert "already indexed with other content" in str(body["detail"])
    assert len(imported_files(corpus)) == 2


def test_an_export_with_no_usable_record_is_refused_and_leaves_nothing(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    version = current_version(index_dir).name
    with pytest.raises(BadInput, match=r"no article of bad\.jsonl could be imported: .*line 1"):
        run_import(index_dir, "bad.jsonl", "not json\n")
    with pytest.raises(BadInput, match="does not end in an archive's format"):
        run_import(index_dir, "notes.md", FERRY)
    # a .txt is imported only as a LexisNexis text export; any other is one article
    with pytest.raises(BadInput, match="notes.txt is not a LexisNexis text export"):
        run_import(index_dir, "notes.txt", FERRY)
    assert current_version(index_dir).name == version
    assert imported_files(corpus) == []


def test_an_imported_article_is_deleted_by_taking_its_line_out(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    first, second = run_import(index_dir, "coast.csv", TABLE).added
    (archive,) = imported_files(corpus)
    kept_line = archive.read_text(encoding="utf-8").splitlines()[1]

    delete = dict(embedder=HashingEmbedder(), index_settings=SETTINGS,
                  near_duplicate_threshold=None)  # fmt: skip
    assert delete_article(index_dir, first, **delete) is not None  # type: ignore[arg-type]

    assert first not in served(index_dir) and second in served(index_dir)
    assert archive.read_text(encoding="utf-8") == kept_line + "\n"
    assert delete_article(index_dir, first, **delete) is None  # type: ignore[arg-type]  # a retry
    delete_article(index_dir, second, **delete)  # type: ignore[arg-type]
    assert imported_files(corpus) == []  # the last line: the archive goes


def test_an_imported_article_is_not_replaced_in_place(built: tuple[Path, Path]) -> None:
    _, index_dir = built
    doc_id = run_import(index_dir, "coast.csv", TABLE).added[0]
    with pytest.raises(Conflict, match=r"was imported with an archive .*\(DELETE /documents/"):
        add_article(index_dir, doc_id, "Other\n\nOther text here.", embedder=HashingEmbedder(),
                    index_settings=SETTINGS, near_duplicate_threshold=None,
                    replace=True)  # fmt: skip


def test_an_uncommitted_import_is_undone_and_a_committed_one_kept(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    raw = b'{"title": "Mill burns", "text": "The old mill at Varne burned down on Sunday."}\n'
    change = journal.PendingChange(
        op="import", doc_id="import-00ff", content_hash=hashlib.sha256(raw).hexdigest(),
        corpus_dir=str(corpus), suffix=".jsonl", articles={"mill-burns-1": "x"},
        archive="import-00ff.jsonl",
    )  # fmt: skip
    journal.begin(index_dir, change)
    (corpus / "import-00ff.jsonl").write_bytes(raw)
    (corpus / ".import-00ff.jsonl.4242.tmp").write_bytes(raw[:5])

    assert recover(index_dir) == [
        "the import of import-00ff.jsonl was not committed; undone (its archive removed)"
    ]
    assert sorted(p.name for p in corpus.iterdir()) == ["ferry.txt"]

    # killed after the commit, before the record was settled: the import stands
    report = run_import(index_dir, "mill.jsonl", raw.decode())
    (archive,) = imported_files(corpus)
    journal.begin(index_dir, journal.PendingChange(
        op="import", doc_id=archive.stem,
        content_hash=hashlib.sha256(archive.read_bytes()).hexdigest(),
        corpus_dir=str(corpus), suffix=".jsonl", archive=archive.name,
        articles={doc_id: served(index_dir)[doc_id] for doc_id in report.added},
    ))  # fmt: skip

    assert recover(index_dir) == [
        f"the import of {archive.name} (1 article(s)) was committed; kept"
    ]
    assert imported_files(corpus) == [archive]


def test_an_uncommitted_delete_of_an_imported_article_writes_the_archive_back(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    doc_id = run_import(index_dir, "coast.csv", TABLE).added[0]
    (archive,) = imported_files(corpus)
    earlier = archive.read_bytes()
    journal.begin(index_dir, journal.PendingChange(
        op="unimport", doc_id=doc_id, content_hash=served(index_dir)[doc_id],
        corpus_dir=str(corpus), raw_b64=base64.b64encode(earlier).decode(), suffix=".jsonl",
        archive=archive.name,
    ))  # fmt: skip
    archive.write_bytes(without_line(earlier, 1))  # killed after the rewrite, before the commit

    (note,) = recover(index_dir)

    assert note.endswith("was not committed; undone")
    assert archive.read_bytes() == earlier


def test_without_line_keeps_the_other_lines_whole() -> None:
    raw = b'{"a":1}\n{"b":2}\n{"c":3}\n'
    assert without_line(raw, 2) == b'{"a":1}\n{"c":3}\n'
    assert without_line(raw, 1) == b'{"b":2}\n{"c":3}\n'
    assert without_line(b'{"a":1}\n', 1) == b""


def test_an_id_a_skipped_file_of_the_folder_gives_is_refused(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    first = run_import(index_dir, "coast.csv", TABLE)
    doc_id = first.added[0]
    delete_article(index_dir, doc_id, embedder=HashingEmbedder(), index_settings=SETTINGS,
                   near_duplicate_threshold=None)  # fmt: skip
    (corpus / f"{doc_id}.txt").write_text("", encoding="utf-8")  # a file the build skips

    again = run_import(index_dir, "coast.csv", TABLE)

    assert again.added == [] and again.unchanged == first.added[1:]
    assert again.refused[0] == (
        f"coast.csv row 2 (id {doc_id}): the corpus folder's {doc_id}.txt gives this id already, "
        "though the index does not serve it (added since the last build, or skipped by it): "
        "rebuild the index or remove it, then import again; or leave this record out"
    )


@pytest.mark.parametrize("name", [".jsonl", "...jsonl", " .jsonl", "é" * 200 + ".jsonl"])
def test_a_name_that_is_only_an_ending_or_too_long_a_file_name_is_read_all_the_same(
    built: tuple[Path, Path], name: str
) -> None:
    corpus, index_dir = built
    export = json.dumps({"title": "Mill burns", "text": "The old mill burned on Sunday."})

    report = run_import(index_dir, name, export + "\n" + "{not json\n")

    assert len(report.added) == 1
    (refused,) = report.refused
    assert refused.endswith(".jsonl line 2: not valid JSON (Expecting property name enclosed "
                            "in double quotes at column 2)")  # fmt: skip


def test_an_empty_export_or_one_no_record_of_is_read_says_why(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    with pytest.raises(BadInput, match=r"could be imported: x\.jsonl: it holds no record"):
        run_import(index_dir, "x.jsonl", "\n  \n")
    # a problem of the whole table is named as the file's, with what was (not) done
    with pytest.raises(
        BadInput, match=r"no article of a/b/c\.csv could be imported: c\.csv: its first row names"
    ):
        run_import(index_dir, "a/b/c.csv", '{"title": "x", "text": "y"}\n')
    assert imported_files(corpus) == []


def test_refusals_past_those_named_are_counted_last(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    bad = [json.dumps({"title": f"bad {i}"}) for i in range(25)]
    good = json.dumps({"title": "Mill burns", "text": "The old mill burned on Sunday."})

    report = run_import(index_dir, "many.jsonl", "\n".join([*bad, good]) + "\n")

    assert len(report.added) == 1 and len(report.refused) == 21 and report.not_imported == 25
    assert report.refused[0].startswith("many.jsonl line 1: ")
    assert report.refused[-1] == (
        "and 5 more record(s) of many.jsonl not imported, for reasons like those above (only "
        "the first 20 are named)"
    )
    with pytest.raises(BadInput, match=r"line 5: [^;]*; and 20 more$"):
        run_import(index_dir, "bad.jsonl", "\n".join(bad) + "\n")


def test_an_export_of_articles_already_indexed_from_a_hand_placed_archive_adds_nothing(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    records = [
        {"title": "Mill burns", "text": "The old mill at Varne burned down on Sunday.",
         "date": "2024-03-01", "url": "https://coast.example/mill"},
        {"title": "Bridge closes", "text": "The bridge closed on Friday.", "date": "2024-03-02"},
    ]  # fmt: skip
    export = "\n".join(json.dumps(r) for r in records) + "\n"
    (corpus / "feed.jsonl").write_text(export, encoding="utf-8")
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    version = current_version(index_dir).name

    again = run_import(index_dir, "feed.jsonl", export)

    assert again.added == [] and len(again.unchanged) == 2 and again.refused == []
    assert current_version(index_dir).name == version and imported_files(corpus) == []

    # other content under an id from that archive: the way to replace it is to edit it there
    # (the API does not delete an article from an archive put into the folder by hand)
    changed = {**records[0], "text": "The old mill at Varne was saved from the fire."}
    with pytest.raises(BadInput) as refused:
        run_import(index_dir, "changed.jsonl", json.dumps(changed) + "\n")
    assert "from the corpus folder's feed.jsonl line 1 (change it there and rebuild" in str(
        refused.value
    )
    assert "DELETE" not in str(refused.value)
    # nor is it named among the ids a delete through the API frees
    new = {"title": "Quay lights", "text": "New lights were put up on the quay."}
    partly = run_import(index_dir, "partly.jsonl", f"{json.dumps(changed)}\n{json.dumps(new)}\n")
    assert len(partly.refused) == 1 and partly.indexed_otherwise == []


def test_other_content_under_an_archive_id_names_the_line_the_build_kept(
    built: tuple[Path, Path],
) -> None:
    """An archive with two versions of an article (the same `url`): the build keeps the last
    and skips line 1, so the refusal names line 2, the one whose edit changes the article."""
    corpus, index_dir = built
    url = "https://holm.example/mill"
    first = {"title": "Mill burns", "text": "The old mill at Varne burned down on Sunday.",
             "url": url}  # fmt: skip
    update = {**first, "text": "The old mill at Varne burned down on Sunday night."}
    lines = [json.dumps(first), json.dumps(update)]
    (corpus / "holm-updates.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    places = ids_in_folder(corpus, max_bytes=SETTINGS.max_document_bytes)
    assert places[record_doc_id(parse_record(lines[1]))] == "holm-updates.jsonl line 2"

    other = {**first, "text": "The old mill at Varne was saved from the fire."}
    with pytest.raises(BadInput) as refused:
        run_import(index_dir, "other.jsonl", json.dumps(other) + "\n")
    assert "from the corpus folder's holm-updates.jsonl line 2 (change it there" in str(
        refused.value
    )


def test_only_an_archive_named_as_an_import_writes_is_edited_by_a_delete(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    record = {"title": "Mill burns", "text": "The old mill at Varne burned down on Sunday."}
    (corpus / "import-2024.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    (doc_id,) = set(served(index_dir)) - {"ferry"}

    with pytest.raises(Conflict, match="comes from the archive import-2024.jsonl line 1"):
        delete_article(index_dir, doc_id, embedder=HashingEmbedder(), index_settings=SETTINGS,
                       near_duplicate_threshold=None)  # fmt: skip


def test_other_content_under_an_imported_id_says_to_delete_it_first(
    built: tuple[Path, Path],
) -> None:
    """POST /documents with an imported article's id and other content: a PUT cannot replace
    it (it was one line of an import archive), so the 409 says what does."""
    _, index_dir = built
    doc_id = run_import(index_dir, "coast.csv", TABLE).added[0]
    with pytest.raises(Conflict, match=rf"exists with other content; '{doc_id}' was imported "):
        add_article(index_dir, doc_id, "Other\n\nOther text here.", embedder=HashingEmbedder(),
                    index_settings=SETTINGS, near_duplicate_threshold=None)  # fmt: skip


def test_a_date_that_is_no_calendar_date_is_quoted_as_the_table_writes_it(
    built: tuple[Path, Path],
) -> None:
    _, index_dir = built
    table = (
        "title,text,date\n"
        '"Mill burns","The mill by the river burned down overnight.",45/45/2024\n'
        '"Harbour reopens","The harbour of Skarra reopened on Monday.",31/12/2023\n'
    )
    report = run_import(index_dir, "mills.csv", table)
    assert len(report.added) == 1
    # not "2024-45-45", which the file does not hold; refused, where a build of the folder
    # would index it undated: the client can write the date as one
    assert len(report.refused) == 1
    assert report.refused[0].startswith("mills.csv row 2 (id ")
    assert report.refused[0].endswith(
        ": `date` '45/45/2024' is not a calendar date (a day, a month and a "
        "year), or its day and month could be either (write it as year-month-day, e.g. "
        "2024-10-21)"
    )


def test_a_date_under_another_name_that_is_no_calendar_date_is_refused_not_dropped(
    built: tuple[Path, Path],
) -> None:
    _, index_dir = built
    table = (
        "title,text,published\n"
        '"Mill burns","The mill by the river burned down overnight.",45/45/2024\n'
        '"Harbour reopens","The harbour of Skarra reopened on Monday.",31/12/2023\n'
    )
    report = run_import(index_dir, "mills.csv", table)
    assert len(report.added) == 1 and len(report.refused) == 1
    assert report.refused[0].startswith("mills.csv row 2 (id ")
    assert (
        "`published` '45/45/2024', read as the article's date, is not a calendar date"
        in (report.refused[0])
    )
    # a field of that name meant as a flag is no date: the line loads, undated
    flagged = '{"title": "Ferry fares rise", "text": "Ferry fares rise in May.", "published": true}'
    again = run_import(index_dir, "flags.jsonl", flagged + "\n")
    assert len(again.added) == 1 and again.refused == []


def test_a_record_decoded_with_the_wrong_encoding_is_refused_as_post_documents_refuses_it(
    built: tuple[Path, Path],
) -> None:
    _, index_dir = built
    right = (
        "The new shop on the harbour front opened on Monday, the mayor said.\n\n"
        "Its owner, José Martínez, said the café would stay open until ten every night."
    )
    misread = right.encode("utf-8").decode("cp1252")  # "JosÃ© MartÃ­nez"
    lines = [
        {"title": "Shop opens", "text": misread},
        {"title": "Shop opens again", "text": right},
    ]
    report = run_import(
        index_dir, "lojas.jsonl", "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    )
    assert len(report.added) == 1
    (refusal,) = report.refused
    assert refusal.startswith("lojas.jsonl line 1 (id shop-opens-")
    assert "its text holds 3 sequences of UTF-8 read as Windows-1252" in refusal
