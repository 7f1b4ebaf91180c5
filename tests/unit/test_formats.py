"""Reading every kind of article file (index/formats.py, index/corpus.py) and building from a
folder that mixes them: pages, gzipped pages, archives with bad lines, limits, deletions."""

from __future__ import annotations

import gzip
import hashlib
import json
import unicodedata
from pathlib import Path

import pytest

import index.formats
from index.builder import rebuild_index
from index.corpus import read_corpus
from index.documents import add_article, delete_article
from index.file_kinds import SUFFIXES, doc_id_of, is_renamed, suffix_of
from index.formats import read_article_file
from index.store import CorpusIndex
from index.versions import current_version
from qa.errors import Conflict
from qa.models import Article, Paragraph
from qa.settings import IndexSettings
from tests.fakes import HashingEmbedder
from tests.pages import FURNITURE, news_page

pytestmark = pytest.mark.unit

HARBOUR = [
    "The harbour of Skarra reopened on Monday after a week of storms had kept every boat in "
    "port, harbour master Ilse Brandt said.",
    "Repair crews replaced forty metres of the eastern breakwater, which the waves had torn "
    "open on Tuesday night.",
]
ORCHARD = [
    "A late frost destroyed about 3,000 tonnes of apples in the Brenna valley last week, the "
    "growers' association said on Thursday.",
    "Growers asked the regional council for emergency loans to pay their seasonal workers.",
]
TRAM = "Oakhaven opens tram line\n\nThe city of Oakhaven opened its first tram line on Sunday.\n"


def harbour_page() -> str:
    return news_page(title="Skarra harbour reopens", paragraphs=HARBOUR, date="2023-05-02",
                     site="Coast Times", url="https://coast.example/skarra")  # fmt: skip


def orchard_page() -> str:
    return news_page(title="Frost hits orchards", paragraphs=ORCHARD, date="2023-04-20",
                     site="Valley News", author="Jon Holm")  # fmt: skip


def archive_lines() -> list[str]:
    return [
        json.dumps({"title": "Library opens by the port", "url": "https://t.example/library",
                    "text": "The town council opened a library beside the port on Friday."}),
        '{"title": "Broken line", "text": ',
        "",
        json.dumps({"html": news_page(title="Museum reopens", paragraphs=[
            "The Lindqvist museum of maritime history reopened its doors on Saturday after "
            "two years of repairs, its director said."])}),
        json.dumps({"title": "No body here"}),
        json.dumps({"title": "Library opens by the port", "url": "https://t.example/library",
                    "text": "The same address again, updated: it opened on Tuesday."}),
    ]  # fmt: skip


def mixed_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tram.txt").write_text(TRAM, encoding="utf-8")
    (folder / "harbour.html").write_text(harbour_page(), encoding="utf-8")
    (folder / "orchard.html.gz").write_bytes(gzip.compress(orchard_page().encode("utf-8")))
    (folder / "archive.jsonl").write_text("\n".join(archive_lines()) + "\n", encoding="utf-8")
    return folder


def test_suffixes_and_ids() -> None:
    assert [suffix_of(Path(n)) for n in ("a.txt", "a.HTML", "a.htm", "a.html.gz", "a.jsonl",
                                         "a.md", "a.Markdown", ".md", ".html", "a.gz")] == [
        ".txt", ".html", ".htm", ".html.gz", ".jsonl", ".md", ".markdown",
        None, None, None]  # fmt: skip
    assert doc_id_of(Path("2024-10-21.harbour.html.gz")) == "2024-10-21.harbour"


