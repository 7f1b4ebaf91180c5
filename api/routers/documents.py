"""The articles: list and read them (so citations open in context), add, replace and delete
them.

Adding, replacing and deleting go through the same incremental, atomic path as
`scripts/rebuild_index.py` (index/documents.py): the article file is written into (or removed
from) the corpus folder, a new index version is built and made current, and this server swaps
it in before answering, so the next request already sees the change. One build runs at a time.
What that takes besides HTTP is in api/documents_service.py; here are the request and response
bodies and the routes.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated, Any, ClassVar, Literal, Self

from fastapi import APIRouter, Path, Query, Response, status
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
from api.documents_service import (
    Stored,
    delete_document,
    import_document,
    import_export,
    skip_warnings,
    store_article,
)
from api.inputs import ClientText, OptionalText
from api.reload import Reloader
from api.security import AdminAccess
from index.corpus import DOC_ID_PATTERN
from index.file_kinds import (
    BINARY_ARCHIVE_SUFFIXES,
    BINARY_SUFFIXES,
    IMPORT_SUFFIXES,
    PARAGRAPH_ID_PATTERN,
    doc_id_problem,
)
from index.html_exports import FACTIVA_UPLOAD_SUFFIXES
from index.skips import LISTED_SKIPS
from index.text_exports import TEXT_EXPORT_SUFFIX
from qa.articles import LookAlike, title_matches
from qa.errors import BadInput
from qa.models import Article, Paragraph
from qa.paragraphs import split_paragraphs
from qa.text_input import binary_problem, c1_note

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


def _paragraph_id_in_words(value: object) -> object:
    """A paragraph id not made as a citation's are, said in words, not as pydantic's "String
    should match pattern …" (`pattern` stays for the schema)."""
    if isinstance(value, str) and re.fullmatch(PARAGRAPH_ID_PATTERN, value) is None:
        raise PydanticCustomError(
            "paragraph_id",
            "{value} is not a paragraph id: one is the article's id, ':' and 12 hex digits "
            "(with '-1', '-2' … for a paragraph repeated in its article), as a citation's "
            "`paragraph_id` gives it: '001_b3038a76a4f135e0:e1a73a380f85'",
            {"value": repr(value[:220])},
        )
    return value


ParagraphId = Annotated[
    str,
    Path(
        pattern=PARAGRAPH_ID_PATTERN,
        examples=["2024-10-21-harbour-strike:e1a73a380f85"],
        description="A citation's `paragraph_id`.",
    ),
    BeforeValidator(_paragraph_id_in_words),
]


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    has_title: bool = Field(description="False when the title was made from the opening words.")
    source: str | None
    date: str | None
    url: str | None = Field(default=None, description="The article's address (http or https).")
    paragraphs: int = Field(description="Paragraphs of the article, as GET /documents/{id}.")


class LookAlikeArticle(BaseModel):
    """An article added that looks like indexed articles under other ids; both are kept."""

    doc_id: str = Field(description="The article added (or replaced).")
    shares: Literal["url", "headline"] = Field(
        description="What it shares with them: their `url`, or, none of them having one, "
        "their headline, outlet and date (case, accents and spacing aside)."
    )
    others: list[str] = Field(
        description="The ids of the indexed articles it looks like, the first five in id order."
    )
    more: int = Field(default=0, description="How many more it looks like, not listed.")
    warning: str = Field(description="The line of `warnings` that says so.")

    @classmethod
    def of(cls, found: LookAlike) -> LookAlikeArticle:
        return cls(
            doc_id=found.doc_id,
            shares=found.shares,
            others=list(found.others),
            more=found.more,
            warning=found.warning,
        )


_LOOK_ALIKES = (
    "Each article added that has the `url` of other indexed articles, or, having none, their "
    "headline, outlet and date: an edited version or the same story saved again, most likely; "
    "both are kept. Said in `warnings` too; here for a client to offer to open or delete them."
)


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
    look_alikes: list[LookAlikeArticle] = Field(default_factory=list, description=_LOOK_ALIKES)


# what the admin routes answer besides their own outcomes (problem details)
_ADMIN_REFUSALS: dict[int | str, dict[str, object]] = {
    401: {"description": "No or wrong admin API key (problem details)."},
    403: {"description": "Admin actions are switched off (problem details)."},
    # every change writes the corpus folder and a new index version
    507: {
        "description": "The index or corpus folder cannot be written (its disk is full, or it "
        "is read-only); the change was undone (problem details)."
    },
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
    responses={
        404: {"description": "No article with that id (problem details)."},
        410: {
            "description": "The article with that id was deleted through the API (DELETE "
            "/documents/{doc_id}); the detail says when (problem details)."
        },
    },
)
async def get_document(doc_id: DocId, service: Service) -> Document:
    return _document(*service.article(doc_id))


