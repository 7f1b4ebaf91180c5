"""Unit tests for the `/ask/stream` events: made-up answers, no models, no server.

`answer_events` is checked directly; the route itself runs in-process over a stand-in service
(FastAPI's TestClient) for the two paths a real server cannot be made to take on demand:
an error raised while answering, and the 4xx refusal before the stream starts.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.draining import Drain
from api.errors import problem_details
from api.routers import stream
from api.routers.stream import EventPair, answer_events
from api.streaming import token_pieces
from qa.errors import GenerationFailed
from qa.models import Answer, Citation, RetrievedParagraph
from tests.answers import (
    PARAGRAPH_A,
    PARAGRAPH_B,
    StandInService,
    client_for,
    insufficient,
    paragraph,
)

pytestmark = pytest.mark.unit


def citation(marker: int, doc_id: str, text: str, *, verified: bool = True) -> Citation:
    return Citation(
        **paragraph(doc_id, marker, text),
        marker=marker,
        verified=verified,
        support_score=0.91 if verified else 0.2,
        span_start=0,
        span_end=len(text) // 2,
    )


def answered() -> Answer:
    # citations listed out of marker order on purpose: the stream sorts them
    return Answer(
        question="How much will the lighthouse cost, and how old is it?",
        answer="  It will cost 4,200,000 dollars [1],\nand it has guided boats since 1887 [2].  ",
        status="answered",
        citations=[
            citation(2, "lighthouse", PARAGRAPH_B, verified=False),
            citation(1, "council", PARAGRAPH_A),
        ],
        retrieved=[
            RetrievedParagraph(**paragraph("council", 1, PARAGRAPH_A), score=0.03),
            RetrievedParagraph(**paragraph("lighthouse", 2, PARAGRAPH_B), score=0.02),
        ],
        short_answer="4,200,000 dollars",
        evidence_score=0.8,
        timings_ms={"retrieve_ms": 3.5, "read_ms": 12.0},
    )


# --- token pieces ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", " ", "one", "two words", "  leading and trailing  ", "tabs\tand\nnew [1].", "é ü 中文"],
)
def test_token_pieces_rebuild_the_text_exactly(text: str) -> None:
    pieces = token_pieces(text)
    assert "".join(pieces) == text
    assert all(pieces)  # no empty pieces
    # word by word: at most one word per piece
    assert all(len(piece.split()) <= 1 for piece in pieces)


def test_token_pieces_are_words_with_their_trailing_space() -> None:
    assert token_pieces(" Kim said [1]. ") == [" ", "Kim ", "said ", "[1]. "]


# --- the event list ----------------------------------------------------------------------------


def test_token_texts_concatenate_to_the_answer() -> None:
    answer = answered()
    events = answer_events(answer)
    tokens = [data for name, data in events if name == "token"]
    assert len(tokens) > 1
    assert "".join(t["text"] for t in tokens) == answer.answer
    assert all(set(t) == {"text"} for t in tokens)


def test_events_come_in_order_tokens_citations_done() -> None:
    names = [name for name, _ in answer_events(answered())]
    first_citation = names.index("citation")
    assert set(names[:first_citation]) == {"token"}
    assert names[first_citation:-1] == ["citation", "citation"]
    assert names[-1] == "done"
    assert names.count("done") == 1


def test_one_citation_event_per_citation_in_marker_order() -> None:
    answer = answered()
    cited = [data for name, data in answer_events(answer) if name == "citation"]
    assert [c["marker"] for c in cited] == [1, 2]
    by_marker = {c.marker: c.model_dump(mode="json") for c in answer.citations}
    for data in cited:
        assert data == by_marker[data["marker"]]
        assert {"verified", "support_score", "span_start", "span_end"} <= set(data)
    assert [c["verified"] for c in cited] == [True, False]


def test_done_is_last_and_carries_the_full_ask_body() -> None:
    answer = answered()
    name, data = answer_events(answer)[-1]
    assert name == "done"
    assert data == answer.model_dump()
    assert Answer.model_validate(data) == answer
    # every event's data is JSON, as it goes on the wire
    for _, payload in answer_events(answer):
        assert json.loads(json.dumps(payload)) == payload


def test_insufficient_evidence_still_ends_with_done() -> None:
    answer = insufficient()
    events = answer_events(answer)
    names = [name for name, _ in events]
    assert "citation" not in names
    assert names[-1] == "done"
    assert events[-1][1]["status"] == "insufficient_evidence"
    assert events[-1][1] == answer.model_dump()
    tokens = "".join(data["text"] for name, data in events if name == "token")
    assert tokens == answer.answer


def test_empty_answer_text_gives_no_tokens_but_done() -> None:
    answer = insufficient().model_copy(update={"answer": ""})
    assert [name for name, _ in answer_events(answer)] == ["done"]


# --- the route over a stand-in service ----------------------------------------------------------


def read_events(client: TestClient, question: str) -> list[tuple[str, Any]]:
    events: list[tuple[str, Any]] = []
    with client.stream("POST", "/ask/stream", json={"question": question}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        name, data = "message", list[str]()
        for line in r.iter_lines():
            if not line:
                if data:
                    events.append((name, json.loads("\n".join(data))))
                name, data = "message", []
            elif line.startswith("event:"):
                name = line[len("event:") :].strip()
            elif line.startswith("data:"):
                data.append(line[len("data:") :].removeprefix(" "))
    return events


def test_route_streams_the_events_of_the_answer() -> None:
    answer = answered()
    with client_for(StandInService(answer), stream.router) as client:
        events = read_events(client, answer.question)
    # the progress the service reported, relayed as it came, then the answer's own events
    searching = ("status", {"stage": "searching", "query": answer.question})
    assert events == [searching] + [(name, data) for name, data in answer_events(answer)]


@pytest.mark.parametrize(
    ("error", "status", "detail"),
    [
        (GenerationFailed("the model ran out of memory"), 502, "out of memory"),
        (RuntimeError("secret internals"), 500, "the error was logged"),
    ],
)
def test_error_while_answering_arrives_as_an_error_event(
    error: Exception, status: int, detail: str
) -> None:
    with client_for(StandInService(error), stream.router) as client:
        events = read_events(client, "Will this fail?")
    assert [name for name, _ in events] == ["status", "error"]
    problem = events[1][1]
    assert set(problem) == {"type", "title", "status", "detail"}
    assert problem == problem_details(error)  # what /ask would answer with
    assert problem["status"] == status
    assert isinstance(problem["title"], str) and problem["title"]
    assert detail in problem["detail"]
    assert "secret" not in problem["detail"]


@pytest.mark.parametrize(
    ("question", "hint"),
    [("", "question"), ("   \n\t ", "empty"), ("x" * 501, "500")],
)
def test_bad_question_is_refused_before_the_stream(question: str, hint: str) -> None:
    service = StandInService(answered())
    with client_for(service, stream.router) as client:
        r = client.post("/ask/stream", json={"question": question})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == 422
    assert hint in body["detail"]
    assert service.asked == []  # the models never ran


def test_progress_reported_before_the_answer_is_all_relayed_in_order() -> None:
    async def scenario() -> list[EventPair]:
        loop = asyncio.get_running_loop()
        progress: asyncio.Queue[EventPair] = asyncio.Queue()
        result: asyncio.Future[Answer] = loop.create_future()

        def worker() -> None:  # reports from another thread, then finishes, as the queue does
            for i in range(200):
                loop.call_soon_threadsafe(progress.put_nowait, ("status", {"stage": str(i)}))
            loop.call_soon_threadsafe(result.set_result, answered())

        thread = threading.Thread(target=worker)
        thread.start()
        relayed = [pair async for pair in stream._progress_until(result, progress, Drain(10.0))]
        thread.join()
        assert result.done()
        return relayed

    relayed = asyncio.run(scenario())
    assert relayed == [("status", {"stage": str(i)}) for i in range(200)]


def test_a_failed_answer_still_relays_the_progress_made_before_it() -> None:
    async def scenario() -> list[EventPair]:
        loop = asyncio.get_running_loop()
        progress: asyncio.Queue[EventPair] = asyncio.Queue()
        result: asyncio.Future[Answer] = loop.create_future()
        progress.put_nowait(("status", {"stage": "searching"}))
        result.set_exception(RuntimeError("boom"))
        relayed = [pair async for pair in stream._progress_until(result, progress, Drain(10.0))]
        with pytest.raises(RuntimeError, match="boom"):
            result.result()
        return relayed

    assert asyncio.run(scenario()) == [("status", {"stage": "searching"})]