def test_a_mixed_folder_reads_every_kind_and_names_each_bad_line(tmp_path: Path) -> None:
    articles, warnings = read_corpus(mixed_folder(tmp_path))
    by_id = {a.doc_id: a for a in articles}
    assert {"tram", "harbour", "orchard"} <= set(by_id)
    assert len(articles) == 5  # tram, two pages, two good archive lines
    harbour = by_id["harbour"]
    assert (harbour.title, harbour.source, harbour.date, harbour.url) == (
        "Skarra harbour reopens",
        "Coast Times",
        "2023-05-02",
        "https://coast.example/skarra",
    )
    assert harbour.text == "\n\n".join(HARBOUR)
    assert by_id["orchard"].author == "Jon Holm"
    assert by_id["orchard"].text == "\n\n".join(ORCHARD)
    library = next(a for a in articles if a.title == "Library opens by the port")
    assert library.doc_id.startswith("library-") and library.url == "https://t.example/library"
    # the later line with the same address is the article: an update appended to the export
    assert library.text == "The same address again, updated: it opened on Tuesday."
    assert any(a.title == "Museum reopens" for a in articles)
    for article in articles:
        for piece in FURNITURE:
            assert piece.casefold() not in article.text.casefold(), (article.doc_id, piece)
    assert len(warnings) == 3
    assert warnings[0].startswith("skipped archive.jsonl line 2: not valid JSON")
    assert warnings[1].startswith("skipped archive.jsonl line 5: ")
    assert "exactly one of `text` or `html`" in warnings[1]
    assert warnings[2].startswith(
        "skipped archive.jsonl line 1: line 6 has the same id (library-"
    ) and warnings[2].endswith("with other content, and the later line is kept")


def test_a_later_line_that_gives_no_article_leaves_the_earlier_one(tmp_path: Path) -> None:
    good = json.dumps({"title": "Ferry", "url": "https://t.example/ferry", "text": "It ran."})
    empty = json.dumps({"url": "https://t.example/ferry", "html": "<nav>Home</nav>"})
    (tmp_path / "a.jsonl").write_text(f"{good}\n{empty}\n", encoding="utf-8")
    articles, warnings = read_corpus(tmp_path)
    assert [a.text for a in articles] == ["It ran."]
    assert len(warnings) == 1 and warnings[0].startswith("skipped a.jsonl line 2: ")


def test_an_archive_line_repeated_as_it_was_is_skipped(tmp_path: Path) -> None:
    line = json.dumps({"title": "Ferry", "url": "https://t.example/ferry", "text": "It ran."})
    (tmp_path / "a.jsonl").write_text(f"{line}\n{line}\n", encoding="utf-8")
    articles, warnings = read_corpus(tmp_path)
    assert [a.text for a in articles] == ["It ran."]
    assert len(warnings) == 1 and warnings[0].startswith(
        "skipped a.jsonl line 1: the same article as line 2 (id ferry-"
    )


