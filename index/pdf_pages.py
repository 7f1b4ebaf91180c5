"""Reading a PDF's text boxes and document information (pdfminer.six), in child processes
with limits, for qa/pdf_text.py to make an article of (or qa/nexis_pdf.py a Nexis Uni export's
articles).

Why pdfminer.six, not pypdf: its layout analysis gives text boxes (paragraphs) with where they
stand on the page, which finding running headers and paragraphs needs; over the PDFs of the
extraction benchmark it scores higher (docs/extraction.md: "Articles saved as PDF").

A PDF is a program as much as a document: a few kilobytes can inflate to gigabytes (a
"decompression bomb") or draw millions of operators, and pdfminer decompresses every stream
whole. So a PDF is read in a child Python process (`python -m index.pdf_pages`, the bytes on
its standard input, which pages to read and the limits as arguments, JSON on its output) that
limits its own memory (`PdfLimits`, from the settings `index.pdf_*`: by default 1 GiB of
address space, 60 s of CPU time) before it reads a byte, and is killed after 120 s. The child
starts in the project's folder (so it imports the project's modules whatever the server's
working directory), and its output goes to temporary files: its answer is held to 256 KiB a
page of an article (`PdfLimits.output_bytes`, for all of a PDF's children together) and only
the end of its error output is read, so a hostile file cannot fill this process's memory
through them either.

A PDF of more than `max_pages` pages (200) is no article. It is not laid out at all when only
an article is wanted (`read_pdf` without `read_on`); when it may be a Nexis Uni export, its
first `probe_pages` (30, `index.pdf_export_probe_pages`) are, and only when `read_on` finds
them to open an export is the rest read, by children of at most `chunk_pages` (100,
`index.pdf_export_chunk_pages`) pages each (pages [30, 100), [100, 200), ...),
each under the same limits as one article's reading. The whole is held to `export_max_pages`
pages (3,000) and its children to `export_wall_s` seconds together (900 s). pdfminer lays out
each page on its own, so the pages read in chunks are the pages one reading gives, and a
paragraph broken across a chunk's end is joined as one broken by any page break
(qa/nexis_pdf.py reads all the pages at once).
Whatever goes wrong becomes a `BadInput` that names what to do: the file is skipped, the build
goes on.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from qa.articles import content_hash, make_article
from qa.errors import BadInput
from qa.models import Article
from qa.pdf_text import PdfDocument, PdfPage, TextBox, has_text, pdf_article
from qa.settings import IndexSettings


@dataclass(frozen=True)
class PdfLimits:
    """What reading one PDF may take: pages, each child's address space, CPU and wall time,
    and a Nexis Uni export's pages and wall time in all (the settings `index.pdf_*`: `of`)."""

    max_pages: int
    memory_bytes: int
    cpu_s: int
    wall_s: float
    export_max_pages: int
    export_wall_s: float
    # a PDF longer than an article: the pages laid out first to tell an export, and the most
    # one child lays out after them (`chunk_after`; their defaults are the settings')
    probe_pages: int
    chunk_pages: int
    # the children's answer (JSON) a page of an article may take: ten times a page of small
    # print, so that a hostile file cannot make the reading process parse gigabytes
    page_output_bytes: int = 256 * 1024

    @property
    def output_bytes(self) -> int:
        """The most the answers of a PDF's children may be together."""
        return self.max_pages * self.page_output_bytes

    @property
    def most_pages(self) -> int:
        """The most pages of a PDF read: an export's (an article's when that is more)."""
        return max(self.max_pages, self.export_max_pages)

    @property
    def most_wall_s(self) -> float:
        """The most time the children reading a PDF may take together: an export's (one
        child's when that is more)."""
        return max(self.wall_s, self.export_wall_s)

    @classmethod
    def of(cls, settings: IndexSettings) -> PdfLimits:
        return cls(
            max_pages=settings.pdf_max_pages,
            memory_bytes=settings.pdf_memory_bytes,
            cpu_s=settings.pdf_cpu_s,
            wall_s=settings.pdf_wall_s,
            export_max_pages=settings.pdf_export_max_pages,
            export_wall_s=settings.pdf_export_wall_s,
            probe_pages=settings.pdf_export_probe_pages,
            chunk_pages=settings.pdf_export_chunk_pages,
        )


