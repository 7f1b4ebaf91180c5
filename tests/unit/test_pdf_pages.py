"""Unit tests for articles saved as PDF: index/pdf_pages.py reads the PDFs that
tests/fixtures/make_pdfs.py printed from articles written for these tests (a news page printed
by Chromium with its default header and footer, a word processor's document with running
headers and "Page 1 of 2", a locked, a blank and a broken file), and qa/pdf_text.py's rules
are checked on made-up page layouts."""

from __future__ import annotations

import asyncio
import io
import os
import sys
import zlib
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

import api.documents_service as documents_service
from api.import_slot import ImportSlot
from index import pdf_pages
from index.builder import rebuild_index
from index.documents import add_article
from index.file_kinds import suffix_of
from index.formats import read_article_file, read_document
from index.pdf_pages import LIMITS, Chunk, PdfLimits, article_from_pdf
from index.store import read_articles
from index.versions import current_version
from qa.errors import BadInput
from qa.models import Article
from qa.pdf_text import PdfDocument, PdfPage, TextBox, pdf_article
from qa.settings import IndexSettings
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.unit

PDFS = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
MAX_BYTES = 10 << 20
ADDRESS = "https://coasttimes.example/news/skarra-harbour-reopens"


def article(name: str) -> Article:
    found = read_article_file(PDFS / name, max_bytes=MAX_BYTES)
    assert found.warnings == []
    assert len(found.articles) == 1
    return found.articles[0]


def skip_warning(name: str) -> str:
    found = read_article_file(PDFS / name, max_bytes=MAX_BYTES)
    assert found.articles == []
    assert len(found.warnings) == 1
    return found.warnings[0]


def test_pdf_is_a_suffix_the_index_reads() -> None:
    assert suffix_of(Path("Harbour report.PDF")) == ".pdf"


def test_a_printed_news_page_gives_its_article_and_details() -> None:
    printed = article("harbour-print.pdf")
    assert printed.title == "Skarra harbour reopens after storms"  # " | Coast Times" dropped
    assert printed.url == ADDRESS  # from the footer the browser printed
    assert printed.author == "Anna Berg"
    assert printed.date == "2031-03-03"  # the byline's date, not the day it was printed
    paragraphs = printed.text.split("\n\n")
    assert paragraphs[0].startswith("The harbour of Skarra reopened on Monday")
    assert paragraphs[-1].startswith("The next high tides are expected")
    assert len(paragraphs) == 11


def test_a_paragraph_across_a_page_break_is_one_paragraph() -> None:
    paragraphs = article("harbour-print.pdf").text.split("\n\n")
    crossing = [p for p in paragraphs if p.startswith("The ferry company said")]
    assert len(crossing) == 1
    assert crossing[0].endswith("kept the gates closed a great deal.")
    assert "under a clear sky, its captains saying that" in crossing[0]


def test_running_headers_footers_and_the_site_around_the_article_are_dropped() -> None:
    text = article("harbour-print.pdf").text
    furniture = ["Coast Times", "1/2", "2/2", "coasttimes.example", "Podcasts", "AM"]
    furniture += ["Lighthouse keeper retires", "All rights reserved", "Privacy"]
    assert [line for line in furniture if line in text] == []


def test_a_one_page_print_loses_its_header_and_footer_too() -> None:
    printed = article("harbour-short.pdf")
    assert printed.url == ADDRESS
    assert printed.text.split("\n\n") == [
        "The harbour of Skarra reopened on Monday after a week of storms that closed the port "
        "to all shipping and flooded the fish market on the quay.",
        "The council estimated the cost of the repairs at 2.4 million euros and said it would "
        "ask the national government for help with the bill.",
    ]


def test_a_document_keeps_every_paragraph_and_takes_its_metadata() -> None:
    notes = article("council-notes.pdf")
    assert notes.title == "Council budget notes"
    assert notes.author == "Eva Lund"  # no byline in the text: the metadata's Author
    assert notes.date == "2031-04-12"  # no browser made it: its CreationDate
    assert notes.url is None
    paragraphs = notes.text.split("\n\n")
    assert len(paragraphs) == 16
    assert "Page 1 of 2" not in notes.text and "Page" not in paragraphs[-1]
    assert paragraphs[-1] == (
        "The mayor closed the meeting by thanking the harbour crews for their work during the "
        "storms."
    )


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("locked.pdf", "skipped locked.pdf: encrypted: it needs a password to open"),
        ("blank.pdf", "skipped blank.pdf: no text layer: a scanned PDF"),
        ("broken.pdf", "skipped broken.pdf: not a PDF that can be read"),
    ],
)
def test_a_pdf_without_an_article_is_skipped_saying_why(name: str, said: str) -> None:
    assert skip_warning(name).startswith(said)