def test_archive_ids_are_stable_across_reads(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path)
    first = [a.doc_id for a in read_corpus(folder)[0]]
    (folder / "archive.jsonl").rename(folder / "renamed.jsonl")
    assert sorted(a.doc_id for a in read_corpus(folder)[0]) == sorted(first)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.html", b"", "the page is empty"),
        ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 3, "binary"),
        ("menu.htm", b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
         "no article text"),
        ("broken.html.gz", b"\x1f\x8b\x08 not really gzip", "not a valid gzip file"),
        ("big.html", b"<p>" + b"word " * 400 + b"</p>", "larger than the limit of 1,024 bytes"),
        ("bomb.html.gz", gzip.compress(b"<p>" + b" " * 100_000 + b"</p>"),
         "the page, uncompressed, is larger than the limit"),
        ("big.txt", b"Title\n\n" + b"word " * 400, "larger than the limit"),
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b" \n\n \n", "the file is empty"),
        ("blob.txt", b"\x00\x01\x02PK\x03\x04 data\x00", "binary content"),
        ("noise.txt", bytes(range(128, 256)) * 8, "neither UTF-8 nor any other encoding"),
        ("marks.txt", b"!!! ??? ...\n\n--- *** ---", "no words in the article text"),
        ("plain.html", b"The council met on Tuesday. " * 5, "no HTML tags in it"),
    ],
)  # fmt: skip
def test_a_bad_file_is_skipped_with_its_reason(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(data)
    found = read_article_file(tmp_path / name, max_bytes=1024)
    assert found.articles == []
    assert len(found.warnings) == 1
    assert found.warnings[0].startswith(f"skipped {name}: ")
    assert message in found.warnings[0]


WINDOWS_TEXT = (
    "Harbour reopens after storm\n\n\u201cWe are delighted,\u201d said Jos\u00e9 Mart\u00ednez, "
    "who runs the caf\u00e9 by the quay, after repairs costing \u00a32.4m.\n"
)


@pytest.mark.parametrize(
    ("encoding", "warned"),
    [("cp1252", True), ("utf-16", False), ("utf-8-sig", False), ("utf-8", False)],
)
def test_a_text_file_in_another_encoding_is_read_and_a_guessed_one_is_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, encoding: str, warned: bool
) -> None:
    path = tmp_path / "harbour.txt"
    path.write_bytes(WINDOWS_TEXT.encode(encoding))
    with caplog.at_level("WARNING", logger="index.formats"):
        found = read_article_file(path, max_bytes=10_000)
    assert found.warnings == []
    (article,) = found.articles
    assert article.title == "Harbour reopens after storm"
    assert article.text.startswith("\u201cWe are delighted,\u201d said Jos\u00e9 Mart\u00ednez")
    # the hash is the file's, so an unchanged file is not read again on the next build
    assert article.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    notes = [r.getMessage() for r in caplog.records]
    assert notes == (
        ["harbour.txt is not UTF-8: read as cp1252, the likeliest encoding; if its letters look "
         "wrong in the answers, save it as UTF-8 and rebuild"] if warned else []
    )  # fmt: skip


def test_a_utf8_file_with_bytes_of_another_encoding_is_read_and_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bergen.txt"
    head = "Bergen market reopens\n\nBergen\u2019s fish market reopened on Thursday.\n\n"
    pasted = "S\u00f8ren \u00d8deg\u00e5rd said 31 stalls had returned.\n"
    path.write_bytes(b"\xef\xbb\xbf" + head.encode("utf-8") + pasted.encode("cp1252"))
    with caplog.at_level("WARNING", logger="index.formats"):
        (article,) = read_article_file(path, max_bytes=10_000).articles
    assert "S\u00f8ren \u00d8deg\u00e5rd said" in article.text
    assert [r.getMessage() for r in caplog.records] == [
        "bergen.txt is not all UTF-8: read as UTF-8, with 3 byte(s) that are not UTF-8 read as "
        "cp1252; if its letters look wrong in the answers, save it as UTF-8 and rebuild"
    ]


C1_WARNING = (
    "{name}: 3 C1 control character(s) (U+0080-U+009F) were read as the Windows-1252 "
    "characters of their bytes (\u2019 \u201c \u201d): the text was decoded as Latin-1 "
    "(ISO-8859-1) though it was Windows-1252; decode it as Windows-1252 (cp1252)"
)