LIMITS = PdfLimits.of(IndexSettings())  # the settings' defaults


class TooManyPages(BadInput):
    """A PDF refused for its length alone (so for good, under the same limits)."""


@dataclass(frozen=True)
class Chunk:
    """The pages one child lays out: [start, stop), or, when the PDF says it has more than
    `stop` pages (its page tree's /Count), [start, probe) (a first chunk of a PDF of unknown
    length: 0 for none); none when it says it has more than `most`. Its answer is held to
    `output_bytes`."""

    start: int
    stop: int
    probe: int
    most: int
    output_bytes: int


@dataclass(frozen=True)
class ChunkRead:
    """What a child read: the pages, the document information (of a first chunk), how many
    pages the PDF says it has (None when its page tree does not say), and whether a page
    follows the last one laid out."""

    pages: tuple[PdfPage, ...]
    info: dict[str, Any]
    count: int | None
    more: bool


_PROJECT = Path(__file__).resolve().parents[1]
_ENCRYPTED = (
    "encrypted: it needs a password to open; save a copy without one (open it and print it "
    "to PDF again) and rebuild"
)
# what to do about a PDF that was too much to read: an article's, and a Nexis Uni export's (the
# pages after a first chunk are read only as an export's: `_advice`)
_ARTICLE_ADVICE = "print it to PDF again, or save its text as .txt"
_EXPORT_ADVICE = (
    "download it as Word (.docx), which has no page limit, or in PDFs of fewer documents each"
)
_NO_TEXT = (
    "no text layer: a scanned PDF holds pictures of its pages, not their words; it needs OCR "
    "first (e.g. ocrmypdf --sidecar, or a scanner's text recognition), then rebuild"
)


