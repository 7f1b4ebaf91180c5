"""Archive exports besides .jsonl (index/formats.py, qa/archives.py): a `.csv` or `.tsv` table,
one article a row under a header row, as scrapers, spreadsheets and news datasets write them,
and a `.json` document, an array of articles or an API's answer holding one."""

from __future__ import annotations

import csv
import io
import json
import logging
from pathlib import Path

import pytest

from index.archive_records import archive_origin
from index.builder import rebuild_index
from index.corpus import read_corpus
from index.documents import delete_article
from index.formats import read_article_file
from index.store import CorpusIndex
from index.versions import current_version
from qa.archives import column_names
from qa.errors import BadInput, Conflict
from qa.settings import IndexSettings
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.unit

LIMIT = 10 << 20
FERRY = (
    "The ferry to Skarra island resumed service on Monday after a week of storms, the operator "
    "said.\n\nIt now sails twice a day, at 08:00 and at 17:30."
)
DAY = "2025-04-05"
TRAM = "The new tram line to the harbour opened on Saturday, three months late."


def table(rows: list[list[str]], *, delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def news_rows() -> list[list[str]]:
    """A news dataset's shape: an unnamed index column, other names for the fields, columns the
    service does not read, and a body over several lines."""
    return [
        ["", "id", "Title", "publication", "author", "date", "year", "url", "content"],
        ["0", "17", "Ferry returns", "Coast Times", "Ana Berg", "2025-03-02", "2025",
         "https://coast.example/2025/03/02/ferry-returns", FERRY],
        ["1", "18", "Tram opens", "City Post", "", "2025-04-05", "2025", "", TRAM],
    ]  # fmt: skip


def test_a_csv_export_gives_an_article_a_row_with_its_fields(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text(table(news_rows()), encoding="utf-8")
    found = read_article_file(path, max_bytes=LIMIT)
    assert found.warnings == []
    assert found.origins == ["news.csv row 2", "news.csv row 3"]
    ferry, tram = found.articles
    assert (ferry.title, ferry.source, ferry.author, ferry.date) == (
        "Ferry returns", "Coast Times", "Ana Berg", "2025-03-02",
    )  # fmt: skip
    assert ferry.url == "https://coast.example/2025/03/02/ferry-returns"
    assert ferry.doc_id.startswith("ferry-returns-")
    assert "twice a day" in ferry.text and "resumed service" in ferry.text
    assert (tram.title, tram.source, tram.author) == ("Tram opens", "City Post", None)


def test_a_spreadsheet_export_with_semicolons_in_the_windows_code_page_is_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rows = [["Headline", "Body", "Date"],
            ["Straßenbahn fährt wieder", "Die Straßenbahn in Köln fährt seit Montag wieder, "
             "nach drei Wochen Pause; die Stadt zahlt.", "2025-08-12"]]  # fmt: skip
    path = tmp_path / "export.csv"
    path.write_bytes(table(rows, delimiter=";").encode("cp1252"))
    with caplog.at_level(logging.WARNING, logger="index.archive_records"):
        found = read_article_file(path, max_bytes=LIMIT)
    (article,) = found.articles
    assert article.title == "Straßenbahn fährt wieder"
    assert "Köln" in article.text and "die Stadt zahlt" in article.text
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 1 and "export.csv is not UTF-8: read as cp1252" in said[0]


def test_a_tsv_with_a_byte_order_mark_keeps_its_first_column(tmp_path: Path) -> None:
    path = tmp_path / "feed.tsv"
    rows = [["title", "text", "date"], ["Tram opens", TRAM, "2025-04-05"]]
    path.write_bytes(b"\xef\xbb\xbf" + table(rows, delimiter="\t").encode("utf-8"))
    (article,) = read_article_file(path, max_bytes=LIMIT).articles
    assert (article.title, article.date) == ("Tram opens", "2025-04-05")


def test_a_table_whose_first_row_names_no_text_column_is_skipped_saying_so(
    tmp_path: Path,
) -> None:
    path = tmp_path / "numbers.csv"
    path.write_text("region,sales\nnorth,12\n", encoding="utf-8")
    found = read_article_file(path, max_bytes=LIMIT)
    assert found.articles == []
    assert found.warnings == [
        "skipped numbers.csv: its first row names no column of article text (it names "
        "'region', 'sales'); the first row must name the columns, one of them `text` (or "
        "`html`, `body`, `content`)"
    ]
    with pytest.raises(BadInput):
        column_names(["", "year"])


def test_bad_rows_are_named_by_their_row_and_the_rest_is_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rows = [["title", "text", "date", "url"],
            ["", TRAM, "", ""],                          # row 2: no title
            ["Tram opens", TRAM, "soon", ""],            # row 3: no date: kept undated
            ["", "", "", ""],                            # row 4: every cell empty
            ["Ferry returns", FERRY, "", "", "extra"],   # row 5: a cell too many
            ["Ferry returns", "x " * 700, "", ""],       # row 6: over the limit
            ["Ferry returns", FERRY, "2025-03-02", ""]]  # fmt: skip
    path = tmp_path / "mixed.csv"
    path.write_text(table(rows), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="index.formats"):
        found = read_article_file(path, max_bytes=1024)
    assert [(a.title, a.date) for a in found.articles] == [
        ("Tram opens", None), ("Ferry returns", "2025-03-02"),
    ]  # fmt: skip
    assert found.origins == ["mixed.csv row 3", "mixed.csv row 7"]
    assert [w.split(": ", 1)[0] for w in found.warnings] == [
        "skipped mixed.csv row 2", "skipped mixed.csv row 4", "skipped mixed.csv row 5",
        "skipped mixed.csv row 6",
    ]  # fmt: skip
    assert "`title` is missing" in found.warnings[0]
    assert "every cell of the row is empty" in found.warnings[1]
    assert "5 cells with text, and the header row names 4 columns" in found.warnings[2]
    assert "the row is larger than the limit of 1,024 bytes" in found.warnings[3]
    assert [r.getMessage() for r in caplog.records if "undated" in r.getMessage()] == [
        "mixed.csv row 3 is indexed undated: `date` 'soon' is not a calendar date (a day, a "
        "month and a year), or its day and month could be either (write it as year-month-day, "
        "e.g. 2024-10-21)"
    ]


def test_an_empty_row_between_rows_is_skipped_saying_so_but_not_blank_or_trailing_ones(
    tmp_path: Path,
) -> None:
    """A row of empty cells between articles may be one whose cells were lost: skipped with a
    reason, as every other row is (it used to be passed over without a word). Blank lines and
    the empty rows a spreadsheet writes after its last row are no records, and stay unsaid."""
    path = tmp_path / "sheet.csv"
    rows = [["title", "text"], ["Tram opens", TRAM],
            ["", ""],                                    # row 3: empty cells
            [],                                          # row 4: a blank line
            ["Ferry returns", FERRY],
            ["", ""], [" "], ["", "", ""]]  # fmt: skip
    path.write_text(table(rows), encoding="utf-8")
    found = read_article_file(path, max_bytes=LIMIT)
    assert [a.title for a in found.articles] == ["Tram opens", "Ferry returns"]
    assert found.warnings == [
        "skipped sheet.csv row 3: every cell of the row is empty: no article to read"
    ]


def test_rows_in_the_windows_code_page_after_64_kib_of_ascii_are_read_as_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An English news dump: plain ASCII as far as the encoding is judged, then a cp1252 row."""
    rows = [["title", "text"]] + [[f"Story {n}", TRAM * 20] for n in range(60)]
    odd = table([["Café reopens", "The café’s owner reopened it."]]).encode("cp1252")
    last = table([["Ferry returns", FERRY]]).encode("utf-8")
    path = tmp_path / "dump.csv"
    path.write_bytes(table(rows).encode("utf-8") + odd + last)
    with caplog.at_level(logging.WARNING, logger="index.archive_records"):
        found = read_article_file(path, max_bytes=LIMIT)
    assert found.warnings == [] and len(found.articles) == 62
    assert found.articles[60].title == "Café reopens"
    assert "café’s owner" in found.articles[60].text
    (said,) = [r.getMessage() for r in caplog.records]
    assert said.startswith("dump.csv is not all UTF-8: 1 row(s) hold bytes that are not, read")


def test_a_row_over_the_limit_is_skipped_alone_whatever_the_csv_modules_limit(
    tmp_path: Path,
) -> None:
    rows = [["title", "text"], ["Before", TRAM], ["Huge", "word " * 1000], ["After", FERRY],
            ["Last", TRAM + " Again."]]  # fmt: skip
    path = tmp_path / "huge.csv"
    path.write_text(table(rows), encoding="utf-8")
    previous = csv.field_size_limit()
    try:
        for cell_limit in (131072, 2000):  # the module's default, and one under the row
            csv.field_size_limit(cell_limit)
            found = read_article_file(path, max_bytes=1024)
            assert [a.title for a in found.articles] == ["Before", "After", "Last"]
            assert found.warnings == [
                "skipped huge.csv row 3: the row is larger than the limit of 1,024 bytes "
                "(setting index.max_document_bytes); if it should not be, a quote in it may be "
                "left open"
            ]
    finally:
        csv.field_size_limit(previous)


def test_a_utf16_table_with_its_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Excel's "Unicode Text": UTF-16 with a mark, tab-separated."""
    rows = [["text", "title"], ["Les cheminots sont en grève depuis lundi.", "Grève"]]
    path = tmp_path / "unicode.tsv"
    path.write_bytes(table(rows, delimiter="\t").encode("utf-16"))
    (article,) = read_article_file(path, max_bytes=LIMIT).articles
    assert (article.title, article.text) == ("Grève", "Les cheminots sont en grève depuis lundi.")


def test_a_quote_left_open_is_named_and_a_malformed_row_skipped_alone(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text(
        "title,text\r\nFirst,The tram opened on Saturday.\r\n"
        'Second,"The ferry "returned" on Monday."\r\n'
        "Third,The ferry sails twice a day.\r\n"
        'Fourth,"Unclosed quote body\r\nFifth,The harbour reopened.\r\n',
        encoding="utf-8",
    )
    found = read_article_file(path, max_bytes=LIMIT)
    assert [a.title for a in found.articles] == ["First", "Third"]
    assert found.warnings[0].startswith("skipped news.csv row 3: not a well-formed row (")
    assert found.warnings[1] == (
        "skipped news.csv row 5 and the rows after it: a quote opened in this row is never "
        "closed, so every row after it was read as one cell: close it, or double a quote inside "
        'a quoted cell ("")'
    )


def test_dates_in_figures_are_read_in_the_order_the_table_shows(tmp_path: Path) -> None:
    rows = [["title", "text", "date"],
            ["Tram opens", TRAM, "12/31/2016"],   # month first, and only so
            ["Ferry returns", FERRY, "03/04/2016"],
            ["Harbour", "The harbour reopened on Monday.", "1483142400"],
            ["Pier", "The pier was mended on Friday.", "20170105"]]  # fmt: skip
    path = tmp_path / "us.csv"
    path.write_text(table(rows), encoding="utf-8")
    found = read_article_file(path, max_bytes=LIMIT)
    assert found.warnings == []
    assert [a.date for a in found.articles] == [
        "2016-12-31", "2016-03-04", "2016-12-31", "2017-01-05",
    ]  # fmt: skip
    both = [rows[0], rows[1], rows[2], ["Pier", "The pier was mended on Friday.", "31/12/2016"]]
    path.write_text(table(both), encoding="utf-8")
    found = read_article_file(path, max_bytes=LIMIT)
    # both orders in one file: the row that could be either is kept, undated
    assert [(a.title, a.date) for a in found.articles] == [
        ("Tram opens", "2016-12-31"), ("Ferry returns", None), ("Pier", "2016-12-31"),
    ]  # fmt: skip
    assert found.warnings == []
    # the order is remembered for the file's content, not its name or size: the same file
    # rewritten to the same length in the other order reads in that order
    european = [rows[0], ["Tram opens", TRAM, "31/12/2016"], rows[2]]
    path.write_text(table([rows[0], rows[1], rows[2]]), encoding="utf-8")
    assert [a.date for a in read_article_file(path, max_bytes=LIMIT).articles][1] == "2016-03-04"
    size = path.stat().st_size
    path.write_text(table(european), encoding="utf-8")
    assert path.stat().st_size == size
    assert [a.date for a in read_article_file(path, max_bytes=LIMIT).articles][1] == "2016-04-03"


def test_the_shapes_datasets_and_spreadsheets_give(tmp_path: Path) -> None:
    # All the News 2.0: the body under "article"; a scraper's table with the page and its text
    (tmp_path / "atn.csv").write_text(table([
        ["date", "year", "author", "title", "article", "url", "section", "publication"],
        ["2016-12-09", "2016", "Ana Berg", "Tram opens", TRAM, "", "city", "City Post"],
    ]), encoding="utf-8")  # fmt: skip
    (tmp_path / "scraped.csv").write_text(table([
        ["url", "title", "html", "text"],
        ["", "Ferry returns", "<html><body><p>Menu</p></body></html>", FERRY],
    ]), encoding="utf-8")  # fmt: skip
    # Excel's first line naming the separator; a table of one column, whose cells hold commas
    (tmp_path / "excel.csv").write_text(
        "sep=;\r\n" + table([["title", "text"], ["Tram opens", TRAM]], delimiter=";"),
        encoding="utf-8",
    )
    (tmp_path / "one.csv").write_text(
        "text\r\n" + table([["The pier, mended at last, opens on Friday."]]), encoding="utf-8"
    )
    atn = read_article_file(tmp_path / "atn.csv", max_bytes=LIMIT).articles[0]
    assert (atn.title, atn.source, atn.text) == ("Tram opens", "City Post", TRAM)
    scraped = read_article_file(tmp_path / "scraped.csv", max_bytes=LIMIT).articles[0]
    assert "twice a day" in scraped.text and "Menu" not in scraped.text
    excel = read_article_file(tmp_path / "excel.csv", max_bytes=LIMIT)
    assert excel.warnings == [] and excel.origins == ["excel.csv row 2"]
    one = read_article_file(tmp_path / "one.csv", max_bytes=LIMIT)
    assert one.warnings == ["skipped one.csv row 2: `title` is missing (only an article given "
                            "as `html` may leave it to the page)"]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "warning"),
    [
        (b"PK\x03\x04" + bytes(range(256)) * 4, "binary content, not a table"),
        (b"title,text\r\n", "it has a header row and no rows under it"),
        (b"\r\n  \r\n", "the file is empty"),
    ],
)
def test_a_table_with_no_rows_to_read_is_skipped_saying_why(
    tmp_path: Path, data: bytes, warning: str
) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    found = read_article_file(path, max_bytes=LIMIT)
    assert found.articles == [] and len(found.warnings) == 1
    assert found.warnings[0].startswith(f"skipped x.csv: {warning}")


def test_the_later_row_with_the_same_address_is_the_article(tmp_path: Path) -> None:
    url = "https://coast.example/ferry"
    rows = [["title", "text", "url"], ["Ferry returns", FERRY, url],
            ["Ferry returns (updated)", FERRY + "\n\nUpdated.", url]]  # fmt: skip
    path = tmp_path / "news.csv"
    path.write_text(table(rows), encoding="utf-8")
    found = read_article_file(path, max_bytes=LIMIT)
    assert [a.title for a in found.articles] == ["Ferry returns (updated)"]
    assert found.warnings[0].startswith("skipped news.csv row 2: row 3 has the same id (ferry-")
    assert found.warnings[0].endswith("with other content, and the later row is kept")


def test_an_unchanged_row_is_reused_even_when_columns_it_does_not_use_change(
    tmp_path: Path,
) -> None:
    path = tmp_path / "news.csv"
    path.write_text(table(news_rows()), encoding="utf-8")
    first = read_article_file(path, max_bytes=LIMIT).articles
    wider = [[*row[:2], "views", *row[2:]] for row in news_rows()]
    for n, row in enumerate(wider[1:]):
        row[2] = str(1000 + n)
    path.write_text(table(wider), encoding="utf-8")
    known = {a.doc_id: a for a in first}
    again = read_article_file(path, max_bytes=LIMIT, known=known).articles
    assert [a is known[a.doc_id] for a in again] == [True, True]


def test_a_table_article_is_found_and_not_deleted_through_the_api(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "news.csv").write_text(table(news_rows()), encoding="utf-8")
    (folder / "tram.txt").write_text("Tram opens\n\n" + TRAM, encoding="utf-8")
    index_dir = tmp_path / "index"
    rebuild_index(folder, index_dir, embedder=HashingEmbedder())
    articles, warnings = read_corpus(folder)
    assert warnings == [] and len(articles) == 3
    ferry = next(a for a in articles if a.title == "Ferry returns")
    assert ferry.doc_id in CorpusIndex.load(current_version(index_dir)).articles
    assert str(archive_origin(folder, ferry.doc_id)) == "news.csv row 2"
    (folder / "more.jsonl").write_text(
        json.dumps({"title": "Ferry returns", "text": FERRY, "url": ferry.url}) + "\n", "utf-8"
    )
    origin = archive_origin(folder, ferry.doc_id)
    assert origin is not None and str(origin) == "more.jsonl line 1; news.csv row 2"
    assert origin.those == "those lines and rows"
    (folder / "more.jsonl").unlink()
    with pytest.raises(Conflict, match=r"archive news\.csv row 2; remove that row and rebuild"):
        delete_article(index_dir, ferry.doc_id, embedder=HashingEmbedder(),
                       index_settings=IndexSettings(build_lock_timeout_s=1),
                       near_duplicate_threshold=None)  # fmt: skip


def test_a_json_array_gives_an_article_an_item_and_names_the_bad_items(tmp_path: Path) -> None:
    items = [
        {"title": "Ferry returns", "text": FERRY, "date": "2025-03-02"},
        {"title": "No body"},
        5,
        {"headline": "Tram opens", "body": TRAM, "published": 1717000000},
    ]
    path = tmp_path / "export.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(items, indent=2).encode("utf-8"))
    found = read_article_file(path, max_bytes=LIMIT)
    assert [a.title for a in found.articles] == ["Ferry returns", "Tram opens"]
    assert found.origins == ["export.json item 1", "export.json item 4"]
    assert found.articles[1].date == "2024-05-29"
    assert found.warnings == [
        "skipped export.json item 2: give the article as exactly one of `text` or `html`",
        "skipped export.json item 3: an item must be a JSON object, not a number",
    ]


def test_a_json_feed_gives_an_article_an_item(tmp_path: Path) -> None:
    """JSON Feed (jsonfeed.org), a site's feed as `.json`: its items' `content_html` or
    `content_text` is the text."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Vester Weekly",
        "items": [
            {"id": "1", "url": "https://vw.example/ferry", "title": "Ferry returns",
             "content_html": f"<p>{FERRY}</p>", "date_published": "2025-03-02T08:00:00Z",
             "authors": [{"name": "Aino Virtanen"}]},
            {"id": "2", "url": "https://vw.example/tram", "title": "Tram opens",
             "content_text": TRAM},
        ],
    }  # fmt: skip
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    found = read_article_file(path, max_bytes=LIMIT)
    assert list(found.warnings) == []
    assert [(a.title, a.text, a.url, a.date, a.author) for a in found.articles] == [
        ("Ferry returns", FERRY, "https://vw.example/ferry", "2025-03-02", "Aino Virtanen"),
        ("Tram opens", TRAM, "https://vw.example/tram", None, None),
    ]


def test_a_news_apis_answer_is_read_from_its_list_of_articles(tmp_path: Path) -> None:
    answer = {
        "status": "ok",
        "totalResults": 1,
        "articles": [{
            "source": {"id": None, "name": "Coast Times"}, "author": "Ana Berg",
            "title": "Ferry returns", "description": "Service is back.",
            "url": "https://coast.example/ferry", "publishedAt": "2025-03-02T10:00:00Z",
            "content": FERRY,
        }],
    }  # fmt: skip
    path = tmp_path / "news.json"
    path.write_text(json.dumps(answer), encoding="utf-8")
    (article,) = read_article_file(path, max_bytes=LIMIT).articles
    assert (article.title, article.source, article.author, article.date, article.url) == (
        "Ferry returns", "Coast Times", "Ana Berg", "2025-03-02", "https://coast.example/ferry",
    )  # fmt: skip
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"title": "Tram opens", "text": TRAM, "tags": [{"a": 1}]}))
    assert [a.title for a in read_article_file(single, max_bytes=LIMIT).articles] == ["Tram opens"]


@pytest.mark.parametrize(
    ("content", "warning"),
    [
        ("  \n", "skipped x.json: the file is empty"),
        ('"hello"', "skipped x.json: the file holds a string, not articles"),
        ('{"meta": {"n": 1}, "tags": ["a"]}', "skipped x.json: no articles: the file holds an "
         "object (with 'meta', 'tags') and no list of objects; give a JSON array of articles, "
         "each with `title` and `text` (or `html`)"),
        ("{nope", "skipped x.json: not valid JSON ("),
    ],
)  # fmt: skip
def test_a_json_file_without_articles_is_skipped_saying_why(
    tmp_path: Path, content: str, warning: str
) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    found = read_article_file(path, max_bytes=LIMIT)
    assert found.articles == [] and len(found.warnings) == 1
    assert found.warnings[0].startswith(warning)


def test_json_broken_part_way_keeps_the_items_before_it(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text(
        json.dumps(
            [{"title": "Tram opens", "text": TRAM}, {"title": "Ferry returns", "text": FERRY}]
        )[:-40],
        encoding="utf-8",
    )
    found = read_article_file(path, max_bytes=LIMIT)
    assert [a.title for a in found.articles] == ["Tram opens"]
    assert found.warnings == [
        "skipped cut.json item 2 and the items after it: not valid JSON (parse error: premature "
        "EOF)"
    ]


def test_a_json_article_is_not_deleted_through_the_api(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    items = [{"title": "Tram opens", "text": TRAM}, {"title": "Ferry returns", "text": FERRY}]
    (folder / "export.json").write_text(json.dumps(items), encoding="utf-8")
    index_dir = tmp_path / "index"
    rebuild_index(folder, index_dir, embedder=HashingEmbedder())
    ferry = next(a for a in read_corpus(folder)[0] if a.title == "Ferry returns")
    with pytest.raises(Conflict, match=r"archive export\.json item 2; remove that item and"):
        delete_article(index_dir, ferry.doc_id, embedder=HashingEmbedder(),
                       index_settings=IndexSettings(build_lock_timeout_s=1),
                       near_duplicate_threshold=None)  # fmt: skip


def test_json_nested_deep_anywhere_costs_little_and_skips_only_its_item(tmp_path: Path) -> None:
    a, b = ({"title": t, "text": TRAM} for t in ("A", "B"))
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "all.json").write_text(deep, encoding="utf-8")
    (tmp_path / "before.json").write_text(
        '{"x": ' + deep + ', "articles": [' + json.dumps(a) + "]}", encoding="utf-8"
    )
    (tmp_path / "item.json").write_text(
        '[{"title": "A", "text": "x", "extra": ' + "[" * 990 + "]" * 990 + "}, "
        + json.dumps(b) + "]",
        encoding="utf-8",
    )  # fmt: skip
    skipped = read_article_file(tmp_path / "all.json", max_bytes=LIMIT)
    assert skipped.warnings == ["skipped all.json item 1: the item is nested deeper than 64 levels"]
    assert [
        x.title for x in read_article_file(tmp_path / "before.json", max_bytes=LIMIT).articles
    ] == ["A"]
    found = read_article_file(tmp_path / "item.json", max_bytes=LIMIT)
    assert [x.title for x in found.articles] == ["B"]
    assert found.warnings == ["skipped item.json item 1: the item is nested deeper than 64 levels"]


def test_a_json_item_over_the_limit_is_skipped_without_being_built(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(
        json.dumps([{"title": "Big", "text": "word " * 1000}, {"title": "B", "text": TRAM}]),
        encoding="utf-8",
    )
    found = read_article_file(path, max_bytes=1024)
    assert [a.title for a in found.articles] == ["B"]
    assert found.warnings == [
        "skipped big.json item 1: the item is larger than the limit of 1,024 bytes (setting "
        "index.max_document_bytes)"
    ]


@pytest.mark.parametrize(
    ("document", "titles"),
    [
        # a list of facets before the articles: the list whose objects hold a text
        ({"facets": [{"name": "x"}], "articles": [{"title": "A", "text": TRAM}]}, ["A"]),
        # a text field of the wrapper itself, without a title: still the list
        ({"content": "news export", "articles": [{"title": "A", "text": TRAM}]}, ["A"]),
        # a few levels down
        ({"data": {"articles": [{"title": "A", "text": TRAM}]}}, ["A"]),
        ({"response": {"docs": [{"headline": "H", "body": TRAM}]}}, ["H"]),
        # one article, with a list of related ones inside it
        ({"title": "Main", "text": FERRY, "related": [{"title": "A", "text": TRAM}]}, ["Main"]),
    ],
)  # fmt: skip
def test_the_list_of_articles_is_found_in_an_apis_answer(
    tmp_path: Path, document: dict[str, object], titles: list[str]
) -> None:
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    found = read_article_file(path, max_bytes=LIMIT)
    assert found.warnings == [] and [a.title for a in found.articles] == titles


def test_json_lines_saved_as_json_and_the_errors_json_readers_meet(tmp_path: Path) -> None:
    a, b = ({"title": t, "text": TRAM} for t in ("A", "B"))
    (tmp_path / "lines.json").write_text(f"{json.dumps(a)}\n{json.dumps(b)}\n", encoding="utf-8")
    (tmp_path / "broken.json").write_text(
        "[" + json.dumps(a)[:-1] + ', "author": undefined}]', encoding="utf-8"
    )
    (tmp_path / "utf16.json").write_bytes(json.dumps([a]).encode("utf-16"))
    (tmp_path / "empty.json").write_text("[]", encoding="utf-8")
    lines = read_article_file(tmp_path / "lines.json", max_bytes=LIMIT)
    assert [x.title for x in lines.articles] == ["A", "B"]
    assert lines.origins == ["lines.json item 1", "lines.json item 2"]
    (broken,) = read_article_file(tmp_path / "broken.json", max_bytes=LIMIT).warnings
    assert broken.startswith(
        "skipped broken.json item 1 and the items after it: not valid JSON (lexical error"
    )
    assert read_article_file(tmp_path / "utf16.json", max_bytes=LIMIT).warnings == [
        "skipped utf16.json: UTF-16 text: a .json file is read as UTF-8 (save it as UTF-8)"
    ]
    assert read_article_file(tmp_path / "empty.json", max_bytes=LIMIT).warnings == [
        "skipped empty.json: its list of articles is empty"
    ]


def test_a_tsv_written_without_quoting_keeps_its_quotation_marks(tmp_path: Path) -> None:
    """A database's COPY or a join on tabs: a cell that opens with a quotation mark is text."""
    path = tmp_path / "copy.tsv"
    path.write_text(
        'title\ttext\n"Strike" ends\tThe strike ended on Monday.\n'
        'Minister\t"We will win," the minister said as the talks began.\n'
        "Ferry\tThe ferry sails twice a day.\n",
        encoding="utf-8",
    )
    found = read_article_file(path, max_bytes=LIMIT)
    assert found.warnings == []
    assert [a.title for a in found.articles] == ['"Strike" ends', "Minister", "Ferry"]
    assert found.articles[1].text.startswith('"We will win," the minister said')
    quoted = tmp_path / "pandas.tsv"  # a csv writer's quoting: a cell over two lines
    quoted.write_text('title\ttext\nA\t"He said ""yes"" and\nleft."\nB\tThe pier.\n', "utf-8")
    read = read_article_file(quoted, max_bytes=LIMIT)
    assert [a.text for a in read.articles] == ['He said "yes" and left.', "The pier."]


def test_a_row_over_the_limit_with_a_quote_in_its_text_ends_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "screen.csv"
    rows = 'title,text\nA,The tram opened.\nB,a 5" screen ' + "z" * 3000 + "\nC,The ferry sails.\n"
    path.write_text(rows, encoding="utf-8")
    found = read_article_file(path, max_bytes=1024)
    assert [a.title for a in found.articles] == ["A", "C"]
    assert found.warnings[0].startswith("skipped screen.csv row 3: the row is larger than")


def test_a_quote_closed_rows_later_is_said_with_the_lines_it_took(tmp_path: Path) -> None:
    path = tmp_path / "later.csv"
    path.write_text(
        'title,text\nA,The tram opened.\nB,"text opened\nC,The ferry sails.\nD,"closed here",\n'
        "E,The pier opened.\n",
        encoding="utf-8",
    )
    found = read_article_file(path, max_bytes=LIMIT)
    assert [a.title for a in found.articles] == ["A", "E"]
    assert "it runs over 3 lines, the rows a quote opened in it took in" in found.warnings[0]


def test_dates_with_a_time_of_day_take_the_tables_order_too(tmp_path: Path) -> None:
    path = tmp_path / "eu.csv"
    path.write_text(
        "title,text,date\nA,The tram opened.,31/12/2016 10:30\nB,The ferry sails.,03/04/2016 "
        "09:15\nC,The pier.,03/04/2016\n\n,\n",
        encoding="utf-8",
    )
    found = read_article_file(path, max_bytes=LIMIT)
    assert found.warnings == []
    assert [a.date for a in found.articles] == ["2016-12-31", "2016-04-03", "2016-04-03"]
    (tmp_path / "blank.csv").write_text("title,text\n\n,\n\n", encoding="utf-8")
    assert read_article_file(tmp_path / "blank.csv", max_bytes=LIMIT).warnings == [
        "skipped blank.csv: it has a header row and no rows under it"
    ]


def test_a_first_row_longer_than_the_sniffed_opening_is_read_whole(tmp_path: Path) -> None:
    """The opening read to judge a .tsv's quoting must not cut a long line in two."""
    long_text = "The ferry sails twice a day. " * 4000  # about 116,000 characters on one line
    path = tmp_path / "long.tsv"
    path.write_text(f"title\ttext\nFerry\t{long_text}\nTram\t{TRAM}\n", encoding="utf-8")
    found = read_article_file(path, max_bytes=LIMIT)
    assert found.warnings == [] and [a.title for a in found.articles] == ["Ferry", "Tram"]


def test_a_row_broken_on_its_first_line_takes_its_quoted_lines_with_it(tmp_path: Path) -> None:
    """No article is made of the rest of a malformed row (here with another row's address)."""
    path = tmp_path / "broken.csv"
    path.write_text(
        'title,text,url\nA,"He said "yes" and left.\nLater, officials confirmed it.",'
        "https://x.example/a\nB,The ferry sails twice a day.,https://x.example/b\n",
        encoding="utf-8",
    )
    found = read_article_file(path, max_bytes=LIMIT)
    assert [(a.title, a.url) for a in found.articles] == [("B", "https://x.example/b")]
    assert found.origins == ["broken.csv row 3"]
    assert "it runs over 2 lines" in found.warnings[0]


@pytest.mark.parametrize(
    ("content", "titles", "warnings"),
    [
        # a top-level array, then objects: every value is read or named
        ('[{"title": "A", "text": "x y"}]\n{"title": "B", "text": "x y z"}\n', ["A", "B"], []),
        # the first line is not an article; the others are
        ('null\n{"title": "A", "text": "x y"}\n', ["A"], [" item 1: an item must be a JSON "
                                                           "object, not null"]),
        # the list's first item is not an object
        ('{"articles": [[1], {"title": "A", "text": "x y"}]}', ["A"],
         [" item 1: an item must be a JSON object, not an array"]),
        # field names in another case, as a table's header may have them
        ('{"Articles": [{"Title": "A", "Text": "x y"}]}', ["A"], []),
        # an id over 2^63, and a number with a huge exponent, are numbers
        ('[{"id": 18446744073709551615, "title": "A", "text": "x y", "score": 1e400}]', ["A"], []),
        ('{"n": 1' + "0" * 4400 + ', "articles": [{"title": "A", "text": "x y"}]}', [],
         [": not valid JSON (a number of more than 4,300 digits, more than a JSON reader takes)"]),
    ],
)  # fmt: skip
def test_json_shapes_a_third_review_found(
    tmp_path: Path, content: str, titles: list[str], warnings: list[str]
) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    found = read_article_file(path, max_bytes=LIMIT)
    assert [a.title for a in found.articles] == titles
    assert [w.removeprefix("skipped x.json") for w in found.warnings] == warnings


def test_utf16_without_its_mark_reads_and_a_binary_file_is_said(tmp_path: Path) -> None:
    (tmp_path / "u.csv").write_bytes(
        b"title,text\nA,The tram opened.\n".decode().encode("utf-16-le")
    )
    (tmp_path / "b.csv").write_bytes(b"title,text\n" + bytes(range(256)) * 8)
    (tmp_path / "odd.tsv").write_bytes(f"title\ttext\nA\t{TRAM}\n".encode("utf-16") + b"B")
    assert [a.text for a in read_article_file(tmp_path / "u.csv", max_bytes=LIMIT).articles] == [
        "The tram opened."
    ]
    assert (
        read_article_file(tmp_path / "b.csv", max_bytes=LIMIT)
        .warnings[0]
        .startswith("skipped b.csv: binary content, not a table")
    )
    assert read_article_file(tmp_path / "odd.tsv", max_bytes=LIMIT).warnings == [
        "skipped odd.tsv: its first rows cannot be read (not utf-16 text: save the file as "
        "UTF-8 and rebuild)"
    ]


def test_a_row_over_the_limit_in_the_opening_a_tsv_was_judged_by_is_skipped_alone(
    tmp_path: Path,
) -> None:
    """The lines read ahead to judge a .tsv's quoting are where the skipping reads on from."""
    path = tmp_path / "quoted.tsv"
    path.write_text(
        'title\ttext\nA\t"He said ""yes"" and left."\nB\t' + "z" * 3000 + "\nC\tThe pier.\n"
        "D\tThe ferry sails.\n",
        encoding="utf-8",
    )
    found = read_article_file(path, max_bytes=1024)
    assert [a.title for a in found.articles] == ["A", "C", "D"]
    assert found.origins == ["quoted.tsv row 2", "quoted.tsv row 4", "quoted.tsv row 5"]
    assert [w.split(":")[0] for w in found.warnings] == ["skipped quoted.tsv row 3"]


def test_nan_and_infinity_that_pythons_json_writes_read_as_absent(tmp_path: Path) -> None:
    """A pandas table's missing cells are NaN; `json.dump` of its records writes them as the
    bare words NaN and Infinity, which JSON has no word for. They read as null, in a .json
    export as in a .jsonl one, and the articles after them are read too."""
    nan, inf = float("nan"), float("inf")
    records = [
        {"title": "Ferry returns", "text": FERRY, "date": nan, "author": nan, "url": nan},
        {"title": nan, "text": TRAM, "source": -inf},
        {"title": "Tram opens", "text": f"{TRAM} NaN, Infinity", "source": inf, "date": DAY},
    ]
    (tmp_path / "frame.json").write_text(json.dumps({"articles": records}), encoding="utf-8")
    (tmp_path / "frame.jsonl").write_text(
        "".join(json.dumps(r | {"title": f"L {r['title']}"}) + "\n" for r in records[::2]),
        encoding="utf-8",
    )
    found = read_article_file(tmp_path / "frame.json", max_bytes=LIMIT)
    assert found.warnings == [
        "skipped frame.json item 2: `title` is missing (only an article given as `html` may "
        "leave it to the page)"
    ]
    ferry, tram = found.articles
    assert ferry.title == "Ferry returns"
    assert (ferry.date, ferry.author, ferry.source, ferry.url) == (None, None, None, None)
    assert (tram.title, tram.source, tram.date) == ("Tram opens", None, DAY)
    assert tram.text.endswith("NaN, Infinity")  # inside a string, the words stay
    lines = read_article_file(tmp_path / "frame.jsonl", max_bytes=LIMIT)
    assert lines.warnings == []
    assert [(x.title, x.date, x.source) for x in lines.articles] == [
        ("L Ferry returns", None, None),
        ("L Tram opens", DAY, None),
    ]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 64])