def test_a_file_named_pdf_that_is_none_is_skipped(tmp_path: Path) -> None:
    fake = tmp_path / "notes.pdf"
    fake.write_text("The harbour reopened on Monday.", encoding="utf-8")
    found = read_article_file(fake, max_bytes=MAX_BYTES)
    assert found.warnings == ["skipped notes.pdf: not a PDF: it does not start with %PDF-"]


def test_a_pdf_over_max_bytes_is_skipped_unread() -> None:
    found = read_article_file(PDFS / "harbour-short.pdf", max_bytes=1000)
    assert found.articles == []
    assert found.warnings == [
        "skipped harbour-short.pdf: the file is larger than the limit of 1,000 bytes (setting "
        "index.max_document_bytes)"
    ]


def _blank_pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_of_too_many_pages_is_not_laid_out() -> None:
    with pytest.raises(
        BadInput, match="it has 3 pages, more than an article \\(2, setting index.pdf_max_pages\\)"
    ):
        article_from_pdf("big", _blank_pages(3), limits=replace(LIMITS, max_pages=2))


def test_a_build_holds_pdfs_to_the_settings_limits(tmp_path: Path) -> None:
    # the limits were constants of index/pdf_pages.py, out of reach of the settings
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "harbour-short.pdf").write_bytes((PDFS / "harbour-short.pdf").read_bytes())
    (folder / "pages.pdf").write_bytes(_blank_pages(3))
    (folder / "note.txt").write_text("Ferry returns\n\nThe ferry sails again on Monday.\n")
    settings = IndexSettings(pdf_max_pages=2)
    report = rebuild_index(
        folder, tmp_path / "index", embedder=HashingEmbedder(), dense_settings=settings
    )
    assert report.warnings == [
        "skipped pages.pdf: it has 3 pages, more than an article (2, setting "
        "index.pdf_max_pages), and its first 2 are not a Nexis Uni export's (which is read up "
        "to 3,000 pages, setting index.pdf_export_max_pages); split out the article's pages "
        "(print those to PDF) and rebuild"
    ]
    assert PdfLimits.of(settings) == replace(LIMITS, max_pages=2)


def test_a_decompression_bomb_stops_at_the_memory_limit() -> None:
    # a page whose content stream is 400 MB of spaces, compressed to under half a megabyte
    squeeze = zlib.compressobj(9)
    packed = b"".join(squeeze.compress(b" " * (1 << 20)) for _ in range(400)) + squeeze.flush()
    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    stream = DecodedStreamObject()
    stream._data = packed  # already compressed: written as it is, marked as such
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    assert len(out.getvalue()) < 1 << 20
    limits = replace(LIMITS, memory_bytes=256 << 20)
    with pytest.raises(BadInput, match="needed more than 256 MiB of memory"):
        article_from_pdf("bomb", out.getvalue(), limits=limits)


def test_the_reader_runs_the_projects_modules_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a server started from a folder holding a qa.py: the child imported it, not the project's
    (tmp_path / "qa.py").write_text('raise SystemExit("the wrong qa")\n')
    monkeypatch.chdir(tmp_path)
    data = (PDFS / "harbour-short.pdf").read_bytes()
    assert article_from_pdf("harbour", data).title == "Skarra harbour reopens after storms"


def _fake_reader(tmp_path: Path, script: str) -> str:
    fake = tmp_path / "fake-python"
    fake.write_text(f"#!/bin/sh\ncat > /dev/null\n{script}\n")
    fake.chmod(0o755)
    return str(fake)


@pytest.mark.parametrize("said", ["Traceback? no: some words", '["a list"]', '{"pages": 3}'])
def test_a_reading_that_answers_no_json_document_is_a_skip_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: str
) -> None:
    # a JSONDecodeError (or a KeyError) escaped the reader, failing the whole build
    monkeypatch.setattr(sys, "executable", _fake_reader(tmp_path, f"printf '%s' '{said}'"))
    data = (PDFS / "harbour-short.pdf").read_bytes()
    with pytest.raises(BadInput, match="its reading gave no answer"):
        article_from_pdf("harbour", data)