def chunk_after(read: int, limits: PdfLimits) -> tuple[int, int]:
    """The pages of the chunk after the first `read` pages: up to the next multiple of
    `chunk_pages` (or of `max_pages` when that is less: no child lays out more than an
    article's pages), within `most_pages`."""
    size = min(limits.chunk_pages, limits.max_pages)
    return read, min((read // size + 1) * size, limits.most_pages)


def article_from_pdf(
    doc_id: str, data: bytes, *, reader: str = "pdfminer", limits: PdfLimits = LIMITS
) -> Article:
    """The article of the PDF `data` (one PDF is one article), or `BadInput` saying why there
    is none. `reader`: "pdfminer" (the index's), or "pypdf" (for the benchmark's comparison)."""
    return article_of_pdf(doc_id, data, read_pdf(data, reader=reader, limits=limits))


def article_of_pdf(doc_id: str, data: bytes, document: PdfDocument) -> Article:
    """The article of the PDF `data` whose pages `read_pdf` read as `document`."""
    if not has_text(document):
        raise BadInput(_NO_TEXT)
    found = pdf_article(document)
    if not found.paragraphs:
        raise BadInput(
            "no text but its running headers and footers: the pages printed empty (a web page "
            "that shows its article by scripts prints so when they cannot run); print it again "
            "once the article shows, or save the page as HTML"
        )
    article = make_article(doc_id, found.raw)
    if not article.text.strip():
        raise BadInput("no article text after cleaning")
    return article.model_copy(
        update={
            "url": found.url or article.url,
            "author": article.author or found.author,
            "date": article.date or found.date,
            "content_hash": content_hash(data),
        }
    )


def read_pdf(
    data: bytes,
    *,
    reader: str = "pdfminer",
    limits: PdfLimits = LIMITS,
    read_on: Callable[[PdfDocument], bool] | None = None,
) -> PdfDocument:
    """The PDF's pages and document information, read in limited child processes.

    A PDF of at most `max_pages` pages is one child's reading. A longer one is an article's
    only when `read_on` is None: `TooManyPages`, nothing laid out. Otherwise its first
    `probe_pages` are laid out and given to `read_on` (the pages so far, until they are
    `max_pages` or more and it has said yes): it says whether they may open a Nexis Uni
    export, and only then are the other pages read, a chunk of at most `chunk_pages` a child
    (`chunk_after`), up to `most_pages` pages and `most_wall_s` seconds in all."""
    if not data.lstrip()[:1024].startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise BadInput("not a PDF: it does not start with %PDF-")
    most = limits.max_pages if read_on is None else limits.most_pages
    reading = _Reading(
        data, reader, limits, whole_s=None if read_on is None else limits.most_wall_s
    )
    probe = 0 if read_on is None else min(limits.probe_pages, limits.max_pages)
    first = reading.chunk(0, limits.max_pages, probe=probe, most=most)
    count = first.count
    if count is not None and count > most:
        raise TooManyPages(_too_long(f"{count:,}", limits, export=read_on is not None))
    pages, more, proven = list(first.pages), first.more, False
    while more:
        has = f"{count:,}" if count is not None and count > len(pages) else None
        has = has or f"more than {len(pages):,}"
        if read_on is None or len(pages) >= most:
            raise TooManyPages(_too_long(has, limits, export=read_on is not None))
        # more pages follow: the PDF is longer than an article (the first child read either an
        # article's pages, or the probe's of a PDF that says it has more)
        if not proven:
            if not read_on(PdfDocument(pages=tuple(pages))):
                raise TooManyPages(_no_export(has, len(pages), limits))
            proven = len(pages) >= limits.max_pages  # its first article's length: no more asks
        start, stop = chunk_after(len(pages), limits)
        found = reading.chunk(start, stop, probe=stop, most=most)
        if not found.pages:  # a page follows, but none was read: no way on
            raise BadInput(_NO_ANSWER.format(f"no page read from page {start + 1:,}"))
        pages.extend(found.pages)
        more = found.more
    return _document(tuple(pages), first.info)


class _Reading:
    """The children reading one PDF, and what they may still take together: the time left of
    `whole_s` (an export's `most_wall_s`; None: one child's `wall_s` alone), and the bytes
    left of `output_bytes` for their answers."""

    def __init__(self, data: bytes, reader: str, limits: PdfLimits, *, whole_s: float | None):
        self.data, self.reader, self.limits = data, reader, limits
        self.whole_s = whole_s
        self.deadline = math.inf if whole_s is None else time.monotonic() + whole_s
        self.output_left = limits.output_bytes
        self.pages_read = 0

    def chunk(self, start: int, stop: int, *, probe: int, most: int) -> ChunkRead:
        """The pages [start, stop) (or [start, probe): `Chunk`) read by a child; what went
        wrong in a chunk after the first says which pages it was."""
        left = self.deadline - time.monotonic()
        chunk = Chunk(start, stop, probe, most, self.output_left)
        try:
            answer = None
            if left > 0:
                answer = _child_answer(
                    self.data,
                    self.reader,
                    self.limits,
                    chunk,
                    timeout=min(self.limits.wall_s, left),
                )
            found = None if answer is None else self._found(chunk, *answer)
        except BadInput as exc:
            if start == 0:
                raise
            raise BadInput(f"pages {start + 1:,} to {stop:,} of it: {exc}") from exc
        if found is None:  # the whole reading's time is up
            raise BadInput(_too_slow(self.whole_s or self.limits.wall_s, self.pages_read))
        return found

    def _found(self, chunk: Chunk, size: int, said: dict[str, Any]) -> ChunkRead:
        """What the child's answer `said` (of `size` bytes) gives, or why it gives nothing."""
        self.output_left -= size
        if "problem" in said:
            raise BadInput(str(said["problem"]))
        try:
            found = _chunk_read(said)
        except (KeyError, TypeError, ValueError) as exc:
            raise BadInput(_NO_ANSWER.format(repr(exc))) from exc
        if len(found.pages) > max(chunk.stop, chunk.probe) - chunk.start:  # a backstop
            raise BadInput(_NO_ANSWER.format(f"{len(found.pages):,} pages"))
        self.pages_read += len(found.pages)
        return found


def _child_answer(
    data: bytes, reader: str, limits: PdfLimits, chunk: Chunk, *, timeout: float
) -> tuple[int, dict[str, Any]] | None:
    """The answer of a child that read `chunk` of the PDF, and its size; None when it took
    longer than `timeout` where that is less than `wall_s` (the whole reading's time is up).

    The child runs the project's own modules whatever the server's working directory (it
    starts in the project's folder, which `-m` puts first on its path: from another folder, a
    `qa.py` or an `index` package there was imported instead). Its output goes to temporary
    files, not pipes read whole into this process: the answer is held to the chunk's
    `output_bytes` and only the last lines of its error output are read."""
    env = child_environment(os.environ)
    arguments = [json.dumps(asdict(limits)), json.dumps(asdict(chunk))]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "index.pdf_pages", reader, *arguments],
                input=data,
                stdout=out,
                stderr=err,
                timeout=timeout,
                cwd=_PROJECT,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            if timeout < limits.wall_s:
                return None
            raise BadInput(
                f"reading it took more than {limits.wall_s:g} s, more than an article's PDF "
                f"needs; {_advice(chunk)}"
            ) from exc
        size = out.seek(0, os.SEEK_END)
        if done.returncode != 0 or size == 0:
            raise BadInput(_limit_problem(done.returncode, _tail(err), limits, chunk))
        if size > chunk.output_bytes:  # the child holds itself to it: a backstop
            raise BadInput(_too_much_text(limits, chunk))
        out.seek(0)
        try:
            answer = json.load(out)
        except ValueError as exc:  # UnicodeDecodeError too
            raise BadInput(_NO_ANSWER.format(exc)) from exc
    if not isinstance(answer, dict):
        raise BadInput(_NO_ANSWER.format(type(answer).__name__))
    return size, answer


# what the child needs of the server's environment: where programs and temporary files are,
# the locale, and Python's own switches; the rest (the admin key, a remote model's API key, any
# other QA_* setting) stays out of a process that parses files from anyone who may upload one
_CHILD_ENVIRONMENT = ("PATH", "HOME", "TMPDIR", "TEMP", "TMP", "LANG", "LANGUAGE", "SYSTEMROOT")
_CHILD_PREFIXES = ("LC_", "PYTHON")


def child_environment(environment: Mapping[str, str]) -> dict[str, str]:
    """The environment the PDF-reading child runs with: `environment`'s names it needs, and the
    project's folder first on PYTHONPATH."""
    kept = {
        name: value
        for name, value in environment.items()
        if name in _CHILD_ENVIRONMENT or name.startswith(_CHILD_PREFIXES)
    }
    kept["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(_PROJECT), environment.get("PYTHONPATH")) if p
    )
    return kept


_NO_ANSWER = "not a PDF that can be read (its reading gave no answer: {})"


def _tail(err: IO[bytes], size: int = 4096) -> str:
    """The end of the child's error output (its last line says what it ended with)."""
    end = err.seek(0, os.SEEK_END)
    err.seek(max(0, end - size))
    return err.read().decode("utf-8", "replace")


def _advice(chunk: Chunk) -> str:
    """What to do about a PDF whose `chunk` was too much to read: a chunk after the first is
    read only as a Nexis Uni export's, which printing again or saving as text would not help
    (its text saved as .txt is one article)."""
    return f"a Nexis Uni export: {_EXPORT_ADVICE}" if chunk.start else _ARTICLE_ADVICE


def _too_much_text(limits: PdfLimits, chunk: Chunk) -> str:
    """Why the answers of a PDF's children went past `output_bytes`: one child's (an article's
    pages, or an export's first), or a later chunk's, which all of an export's pages read
    share (the same bound: it said '200 pages of an article' of a 400-page export)."""
    if not chunk.start:
        return (
            f"its text would be more than {limits.output_bytes:,} bytes, more than "
            f"{limits.max_pages} pages of an article hold (a damaged or hostile file); "
            f"{_advice(chunk)}"
        )
    return (
        f"with them its text would be more than {limits.output_bytes:,} bytes, the most a "
        f"whole export's pages may give together (what {limits.max_pages} pages of an article "
        "may hold, setting index.pdf_max_pages): the export is too long for one PDF (or the "
        f"file is damaged); {_EXPORT_ADVICE}"
    )


def _limit_problem(returncode: int, stderr: str, limits: PdfLimits, chunk: Chunk) -> str:
    """Why the child gave no answer, in words: a limit it hit, or the error it ended with."""
    said = stderr.strip().splitlines()
    if returncode in (-9, -24) or "MemoryError" in "".join(said[-1:]):  # SIGKILL, SIGXCPU
        return (
            f"reading it needed more than {limits.memory_bytes >> 20} MiB of memory or "
            f"{limits.cpu_s} s of CPU time, more than an article's PDF needs (a damaged or "
            f"hostile file); {_advice(chunk)}"
        )
    last = said[-1] if said else f"exit status {returncode}"
    return f"not a PDF that can be read ({last[:200]})"


def _chunk_read(answer: dict[str, Any]) -> ChunkRead:
    count = answer.get("count")
    pages = tuple(
        PdfPage(
            height=float(page["height"]),
            boxes=tuple(
                TextBox(
                    tuple(box["lines"]),
                    float(box["top"]),
                    float(box["bottom"]),
                    linked=int(box.get("linked", 0)),
                )
                for box in page["boxes"]
            ),
        )
        for page in answer["pages"]
    )
    info = answer.get("info", {})
    if not isinstance(info, dict):
        raise TypeError(f"info is a {type(info).__name__}")
    return ChunkRead(
        pages=pages,
        info=info,
        count=count if isinstance(count, int) and not isinstance(count, bool) else None,
        more=bool(answer.get("more", False)),
    )


def _document(pages: tuple[PdfPage, ...], info: dict[str, Any]) -> PdfDocument:
    return PdfDocument(
        pages=pages,
        title=info.get("Title"),
        author=info.get("Author"),
        created=info.get("CreationDate"),
        producer=info.get("Producer"),
        creator=info.get("Creator"),
    )


def too_many_pages(count: str, max_pages: int, why: str = "") -> str:
    """Why a PDF of `count` pages is no article: more than `max_pages` (`why` adds to it)."""
    return (
        f"it has {count} pages, more than an article ({max_pages:,}, setting "
        f"index.pdf_max_pages){why}; split out the article's pages (print those to PDF) and "
        "rebuild"
    )


def _too_long(count: str, limits: PdfLimits, *, export: bool) -> str:
    """Why a PDF of `count` pages is not read: more than an article has, and (`export`) more
    than a Nexis Uni export is read to."""
    if not export:
        return too_many_pages(count, limits.max_pages)
    why = (
        f" and more than a Nexis Uni export is read to ({limits.most_pages:,}, setting "
        "index.pdf_export_max_pages)"
    )
    refused = too_many_pages(count, limits.max_pages, why)
    return f"{refused}; a Nexis Uni export that long: {_EXPORT_ADVICE}"


def _no_export(count: str, read: int, limits: PdfLimits) -> str:
    """Why a PDF of `count` pages whose first `read` are no Nexis Uni export's is not read."""
    why = (
        f", and its first {read:,} are not a Nexis Uni export's (which is read up to "
        f"{limits.most_pages:,} pages, setting index.pdf_export_max_pages)"
    )
    return too_many_pages(count, limits.max_pages, why)


def _too_slow(whole_s: float, read: int) -> str:
    """Why a long PDF (an export) whose pages took more than `whole_s` is not read."""
    return (
        f"reading its pages took more than {whole_s:g} s in all (setting "
        f"index.pdf_export_wall_s; {read:,} pages read by then), more than a Nexis Uni export "
        f"needs; {_EXPORT_ADVICE}"
    )


# --- in the child process ------------------------------------------------------------------


def _limit_self(limits: PdfLimits, chunk: Chunk) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 5))
    # the files its output goes to (a flood of error output ends in an error, not a full disk)
    room = chunk.output_bytes + (1 << 20)
    resource.setrlimit(resource.RLIMIT_FSIZE, (room, room))


