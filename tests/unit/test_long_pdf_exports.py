"""A Nexis Uni export saved as PDF longer than an article's page limit (`index.pdf_max_pages`,
200), end to end through the real readers: a PDF of a hundred documents over 401 pages
(tests/long_nexis_pdf.py, made once for the module) is read by real children, pages [0, 30),
[30, 100), [100, 200) and so on, and gives every article as its Word export gives it, the ones
whose text a chunk's boundary breaks too; a folder holding it builds an index of them, and it
is imported as POST /documents/import imports a PDF sent in base64. Reading it takes a few
seconds, once: what a PDF held is kept by its bytes (index/pdf_exports.py), so the build and
the import find it read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from index import pdf_pages
from index.builder import rebuild_index
from index.formats import is_document_export, read_article_file
from index.imports import import_archive
from index.pdf_pages import LIMITS, Chunk
from index.skips import FileArticles
from qa.settings import IndexSettings
from tests.fakes import HashingEmbedder
from tests.importing import built_corpus
from tests.long_nexis_pdf import LongExport, long_export, long_items
from tests.word_files import nexis_export

pytestmark = pytest.mark.unit

MAX = 50_000_000
ITEMS = long_items(100)
# where a chunk after the first starts (index/pdf_pages.py: PdfLimits.probe_pages, then
# each chunk_pages), within an article's pages and past them
BOUNDARIES = (30, 100, 200, 300)


@dataclass(frozen=True)
class Read:
    export: LongExport
    path: Path
    found: FileArticles  # the PDF read as a build reads it
    word: FileArticles  # its Word export
    chunks: list[Chunk]  # what each child was asked to read


@pytest.fixture(scope="module")
def read(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Read]:
    folder = tmp_path_factory.mktemp("long-export")
    export = long_export(ITEMS)
    path = folder / "Nexis results 2024.pdf"
    path.write_bytes(export.data)
    chunks: list[Chunk] = []
    answer = pdf_pages._child_answer

    def counted(data: bytes, reader: str, limits: Any, chunk: Chunk, **kwargs: Any) -> Any:
        chunks.append(chunk)
        return answer(data, reader, limits, chunk, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_pages, "_child_answer", counted)
        found = read_article_file(path, max_bytes=MAX)
    word = read_article_file(nexis_export(folder / "results.docx", ITEMS), max_bytes=MAX)
    yield Read(export, path, found, word, chunks)


def test_the_export_is_longer_than_an_article_and_a_chunks_boundary_breaks_a_paragraph(
    read: Read,
) -> None:
    assert read.export.pages == 401 > LIMITS.max_pages
    broken = {page: (item, place) for page, item, place in read.export.broken}
    # the page a chunk starts on goes on with a paragraph of a story's text
    assert all(broken.get(page, (0, -1))[1] >= 0 for page in BOUNDARIES), read.export.broken


def test_its_pages_are_read_by_children_of_at_most_an_articles_pages(read: Read) -> None:
    spans = [(c.start, c.stop, c.probe) for c in read.chunks]
    assert spans == [
        (0, 200, 30), (30, 100, 100), (100, 200, 200), (200, 300, 300), (300, 400, 400),
        (400, 500, 500),
    ]  # fmt: skip


def test_every_article_comes_out_as_its_word_export_gives_it(read: Read) -> None:
    assert read.found.warnings == [] and read.word.warnings == []
    assert [a.title for a in read.found.articles] == [item.title for item in ITEMS]
    assert read.found.origins == [f"{read.path.name} item {n}" for n in range(1, 101)]
    pdf = [(a.doc_id, a.title, a.source, a.date, a.author, a.text) for a in read.found.articles]
    word = [(a.doc_id, a.title, a.source, a.date, a.author, a.text) for a in read.word.articles]
    assert pdf == word


def test_a_paragraph_broken_at_a_chunks_boundary_is_whole(read: Read) -> None:
    for boundary in BOUNDARIES:
        ((item, place),) = [(i, p) for page, i, p in read.export.broken if page == boundary]
        paragraphs = read.found.articles[item].text.split("\n\n")
        assert ITEMS[item].paragraphs[place] in paragraphs, boundary
        assert read.export.first_pages[item] < boundary  # the story began in the chunk before


def test_a_folder_holding_it_builds_an_index_of_its_articles(read: Read, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / read.path.name).write_bytes(read.path.read_bytes())
    report = rebuild_index(folder, tmp_path / "index", embedder=HashingEmbedder())
    assert report.warnings == [] and report.articles == 100


def test_it_is_imported_as_the_document_api_imports_a_pdf_sent_whole(
    read: Read, tmp_path: Path
) -> None:
    _, index_dir = built_corpus(tmp_path)
    settings = IndexSettings(build_lock_timeout_s=5)
    data = read.path.read_bytes()
    assert is_document_export("results.pdf", data, pdf_limits=pdf_pages.PdfLimits.of(settings))
    report = import_archive(
        index_dir, "results.pdf", data, embedder=HashingEmbedder(), index_settings=settings,
        near_duplicate_threshold=None,
    )  # fmt: skip
    assert sorted(report.added) == sorted(a.doc_id for a in read.word.articles)
    assert report.refused == []


def test_under_a_lower_export_limit_it_is_refused_unread(read: Read) -> None:
    limits = replace(LIMITS, export_max_pages=400)
    found = read_article_file(read.path, max_bytes=MAX, pdf_limits=limits)
    assert found.articles == []
    (warning,) = found.warnings
    assert warning.startswith(
        f"skipped {read.path.name}: it has 401 pages, more than an article (200, setting "
        "index.pdf_max_pages) and more than a Nexis Uni export is read to (400, setting "
        "index.pdf_export_max_pages)"
    )
