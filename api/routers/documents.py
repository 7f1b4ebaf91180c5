"""The articles: list and read them (so citations open in context), add, replace and delete
them.

Adding, replacing and deleting go through the same incremental, atomic path as
`scripts/rebuild_index.py` (index/documents.py): the article file is written into (or removed
from) the corpus folder, a new index version is built and made current, and this server swaps
it in before answering, so the next request already sees the change. One build runs at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Self

from fastapi import APIRouter, Path, Query, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from api.deps import Service
from api.inputs import ClientText, OptionalText
from api.reload import Reloader, ReloadResult
from api.security import AdminAccess
from index.builder import BuildReport
from index.corpus import DOC_ID_PATTERN
from index.documents import add_article, delete_article
from index.formats import ARCHIVE_SUFFIXES, LISTED_SKIPS, doc_id_problem, skips_of_files
from index.imports import import_archive
from qa.articles import (
    article_from_page,
    article_from_request,
    ids_by_url,
    indexed_as,
    new_doc_id,
    parse_date,
    same_address_warning,
    same_article,
    title_matches,
)
from qa.dates import NOT_A_CALENDAR_DATE
from qa.errors import BadInput, Conflict, IndexCorrupt, TooLarge
from qa.markdown_text import split_front_matter
from qa.models import Article, Paragraph
from qa.paragraphs import split_paragraphs
from qa.saved_pages import is_mhtml, page_of_mhtml
from qa.text_input import (
    binary_problem,
    c1_note,
    empty_text_problem,
    garbled_problem,
    has_visible_text,
    markup_problem,
)

router = APIRouter(tags=["documents"])


def _id_in_words(value: object) -> object:
    """An id that cannot name a file (in the path or the body's `doc_id`), said in words with
    an id that can, made from it (`doc_id_problem`): pydantic's "String should match pattern
    '^[A-Za-z0-9]…'" says neither (`pattern` stays for the schema)."""
    if isinstance(value, str) and (problem := doc_id_problem(value)) is not None:
        raise PydanticCustomError("doc_id", "{problem}", {"problem": problem})
    return value


DocId = Annotated[
    str,
    Path(pattern=DOC_ID_PATTERN, examples=["2024-10-21-harbour-strike"], description="File stem."),
    BeforeValidator(_id_in_words),
]


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    has_title: bool = Field(description="False when the title was made from the opening words.")
    source: str | None
    date: str | None
    url: str | None = Field(default=None, description="The article's address (http or https).")
    paragraphs: int = Field(description="Paragraphs of the article, as GET /documents/{id}.")


class DocumentList(BaseModel):
    documents: list[DocumentSummary]
    total: int = Field(description="All indexed articles (that match `q`), not just this page.")
    offset: int
    limit: int


class Document(BaseModel):
    doc_id: str
    title: str
    has_title: bool = Field(description="False when the title was made from the opening words.")
    source: str | None = Field(description="Publisher, agency or (for a web page) site name.")
    date: str | None
    author: str | None = None
    url: str | None = Field(default=None, description="The article's address (http or https).")
    text: str = Field(description="The cleaned article; paragraph offsets point into it.")
    paragraphs: list[Paragraph]


_PAGE_METADATA = ("title", "source", "date", "author")  # read from a page, sent only with text
# what other APIs and archive exports call an article's text (qa/archives.py reads `body` and
# `article` in an archive); sent here instead of `text`, they are refused saying so
_OTHER_NAMES_OF_TEXT = ("body", "content", "article")


class _NotesRepairs(BaseModel):
    """A request body that remembers what the input rule repaired in its text fields as sent
    (`_repaired_fields`): C1 controls read as Windows-1252 (`qa.text_input.c1_note`), said in
    the answer's warnings."""

    _repaired_fields: ClassVar[tuple[str, ...]] = ()
    _repaired: list[str] = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _note_repairs(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        fields = cls._repaired_fields if isinstance(data, dict) else ()
        found = (c1_note(f, data[f]) for f in fields if isinstance(data.get(f), str))
        notes = [note for note in found if note is not None]
        model = handler(data)
        model._repaired = notes
        return model


class NewDocument(_NotesRepairs):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "Harbour reopens after storms",
                    "text": "The harbour of Skarra reopened on Monday after a week of storms.",
                    "source": "Coast Times",
                    "author": "Mira Hale",
                    "date": "2024-10-21",
                },
                {
                    "html": "<html><head><title>Harbour reopens after storms</title>"
                    '<meta property="article:published_time" content="2024-10-21">'
                    '<link rel="canonical" href="https://coast.example/harbour"></head>'
                    "<body><article><p>The harbour of Skarra reopened on Monday after a "
                    "week of storms.</p></article></body></html>",
                },
            ],
            # what _text_or_html checks, for clients that read the schema: exactly one of
            # `text` and `html`, and none of the metadata fields beside `html` (null = absent)
            "oneOf": [
                {
                    "required": ["text"],
                    "properties": {"text": {"type": "string"}, "html": {"type": "null"}},
                },
                {
                    "required": ["html"],
                    "properties": {
                        "html": {"type": "string"},
                        **{f: {"type": "null"} for f in ("text", *_PAGE_METADATA)},
                    },
                },
            ],
        },
    )

    text: ClientText | None = Field(default=None, description="The article body; "
                             "paragraphs separated by a blank line. Cleaned like a .txt file in "
                             "the corpus folder. Send `text` or `html`, not both.")  # fmt: skip
    html: ClientText | None = Field(
        default=None,
        description="A saved web page, the whole HTML document (or a page saved as one file, "
        "an .mhtml file's content), instead of `text`: the article and its title, date, site "
        "name, author and address are read from the page, as for an .html (.mhtml) file in the "
        "corpus folder (so `title`, `source`, `date` and `author` are not sent with it).",
    )
    title: OptionalText = Field(default=None, max_length=300, description="Headline (with text).")
    source: OptionalText = Field(
        default=None, max_length=200, description="Publisher or agency (with text)."
    )
    date: OptionalText = Field(
        default=None,
        description="Publication date (with text): ISO (2024-10-21) or written out "
        "(Oct. 21, 2024).",
    )
    author: OptionalText = Field(
        default=None,
        max_length=200,
        description="Byline (with text): the name or names as they would follow 'By', "
        "capitalised ('Jane Doe and Li Wei', 'Reuters staff'); a 'By' sent before them is "
        "taken off.",
    )
    doc_id: str | None = Field(
        default=None,
        pattern=DOC_ID_PATTERN,
        description="Id (file stem) to use; by default one is made from the title and a hash.",
    )
    _repaired_fields = ("text", "html", "title", "source", "date", "author")

    @model_validator(mode="before")
    @classmethod
    def _text_by_another_name(cls, data: Any) -> Any:
        """An article's text sent under a name other APIs and exports give it (`body`,
        `content`, `article`) and no `text` or `html`: one refusal that says which field to use,
        rather than only "body: Extra inputs are not permitted"."""
        if isinstance(data, dict) and "text" not in data and "html" not in data:
            sent = [name for name in _OTHER_NAMES_OF_TEXT if name in data]
            if sent:
                raise ValueError(
                    f"{sent[0]}: not a field of an article: send the article's text as `text` "
                    "(or a saved web page, whole, as `html`)"
                )
        return data

    @field_validator("text", "html", mode="before")
    @classmethod
    def _not_binary(cls, value: Any, info: ValidationInfo) -> Any:
        """A PDF, a .docx or an image read as text and sent, told by its first bytes as sent
        (the input rule would take a ZIP's "PK\\x03\\x04" down to "PK"): what it is and what to
        send instead, not "no article text was found in the page" or advice on encodings."""
        if isinstance(value, str):
            wanted = "an HTML page" if info.field_name == "html" else "text"
            problem = binary_problem(value, wanted=wanted)
            if problem is not None:
                # the message goes in as a value: pydantic reads the template's braces
                raise PydanticCustomError("binary_content", "{problem}", {"problem": problem})
        return value

    @field_validator("doc_id", mode="before")
    @classmethod
    def _usable_id(cls, value: Any) -> Any:
        return _id_in_words(value)

    @field_validator("title", "source", "date", "author")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        # each is one line of the stored file: a line break would start the article's own
        # "Source:" or "Published:" line, past these fields' checks
        if value is not None and "\n" in value:
            raise ValueError("must be one line: remove the line breaks")
        return value

    @model_validator(mode="after")
    def _text_or_html(self) -> NewDocument:
        if (self.text is None) == (self.html is None):
            raise ValueError("send the article as `text` or as `html` (a saved web page), "
                             "exactly one of them")  # fmt: skip
        given = [f for f in _PAGE_METADATA if getattr(self, f) is not None]
        if self.html is not None and given:
            raise ValueError(
                f"{', '.join(given)} cannot be sent with `html`: the page's own metadata is "
                "used; send the article as `text` to set them yourself"
            )
        return self


