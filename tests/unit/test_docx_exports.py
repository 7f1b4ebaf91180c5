"""Unit tests for Word documents in the corpus folder (index/docx_exports.py, qa/nexis.py,
qa/word_documents.py, read through index/formats.py): a Nexis Uni export is one article an
item with its own title, publication, date and byline and only its text as paragraphs; any
other .docx is one article; a broken, password-protected, oversized or zip-bomb file is one
skip warning. The documents are made here with python-docx (tests/word_files.py)."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from index.corpus import read_corpus
from index.formats import read_article_file
from qa.nexis import is_nexis_uni, nexis_uni_articles
from tests.word_files import BRIDGE, EXPORT, FERRY, LIGHTHOUSE, NBSP, nexis_export, word_article

pytestmark = pytest.mark.unit

MAX = 10_000_000


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_a_nexis_export_is_one_article_an_item_with_its_header_fields(tmp_path: Path) -> None:
    read = read_article_file(nexis_export(tmp_path / "harbour.docx", EXPORT), max_bytes=MAX)
    assert list(read.warnings) == []
    assert read.origins == ["harbour.docx item 1", "harbour.docx item 2", "harbour.docx item 3"]
    first, second, third = read.articles
    assert (first.title, first.source, first.date, first.author) == (
        "Lighthouse keeper retires after 41 years",
        "The Brindle Coast Courier",
        "2019-03-03",
        "Marit Olsen",  # "Byline: By Marit Olsen"
    )
    # the text only: no "Length:", "Classification", "Load-Date:" or the picture's caption
    assert _paragraphs(first.text) == LIGHTHOUSE.paragraphs
    # an edition line after the date is no title or source; "Link to Image" is no text
    assert (second.title, second.source, second.date, second.author) == (
        FERRY.title,
        "Vessby Evening Post",
        "2019-11-12",
        "Jonas Ek",
    )
    assert _paragraphs(second.text) == [p for p in FERRY.paragraphs if p != "Link to Image"]
    assert (third.title, third.date, third.author) == (BRIDGE.title, "2020-06-21", None)
    assert _paragraphs(third.text) == BRIDGE.paragraphs


def test_export_ids_are_stable_across_downloads_and_names(tmp_path: Path) -> None:
    once = read_article_file(nexis_export(tmp_path / "a.docx", EXPORT), max_bytes=MAX)
    again = read_article_file(
        nexis_export(tmp_path / "Nexis results (2).docx", EXPORT[::-1], cover=False),
        max_bytes=MAX,
    )
    ids = {a.doc_id: a.content_hash for a in once.articles}
    assert {a.doc_id: a.content_hash for a in again.articles} == ids
    assert len(ids) == 3


def test_an_unchanged_item_is_reused_as_indexed(tmp_path: Path) -> None:
    path = nexis_export(tmp_path / "a.docx", EXPORT)
    first = read_article_file(path, max_bytes=MAX)
    known = {a.doc_id: a.model_copy(update={"title": "as indexed"}) for a in first.articles}
    second = read_article_file(path, max_bytes=MAX, known=known)
    assert [a.title for a in second.articles] == ["as indexed"] * 3


def test_an_item_without_text_is_one_warning_and_the_rest_is_read(tmp_path: Path) -> None:
    document = docx.Document()
    for line in ["Chart: ferry passengers by month", "Vessby Evening Post", "May 2, 2019"]:
        document.add_paragraph(line)
    document.add_paragraph("End of Document")
    for line in [BRIDGE.title, BRIDGE.source, BRIDGE.date_line, f"Length:{NBSP}25 words", "Body"]:
        document.add_paragraph(line)
    for paragraph in BRIDGE.paragraphs:
        document.add_paragraph(paragraph)
    document.add_paragraph("End of Document")
    document.save(str(tmp_path / "export.docx"))
    read = read_article_file(tmp_path / "export.docx", max_bytes=MAX)
    assert [a.title for a in read.articles] == [BRIDGE.title]
    assert read.origins == ["export.docx item 2"]
    assert len(read.warnings) == 1
    assert read.warnings[0].startswith("skipped export.docx item 1: no 'Body' line before its")


def test_nexis_export_is_told_by_its_markers_only() -> None:
    mention = [
        "Printer jams at the town hall",
        "The clerk said the words End of Document appeared on every page.",
        "Body text of the report was lost.",
    ]
    assert not is_nexis_uni(mention)
    assert not is_nexis_uni(["A story", "Its text.", "End of Document"])  # no "Body" before
    assert is_nexis_uni(["A story", "Paper", "Body", "Its text.", f"End of Document{NBSP}"])


def test_a_cover_page_without_its_gap_is_passed_over_by_the_date_line() -> None:
    lines = ["User Name: Research desk", "Documents (1)", "1. Kessel bridge closes"]
    lines += ["Kessel bridge closes", "Harrow Herald", "21 June 2020", "Body", "Cars must wait."]
    (article,) = nexis_uni_articles([*lines, "End of Document"])
    assert (article.title, article.source, article.date) == (
        "Kessel bridge closes",
        "Harrow Herald",
        "2020-06-21",
    )
    assert article.paragraphs == ["Cars must wait."]


def test_without_a_date_line_the_first_two_lines_are_title_and_publication() -> None:
    lines = ["Kessel bridge closes", "Harrow Herald", f"Length:{NBSP}3 words", "Body", "Cars wait."]
    (article,) = nexis_uni_articles([*lines, "End of Document"])
    assert (article.title, article.source, article.date) == (
        "Kessel bridge closes",
        "Harrow Herald",
        None,
    )


def test_a_word_article_is_one_article_whose_byline_wins(tmp_path: Path) -> None:
    path = word_article(
        tmp_path / "fees.docx",
        headline="Harbour fees rise by a fifth",
        paragraphs=[
            "By Ada Berg",
            "Fees at Vessby harbour will rise by 20 percent in April, the port board decided.",
            "The board said the money would pay for dredging the inner basin.",
        ],
        author_property="Harbour Office PC",
        table=[["Boat", "Fee"], ["Small", "40 euros"]],
    )
    read = read_article_file(path, max_bytes=MAX)
    assert list(read.warnings) == []
    (article,) = read.articles
    assert read.origins == ["fees.docx item 1"]
    assert article.title == "Harbour fees rise by a fifth"
    assert article.author == "Ada Berg"  # the text's byline, not the file's Author
    # python-docx's template is dated 2013-12-23: no core date is the article's
    assert article.date is None
    assert _paragraphs(article.text) == [
        "| Boat | Fee |\n| Small | 40 euros |",
        "Fees at Vessby harbour will rise by 20 percent in April, the port board decided.",
        "The board said the money would pay for dredging the inner basin.",
    ]


def test_a_word_article_takes_title_and_author_from_its_properties(tmp_path: Path) -> None:
    text = "Fees at Vessby harbour will rise by 20 percent in April, the port board decided."
    path = word_article(
        tmp_path / "fees.docx",
        headline=None,
        paragraphs=[text],
        title_property="Harbour fees rise",
        author_property="Ada Berg",
    )
    (article,) = read_article_file(path, max_bytes=MAX).articles
    assert (article.title, article.author, article.text) == ("Harbour fees rise", "Ada Berg", text)
    # a program's name in the Author property names no writer
    path = word_article(tmp_path / "b.docx", headline="Harbour fees rise", paragraphs=[text])
    (article,) = read_article_file(path, max_bytes=MAX).articles
    assert article.author is None


def test_a_word_article_that_mentions_end_of_document_stays_one(tmp_path: Path) -> None:
    path = word_article(
        tmp_path / "jam.docx",
        headline="Printer jams at the town hall",
        paragraphs=[
            "Every page the town hall printed on Monday ended with a line of its own:",
            "End of Document",
            "The clerk said the fault was fixed by noon.",
        ],
    )
    read = read_article_file(path, max_bytes=MAX)
    (article,) = read.articles
    assert "The clerk said the fault was fixed by noon." in article.text


def test_a_word_file_without_title_or_text_is_skipped_saying_so(tmp_path: Path) -> None:
    empty = word_article(tmp_path / "empty.docx", headline=None, paragraphs=[])
    untitled = word_article(
        tmp_path / "untitled.docx",
        headline=None,
        paragraphs=["the ferry was late again, and nobody said why.", "it often is."],
    )
    assert list(read_article_file(empty, max_bytes=MAX).warnings) == [
        "skipped empty.docx: the document holds no text"
    ]
    (warning,) = read_article_file(untitled, max_bytes=MAX).warnings
    assert warning.startswith("skipped untitled.docx: no title: give the document a Title")


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"just some text, saved as .docx", "not a Word document: a .docx is a zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "a password-protected Word document"),
        (b"", "not a Word document: a .docx is a zip archive"),
    ],
)
def test_a_broken_word_file_is_one_warning(tmp_path: Path, data: bytes, said: str) -> None:
    (tmp_path / "broken.docx").write_bytes(data)
    read = read_article_file(tmp_path / "broken.docx", max_bytes=MAX)
    assert read.articles == []
    (warning,) = read.warnings
    assert warning.startswith(f"skipped broken.docx: {said}")


def test_a_zip_that_is_no_word_document_and_a_cut_file_are_warnings(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a document")
    (tmp_path / "notes.docx").write_bytes(buffer.getvalue())
    (warning,) = read_article_file(tmp_path / "notes.docx", max_bytes=MAX).warnings
    assert warning == (
        "skipped notes.docx: not a readable Word document (the zip holds no Word document part)"
    )
    whole = nexis_export(tmp_path / "whole.docx", EXPORT).read_bytes()
    (tmp_path / "cut.docx").write_bytes(whole[: len(whole) // 2])
    (warning,) = read_article_file(tmp_path / "cut.docx", max_bytes=MAX).warnings
    assert warning.startswith("skipped cut.docx: not a Word document")


def test_a_zip_bomb_is_refused_before_a_member_is_read(tmp_path: Path) -> None:
    whole = nexis_export(tmp_path / "a.docx", EXPORT).read_bytes()
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(whole)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for member in source.infolist():
            bomb.writestr(member, source.read(member))
        bomb.writestr("word/media/filler.bin", b"\0" * (40 * 1024 * 1024))
    (tmp_path / "bomb.docx").write_bytes(buffer.getvalue())
    assert (tmp_path / "bomb.docx").stat().st_size < 200_000
    (warning,) = read_article_file(tmp_path / "bomb.docx", max_bytes=1_000_000).warnings
    assert warning.startswith("skipped bomb.docx: it would unzip to 4")
    assert "more than the limit of 33,554,432" in warning


def _with_empty_paragraphs(source: Path, target: Path, count: int) -> Path:
    """`source` with `count` empty paragraphs at the top of its text: 11 bytes of XML each,
    which zip to almost nothing."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as padded,
    ):
        for member in original.infolist():
            data = original.read(member)
            if member.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:p></w:p>" * count, 1)
            padded.writestr(member, data)
    target.write_bytes(buffer.getvalue())
    return target


