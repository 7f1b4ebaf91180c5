#!/usr/bin/env python
"""How well the project reads an article out of a web page saved as PDF, against the same gold
text as the HTML extraction.

    python scripts/pdf_benchmark.py DIR [--pdf-dir FOLDER] [--reader pdfminer|pypdf] [--out FILE]

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
"""

from __future__ import annotations

import argparse
import gzip
import json
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
    parser.add_argument("folder", type=Path, help="pages (*.html.gz) and ground-truth.json")
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
    args = parser.parse_args()

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
