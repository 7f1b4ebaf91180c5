"""POST /ask/stream over the seed articles, through a real uvicorn server (session `server`).

The questions are written for these tests from the seed articles. The stream is read with
`httpx` and its frames parsed here (`parse_sse`); one test reads it with `httpx-sse` as well
when that package is installed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

# (question, a fact the answer must state, the seed article that states it)
TREATY = (
    "On what date did Putin and Kim Jong Un sign the strategic partnership treaty?",
    "June 19",
    "000_f7372d653e73062b",
)
UNANSWERABLE = "What is a good recipe for chocolate chip cookies?"

Event = tuple[str, Any]


def parse_sse(lines: Iterable[str]) -> list[Event]:
    """SSE frames from text lines: `event:`/`data:` fields, a blank line ends a frame.

    Comment lines (`: ping`) and other fields are skipped; data is decoded as JSON.
    """
    events: list[Event] = []
    name, data = "message", []
    for line in lines:
        if not line:
            if data:
                events.append((name, json.loads("\n".join(data))))
            name, data = "message", []
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
    return events


def parse_sse_text(text: str) -> list[Event]:
    return parse_sse(text.splitlines() + [""])


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


def stream(client: httpx.Client, question: str) -> list[Event]:
    with client.stream("POST", "/ask/stream", json={"question": question}) as r:
        assert r.status_code == 200, r.read().decode()
        assert r.headers["content-type"].startswith("text/event-stream"), r.headers
        return parse_sse(r.iter_lines())


def check_stream_shape(events: list[Event]) -> dict[str, Any]:
    """statuses*, tokens*, citations*, then exactly one `done`, last; returns the `done` body."""
    names = [name for name, _ in events]
    assert names, "the stream sent no events"
    assert names[-1] == "done", names
    assert names.count("done") == 1, names
    assert "error" not in names, events
    order = {"status": 0, "token": 1, "citation": 2}
    assert set(names[:-1]) <= set(order), names
    ranks = [order[name] for name in names[:-1]]
    assert ranks == sorted(ranks), names  # every status first, no token after a citation
    done: dict[str, Any] = events[-1][1]
    text = "".join(data["text"] for name, data in events if name == "token")
    assert text == done["answer"]
    cited = [data for name, data in events if name == "citation"]
    assert cited == sorted(done["citations"], key=lambda c: c["marker"])
    for citation in cited:
        assert {"verified", "support_score", "span_start", "span_end"} <= set(citation)
    return done


def test_streamed_answer_matches_ask(client: httpx.Client) -> None:
    question, fact, doc_id = TREATY
    events = stream(client, question)
    assert sum(1 for name, _ in events if name == "token") >= 1
    done = check_stream_shape(events)
    assert done["status"] == "answered", done
    assert fact in done["answer"], done["answer"]
    assert done["citations"], done
    assert any(c["doc_id"] == doc_id and fact in c["text"] for c in done["citations"])

    stages = [data["stage"] for name, data in events if name == "status"]
    assert stages[-3:] == ["searching", "reading", "checking"], stages
    assert set(stages[:-3]) <= {"queued"}, stages
    searching = next(data for name, data in events if name == "status")
    assert searching.get("query", question) == question
    citation_checked = next(d for n, d in events if n == "status" and d["stage"] == "checking")
    assert citation_checked["paragraph_id"] == done["citations"][0]["paragraph_id"]

    r = client.post("/ask", json={"question": question})
    assert r.status_code == 200, r.text
    asked = r.json()
    assert set(done) == set(asked)
    for key in ("question", "answer", "status", "short_answer", "reason"):
        assert done[key] == asked[key], key
    assert [c["paragraph_id"] for c in done["citations"]] == [
        c["paragraph_id"] for c in asked["citations"]
    ]
    assert [(c["marker"], c["verified"]) for c in done["citations"]] == [
        (c["marker"], c["verified"]) for c in asked["citations"]
    ]
    assert [h["paragraph_id"] for h in done["retrieved"]] == [
        h["paragraph_id"] for h in asked["retrieved"]
    ]


def test_unanswerable_question_streams_insufficient_evidence(client: httpx.Client) -> None:
    events = stream(client, UNANSWERABLE)
    done = check_stream_shape(events)
    # the selector read the candidates and its score said no: nothing is checked or sent
    assert [d["stage"] for n, d in events if n == "status"][-1:] == ["reading"], events
    assert done["status"] == "insufficient_evidence", done
    assert done["citations"] == []
    assert done["reason"], done
    assert done["retrieved"], "the closest paragraphs should be listed"


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        pytest.param({"question": ""}, "question", id="empty"),
        pytest.param({"question": " \n\t "}, "empty", id="whitespace"),
        pytest.param({"question": "x" * 501}, "500", id="over-long"),
        pytest.param({}, "required", id="missing-field"),
    ],
)
def test_bad_question_is_refused_before_the_stream(
    client: httpx.Client, body: dict[str, Any], hint: str
) -> None:
    r = client.post("/ask/stream", json=body)
    assert r.status_code == 422, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    problem = r.json()
    assert {"type", "title", "status", "detail"} <= set(problem)
    assert problem["status"] == 422
    assert hint in problem["detail"].lower(), problem
    # the same refusal as /ask gives (each response with its own request id)
    same = client.post("/ask", json=body).json()
    assert same.pop("request_id") != problem.pop("request_id")
    assert same == problem


def test_httpx_sse_reads_the_stream(client: httpx.Client) -> None:
    httpx_sse = pytest.importorskip("httpx_sse")
    question = TREATY[0]
    with httpx_sse.connect_sse(
        client, "POST", "/ask/stream", json={"question": question}
    ) as source:
        events = [(sse.event, json.loads(sse.data)) for sse in source.iter_sse()]
    done = check_stream_shape(events)
    assert done["question"] == question
    assert done["status"] == "answered"


def test_openapi_documents_the_stream(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/ask/stream"]["post"]
    assert operation["summary"]
    for name in ("status", "token", "citation", "done", "error"):
        assert f"`{name}`" in operation["description"], name
    assert "text/event-stream" in operation["responses"]["200"]["content"]
    assert "application/json" not in operation["responses"]["200"]["content"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/AskRequest"
    )
    assert "422" in operation["responses"]