def test_millions_of_empty_paragraphs_are_refused_before_python_docx_reads_them(
    tmp_path: Path,
) -> None:
    # 3 million paragraphs in a 100 KB file: python-docx took a minute and a gigabyte on them
    source = word_article(tmp_path / "a.docx", headline="Harbour", paragraphs=["Text."])
    path = _with_empty_paragraphs(source, tmp_path / "padded.docx", 3_000_000)
    assert path.stat().st_size < 200_000
    started = time.perf_counter()
    (warning,) = read_article_file(path, max_bytes=MAX).warnings
    assert warning.startswith("skipped padded.docx: it holds more than 200,000 paragraphs")
    assert time.perf_counter() - started < 10


def test_many_paragraphs_are_read_without_looking_their_style_up_each_time(
    tmp_path: Path,
) -> None:
    # each paragraph's style was looked up anew (Paragraph.style: a millisecond each), so 5,000
    # empty paragraphs took 17 s; the headline's style still makes it the title
    source = word_article(
        tmp_path / "a.docx", headline="Harbour fees rise", paragraphs=["The fee is 40 euros."]
    )
    path = _with_empty_paragraphs(source, tmp_path / "long.docx", 5_000)
    started = time.perf_counter()
    read = read_article_file(path, max_bytes=MAX)
    assert time.perf_counter() - started < 5
    assert list(read.warnings) == []
    assert read.articles[0].title == "Harbour fees rise"


