"""Unit tests for Factiva's layout with its indexing ("Full Article/Report plus Indexing")
downloaded as RTF (qa/factiva_indexing.py, read through index/rtf_documents.py and
index/formats.py): a table of a row a field is one article an item under its accession number,
with the id, title, date, source, author and text the article format (RTF and HTML) and the
HTML table give the same article; the codes (CO, IN, NS, RE …) are none of its text; an item
without a text is one warning, one without an accession number an article under an id made
from its title and text, as its HTML download gives it; a document with a table of codes but no
AN row is one article, as before. The exports are made up (tests/factiva_files.py,
tests/rtf_files.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from index.file_kinds import is_archive
from index.formats import is_document_export, read_article_file
from index.manifest import Manifest
from index.versions import current_version
from qa.factiva_indexing import factiva_indexed_articles
from qa.models import Article
from qa.rtf_text import CELL_BREAK, rtf_paragraphs
from tests.factiva_files import EXPORT, INDEXING, LANTERNS, ORCHARD, TRAM, FactivaItem, export_page
from tests.importing import built_corpus, run_import
from tests.rtf_files import factiva_indexed_rtf, factiva_rtf_paragraphs, rtf_document

pytestmark = pytest.mark.unit

MAX = 10_000_000
HARBOUR_SCHOOL = FactivaItem(
    title="Harbour school opens a sailing class",
    source="Vessby Evening Post",
    date="2 April 2021",
    author="By Lena Dahl",
    accession="VSBYEP0020210402eh420004d",
    paragraphs=["The harbour school will teach sailing to 40 pupils from May, its head said."],
)


def _fields(articles: list[Article]) -> list[tuple[str | None, ...]]:
    return [(a.doc_id, a.title, a.date, a.source, a.author, a.text) for a in articles]


def _read(path: Path, data: bytes) -> list[Article]:
    path.write_bytes(data)
    read = read_article_file(path, max_bytes=MAX)
    assert list(read.warnings) == [], read.warnings
    return read.articles


def test_each_item_is_an_article_under_its_accession_number(tmp_path: Path) -> None:
    path = tmp_path / "Factiva-20230314-1012.rtf"
    path.write_bytes(factiva_indexed_rtf(EXPORT))
    assert is_archive(path, max_bytes=MAX)
    read = read_article_file(path, max_bytes=MAX)
    assert list(read.warnings) == []
    assert read.origins == [f"Factiva-20230314-1012.rtf item {n}" for n in (1, 2, 3)]
    assert [a.doc_id for a in read.articles] == [item.accession for item in EXPORT]
    lanterns, tram, orchard = read.articles
    assert (lanterns.title, lanterns.date, lanterns.source, lanterns.author) == (
        LANTERNS.title,
        "2023-03-14",  # PD; its time (ET) is no part of a date
        "Vessby Evening Post",  # SN, not the source's code (SC)
        "Ines Varga",  # BY "By Ines Varga"
    )
    # the lead paragraphs (LP) then the text (TD), each paragraph of a cell one
    assert lanterns.text.split("\n\n") == LANTERNS.paragraphs
    assert tram.text.split("\n\n") == TRAM.paragraphs  # two lead paragraphs
    assert (orchard.author, orchard.date) == (None, "2021-09-09")


def test_the_codes_and_other_fields_are_no_part_of_the_text(tmp_path: Path) -> None:
    articles = _read(tmp_path / "f.rtf", factiva_indexed_rtf(EXPORT))
    for article in articles:
        for _, value in INDEXING:  # CO, IN, NS, RE, IPC, IPD, PUB, CT
            for name in value.split(" | "):
                assert name not in article.text, (name, article.doc_id)
        for line in ("words", "10:05", "Copyright", "Document", "English", "Final"):
            assert line not in article.text, (line, article.doc_id)


def test_the_two_layouts_and_two_file_types_give_the_same_articles(tmp_path: Path) -> None:
    indexed = _read(tmp_path / "indexed.rtf", factiva_indexed_rtf(EXPORT))
    assert len(indexed) == 3
    others = {
        "shown.rtf": rtf_document(factiva_rtf_paragraphs(EXPORT)),  # RTF, article format
        "table.html": export_page(EXPORT).encode("utf-8"),  # HTML, with its indexing
        "shown.html": export_page(EXPORT, layout="format").encode("utf-8"),
        "as-text.rtf": factiva_indexed_rtf(EXPORT, form="tabs"),  # the table saved as text
    }
    for name, data in others.items():
        assert _fields(_read(tmp_path / name, data)) == _fields(indexed), name


def test_an_item_without_text_is_one_warning_and_one_without_an_accession_number_is_kept(
    tmp_path: Path,
) -> None:
    """An article without its AN is an article still: its id is made from its title and text
    (qa/archives.py: record_doc_id), the one the HTML download of the same export gives it,
    in either layout; an item without text is skipped with a warning."""
    no_an = replace(TRAM, accession=None)  # its AN row left out: the next HD starts an item
    no_text = replace(ORCHARD, paragraphs=[])  # no LP or TD row
    items = [LANTERNS, no_an, no_text, HARBOUR_SCHOOL]
    path = tmp_path / "results.rtf"
    path.write_bytes(factiva_indexed_rtf(items))
    read = read_article_file(path, max_bytes=MAX)
    assert read.origins == ["results.rtf item 1", "results.rtf item 2", "results.rtf item 4"]
    assert [a.title for a in read.articles] == [LANTERNS.title, TRAM.title, HARBOUR_SCHOOL.title]
    assert read.articles[0].text.split("\n\n") == LANTERNS.paragraphs  # nothing of the next
    tram = read.articles[1]
    assert tram.doc_id.startswith("skarra-tram-line-reaches-the-"), tram.doc_id
    assert tram.text.split("\n\n") == TRAM.paragraphs and tram.date == "2022-05-02"
    (warning,) = read.warnings
    assert warning.startswith("skipped results.rtf item 3: no text (no LP or TD"), warning
    # the same export as HTML, as a table or in the article format, and as text: the same ids
    for name, data in {
        "table.html": export_page(items).encode("utf-8"),
        "shown.html": export_page(items, layout="format").encode("utf-8"),
        "as-text.rtf": factiva_indexed_rtf(items, form="tabs"),
    }.items():
        (tmp_path / name).write_bytes(data)
        other = read_article_file(tmp_path / name, max_bytes=MAX)
        assert _fields(other.articles) == _fields(read.articles), name


def test_an_export_in_another_language_is_read_by_its_dates_and_closers(tmp_path: Path) -> None:
    french = replace(LANTERNS, date="14 mars 2023", closer="Document")
    german = replace(TRAM, date="2 Mai 2022", closer="Dokument")
    articles = _read(tmp_path / "f.rtf", factiva_indexed_rtf([french, german]))
    assert [(a.doc_id, a.date) for a in articles] == [
        (LANTERNS.accession, "2023-03-14"),
        (TRAM.accession, "2022-05-02"),
    ]


def test_a_document_with_a_table_of_codes_but_no_accession_row_is_one_article(
    tmp_path: Path,
) -> None:
    # a results table whose first cells are party codes, and an HD row, but no AN row: the
    # accession-like code in a paragraph of the text is no field
    rtf = (
        "{\\rtf1\\ansi Council vote count published\\par The council published the count on "
        "Friday, after two recounts.\\par"
        "\\trowd\\cellx1200\\cellx6000\\intbl SN\\cell Social Nordic\\cell\\row"
        "\\trowd\\cellx1200\\cellx6000\\intbl HD\\cell Harbour Democrats\\cell\\row"
        "\\trowd\\cellx1200\\cellx6000\\intbl AN\\cell Document 12 of the archive\\cell\\row"
        "\\pard Document VSBYEP0020230314ej3e0001a of the archive holds the ballots.\\par}"
    ).encode("ascii")
    assert not is_document_export("council.rtf", rtf)
    (article,) = _read(tmp_path / "council.rtf", rtf)
    assert (article.doc_id, article.title) == ("council", "Council vote count published")
    assert "| SN | Social Nordic |" in article.text  # the table read as before


def test_a_cells_paragraphs_are_parted_only_when_asked_for() -> None:
    rtf = (
        b"{\\rtf1\\ansi\\trowd\\cellx1200\\cellx6000\\intbl TD\\cell First one.\\par\\par "
        b"Second one.\\cell\\row\\pard After\\par}"
    )
    assert rtf_paragraphs(rtf) == ["| TD | First one. Second one. |", "After"]
    assert rtf_paragraphs(rtf, cell_breaks=True) == [
        f"| TD | First one.{CELL_BREAK}Second one. |",
        "After",
    ]


def test_the_layout_is_imported_an_article_an_item_and_again_unchanged(tmp_path: Path) -> None:
    corpus, index_dir = built_corpus(tmp_path)
    first = run_import(index_dir, "Factiva indexing.rtf", factiva_indexed_rtf([LANTERNS, TRAM]))
    assert first.added == [LANTERNS.accession, TRAM.accession] and first.refused == []
    assert first.stored_as is not None and (corpus / first.stored_as).exists()
    assert set(first.added) <= set(Manifest.load(current_version(index_dir)).articles)
    # the same articles in the article format, RTF or HTML: the same ids and fields, unchanged
    shown = rtf_document(factiva_rtf_paragraphs([LANTERNS, TRAM]))
    for name, data in (("Factiva.rtf", shown), ("Factiva.html", export_page([LANTERNS, TRAM]))):
        again = run_import(index_dir, name, data)
        assert (again.added, again.unchanged) == ([], first.added), name


def test_a_table_in_an_articles_text_keeps_its_rows(tmp_path: Path) -> None:
    """A table in an article's text is a table within the TD cell (Word's nested table:
    `\\itap2 … \\nestcell`, each row closed by `\\nestrow` in a `\\*\\nesttableprops` group,
    which striprtf leaves out): its rows were one run of cells, glued to the paragraph after
    the table ("US | 12 | SE | 4 | Tolls were last raised …"). Each row is now a line of the
    text's table, its cells parted by " | ", as a table outside one is read."""

    def nested_row(*cells: str) -> str:
        return (
            "".join(f"\\pard\\intbl\\itap2 {cell}\\nestcell\n" for cell in cells)
            + "{\\*\\nesttableprops\\trowd\\cellx600\\cellx1200\\nestrow}{\\nonesttables\\par}\n"
        )

    def row(code: str, value: str) -> str:
        return f"\\trowd\\cellx1200\\cellx9600\n\\pard\\intbl {code}\\cell\n{value}\\cell\\row\n"

    text = (
        "\\pard\\intbl Ships of three flags paid the new tolls:\\par\n"
        + nested_row("US", "12 ships")
        + nested_row("SE", "4 ships")
        + "\\pard\\intbl\\itap1 Tolls were last raised in 2019.\\par"
    )
    body = (
        row("HD", "\\pard\\intbl Harbour tolls by flag")
        + row("PD", "\\pard\\intbl 14 March 2023")
        + row("TD", text)
        + row("AN", f"\\pard\\intbl Document {LANTERNS.accession}")
    )
    data = ("{\\rtf1\\ansi " + body + "\\pard\\page}").encode()
    (article,) = _read(tmp_path / "tolls.rtf", data)
    # the table one paragraph, a row a line (the cleaner keeps it with the line leading to it)
    assert "| US | 12 ships |\n| SE | 4 ships |" in article.text
    assert article.text.split("\n\n")[-1] == "Tolls were last raised in 2019."
    # a table last in its cell keeps its last row's closing mark
    last = row("TD", "\\pard\\intbl Tolls paid:\\par\n" + nested_row("US", "12 ships"))
    (paragraph,) = rtf_paragraphs(("{\\rtf1\\ansi " + last + "}").encode(), cell_breaks=True)
    assert factiva_indexed_articles([paragraph]) is None  # no article: the row's value alone
    value = paragraph.split(" | ", 1)[1]
    assert value.split(CELL_BREAK)[:2] == ["Tolls paid:", "| US | 12 ships |"]
