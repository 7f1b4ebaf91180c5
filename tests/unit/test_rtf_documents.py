"""RTF documents (`.rtf`): the RTF reading the reader relies on (qa/rtf_text.py over striprtf:
code pages, \\uN characters, paragraphs and line breaks, tables, pictures, fields), one article
read as a text file is, the LexisNexis exports saved as RTF read as their articles with the ids
their .docx and .txt downloads give, and damaged or hostile files skipped with a warning that
names them."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from index import rtf_documents
from index.archive_records import archive_entries, ids_in_folder
from index.corpus import read_corpus
from index.file_kinds import is_archive
from index.formats import is_document_export, read_article_file, read_document
from qa.errors import BadInput
from qa.rtf_text import rtf_paragraphs
from tests import factiva_files, nexis_text_files, word_files
from tests.nexis_text_files import write_export
from tests.rtf_files import (
    classic_nexis_rtf,
    factiva_rtf_paragraphs,
    nexis_uni_rtf,
    rtf_document,
)
from tests.word_files import nexis_export

pytestmark = pytest.mark.unit

MAX = 10_000_000


def _paragraphs(rtf: str) -> list[str]:
    return rtf_paragraphs(rtf.encode("ascii"))


def test_code_pages_and_unicode_escapes_give_the_letters() -> None:
    western = (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times;}}\f0 Caf\'e9 \'93Z\'fcrich\'94\par}"
    )
    assert _paragraphs(western) == ["Café “Zürich”"]
    # Cyrillic by the code page alone, and by the font's character set
    assert _paragraphs(r"{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\'e2\'e5\'f2\par}") == ["Привет"]
    by_font = r"{\rtf1\ansi{\fonttbl{\f0\fcharset204 Arial;}}\f0 \'cf\'f0\'e8\'e2\'e5\'f2\par}"
    assert _paragraphs(by_font) == ["Привет"]
    # \uN with its fallback skipped (\uc1), and a character beyond U+FFFF as its two halves
    assert _paragraphs(r"{\rtf1\uc1 \u8220?quoted\u8221? \u-10179?\u-8704?\par}") == ["“quoted” 😀"]
    # a Mac character set Python has no codec for is read in its Windows code page
    assert _paragraphs(r"{\rtf1{\fonttbl{\f0\fcharset78 X;}}\f0 \'82\'a0\par}") == ["あ"]


def test_par_is_a_paragraph_and_line_a_break_within_it() -> None:
    rtf = r"{\rtf1\ansi First paragraph\par Second\line goes on\par\par Third\par}"
    assert _paragraphs(rtf) == ["First paragraph", "Second\ngoes on", "", "Third"]


def test_a_table_is_one_paragraph_a_row_a_line() -> None:
    rtf = (
        r"{\rtf1\ansi Before\par\trowd\cellx2000\cellx4000\intbl Small\par boats\cell 40 euros"
        r"\cell\row\trowd\cellx2000\cellx4000\intbl Ferries\cell 90 euros\cell\row\pard After\par}"
    )
    assert _paragraphs(rtf) == [
        "Before",
        "| Small boats | 40 euros |\n| Ferries | 90 euros |",
        "After",
    ]
    # a writer that starts the paragraph after the table without \pard: still paragraphs
    assert _paragraphs(rtf.replace(r"\pard After\par}", r" After\par Next\par}"))[2:] == [
        "After",
        "Next",
    ]


def test_pictures_field_instructions_and_binary_runs_are_no_text() -> None:
    rtf = (
        r"{\rtf1\ansi {\*\shppict{\pict\pngblip 89504e470d0a}}{\pict\bin6 }}{}\\}Read "
        r'{\field{\*\fldinst{HYPERLINK "https://coast.example/harbour"}}{\fldrslt{the report}}}'
        r" online.\par{\header Page 1\par}{\footnote A note.}}"
    )
    assert _paragraphs(rtf) == ["Read the report online."]


def test_hostile_fields_are_read_in_time() -> None:
    # striprtf's link pattern backtracks for minutes over many unclosed field instructions
    many = "{\\rtf1 " + "{\\field{\\*\\fldinst{HYPERLINK " * 20000 + "}" * 60000 + " x}"
    started = time.monotonic()
    assert _paragraphs(many) == ["x"]
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"Harbour reopens\n\nThe harbour reopened.\n", "not an RTF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content: a PNG image"),
        (b"{\\rtf1\\ansi Harbour reopens\\par {\\b The harbour", "groups are not closed"),
        (b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}}", "no text in the RTF document"),
        (b"{\\rtf1 " + bytes(range(128, 256)) * 40 + b"}", "replacement character"),
    ],
)
def test_a_damaged_empty_or_foreign_file_is_skipped_naming_it(
    tmp_path: Path, data: bytes, said: str
) -> None:
    path = tmp_path / "broken.rtf"
    path.write_bytes(data)
    read = read_article_file(path, max_bytes=MAX)
    assert read.articles == []
    (warning,) = read.warnings
    assert warning.startswith("skipped broken.rtf: ") and said in warning, warning


def test_an_rtf_article_is_read_as_a_text_file_is(tmp_path: Path) -> None:
    paragraphs = [
        "Harbour of Skarra reopens after the storms",
        "By Marit Olsen",
        "The harbour of Skarra reopened on Monday, three weeks after the storms, the port's "
        "director said.",
        "The clerk printed page 1 of 3 DOCUMENTS before the copier jammed; End of Document.",
    ]
    rtf = tmp_path / "Skarra harbour (1).rtf"
    rtf.write_bytes(rtf_document(paragraphs))
    txt = tmp_path / "Skarra-harbour-1.txt"
    txt.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    read = read_article_file(rtf, max_bytes=MAX)
    assert list(read.warnings) == []
    assert not is_archive(rtf, max_bytes=MAX)
    (article,) = read.articles
    (as_text,) = read_article_file(txt, max_bytes=MAX).articles
    assert article.doc_id == "Skarra-harbour-1"
    assert (article.title, article.author) == (paragraphs[0], "Marit Olsen")
    assert article.model_dump(exclude={"content_hash"}) == as_text.model_dump(
        exclude={"content_hash"}
    )
    assert article.content_hash != as_text.content_hash  # of the file's own bytes


def test_a_nexis_uni_rtf_gives_the_articles_and_ids_of_its_word_download(tmp_path: Path) -> None:
    rtf = nexis_uni_rtf(tmp_path / "Results.RTF", word_files.EXPORT)
    read = read_article_file(rtf, max_bytes=MAX)
    assert list(read.warnings) == []
    assert is_archive(rtf, max_bytes=MAX)
    assert read.origins == ["Results.RTF item 1", "Results.RTF item 2", "Results.RTF item 3"]
    docx = read_article_file(
        nexis_export(tmp_path / "Results.docx", word_files.EXPORT), max_bytes=MAX
    )
    assert [a.model_dump() for a in read.articles] == [a.model_dump() for a in docx.articles]
    assert read.articles[1].title == word_files.FERRY.title


def test_a_classic_nexis_rtf_gives_the_articles_and_ids_of_its_text_download(
    tmp_path: Path,
) -> None:
    rtf = classic_nexis_rtf(tmp_path / "results.rtf", nexis_text_files.EXPORT)
    read = read_article_file(rtf, max_bytes=MAX)
    assert list(read.warnings) == []
    text = write_export(tmp_path / "results.txt", nexis_text_files.EXPORT)
    as_text = read_article_file(text, max_bytes=MAX)
    assert len(read.articles) == 3
    assert [(a.doc_id, a.title, a.source, a.date, a.author, a.text) for a in read.articles] == [
        (a.doc_id, a.title, a.source, a.date, a.author, a.text) for a in as_text.articles
    ]


def test_a_factiva_rtf_gives_the_articles_and_ids_of_its_html_download(tmp_path: Path) -> None:
    rtf = tmp_path / "Factiva-20230314.rtf"
    rtf.write_bytes(rtf_document(factiva_rtf_paragraphs(factiva_files.EXPORT)))
    read = read_article_file(rtf, max_bytes=MAX)
    assert list(read.warnings) == []
    assert is_archive(rtf, max_bytes=MAX)
    html = factiva_files.write_export(tmp_path / "Factiva.html", factiva_files.EXPORT)
    as_html = read_article_file(html, max_bytes=MAX)
    assert [a.doc_id for a in read.articles] == [i.accession for i in factiva_files.EXPORT]
    assert [(a.doc_id, a.title, a.source, a.date, a.author, a.text) for a in read.articles] == [
        (a.doc_id, a.title, a.source, a.date, a.author, a.text) for a in as_html.articles
    ]


@pytest.mark.parametrize("missing", [0, 1, 2])
def test_a_factiva_rtf_article_without_its_document_line_is_an_article(
    tmp_path: Path, missing: int
) -> None:
    """An article without its closing "Document <accession>" line (first, between two, or
    last) is an article under an id made from its title and text, the one its HTML download
    gives it: it was read with the next article's header and text under the next's accession
    number, or, last, left out."""
    items = list(factiva_files.EXPORT)
    items[missing] = replace(items[missing], accession=None)
    rtf = tmp_path / "results.rtf"
    rtf.write_bytes(rtf_document(factiva_rtf_paragraphs(items)))
    read = read_article_file(rtf, max_bytes=MAX)
    assert list(read.warnings) == []
    as_html = read_article_file(
        factiva_files.write_export(tmp_path / "results.html", items), max_bytes=MAX
    )
    fields = [(a.doc_id, a.title, a.source, a.date, a.author, a.text) for a in as_html.articles]
    assert len(fields) == 3 and fields[missing][0] != factiva_files.EXPORT[missing].accession
    assert [(a.doc_id, a.title, a.source, a.date, a.author, a.text) for a in read.articles] == (
        fields
    )


def test_a_damaged_factiva_item_is_one_warning_and_the_rest_is_read(tmp_path: Path) -> None:
    paragraphs = factiva_rtf_paragraphs(factiva_files.EXPORT)
    paragraphs.remove("English")  # the first article's: its text is now the source's code
    first_copyright = next(p for p in paragraphs if p.startswith("Copyright"))
    paragraphs.remove(first_copyright)  # nothing parts its header from its text
    rtf = tmp_path / "f.rtf"
    rtf.write_bytes(rtf_document(paragraphs))
    read = read_article_file(rtf, max_bytes=MAX)
    assert [a.doc_id for a in read.articles] == [i.accession for i in factiva_files.EXPORT[1:]]
    (warning,) = read.warnings
    assert warning.startswith("skipped f.rtf item 1: no copyright or language line"), warning


def test_an_article_with_a_document_line_but_no_word_count_stays_one(tmp_path: Path) -> None:
    paragraphs = [
        "Archive clerks lose a request",
        "The clerk typed the reference on Monday and filed it.",
        "Document VSBYEP0020230314ej3e0001a",
    ]
    rtf = tmp_path / "clerks.rtf"
    rtf.write_bytes(rtf_document(paragraphs))
    (article,) = read_article_file(rtf, max_bytes=MAX).articles
    assert (article.doc_id, article.title) == ("clerks", "Archive clerks lose a request")


def test_a_document_sent_whole_is_an_export_or_one_article(tmp_path: Path) -> None:
    export = nexis_uni_rtf(tmp_path / "r.rtf", word_files.EXPORT).read_bytes()
    assert is_document_export("results.rtf", export)
    one = rtf_document(["Harbour reopens", "The harbour of Skarra reopened on Monday."])
    assert not is_document_export("harbour.rtf", one)
    suffix, article = read_document("Harbour.RTF", one)
    assert (suffix, article.title) == (".rtf", "Harbour reopens")
    with pytest.raises(BadInput, match="not an RTF document"):
        read_document("notes.rtf", b"plain words")


def test_a_pictures_hex_digits_do_not_make_an_rtf_an_export_to_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A picture's hex digits hold runs of a Factiva accession number's shape by chance (a
    dozen in a picture of 200 KB): an RTF article with one was parsed whole to see whether it
    was an export (a second for 3 MB, where the words no export lacks are looked for in 6 ms);
    a number in a run of letters and figures is none, one after a label's escape is."""
    parsed: list[int] = []

    def counted(data: bytes, *, cell_breaks: bool = False) -> list[str]:
        parsed.append(len(data))
        return rtf_paragraphs(data, cell_breaks=cell_breaks)

    monkeypatch.setattr(rtf_documents, "rtf_paragraphs", counted)
    number = "0a1b2c3d20240101ab12cd34e"  # the shape, inside the picture's digits
    picture = "89504e470d0a1a0a" + number + "ff" * 60
    path = tmp_path / "harbour.rtf"
    path.write_bytes(
        b"{\\rtf1\\ansi Harbour reopens\\par The harbour reopened on Monday.\\par"
        + b"{\\pict\\pngblip "
        + picture.encode("ascii")
        + b"}}"
    )
    assert not is_archive(path, max_bytes=MAX) and parsed == []
    # a closing line's label in escapes ("\\'b5", a code page's "文档") touches its number: the
    # document is parsed to see (and is no export: no word count, no date)
    labelled = tmp_path / "labelled.rtf"
    labelled.write_bytes(
        b"{\\rtf1\\ansi\\ansicpg936 Harbour reopens\\par "
        b"\\'ce\\'c4\\'b5\\'b5WSJ0000020240101ek1100001\\par}"
    )
    assert not is_archive(labelled, max_bytes=MAX) and len(parsed) == 1