@router.get(
    "/paragraphs/{paragraph_id}",
    response_model=Paragraph,
    summary="The paragraph a citation names, as indexed now",
    responses={
        404: {
            "description": "No indexed article holds a paragraph with that id: the article "
            "was deleted, or the paragraph's words changed since the id was given (the "
            "detail says which; problem details)."
        },
        410: {
            "description": "The paragraph's article was deleted through the API; the detail "
            "says when (problem details)."
        },
    },
)
async def get_paragraph(paragraph_id: ParagraphId, service: Service) -> Paragraph:
    """A saved citation checked again: the paragraph with this id in the index served now, its
    article's details and its offsets into `GET /documents/{doc_id}`'s `text` as it is now
    (they move when paragraphs before it are added or taken out; the id and the words do not).
    An id is made from the article's id and the paragraph's exact words, so an id found gives
    the words it was given for, and one whose paragraph was edited is a 404, never other
    words."""
    return service.paragraph(paragraph_id)


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
    stored = await store_article(
        body, body.doc_id, service, reloader, replace=False, repaired=body._repaired
    )
    if stored.unchanged:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/documents/{stored.article.doc_id}"
    return _added(stored)


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
    stored = await store_article(
        body, doc_id, service, reloader, replace=True, repaired=body._repaired
    )
    if stored.created:
        response.status_code = status.HTTP_201_CREATED
    response.headers["Location"] = f"/documents/{doc_id}"
    return _added(stored)


