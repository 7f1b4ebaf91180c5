"""Unit tests for Factiva HTML exports (qa/factiva.py, index/html_exports.py, read through
index/formats.py): a saved page whose content is a Factiva export, in either layout, is one
article an item with its own headline, source, date, byline and text (lead paragraphs first),
its id the accession number; a damaged item is one warning; any other page (a news page with
a table of party codes, one with article-like divs but no accession number) reads exactly as
before. The exports are made up here (tests/factiva_files.py)."""

from __future__ import annotations

import gzip
import json
import logging
from dataclasses import replace
from pathlib import Path

import pytest

from index.archive_records import archive_origin, ids_in_folder
from index.builder import rebuild_index
from index.corpus import files_giving, read_corpus
from index.documents import add_article
from index.file_kinds import is_archive
from index.formats import read_article_file
from index.manifest import Manifest
from index.versions import current_version
from qa.articles import article_from_page
from qa.errors import BadInput
from qa.factiva import accession_of, factiva_articles
from qa.factiva_rtf import factiva_rtf_articles
from tests.factiva_files import (
    EXPORT,
    LANTERNS,
    ORCHARD,
    TRAM,
    FactivaItem,
    export_page,
    write_export,
)
from tests.fakes import HashingEmbedder
from tests.importing import SETTINGS, built_corpus, run_import
from tests.rtf_files import factiva_indexed_rtf, factiva_rtf_paragraphs, rtf_document

pytestmark = pytest.mark.unit

MAX = 10_000_000
LAYOUTS = ["table", "format"]

