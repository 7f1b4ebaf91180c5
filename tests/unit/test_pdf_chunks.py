"""Unit tests for reading a PDF in chunks (index/pdf_pages.py: `read_pdf`, `chunk_after`): which
pages each child is asked for, when a PDF longer than an article is read on and when it is
refused, and what bounds the whole reading (pages, time, the answers' bytes). The child is
faked (`_child_answer`) as a PDF of so many pages; one test runs a real child that is too slow,
and one reads a real export in chunks of two pages."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from index import pdf_pages
from index.pdf_pages import LIMITS, Chunk, PdfLimits, TooManyPages, chunk_after, read_pdf
from qa.errors import BadInput
from qa.pdf_text import PdfDocument
from tests.nexis_pdf_files import NEXIS_PDF

pytestmark = pytest.mark.unit

PDF = b"%PDF-1.7\n"


class FakePdf:
    """A PDF of `pages` pages (whose page tree says `count`) as the children read it: each
    page one box saying its number; the chunks asked for are in `asked`."""

    def __init__(
        self, pages: int, *, count: int | None = None, problem_at: int | None = None
    ) -> None:
        self.pages = pages
        self.count = pages if count is None else count
        self.problem_at = problem_at
        self.asked: list[Chunk] = []
        self.laid_out: list[tuple[int, int]] = []  # the pages [start, stop) of each child

    def answer(
        self, data: bytes, reader: str, limits: PdfLimits, chunk: Chunk, *, timeout: float
    ) -> tuple[int, dict[str, Any]]:
        self.asked.append(chunk)
        if self.problem_at is not None and chunk.start <= self.problem_at < chunk.stop:
            return 10, {"problem": "not a PDF that can be read (bad page)"}
        if self.count > chunk.most:
            self.laid_out.append((chunk.start, chunk.start))
            return 10, {"count": self.count, "more": True, "pages": []}
        stop = chunk.stop if self.count <= chunk.stop else chunk.probe
        read = range(chunk.start, min(stop, self.pages))
        self.laid_out.append((read.start, read.stop))
        said = {
            "count": self.count,
            "more": self.pages > stop,
            "pages": [
                {"height": 800, "boxes": [{"lines": [f"page {n}"], "top": 100, "bottom": 112}]}
                for n in read
            ],
            "info": {"Title": "Results"} if chunk.start == 0 else {},
        }
        return len(json.dumps(said)), said

    def read(self, monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> PdfDocument:
        monkeypatch.setattr(pdf_pages, "_child_answer", self.answer)
        return read_pdf(PDF, **kwargs)


def numbers(document: PdfDocument) -> list[int]:
    return [int(page.boxes[0].text.split()[1]) for page in document.pages]


def always(document: PdfDocument) -> bool:
    return True


def test_the_chunks_after_the_first_end_at_multiples_of_half_an_articles_pages() -> None:
    limits = replace(LIMITS, max_pages=200, export_max_pages=3000)
    assert chunk_after(30, limits) == (30, 100)
    assert chunk_after(200, limits) == (200, 300)
    assert chunk_after(2950, limits) == (2950, 3000)
    # no child lays out more than an article's pages
    assert chunk_after(30, replace(limits, max_pages=40)) == (30, 40)
    # an export limit below an article's is no limit below it
    assert chunk_after(130, replace(limits, export_max_pages=50)) == (130, 200)


def test_a_pdf_of_an_articles_length_is_one_child(monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = FakePdf(200)
    document = pdf.read(monkeypatch, read_on=always)
    assert numbers(document) == list(range(200)) and document.title == "Results"
    assert pdf.laid_out == [(0, 200)]


def test_an_articles_reading_of_a_longer_pdf_lays_out_no_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pdf = FakePdf(500)
    with pytest.raises(TooManyPages, match=r"^it has 500 pages, more than an article \(200, "):
        pdf.read(monkeypatch)
    assert pdf.laid_out == [(0, 0)]  # asked for none: the page tree's count was enough


def test_a_long_pdf_whose_first_pages_open_no_export_is_refused_after_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pdf = FakePdf(500)
    asked: list[int] = []

    def no(document: PdfDocument) -> bool:
        asked.append(len(document.pages))
        return False

    with pytest.raises(TooManyPages) as refused:
        pdf.read(monkeypatch, read_on=no)
    assert str(refused.value) == (
        "it has 500 pages, more than an article (200, setting index.pdf_max_pages), and its "
        "first 30 are not a Nexis Uni export's (which is read up to 3,000 pages, setting "
        "index.pdf_export_max_pages); split out the article's pages (print those to PDF) and "
        "rebuild"
    )
    assert pdf.laid_out == [(0, 30)] and asked == [30]


def test_an_export_is_read_in_chunks_of_half_an_articles_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pdf = FakePdf(650)
    asked: list[int] = []

    def yes(document: PdfDocument) -> bool:
        asked.append(len(document.pages))
        return True

    document = pdf.read(monkeypatch, read_on=yes)
    assert numbers(document) == list(range(650)) and document.title == "Results"
    assert pdf.laid_out == [(0, 30), (30, 100), *((n, n + 100) for n in range(100, 600, 100)),
                            (600, 650)]  # fmt: skip
    # asked until an article's length of pages said yes: a first document had ended by then
    assert asked == [30, 100, 200]


def test_an_export_over_its_page_limit_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = FakePdf(3001)
    with pytest.raises(TooManyPages, match=r"^it has 3,001 pages, .* export is read to \(3,000,"):
        pdf.read(monkeypatch, read_on=always)
    assert pdf.laid_out == [(0, 0)]


def test_a_page_tree_that_says_fewer_pages_stops_the_reading_at_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the page tree's /Count is the file's word: the pages read are what counts
    pdf = FakePdf(5000, count=100)
    limits = replace(LIMITS, export_max_pages=500)
    with pytest.raises(TooManyPages, match="^it has more than 500 pages"):
        pdf.read(monkeypatch, read_on=always, limits=limits)
    assert pdf.laid_out == [(0, 200), (200, 300), (300, 400), (400, 500)]
    with pytest.raises(TooManyPages, match=r"^it has more than 200 pages, more than an article"):
        FakePdf(5000, count=100).read(monkeypatch)  # an article's reading: one child


def test_a_chunks_problem_names_its_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = FakePdf(650, problem_at=420)
    with pytest.raises(BadInput) as refused:
        pdf.read(monkeypatch, read_on=always)
    assert str(refused.value) == "pages 401 to 500 of it: not a PDF that can be read (bad page)"


def test_the_answers_of_all_children_are_held_to_one_articles_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pdf = FakePdf(650)
    pdf.read(monkeypatch, read_on=always)
    sent = [c.output_bytes for c in pdf.asked]
    assert sent[0] == LIMITS.output_bytes and sent == sorted(sent, reverse=True)
    assert len(set(sent)) == len(sent)  # each child gets what the ones before it left


def _slow_reader(tmp_path: Path, pages: int, seconds: float) -> str:
    """A stand-in for the child's Python: it answers `pages` pages of a PDF of 500 after
    `seconds`."""
    said = {
        "count": 500,
        "more": True,
        "pages": [{"height": 800, "boxes": []}] * pages,
        "info": {},
    }
    fake = tmp_path / "slow-python"
    fake.write_text(
        f"#!/bin/sh\ncat > /dev/null\nsleep {seconds}\nprintf '%s' '{json.dumps(said)}'\n"
    )
    fake.chmod(0o755)
    return str(fake)


def test_the_whole_reading_is_held_to_the_export_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", _slow_reader(tmp_path, 30, 0.4))
    # the first child's 0.4 s, then 0.2 s left (less than a child's 0.5 s)
    limits = replace(LIMITS, wall_s=0.5, export_wall_s=0.6)
    with pytest.raises(BadInput) as refused:
        read_pdf(PDF, limits=limits, read_on=always)
    assert str(refused.value).startswith(
        "reading its pages took more than 0.6 s in all (setting index.pdf_export_wall_s; 30 "
        "pages read by then)"
    )


@pytest.mark.parametrize("reader", ["pdfminer", "pypdf"])
def test_a_child_lays_out_its_chunks_pages_as_a_whole_reading_does(reader: str) -> None:
    read = pdf_pages._READERS[reader]  # in this process: what the child runs
    data = NEXIS_PDF.read_bytes()  # 5 pages
    whole = read(data, Chunk(0, 200, 0, 200, LIMITS.output_bytes))
    assert len(whole["pages"]) == 5 and not whole["more"] and whole["info"]
    middle = read(data, Chunk(2, 4, 4, 3000, LIMITS.output_bytes))
    assert middle["pages"] == whole["pages"][2:4]
    assert (middle["count"], middle["more"], middle["info"]) == (5, True, {})
    # a first chunk of a PDF that says it is longer: only the probe's pages
    first = read(data, Chunk(0, 2, 1, 3000, LIMITS.output_bytes))
    assert first["pages"] == whole["pages"][:1] and first["more"]
    assert read(data, Chunk(0, 2, 0, 4, LIMITS.output_bytes)) == {
        "count": 5, "more": True, "pages": [],
    }  # fmt: skip


@pytest.mark.parametrize("export", [False, True])
def test_a_child_over_its_own_time_is_said_to_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, export: bool
) -> None:
    # an article's reading has no time in all but its child's: a child too slow was told as
    # the whole export's time being up
    monkeypatch.setattr(sys, "executable", _slow_reader(tmp_path, 30, 0.5))
    limits = replace(LIMITS, wall_s=0.2)
    with pytest.raises(BadInput, match=r"^reading it took more than 0.2 s, more than an article"):
        read_pdf(PDF, limits=limits, read_on=always if export else None)


@pytest.mark.parametrize(
    ("then", "problem"),
    [
        ("sleep 5", "reading it took more than 0.5 s"),
        ("kill -9 $$", "reading it needed more than 1024 MiB of memory or 60 s of CPU time"),
    ],
)
def test_a_later_childs_limit_is_told_as_an_exports_with_what_to_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, then: str, problem: str
) -> None:
    # the pages after the first chunk are read only as a Nexis Uni export's, and a child of
    # them over its limits told the user to print the 400-page export to PDF again or to save
    # its text as .txt (which makes it one article)
    said = {"count": 500, "more": True, "pages": [{"height": 800, "boxes": []}] * 30}
    fake = tmp_path / "python"
    fake.write_text(
        "#!/bin/sh\ncat > /dev/null\n"
        f"case \"$*\" in *'\"start\": 0,'*) printf '%s' '{json.dumps(said)}' ;; *) {then} ;; esac\n"
    )
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(fake))
    with pytest.raises(BadInput) as refused:
        read_pdf(PDF, limits=replace(LIMITS, wall_s=0.5), read_on=always)
    message = str(refused.value)
    assert message.startswith(f"pages 31 to 100 of it: {problem}"), message
    assert message.endswith(
        "; a Nexis Uni export: download it as Word (.docx), which has no page limit, or in PDFs "
        "of fewer documents each"
    ), message
    assert ".txt" not in message


def test_an_export_time_below_a_childs_holds_no_pdf_to_less_than_a_childs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as an export page limit below an article's is no limit below it: under
    # index.pdf_export_wall_s below index.pdf_wall_s, a 5-page article's one child was cut at
    # the export's time and refused as an export too slow to read ("download it as Word")
    said = {"count": 5, "more": False, "pages": [{"height": 800, "boxes": []}] * 5}
    fake = tmp_path / "python"
    fake.write_text(f"#!/bin/sh\ncat > /dev/null\nsleep 0.5\nprintf '%s' '{json.dumps(said)}'\n")
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(fake))
    limits = replace(LIMITS, wall_s=5.0, export_wall_s=0.2)
    assert len(read_pdf(PDF, limits=limits, read_on=always).pages) == 5


def _blank_pdf(pages: int, *, count: bytes) -> bytes:
    """A PDF of `pages` empty pages whose page tree's /Count is `count` (an indirect object,
    "3 0 R", holds the number of pages)."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %s >>"
        % (b" ".join(b"%d 0 R" % (4 + n) for n in range(pages)), count),
        3: b"%d" % pages,
        **{4 + n: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>" for n in range(pages)},
    }
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in objects.items():
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@pytest.mark.parametrize("count", [b"250", b"3 0 R"])
def test_a_page_count_held_in_an_object_of_its_own_is_read(count: bytes) -> None:
    # /Count may be an indirect object, as any value of a PDF may: it was taken for no count,
    # so an ordinary PDF of 250 pages had 200 laid out (some 37 s) before it was refused, where
    # its count refuses it unread, and an export's first child laid out 200, not the probe's
    data = _blank_pdf(250, count=count)
    said = pdf_pages._READERS["pdfminer"](data, Chunk(0, 200, 0, 200, LIMITS.output_bytes))
    assert (said["count"], said["more"], said["pages"]) == (250, True, [])
    first = pdf_pages._READERS["pdfminer"](data, Chunk(0, 200, 30, 3000, LIMITS.output_bytes))
    assert (first["count"], first["more"], len(first["pages"])) == (250, True, 30)


