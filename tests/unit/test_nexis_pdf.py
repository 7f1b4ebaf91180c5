"""A Nexis Uni export saved as PDF is read as its articles (qa/nexis_pdf.py on the pages
index/pdf_pages.py reads; index/pdf_exports.py, index/formats.py), with the ids its Word
export gives the same articles; any other PDF stays one article, read once."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from index import pdf_exports, pdf_pages
from index.archive_records import archive_entries, ids_in_folder
from index.builder import rebuild_index
from index.corpus import read_corpus
from index.file_kinds import is_archive
from index.formats import read_article_file
from index.imports import import_archive
from index.pdf_exports import is_pdf_export, pdf_export_entries
from index.verdicts import Verdicts
from qa.archives import record_doc_id, record_of
from qa.errors import BadInput
from qa.nexis import NexisArticle
from qa.nexis_pdf import nexis_pdf_articles, nexis_pdf_paragraphs, opens_export
from qa.pdf_text import PdfDocument, PdfPage, TextBox
from qa.settings import IndexSettings
from tests.fakes import HashingEmbedder
from tests.importing import built_corpus
from tests.nexis_pdf_files import NEXIS_PDF, PDF_EXPORT, SEARCH_HEADER
from tests.unit.test_pdf_chunks import FakePdf
from tests.word_files import nexis_export

pytestmark = pytest.mark.unit

PDFS = NEXIS_PDF.parent
MAX = 50_000_000


def _page(*boxes: tuple[float, str | tuple[str, ...]], height: float = 800) -> PdfPage:
    made = []
    for top, text in boxes:
        lines = (text,) if isinstance(text, str) else text
        made.append(TextBox(lines, top, top + 12 * len(lines)))
    return PdfPage(height=height, boxes=tuple(made))


def test_the_pages_give_the_lines_of_the_word_export_without_their_furniture() -> None:
    header, footer = (10, "Results: ferry"), (780, "Page {} of 2")
    document = PdfDocument(
        pages=(
            _page(
                header,
                (100, "Ferry fares rise"),
                (120, "Vessby Post"),
                (140, "May 2, 2031 Friday"),
                (160, ("Length:\u00a040 words", "Byline:\u00a0Ann Ek", "Body")),
                (220, ("Fares on the night ferry rise by a tenth from June, the", "operator said")),
                (780, "Page 1 of 2"),
            ),  # fmt: skip
            _page(
                header,
                (100, "on Monday, after a year of losses."),
                (140, "Classification"),
                (160, "Load-Date:\u00a0May 2, 2031"),
                (180, "End of Document"),
                (footer[0], footer[1].format(2)),
            ),  # fmt: skip
        )
    )
    paragraphs = nexis_pdf_paragraphs(document)
    assert "Results: ferry" not in paragraphs and "Page 1 of 2" not in paragraphs
    assert paragraphs[3:6] == ["Length: 40 words", "Byline: Ann Ek", "Body"]
    # the paragraph across the page break is one again
    assert paragraphs[6] == (
        "Fares on the night ferry rise by a tenth from June, the operator said on Monday, after "
        "a year of losses."
    )
    (article,) = nexis_pdf_articles(document) or []
    assert (article.title, article.source, article.date, article.author) == (
        "Ferry fares rise", "Vessby Post", "2031-05-02", "Ann Ek",
    )  # fmt: skip


def _one_papers_export(*, continued: bool) -> PdfDocument:
    """An export of three stories of one paper, each from a new page (its publication and a
    date line of the same weekday and month at the top of most pages), the search as a running
    header; the last story across a page break when `continued`."""
    header = (10, "Results: ferry")
    pages = [_page(header, (100, "Documents (3)"), (780, "Page 1"))]
    for n, title in enumerate(("Ferry fares rise", "Quay repaired", "Night buses return"), 1):
        text = (f"The harbour office said on Monday that story {n} was true, and that it", "would")
        pages.append(
            _page(
                header,
                (30, title),
                (50, "Vessby Post"),
                (70, f"May {n}, 2031 Friday"),
                (100, ("Length:\u00a040 words", "Byline:\u00a0Ann Ek", "Body")),
                (200, (*text, "stay so." if n < 3 or not continued else "stay")),
                *(
                    []
                    if n == 3 and continued
                    else [(240, "Classification"), (260, "End of Document")]
                ),
                (780, f"Page {n + 1}"),
            )  # fmt: skip
        )
    if continued:
        pages.append(
            _page(header, (100, "so for a year."), (140, "End of Document"), (780, "Page 5"))
        )
    return PdfDocument(pages=tuple(pages))


@pytest.mark.parametrize("continued", [True, False])
def test_a_papers_own_lines_at_the_top_of_each_story_are_no_running_header(
    continued: bool,
) -> None:
    articles = nexis_pdf_articles(_one_papers_export(continued=continued)) or []
    assert [(a.title, a.source, a.date, a.author) for a in articles] == [
        ("Ferry fares rise", "Vessby Post", "2031-05-01", "Ann Ek"),
        ("Quay repaired", "Vessby Post", "2031-05-02", "Ann Ek"),
        ("Night buses return", "Vessby Post", "2031-05-03", "Ann Ek"),
    ]
    paragraphs = nexis_pdf_paragraphs(_one_papers_export(continued=continued))
    if continued:  # the search at the top of a page within a story: furniture, everywhere
        assert "Results: ferry" not in paragraphs
        assert articles[2].paragraphs[-1].endswith("would stay so for a year.")


@pytest.mark.parametrize("at", [10, 780])
def test_a_documents_title_repeated_in_the_band_of_its_pages_is_furniture(at: int) -> None:
    # a running header (or footer) that names the document each page belongs to: on the
    # pages after the first it stood in the text, and broke the paragraph across the page
    def story(title: str, first: str, rest: str) -> tuple[PdfPage, PdfPage]:
        return (
            _page(
                (30, title), (50, "Vessby Post"), (70, "May 2, 2031 Friday"),
                (100, ("Length:\u00a040 words", "Body")), (200, first), (at, title),
            ),
            _page((at, title), (100, rest), (140, "End of Document")),
        )  # fmt: skip

    document = PdfDocument(
        pages=(
            *story("Ferry fares rise", "Fares on the night ferry rise by a tenth from", "June."),
            *story("Quay repaired", "Divers repaired the quay, which the storm in May had", "hit."),
        )
    )
    articles = nexis_pdf_articles(document) or []
    assert [(a.title, a.paragraphs) for a in articles] == [
        ("Ferry fares rise", ["Fares on the night ferry rise by a tenth from June."]),
        ("Quay repaired", ["Divers repaired the quay, which the storm in May had hit."]),
    ]


def test_an_article_that_mentions_end_of_document_is_no_export() -> None:
    document = PdfDocument(
        pages=(
            _page(
                (100, "Archive staff retire"),
                (130, "End of Document"),
                (160, "The archive closes its reading room in May, its staff said."),
            ),  # fmt: skip
        )
    )
    assert nexis_pdf_articles(document) is None


def test_a_long_pdfs_first_pages_open_an_export_by_a_body_line_then_a_whole_document() -> None:
    cover = _page((100, "Documents (2)"), (130, "1. Archive staff retire"))
    header = _page((100, "Archive staff retire"), (130, "Body"), (160, "The archive closes."))
    text = _page((100, "its reading room in May, its staff said."))
    end = _page((100, "Load-Date: May 2, 2024"), (130, "End of Document"))
    assert not opens_export(PdfDocument(pages=(cover, cover)), article_pages=4)
    assert opens_export(PdfDocument(pages=(cover, header)), article_pages=4)
    # as many pages as an article may have: a document has ended among them
    assert not opens_export(PdfDocument(pages=(cover, header, text, text)), article_pages=4)
    assert opens_export(PdfDocument(pages=(cover, header, text, end)), article_pages=4)


def test_the_export_pdf_gives_its_articles_with_the_word_exports_ids(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(NEXIS_PDF, folder / "Nexis results 2024.pdf")
    found = read_article_file(folder / "Nexis results 2024.pdf", max_bytes=MAX)
    assert [a.title for a in found.articles] == [item.title for item in PDF_EXPORT]
    assert found.origins == [f"Nexis results 2024.pdf item {n}" for n in (1, 2, 3)]
    for article, item in zip(found.articles, PDF_EXPORT, strict=True):
        assert SEARCH_HEADER not in article.text and "Page " not in article.text
        assert article.source == item.source
    # the last article's paragraph across the page break is whole
    assert PDF_EXPORT[2].paragraphs[-2] in found.articles[2].text
    docx = nexis_export(tmp_path / "results.docx", PDF_EXPORT)
    word = read_article_file(docx, max_bytes=MAX)
    assert [a.doc_id for a in found.articles] == [a.doc_id for a in word.articles]
    assert is_archive(folder / "Nexis results 2024.pdf")


def test_an_ordinary_pdf_stays_one_article_read_once_per_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(PDFS / "council-notes.pdf", folder / "Council notes.pdf")  # a name made an id
    shutil.copy(NEXIS_PDF, folder / "export.pdf")
    readings: list[int] = []
    reading = pdf_pages.read_pdf

    def counted(data: bytes, **kwargs: Any) -> PdfDocument:
        readings.append(len(data))
        return reading(data, **kwargs)

    monkeypatch.setattr(pdf_exports, "read_pdf", counted)
    monkeypatch.setattr(pdf_exports, "_FOUND", pdf_exports._verdicts())
    articles, _ = read_corpus(folder, max_bytes=MAX)  # a build
    notes = [a for a in articles if a.doc_id == "Council-notes"]
    assert [a.title for a in notes] == ["Council budget notes"] and len(articles) == 4
    assert not is_archive(folder / "Council notes.pdf")
    ids = ids_in_folder(folder, max_bytes=MAX)
    assert len(ids) == 4 and ids["Council-notes"] == "Council notes.pdf"
    assert len(readings) == 2  # each PDF once, however often it was asked about


def _fake_exports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, *, chars: int
) -> tuple[list[Path], list[int]]:
    """`count` PDF exports (their reading faked: each a story of `chars` characters), and the
    list each reading of a PDF is counted in."""
    readings: list[int] = []

    def read(data: bytes, **kwargs: Any) -> PdfDocument:
        readings.append(len(data))
        return PdfDocument(pages=(), title=data.decode())

    def articles(document: PdfDocument) -> list[NexisArticle]:
        return [NexisArticle(1, title=document.title, paragraphs=["x" * chars])]

    monkeypatch.setattr(pdf_exports, "read_pdf", read)
    monkeypatch.setattr(pdf_exports, "nexis_pdf_articles", articles)
    paths = []
    for n in range(count):
        paths.append(tmp_path / f"export-{n:02d}.pdf")
        paths[-1].write_bytes(f"export {n}".encode())
    return paths, readings


def test_a_folder_of_many_exports_is_read_once_not_on_every_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # each import and delete asks for every export's ids: 40 exports were 32 kept, and a pass
    # in name order read all 40 again every time
    monkeypatch.setattr(pdf_exports, "_FOUND", pdf_exports._verdicts())
    paths, readings = _fake_exports(tmp_path, monkeypatch, 40, chars=5_000)
    for _ in range(3):
        for path in paths:
            assert is_pdf_export(path, max_bytes=MAX)
            assert [e.number for e in pdf_export_entries(path, max_bytes=MAX)] == [1]
    assert len(readings) == 40


def test_the_articles_kept_are_bounded_by_their_text_and_the_verdicts_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_exports, "_FOUND", pdf_exports._verdicts(article_chars=1_000))
    paths, readings = _fake_exports(tmp_path, monkeypatch, 5, chars=400)
    for path in paths:
        list(pdf_export_entries(path, max_bytes=MAX))
    assert len(readings) == 5
    # whether each is an export is known without reading it again
    assert all(is_pdf_export(path, max_bytes=MAX) for path in paths) and len(readings) == 5
    # the last two exports' articles are kept (800 characters), the others' read again
    for path in paths[3:] + paths[:1]:
        list(pdf_export_entries(path, max_bytes=MAX))
    assert len(readings) == 6


def test_an_export_longer_than_an_article_is_read_whole_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an export longer than index.pdf_max_pages was refused whole, told to download it as Word;
    # it is read on, index.pdf_max_pages pages a child, as its first pages open an export
    monkeypatch.setattr(pdf_exports, "_FOUND", pdf_exports._verdicts())
    shutil.copy(NEXIS_PDF, tmp_path / "results.pdf")
    short = replace(pdf_pages.LIMITS, max_pages=2)  # the export has 5 pages: 3 children
    found = read_article_file(tmp_path / "results.pdf", max_bytes=MAX, pdf_limits=short)
    assert found.warnings == []
    assert [a.title for a in found.articles] == [item.title for item in PDF_EXPORT]
    whole = read_article_file(tmp_path / "results.pdf", max_bytes=MAX)  # one child
    assert [a.model_dump() for a in found.articles] == [a.model_dump() for a in whole.articles]


def test_an_export_longer_than_the_export_page_limit_is_told_how_to_download_one_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_exports, "_FOUND", pdf_exports._verdicts())
    shutil.copy(NEXIS_PDF, tmp_path / "results.pdf")
    limits = replace(pdf_pages.LIMITS, max_pages=2, export_max_pages=4)
    found = read_article_file(tmp_path / "results.pdf", max_bytes=MAX, pdf_limits=limits)
    (warning,) = found.warnings
    assert warning == (
        "skipped results.pdf: it has 5 pages, more than an article (2, setting "
        "index.pdf_max_pages) and more than a Nexis Uni export is read to (4, setting "
        "index.pdf_export_max_pages); split out the article's pages (print those to PDF) and "
        "rebuild; a Nexis Uni export that long: download it as Word (.docx), which has no page "
        "limit, or in PDFs of fewer documents each"
    )


def test_the_folder_checks_read_an_export_under_the_limits_the_build_reads_it_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # whether a PDF is an export, and which ids it gives, were asked under the default limits
    # by imports and deletes, and a reading under one set of limits was kept for any other:
    # under a page limit below its length, the build refused the file while those checks
    # still saw its items (or, the limit raised, the reverse)
    monkeypatch.setattr(pdf_exports, "_FOUND", pdf_exports._verdicts())
    folder = tmp_path / "corpus"
    folder.mkdir()
    path = folder / "results.pdf"
    shutil.copy(NEXIS_PDF, path)
    short = replace(pdf_pages.LIMITS, max_pages=2, export_max_pages=4)  # the export has 5 pages
    for limits in (pdf_pages.LIMITS, short, pdf_pages.LIMITS, short):
        ids = ids_in_folder(folder, max_bytes=MAX, pdf_limits=limits)  # the check first
        export = is_archive(path, pdf_limits=limits)
        read = read_article_file(path, max_bytes=MAX, pdf_limits=limits)
        assert export == (limits == pdf_pages.LIMITS) == bool(read.articles)
        assert set(ids) == ({a.doc_id for a in read.articles} if export else {"results"})
        assert ids == ids_in_folder(folder, max_bytes=MAX, pdf_limits=limits)  # and after
        assert is_archive(path, pdf_limits=limits) == export
    with pytest.raises(BadInput, match="it has 5 pages"):
        list(archive_entries(path, max_bytes=MAX, pdf_limits=short))
    assert len(list(archive_entries(path, max_bytes=MAX, pdf_limits=pdf_pages.LIMITS))) == 3


def test_an_import_checks_the_folder_under_the_configured_page_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the build under index.pdf_export_max_pages=4 skips the 5-page export, so its items are in no
    # index and no file gives their ids; the import's check read it under the default limits
    # and refused an article of it as given by "results.pdf item 1"
    monkeypatch.setattr(pdf_exports, "_FOUND", pdf_exports._verdicts())
    corpus, index_dir = built_corpus(tmp_path)
    shutil.copy(NEXIS_PDF, corpus / "results.pdf")
    first = next(iter(archive_entries(corpus / "results.pdf", max_bytes=MAX)))
    settings = IndexSettings(build_lock_timeout_s=5, pdf_max_pages=2, pdf_export_max_pages=4)
    built = rebuild_index(corpus, index_dir, embedder=HashingEmbedder(), dense_settings=settings)
    assert any(w.startswith("skipped results.pdf: it has 5 pages") for w in built.warnings)
    report = import_archive(
        index_dir, "more.jsonl", json.dumps(first.fields).encode(), embedder=HashingEmbedder(),
        index_settings=settings, near_duplicate_threshold=None,
    )  # fmt: skip
    assert report.added == [record_doc_id(record_of(first.fields))] and not report.refused


def _long_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pdf: FakePdf, *, export: bool
) -> Path:
    """A file whose reading is `pdf`'s (its children faked), whose first pages open a Nexis Uni
    export or not (`export`)."""
    monkeypatch.setattr(pdf_exports, "_FOUND", pdf_exports._verdicts())
    monkeypatch.setattr(pdf_pages, "_child_answer", pdf.answer)
    monkeypatch.setattr(pdf_exports, "opens_export", lambda document, **_: export)
    path = tmp_path / "long.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    return path


def test_a_long_pdf_refused_for_its_length_is_not_laid_out_again_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an ordinary PDF over an article's pages costs the layout of its first pages (some 5 s,
    # where its refusal unread took 0.5 s): the folder's checks knew it as no export, but each
    # build laid those pages out again to say why
    pdf = FakePdf(450)
    path = _long_pdf(tmp_path, monkeypatch, pdf, export=False)
    first = read_article_file(path, max_bytes=MAX)
    assert first.warnings[0].startswith("skipped long.pdf: it has 450 pages, more than an art")
    assert pdf.laid_out == [(0, 30)]
    assert not is_pdf_export(path, max_bytes=MAX)
    again = read_article_file(path, max_bytes=MAX)
    assert again.warnings == first.warnings and again.articles == []
    with pytest.raises(BadInput, match="^it has 450 pages"):
        list(pdf_export_entries(path, max_bytes=MAX))
    assert pdf.laid_out == [(0, 30)]  # once
    # under other limits it is read again
    read_article_file(path, max_bytes=MAX, pdf_limits=replace(pdf_pages.LIMITS, probe_pages=20))
    assert pdf.laid_out == [(0, 30), (0, 20)]


def test_a_refusal_kept_goes_with_its_verdict() -> None:
    found = Verdicts[str, tuple[str, ...]](size=len, verdicts=2)
    found.put("a", None, refusal="too long")
    assert (found.verdict("a"), found.refusal("a")) == (False, "too long")
    found.put("a", ("read",))  # read again under the same key: what it found now
    assert (found.verdict("a"), found.refusal("a")) == (True, None)
    found.put("a", None, refusal="too long")
    found.put("b", None)
    found.put("c", None)  # the oldest verdict, a's, goes, and its refusal with it
    assert (found.verdict("a"), found.refusal("a")) == (None, None)


def test_an_export_whose_reading_failed_is_not_read_again_by_each_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a PDF whose first pages open an export is read on for up to index.pdf_export_wall_s
    # (900 s); when that reading fails, every import and delete asked the folder whether it is
    # an export, and read it all again, each time
    pdf = FakePdf(650, problem_at=420)
    path = _long_pdf(tmp_path, monkeypatch, pdf, export=True)
    for _ in range(3):
        assert not is_pdf_export(path, max_bytes=MAX)
        assert not is_archive(path)
    assert len(pdf.asked) == 6  # [0, 30) ... [400, 500) once
    # the build reads it again, to say why (a reading out of time may not be next time)
    found = read_article_file(path, max_bytes=MAX)
    assert found.warnings == [
        "skipped long.pdf: pages 401 to 500 of it: not a PDF that can be read (bad page)"
    ]
    assert len(pdf.asked) == 12