def _summary(article: Article) -> DocumentSummary:
    return DocumentSummary(
        doc_id=article.doc_id,
        title=article.display_title,
        has_title=article.title is not None,
        source=article.source,
        date=article.date,
        url=article.url,
        paragraphs=len(split_paragraphs(article)),  # near-duplicates included
    )


def _document(article: Article, paragraphs: list[Paragraph]) -> Document:
    return Document(
        doc_id=article.doc_id,
        title=article.display_title,
        has_title=article.title is not None,
        source=article.source,
        date=article.date,
        author=article.author,
        url=article.url,
        text=article.text,
        paragraphs=paragraphs,
    )


class AddedDocument(Document):
    version: str = Field(description="The index version that holds the article, now served.")
    skipped: int = Field(
        description="Other files or archive lines of the corpus folder the build skipped."
    )
    warnings: list[str] = Field(
        description="First what the input rule repaired in the article as sent (C1 control "
        "characters, from Windows-1252 text decoded as Latin-1, read as the Windows-1252 "
        "characters they stand for); then the ids of other indexed articles with the same "
        "`url`, if any (both are kept; PUT replaces one instead); then why the build skipped "
        f"the file written, or parts of it (at most {LISTED_SKIPS} named, the rest counted in "
        "one line); then, in one line, how many other files or archive records of the corpus "
        "folder it skipped (GET /admin/index lists them)."
    )