def _info_text(value: Any) -> str | None:
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    if isinstance(value, bytes):
        text = decode_text(value)
    elif isinstance(value, PSLiteral):
        text = str(value.name)
    elif isinstance(value, str):
        text = value
    else:
        return None
    text = "".join(c for c in text if c.isprintable()).strip()
    return text or None


def _pdfminer_pages(data: bytes, chunk: Chunk) -> dict[str, Any]:
    """The chunk's pages as pdfminer lays them out. `PDFPage.get_pages(fp, pagenos, maxpages)`
    (and `extract_pages(page_numbers=, maxpages=)`) is pdfminer's way to read some pages: it
    walks `create_pages` and lays out none of the others; this does the same over a
    `PDFDocument` of its own, for the document information and the page tree's /Count, and
    looks one page past the chunk to say whether more follow."""
    import io
    from itertools import islice

    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFObjRef, resolve1

    document = PDFDocument(PDFParser(io.BytesIO(data)))
    # the page tree's /Count, which may be an object of its own as any value may (resolved one
    # step: resolve1 follows an object that refers to itself for ever, till the CPU limit)
    count = resolve1(resolve1(document.catalog.get("Pages")) or {}).get("Count")
    count = count.resolve() if isinstance(count, PDFObjRef) else count
    count = count if isinstance(count, int) and not isinstance(count, bool) else None
    stop = chunk.stop if count is None or count <= chunk.stop else chunk.probe
    if count is not None and count > chunk.most:
        return {"count": count, "more": True, "pages": []}
    info: dict[str, str] = {}
    for entry in document.info if chunk.start == 0 else ():
        for key, value in resolve1(entry).items():
            text = _info_text(resolve1(value))
            if text is not None:
                info[str(key)] = text
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, device)
    pages: list[dict[str, Any]] = []
    more = False
    for number, page in enumerate(
        islice(PDFPage.create_pages(document), chunk.start, max(stop, chunk.start) + 1),
        chunk.start,
    ):
        if number >= stop:
            more = True
            break
        interpreter.process_page(page)
        layout = device.get_result()
        height = layout.height
        links = _link_rects(page)
        boxes = [
            {
                "lines": [
                    line.get_text().strip("\n") for line in box if isinstance(line, LTTextLine)
                ],
                "top": height - box.y1,
                "bottom": height - box.y0,
                "linked": _linked_characters(box, links),
            }
            for box in layout
            if isinstance(box, LTTextBox)
        ]
        pages.append({"height": height, "boxes": boxes})
    return {"count": count, "more": more, "pages": pages, "info": info}


