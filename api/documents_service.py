"""What the document routes (api/routers/documents.py) do besides HTTP: an article sent as
text or as a saved page turned into the file the corpus folder will hold, stored, imported or
deleted through the incremental build (index/documents.py, index/imports.py), the new version
served before the route answers, and what the build skipped said about the files written.

The routes check the request bodies and shape the responses; nothing here knows a status code.
Builds and reloads block, so each runs in a worker thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from fastapi.concurrency import run_in_threadpool

from api.reload import IndexReloader, ReloadResult
from api.service import QAService
from index.builder import BuildReport
from index.documents import add_article, delete_article
from index.formats import read_sent_document
from index.html_exports import FACTIVA_UPLOAD_SUFFIXES, factiva_refusal
from index.imports import ImportReport, import_archive
from index.pdf_pages import PdfLimits
from index.skips import skips_of_files
from qa.articles import (
    LookAlike,
    article_from_page,
    article_from_request,
    ids_by_headline,
    ids_by_url,
    indexed_as,
    look_alikes,
    new_doc_id,
    parse_date,
    same_article,
)
from qa.dates import NOT_A_CALENDAR_DATE
from qa.errors import BadInput, Conflict, IndexCorrupt, TooLarge
from qa.markdown_text import split_front_matter
from qa.models import Article
from qa.saved_pages import is_mhtml, page_of_mhtml
from qa.text_input import empty_text_problem, garbled_problem, has_visible_text, markup_problem


class SentArticle(Protocol):
    """An article as a request sends it: `text` with its details, or a saved page, `html`
    (the routes' `NewDocument`)."""

    @property
    def text(self) -> str | None: ...
    @property
    def html(self) -> str | None: ...
    @property
    def title(self) -> str | None: ...
    @property
    def source(self) -> str | None: ...
    @property
    def date(self) -> str | None: ...
    @property
    def author(self) -> str | None: ...


@dataclass(frozen=True)
class Stored:
    """An article stored (or found already indexed as sent), as the served index holds it."""

    article: Article
    version: str  # the index version that serves it
    report: BuildReport | None  # the build; None when none was needed
    notes: list[str]  # what the input rule repaired, then the look-alikes' warnings
    look_alikes: list[LookAlike]  # indexed articles under other ids it looks like
    written: str | None  # the file written into the corpus folder
    unchanged: bool  # already indexed as sent: nothing was built
    created: bool  # no article had the id before


@dataclass(frozen=True)
class Imported:
    """An archive export imported: what `import_archive` did and the version now served."""

    report: ImportReport
    version: str
    added: list[Article]  # in the export's order; one deleted meanwhile is not listed
    # each added article that has the url of another indexed one, or, with no url, its
    # headline, outlet and date
    look_alikes: list[LookAlike]


async def store_article(
    body: SentArticle,
    given_id: str | None,
    service: QAService,
    reloader: IndexReloader,
    *,
    replace: bool,
    repaired: Sequence[str] = (),
) -> Stored:
    """Write the article `body` sends into the corpus folder under `given_id` (or an id made
    from it), build, and serve the new version; an article the index already holds as sent
    is not written again (unless `replace`). `repaired`: what the input rule repaired in the
    body, the first of the notes. A 409 names this server's import when that held the build
    lock past `index.build_lock_timeout_s` (`ImportSlot`)."""
    settings = service.settings
    raw: str | bytes
    if body.html is not None:
        doc_id, raw, suffix, read = await run_in_threadpool(
            page_file, body.html, given_id, settings.index.max_document_bytes
        )
    else:
        # cleaning a long text takes a while: off the event loop, as a page's extraction is
        doc_id, raw, suffix, read = await run_in_threadpool(
            text_file, body, given_id, settings.index.max_document_bytes
        )
    articles = service.index.corpus.articles
    # the same article sent again in another shape (white space a text's cleaning drops, a
    # page's other markup): what would be indexed is there already, under this id (a page's
    # id hashes its extracted text) or, when the id hashes what was sent, under another
    # (a PUT stores what it is sent, so it can swap a page for a text and back)
    if replace:
        same = None
    elif doc_id in articles:
        same = doc_id if same_article(read, articles[doc_id]) else None
    else:
        same = indexed_as(read, articles) if given_id is None else None
    if same is not None:
        found = indexed_look_alikes(articles[same], articles)
        return Stored(
            articles[same],
            service.index.version.name,
            report=None,
            notes=[*repaired, *(look_alike.warning for look_alike in found)],
            look_alikes=found,
            written=None,
            unchanged=True,
            created=False,
        )
    await service.imports.before_a_write(
        wait_s=settings.index.build_lock_timeout_s, busy_s=settings.index.import_busy_s
    )
    with service.imports.naming_the_import(settings.index.build_lock_timeout_s):
        report = await run_in_threadpool(
            add_article,
            settings.index_dir,
            doc_id,
            raw,
            embedder=service.embedder,
            index_settings=settings.index,
            near_duplicate_threshold=settings.retrieval.near_duplicate_threshold,
            suffix=suffix,
            replace=replace,
        )
    result = await run_in_threadpool(reloader.reload, retry=True)
    article = service.index.corpus.articles.get(doc_id)
    # version names sort in the order they were built: an older one served means ours failed
    # to load; a newer one is another change made meanwhile, which may have changed this id too
    stale = report is not None and result.version < report.version.name
    if stale or (report is None and article is None):
        raise not_loaded("the article was indexed", result)
    if article is None:
        raise Conflict(
            f"the article was indexed as {doc_id!r}, then deleted by another request before "
            "this one could answer; send it again to add it back"
        )
    found = indexed_look_alikes(article, service.index.corpus.articles)
    return Stored(
        article,
        result.version,
        report=report,
        notes=[*repaired, *(look_alike.warning for look_alike in found)],
        look_alikes=found,
        written=f"{doc_id}{suffix}",
        unchanged=report is None,
        created=report is not None and doc_id in report.added,
    )


async def import_export(
    name: str, content: str | bytes, service: QAService, reloader: IndexReloader
) -> Imported:
    """Import the archive export `content` (named `name`; its text, or its bytes for a Word
    document) as an index build reads an archive in the corpus folder, and serve the new
    version; once another import of this server has finished (`ImportSlot`)."""
    index = service.settings.index
    async with service.imports.turn(
        name, wait_s=index.build_lock_timeout_s, busy_s=index.import_busy_s
    ):
        return await _import_export(name, content, service, reloader)


async def _import_export(
    name: str, content: str | bytes, service: QAService, reloader: IndexReloader
) -> Imported:
    settings = service.settings
    data = content.encode("utf-8") if isinstance(content, str) else content
    if isinstance(content, str) and name.lower().endswith(FACTIVA_UPLOAD_SUFFIXES):
        # a page sent as text is read as UTF-8 whatever charset it declares, as POST /documents
        # stores a page (`page_file`)
        data = b"\xef\xbb\xbf" + data
    report = await run_in_threadpool(
        import_archive,
        settings.index_dir,
        name,
        data,
        embedder=service.embedder,
        index_settings=settings.index,
        near_duplicate_threshold=settings.retrieval.near_duplicate_threshold,
        while_locked=service.imports.indexing,  # a write sent meanwhile is told at once
    )
    result = await run_in_threadpool(reloader.reload, retry=True)
    build = report.build
    if build is not None and result.version < build.version.name:
        raise not_loaded("the articles were indexed", result)
    articles = service.index.corpus.articles
    added = [
        article
        for article in (articles.get(doc_id) for doc_id in report.added)
        if article is not None  # deleted by another request meanwhile: not listed
    ]
    ids_at = ids_by_url(articles) if added else {}
    headlines = ids_by_headline(articles) if added else {}
    return Imported(
        report,
        result.version,
        added,
        look_alikes=[found for a in added for found in look_alikes(a, ids_at, headlines)],
    )


async def import_document(
    name: str, data: bytes, service: QAService, reloader: IndexReloader
) -> Imported:
    """Add the document `data` (a PDF named `name`: one article) to the corpus folder as sent,
    under an id made from its title and text, build, and serve the new version; an article the
    index already holds as sent is `unchanged` (a retry). A PDF that is a Nexis Uni export is
    imported as an export is instead, an article an item (`import_export`). Once another import
    of this server has finished (`ImportSlot`): reading a long export takes minutes."""
    max_bytes = service.settings.index.max_document_bytes
    if len(data) > max_bytes:  # said at once, not after another import
        raise TooLarge(
            f"{name} is {len(data):,} bytes, more than index.max_document_bytes ({max_bytes:,}); "
            "it would be skipped in the corpus folder too"
        )
    index = service.settings.index
    async with service.imports.turn(
        name, wait_s=index.build_lock_timeout_s, busy_s=index.import_busy_s
    ):
        return await _import_document(name, data, service, reloader)


async def _import_document(
    name: str, data: bytes, service: QAService, reloader: IndexReloader
) -> Imported:
    settings = service.settings
    limits = PdfLimits.of(settings.index)
    # read once: an export's articles are kept by its bytes for its import, and one article's
    # reading is the article stored (a PDF's pages are a child process of a second or more)
    sent = await run_in_threadpool(partial(read_sent_document, pdf_limits=limits), name, data)
    if sent.article is None:
        return await _import_export(name, data, service, reloader)
    suffix, read = sent.suffix, sent.article
    problem = garbled_problem(f"{read.title}\n{read.text}")
    if problem is not None:
        raise BadInput(f"the article read out of {name} {problem}")
    doc_id = new_doc_id(read.title, read.text)
    build = await run_in_threadpool(
        add_article,
        settings.index_dir,
        doc_id,
        data,
        embedder=service.embedder,
        index_settings=settings.index,
        near_duplicate_threshold=settings.retrieval.near_duplicate_threshold,
        suffix=suffix,
        read=read,  # read once: a PDF's reading takes a second
    )
    result = await run_in_threadpool(reloader.reload, retry=True)
    if build is not None and result.version < build.version.name:
        raise not_loaded("the article was indexed", result)
    articles = service.index.corpus.articles
    article = articles.get(doc_id)
    report = ImportReport(
        added=[doc_id] if build is not None else [],
        unchanged=[] if build is not None else [doc_id],
        stored_as=f"{doc_id}{suffix}" if build is not None else None,
        build=build,
    )
    return Imported(
        report,
        result.version,
        [article] if article is not None and build is not None else [],
        # of an article added, as an export's import answers them (a retry adds none)
        look_alikes=indexed_look_alikes(article, articles) if article is not None and build else [],
    )


async def delete_document(doc_id: str, service: QAService, reloader: IndexReloader) -> None:
    """Remove the article file, build a version without it, and serve it; `IndexCorrupt`
    (a 503) when this server cannot load that version, which still serves the article; a 409
    naming this server's import when that held the build lock too long (`ImportSlot`)."""
    settings = service.settings
    await service.imports.before_a_write(
        wait_s=settings.index.build_lock_timeout_s, busy_s=settings.index.import_busy_s
    )
    with service.imports.naming_the_import(settings.index.build_lock_timeout_s):
        report = await run_in_threadpool(
            delete_article,
            settings.index_dir,
            doc_id,
            embedder=service.embedder,
            index_settings=settings.index,
            near_duplicate_threshold=settings.retrieval.near_duplicate_threshold,
        )
    result = await run_in_threadpool(reloader.reload, retry=True)
    if report is not None and result.version < report.version.name:  # still served and cited
        raise not_loaded("the article was deleted from the index", result)


def indexed_look_alikes(article: Article, articles: Mapping[str, Article]) -> list[LookAlike]:
    """`look_alikes` of one article among the indexed `articles`."""
    return look_alikes(article, ids_by_url(articles), ids_by_headline(articles))


def skip_warnings(report: BuildReport | None, written: Sequence[str]) -> list[str]:
    """The build's skip warnings about the files a request `written`, one by one, and the
    corpus folder's other skips in one line: those are older than the request (or unrelated to
    it), and repeating them on every write buried the warnings about what was sent (GET
    /admin/index lists them at any time)."""
    if report is None:
        return []
    own, counted = skips_of_files(report.warnings, written)
    others = report.skipped - counted
    if others <= 0:
        return own
    return [
        *own,
        f"{others:,} other file(s) or archive record(s) of the corpus folder are skipped by the "
        "index build, not one this request wrote: GET /admin/index lists them and why",
    ]


def not_loaded(done: str, result: ReloadResult) -> IndexCorrupt:
    """The 503 of a change that was made (`done`) but whose new version this server could not
    load."""
    return IndexCorrupt(
        f"{done}, but the new index version could not be loaded "
        f"({result.detail or 'see GET /readyz'}); version {result.version} is still served"
    )


def text_file(
    body: SentArticle, doc_id: str | None, max_bytes: int
) -> tuple[str, str, str, Article]:
    """Id, file text and suffix of an article sent as text (checked to keep some text), and the
    article as it will be read."""
    text = body.text or ""
    if not has_visible_text(text):
        raise BadInput(empty_text_problem("text", "the article's text"))
    problem = garbled_problem(text) or markup_problem(text)
    if problem is not None:
        raise BadInput(f"text {problem}")
    published = None
    if body.date is not None:
        published = parse_date(body.date)
        if published is None:
            raise BadInput(
                f"date {body.date!r} {NOT_A_CALENDAR_DATE}; send it as year-month-day, e.g. "
                "2024-10-21"
            )
    # the id's readable part from the title, else the opening words after any front matter
    doc_id = doc_id or new_doc_id(body.title, split_front_matter(text)[1])
    read, raw = article_from_request(
        doc_id, text, title=body.title, source=body.source, date=published, author=body.author
    )
    size = len(raw.encode("utf-8"))
    if size > max_bytes:
        raise TooLarge(
            f"the article is {size:,} bytes as a file, more than index.max_document_bytes "
            f"({max_bytes:,}); it would be skipped in the corpus folder too"
        )
    return doc_id, raw, ".txt", read


def page_file(html: str, doc_id: str | None, max_bytes: int) -> tuple[str, bytes, str, Article]:
    """Id, file bytes and suffix of a page (checked to hold an article), and the article as it
    will be read. The file starts with a UTF-8 byte-order mark, so it is read back as sent
    whatever charset the page declares; a page saved as one file (`.mhtml`, MIME) is stored as
    sent, under that suffix, since its parts declare their own charsets."""
    if not has_visible_text(html):
        raise BadInput(empty_text_problem("html", "the saved web page"))
    data = html.encode("utf-8")
    refusal = factiva_refusal(data)
    if refusal is not None:  # before its extraction: an export's articles would be one article
        raise BadInput(f"html: {refusal}")
    if len(data) > max_bytes:
        raise TooLarge(
            f"the page is {len(data):,} bytes, more than index.max_document_bytes "
            f"({max_bytes:,}); it would be skipped in the corpus folder too"
        )
    suffix = ".html"
    if is_mhtml(html):  # a page saved as one file: stored as it was sent, read as the folder's is
        saved = page_of_mhtml(data)
        article = article_from_page(doc_id or "page", saved.html, url=saved.url)
        suffix = ".mhtml"
    else:
        article = article_from_page(doc_id or "page", html)
    # a page decoded with the wrong encoding before it was sent, refused as its text would be
    problem = garbled_problem(f"{article.title}\n{article.text}")
    if problem is not None:
        raise BadInput(f"html: the article read out of the page {problem}")
    doc_id = doc_id or new_doc_id(article.title, article.text)
    stored = data if suffix == ".mhtml" else b"\xef\xbb\xbf" + data
    return doc_id, stored, suffix, article.model_copy(update={"doc_id": doc_id})
