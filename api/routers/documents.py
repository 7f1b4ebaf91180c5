"""GET /documents and /documents/{doc_id}: the cleaned articles, so citations open in context."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from api.deps import Service
from index.corpus import DOC_ID_PATTERN
from qa.models import Paragraph

router = APIRouter(tags=["documents"])


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    source: str | None
    date: str | None
    paragraphs: int


class DocumentList(BaseModel):
    documents: list[DocumentSummary]
    total: int


class Document(BaseModel):
    doc_id: str
    title: str
    has_title: bool = Field(description="False when the title was made from the opening words.")
    source: str | None
    date: str | None
    text: str = Field(description="The cleaned article; paragraph offsets point into it.")
    paragraphs: list[Paragraph]


@router.get("/documents", response_model=DocumentList, summary="List the indexed articles")
async def list_documents(service: Service) -> DocumentList:
    documents = []
    for article in service.articles():
        rows = service.corpus.rows_by_doc.get(article.doc_id, [])
        documents.append(
            DocumentSummary(
                doc_id=article.doc_id,
                title=article.display_title,
                source=article.source,
                date=article.date,
                paragraphs=len(rows),
            )
        )
    return DocumentList(documents=documents, total=len(documents))


@router.get(
    "/documents/{doc_id}",
    response_model=Document,
    summary="One cleaned article with its paragraphs",
    responses={404: {"description": "No article with that id (problem details)."}},
)
async def get_document(
    doc_id: Annotated[
        str,
        Path(
            pattern=DOC_ID_PATTERN, examples=["2024-10-21-harbour-strike"], description="File stem."
        ),
    ],
    service: Service,
) -> Document:
    article, paragraphs = service.article(doc_id)
    return Document(
        doc_id=article.doc_id,
        title=article.display_title,
        has_title=article.title is not None,
        source=article.source,
        date=article.date,
        text=article.text,
        paragraphs=paragraphs,
    )