# what the admin routes answer besides their own outcomes (problem details)
_ADMIN_REFUSALS: dict[int | str, dict[str, object]] = {
    401: {"description": "No or wrong admin API key (problem details)."},
    403: {"description": "Admin actions are switched off (problem details)."},
}
_TOO_LARGE = {"description": "The page or text is larger than index.max_document_bytes."}
_NOT_LOADED = {"description": "Indexed, but the new index version could not be loaded."}


@router.get("/documents", response_model=DocumentList, summary="List the indexed articles")
async def list_documents(
    service: Service,
    offset: Annotated[int, Query(ge=0, description="Articles to skip.")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="Articles to return.")] = 100,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Only articles whose title has a word starting with each word of `q` "
            "(any case), and each of its symbols (an emoji) in the title: `q=korea summ` finds "
            "'South Korea summons …'.",
        ),
    ] = None,
) -> DocumentList:
    index = service.index  # one version for the whole page
    articles = sorted(index.corpus.articles.values(), key=lambda a: a.doc_id)
    if q and q.split():
        articles = [a for a in articles if title_matches(a.display_title, q)]
    page = [_summary(article) for article in articles[offset : offset + limit]]
    return DocumentList(documents=page, total=len(articles), offset=offset, limit=limit)


@router.get(
    "/documents/{doc_id}",
    response_model=Document,
    summary="One cleaned article with its paragraphs",
    responses={404: {"description": "No article with that id (problem details)."}},
)
async def get_document(doc_id: DocId, service: Service) -> Document:
    return _document(*service.article(doc_id))


