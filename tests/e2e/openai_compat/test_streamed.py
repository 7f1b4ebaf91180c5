"""Streamed replies of the OpenAI-compatible endpoint (`stream: true`) over the seed articles:
the chunks join to the non-streamed reply, and the frames are as OpenAI sends them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import Server
from tests.e2e.openai_compat.conftest import FIRST, FOLLOW_UP, MODEL, TROOPS, UNANSWERABLE, user

pytestmark = pytest.mark.e2e


def test_streamed_deltas_join_to_the_non_streamed_answer(client: Any) -> None:
    question = TROOPS[0]
    whole = client.chat.completions.create(model=MODEL, messages=[user(question)])
    chunks = list(
        client.chat.completions.create(
            model=MODEL,
            messages=[user(question)],
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert chunks, "the stream sent no chunks"
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert len({c.id for c in chunks}) == 1
    assert chunks[0].choices[0].delta.role == "assistant"
    with_choices = [c for c in chunks if c.choices]
    text = "".join(c.choices[0].delta.content or "" for c in with_choices)
    assert text == whole.choices[0].message.content
    assert sum(1 for c in with_choices if c.choices[0].delta.content) > 1  # word by word

    stop = with_choices[-1]
    assert stop.choices[0].finish_reason == "stop"
    assert all(c.choices[0].finish_reason is None for c in with_choices[:-1])
    assert stop.model_extra["status"] == "answered"
    assert [c["paragraph_id"] for c in stop.model_extra["citations"]] == [
        c["paragraph_id"] for c in whole.model_extra["citations"]
    ]
    usage = chunks[-1]
    assert usage.choices == [] and usage.usage is not None
    assert usage.usage.completion_tokens == len(text.split())


def streamed_frames(server: Server, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The chunks of `body` asked with `stream: true` and usage, read off the wire."""
    asked = {**body, "stream": True, "stream_options": {"include_usage": True}}
    with server.client() as http, http.stream("POST", "/v1/chat/completions", json=asked) as r:
        assert r.status_code == 200, r.read()
        lines = [line for line in r.iter_lines() if line.startswith("data: ")]
    assert lines[-1] == "data: [DONE]", lines[-1]
    return [json.loads(line.removeprefix("data: ")) for line in lines[:-1]]


GROUNDING = ("status", "citations", "retrieved", "reason", "rewritten_question")


# the first question of each kind of reply; a follow-up's is answered, then FOLLOW_UP asked
ASKED_FIRST = {"answered": TROOPS[0], "refused": UNANSWERABLE, "follow-up": FIRST}


@pytest.mark.parametrize("kind", list(ASKED_FIRST))
def test_a_streamed_reply_is_the_plain_reply_word_by_word(server: Server, kind: str) -> None:
    """The same request, streamed and not: the deltas join to the plain content exactly (the
    Sources list or the refusal's articles included), and the finish reason, the usage and
    the grounding are the same."""
    messages = [user(ASKED_FIRST[kind])]
    with server.client() as http:
        if kind == "follow-up":
            first = http.post("/v1/chat/completions", json={"model": MODEL, "messages": messages})
            said = first.json()["choices"][0]["message"]["content"]
            messages += [{"role": "assistant", "content": said}, user(FOLLOW_UP)]
        body = {"model": MODEL, "messages": messages}
        plain = http.post("/v1/chat/completions", json=body)
    assert plain.status_code == 200, plain.text
    whole = plain.json()
    expected_status = "insufficient_evidence" if kind == "refused" else "answered"
    assert whole["status"] == expected_status, whole
    if kind == "follow-up":
        assert whole["rewritten_question"], whole

    chunks = streamed_frames(server, body)
    with_choices = [c for c in chunks if c["choices"]]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in with_choices)
    content = whole["choices"][0]["message"]["content"]
    assert text == content
    marks = "Sources:\n- [1] " if kind != "refused" else "The closest paragraphs are from"
    assert marks in content, content
    last = with_choices[-1]
    assert last["choices"][0]["finish_reason"] == whole["choices"][0]["finish_reason"]
    assert {k: last[k] for k in GROUNDING} == {k: whole[k] for k in GROUNDING}
    assert chunks[-1]["usage"] == whole["usage"]


def test_raw_stream_frames_as_openai_sends_them(server: Server) -> None:
    """Read off the wire, not through a client library that would smooth them over."""
    body = {
        "model": MODEL,
        "messages": [user(TROOPS[0])],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    with server.client() as http, http.stream("POST", "/v1/chat/completions", json=body) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in r.iter_lines() if line and not line.startswith(":")]
    assert all(line.startswith("data: ") for line in lines), lines  # unnamed frames
    assert lines[-1] == "data: [DONE]"
    chunks = [json.loads(line.removeprefix("data: ")) for line in lines[:-1]]
    # include_usage: the last chunk has the usage, every other one the field, null
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] > 0
    assert all(c["usage"] is None for c in chunks[:-1]), [c.get("usage") for c in chunks]