Rect = tuple[float, float, float, float]


def _link_rects(page: Any) -> list[Rect]:
    """Where the page's links are (its /Link annotations' rectangles): a browser writes one
    for each link of the page it prints."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral

    rects: list[Rect] = []
    for annot in resolve1(page.annots) or []:
        annot = resolve1(annot)
        if not isinstance(annot, dict):
            continue
        subtype = resolve1(annot.get("Subtype"))
        rect = resolve1(annot.get("Rect"))
        if isinstance(subtype, PSLiteral) and subtype.name == "Link" and rect and len(rect) == 4:
            try:
                x0, y0, x1, y1 = (float(resolve1(v)) for v in rect)
            except (TypeError, ValueError):
                continue
            rects.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
    return rects


def _linked_characters(box: Any, links: list[Rect]) -> int:
    """How many of the box's characters stand inside a link (their centre does)."""
    from pdfminer.layout import LTChar

    if not links:
        return 0
    linked = 0
    for line in box:
        near = [r for r in links if r[0] <= line.x1 and r[2] >= line.x0 and r[1] <= line.y1
                and r[3] >= line.y0]  # fmt: skip
        if not near:
            continue
        for char in line:
            if not isinstance(char, LTChar) or not char.get_text().strip():
                continue
            x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
            if any(r[0] <= x <= r[2] and r[1] <= y <= r[3] for r in near):
                linked += 1
    return linked