@router.post(
    "/documents",
    response_model=AddedDocument,
    status_code=status.HTTP_201_CREATED,
    summary="Add an article (admin)",
    dependencies=[AdminAccess],
    responses={
        200: {
            "model": AddedDocument,
            "description": "The same article (as read: title, details and cleaned text) was "
            "already indexed: a "
            "retry. Nothing was changed.",
        },
        **_ADMIN_REFUSALS,
        409: {
            "description": "The id exists with other content, or another build did not finish "
            "in time."
        },
        413: _TOO_LARGE,
        422: {
            "description": "No usable text or article in the page, a bad date or id, "
            "both or neither of text and html (problem details)."
        },
        503: _NOT_LOADED,
    },
)
async def add_document(
    body: NewDocument, service: Service, reloader: Reloader, response: Response
) -> AddedDocument:
    """Writes the article into the corpus folder (`text` as a .txt file, `html` as a .html
    file), builds a new index version incrementally (only this article is embedded), makes it
    current and serves it before returning.

    Safe to retry: if the article is already indexed with the same content (say the first
    answer was lost), the answer is 200 with it and nothing changes."""
    added = await _store(body, body.doc_id, service, reloader, replace=False)
    if added.unchanged:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/documents/{added.document.doc_id}"
    return added.document


@router.put(
    "/documents/{doc_id}",
    response_model=AddedDocument,
    summary="Replace an article, or add it under this id (admin)",
    dependencies=[AdminAccess],
    responses={
        201: {"model": AddedDocument, "description": "No article had this id: it was added."},
        **_ADMIN_REFUSALS,
        409: {
            "description": "The article comes from an archive line or a file not named as its "
            "id, or another build did not finish in time."
        },
        413: _TOO_LARGE,
        422: {
            "description": "No usable text or article in the page, a bad date, a `doc_id` in "
            "the body other than the path's, both or neither of text and html."
        },
        503: _NOT_LOADED,
    },
)
async def replace_document(
    doc_id: DocId, body: NewDocument, service: Service, reloader: Reloader, response: Response
) -> AddedDocument:
    """Puts the article in place of the one with this id, in one index build: questions are
    answered from the earlier text until the new one is served, never from neither. 200 with
    the article (also when it was already indexed as sent: nothing changes, so a retry is
    safe); 201 when no article had this id and it was added. A change cut short by a crash is
    undone at the next start, the earlier file put back."""
    if body.doc_id is not None and body.doc_id != doc_id:
        raise BadInput(
            f"doc_id {body.doc_id!r} in the body is not the path's {doc_id!r}: leave it out, "
            "or send it to the path of the article to replace"
        )
    added = await _store(body, doc_id, service, reloader, replace=True)
    if added.created:
        response.status_code = status.HTTP_201_CREATED
    response.headers["Location"] = f"/documents/{doc_id}"
    return added.document


class ArchiveUpload(_NotesRepairs):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "coast-times.jsonl",
                    "content": '{"title": "Harbour reopens after storms", "text": "The harbour '
                    'of Skarra reopened on Monday.", "date": "2024-10-21", "url": '
                    '"https://coast.example/harbour"}\n',
                }
            ]
        },
    )

    name: str = Field(
        min_length=1,
        max_length=255,
        description="The export's file name; its ending says the format: "
        + ", ".join(ARCHIVE_SUFFIXES)
        + ". Records refused are named after it ('coast-times.jsonl line 3').",
    )
    content: ClientText = Field(
        description="The export's text: one JSON object a line (.jsonl), a JSON array (.json), "
        "or a table with a header row (.csv, .tsv), with the fields an archive in the corpus "
        "folder has (title, text or html, date, source, url, author, or their other names); "
        "or a news feed or WordPress export (.xml, .rss, .atom), an article an item."
    )
    _repaired_fields = ("content",)