def test_files_saved_from_windows_1252_read_as_latin1_are_repaired_and_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A .txt file and a page written as UTF-8 after Windows-1252 bytes were decoded as Latin-1
    hold C1 controls: their characters are read as Windows-1252 and a warning names the file."""
    said = "The port\u2019s director said \u201cthe ferries will sail again on Monday\u201d."
    garbled = said.encode("cp1252").decode("latin-1")
    (tmp_path / "port.txt").write_text(f"Port reopens\n\n{garbled}\n", encoding="utf-8")
    html = news_page(title="Harbour reopens", paragraphs=[*HARBOUR, said],
                     charset="windows-1252")  # fmt: skip
    page = html.encode("cp1252").decode("latin-1").encode("utf-8")  # its declaration kept
    (tmp_path / "harbour.html").write_bytes(page)
    with caplog.at_level("WARNING", logger="index.formats"):
        text = read_article_file(tmp_path / "port.txt", max_bytes=10_000).articles[0]
        html_article = read_article_file(tmp_path / "harbour.html", max_bytes=100_000).articles[0]
    assert text.text == said
    assert html_article.text.split("\n\n")[-1] == said
    assert [r.getMessage() for r in caplog.records] == [
        C1_WARNING.format(name="port.txt"),
        C1_WARNING.format(name="harbour.html"),
    ]


def test_a_file_of_another_kind_is_named_in_the_warnings_not_left_out_silently(
    tmp_path: Path,
) -> None:
    (tmp_path / "ferry.txt").write_text("Ferry returns\n\nThe ferry ran on Monday.", "utf-8")
    for name in ("export.odt", "batch.zip", "notes.pages"):
        (tmp_path / name).write_bytes(b"{}")
    (tmp_path / ".DS_Store").write_bytes(b"x")  # hidden: not an article anyone put there
    (tmp_path / "sub").mkdir()
    articles, warnings = read_corpus(tmp_path)
    assert [a.doc_id for a in articles] == ["ferry"]
    assert [w.split(":")[0] for w in warnings] == [
        "skipped batch.zip",
        "skipped export.odt",
        "skipped notes.pages",
    ]
    readable = ".txt, .md, .markdown, .html.gz, .html, .htm, .mhtml, .mht, .webarchive, .jsonl"
    assert f"not a kind of file the index reads ({readable}, " in warnings[0]
    assert all(suffix in warnings[0] for suffix in SUFFIXES)


def test_a_line_over_the_limit_is_skipped_and_the_next_one_read(tmp_path: Path) -> None:
    good = json.dumps({"title": "Short", "text": "The ferry runs twice a day from Monday on."})
    long = json.dumps({"title": "Long", "text": "word " * 500})
    (tmp_path / "a.jsonl").write_text(f"{long}\n{good}\n", encoding="utf-8")
    found = read_article_file(tmp_path / "a.jsonl", max_bytes=1024)
    assert [a.title for a in found.articles] == ["Short"]
    assert found.warnings == [
        "skipped a.jsonl line 1: the line is larger than the limit of 1,024 bytes "
        "(setting index.max_document_bytes)"
    ]


def test_an_id_given_twice_keeps_the_first(tmp_path: Path) -> None:
    (tmp_path / "harbour.html").write_text(harbour_page(), encoding="utf-8")
    (tmp_path / "harbour.txt").write_text(TRAM, encoding="utf-8")
    articles, warnings = read_corpus(tmp_path)
    assert [(a.doc_id, a.source) for a in articles] == [("harbour", "Coast Times")]
    assert warnings == ["skipped harbour.txt: its id 'harbour' is already used by harbour.html"]


def test_unchanged_pages_and_lines_are_not_extracted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = mixed_folder(tmp_path)
    known = {a.doc_id: a for a in read_corpus(folder)[0]}

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("extracted again")

    monkeypatch.setattr(index.formats, "article_from_page", refuse)
    monkeypatch.setattr(index.formats, "article_from_record", refuse)
    again, _ = read_corpus(folder, known=known)
    assert [a.doc_id for a in again] == list(known)
    assert all(a is known[a.doc_id] for a in again)


# --- builds ---------------------------------------------------------------------------------


def test_a_bad_archive_line_loses_nothing_already_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "tram.txt").write_text(TRAM, encoding="utf-8")
    (folder / "harbour.html").write_text(harbour_page(), encoding="utf-8")
    index_dir = tmp_path / "index"
    rebuild_index(folder, index_dir, embedder=HashingEmbedder())

    (folder / "archive.jsonl").write_text("\n".join(archive_lines()) + "\n", encoding="utf-8")
    report = rebuild_index(folder, index_dir, embedder=HashingEmbedder())

    assert report.skipped == 3 and len(report.warnings) == 3
    assert len(report.added) == 2 and report.removed == []
    after = CorpusIndex.load(current_version(index_dir))
    assert {"tram", "harbour"} <= set(after.articles) and len(after.articles) == 4
    cited = next(p for p in after.paragraphs if p.doc_id == "harbour")
    assert (cited.title, cited.date, cited.url) == (
        "Skarra harbour reopens",
        "2023-05-02",
        "https://coast.example/skarra",
    )


def test_pages_are_added_and_deleted_as_html_files_and_archive_articles_are_not_deleted(
    tmp_path: Path,
) -> None:
    folder = mixed_folder(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    rebuild_index(folder, index_dir, embedder=HashingEmbedder())
    settings = IndexSettings(build_lock_timeout_s=1)
    page = b"\xef\xbb\xbf" + news_page(title="Ferry returns", paragraphs=[
        "The ferry to Skarra island resumed service on Monday after a week of storms, the "
        "operator said."], site="Coast Times").encode("utf-8")  # fmt: skip

    report = add_article(index_dir, "ferry", page, embedder=HashingEmbedder(),
                         index_settings=settings, near_duplicate_threshold=None,
                         suffix=".html")  # fmt: skip

    assert report.added == ["ferry"] and report.skipped == 3
    assert (folder / "ferry.html").read_bytes() == page
    assert CorpusIndex.load(current_version(index_dir)).articles["ferry"].source == "Coast Times"
    library = next(a for a in read_corpus(folder)[0] if a.title == "Library opens by the port")
    with pytest.raises(Conflict, match="exists"):
        add_article(index_dir, library.doc_id, "x", embedder=HashingEmbedder(),
                    index_settings=settings, near_duplicate_threshold=None)  # fmt: skip
    (folder / "older.jsonl").write_text(archive_lines()[0] + "\n", encoding="utf-8")
    with pytest.raises(
        Conflict, match=r"archive archive\.jsonl lines 1 and 6; older\.jsonl line 1; remove those"
    ):
        delete_article(index_dir, library.doc_id, embedder=HashingEmbedder(),
                       index_settings=settings, near_duplicate_threshold=None)  # fmt: skip

    delete_article(index_dir, "ferry", embedder=HashingEmbedder(), index_settings=settings,
                   near_duplicate_threshold=None)  # fmt: skip
    assert not (folder / "ferry.html").exists()
    assert "ferry" not in CorpusIndex.load(current_version(index_dir)).articles


def test_rows_written_before_authors_and_addresses_existed_still_load() -> None:
    article = Article.model_validate(
        {"doc_id": "a", "title": None, "source": None, "date": None, "text": "T.",
         "content_hash": "h"}
    )  # fmt: skip
    paragraph = Paragraph.model_validate(
        {"paragraph_id": "a:1", "doc_id": "a", "index": 0, "start": 0, "end": 2, "text": "T.",
         "title": "T.", "source": None, "date": None}
    )  # fmt: skip
    assert (article.author, article.url, paragraph.author, paragraph.url) == (None,) * 4


def test_an_archive_written_with_a_byte_order_mark_keeps_its_first_line(tmp_path: Path) -> None:
    lines = [json.dumps({"title": "Tram opens", "text": TRAM}), archive_lines()[0]]
    data = "\ufeff" + "\r\n".join(lines) + "\r\n"  # as Windows tools write it
    (tmp_path / "export.jsonl").write_bytes(data.encode("utf-8"))
    found = read_article_file(tmp_path / "export.jsonl", max_bytes=100_000)
    assert found.warnings == []
    assert [a.title for a in found.articles] == ["Tram opens", "Library opens by the port"]


def test_an_archives_records_of_one_story_from_tracked_links_are_one_article(
    tmp_path: Path,
) -> None:
    """A scraper's or a newsletter tool's export holds the story under the links it came from:
    its address without the tracking parameters is the article's, and so its id."""
    story = "https://coast.example/news/tram-opens"
    lines = [
        {"title": "Tram opens", "url": f"{story}?utm_source=newsletter&utm_medium=email",
         "text": TRAM},
        {"title": "Tram opens", "url": f"{story}?fbclid=IwAR0abc",
         "text": TRAM + "\nIt runs every ten minutes."},
    ]  # fmt: skip
    (tmp_path / "export.jsonl").write_text("\n".join(map(json.dumps, lines)), encoding="utf-8")
    (tmp_path / "plain.jsonl").write_text(
        json.dumps({"title": "Tram opens", "url": story, "text": TRAM}), encoding="utf-8"
    )
    found = read_article_file(tmp_path / "export.jsonl", max_bytes=100_000)
    (article,) = found.articles
    assert article.url == story and article.text.endswith("It runs every ten minutes.")
    assert found.warnings[0].startswith("skipped export.jsonl line 1: line 2 has the same id")
    plain = read_article_file(tmp_path / "plain.jsonl", max_bytes=100_000)
    assert plain.articles[0].doc_id == article.doc_id  # the id of the address itself