def test_a_word_file_over_the_size_limit_is_skipped(tmp_path: Path) -> None:
    path = nexis_export(tmp_path / "a.docx", EXPORT)
    (warning,) = read_article_file(path, max_bytes=1_000).warnings
    assert warning == (
        "skipped a.docx: the file is larger than the limit of 1,000 bytes (setting "
        "index.max_document_bytes)"
    )


def test_a_build_reads_word_files_beside_others(tmp_path: Path) -> None:
    nexis_export(tmp_path / "export.docx", EXPORT)
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    (tmp_path / "note.txt").write_text(
        "Quay repaired\n\nThe north quay in Vessby was repaired in a week.", encoding="utf-8"
    )
    articles, warnings = read_corpus(tmp_path)
    assert len(articles) == 4
    assert [w.split(":")[0] for w in warnings] == ["skipped broken.docx"]


def _table_document(path: Path, span: int | None = None) -> Path:
    document = docx.Document()
    document.add_heading("Ferry fares for the summer", level=0)
    document.add_paragraph("The county set the summer fares on Monday.")
    grid = document.add_table(rows=3, cols=3)
    for row, cells in zip(grid.rows, [["Route", "Adult", "Child"], ["Tarn", "40 euros", "20 euros"],
                                      ["", "45 euros", "22 euros"]], strict=True):  # fmt: skip
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    grid.cell(1, 0).merge(grid.cell(2, 0))  # "Tarn" over two rows
    grid.cell(0, 1).merge(grid.cell(0, 2))  # "Adult" over two columns
    grid.cell(0, 1).text = "Fare"
    document.save(str(path))
    if span is None:
        return path
    buffer = io.BytesIO()  # the merged header cell made to span `span` columns
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as spanned:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/document.xml":
                data = data.replace(b'w:gridSpan w:val="2"', f'w:gridSpan w:val="{span}"'.encode())
            spanned.writestr(member, data)
    path.write_bytes(buffer.getvalue())
    return path


