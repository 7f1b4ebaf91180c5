"""A long Nexis Uni export saved as PDF, written here page by page: the lines Nexis gives its
Word export (tests/word_files.py: nexis_paragraphs) laid out as its PDF download lays them out
(tests/fixtures/make_pdfs.py: a cover page, each document from a new page, the search as a
running header and "Page N of M" footers), with a paragraph that does not fit on a page going
on at the top of the next. No browser: a few hundred pages take a tenth of a second, so a test
can make one; the pages are small and hold little text, so reading them takes a few seconds.

`long_export` gives the PDF and where each document and broken paragraph stands, so that a
test can pick the article a chunk's boundary (index/pdf_pages.py) falls in. The articles are
invented (`long_items`).
"""

from __future__ import annotations

import textwrap
import zlib
from dataclasses import dataclass

from tests.word_files import NexisItem, nexis_paragraphs

SEARCH_HEADER = "Nexis Uni search: harbour OR quay"
# a small page in Courier (each character 0.6 of the font size wide): a line is COLUMNS
# characters, and the top and bottom tenth of the page (qa/pdf_text.py: BAND) hold the running
# header and the footer
WIDTH, HEIGHT = 360.0, 300.0
SIZE, LEADING, GAP = 9.0, 11.0, 7.0
LEFT = 24.0
COLUMNS = int((WIDTH - 2 * LEFT) / (0.6 * SIZE))
TOP, BOTTOM = HEIGHT - 42.0, 42.0  # where the text of a page starts and must end

_WORDS = (
    "the harbour crews worked through the night on the north quay while the council weighed "
    "what the repairs would cost and how long the ferry to the islands would stay in port and "
    "whether the fish market could open again before the spring tides came in over the wall"
).split()
_PLACES = ("Vessby", "Tarn", "Harrow", "Brindle", "Skarra", "Vell", "Nore", "Kalv")


def long_items(count: int, *, paragraphs: int = 5, words: int = 58) -> list[NexisItem]:
    """`count` invented news stories, each of `paragraphs` paragraphs of one sentence of about
    `words` words (so a page break inside a paragraph falls inside a sentence, which the
    reading joins again), with titles of their own."""
    items = []
    for n in range(count):
        place = _PLACES[n % len(_PLACES)]
        body = []
        for p in range(paragraphs):
            start = (n * 7 + p * 3) % len(_WORDS)
            run = [_WORDS[(start + i) % len(_WORDS)] for i in range(words + (n + p) % 9)]
            body.append(f"In {place} item {n + 1} part {p + 1} says " + " ".join(run) + ".")
        items.append(
            NexisItem(
                title=f"{place} harbour report number {n + 1}",
                source="The Brindle Coast Courier",
                date_line=f"March {n % 28 + 1}, 2019",
                byline=f"By Reporter {n + 1}",
                paragraphs=body,
            )
        )
    return items


@dataclass(frozen=True)
class LongExport:
    """The PDF, its number of pages, the page (from 0) each item's title stands on, and each
    paragraph broken by a page break: (the page it goes on to, the item, the paragraph's place
    in the item's text)."""

    data: bytes
    pages: int
    first_pages: list[int]
    broken: list[tuple[int, int, int]]


def long_export(items: list[NexisItem]) -> LongExport:
    """The export of `items` saved as PDF (see the module's notes)."""
    lines = nexis_paragraphs(items, cover=True)
    cover = lines[: lines.index("")]
    pages: list[list[tuple[float, str]]] = [[]]
    first_pages: list[int] = []
    broken: list[tuple[int, int, int]] = []
    y = TOP

    def new_page() -> None:
        nonlocal y
        pages.append([])
        y = TOP

    def put(paragraph: str, *, item: int | None = None, place: int = -1) -> None:
        nonlocal y
        wrapped = textwrap.wrap(paragraph, COLUMNS) or [""]
        for number, line in enumerate(wrapped):
            if y < BOTTOM:
                new_page()
                if number and item is not None:
                    broken.append((len(pages) - 1, item, place))
            pages[-1].append((y, line))
            y -= LEADING
        y -= GAP

    for line in cover:
        put(line)
    for number, item in enumerate(items):
        new_page()
        first_pages.append(len(pages) - 1)
        own = nexis_paragraphs([item], cover=False)
        body = own.index("Body")
        for place, line in enumerate(own):
            put(line, item=number, place=place - body - 1)
    return LongExport(_pdf(pages), len(pages), first_pages, broken)


def _literal(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _content(lines: list[tuple[float, str]], number: int, total: int) -> bytes:
    shown = [(HEIGHT - 20.0, SEARCH_HEADER), *lines, (14.0, f"Page {number} of {total}")]
    ops = [b"BT /F1 %g Tf" % SIZE]
    ops += [b"1 0 0 1 %g %g Tm %s Tj" % (LEFT, y, _literal(text)) for y, text in shown]
    ops.append(b"ET")
    return b"\n".join(ops)


def _pdf(pages: list[list[tuple[float, str]]]) -> bytes:
    """A PDF of the pages, each line (its height on the page, its text) in 9 pt Courier."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages' numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>",
        b"<< /Title (Nexis Uni) /Producer (Nexis Uni PDF) /Creator (Nexis Uni) >>",
    ]
    kids = []
    for number, lines in enumerate(pages, start=1):
        stream = zlib.compress(_content(lines, number, len(pages)))
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream)
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (WIDTH, HEIGHT, len(objects))
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