@pytest.mark.parametrize(
    ("name", "made"),
    [
        ("Skarra harbour reopens - Coast Times.html", "Skarra-harbour-reopens-Coast-Times"),
        ("harbour (1).html", "harbour-1"),
        ("café-news.html.gz", "cafe-news"),
        ("_draft_.txt", "draft"),
        ("Łódź fire – Evening Post.html", "Lodz-fire-Evening-Post"),
        ("Sønderborg harbour (1).html", "Sonderborg-harbour-1"),
        ("Ærø Straße Þór.htm", "AEro-Strasse-THor"),
        (
            "Новости 2024 - Сайт.html",
            "2024-" + hashlib.sha256("Новости 2024 - Сайт".encode()).hexdigest()[:8],
        ),
        ("Гавань.html", "article-" + hashlib.sha256("Гавань".encode()).hexdigest()[:8]),
    ],
)
def test_a_file_whose_name_is_no_id_is_read_under_an_id_made_of_its_name(
    tmp_path: Path, name: str, made: str
) -> None:
    page = TRAM if name.endswith(".txt") else harbour_page()
    data = gzip.compress(page.encode()) if name.endswith(".gz") else page.encode()
    (tmp_path / name).write_bytes(data)
    (tmp_path / "tram-line.txt").write_text(TRAM, encoding="utf-8")
    articles, warnings = read_corpus(tmp_path)
    assert warnings == []
    assert sorted(a.doc_id for a in articles) == sorted([made, "tram-line"])
    assert doc_id_of(tmp_path / name) == made and is_renamed(tmp_path / name)
    assert read_corpus(tmp_path)[0] == articles  # the same id on every read