# a news page with a results table whose first cells are party codes (as Factiva's field codes
# are), an "article" div and the word "Document" before a code: one article, as before
NEWS_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Council vote count published | Vessby Evening Post</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<div class="article story"><h1>Council vote count published</h1>
<p class="byline">By Lena Dahl</p>
<p>The Vessby council published the full count of last week's vote on Friday, after two
recounts in the harbour ward.</p>
<table><tr><td>SN</td><td>Social Nordic</td><td>4,210</td></tr>
<tr><td>PD</td><td>Party of the Dales</td><td>3,980</td></tr>
<tr><td>HD</td><td>Harbour Democrats</td><td>1,207</td></tr></table>
<p>The clerk said the count was final. Document VSBYEP0020230314ej3e0001a of the council's
archive holds the ballots, she added, and may be read at the town hall.</p>
<p>The new council meets for the first time on the first Monday of next month.</p>
</div><footer>Copyright 2024 Vessby Evening Post</footer></body></html>
"""


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_export_is_one_article_an_item_with_its_fields(tmp_path: Path, layout: str) -> None:
    path = write_export(tmp_path / "Factiva results.html", EXPORT, layout=layout)
    assert is_archive(path, max_bytes=MAX)
    read = read_article_file(path, max_bytes=MAX)
    assert list(read.warnings) == []
    assert read.origins == [f"Factiva results.html item {n}" for n in (1, 2, 3)]
    lanterns, tram, orchard = read.articles
    assert [a.doc_id for a in read.articles] == [i.accession for i in EXPORT]
    assert (lanterns.title, lanterns.source, lanterns.date, lanterns.author) == (
        LANTERNS.title,
        "Vessby Evening Post",
        "2023-03-14",
        "Ines Varga",  # "By Ines Varga"
    )
    # the lead paragraphs, then the text: no word count, copyright, subject codes or AN line
    assert _paragraphs(lanterns.text) == LANTERNS.paragraphs
    assert _paragraphs(tram.text) == TRAM.paragraphs  # two lead paragraphs
    assert (orchard.author, orchard.date) == (None, "2021-09-09")


def test_the_two_layouts_give_the_same_articles(tmp_path: Path) -> None:
    table = read_article_file(write_export(tmp_path / "a.html", EXPORT), max_bytes=MAX)
    shown = read_article_file(
        write_export(tmp_path / "b.htm", EXPORT, layout="format"), max_bytes=MAX
    )
    assert [a.model_dump(exclude={"content_hash"}) for a in table.articles] == [
        a.model_dump(exclude={"content_hash"}) for a in shown.articles
    ]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_missing_fields_are_left_empty_and_a_damaged_item_is_one_warning(
    tmp_path: Path, layout: str
) -> None:
    bare = FactivaItem(
        title="Night buses return to the north shore",
        source=None,
        date=None,
        section=None,
        accession=None,  # no AN: its id comes from its title and text
        paragraphs=["Night buses to the north shore run again from Friday."],
    )
    headless = replace(ORCHARD, title=None, accession="BRCOCO0020210910eh9a0004d")
    empty = replace(TRAM, paragraphs=[], accession="SKARDY0020220503ei530005e")
    path = write_export(tmp_path / "r.html", [LANTERNS, bare, headless, empty], layout=layout)
    read = read_article_file(path, max_bytes=MAX)
    warnings = list(read.warnings)
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith("skipped r.html item 3: no headline")
    assert warnings[1].startswith("skipped r.html item 4: no text")
    assert read.origins == ["r.html item 1", "r.html item 2"]
    night = read.articles[1]
    assert (night.title, night.source, night.date, night.author) == (bare.title, None, None, None)
    assert night.doc_id.startswith("night-buses-return-to-the-north-")
    assert night.text == bare.paragraphs[0]


def test_dates_and_closers_in_the_exports_language_are_read(tmp_path: Path) -> None:
    french = replace(LANTERNS, date="14 mars 2023", language="fr", closer="Document")
    german = replace(TRAM, date="2 Mai 2022", language="de", closer="Dokument")
    for layout in LAYOUTS:
        articles = factiva_articles(export_page([french, german], layout=layout))
        assert articles is not None
        assert [(a.date, a.accession) for a in articles] == [
            ("2023-03-14", LANTERNS.accession),
            ("2022-05-02", TRAM.accession),
        ]


@pytest.mark.parametrize(
    "label", ["Документ", "Документ:", "文档", "文档：", "ドキュメント", "문서", "N° de document"]
)
def test_a_closing_line_labelled_in_any_script_gives_the_accession_number(
    tmp_path: Path, label: str
) -> None:
    """Factiva's interface in Russian, Chinese, Japanese, Korean or French labels the AN line
    in its own words; the number after the label is Latin, and is the article's id in either
    layout of the HTML download and of the RTF ones."""
    items = [replace(LANTERNS, closer=label), replace(TRAM, closer=label)]
    for layout in LAYOUTS:
        articles = factiva_articles(export_page(items, layout=layout))
        assert articles is not None, layout
        assert [a.accession for a in articles] == [LANTERNS.accession, TRAM.accession], layout
    for name, data in {
        "shown.rtf": rtf_document(factiva_rtf_paragraphs(items)),
        "indexed.rtf": factiva_indexed_rtf(items),
    }.items():
        (tmp_path / name).write_bytes(data)
        read = read_article_file(tmp_path / name, max_bytes=MAX)
        assert [a.doc_id for a in read.articles] == [LANTERNS.accession, TRAM.accession], name


def test_an_accession_number_is_read_after_its_label_and_nothing_else() -> None:
    number = "WSJ0000020240101ek1100001"
    for line in (
        number,
        f"Document {number}",
        f"Dokument-Nr. {number}",
        f"文档{number}",  # no space after a Chinese, Japanese or Korean label
        f"ドキュメント：{number}",
        f"Документ:{number}",
    ):
        assert accession_of(line) == number, line
    for line in (
        f"The archive lists the story as {number}",  # a sentence that names one
        f"Document {number} was filed",
        f"DocumentX{number}",  # no label glued to it in a script with spaces
        f"12 {number}",
    ):
        assert accession_of(line) is None, line
    # in the article-format RTF, a paragraph of text naming one closes no article
    lines = [*factiva_rtf_paragraphs([LANTERNS])[:-2], f"The desk filed it as {number}"]
    assert factiva_rtf_articles(lines) is None


@pytest.mark.parametrize("time", ["10:02", "10:02 GMT", "3:45 PM"])
def test_a_newswire_items_time_after_its_date_is_not_its_source(time: str) -> None:
    wire = replace(TRAM, source="Vessby Wire Service", time=time)
    for layout in LAYOUTS:
        articles = factiva_articles(export_page([wire], layout=layout))
        assert articles is not None
        assert [(a.date, a.source) for a in articles] == [("2022-05-02", "Vessby Wire Service")]


@pytest.mark.parametrize(
    ("date", "language", "read"),
    [("14 Μαρτίου 2023", "el", None), ("14 марта 2023", "ru", "2023-03-14")],
)
def test_a_date_in_a_script_not_read_still_leaves_the_source_after_it(
    date: str, language: str, read: str | None
) -> None:
    # the article format's date is the line after the word count even when it does not read
    # (Greek months are not among qa/dates.py's; Russian ones are, since cleaner 41)
    item = replace(LANTERNS, date=date, language=language)
    (article,) = factiva_articles(export_page([item], layout="format")) or []
    assert (article.date, article.source, article.title) == (
        read, "Vessby Evening Post", LANTERNS.title,
    )  # fmt: skip


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_line_break_in_a_paragraph_or_a_field_parts_its_words(layout: str) -> None:
    page = export_page([LANTERNS], layout=layout)
    first = LANTERNS.paragraphs[0]
    broken = first.replace("harbour front", "harbour<br/>front").replace("said on", "said<br>on")
    page = page.replace(first, broken).replace("Ines Varga", "Ines<br/>Varga")
    (article,) = factiva_articles(page) or []
    assert article.paragraphs[0] == first
    assert article.author == "By Ines Varga"


def test_an_article_exported_twice_is_read_once(tmp_path: Path) -> None:
    read = read_article_file(
        write_export(tmp_path / "r.html", [LANTERNS, TRAM, LANTERNS]), max_bytes=MAX
    )
    # as in any archive, the last of records with one id is kept
    assert [a.doc_id for a in read.articles] == [TRAM.accession, LANTERNS.accession]
    assert list(read.warnings) == [
        f"skipped r.html item 1: the same article as item 3 (id {LANTERNS.accession})"
    ]


def test_a_gzipped_export_is_read_as_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "r.html.gz"
    path.write_bytes(gzip.compress(export_page(EXPORT).encode("utf-8")))
    assert is_archive(path, max_bytes=MAX)
    read = read_article_file(path, max_bytes=MAX)
    assert [a.doc_id for a in read.articles] == [i.accession for i in EXPORT]


def test_a_news_page_with_a_table_reads_as_one_page_as_before(tmp_path: Path) -> None:
    path = tmp_path / "council-vote.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    assert not is_archive(path, max_bytes=MAX)
    assert factiva_articles(NEWS_PAGE) is None
    read = read_article_file(path, max_bytes=MAX)
    assert list(read.warnings) == [] and read.origins == ["council-vote.html"]
    (article,) = read.articles
    assert article == article_from_page("council-vote", path.read_bytes())
    assert article.title == "Council vote count published"


def test_article_divs_without_an_accession_number_are_one_page_and_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    unnumbered = [replace(item, accession=None) for item in EXPORT]
    page = export_page(unnumbered)
    assert factiva_articles(page) is None
    path = tmp_path / "saved.html"
    path.write_text(page, encoding="utf-8")
    assert not is_archive(path, max_bytes=MAX)
    with caplog.at_level(logging.WARNING):
        read = read_article_file(path, max_bytes=MAX)
    assert read.origins == ["saved.html"] and read.articles[0].doc_id == "saved"
    assert "saved.html is read as one page, not as a Factiva export" in caplog.text
    assert "3 div(s) of class 'article xxArticle'" in caplog.text


def test_a_folder_gives_the_items_ids_and_places(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_export(corpus / "results.html", EXPORT)
    (corpus / "council-vote.html").write_text(NEWS_PAGE, encoding="utf-8")
    articles, warnings = read_corpus(corpus)
    assert list(warnings) == []
    ids = [a.doc_id for a in articles]
    assert sorted(ids) == sorted(["council-vote", *(i.accession or "" for i in EXPORT)])
    places = ids_in_folder(corpus, max_bytes=MAX)
    assert places[TRAM.accession or ""] == "results.html item 2"
    assert places["council-vote"] == "council-vote.html"
    assert files_giving(corpus, "results") == []
    assert str(archive_origin(corpus, TRAM.accession or "")) == "results.html item 2"


def test_an_accession_number_gives_an_archive_line_its_id(tmp_path: Path) -> None:
    lines = [
        {"title": "Quay repaired", "text": "Divers fixed the quay.", "accession_number": "AB-12"},
        {"title": "Pier closed", "text": "The pier is shut.", "accession_number": "two words"},
    ]
    path = tmp_path / "lines.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    read = read_article_file(path, max_bytes=MAX)
    assert [a.doc_id for a in read.articles] == ["AB-12"]
    (warning,) = read.warnings
    assert warning.startswith("skipped lines.jsonl line 2: `accession_number` 'two words' is not")


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    return built_corpus(tmp_path)


def test_an_export_is_imported_an_article_an_item_under_its_accession_numbers(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    data = export_page([LANTERNS, TRAM], layout="format").encode("utf-8")
    report = run_import(index_dir, "Factiva.htm", data)
    assert report.added == [LANTERNS.accession, TRAM.accession] and report.refused == []
    assert report.stored_as is not None and (corpus / report.stored_as).exists()
    assert set(report.added) <= set(Manifest.load(current_version(index_dir)).articles)
    # stored as archive lines that keep the ids when the folder is built again
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    assert set(report.added) <= set(Manifest.load(current_version(index_dir)).articles)
    assert run_import(index_dir, "again.html", data).added == []  # a retry adds nothing


def test_a_page_that_is_no_export_is_refused_by_import_and_an_export_by_add(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    with pytest.raises(BadInput, match="council.html is not a Factiva export") as refused:
        run_import(index_dir, "council.html", NEWS_PAGE.encode("utf-8"))
    assert "add it with POST /documents, the page as `html`" in str(refused.value)
    with pytest.raises(BadInput, match="a Factiva export of 3 article"):
        add_article(index_dir, "results", export_page(EXPORT), embedder=HashingEmbedder(),
                    index_settings=SETTINGS, near_duplicate_threshold=None,
                    suffix=".html")  # fmt: skip
    assert not (corpus / "results.html").exists()