def test_merged_table_cells_are_given_once_across_and_repeated_down(tmp_path: Path) -> None:
    (article,) = read_article_file(_table_document(tmp_path / "fares.docx"), max_bytes=MAX).articles
    assert _paragraphs(article.text)[1] == (
        "| Route | Fare |\n| Tarn | 40 euros | 20 euros |\n| Tarn | 45 euros | 22 euros |"
    )


def test_a_cell_spanning_billions_of_columns_is_read_at_once(tmp_path: Path) -> None:
    # python-docx's row.cells gave the cell once for each column: 30 million took 10 s and 500 MB
    path = _table_document(tmp_path / "fares.docx", span=2_000_000_000)
    started = time.perf_counter()
    (article,) = read_article_file(path, max_bytes=MAX).articles
    assert time.perf_counter() - started < 5
    assert "| Route | Fare |" in article.text


def test_a_bad_value_in_the_text_part_is_a_skip_not_a_failed_build(tmp_path: Path) -> None:
    # python-docx reads values as it goes: a column span "abc" raised ValueError through the
    # build; now it is the file's skip warning
    path = _table_document(tmp_path / "fares.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as broken:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/document.xml":
                data = data.replace(b'w:gridSpan w:val="2"', b'w:gridSpan w:val="abc"')
            broken.writestr(member, data)
    (tmp_path / "fares.docx").write_bytes(buffer.getvalue())
    read = read_article_file(tmp_path / "fares.docx", max_bytes=MAX)
    assert read.articles == []
    assert list(read.warnings) == [
        "skipped fares.docx: not a readable Word document (invalid literal for int() with base "
        "10: 'abc')"
    ]


def _add(paragraph: Any, wrapper: str, text: str) -> None:
    """Add `text` to a python-docx paragraph as Word writes a run inside `wrapper`: a tracked
    insertion (`ins`), deletion (`del`, its text as `w:delText`), move (`moveFrom`, `moveTo`)
    or a content control (`sdt`)."""
    kind = "delText" if wrapper == "del" else "t"
    run = f'<w:r><w:{kind} xml:space="preserve">{text}</w:{kind}></w:r>'
    if wrapper == "sdt":
        xml = f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent>{run}</w:sdtContent></w:sdt>"
    else:
        xml = f'<w:{wrapper} {nsdecls("w")} w:id="1" w:author="Ed">{run}</w:{wrapper}>'
    paragraph._p.append(parse_xml(xml))


def test_a_reviewed_word_article_reads_with_its_tracked_changes_accepted(tmp_path: Path) -> None:
    # python-docx's Paragraph.text reads a paragraph's own runs and links only: the words an
    # editor added with Track Changes on were lost, leaving holes in sentences, and so was a
    # content control's text
    document = docx.Document()
    document.add_heading("Harbour fees rise", level=0)
    fees = document.add_paragraph("Fees at Vessby harbour will rise ")
    _add(fees, "ins", "by 20 percent ")
    _add(fees, "del", "by a fifth ")
    fees.add_run("in April, the port board decided.")
    _add(document.add_paragraph(), "del", "A sentence struck out.")
    moved = document.add_paragraph("The board said ")
    _add(moved, "moveFrom", "on Monday ")
    moved.add_run("the money would pay for dredging ")
    _add(moved, "moveTo", "on Monday ")
    moved.add_run("the inner basin.")
    control = document.add_paragraph("Work starts on ")
    _add(control, "sdt", "1 May")
    control.add_run(".")
    grid = document.add_table(rows=2, cols=2)
    grid.cell(0, 0).text, grid.cell(0, 1).text, grid.cell(1, 0).text = "Boat", "Fee", "Small"
    _add(grid.cell(1, 1).paragraphs[0], "ins", "48 euros")
    document.save(str(tmp_path / "fees.docx"))

    (article,) = read_article_file(tmp_path / "fees.docx", max_bytes=MAX).articles
    assert _paragraphs(article.text) == [
        "Fees at Vessby harbour will rise by 20 percent in April, the port board decided.",
        "The board said the money would pay for dredging on Monday the inner basin.",
        "Work starts on 1 May.",
        "| Boat | Fee |\n| Small | 48 euros |",
    ]
