"""Unit tests for classic LexisNexis text exports (qa/nexis_text.py, index/text_exports.py, read
through index/formats.py): a `.txt` whose content is an export is one article an item with its
own title, publication, date, byline and text; a damaged item is one warning; any other `.txt`
(one that mentions "1 of 3 DOCUMENTS", one whose marker-like lines are out of order, the seed
articles) is one article as before. The exports are made up here (tests/nexis_text_files.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from index.archive_records import archive_origin, ids_in_folder
from index.builder import rebuild_index
from index.corpus import files_giving, read_corpus
from index.documents import add_article, delete_article
from index.file_kinds import is_archive
from index.formats import read_article_file
from index.manifest import Manifest
from index.versions import current_version
from qa.errors import BadInput, Conflict
from qa.nexis_text import near_miss, nexis_text_articles, nexis_text_items
from tests.fakes import HashingEmbedder
from tests.importing import SETTINGS, built_corpus, run_import
from tests.nexis_text_files import (
    BRIDGE,
    EXPORT,
    FERRY,
    LIGHTHOUSE,
    TextItem,
    export_text,
    item_text,
    write_export,
)

pytestmark = pytest.mark.unit

MAX = 10_000_000
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_an_export_is_one_article_an_item_with_its_header_fields(tmp_path: Path) -> None:
    read = read_article_file(write_export(tmp_path / "Results.TXT", EXPORT), max_bytes=MAX)
    assert list(read.warnings) == []
    assert read.origins == ["Results.TXT item 1", "Results.TXT item 2", "Results.TXT item 3"]
    first, second, third = read.articles
    assert (first.title, first.source, first.date, first.author) == (
        LIGHTHOUSE.title,
        "The Brindle Coast Courier",
        "2019-03-03",
        "Marit Olsen",  # "BYLINE: By Marit Olsen"
    )
    # only the text, each paragraph's wrapped lines one line again: no LENGTH:, LOAD-DATE:,
    # LANGUAGE: or copyright line
    assert _paragraphs(first.text) == LIGHTHOUSE.paragraphs
    # the edition line under the date is no part of the title
    assert (second.title, second.source, second.date, second.author) == (
        FERRY.title,
        "Vessby Evening Post",
        "2019-11-12",
        "Jonas Ek",  # "BYLINE: JONAS EK", as LexisNexis writes a wire byline
    )
    assert _paragraphs(second.text) == FERRY.paragraphs
    # no byline; the URL: field after the text is the address (and the id is made of it)
    assert (third.title, third.date, third.author, third.url) == (
        BRIDGE.title,
        "2020-06-21",
        None,
        "https://mora.example/bridge",
    )
    assert third.doc_id.startswith("bridge-")
    assert len({a.doc_id for a in read.articles}) == 3


def test_ids_are_stable_across_downloads_names_line_ends_and_encodings(tmp_path: Path) -> None:
    once = read_article_file(write_export(tmp_path / "a.txt", EXPORT), max_bytes=MAX)
    ids = {a.doc_id: a.content_hash for a in once.articles}
    for name, kwargs in [
        ("Nexis (2).TXT", {"cover": False}),
        ("crlf.txt", {"crlf": True}),
        ("bom.txt", {"encoding": "utf-8-sig"}),
        ("notepad.txt", {"encoding": "utf-16", "crlf": True}),
        ("latin.txt", {"encoding": "cp1252"}),
    ]:
        again = read_article_file(write_export(tmp_path / name, EXPORT, **kwargs), max_bytes=MAX)
        assert {a.doc_id: a.content_hash for a in again.articles} == ids, name
        assert list(again.warnings) == [], name


def test_letters_beyond_ascii_survive_a_legacy_encoding(tmp_path: Path) -> None:
    item = TextItem(
        title="Färjan till Tärnö går inte i vinter",
        source="Vessby Kväll",
        date_line="November 12, 2019",
        paragraphs=["Nattfärjan till Tärnö går inte mellan december och mars, sade länet."],
    )
    path = write_export(tmp_path / "sv.txt", [item, FERRY], encoding="cp1252")
    first, _ = read_article_file(path, max_bytes=MAX).articles
    assert (first.title, first.source) == (item.title, "Vessby Kväll")


# an English story whose names come from several languages: no one language's alphabet holds
# "é", "ü", "ø" and "ñ" together, which is what a guess of the code page looks for
MANY_NAMES = TextItem(
    title="Café owner on the waterfront gathers signatures against dredging",
    source="The Harbour Ledger",
    date_line="March 9, 2016 Wednesday",
    byline="By ELENA MARQUARDT",
    paragraphs=[
        "Henrike Sørlie, who has run the Zürich Café on the waterfront since 1994, has "
        "collected 4,212 signatures on a petition asking the harbour board to drop the plan.",
        "Ms. Sørlie said she would deliver the petition on March 15, with José Núñez of the "
        "fishermen's association.",
    ],
)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_names_of_many_languages_survive_a_western_legacy_export(
    tmp_path: Path, encoding: str
) -> None:
    path = write_export(tmp_path / "results.TXT", [MANY_NAMES, FERRY], crlf=True, encoding=encoding)
    first, _ = read_article_file(path, max_bytes=MAX).articles
    assert first.title == MANY_NAMES.title
    assert _paragraphs(first.text) == MANY_NAMES.paragraphs  # "Sørlie", not "Sّrlie"
    utf8 = write_export(tmp_path / "utf8.txt", [MANY_NAMES, FERRY], encoding="utf-8")
    assert first.content_hash == read_article_file(utf8, max_bytes=MAX).articles[0].content_hash


@pytest.mark.parametrize(
    ("encoding", "words"),
    [
        ("cp1251", "Глава порта Ирина Соколова сказала во вторник, что работы начнутся осенью."),
        ("cp1250", "Małgorzata Łukasiewicz z Łodzi powiedziała, że prace ruszą jesienią."),
    ],
)
def test_an_export_in_another_code_page_keeps_its_letters(
    tmp_path: Path, encoding: str, words: str
) -> None:
    item = TextItem(title="Port works", source="Wire", date_line="May 4, 2021", paragraphs=[words])
    path = write_export(tmp_path / "results.txt", [item, BRIDGE], encoding=encoding)
    first, _ = read_article_file(path, max_bytes=MAX).articles
    assert first.text == words


@pytest.mark.parametrize(
    "date_line", ["May 2012", "Spring 2012", "May/June 2012", "Winter 2011/2012", "Sept. 2012",
                  "Juni 2012", "automne 2012"]
)  # fmt: skip
def test_a_periodicals_date_line_without_a_day_is_no_part_of_the_headline(date_line: str) -> None:
    monthly = TextItem(
        title="The long dredge",
        source="Harbour Monthly",
        date_line=date_line,
        byline="By Ann Lee",
        paragraphs=["The dredgers came to the river mouth in May and stayed until the autumn."],
    )
    first, second = nexis_text_articles(export_text([monthly, FERRY])) or []
    assert (first.title, first.source, first.date) == ("The long dredge", "Harbour Monthly", None)
    assert (second.title, second.date) == (FERRY.title, "2019-11-12")
    # the publication and the date line written one under the other, no blank line between
    joined = export_text([monthly, FERRY]).replace("Monthly\n\n", "Monthly\n", 1)
    assert (nexis_text_articles(joined) or [])[0].title == "The long dredge"


def test_a_later_batch_of_a_search_and_an_export_of_one_document_are_read(tmp_path: Path) -> None:
    batch = read_article_file(
        write_export(tmp_path / "b.txt", EXPORT, first=101, total=250), max_bytes=MAX
    )
    assert batch.origins == ["b.txt item 101", "b.txt item 102", "b.txt item 103"]
    one = write_export(tmp_path / "one.txt", [FERRY], cover=False)
    one.write_text(one.read_text().replace("1 of 1 DOCUMENTS", "1 of 1 DOCUMENT"))
    (article,) = read_article_file(one, max_bytes=MAX).articles
    assert (article.title, article.date) == (FERRY.title, "2019-11-12")
    assert article.doc_id != "one"


def test_a_damaged_item_is_one_warning_and_the_rest_is_read(tmp_path: Path) -> None:
    picture = TextItem(
        title="Chart: ferry passengers by month",
        source="Vessby Evening Post",
        date_line="May 2, 2019",
        paragraphs=[],
        section=None,
        length=False,
    )
    no_text = TextItem(title="Tide tables", source="Mora Weekly", date_line="May 3, 2019",
                       paragraphs=[])  # fmt: skip
    text = export_text([LIGHTHOUSE, picture, no_text, FERRY], total=5)
    text += "                               5 of 5 DOCUMENTS\n\n\n"  # the download was cut off
    path = tmp_path / "damaged.txt"
    path.write_text(text, encoding="utf-8")
    read = read_article_file(path, max_bytes=MAX)
    assert [a.title for a in read.articles] == [LIGHTHOUSE.title, FERRY.title]
    assert read.origins == ["damaged.txt item 1", "damaged.txt item 4"]
    assert list(read.warnings) == [
        "skipped damaged.txt item 2: no LENGTH: line, nor any other labelled header line "
        "(LexisNexis gives a picture or a table without text so): its header cannot be told "
        "from its text",
        "skipped damaged.txt item 3: no article text after its LENGTH: line",
        "skipped damaged.txt item 5: no LENGTH: line, nor any other labelled header line "
        "(LexisNexis gives a picture or a table without text so): its header cannot be told "
        "from its text",
    ]


def test_an_article_that_mentions_the_markers_stays_one_article(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sentence = tmp_path / "records.txt"
    sentence.write_text(
        "Archive clerks file requests\n\nThe clerk printed page 1 of 3 DOCUMENTS before the "
        "machine jammed.\n\n2 of 3 DOCUMENTS were lost, she said.\n\nLENGTH: the request ran "
        "to 40 pages.\n",
        encoding="utf-8",
    )
    (article,) = read_article_file(sentence, max_bytes=MAX).articles
    assert (article.doc_id, article.title) == ("records", "Archive clerks file requests")
    # whole lines like markers, but out of order: one article, and a warning says why
    jumbled = tmp_path / "jumbled.txt"
    jumbled.write_text(
        "Minutes of the archive board\n\n" + item_text(2, 3, LIGHTHOUSE) + item_text(1, 3, FERRY),
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        (one,) = read_article_file(jumbled, max_bytes=MAX).articles
    assert one.doc_id == "jumbled"
    assert "jumbled.txt is read as one article, not as a LexisNexis export" in caplog.text
    assert "do not number the items one after another" in caplog.text
    # in order, but no item has a LENGTH: line: a list of documents, not an export
    listing = "Filed\n\n     1 of 2 DOCUMENTS\n\nThe deed.\n\n     2 of 2 DOCUMENTS\n\nThe map.\n"
    assert nexis_text_items(listing) is None
    assert near_miss(listing) is not None and "no item has a LENGTH: line" in near_miss(listing)
    # markers of two totals, or numbered from 0
    mixed = item_text(1, 3, LIGHTHOUSE) + item_text(2, 4, FERRY)
    assert nexis_text_articles(mixed) is None
    assert nexis_text_articles(item_text(0, 2, LIGHTHOUSE) + item_text(1, 2, FERRY)) is None


def test_the_seed_articles_are_no_exports_and_read_as_before() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        assert not is_archive(path), path.name
        (article,) = read_article_file(path, max_bytes=MAX).articles
        assert article.doc_id == path.stem


def test_wrapped_titles_hyphens_and_fields_without_blank_lines() -> None:
    text = (
        "                         1 of 1 DOCUMENT\n"
        "\n"
        "                       The Coast Times\n"
        "                 April 2, 2021 Friday 6:58 AM GMT\n"
        "\n"
        "Harbour school opens a sailing class for forty pupils from the\n"
        "island villages\n"
        "\n"
        "BYLINE: Lena Dahl and\n"
        "Per Berg\n"
        "SECTION: SCHOOLS\n"
        "LENGTH: 40 words\n"
        "DATELINE: VESSBY\n"
        "\n"
        "BODY:\n"
        "The harbour school will teach sailing to forty pupils from May, a well-\n"
        "known teacher said.\n"
        "\n"
        "DATELINE: MORA\n"
        "\n"
        "Boats come from the yacht club.\n"
        "\n"
        "GRAPHIC: A dinghy on the slip\n"
        "LANGUAGE: ENGLISH\n"
    )
    (article,) = nexis_text_articles(text) or []
    assert article.title == (
        "Harbour school opens a sailing class for forty pupils from the island villages"
    )
    assert (article.source, article.date, article.author) == (
        "The Coast Times",
        "2021-04-02",
        "Lena Dahl and Per Berg",
    )
    assert article.paragraphs == [
        "The harbour school will teach sailing to forty pupils from May, a well-known teacher "
        "said.",
        "Boats come from the yacht club.",
    ]


def test_an_unchanged_item_is_reused_as_indexed(tmp_path: Path) -> None:
    path = write_export(tmp_path / "a.txt", EXPORT)
    first = read_article_file(path, max_bytes=MAX)
    known = {a.doc_id: a.model_copy(update={"title": "as indexed"}) for a in first.articles}
    # an index built before exports were read holds the file as one article of its name
    known["a"] = first.articles[0].model_copy(update={"doc_id": "a"})
    second = read_article_file(path, max_bytes=MAX, known=known)
    assert [a.title for a in second.articles] == ["as indexed"] * 3


def test_a_folder_gives_the_items_ids_and_places(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_export(corpus / "results.txt", EXPORT)
    (corpus / "quay.txt").write_text("North quay repaired\n\nDivers repaired the north quay.\n")
    articles, warnings = read_corpus(corpus)
    assert list(warnings) == []
    ids = [a.doc_id for a in articles]
    assert "quay" in ids and "results" not in ids and len(ids) == 4
    places = ids_in_folder(corpus, max_bytes=MAX)
    ferry = next(a.doc_id for a in articles if a.title == FERRY.title)
    assert places[ferry] == "results.txt item 2" and places["quay"] == "quay.txt"
    assert files_giving(corpus, "results") == []
    assert str(archive_origin(corpus, ferry)) == "results.txt item 2"


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    return built_corpus(tmp_path)


def test_an_export_is_imported_an_article_an_item_and_one_deleted(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    data = export_text([LIGHTHOUSE, FERRY]).replace("\n", "\r\n").encode("utf-8")
    report = run_import(index_dir, "Results.TXT", data)
    assert len(report.added) == 2 and report.refused == []
    assert report.stored_as is not None and (corpus / report.stored_as).exists()
    served = Manifest.load(current_version(index_dir)).articles
    assert set(report.added) <= set(served)
    assert run_import(index_dir, "again.txt", data).added == []  # a retry adds nothing
    delete_article(index_dir, report.added[0], embedder=HashingEmbedder(),
                   index_settings=SETTINGS, near_duplicate_threshold=None)  # fmt: skip
    assert report.added[0] not in Manifest.load(current_version(index_dir)).articles


def test_a_text_that_is_no_export_is_refused_by_import_and_an_export_by_add(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    with pytest.raises(BadInput, match="notes.txt is not a LexisNexis text export") as refused:
        run_import(index_dir, "notes.txt", b"Quay notes\n\nThe quay was repaired.\n")
    assert "add it with POST /documents" in str(refused.value)
    export = export_text(EXPORT)
    with pytest.raises(BadInput, match="a LexisNexis export of 3 article"):
        add_article(index_dir, "results", export, embedder=HashingEmbedder(),
                    index_settings=SETTINGS, near_duplicate_threshold=None)  # fmt: skip
    assert not (corpus / "results.txt").exists()


def test_an_article_of_an_export_in_the_folder_is_not_deleted_alone(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    write_export(corpus / "results.txt", EXPORT)
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    places = ids_in_folder(corpus, max_bytes=MAX)
    ferry = next(doc_id for doc_id, place in places.items() if place == "results.txt item 2")
    with pytest.raises(Conflict, match="results.txt item 2"):
        delete_article(index_dir, ferry, embedder=HashingEmbedder(), index_settings=SETTINGS,
                       near_duplicate_threshold=None)  # fmt: skip