def test_a_reading_that_floods_its_error_output_says_its_last_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = (
        "head -c 3000000 /dev/zero | tr '\\0' x >&2; echo >&2; echo 'ValueError: bad' >&2; exit 1"
    )
    monkeypatch.setattr(sys, "executable", _fake_reader(tmp_path, script))
    data = (PDFS / "harbour-short.pdf").read_bytes()
    with pytest.raises(BadInput, match=r"^not a PDF that can be read \(ValueError: bad\)$"):
        article_from_pdf("harbour", data)


def test_an_answer_larger_than_its_limit_is_refused() -> None:
    data = (PDFS / "harbour-short.pdf").read_bytes()
    limits = replace(LIMITS, max_pages=5, page_output_bytes=100)  # less than this article
    with pytest.raises(BadInput, match="its text would be more than 500 bytes"):
        article_from_pdf("harbour", data, limits=limits)


# --- the rules on made-up layouts -----------------------------------------------------------


def _page(*boxes: tuple[float, str], linked: int = 0) -> PdfPage:
    return PdfPage(
        height=800.0,
        boxes=tuple(TextBox((text,), top, top + 12, linked=linked) for top, text in boxes),
    )


def test_a_browser_prints_date_is_not_the_articles_date() -> None:
    page = _page(
        (10, "3/9/31, 10:15 AM"),
        (100, "The harbour reopened on Monday after the storms had closed it for a week."),
        (780, "https://coasttimes.example/harbour"),
        (780, "1/1"),
    )
    printed = PdfDocument(pages=(page,), created="D:20310309101500Z", producer="Skia/PDF m120")
    found = pdf_article(printed)
    assert found.date is None  # the CreationDate is the day it was printed
    assert found.url == "https://coasttimes.example/harbour"
    assert found.paragraphs == [
        "The harbour reopened on Monday after the storms had closed it for a week."
    ]


def test_a_line_on_nearly_every_page_is_a_running_header_whatever_its_page_number() -> None:
    pages = tuple(
        _page(
            (20, "Harbour Review — spring issue"),
            (300, f"Paragraph {n} of the report says what the harbour council decided."),
            (780, f"Page {n} of 5"),
        )
        for n in range(1, 6)
    )
    found = pdf_article(PdfDocument(pages=pages, producer="LibreOffice"))
    assert len(found.paragraphs) == 5
    assert all("Harbour Review" not in p and "Page" not in p for p in found.paragraphs)


def test_a_line_repeated_in_the_middle_of_pages_is_kept() -> None:
    """Only the top and bottom bands hold running headers: the same words in the body are
    the article's."""
    pages = tuple(_page((400, "The council will meet again on Friday.")) for _ in range(3))
    found = pdf_article(PdfDocument(pages=pages, producer="LibreOffice"))
    assert len(found.paragraphs) == 3


def test_ligatures_read_as_letters() -> None:
    page = _page((300, "The ﬁrst ferry left the harbour oﬀ schedule on Monday morning."))
    found = pdf_article(PdfDocument(pages=(page,), producer="LibreOffice"))
    assert found.paragraphs == ["The first ferry left the harbour off schedule on Monday morning."]