class ImportedArchive(BaseModel):
    added: list[DocumentSummary] = Field(description="The articles added, in the export's order.")
    unchanged: list[str] = Field(
        description="Ids of the export's articles the index already held as sent (a retry, or "
        "articles of an archive put into the corpus folder by hand)."
    )
    refused: list[str] = Field(
        description="Each record not imported, and why: one the index build would skip (not "
        "valid JSON, no text, a bad date …) or one whose id is already indexed with other "
        f"content (at most {LISTED_SKIPS} unreadable records named, the rest counted in a last "
        "line)."
    )
    not_imported: int = Field(
        description="How many records of the export were not imported (`refused` names at "
        f"most {LISTED_SKIPS} unreadable ones)."
    )
    stored_as: str | None = Field(
        description="The archive written into the corpus folder (null when nothing was added)."
    )
    version: str = Field(description="The index version now served.")
    skipped: int = Field(
        description="Other files or archive lines of the corpus folder the build skipped."
    )
    warnings: list[str] = Field(
        description="What the input rule repaired in the export as sent (C1 control characters "
        "read as Windows-1252), then each added article that has the `url` of another indexed "
        "article (both are kept), then, in one line, how many other files or archive records "
        "of the corpus folder the build skipped (GET /admin/index lists them; the export's own "
        "are in `refused`)."
    )


@router.post(
    "/documents/import",
    response_model=ImportedArchive,
    status_code=status.HTTP_201_CREATED,
    summary="Add the articles of an archive export (admin)",
    dependencies=[AdminAccess],
    responses={
        200: {
            "model": ImportedArchive,
            "description": "No article was added: every one the export gives is already "
            "indexed as sent (a retry); `refused` names any other record.",
        },
        **_ADMIN_REFUSALS,
        409: {"description": "Another build did not finish in time."},
        413: {"description": "The request is larger than server.max_body_bytes."},
        422: {
            "description": "No record of the export could be imported (each one's reason in "
            "the detail), or a name that is not an archive's (problem details)."
        },
        503: _NOT_LOADED,
    },
)
async def import_documents(
    body: ArchiveUpload, service: Service, reloader: Reloader, response: Response
) -> ImportedArchive:
    """Reads the export as an index build reads an archive in the corpus folder, writes the
    articles the index does not hold yet into one new archive there (`import-<hash>.jsonl`)
    and builds once; the server serves them before answering. Records the build would skip,
    and articles whose id is already indexed with other content, are listed in `refused`; the
    rest are added. Safe to retry: an export already imported adds nothing (200)."""
    settings = service.settings
    report = await run_in_threadpool(
        import_archive,
        settings.index_dir,
        body.name,
        body.content.encode("utf-8"),
        embedder=service.embedder,
        index_settings=settings.index,
        near_duplicate_threshold=settings.retrieval.near_duplicate_threshold,
    )
    result = await run_in_threadpool(reloader.reload, retry=True)
    build = report.build
    if build is not None and result.version < build.version.name:
        raise _not_loaded("the articles were", result)
    articles = service.index.corpus.articles
    added = [
        _summary(article)
        for article in (articles.get(doc_id) for doc_id in report.added)
        if article is not None  # deleted by another request meanwhile: not listed
    ]
    if not report.added:
        response.status_code = status.HTTP_200_OK
    ids_at = ids_by_url(articles) if added else {}
    found = (same_address_warning(articles[a.doc_id], ids_at) for a in added)
    same_address = [warning for warning in found if warning is not None]
    return ImportedArchive(
        added=added,
        unchanged=report.unchanged,
        refused=report.refused,
        not_imported=report.not_imported,
        stored_as=report.stored_as,
        version=result.version,
        skipped=build.skipped if build else 0,
        warnings=[
            *body._repaired,
            *same_address,
            *_skips(build, [report.stored_as] if report.stored_as else []),
        ],
    )


@dataclass(frozen=True)
class _Stored:
    document: AddedDocument
    unchanged: bool  # already indexed as sent: nothing was built
    created: bool  # no article had the id before


