"""The articles: list and read them (so citations open in context), add and delete them.

Adding and deleting go through the same incremental, atomic path as
`scripts/rebuild_index.py` (index/documents.py): the article file is written into (or removed
from) the corpus folder, a new index version is built and made current, and this server swaps
it in before answering, so the next request already sees the change. One build runs at a time.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Service
from api.reload import Reloader
from api.security import AdminAccess
from index.corpus import DOC_ID_PATTERN
from index.documents import add_article, delete_article
from qa.articles import article_from_request, new_doc_id, parse_date, title_matches
from qa.errors import BadInput
from qa.models import Article, Paragraph
from qa.paragraphs import split_paragraphs

router = APIRouter(tags=["documents"])

DocId = Annotated[
    str,
    Path(pattern=DOC_ID_PATTERN, examples=["2024-10-21-harbour-strike"], description="File stem."),
]


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    has_title: bool = Field(description="False when the title was made from the opening words.")
    source: str | None
    date: str | None
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
    source: str | None
    date: str | None
    text: str = Field(description="The cleaned article; paragraph offsets point into it.")
    paragraphs: list[Paragraph]


class NewDocument(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "Harbour reopens after storms",
                    "text": "The harbour of Skarra reopened on Monday after a week of storms.",
                    "source": "Coast Times",
                    "date": "2024-10-21",
                }
            ]
        },
    )

    text: str = Field(min_length=1, description="The article body; paragraphs separated by a "
                      "blank line. Cleaned like a file in the corpus folder.")  # fmt: skip
    title: str | None = Field(default=None, max_length=300, description="Headline.")
    source: str | None = Field(default=None, max_length=200, description="Publisher or agency.")
    date: str | None = Field(
        default=None,
        description="Publication date: ISO (2024-10-21) or written out (Oct. 21, 2024).",
    )
    doc_id: str | None = Field(
        default=None,
        pattern=DOC_ID_PATTERN,
        description="Id (file stem) to use; by default one is made from the title and a hash.",
    )


def _document(article: Article, paragraphs: list[Paragraph]) -> Document:
    return Document(
        doc_id=article.doc_id,
        title=article.display_title,
        has_title=article.title is not None,
        source=article.source,
        date=article.date,
        text=article.text,
        paragraphs=paragraphs,
    )


class AddedDocument(Document):
    version: str = Field(description="The index version that holds the article, now served.")


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
            "(any case): `q=korea summ` finds 'South Korea summons …'.",
        ),
    ] = None,
) -> DocumentList:
    index = service.index  # one version for the whole page
    articles = sorted(index.corpus.articles.values(), key=lambda a: a.doc_id)
    if q and q.split():
        articles = [a for a in articles if title_matches(a.display_title, q)]
    page = [
        DocumentSummary(
            doc_id=article.doc_id,
            title=article.display_title,
            has_title=article.title is not None,
            source=article.source,
            date=article.date,
            paragraphs=len(split_paragraphs(article)),  # near-duplicates included
        )
        for article in articles[offset : offset + limit]
    ]
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
        401: {"description": "No or wrong admin API key (problem details)."},
        403: {"description": "Admin actions are switched off (problem details)."},
        409: {"description": "The id exists, or another build did not finish in time."},
        422: {"description": "No usable text, a bad date or id (problem details)."},
    },
)
async def add_document(
    body: NewDocument, service: Service, reloader: Reloader, response: Response
) -> AddedDocument:
    """Writes the article into the corpus folder, builds a new index version incrementally
    (only this article is embedded), makes it current and serves it before returning."""
    published = None
    if body.date is not None:
        published = parse_date(body.date)
        if published is None:
            raise BadInput(f"date {body.date!r} is not a calendar date; send e.g. 2024-10-21")
    doc_id = body.doc_id or new_doc_id(body.title, body.text)
    _, raw = article_from_request(
        doc_id, body.text, title=body.title, source=body.source, date=published
    )
    settings = service.settings
    await run_in_threadpool(
        add_article,
        settings.index_dir,
        doc_id,
        raw,
        embedder=service.embedder,
        index_settings=settings.index,
        near_duplicate_threshold=settings.retrieval.near_duplicate_threshold,
    )
    result = await run_in_threadpool(reloader.reload, retry=True)
    response.headers["Location"] = f"/documents/{doc_id}"
    document = _document(*service.article(doc_id))
    return AddedDocument(**document.model_dump(), version=result.version)


@router.delete(
    "/documents/{doc_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an article (admin)",
    dependencies=[AdminAccess],
    responses={
        401: {"description": "No or wrong admin API key (problem details)."},
        403: {"description": "Admin actions are switched off (problem details)."},
        404: {"description": "No article with that id (problem details)."},
        409: {"description": "The last article, or another build did not finish in time."},
    },
)
async def remove_document(doc_id: DocId, service: Service, reloader: Reloader) -> Response:
    """Removes the article file, builds a new index version without it, and serves it."""
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