def test_a_name_gives_one_id_whether_its_letters_are_stored_composed_or_not(
    tmp_path: Path,
) -> None:
    for name in ("Май", "Café"):
        composed, decomposed = (unicodedata.normalize(f, name) for f in ("NFC", "NFD"))
        assert composed != decomposed
        assert doc_id_of(tmp_path / f"{composed}.html") == doc_id_of(
            tmp_path / f"{decomposed}.html"
        )


def test_a_file_named_as_its_id_keeps_that_id_before_a_name_made_for_another(
    tmp_path: Path,
) -> None:
    (tmp_path / "harbour (1).html").write_text(harbour_page(), encoding="utf-8")  # sorts first
    (tmp_path / "harbour-1.txt").write_text(TRAM, encoding="utf-8")
    articles, warnings = read_corpus(tmp_path)
    assert [(a.doc_id, a.title) for a in articles] == [("harbour-1", "Oakhaven opens tram line")]
    assert warnings == [
        "skipped harbour (1).html: its id 'harbour-1' is already used by harbour-1.txt"
    ]


def test_an_article_whose_id_was_made_of_its_file_name_is_not_deleted_through_the_api(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "Skarra harbour - Coast Times.html").write_text(harbour_page(), encoding="utf-8")
    (folder / "tram.txt").write_text(TRAM, encoding="utf-8")
    index_dir = tmp_path / "index"
    rebuild_index(folder, index_dir, embedder=HashingEmbedder())
    assert "Skarra-harbour-Coast-Times" in CorpusIndex.load(current_version(index_dir)).articles
    settings = IndexSettings(build_lock_timeout_s=1)
    with pytest.raises(Conflict, match=r"rename it to 'Skarra-harbour-Coast-Times\.html'"):
        delete_article(index_dir, "Skarra-harbour-Coast-Times", embedder=HashingEmbedder(),
                       index_settings=settings, near_duplicate_threshold=None)  # fmt: skip
    assert (folder / "Skarra harbour - Coast Times.html").exists()
    with pytest.raises(Conflict, match="read from the file 'Skarra harbour - Coast Times.html'"):
        add_article(index_dir, "Skarra-harbour-Coast-Times", "x", embedder=HashingEmbedder(),
                    index_settings=settings, near_duplicate_threshold=None)  # fmt: skip
    (folder / "Skarra harbour - Coast Times.html").rename(
        folder / "Skarra-harbour-Coast-Times.html"
    )
    delete_article(index_dir, "Skarra-harbour-Coast-Times", embedder=HashingEmbedder(),
                   index_settings=settings, near_duplicate_threshold=None)  # fmt: skip
    assert sorted(p.name for p in folder.iterdir()) == ["tram.txt"]


