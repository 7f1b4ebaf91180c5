"""The OpenAI-compatible endpoint over the seed articles, read with the official `openai` client.

The client is pointed at the real uvicorn server (session `server`) with `base_url=.../v1` and a
dummy key. The questions are written for these tests from the seed articles.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Server, start_server, stop_server

openai = pytest.importorskip("openai")

pytestmark = pytest.mark.e2e

MODEL = "grounded-qa"
# (question, a fact the answer must state, the seed article that states it)
TROOPS = (
    "How many soldiers did South Korea's intelligence service estimate North Korea could send?",
    "12,000",
    "001_b3038a76a4f135e0",
)
UNANSWERABLE = "Who won the 2022 World Cup final?"
# a first exchange, then a follow-up that only makes sense after it
FIRST = "What did Zelenskyy say about North Korean troops?"
FOLLOW_UP = "And what did he say about it?"
ZELENSKYY_ARTICLES = {"000_f7372d653e73062b", "001_b3038a76a4f135e0"}


@pytest.fixture(scope="module")
def client(server: Server) -> Any:
    return openai.OpenAI(
        base_url=f"{server.url}/v1", api_key="not-needed", max_retries=0, timeout=120
    )


def user(content: str) -> dict[str, str]:
    return {"role": "user", "content": content}


def test_models_list_names_grounded_qa(client: Any) -> None:
    models = list(client.models.list())
    assert [m.id for m in models] == [MODEL]
    assert models[0].object == "model"
    assert models[0].owned_by == MODEL
    assert isinstance(models[0].created, int)
    assert client.models.retrieve(MODEL).id == MODEL


def test_answer_has_a_marker_and_checked_citations(client: Any) -> None:
    question, fact, doc_id = TROOPS
    response = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "system", "content": "You are a helpful assistant."}, user(question)],
        temperature=0.7,  # accepted and ignored
        max_tokens=500,  # a bound the reply stays within: nothing is cut
    )
    assert response.object == "chat.completion"
    assert response.model == MODEL
    assert response.id.startswith("chatcmpl-")
    choice = response.choices[0]
    assert choice.finish_reason == "stop"
    assert choice.message.role == "assistant"
    content = choice.message.content
    assert "[1]" in content, content
    assert fact in content, content
    # what [1] points at, for a client that shows only the text
    said, _, sources = content.partition("\n\nSources:\n- [1] ")
    assert "[1]" in said and fact in said, content
    assert sources.startswith(response.model_extra["citations"][0]["title"]), content
    assert response.model_extra["citations"][0]["doc_id"] in sources, content

    extra = response.model_extra
    assert extra["status"] == "answered", extra
    citations = extra["citations"]
    assert isinstance(citations, list) and citations, extra
    assert {"verified", "paragraph_id", "marker", "doc_id", "text"} <= set(citations[0])
    assert citations[0]["verified"] is True
    assert any(c["doc_id"] == doc_id and fact in c["text"] for c in citations), citations
    assert extra["retrieved"], extra
    # usage counts words (see the README)
    assert response.usage.completion_tokens == len(content.split())
    assert response.usage.prompt_tokens == len(question.split())


def test_any_model_id_is_accepted_and_grounded_qa_is_named(client: Any) -> None:
    response = client.chat.completions.create(model="gpt-4o", messages=[user(TROOPS[0])])
    assert response.model == MODEL
    assert response.model_extra["status"] == "answered"


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


def test_the_base_url_itself_lists_the_endpoints_as_an_openai_error(server: Server) -> None:
    with server.client() as http:
        r = http.get("/v1")
    assert r.status_code == 404
    assert "POST /v1/chat/completions" in r.json()["error"]["message"], r.json()


def test_max_tokens_and_stop_cut_the_reply_as_openai_documents(client: Any) -> None:
    question, fact, _ = TROOPS
    whole = client.chat.completions.create(model=MODEL, messages=[user(question)])
    content = whole.choices[0].message.content
    assert len(content.split()) > 5, content

    cut = client.chat.completions.create(model=MODEL, messages=[user(question)], max_tokens=5)
    assert cut.choices[0].finish_reason == "length"
    assert cut.choices[0].message.content == " ".join(content.split()[:5])
    assert cut.usage.completion_tokens == 5
    assert cut.model_extra["citations"] == whole.model_extra["citations"]

    chunks = list(
        client.chat.completions.create(
            model=MODEL,
            messages=[user(question)],
            max_completion_tokens=5,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    with_choices = [c for c in chunks if c.choices]
    assert "".join(c.choices[0].delta.content or "" for c in with_choices) == (
        cut.choices[0].message.content
    )
    assert with_choices[-1].choices[0].finish_reason == "length"
    assert chunks[-1].usage.completion_tokens == 5

    # "\n", as completion-style prompts send: the answer's sentence without its Sources list
    line = client.chat.completions.create(model=MODEL, messages=[user(question)], stop=["\n"])
    assert line.choices[0].message.content == content.partition("\n")[0]
    assert fact in line.choices[0].message.content
    assert line.choices[0].finish_reason == "stop"

    with pytest.raises(openai.BadRequestError) as refused:
        client.chat.completions.create(model=MODEL, messages=[user(question)], stop=[12])
    assert refused.value.param == "stop"


def test_unanswerable_question_says_insufficient_evidence(client: Any) -> None:
    response = client.chat.completions.create(model=MODEL, messages=[user(UNANSWERABLE)])
    extra = response.model_extra
    assert extra["status"] == "insufficient_evidence", extra
    assert extra["citations"] == []
    assert extra["reason"]
    # a chat client shows the content alone: it refuses and names the closest paragraphs'
    # articles; the scores stay in `reason`
    content = response.choices[0].message.content
    assert content.startswith("The articles do not hold enough evidence to answer this")
    assert "best answer score" in extra["reason"] and "score" not in content
    assert extra["retrieved"][0]["title"] in content
    assert response.choices[0].finish_reason == "stop"

    stream = client.chat.completions.create(model=MODEL, messages=[user(UNANSWERABLE)], stream=True)
    last = [c for c in stream if c.choices][-1]
    assert last.model_extra["status"] == "insufficient_evidence"


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
@pytest.mark.parametrize(
    "messages",
    [
        pytest.param([user("")], id="empty"),
        pytest.param([user(" \n\t ")], id="whitespace"),
        pytest.param([{"role": "system", "content": "Be brief."}], id="no-user-message"),
    ],
)
def test_empty_user_message_is_a_bad_request_the_client_can_explain(
    client: Any, messages: list[dict[str, str]], stream: bool
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model=MODEL, messages=messages, stream=stream)
    assert caught.value.status_code == 400
    # the client reads OpenAI's error object: what to fix is in the exception itself
    assert caught.value.type == "invalid_request_error"
    assert "user message" in str(caught.value) or "question is empty" in str(caught.value)
    assert caught.value.message.endswith(caught.value.body["message"]), caught.value.body


def test_a_field_the_server_cannot_honour_is_named(client: Any) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model=MODEL, messages=[user(FIRST)], n=2)
    assert caught.value.param == "n"
    assert "exactly one answer" in str(caught.value)


@pytest.mark.parametrize("stream", [False, True])
def test_a_client_asks_of_some_articles_with_doc_ids_as_an_extra_field(
    client: Any, stream: bool
) -> None:
    question, _, doc_id = TROOPS
    others = ["000_f7372d653e73062b"]  # another seed article, about other things
    asked = {"model": MODEL, "messages": [user(question)]}
    if not stream:
        there = client.chat.completions.create(**asked, extra_body={"doc_ids": [doc_id]})
        assert there.model_extra["status"] == "answered", there.model_extra
        assert {c["doc_id"] for c in there.model_extra["citations"]} == {doc_id}
        elsewhere = client.chat.completions.create(**asked, extra_body={"doc_ids": others})
        assert {p["doc_id"] for p in elsewhere.model_extra["retrieved"]} == set(others)
    for bad, says in ((["nowhere"], "no article has the id(s) 'nowhere'"), ([], "doc_ids")):
        with pytest.raises(openai.BadRequestError) as caught:
            client.chat.completions.create(**asked, stream=stream, extra_body={"doc_ids": bad})
        assert says in str(caught.value)


def test_a_date_range_as_extra_fields_is_honoured_or_refused_by_name(client: Any) -> None:
    """`date_from`/`date_to` restrict the articles as on POST /ask; they were once accepted and
    ignored, so an answer came from outside the range."""
    question, _, _ = TROOPS
    asked = {"model": MODEL, "messages": [user(question)]}
    later = client.chat.completions.create(**asked, extra_body={"date_from": "2030-01-01"})
    assert later.model_extra["status"] == "insufficient_evidence", later.model_extra
    assert "date range" in later.model_extra["reason"], later.model_extra
    assert later.model_extra["citations"] == []
    for bad, param, says in (
        ({"date_from": "2024-13-01"}, "date_from", "not a calendar date"),
        ({"date_from": "2024-10-02", "date_to": "2024-10-01"}, "date_to", "is after date_to"),
    ):
        with pytest.raises(openai.BadRequestError) as caught:
            client.chat.completions.create(**asked, extra_body=bad)
        assert says in str(caught.value)
        if param:
            assert caught.value.param == param


def test_follow_up_is_answered_from_the_conversation(client: Any) -> None:
    first = client.chat.completions.create(model=MODEL, messages=[user(FIRST)])
    assert first.model_extra["status"] == "answered", first.model_extra
    conversation = [
        user(FIRST),
        {"role": "assistant", "content": first.choices[0].message.content},
        user(FOLLOW_UP),
    ]
    response = client.chat.completions.create(model=MODEL, messages=conversation)
    extra = response.model_extra
    # the follow-up was searched together with the question before it
    assert extra["rewritten_question"], extra
    assert "Zelenskyy" in extra["rewritten_question"]
    assert extra["status"] == "answered", extra
    assert extra["citations"], extra
    assert extra["citations"][0]["doc_id"] in ZELENSKYY_ARTICLES, extra["citations"]
    assert "[1]" in response.choices[0].message.content


def test_a_misspelt_name_comes_back_with_the_articles_spelling(client: Any) -> None:
    question = "What did Maria Zakarova say about South Korea?"
    response = client.chat.completions.create(model=MODEL, messages=[user(question)])
    assert response.model_extra["unknown_words"] == [
        {"word": "Zakarova", "suggestion": "Zakharova"}
    ], response.model_extra
    chunks = list(
        client.chat.completions.create(model=MODEL, messages=[user(question)], stream=True)
    )
    grounded = [c.model_extra for c in chunks if c.model_extra and "unknown_words" in c.model_extra]
    assert grounded and grounded[0]["unknown_words"][0]["suggestion"] == "Zakharova", grounded


# what OpenAI's JavaScript SDK adds to each request (LangChain.js and others are built on it)
SDK_HEADERS = {
    "X-Stainless-OS": "MacOS",
    "X-Stainless-Lang": "js",
    "X-Stainless-Arch": "arm64",
    "X-Stainless-Runtime": "browser:chrome",
    "X-Stainless-Runtime-Version": "131.0.0",
    "X-Stainless-Package-Version": "4.77.0",
    "X-Stainless-Retry-Count": "0",
    "X-Stainless-Timeout": "600",
}
APP_ORIGIN = "http://localhost:5173"


@pytest.fixture(scope="module")
def cors_server(seeds_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(
        seeds_data_dir,
        tmp_path_factory.mktemp("cors-logs") / "server.log",
        QA_SECURITY__CORS_ALLOW_ORIGINS=f'["{APP_ORIGIN}"]',
    )
    yield running
    stop_server(running)


def test_a_browser_app_on_openais_sdk_passes_the_preflight(cors_server: Server) -> None:
    """The browser asks first whether the SDK's own headers may be sent; refused, the app's
    request never leaves the browser."""
    with cors_server.client() as http:
        preflight = http.options(
            "/v1/chat/completions",
            headers={
                "Origin": APP_ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": ",".join(
                    ["authorization", "content-type", *(h.lower() for h in SDK_HEADERS)]
                ),
            },
        )
        assert preflight.status_code == 200, preflight.text
        assert preflight.headers["access-control-allow-origin"] == APP_ORIGIN
        allowed = preflight.headers["access-control-allow-headers"].lower()
        assert all(h.lower() in allowed for h in SDK_HEADERS), allowed

        asked = http.post(
            "/v1/chat/completions",
            headers={"Origin": APP_ORIGIN, "Authorization": "Bearer not-needed", **SDK_HEADERS},
            json={"model": MODEL, "messages": [user(TROOPS[0])]},
        )
        assert asked.status_code == 200, asked.text
        assert asked.headers["access-control-allow-origin"] == APP_ORIGIN
        assert asked.json()["status"] == "answered"