def _pypdf_pages(data: bytes, chunk: Chunk) -> dict[str, Any]:
    """pypdf's reading, for the benchmark's comparison: each piece of text where it is drawn,
    lines by their height on the page, and a paragraph broken where the gap between two lines
    is larger than the page's usual one."""
    import io
    import statistics

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    count = len(reader.pages)
    if count > chunk.most:
        return {"count": count, "more": True, "pages": []}
    stop = chunk.stop if count <= chunk.stop else chunk.probe
    pages: list[dict[str, Any]] = []
    for page in reader.pages[chunk.start : stop]:
        height = float(page.mediabox.height)
        pieces: list[tuple[float, str]] = []

        def visit(
            text: str, cm: Any, tm: Any, *_: Any, into: list = pieces, h: float = height
        ) -> None:
            if text.strip():
                into.append((h - float(tm[5]) * float(cm[3]) - float(cm[5]), text))

        page.extract_text(visitor_text=visit)
        lines: list[tuple[float, str]] = []
        for top, text in pieces:
            if lines and abs(lines[-1][0] - top) < 2:
                lines[-1] = (lines[-1][0], lines[-1][1] + text)
            else:
                lines.append((top, text))
        gaps = [b[0] - a[0] for a, b in zip(lines, lines[1:], strict=False) if b[0] > a[0]]
        usual = statistics.median(gaps) if gaps else 0.0
        boxes: list[dict[str, Any]] = []
        for top, text in lines:
            last = boxes[-1] if boxes else None
            if last is not None and 0 < top - last["bottom"] <= usual * 1.3:
                last["lines"].append(text.strip())
                last["bottom"] = top
            else:
                boxes.append({"lines": [text.strip()], "top": top, "bottom": top})
        pages.append({"height": height, "boxes": boxes})
    metadata: Mapping[Any, Any] = (reader.metadata or {}) if chunk.start == 0 else {}
    info = {str(key).lstrip("/"): str(value) for key, value in metadata.items()}
    return {"count": count, "more": count > stop, "pages": pages, "info": info}