def _index_of_one_note(tmp_path: Path) -> Path:
    """An index of a corpus folder holding one text article, for a PDF to be added to."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "note.txt").write_text("Ferry returns\n\nThe ferry sails again on Monday.\n")
    index_dir = tmp_path / "index"
    rebuild_index(folder, index_dir, embedder=HashingEmbedder())
    return index_dir


def test_a_pdf_added_with_its_reading_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # POST /documents/import read a PDF three times (its id, the add's check, the build)
    index_dir = _index_of_one_note(tmp_path)
    readings: list[int] = []
    reading = pdf_pages.read_pdf

    def counted(data: bytes, **kwargs: Any) -> PdfDocument:
        readings.append(len(data))
        return reading(data, **kwargs)

    monkeypatch.setattr(pdf_pages, "read_pdf", counted)
    data = (PDFS / "harbour-short.pdf").read_bytes()
    suffix, read = read_document("harbour.pdf", data)
    report = add_article(
        index_dir, "skarra-harbour", data, embedder=HashingEmbedder(),
        index_settings=IndexSettings(), near_duplicate_threshold=None, suffix=suffix, read=read,
    )  # fmt: skip
    assert report is not None and report.added == ["skarra-harbour"]
    assert len(readings) == 1
    (stored,) = [a for a in read_articles(current_version(index_dir)) if a.doc_id != "note"]
    assert (stored.doc_id, stored.title) == ("skarra-harbour", read.title)
    assert stored.text == read.text


def test_a_pdf_sent_to_the_import_route_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """POST /documents/import read an ordinary PDF twice: once to ask whether it was a Nexis Uni
    export, then again as one article (two children laying out its pages: 3.3 s instead of
    1.3 s for a 12-page article); the first reading is the article now."""
    index_dir = _index_of_one_note(tmp_path)
    children: list[Chunk] = []
    answer = pdf_pages._child_answer

    def counted(data: bytes, reader: str, limits: PdfLimits, chunk: Chunk, **kwargs: Any) -> Any:
        children.append(chunk)
        return answer(data, reader, limits, chunk, **kwargs)

    monkeypatch.setattr(pdf_pages, "_child_answer", counted)
    settings = SimpleNamespace(
        index=IndexSettings(),
        index_dir=index_dir,
        retrieval=SimpleNamespace(near_duplicate_threshold=None),
    )
    service: Any = SimpleNamespace(
        settings=settings,
        embedder=HashingEmbedder(),
        imports=ImportSlot(),
        index=SimpleNamespace(corpus=SimpleNamespace(articles={})),
    )
    reloader: Any = SimpleNamespace(
        reload=lambda retry: SimpleNamespace(version=current_version(index_dir).name)
    )
    data = (PDFS / "harbour-short.pdf").read_bytes()
    imported = asyncio.run(
        documents_service.import_document("harbour.pdf", data, service, reloader)
    )
    assert len(children) == 1
    (doc_id,) = imported.report.added
    assert imported.report.stored_as == f"{doc_id}.pdf"
    (stored,) = [a for a in read_articles(current_version(index_dir)) if a.doc_id != "note"]
    assert stored.title == "Skarra harbour reopens after storms"


@pytest.mark.parametrize("name", [".pdf", "scans/.pdf", "HARBOUR.PDF", "../../harbour.pdf"])
def test_a_document_sent_is_told_by_its_names_ending_alone(name: str) -> None:
    # ".pdf" was refused as "does not end in a document's format (.pdf)"
    suffix, read = read_document(name, (PDFS / "harbour-short.pdf").read_bytes())
    assert (suffix, read.title) == (".pdf", "Skarra harbour reopens after storms")


def test_the_reading_child_gets_no_keys_or_settings_of_the_server() -> None:
    server = {
        "PATH": "/usr/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TMPDIR": "/var/tmp",
        "PYTHONPATH": "/opt/extra",
        "QA_SERVER__ADMIN_KEY": "k" * 32,
        "QA_GENERATION__API_KEY": "sk-secret",
        "AWS_SECRET_ACCESS_KEY": "x",
    }
    env = pdf_pages.child_environment(server)
    assert not any(name.startswith(("QA_", "AWS_")) for name in env)
    assert {k: env[k] for k in ("PATH", "LANG", "LC_ALL", "TMPDIR")} == {
        k: server[k] for k in ("PATH", "LANG", "LC_ALL", "TMPDIR")
    }
    project, extra = env["PYTHONPATH"].split(os.pathsep)
    assert (Path(project) / "index" / "pdf_pages.py").is_file() and extra == "/opt/extra"


def test_the_reading_child_is_started_without_the_servers_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the child parses files anyone who may upload sent: it was given the whole environment
    monkeypatch.setenv("QA_SERVER__ADMIN_KEY", "k" * 32)
    monkeypatch.setenv("LANG", "C.UTF-8")
    seen = tmp_path / "seen.env"
    monkeypatch.setattr(sys, "executable", _fake_reader(tmp_path, f"env > {seen}; exit 1"))
    with pytest.raises(BadInput):
        article_from_pdf("harbour", (PDFS / "harbour-short.pdf").read_bytes())
    names = {line.split("=", 1)[0] for line in seen.read_text().splitlines() if "=" in line}
    assert "QA_SERVER__ADMIN_KEY" not in names and {"LANG", "PYTHONPATH"} <= names
    monkeypatch.undo()
    assert article_from_pdf("harbour", (PDFS / "harbour-short.pdf").read_bytes()).title
