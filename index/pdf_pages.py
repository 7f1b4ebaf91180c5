"""Reading a PDF's text boxes and document information (pdfminer.six), in a child process
with limits, for qa/pdf_text.py to make an article of.

Why pdfminer.six, not pypdf: its layout analysis gives text boxes (paragraphs) with where they
stand on the page, which finding running headers and paragraphs needs; over the PDFs of the
extraction benchmark it scores higher (docs/extraction.md: "Articles saved as PDF").

A PDF is a program as much as a document: a few kilobytes can inflate to gigabytes (a
"decompression bomb") or draw millions of operators, and pdfminer decompresses every stream
whole. So a PDF is read in a child Python process (`python -m index.pdf_pages`, the bytes on
its standard input, JSON on its output) that limits its own memory (`PdfLimits`, from the
settings `index.pdf_*`: by default 1 GiB of address space, 60 s of CPU time) before it reads a
byte, and is killed after 120 s; a PDF of more than 200 pages is no article and is not laid out
at all. The child
starts in the project's folder (so it imports the project's modules whatever the server's
working directory), and its output goes to temporary files: its answer is held to 256 KiB a
page and only the end of its error output is read, so a hostile file cannot fill this process's
memory through them either.
Whatever goes wrong becomes a `BadInput` that names what to do: the file is skipped, the build
goes on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
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
    """What reading one PDF may take: pages, the child's address space, CPU and wall time
    (the settings `index.pdf_*`: `of`)."""

    max_pages: int
    memory_bytes: int
    cpu_s: int
    wall_s: float
    # the child's answer (JSON) a page may take: ten times a page of small print, so that a
    # hostile file cannot make the reading process parse gigabytes
    page_output_bytes: int = 256 * 1024

    @property
    def output_bytes(self) -> int:
        """The most the child's answer may be."""
        return self.max_pages * self.page_output_bytes

    @classmethod
    def of(cls, settings: IndexSettings) -> PdfLimits:
        return cls(
            max_pages=settings.pdf_max_pages,
            memory_bytes=settings.pdf_memory_bytes,
            cpu_s=settings.pdf_cpu_s,
            wall_s=settings.pdf_wall_s,
        )


LIMITS = PdfLimits.of(IndexSettings())  # the settings' defaults

_PROJECT = Path(__file__).resolve().parents[1]
_ENCRYPTED = (
    "encrypted: it needs a password to open; save a copy without one (open it and print it "
    "to PDF again) and rebuild"
)
_NO_TEXT = (
    "no text layer: a scanned PDF holds pictures of its pages, not their words; it needs OCR "
    "first (e.g. ocrmypdf --sidecar, or a scanner's text recognition), then rebuild"
)


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


def read_pdf(data: bytes, *, reader: str = "pdfminer", limits: PdfLimits = LIMITS) -> PdfDocument:
    """The PDF's pages and document information, read in a limited child process.

    The child runs the project's own modules whatever the server's working directory (it
    starts in the project's folder, which `-m` puts first on its path: from another folder, a
    `qa.py` or an `index` package there was imported instead). Its output goes to temporary
    files, not pipes read whole into this process: the answer is held to `output_bytes` and
    only the last lines of its error output are read."""
    if not data.lstrip()[:1024].startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise BadInput("not a PDF: it does not start with %PDF-")
    env = child_environment(os.environ)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "index.pdf_pages", reader, json.dumps(asdict(limits))],
                input=data,
                stdout=out,
                stderr=err,
                timeout=limits.wall_s,
                cwd=_PROJECT,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise BadInput(
                f"reading it took more than {limits.wall_s:g} s, more than an article's PDF "
                "needs; print it to PDF again, or save its text as .txt"
            ) from exc
        size = out.seek(0, os.SEEK_END)
        if done.returncode != 0 or size == 0:
            raise BadInput(_limit_problem(done.returncode, _tail(err), limits))
        if size > limits.output_bytes:  # the child holds itself to it: a backstop
            raise BadInput(_too_much_text(limits))
        out.seek(0)
        try:
            answer = json.load(out)
        except ValueError as exc:  # UnicodeDecodeError too
            raise BadInput(_NO_ANSWER.format(exc)) from exc
    if not isinstance(answer, dict):
        raise BadInput(_NO_ANSWER.format(type(answer).__name__))
    if "problem" in answer:
        raise BadInput(str(answer["problem"]))
    try:
        return _document(answer)
    except (KeyError, TypeError, ValueError) as exc:
        raise BadInput(_NO_ANSWER.format(repr(exc))) from exc


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


def _too_much_text(limits: PdfLimits) -> str:
    return (
        f"its text would be more than {limits.output_bytes:,} bytes, more than "
        f"{limits.max_pages} pages of an article hold (a damaged or hostile file); print it to "
        "PDF again, or save its text as .txt"
    )


