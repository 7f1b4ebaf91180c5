"""POST /search: the paragraphs that best match some words, to read and check for oneself.

The same retrieval an answer starts from (meaning and keywords fused, syndicated copies once,
the same date range and article filters), without choosing a sentence or answering.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

from api.deps import Service
from api.inputs import AnswerScope, ClientText
from qa.models import SearchHit, UnknownWord

router = APIRouter(tags=["answers"])

DEFAULT_RESULTS = 10
MAX_RESULTS = (
    50  # a page to read; each of the two searches ranks 100 by default (dense_k, lexical_k)
)


class _Searched(BaseModel):
    query: ClientText = Field(
        description="Words or a question to search for (normalised as a question is)."
    )
    limit: StrictInt = Field(
        default=DEFAULT_RESULTS,
        ge=1,
        le=MAX_RESULTS,
        description="Paragraphs to return, best first; null is read as the default.",
    )

    @field_validator("limit", mode="before")
    @classmethod
    def _default_limit(cls, value: object) -> object:
        """`null` is the default: clients that fill every optional field send it so."""
        return DEFAULT_RESULTS if value is None else value


class SearchRequest(AnswerScope, _Searched):  # AnswerScope's fields last, as on /ask
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"query": "drone leaflets Pyongyang", "limit": 5}]},
    )


class SearchResults(BaseModel):
    query: str = Field(description="The query as searched (normalised).")
    results: list[SearchHit] = Field(
        description="Paragraphs, best first, with their article's title, date and address, "
        "their offsets in GET /documents/{doc_id}'s text, how they ranked, and where they hold "
        "the query's words."
    )
    articles_searched: int = Field(
        description="Articles searched: all of them, or those a date range or doc_ids leave."
    )
    articles_total: int = Field(description="Articles in the index.")
    unknown_words: list[UnknownWord] = Field(
        description="Query words found in no article, each with the articles' nearest word when "
        "there is one ('Volkswagon' → 'Volkswagen'): a misspelt name finds nothing by its words."
    )


@router.post(
    "/search",
    response_model=SearchResults,
    summary="Find the paragraphs that best match some words",
    responses={
        422: {
            "description": "Empty or over-long query, a limit that is not a whole number from 1 "
            "to 50, malformed filters or an id no article has (problem details)."
        },
        503: {"description": "No index is loaded yet (problem details)."},
    },
)
async def search(body: SearchRequest, service: Service) -> SearchResults:
    """Ranks paragraphs as an answer's are retrieved, and returns the best `limit` of them;
    no sentence is chosen and nothing is answered, so nothing is refused for weak evidence
    either: an empty list means the filters left no article."""
    # the query's length is checked as a question's is (qa/text_input.py: within_length);
    # not through the answer queue: a search is one query embedding and two index lookups
    # (tens of milliseconds), which would only skew the queue's estimate of an answer's time
    found = await run_in_threadpool(
        service.search,
        body.query,
        limit=body.limit,
        date_from=body.date_from,
        date_to=body.date_to,
        doc_ids=body.doc_ids,
    )
    return SearchResults(
        query=" ".join(body.query.split()),
        results=found.paragraphs,
        articles_searched=found.articles_searched,
        articles_total=found.articles_total,
        unknown_words=found.unknown_words,
    )