def test_non_finite_constants_become_null_at_any_read_size(chunk: int) -> None:
    """ijson reads the file in chunks of its own size: a constant, an escape or a string's end
    split between two reads reads as it does whole."""
    from index.json_exports import _NonFinite

    document = (
        '[{"a": NaN, "b": "NaN \\"Infinity\\" \\\\", "c": -Infinity, "d": [Infinity, -1.5e-3]},'
        ' {"e": "\\\\", "f": NaN}, "-Infinity", -2, NaN]'
    )
    expected = json.loads(document, parse_constant=lambda _: None)

    class Slow(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            return super().read(chunk if size is None or size < 0 else min(size, chunk))

    stream = _NonFinite(Slow(document.encode("utf-8")))
    read = b"".join(iter(lambda: stream.read(4), b""))
    assert json.loads(read) == expected


def test_a_file_of_many_bad_records_names_twenty_and_counts_the_rest(tmp_path: Path) -> None:
    """A broken export is not a warning a row: memory, the log and the document API's answer
    stay small, and the build still says how many were skipped."""
    from index.skips import LISTED_SKIPS

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = [["title", "date", "text"], ["Tram opens", DAY, TRAM]]
    rows += [["", DAY, f"{FERRY} {n}"] for n in range(LISTED_SKIPS + 30)]
    (corpus / "news.csv").write_text(table(rows), encoding="utf-8")
    (corpus / "other.jsonl").write_text('{"title": "A"}\n', encoding="utf-8")
    found = read_article_file(corpus / "news.csv", max_bytes=LIMIT)
    assert [a.title for a in found.articles] == ["Tram opens"]
    assert len(found.warnings) == LISTED_SKIPS + 1 and found.warnings.counted == 29
    assert found.warnings[0].startswith("skipped news.csv row 3: `title` is missing")
    assert found.warnings[-1].startswith("skipped 30 more part(s) of news.csv, for reasons like")
    report = rebuild_index(corpus, tmp_path / "index", embedder=HashingEmbedder())
    assert report.skipped == LISTED_SKIPS + 30 + 1  # and other.jsonl's one line, named
    assert len(report.warnings) == LISTED_SKIPS + 2
    assert report.warnings[-1].startswith("skipped other.jsonl line 1: ")


def test_a_second_list_of_articles_is_named_as_not_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "two.json"
    first, second = [{"title": "A", "text": TRAM}], [{"title": "B", "text": FERRY}]
    path.write_text(
        json.dumps({"status": "ok", "articles": first, "meta": {"more": second}}), encoding="utf-8"
    )
    with caplog.at_level(logging.WARNING):
        found = read_article_file(path, max_bytes=LIMIT)
    assert [a.title for a in found.articles] == ["A"] and found.warnings == []
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert said == [
        "two.json: the articles are read from the list under 'articles'; the list(s) under "
        "'meta.more' hold articles too and are not read (put them in one list, or in a file of "
        "their own)"
    ]


def test_a_files_share_of_named_skips_counts_across_merges() -> None:
    from index.skips import LISTED_SKIPS, Skips

    first = Skips()
    for n in range(LISTED_SKIPS - 1):
        first.skip("a.csv", f"skipped a.csv row {n}")
    first.close()
    corpus = Skips()
    corpus.merge(first)
    for n in range(3):  # its ids repeated by a later file: the file's share is nearly spent
        corpus.skip("a.csv", f"skipped a.csv row {n}: its id is already used")
    corpus.skip("b.csv", "skipped b.csv row 2")
    corpus.close()
    assert len(corpus) == LISTED_SKIPS + 2 and corpus.counted == 1
    assert corpus[-1].startswith("skipped 2 more part(s) of a.csv")


def test_records_kept_undated_are_named_twenty_and_counted_past_that(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An export whose every date is unreadable keeps its articles, undated, and its warnings
    are as few as a broken export's skips."""
    from index.skips import LISTED_SKIPS

    rows = [["title", "date", "text"]]
    rows += [[f"Story {n}", "soon", f"{FERRY} {n}"] for n in range(LISTED_SKIPS + 5)]
    (tmp_path / "news.csv").write_text(table(rows), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="index.formats"):
        found = read_article_file(tmp_path / "news.csv", max_bytes=LIMIT)
    assert len(found.articles) == LISTED_SKIPS + 5 and found.warnings == []
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == LISTED_SKIPS + 1
    assert said[0].startswith("news.csv row 2 is indexed undated: `date` 'soon'")
    assert said[-1].startswith("5 more rows of news.csv are indexed undated")