_READERS: dict[str, Callable[[bytes, Chunk], dict[str, Any]]] = {
    "pdfminer": _pdfminer_pages,
    "pypdf": _pypdf_pages,
}


def _child(reader: str, limits: PdfLimits, chunk: Chunk) -> None:
    """Read the chunk of a PDF from standard input and write what it holds, or why not, as
    JSON."""
    _limit_self(limits, chunk)
    import logging

    logging.disable(logging.WARNING)  # pdfminer's notes on damaged files: the answer says
    data = sys.stdin.buffer.read()
    answer_to = sys.stdout
    sys.stdout = sys.stderr  # anything a library prints is no part of the answer
    try:
        answer = _READERS[reader](data, chunk)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of a hostile file is its problem
        from pdfminer.pdfdocument import PDFEncryptionError

        encrypted = isinstance(exc, PDFEncryptionError) or type(exc).__name__ in (
            "FileNotDecryptedError", "WrongPasswordError",
        )  # fmt: skip
        answer = {"problem": _ENCRYPTED if encrypted else f"not a PDF that can be read ({exc})"}
    said = json.dumps(answer)
    if len(said) > chunk.output_bytes:
        said = json.dumps({"problem": _too_much_text(limits, chunk)})
    answer_to.write(said)


if __name__ == "__main__":
    _child(sys.argv[1], PdfLimits(**json.loads(sys.argv[2])), Chunk(**json.loads(sys.argv[3])))