def test_deleting_the_article_that_won_a_clash_of_ids_is_refused_while_the_other_waits(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "harbour (1).html").write_text(harbour_page(), encoding="utf-8")
    (folder / "harbour-1.txt").write_text(TRAM, encoding="utf-8")
    (folder / "tram.txt").write_text(TRAM.replace("Sunday", "Monday"), encoding="utf-8")
    index_dir = tmp_path / "index"
    rebuild_index(folder, index_dir, embedder=HashingEmbedder())
    settings = IndexSettings(build_lock_timeout_s=1)
    with pytest.raises(Conflict, match=r"harbour-1\.txt and harbour \(1\)\.html both give"):
        delete_article(index_dir, "harbour-1", embedder=HashingEmbedder(),
                       index_settings=settings, near_duplicate_threshold=None)  # fmt: skip
    assert (folder / "harbour-1.txt").exists()
    with pytest.raises(Conflict, match=r"harbour \(1\)\.html both give that id; rename or"):
        add_article(index_dir, "harbour-1", "Other text.", embedder=HashingEmbedder(),
                    index_settings=settings, near_duplicate_threshold=None)  # fmt: skip
    (folder / "harbour (1).html").unlink()
    delete_article(index_dir, "harbour-1", embedder=HashingEmbedder(), index_settings=settings,
                   near_duplicate_threshold=None)  # fmt: skip
    assert "harbour-1" not in CorpusIndex.load(current_version(index_dir)).articles
    assert sorted(p.name for p in folder.iterdir()) == ["tram.txt"]


def test_an_article_file_with_an_upper_case_suffix_is_found_to_delete(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "Harbour.TXT").write_text(TRAM, encoding="utf-8")
    (folder / "tram.txt").write_text(TRAM.replace("Sunday", "Monday"), encoding="utf-8")
    (folder / "abc\n.txt").write_text(TRAM, encoding="utf-8")  # a line break is no id
    index_dir = tmp_path / "index"
    rebuild_index(folder, index_dir, embedder=HashingEmbedder())
    assert set(CorpusIndex.load(current_version(index_dir)).articles) == {"Harbour", "tram", "abc"}
    delete_article(index_dir, "Harbour", embedder=HashingEmbedder(),
                   index_settings=IndexSettings(build_lock_timeout_s=1),
                   near_duplicate_threshold=None)  # fmt: skip
    assert "Harbour" not in CorpusIndex.load(current_version(index_dir)).articles
    assert not (folder / "Harbour.TXT").exists()
