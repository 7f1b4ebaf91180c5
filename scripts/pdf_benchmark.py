#!/usr/bin/env python
"""How well the project reads an article out of a web page saved as PDF, against the same gold
text as the HTML extraction.

    python scripts/pdf_benchmark.py DIR [--pdf-dir FOLDER] [--reader pdfminer|pypdf] [--out FILE]
    python scripts/pdf_benchmark.py --nexis-export N [--pdf-dir FOLDER]

DIR is the article-extraction benchmark's folder that scripts/extraction_benchmark.py reads
(`*.html.gz` pages, directly or in `DIR/html/`, and `ground-truth.json` with each page's
`articleBody` and `url`). Each page is printed to PDF by real Chromium through Playwright, as a
user's File > Print > Save as PDF gives it: US Letter, 0.4 inch margins, Chrome's own header
and footer (the date and the page's title at the top of every page, its address and "1/5" at
the bottom), the page loaded at its own address with every network request blocked (it is
served from the saved file; nothing is fetched). The PDFs go to `--pdf-dir` (default: a
folder under the system's temporary folder, outside the project; they are evaluation data and
are never committed); a PDF already there is not printed again.

Then every PDF goes through the project's own ingestion, `index.formats.read_article_file`
(the function index builds run), and its article text is scored against `articleBody` with the
benchmark's measure (4-token shingles, qa/shingles.py), as the HTML pages are.
`--reader pypdf` reads the text with pypdf's layout-free extraction instead of pdfminer's
layout analysis, to compare the two (docs/extraction.md). `--out FILE` writes what was read as
`{page_id: {"articleBody": ...}}`.

`--nexis-export N` measures a long Nexis Uni export saved as PDF instead: N invented news
stories of 1,900 to 3,700 words laid out as Nexis Uni's PDF download lays them out (a cover page
listing them, each from a new page, the search as a running header, "Page N of M" footers),
printed by Chromium as above (100 stories: about 400 pages) into `--pdf-dir`, then read twice
under the settings' limits, each reading in a process of its own: as one article's PDF
(`read_pdf` without `read_on`: more than `index.pdf_max_pages` pages is refused unread, as an
export of that length was) and as a build reads it (`read_article_file`: in chunks, each
article an item). It prints for each the wall time, the CPU time of its PDF-reading children,
the peak resident memory of the reading process and of its largest child, and what came out.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from index import pdf_pages  # noqa: E402
from index.formats import read_article_file  # noqa: E402
from index.skips import FileArticles  # noqa: E402
from qa.errors import BadInput  # noqa: E402
from qa.settings import Settings  # noqa: E402
from qa.shingles import aggregate, score_page  # noqa: E402
from scripts.cli import UsageError, run_cli  # noqa: E402

if TYPE_CHECKING:
    from playwright._impl._api_structures import PdfMargins
    from playwright.sync_api import Route

SUFFIX = ".html.gz"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
# Chrome's print dialog: its default margins, and its header and footer (headerTemplate and
# footerTemplate left out: Chrome's own date + title, address + page numbers)
MARGIN: PdfMargins = {"top": "0.4in", "bottom": "0.4in", "left": "0.4in", "right": "0.4in"}


def pages_in(folder: Path) -> dict[str, Path]:
    """page_id -> file, from `folder/html/` if it exists, else from `folder` itself."""
    html = folder / "html"
    where = html if html.is_dir() else folder
    return {p.name[: -len(SUFFIX)]: p for p in sorted(where.glob(f"*{SUFFIX}"))}


def print_pdfs(pages: dict[str, Path], urls: dict[str, str], out: Path) -> list[str]:
    """Print each page not yet in `out` to `<page_id>.pdf` there; the pages that failed."""
    from playwright.sync_api import sync_playwright

    failed: list[str] = []
    todo = {p: path for p, path in pages.items() if not (out / f"{p}.pdf").is_file()}
    if not todo:
        return failed
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context()
        for number, (page_id, path) in enumerate(todo.items(), 1):
            url = urls.get(page_id) or f"https://saved.example/{page_id}"
            html = gzip.decompress(path.read_bytes())

            page = context.new_page()
            try:
                page.route("**/*", _server(url, html))
                page.goto(url, wait_until="load", timeout=60_000)
                target = out / f"{page_id}.pdf"
                partial = target.with_suffix(".part")
                page.pdf(
                    path=str(partial), format="Letter", margin=MARGIN, display_header_footer=True
                )
                partial.replace(target)
            except Exception as exc:  # noqa: BLE001 - one page's failure is reported, not fatal
                failed.append(f"{page_id}: {exc}")
            finally:
                page.close()
            print(f"printed {number}/{len(todo)}", file=sys.stderr, flush=True)
        browser.close()
    return failed


def _server(url: str, html: bytes) -> Callable[[Route], None]:
    """A route handler that serves the saved page at its own address and refuses every other
    request (offline: nothing is fetched)."""

    def serve(route: Route) -> None:
        request = route.request
        if request.is_navigation_request() and request.url == url:
            route.fulfill(status=200, body=html, headers={"content-type": "text/html"})
        else:
            route.abort()

    return serve


# --- a long Nexis Uni export ----------------------------------------------------------------

_STORY_WORDS = (
    "the council said on monday that the harbour works would go on through the winter while "
    "engineers checked the sea wall and the ferry company weighed new sailings to the islands "
    "as shop owners on the quay asked for help after the storms flooded the fish market and "
    "the mayor promised a report before the budget meeting in the spring"
).split()
_NEXIS_STYLE = (
    "body{font:11pt serif} p{margin:0 0 9pt} p.field{margin:0} p.title{font-size:15pt} "
    "p.mark{font-weight:bold} section.doc{break-before:page}"
)
_NEXIS_HEADER = (
    '<div style="font-size:8px;width:100%;margin-left:0.4in">Nexis Uni search: harbour OR '
    "ferry</div>"
)
_NEXIS_FOOTER = (
    '<div style="font-size:9px;width:100%;text-align:center">Page <span class="pageNumber">'
    '</span> of <span class="totalPages"></span></div>'
)


def nexis_export_html(documents: int, *, seed: int = 7) -> str:
    """A Nexis Uni export of `documents` invented stories (33 to 55 paragraphs of two to four
    sentences each) as its PDF download lays out the lines its Word export holds."""
    rng = random.Random(seed)

    def p(text: str, cls: str = "") -> str:
        return f'<p class="{cls}">{html.escape(text)}</p>'

    def sentence() -> str:
        words = " ".join(rng.choice(_STORY_WORDS) for _ in range(rng.randint(12, 30)))
        return words[0].upper() + words[1:] + "."

    titles = [f"Harbour works go on, report {n}" for n in range(1, documents + 1)]
    nbsp = "\u00a0"
    cover = [
        p(f"User Name:{nbsp}Newsroom Research"),
        p(f"Date and Time:{nbsp}Wednesday, March 20, 2024 3:05:00 PM EDT"),
        p(f"Documents ({documents})"),
        *(p(f"{n}. {title}") for n, title in enumerate(titles, start=1)),
        p(f"Search Terms:{nbsp}harbour OR ferry"),
    ]
    stories = []
    for n, title in enumerate(titles):
        text = [
            " ".join(sentence() for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(33, 55))
        ]
        words = sum(len(t.split()) for t in text)
        lines = [
            p(title, "title"), p("The Brindle Coast Courier"), p(f"March {n % 28 + 1}, 2024"),
            p("Copyright 2024 The Brindle Coast Courier All Rights Reserved", "field"),
            p(f"Length:{nbsp}{words} words", "field"), p(f"Byline:{nbsp}By Reporter {n}", "field"),
            p("Body", "mark"), *(p(t) for t in text), p("Classification", "mark"),
            p(f"Language:{nbsp}ENGLISH", "field"), p(f"Load-Date:{nbsp}March 21, 2024", "field"),
            p("End of Document", "mark"),
        ]  # fmt: skip
        stories.append('<section class="doc">' + "".join(lines) + "</section>")
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Nexis Uni</title>'
        f"<style>{_NEXIS_STYLE}</style></head><body>{''.join(cover)}{''.join(stories)}"
        "</body></html>"
    )


def print_nexis_export(documents: int, out: Path) -> Path:
    """The export of `documents` stories printed to `out/nexis-export-<documents>.pdf` (kept,
    and reused by the next run)."""
    from playwright.sync_api import sync_playwright

    target = out / f"nexis-export-{documents}.pdf"
    if target.is_file():
        return target
    url = "https://advance.lexis.example/results"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.route("**/*", _server(url, nexis_export_html(documents).encode()))
        page.goto(url, wait_until="load", timeout=60_000)
        partial = target.with_suffix(".part")
        page.pdf(
            path=str(partial), format="Letter", margin=MARGIN, display_header_footer=True,
            header_template=_NEXIS_HEADER, footer_template=_NEXIS_FOOTER,
        )  # fmt: skip
        partial.replace(target)
        browser.close()
    return target


def _measure(how: str, path: Path) -> dict[str, object]:
    """Read the PDF `path` as `how` says ("article" or "build") in this process, and what it
    took: run in a process of its own, so that its peak memory is this reading's."""
    import resource

    started = time.perf_counter()
    said: dict[str, object] = {}
    if how == "article":
        try:
            document = pdf_pages.read_pdf(path.read_bytes(), limits=pdf_pages.LIMITS)
            said["outcome"] = f"read, {len(document.pages)} pages"
        except BadInput as exc:
            said["outcome"] = f"refused: {exc}"
    else:
        found = read_article_file(path, max_bytes=Settings().index.max_document_bytes)
        said["outcome"] = f"{len(found.articles)} articles" + "".join(
            f"; {w}" for w in found.warnings
        )
    said["wall_s"] = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    said["children_cpu_s"] = children.ru_utime + children.ru_stime
    said["largest_child_mib"] = children.ru_maxrss / 1024
    said["process_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return said


def nexis_export_benchmark(documents: int, pdf_dir: Path) -> int:
    """Print an export of `documents` stories to PDF, and read it both ways (`_measure`)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from pypdf import PdfReader

    pdf_dir.mkdir(parents=True, exist_ok=True)
    path = print_nexis_export(documents, pdf_dir)
    pages = len(PdfReader(path).pages)
    limits = pdf_pages.LIMITS
    print(
        f"export         {path} ({documents} stories, {pages} pages, {path.stat().st_size:,} bytes)"
    )
    print(
        f"limits         {limits.max_pages} pages an article, {limits.export_max_pages:,} an "
        f"export, {limits.chunk_pages} a child of one; a child {limits.memory_bytes >> 20} "
        f"MiB, {limits.cpu_s} s CPU, {limits.wall_s:g} s; an export {limits.export_wall_s:g} s"
    )
    spawn = multiprocessing.get_context("spawn")
    for how, label in (("article", "as an article"), ("build", "as a build")):
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            said = pool.submit(_measure, how, path).result()
        print(
            f"{label:<15}{said['wall_s']:.1f} s wall, {said['children_cpu_s']:.1f} s CPU in the "
            f"children, peak {said['process_mib']:.0f} MiB in the reading process, "
            f"{said['largest_child_mib']:.0f} MiB in its largest child"
        )
        print(f"{'':<15}{str(said['outcome'])[:300]}")
    return 0


def _read(path: Path, *, reader: str, max_bytes: int) -> FileArticles:
    """The PDF's article as an index build reads it, or (`reader` "pypdf") with pypdf's text
    in place of pdfminer's layout, everything after that the same."""
    if reader == "pdfminer":
        return read_article_file(path, max_bytes=max_bytes)
    found = FileArticles()
    try:
        found.articles.append(
            pdf_pages.article_from_pdf(path.stem, path.read_bytes(), reader=reader)
        )
    except BadInput as exc:
        found.warnings.skip(path.name, f"skipped {path.name}: {exc}")
    return found


def _printed_recall(path: Path, gold: str) -> float:
    """The share of the article's words the PDF holds anywhere (every text box, nothing
    dropped): what the print kept, before the reader chooses."""
    try:
        document = pdf_pages.read_pdf(path.read_bytes())
    except (BadInput, OSError):
        return 0.0
    text = "\n".join(box.text for page in document.pages for box in page.boxes)
    return score_page(gold, text).recall


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "folder", type=Path, nargs="?", help="pages (*.html.gz) and ground-truth.json"
    )
    parser.add_argument(
        "--pdf-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "qa-pdf-benchmark",
        help="where the printed PDFs go (kept, and reused by the next run)",
    )
    parser.add_argument(
        "--reader",
        choices=("pdfminer", "pypdf"),
        default="pdfminer",
        help="whose text to read: pdfminer.six's layout (the index's) or pypdf's, to compare",
    )
    parser.add_argument("--out", type=Path, help="write the text read here (JSON)")
    parser.add_argument(
        "--nexis-export",
        type=int,
        metavar="N",
        help="measure instead the reading of a Nexis Uni export of N stories saved as PDF",
    )
    args = parser.parse_args()
    if args.nexis_export is not None:
        if args.nexis_export < 1:
            raise UsageError("--nexis-export needs at least one story")
        return nexis_export_benchmark(args.nexis_export, args.pdf_dir)
    if args.folder is None:
        raise UsageError("give the benchmark's folder (or --nexis-export N)")

    truth_file = args.folder / "ground-truth.json"
    if not truth_file.is_file():
        raise UsageError(f"{truth_file} does not exist")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    pages = {p: path for p, path in pages_in(args.folder).items() if p in truth}
    if not pages:
        raise UsageError(f"no *{SUFFIX} page of ground-truth.json in {args.folder} or its html/")
    args.pdf_dir.mkdir(parents=True, exist_ok=True)
    failed = print_pdfs(pages, {p: t.get("url", "") for p, t in truth.items()}, args.pdf_dir)
    max_bytes = Settings().index.max_document_bytes

    extracted: dict[str, str] = {}
    times: list[float] = []
    skipped: list[str] = []
    for page_id in pages:
        path = args.pdf_dir / f"{page_id}.pdf"
        if not path.is_file():
            extracted[page_id] = ""
            continue
        started = time.perf_counter()
        found = _read(path, reader=args.reader, max_bytes=max_bytes)
        times.append((time.perf_counter() - started) * 1000)
        extracted[page_id] = found.articles[0].text if found.articles else ""
        skipped.extend(found.warnings)
    scores = aggregate(
        [score_page(truth[p].get("articleBody", ""), text) for p, text in extracted.items()]
    )
    # how much of the article the print itself holds (every word of the PDF): a page whose
    # article only its scripts show prints without it offline, which no reader can mend
    printed = {
        p: _printed_recall(args.pdf_dir / f"{p}.pdf", truth[p].get("articleBody", ""))
        for p in extracted
    }
    holding = [p for p, recall in printed.items() if recall >= 0.5]
    held = aggregate([score_page(truth[p].get("articleBody", ""), extracted[p]) for p in holding])
    print(f"pages          {len(extracted)} ({len(failed)} not printed)")
    print(f"reader         {args.reader}")
    print(f"precision      {scores.precision:.4f}")
    print(f"recall         {scores.recall:.4f}")
    print(f"f1             {scores.f1:.4f}")
    if times:
        print(
            f"ms_per_pdf     {statistics.mean(times):.1f} mean, {statistics.median(times):.1f} "
            f"median, {max(times):.1f} max (wall clock)"
        )
    print(
        f"printed        {len(holding)} of the PDFs hold at least half of their article; on "
        f"those: precision {held.precision:.4f}, recall {held.recall:.4f}, F1 {held.f1:.4f}"
    )
    print(f"skipped        {len(skipped)}")
    for line in [*failed, *skipped]:
        print(f"  {line}")
    if args.out:
        body = {page_id: {"articleBody": text} for page_id, text in extracted.items()}
        args.out.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"text read written to {args.out}")
    return 0


if __name__ == "__main__":
    run_cli(main)