def test_an_export_is_parsed_once_for_its_bytes_however_often_the_folder_is_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # each import and delete asks every file of the folder whether it is an export and which
    # ids it gives: an RTF whose bytes hold "Document" was parsed whole on every ask, twice
    # for an export (seconds for one of a few MB), where a PDF is read once for its bytes
    parsed: list[int] = []

    def counted(data: bytes, *, cell_breaks: bool = False) -> list[str]:
        parsed.append(len(data))
        return rtf_paragraphs(data, cell_breaks=cell_breaks)

    monkeypatch.setattr(rtf_documents, "rtf_paragraphs", counted)
    folder = tmp_path / "corpus"
    folder.mkdir()
    new = replace(word_files.FERRY, title=f"Night ferry news for {tmp_path.name}")  # new bytes
    export = nexis_uni_rtf(folder / "results.rtf", [word_files.LIGHTHOUSE, new])
    (folder / "clerks.rtf").write_bytes(
        rtf_document([f"Clerks of {tmp_path.name} file a Document", "They filed it on Monday."])
    )
    articles, _ = read_corpus(folder, max_bytes=MAX)  # a build: each parsed once
    assert len(articles) == 3 and len(parsed) == 2
    for _ in range(3):
        ids = ids_in_folder(folder, max_bytes=MAX)
        assert set(ids) == {a.doc_id for a in articles}
        assert is_archive(export, max_bytes=MAX) and not is_archive(folder / "clerks.rtf")
        assert len(list(archive_entries(export, max_bytes=MAX))) == 2
    assert len(parsed) == 2
    export.write_bytes(export.read_bytes().replace(b"Night ferry", b"Late ferry"))
    assert len(ids_in_folder(folder, max_bytes=MAX)) == 3 and len(parsed) == 3  # new bytes