def _limit_problem(returncode: int, stderr: str, limits: PdfLimits) -> str:
    """Why the child gave no answer, in words: a limit it hit, or the error it ended with."""
    said = stderr.strip().splitlines()
    if returncode in (-9, -24) or "MemoryError" in "".join(said[-1:]):  # SIGKILL, SIGXCPU
        return (
            f"reading it needed more than {limits.memory_bytes >> 20} MiB of memory or "
            f"{limits.cpu_s} s of CPU time, more than an article's PDF needs (a damaged or "
            "hostile file); print it to PDF again, or save its text as .txt"
        )
    last = said[-1] if said else f"exit status {returncode}"
    return f"not a PDF that can be read ({last[:200]})"


def _document(answer: dict[str, Any]) -> PdfDocument:
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
    return PdfDocument(
        pages=pages,
        title=info.get("Title"),
        author=info.get("Author"),
        created=info.get("CreationDate"),
        producer=info.get("Producer"),
        creator=info.get("Creator"),
    )


def too_many_pages(count: str, max_pages: int) -> str:
    """Why a PDF of `count` pages is not read. The limit bounds what reading one file takes
    (reading a page is a tenth of a second or more, and the CPU limit holds), whatever it
    holds: a Nexis Uni export of hundreds of documents is refused whole too, and told how to
    download one that is read."""
    return (
        f"it has {count} pages, more than an article ({max_pages:,}, setting "
        "index.pdf_max_pages); split out the article's pages (print those to PDF) and rebuild; "
        "a Nexis Uni export that long: download it as Word (.docx), which has no page limit, "
        "or in PDFs of fewer documents each"
    )


# --- in the child process ------------------------------------------------------------------


def _limit_self(limits: PdfLimits) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 5))
    # the files its output goes to (a flood of error output ends in an error, not a full disk)
    room = limits.output_bytes + (1 << 20)
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


def _pdfminer_pages(data: bytes, max_pages: int) -> dict[str, Any]:
    import io

    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    document = PDFDocument(PDFParser(io.BytesIO(data)))
    count = resolve1(resolve1(document.catalog.get("Pages")) or {}).get("Count", 0)
    if isinstance(count, int) and count > max_pages:
        return {"problem": too_many_pages(f"{count:,}", max_pages)}
    info: dict[str, str] = {}
    for entry in document.info:
        for key, value in resolve1(entry).items():
            text = _info_text(resolve1(value))
            if text is not None:
                info[str(key)] = text
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, device)
    pages: list[dict[str, Any]] = []
    for number, page in enumerate(PDFPage.create_pages(document)):
        if number >= max_pages:
            return {"problem": too_many_pages(f"more than {max_pages:,}", max_pages)}
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
    return {"pages": pages, "info": info}


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


def _pypdf_pages(data: bytes, max_pages: int) -> dict[str, Any]:
    """pypdf's reading, for the benchmark's comparison: each piece of text where it is drawn,
    lines by their height on the page, and a paragraph broken where the gap between two lines
    is larger than the page's usual one."""
    import io
    import statistics

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if len(reader.pages) > max_pages:
        return {"problem": too_many_pages(f"{len(reader.pages):,}", max_pages)}
    pages: list[dict[str, Any]] = []
    for page in reader.pages:
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
    info = {str(key).lstrip("/"): str(value) for key, value in (reader.metadata or {}).items()}
    return {"pages": pages, "info": info}


_READERS: dict[str, Callable[[bytes, int], dict[str, Any]]] = {
    "pdfminer": _pdfminer_pages,
    "pypdf": _pypdf_pages,
}


def _child(reader: str, limits: PdfLimits) -> None:
    """Read a PDF from standard input and write what it holds, or why not, as JSON."""
    _limit_self(limits)
    import logging

    logging.disable(logging.WARNING)  # pdfminer's notes on damaged files: the answer says
    data = sys.stdin.buffer.read()
    answer_to = sys.stdout
    sys.stdout = sys.stderr  # anything a library prints is no part of the answer
    try:
        answer = _READERS[reader](data, limits.max_pages)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of a hostile file is its problem
        from pdfminer.pdfdocument import PDFEncryptionError

        encrypted = isinstance(exc, PDFEncryptionError) or type(exc).__name__ in (
            "FileNotDecryptedError", "WrongPasswordError",
        )  # fmt: skip
        answer = {"problem": _ENCRYPTED if encrypted else f"not a PDF that can be read ({exc})"}
    said = json.dumps(answer)
    if len(said) > limits.output_bytes:
        said = json.dumps({"problem": _too_much_text(limits)})
    answer_to.write(said)


if __name__ == "__main__":
    _child(sys.argv[1], PdfLimits(**json.loads(sys.argv[2])))
