"""Stand-in server responses for the chat page tests: an answer sent as /ask/stream's frames,
an article as GET /documents/{doc_id} sends it, and Playwright route handlers that fulfil them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from api.routers.stream import answer_events, sse_event
from qa.models import Answer


def sse_frames(payload: dict[str, Any]) -> list[str]:
    """The SSE frames /ask/stream sends for an answer, built by the server's own helpers."""
    events = answer_events(Answer.model_validate(payload))
    return [sse_event(name, data).encode().decode("utf-8") for name, data in events]


def fulfil_json(payload: dict[str, Any], status: int = 200) -> Any:
    def handler(route: Any) -> None:
        route.fulfill(status=status, content_type="application/json", body=json.dumps(payload))

    return handler


def fulfil_sse(payload: dict[str, Any]) -> Any:
    def handler(route: Any) -> None:
        route.fulfill(
            status=200, content_type="text/event-stream", body="".join(sse_frames(payload))
        )

    return handler


def document(
    doc_id: str,
    paragraphs: Sequence[str],
    *,
    title: str,
    article: dict[str, Any],
    paragraph: dict[str, Any],
) -> dict[str, Any]:
    """GET /documents/{doc_id}'s body for an article of `paragraphs` (blank lines between
    them): `article` holds its other fields (`source`, `date`, `url`), `paragraph` those every
    paragraph carries besides its text and place (`source`, `date`)."""
    rows, offset = [], 0
    for i, body in enumerate(paragraphs):
        rows.append(
            {
                "paragraph_id": f"{doc_id}:p{i}",
                "doc_id": doc_id,
                "index": i,
                "start": offset,
                "end": offset + len(body),
                "text": body,
                "title": title,
                **paragraph,
            }
        )
        offset += len(body) + 2
    return {
        "doc_id": doc_id,
        "title": title,
        "has_title": True,
        **article,
        "text": "\n\n".join(paragraphs),
        "paragraphs": rows,
    }


def fulfil_problem(status: int, title: str, detail: str) -> Any:
    """An error as the server sends one: RFC 9457 problem details."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}

    def handler(route: Any) -> None:
        route.fulfill(status=status, content_type="application/problem+json", body=json.dumps(body))

    return handler