# the exports sent as text (`content`), a classic LexisNexis text export (.txt) and a Factiva
# page (.html, .htm) apart; a Word export is sent as a document's bytes
_TEXT_EXPORTS = tuple(
    s
    for s in IMPORT_SUFFIXES
    if s not in (*BINARY_ARCHIVE_SUFFIXES, TEXT_EXPORT_SUFFIX, *FACTIVA_UPLOAD_SUFFIXES)
)


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
        description="The file's name; its ending says the format: an export's "
        + ", ".join(IMPORT_SUFFIXES)
        + ", or a document's "
        + ", ".join(BINARY_SUFFIXES)
        + ". Records refused are named after it ('coast-times.jsonl line 3').",
    )
    content: ClientText | None = Field(
        default=None,
        description="An export's text: one JSON object a line (.jsonl), a JSON array (.json), "
        "or a table with a header row (.csv, .tsv), with the fields an archive in the corpus "
        "folder has (title, text or html, date, source, url, author, or their other names); "
        "a news feed or WordPress export (.xml, .rss, .atom), an article an item, or a classic "
        "LexisNexis text export (.txt: items opened by lines '1 of N DOCUMENTS'; any other "
        ".txt is one article, sent to POST /documents), or a Factiva export saved as HTML "
        "(.html, .htm: articles closed by 'Document' and their accession number; any other "
        "page is one article, sent to POST /documents as `html`). Send "
        "`content` or `content_base64`, not both.",
    )
    content_base64: str | None = Field(
        default=None,
        description="A file's bytes in base64 (RFC 4648, standard alphabet), for a file that "
        "is not text (" + ", ".join(BINARY_SUFFIXES) + "): a PDF or an RTF document is one "
        "article, read as the same file in the corpus folder is and stored there as it was "
        "sent, unless it is an export (a Nexis Uni export saved as PDF or RTF, a classic 'N of "
        "M DOCUMENTS' export or a Factiva export saved as RTF); a Word document (a Nexis Uni "
        "export, or one article), or such an export, is read as an export is, its articles "
        "written into an archive of their own. An RTF document goes here, not as `content`: "
        "its bytes are stored as sent, whatever code page its raw bytes are in.",
    )
    _repaired_fields = ("content",)

    @model_validator(mode="after")
    def _content_as_its_kind(self) -> ArchiveUpload:
        if not self.name.lower().endswith((*IMPORT_SUFFIXES, *BINARY_SUFFIXES)):
            raise ValueError(
                f"name {self.name!r} does not end in a format this route imports: an archive "
                f"export's ({', '.join(_TEXT_EXPORTS)}, {TEXT_EXPORT_SUFFIX} for a LexisNexis "
                f"text export, or {' or '.join(FACTIVA_UPLOAD_SUFFIXES)} for a Factiva export), "
                "sent as `content`, or a document's "
                f"({', '.join(BINARY_SUFFIXES)}), sent in base64 as `content_base64`; convert "
                "the file to one of them, or send a single article's text or saved web page to "
                "POST /documents (as `text` or `html`)"
            )
        binary = self.name.lower().endswith(BINARY_SUFFIXES)
        if (self.content is None) == (self.content_base64 is None):
            raise ValueError(
                "send the file as `content` (an export's text) or as `content_base64` (a "
                f"document's bytes in base64: {', '.join(BINARY_SUFFIXES)}), exactly one of them"
            )
        if binary and self.content is not None:
            raise ValueError(
                f"content: {self.name!r} is a document, not text: send its bytes in base64 as "
                "`content_base64`"
            )
        if not binary and self.content_base64 is not None:
            raise ValueError(
                f"content_base64: {self.name!r} does not end in a document's format "
                f"({', '.join(BINARY_SUFFIXES)}); send an export's text as `content`"
            )
        return self

    def document_bytes(self) -> bytes:
        """The bytes `content_base64` holds (`BadInput` when it is not base64)."""
        try:
            return base64.b64decode(self.content_base64 or "", validate=True)
        except binascii.Error as exc:
            raise BadInput(
                f"content_base64 is not base64 ({exc}): send the file's bytes encoded with the "
                "standard alphabet (A-Z, a-z, 0-9, '+', '/', '=' padding), no line breaks"
            ) from exc


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
    indexed_otherwise: list[str] = Field(
        default_factory=list,
        description="The ids, among the records `refused`, that are indexed with other content "
        "and go with DELETE /documents/{doc_id} (an earlier version of the record, most "
        "likely): deleted, the export imported again adds the record's version.",
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
    look_alikes: list[LookAlikeArticle] = Field(default_factory=list, description=_LOOK_ALIKES)


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
        413: {
            "description": "The request is larger than server.max_import_body_bytes, or the "
            "document than index.max_document_bytes."
        },
        422: {
            "description": "No record of the export could be imported (each one's reason in "
            "the detail), a name that is not an archive's or a document's, a document with no "
            "article, or both or neither of content and content_base64 (problem details)."
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
    rest are added. Safe to retry: an export already imported adds nothing (200).

    A Word document sent as `content_base64` (`.docx`: a Nexis Uni export's articles, or one
    article) is imported as an export is, and so is a classic LexisNexis text export sent as
    `content` under a name ending in `.txt` (any other `.txt` is refused: it is one article,
    for POST /documents), and a Factiva export saved as HTML under a name ending in `.html` or
    `.htm` (any other page is refused: it is one article, for POST /documents). A PDF or an RTF
    document sent as `content_base64` is one article: it is stored in the corpus folder as sent
    (`<doc_id>.pdf`, `<doc_id>.rtf`, its id made from its title and text) and read as such a
    file is there; `added` lists it, or `unchanged` when it is already indexed. A LexisNexis
    export saved as PDF (Nexis Uni) or RTF (Nexis Uni, or classic 'N of M DOCUMENTS'), or a
    Factiva export saved as RTF, is imported as an export is, an article an item."""
    if body.content_base64 is not None and body.name.lower().endswith(BINARY_ARCHIVE_SUFFIXES):
        imported = await import_export(body.name, body.document_bytes(), service, reloader)
    elif body.content_base64 is not None:
        imported = await import_document(body.name, body.document_bytes(), service, reloader)
    else:
        imported = await import_export(body.name, body.content or "", service, reloader)
    report, build = imported.report, imported.report.build
    if not report.added:
        response.status_code = status.HTTP_200_OK
    return ImportedArchive(
        added=[_summary(article) for article in imported.added],
        unchanged=report.unchanged,
        refused=report.refused,
        indexed_otherwise=report.indexed_otherwise,
        not_imported=report.not_imported,
        stored_as=report.stored_as,
        version=imported.version,
        skipped=build.skipped if build else 0,
        warnings=[
            *body._repaired,
            *(look_alike.warning for look_alike in imported.look_alikes),
            *skip_warnings(build, [report.stored_as] if report.stored_as else []),
        ],
        look_alikes=[LookAlikeArticle.of(found) for found in imported.look_alikes],
    )


def _added(stored: Stored) -> AddedDocument:
    """The article as stored, in the index version that serves it; what the input rule
    repaired in it as sent and the same-address warning (`notes`), and what the build skipped
    when it built one (none was built for an article already indexed): why it skipped the
    file written, and how many others."""
    article, report = stored.article, stored.report
    return AddedDocument(
        **_document(article, split_paragraphs(article)).model_dump(),
        version=stored.version,
        skipped=report.skipped if report else 0,
        warnings=[
            *stored.notes,
            *skip_warnings(report, [stored.written] if stored.written else []),
        ],
        look_alikes=[LookAlikeArticle.of(found) for found in stored.look_alikes],
    )


@router.delete(
    "/documents/{doc_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an article (admin)",
    dependencies=[AdminAccess],
    responses={
        **_ADMIN_REFUSALS,
        404: {"description": "No article with that id, nor one deleted (problem details)."},
        409: {"description": "The last article, or another build did not finish in time."},
        503: {
            "description": "Deleted, but the new index version could not be loaded: the "
            "article is still served (problem details)."
        },  # fmt: skip
    },
)
async def remove_document(doc_id: DocId, service: Service, reloader: Reloader) -> Response:
    """Removes the article file, builds a new index version without it, and serves it.

    Safe to retry: deleting an article that was already deleted this way is a 204 too."""
    await delete_document(doc_id, service, reloader)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