async def _store(
    body: NewDocument, given_id: str | None, service: Service, reloader: Reloader, *, replace: bool
) -> _Stored:
    settings = service.settings
    raw: str | bytes
    if body.html is not None:
        doc_id, raw, suffix, read = await run_in_threadpool(
            _page_file, body.html, given_id, settings.index.max_document_bytes
        )
    else:
        # cleaning a long text takes a while: off the event loop, as a page's extraction is
        doc_id, raw, suffix, read = await run_in_threadpool(
            _text_file, body, given_id, settings.index.max_document_bytes
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
        notes = [*body._repaired, *_same_address(articles[same], articles)]
        return _Stored(
            _added(articles[same], service.index.version.name, notes=notes),
            unchanged=True,
            created=False,
        )
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
        raise _not_loaded("the article was", result)
    if article is None:
        raise Conflict(
            f"the article was indexed as {doc_id!r}, then deleted by another request before "
            "this one could answer; send it again to add it back"
        )
    notes = [*body._repaired, *_same_address(article, service.index.corpus.articles)]
    return _Stored(
        _added(article, result.version, report, notes=notes, written=f"{doc_id}{suffix}"),
        unchanged=report is None,
        created=report is not None and doc_id in report.added,
    )


def _same_address(article: Article, articles: Mapping[str, Article]) -> list[str]:
    """The warning that `article` has the url of other indexed articles, if it has."""
    warning = same_address_warning(article, ids_by_url(articles))
    return [warning] if warning is not None else []


def _added(
    article: Article,
    version: str,
    report: BuildReport | None = None,
    *,
    notes: Sequence[str] = (),
    written: str | None = None,
) -> AddedDocument:
    """The article as stored, in the index `version` that serves it; what the input rule
    repaired in it as sent (`notes`), and what the build skipped when it built one (`report`;
    none was built for an article already indexed): why it skipped the file `written`, and
    how many others."""
    return AddedDocument(
        **_document(article, split_paragraphs(article)).model_dump(),
        version=version,
        skipped=report.skipped if report else 0,
        warnings=[*notes, *_skips(report, [written] if written else [])],
    )


def _skips(report: BuildReport | None, written: Sequence[str]) -> list[str]:
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


def _not_loaded(what: str, result: ReloadResult) -> IndexCorrupt:
    """The 503 of a change that was indexed but whose new version this server could not load."""
    return IndexCorrupt(
        f"{what} indexed, but the new index version could not be loaded "
        f"({result.detail or 'see GET /readyz'}); version {result.version} is still served"
    )


def _text_file(
    body: NewDocument, doc_id: str | None, max_bytes: int
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


def _page_file(html: str, doc_id: str | None, max_bytes: int) -> tuple[str, bytes, str, Article]:
    """Id, file bytes and suffix of a page (checked to hold an article), and the article as it
    will be read. The file starts with a UTF-8 byte-order mark, so it is read back as sent
    whatever charset the page declares; a page saved as one file (`.mhtml`, MIME) is stored as
    sent, under that suffix, since its parts declare their own charsets."""
    if not has_visible_text(html):
        raise BadInput(empty_text_problem("html", "the saved web page"))
    data = html.encode("utf-8")
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


@router.delete(
    "/documents/{doc_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an article (admin)",
    dependencies=[AdminAccess],
    responses={
        **_ADMIN_REFUSALS,
        404: {"description": "No article with that id, nor one deleted (problem details)."},
        409: {"description": "The last article, or another build did not finish in time."},
    },
)
async def remove_document(doc_id: DocId, service: Service, reloader: Reloader) -> Response:
    """Removes the article file, builds a new index version without it, and serves it.

    Safe to retry: deleting an article that was already deleted this way is a 204 too."""
    settings = service.settings
    await run_in_threadpool(
        delete_article,
        settings.index_dir,
        doc_id,
        embedder=service.embedder,
        index_settings=settings.index,
        near_duplicate_threshold=settings.retrieval.near_duplicate_threshold,
    )
    await run_in_threadpool(reloader.reload, retry=True)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