def test_a_page_count_that_refers_to_itself_is_no_count() -> None:
    # pdfminer's resolve1 follows such a reference for ever (till the child's CPU limit)
    data = _blank_pdf(5, count=b"3 0 R").replace(b"3 0 obj\n5\n", b"3 0 obj\n3 0 R\n")
    said = pdf_pages._READERS["pdfminer"](data, Chunk(0, 200, 0, 200, LIMITS.output_bytes))
    assert (said["count"], said["more"], len(said["pages"])) == (None, False, 5)


def test_an_exports_text_past_the_bound_of_all_its_pages_says_what_to_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the answers of all of an export's children are held to what `max_pages` pages of an
    # article may hold: past it, the refusal of a 400-page export said 'more than 200 pages of
    # an article hold', which it is not, and nothing of what to do but 'a Nexis Uni export'
    said = {"count": 500, "more": True, "pages": [{"height": 800, "boxes": []}] * 30}
    fake = tmp_path / "python"
    fake.write_text(
        "#!/bin/sh\ncat > /dev/null\n"
        f"case \"$*\" in *'\"start\": 0,'*) printf '%s' '{json.dumps(said)}' ;; "
        "*) head -c 20000 /dev/zero | tr '\\0' x ;; esac\n"
    )
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(fake))
    limits = replace(LIMITS, max_pages=200, page_output_bytes=50)  # 10,000 bytes in all
    with pytest.raises(BadInput) as refused:
        read_pdf(PDF, limits=limits, read_on=always)
    assert str(refused.value) == (
        "pages 31 to 100 of it: with them its text would be more than 10,000 bytes, the most a "
        "whole export's pages may give together (what 200 pages of an article may hold, "
        "setting index.pdf_max_pages): the export is too long for one PDF (or the file is "
        "damaged); download it as Word (.docx), which has no page limit, or in PDFs of fewer "
        "documents each"
    )
