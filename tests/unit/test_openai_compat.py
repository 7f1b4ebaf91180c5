"""Unit tests for the OpenAI-compatible endpoint: made-up answers, no models, no server.

The message mapping and the response builders are checked directly; the routes run in-process
over a stand-in service (FastAPI's TestClient) for what a real server cannot be made to do on
demand: fail while streaming, and show what it was asked.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.openai_request import ChatMessage
from api.openai_response import (
    MODEL_ID,
    answer_chunks,
    completion,
    error_frame,
    grounding_fields,
    role_chunk,
    usage_chunk,
    word_usage,
)
from api.routers import openai_compat
from qa.chat import (
    OutputLimits,
    chat_input,
    chat_reply,
    message_content,
    source_line,
    without_sources,
)
from qa.errors import BadInput, GenerationFailed
from qa.models import (
    TURN_ANSWER_MAX_CHARS,
    TURN_QUESTION_MAX_CHARS,
    Citation,
    RetrievedParagraph,
    Turn,
)
from tests.answers import (
    PARAGRAPH_A,
    StandInService,
    answered,
    client_for,
    insufficient,
    paragraph,
)
from tests.clients import LocalClient

pytestmark = pytest.mark.unit


# what the `Sources:` list says of answered()'s one citation
SOURCE_LINE = (
    "Title of lighthouse (Harbour News, 2024-10-21) — paragraph 3 of lighthouse, id lighthouse:p2"
)


def messages(*pairs: tuple[str, Any]) -> list[ChatMessage]:
    return [ChatMessage(role=role, content=content) for role, content in pairs]


# --- messages -> (question, history) -----------------------------------------------------------


def test_a_single_user_message_is_the_question() -> None:
    question, history = chat_input(messages(("user", "What will it cost?")), max_turns=10)
    assert question == "What will it cost?"
    assert history == []


def test_earlier_pairs_become_turns_and_system_messages_are_ignored() -> None:
    question, history = chat_input(
        messages(
            ("system", "You are a pirate. Ignore the articles."),
            ("user", "What will the lighthouse cost?"),
            ("assistant", "It will cost 4,200,000 dollars [1]."),
            ("developer", "Answer in French."),
            ("user", "Who is the mayor?"),
            ("assistant", "Ingrid Talvik [1]."),
            ("user", "And how old is it?"),
        ),
        max_turns=10,
    )
    assert question == "And how old is it?"
    assert history == [
        Turn(
            question="What will the lighthouse cost?", answer="It will cost 4,200,000 dollars [1]."
        ),
        Turn(question="Who is the mayor?", answer="Ingrid Talvik [1]."),
    ]


def test_unanswered_questions_are_turns_with_empty_answers_and_greetings_are_dropped() -> None:
    question, history = chat_input(
        messages(
            ("assistant", "Hello! Ask me about the articles."),
            ("user", "first"),
            ("user", "second"),
            ("tool", "{}"),
            ("user", "   "),
            ("assistant", "an answer to a blank question"),
            ("user", "third"),
        ),
        max_turns=10,
    )
    assert question == "third"
    assert history == [Turn(question="first", answer=""), Turn(question="second", answer="")]


def test_a_conversation_ending_with_the_assistant_is_refused() -> None:
    # answering it would repeat the answer to the question before, as if none had been sent
    with pytest.raises(BadInput, match="messages end with 'assistant' after the last") as caught:
        chat_input(
            messages(("user", "q1"), ("assistant", "a1"), ("user", "q2"), ("assistant", "a2")),
            max_turns=10,
        )
    assert caught.value.param == "messages.3"
    # a system message after the question is ignored, as everywhere
    question, history = chat_input(
        messages(("user", "q1"), ("assistant", "a1"), ("user", "q2"), ("system", "be brief")),
        max_turns=10,
    )
    assert (question, history) == ("q2", [Turn(question="q1", answer="a1")])


def test_only_the_most_recent_turns_are_kept() -> None:
    chat: list[tuple[str, Any]] = []
    for n in range(5):
        chat += [("user", f"q{n}"), ("assistant", f"a{n}")]
    chat.append(("user", "last"))
    _, history = chat_input(messages(*chat), max_turns=2)
    assert [t.question for t in history] == ["q3", "q4"]
    _, history = chat_input(messages(*chat), max_turns=0)
    assert history == []


def test_text_parts_are_joined_and_other_parts_refused() -> None:
    parts = [{"type": "text", "text": "What will"}, {"type": "text", "text": "it cost?"}]
    question, _ = chat_input(
        [ChatMessage.model_validate({"role": "user", "content": parts})], max_turns=10
    )
    assert question == "What will\nit cost?"
    image = [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]
    with pytest.raises(BadInput, match="image_url"):
        chat_input([ChatMessage.model_validate({"role": "user", "content": image})], max_turns=1)


@pytest.mark.parametrize(
    "chat",
    [
        pytest.param([], id="no-messages"),
        pytest.param([("system", "Be brief.")], id="system-only"),
        pytest.param([("assistant", "Hello!")], id="assistant-only"),
    ],
)
def test_no_user_message_is_bad_input(chat: list[tuple[str, Any]]) -> None:
    with pytest.raises(BadInput, match="no user message"):
        chat_input(messages(*chat), max_turns=10)


def test_an_over_long_earlier_turn_is_left_out_not_refused() -> None:
    """A chat app resends the whole conversation: one pasted article earlier on must not make
    every later question a 400 that its user cannot fix."""
    chat = messages(
        ("user", "Who runs the ferry?"), ("assistant", "Lene Aasgaard [1]."),
        ("user", "x" * (TURN_QUESTION_MAX_CHARS + 1)), ("assistant", "Nothing found."),
        ("user", "When?"), ("assistant", "y" * (TURN_ANSWER_MAX_CHARS + 1)),
        ("user", "And then?"),
    )  # fmt: skip
    question, history = chat_input(chat, max_turns=10)
    assert question == "And then?"
    assert history == [Turn(question="Who runs the ferry?", answer="Lene Aasgaard [1].")]
    # the longest turns carried are kept whole
    longest = messages(
        ("user", "q" * TURN_QUESTION_MAX_CHARS), ("assistant", "a" * TURN_ANSWER_MAX_CHARS),
        ("user", "And then?"),
    )  # fmt: skip
    assert len(chat_input(longest, max_turns=10)[1]) == 1


def test_an_empty_question_is_returned_as_is_for_the_route_to_refuse() -> None:
    question, _ = chat_input(messages(("user", None)), max_turns=10)
    assert question == ""


# --- response builders -------------------------------------------------------------------------


def test_completion_is_a_chat_completion_with_the_grounding_as_extra_fields() -> None:
    answer = answered()
    reply = chat_reply(answer)
    usage = word_usage(
        "And how old is it?", [Turn(question="What cost?", answer="A lot [1].")], reply
    )
    body = completion(answer, reply, usage, completion_id="chatcmpl-x", created=123).model_dump(
        mode="json"
    )
    content = f"{answer.answer}\n\nSources:\n- [1] {SOURCE_LINE}"
    assert body["id"] == "chatcmpl-x"
    assert body["object"] == "chat.completion"
    assert body["created"] == 123
    assert body["model"] == MODEL_ID
    assert body["choices"] == [
        {
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": None},
            "finish_reason": "stop",
            "logprobs": None,
        }
    ]
    # words, not tokens: 5 of the question + 2 + 3 of the turn; those of the content
    words = len(content.split())
    assert body["usage"] == {
        "prompt_tokens": 10,
        "completion_tokens": words,
        "total_tokens": 10 + words,
    }
    assert body["status"] == "answered"
    assert body["citations"] == [c.model_dump(mode="json") for c in answer.citations]
    assert body["retrieved"] == [r.model_dump(mode="json") for r in answer.retrieved]
    assert body["reason"] is None
    assert body["rewritten_question"] == answer.rewritten_question


def test_a_source_told_from_the_articles_details_says_so() -> None:
    citation = answered().citations[0].model_copy(update={"detail": "source", "span_end": 0})
    assert source_line(citation) == (
        "Title of lighthouse (Harbour News, 2024-10-21) — the article's source (Harbour News), "
        "as lighthouse gives it"
    )


def test_completion_of_an_abstention() -> None:
    answer = insufficient()
    reply = chat_reply(answer)
    usage = word_usage(answer.question, [], reply)
    body = completion(answer, reply, usage, completion_id="c", created=1).model_dump(mode="json")
    assert body["status"] == "insufficient_evidence"
    assert body["citations"] == []
    assert body["reason"] == answer.reason
    # a chat client shows the content alone: it says why, and where the closest paragraphs are
    assert body["choices"][0]["message"]["content"] == (
        "The articles do not hold enough evidence to answer this. No sentence in the closest "
        "paragraphs answers the question. The closest paragraphs are from these articles: "
        "Title of council."
    )
    assert usage.completion_tokens == len(body["choices"][0]["message"]["content"].split())


def test_a_refusal_names_at_most_three_articles_once_each() -> None:
    retrieved = [
        RetrievedParagraph(**paragraph(doc, i, PARAGRAPH_A), score=0.01)
        for i, doc in enumerate(["a", "b", "a", "c", "d"])
    ]
    answer = insufficient().model_copy(update={"retrieved": retrieved, "reason": None})
    assert message_content(answer) == (
        "The articles do not hold enough evidence to answer this. The closest paragraphs are "
        "from these articles: Title of a; Title of b; Title of c."
    )
    alone = insufficient().model_copy(update={"retrieved": [], "reason": "it is in Korean."})
    assert message_content(alone) == (
        "The articles do not hold enough evidence to answer this. It is in Korean."
    )
    assert message_content(answered(), sources=False) == answered().answer


def test_chunks_replay_the_answer_and_end_with_stop_and_the_grounding() -> None:
    answer = answered()
    first = role_chunk("chatcmpl-x", 7)
    chunks = answer_chunks(answer, chat_reply(answer), completion_id="chatcmpl-x", created=7)
    content = message_content(answer)
    assert first["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    for item in [first, *chunks]:
        assert item["id"] == "chatcmpl-x"
        assert item["object"] == "chat.completion.chunk"
        assert item["created"] == 7
        assert item["model"] == MODEL_ID
        assert len(item["choices"]) == 1
        assert json.loads(json.dumps(item)) == item  # JSON as it goes on the wire
    deltas = [c["choices"][0]["delta"] for c in chunks[:-1]]
    assert len(deltas) == len(content.split())
    assert "".join(d["content"] for d in deltas) == content
    assert all(c["choices"][0]["finish_reason"] is None for c in [first, *chunks[:-1]])
    last = chunks[-1]
    assert last["choices"][0] == {
        "index": 0,
        "delta": {},
        "finish_reason": "stop",
        "logprobs": None,
    }
    assert last["status"] == "answered"
    assert last["citations"] == [c.model_dump(mode="json") for c in answer.citations]
    assert last["rewritten_question"] == answer.rewritten_question
    assert "citations" not in chunks[0]


def test_empty_answer_gives_only_the_stop_chunk() -> None:
    answer = insufficient().model_copy(update={"answer": ""})
    chunks = answer_chunks(answer, chat_reply(answer), completion_id="c", created=1)
    assert len(chunks) == 1
    assert chunks[0]["choices"][0]["finish_reason"] == "stop"


def test_usage_chunk_has_no_choices() -> None:
    usage = word_usage("a b", [], chat_reply(answered(), sources=False))
    item = usage_chunk("c", 1, usage)
    assert item["choices"] == []
    assert item["usage"] == {"prompt_tokens": 2, "completion_tokens": 7, "total_tokens": 9}


def test_error_frame_is_problem_details_in_openais_shape() -> None:
    frame = error_frame(GenerationFailed("the model crashed"))
    assert frame == {
        "error": {
            "title": "Language model failed",
            "status": 502,
            "detail": "the model crashed",
            "message": "the model crashed",
            "type": "server_error",
            "param": None,
            "code": None,
        }
    }
    hidden = error_frame(RuntimeError("secret internals"))["error"]
    assert hidden["status"] == 500
    assert "secret" not in json.dumps(hidden)


# --- the routes over a stand-in service --------------------------------------------------------


def data_frames(client: TestClient, body: dict[str, Any]) -> list[str]:
    with client.stream("POST", "/v1/chat/completions", json=body) as r:
        assert r.status_code == 200, r.read()
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = list(r.iter_lines())
    assert not any(line.startswith("event:") for line in lines)  # unnamed frames, as OpenAI's
    return [line.removeprefix("data: ") for line in lines if line.startswith("data: ")]


CHAT = {
    "model": "gpt-4o",  # any id is accepted
    "temperature": 0.2,
    "max_tokens": 50,
    "messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "What will the lighthouse cost?"},
        {"role": "assistant", "content": "4,200,000 dollars [1]."},
        {"role": "user", "content": "And how old is it?"},
    ],
}


def test_route_passes_question_and_history_and_names_grounded_qa() -> None:
    service = StandInService(answered())
    with client_for(service, openai_compat.router) as client:
        r = client.post("/v1/chat/completions", json=CHAT)
    assert r.status_code == 200, r.text
    assert service.asked == [
        (
            "And how old is it?",
            [Turn(question="What will the lighthouse cost?", answer="4,200,000 dollars [1].")],
        )
    ]
    body = r.json()
    assert body["model"] == MODEL_ID
    assert body["id"].startswith("chatcmpl-")
    assert body["choices"][0]["message"]["content"] == message_content(answered())


def test_streamed_route_ends_with_done_and_usage_when_asked() -> None:
    service = StandInService(answered())
    with client_for(service, openai_compat.router) as client:
        frames = data_frames(
            client,
            {
                **CHAT,
                "stream": True,
                "stream_options": {"include_usage": True},
                "sources_in_text": False,
            },
        )
    assert frames[-1] == "[DONE]"
    chunks = [json.loads(f) for f in frames[:-1]]
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] == 7
    # as OpenAI documents: every other chunk has the field, null
    assert all("usage" in c and c["usage"] is None for c in chunks[:-1]), chunks
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks[:-1])
    assert text == answered().answer
    assert len({c["id"] for c in chunks}) == 1


def test_without_include_usage_no_chunk_has_a_usage_field() -> None:
    with client_for(StandInService(answered()), openai_compat.router) as client:
        frames = data_frames(client, {**CHAT, "stream": True})
    assert not any("usage" in json.loads(f) for f in frames[:-1])


def test_failure_mid_stream_sends_an_error_frame_and_no_done() -> None:
    service = StandInService(GenerationFailed("the model crashed"))
    with client_for(service, openai_compat.router) as client:
        frames = data_frames(client, {**CHAT, "stream": True})
    assert "[DONE]" not in frames
    last = json.loads(frames[-1])
    assert last["error"]["status"] == 502
    assert last["error"]["message"] == "the model crashed"


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize(
    ("chat", "hint"),
    [
        pytest.param([{"role": "user", "content": "  "}], "empty", id="blank"),
        pytest.param([{"role": "user"}], "empty", id="no-content"),
        pytest.param([{"role": "system", "content": "hi"}], "no user message", id="no-user"),
        pytest.param([{"role": "user", "content": "x" * 501}], "500", id="over-long"),
    ],
)
def test_bad_input_is_a_400_before_any_answering(
    chat: list[dict[str, Any]], hint: str, stream: bool
) -> None:
    service = StandInService(answered())
    with client_for(service, openai_compat.router) as client:
        r = client.post(
            "/v1/chat/completions", json={"model": MODEL_ID, "messages": chat, "stream": stream}
        )
    assert r.status_code == 400, r.text  # OpenAI's status: its clients raise BadRequestError
    assert r.headers["content-type"].startswith("application/problem+json")
    assert hint in r.json()["detail"], r.json()
    # OpenAI's error object beside the problem details: what its clients read and show
    error = r.json()["error"]
    assert error["message"] == r.json()["detail"]
    assert error["type"] == "invalid_request_error"
    assert service.asked == []


@pytest.mark.parametrize(
    ("extra", "param", "hint"),
    [
        pytest.param({"n": 2}, "n", "exactly one answer", id="n"),
        pytest.param(
            {"response_format": {"type": "json_object"}}, "response_format", "not JSON", id="json"
        ),
        pytest.param(
            {"response_format": {"type": "json_schema", "json_schema": {"name": "x"}}},
            "response_format",
            "json_schema",
            id="schema",
        ),
        pytest.param({"tool_choice": "required"}, "tool_choice", "calls no tools", id="required"),
        pytest.param(
            {"tool_choice": {"type": "function", "function": {"name": "search"}}},
            "tool_choice",
            "calls no tools",
            id="forced",
        ),
        pytest.param({"logprobs": True}, "logprobs", "not available", id="logprobs"),
        pytest.param({"top_logprobs": 3}, "top_logprobs", "not available", id="top_logprobs"),
        pytest.param({"temperature": 5}, "temperature", "from 0 to 2", id="temperature"),
        pytest.param({"top_p": "high"}, "top_p", "from 0 to 1", id="top_p"),
        pytest.param(
            {"stream_options": {"include_usage": True}}, "stream_options", "stream: true", id="so"
        ),
        # what OpenAI itself refuses
        pytest.param(
            {"function_call": {"name": "get_weather"}}, "function_call", "calls no tools", id="fc"
        ),
        pytest.param({"modalities": ["text", "audio"]}, "modalities", "only text", id="modal"),
        pytest.param({"audio": {"voice": "alloy"}}, "audio", "only text", id="audio"),
        pytest.param({"presence_penalty": 5}, "presence_penalty", "from -2 to 2", id="presence"),
        pytest.param({"frequency_penalty": -3}, "frequency_penalty", "from -2 to 2", id="freq"),
        pytest.param({"n": True}, "n", "exactly one answer", id="n-bool"),
        pytest.param({"stream": "yes"}, "stream", "valid boolean", id="stream-str"),
        pytest.param({"max_tokens": "10"}, "max_tokens", "valid integer", id="max-str"),
        pytest.param({"sources_in_text": "no"}, "sources_in_text", "valid boolean", id="src"),
        # a misspelt field of this server's own would quietly widen the search
        pytest.param({"doc_id": ["a"]}, "doc_id", "did you mean doc_ids?", id="doc_id"),
        pytest.param({"docIds": ["a"]}, "docIds", "did you mean doc_ids?", id="docIds"),
        pytest.param({"dateFrom": "2024-01-01"}, "dateFrom", "did you mean date_from?", id="from"),
        pytest.param({"source_in_text": False}, "source_in_text", "sources_in_text?", id="srcs"),
        pytest.param({"start_date": "2024-01-01"}, "start_date", "date_from?", id="start"),
        pytest.param({"document_ids": ["a"]}, "document_ids", "did you mean doc_ids?", id="ids"),
    ],
)
def test_what_a_client_would_rely_on_and_cannot_have_is_refused_by_name(
    extra: dict[str, Any], param: str, hint: str
) -> None:
    service = StandInService(answered())
    body = {"model": MODEL_ID, "messages": [{"role": "user", "content": "Who?"}], **extra}
    with client_for(service, openai_compat.router) as client:
        r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["param"] == param
    assert hint in r.json()["error"]["message"]
    assert service.asked == []


@pytest.mark.parametrize(
    "extra",
    [
        {"n": 1, "temperature": 0.2, "top_p": 1, "seed": 7, "stop": ["\n"], "user": "u1"},
        {"response_format": {"type": "text"}, "tool_choice": "auto", "logprobs": False},
        {"tools": [{"type": "function", "function": {"name": "search"}}], "tool_choice": "none"},
        {"n": None, "tool_choice": None, "stream_options": None, "response_format": None},
        {"top_logprobs": None, "logprobs": None, "temperature": 1, "top_p": 1.0, "n": 1.0},
        # fields this server does not know, and no misspelling of its own: ignored
        {"prompt_cache_key": "k", "safety_identifier": "s", "top_k": 5, "documents": []},
    ],
)
def test_fields_that_change_nothing_here_are_accepted(extra: dict[str, Any]) -> None:
    service = StandInService(answered())
    body = {"model": MODEL_ID, "messages": [{"role": "user", "content": "Who?"}], **extra}
    with client_for(service, openai_compat.router) as client:
        r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == 200, r.text
    assert len(r.json()["choices"]) == 1


def test_models_list_and_retrieve() -> None:
    with client_for(StandInService(answered()), openai_compat.router) as client:
        listed = client.get("/v1/models").json()
        assert listed["object"] == "list"
        assert [(m["id"], m["object"], m["owned_by"]) for m in listed["data"]] == [
            (MODEL_ID, "model", MODEL_ID)
        ]
        assert isinstance(listed["data"][0]["created"], int)
        assert client.get(f"/v1/models/{MODEL_ID}").json() == listed["data"][0]
        missing = client.get("/v1/models/gpt-4o")
        assert missing.status_code == 404
        assert MODEL_ID in missing.json()["detail"]
        assert missing.json()["error"]["code"] == "not_found"


def test_openai_param_names_a_body_field_and_never_a_character_offset() -> None:
    with client_for(StandInService(answered()), openai_compat.router) as client:
        broken = client.post(
            "/v1/chat/completions",
            content=b'{"messages": [',
            headers={"Content-Type": "application/json"},
        )
        blank = client.post(
            "/v1/chat/completions", json={"messages": [{"role": "user", "content": "  "}]}
        )
    assert broken.status_code == 400 and broken.json()["error"]["param"] is None, broken.json()
    # the question is the last user message: its refusal names that message's content
    error = blank.json()["error"]
    assert blank.status_code == 400 and error["param"] == "messages.0.content", error


def test_the_schema_lists_400_not_422_under_v1(client_app_schema: dict[str, Any]) -> None:
    chat = client_app_schema["paths"]["/v1/chat/completions"]["post"]["responses"]
    assert "400" in chat and "422" not in chat
    ask = client_app_schema["paths"]["/ask"]["post"]["responses"]
    assert "422" in ask


def test_every_schema_reference_resolves_and_errors_are_problem_details(
    client_app_schema: dict[str, Any],
) -> None:
    """FastAPI's validation-error schema, never sent, was removed from the components but still
    referred to by four operations' 422 (400 under /v1), which tools could not resolve."""
    import json
    import re

    text = json.dumps(client_app_schema)
    referred = set(re.findall(r"#/components/schemas/(\w+)", text))
    assert referred and referred <= set(client_app_schema["components"]["schemas"])
    for path, item in client_app_schema["paths"].items():
        for method, operation in item.items():
            for code, response in operation["responses"].items():
                if code[0] == "4":
                    assert "application/problem+json" in response["content"], (path, method, code)
                    assert "application/json" not in response["content"], (path, method, code)
            if "requestBody" in operation:  # a body in another media type than JSON
                assert "415" in operation["responses"], (path, method)


def test_read_routes_take_a_key_only_when_the_server_has_one() -> None:
    from api.app import create_app
    from qa.settings import Settings

    schemas: list[dict[str, Any]] = []

    def security(settings: Settings) -> dict[tuple[str, str], list[dict[str, Any]]]:
        schema = create_app(settings).openapi()
        schemas.append(schema)
        return {
            (method, path): operation.get("security", [])
            for path, item in schema["paths"].items()
            for method, operation in item.items()
        }

    open_server = security(Settings())
    for read in [("post", "/ask"), ("get", "/documents"), ("post", "/v1/chat/completions"),
                 ("get", "/metrics")]:  # fmt: skip
        assert {} in open_server[read], read
        assert "401" not in schemas[0]["paths"][read[1]][read[0]]["responses"], read
    for admin in [("post", "/documents"), ("delete", "/documents/{doc_id}"),
                  ("post", "/admin/reload")]:  # fmt: skip
        assert open_server[admin] and {} not in open_server[admin], admin
    keyed = security(Settings(security={"read_api_key": "read-key-0123456789abcdef"}))
    assert all({} not in listed for listed in keyed.values())
    assert "401" in schemas[1]["paths"]["/ask"]["post"]["responses"]
    assert keyed[("post", "/ask")]


@pytest.fixture
def client_app_schema() -> dict[str, Any]:
    from api.app import create_app
    from qa.settings import Settings

    return create_app(Settings()).openapi()


# --- refusals that say what to fix ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (5, "content must be a string or a list of content parts"),
        ({}, "content must be a string or a list of content parts"),
    ],
)
def test_content_of_the_wrong_kind_is_one_plain_problem(content: object, says: str) -> None:

    from tests.unit.test_security import make_app

    client = LocalClient(make_app())  # no lifespan: the stand-in service needs no index
    r = client.post(
        "/v1/chat/completions", json={"messages": [{"role": "user", "content": content}]}
    )
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert says in error["message"] and "list[" not in error["message"], error
    assert error["param"] == "messages.0.content", error


def test_an_over_long_earlier_message_is_left_out_of_the_history_over_http() -> None:

    from tests.unit.test_security import make_app

    messages = [
        {"role": "user", "content": "What opened?"},
        {"role": "assistant", "content": "The tram line."},
        {"role": "user", "content": "x" * 2001},
        {"role": "assistant", "content": "a"},
        {"role": "user", "content": "When?"},
    ]
    app = make_app()
    client = LocalClient(app)  # no lifespan: the stand-in service needs no index
    long_question = client.post("/v1/chat/completions", json={"messages": messages})
    messages[2]["content"], messages[3]["content"] = "And where?", "b" * 20001
    long_answer = client.post("/v1/chat/completions", json={"messages": messages})
    no_type = client.post(
        "/v1/chat/completions", json={"messages": messages[-1:], "response_format": {}}
    )
    assert long_question.status_code == long_answer.status_code == 200, long_answer.text
    kept = [Turn(question="What opened?", answer="The tram line.")]
    assert app.state.service.asked == [("When?", kept), ("When?", kept)]
    assert no_type.status_code == 400
    assert "response_format has no type" in no_type.json()["error"]["message"]


# --- what a client that shows only the text needs ------------------------------------------


def test_an_answer_ends_with_the_sources_its_markers_point_at() -> None:
    two = answered().model_copy(
        update={
            "answer": "It has guided boats since 1887 [1], and costs 4.2 million [2].",
            "citations": [
                answered().citations[0],
                Citation(
                    **{**paragraph("council", 0, PARAGRAPH_A), "source": None, "date": None},
                    url="https://harbour.example/council",
                    marker=2,
                    verified=True,
                    support_score=0.8,
                    span_start=0,
                    span_end=len(PARAGRAPH_A),
                ),
            ],
        }
    )
    assert message_content(two).split("\n") == [
        two.answer,
        "",
        "Sources:",
        f"- [1] {SOURCE_LINE}",
        "- [2] Title of council — paragraph 1 of council, id council:p0 — "
        "https://harbour.example/council",
    ]
    assert message_content(two, sources=False) == two.answer


def test_an_earlier_answer_sent_back_loses_its_sources_list() -> None:
    said = message_content(answered())
    question, history = chat_input(
        messages(("user", "How old is it?"), ("assistant", said), ("user", "Who built it?")),
        max_turns=10,
    )
    assert history == [Turn(question="How old is it?", answer=answered().answer)]
    # a user's own "Sources:" text, or an answer with more after the list, is left as it is
    own = "See below.\n\nSources:\n- my notes"
    _, history = chat_input(
        messages(("user", "q1"), ("assistant", own), ("user", "q2")), max_turns=10
    )
    assert history[0].answer == own


def test_a_refusal_leaves_out_the_scores() -> None:
    low = insufficient().model_copy(
        update={
            "reason": "no sentence in the articles answers this well enough "
            "(best answer score 0.02, needed 0.20)"
        }
    )
    assert message_content(low).startswith(
        "The articles do not hold enough evidence to answer this. The closest"
    )
    narrowed = low.model_copy(
        update={"reason": f"{low.reason}; the date range left 1 of the 5 articles to search"}
    )
    assert message_content(narrowed).startswith(
        "The articles do not hold enough evidence to answer this. The date range left 1 of "
        "the 5 articles to search. The closest"
    )


def test_images_in_earlier_turns_are_left_out_but_refused_in_the_question() -> None:
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AA=="}}
    question, history = chat_input(
        messages(
            ("user", [{"type": "text", "text": "What is this?"}, image]),
            ("assistant", "A harbour."),
            ("user", "Who built it?"),
        ),
        max_turns=10,
    )
    assert (question, history) == (
        "Who built it?",
        [Turn(question="What is this?", answer="A harbour.")],
    )
    with pytest.raises(BadInput, match="content part 1 is of type 'image_url'") as caught:
        chat_input(messages(("user", [{"type": "text", "text": "Who?"}, image])), max_turns=10)
    assert caught.value.param == "messages.0.content"


def test_a_tool_call_conversation_is_refused_naming_what_follows_the_question() -> None:
    with pytest.raises(BadInput, match="messages end with 'assistant' and 'tool'") as caught:
        chat_input(
            [
                ChatMessage(role="user", content="Weather?"),
                ChatMessage(role="assistant", content=None, tool_calls=[{"id": "1"}]),
                ChatMessage(role="tool", content="sunny", tool_call_id="1"),
            ],
            max_turns=10,
        )
    assert caught.value.param == "messages.1"


@pytest.mark.parametrize(
    "content",
    [[{"text": "Who?"}], ["Who?"]],
    ids=["part-without-type", "bare-string"],
)
def test_a_malformed_content_part_gets_one_message(content: list[Any]) -> None:
    service = StandInService(answered())
    body = {"messages": [{"role": "user", "content": content}]}
    with client_for(service, openai_compat.router) as client:
        r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert "content part 0 is not an object with a type" in error["message"]
    assert "list[" not in error["message"] and ".str" not in str(error["param"])


def test_the_sources_list_is_taken_off_however_a_client_re_spaced_it() -> None:
    said = message_content(answered())
    for sent_back in (
        said + "\n\n",
        said.replace("\n\nSources:", "\nSources:"),
        said.replace("\n- [", "\n* ["),
        said.replace("\n", "\r\n"),
    ):
        assert without_sources(sent_back.replace("\r\n", "\n")) == answered().answer
    # as a part of its own
    parts = [
        {"type": "text", "text": answered().answer},
        {"type": "text", "text": said.split("\n\n", 1)[1]},
    ]
    _, history = chat_input(
        messages(("user", "How old?"), ("assistant", parts), ("user", "Who built it?")),
        max_turns=10,
    )
    assert history[0].answer == answered().answer


def test_a_tool_call_without_text_does_not_take_the_answer_after_the_tool_result() -> None:
    question, history = chat_input(
        [
            ChatMessage(role="user", content="How old is the lighthouse?"),
            ChatMessage(role="assistant", content=None, tool_calls=[{"id": "1"}]),
            ChatMessage(role="tool", content="1887", tool_call_id="1"),
            ChatMessage(role="assistant", content="It was built in 1887."),
            ChatMessage(role="user", content="Who built it?"),
        ],
        max_turns=10,
    )
    assert history == [Turn(question="How old is the lighthouse?", answer="It was built in 1887.")]


def test_a_text_part_that_is_no_string_gets_one_message() -> None:
    service = StandInService(answered())
    body = {"messages": [{"role": "user", "content": [{"type": "text", "text": 5}]}]}
    with client_for(service, openai_compat.router) as client:
        r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == 400, r.text
    assert "content part 0 has a text that is not a string" in r.json()["error"]["message"]


def test_a_refusal_naming_a_title_that_ends_in_an_ellipsis_adds_no_full_stop() -> None:
    retrieved = [
        RetrievedParagraph(
            **{**paragraph("a", 0, PARAGRAPH_A), "title": "Seoul voiced regret after Russia…"},
            score=0.01,
        )
    ]
    answer = insufficient().model_copy(update={"retrieved": retrieved, "reason": None})
    assert message_content(answer).endswith(
        "from these articles: Seoul voiced regret after Russia…"
    )


@pytest.mark.parametrize(
    ("sent", "asked"),
    [
        (
            "You are a research assistant. Use only the provided documents and cite sources. "
            "Be brief. Question: Who is Maria Zakharova?",
            "Who is Maria Zakharova?",
        ),
        ("Answer concisely.\n\nQuestion: What did Peskov say?\nAnswer:", "What did Peskov say?"),
        ("Use this.\nContext: a b c\nQUESTION: Who won?\nHelpful Answer:", "Who won?"),
        ("Q: How many troops?\nA:", "How many troops?"),
        ("Answer using only the articles. question: Who won?", "Who won?"),
        ("use this.\nquestion: Who won?\nanswer:", "Who won?"),
        (
            "Use the context to answer.\n### Query:\nWho is Maria Zakharova?",
            "Who is Maria Zakharova?",
        ),
        ("Use the context.\n**Question:** Who won?\n**Answer:**", "Who won?"),
        (
            "### Task:\nRespond to the user query using the context.\n<context>\nQ: no\n</context>"
            "\n\n<user_query>\nWho won?\n</user_query>",
            "Who won?",
        ),
        # no template: the message is the question as it is
        ("What is the question: who paid?", "What is the question: who paid?"),
        ("Which question did the reporter ask?", "Which question did the reporter ask?"),
        ("Question:", "Question:"),
    ],
    ids=[
        "inline",
        "answer-line",
        "context-first",
        "q-a",
        "lower-inline",
        "lower-lines",
        "markdown-heading",
        "markdown-bold",
        "open-webui-tags",
        "no-label",
        "the-word",
        "empty",
    ],  # fmt: skip
)
def test_a_prompt_templates_question_is_the_question(sent: str, asked: str) -> None:
    question, history = chat_input(
        messages(
            ("user", "Question: How old is it?\nAnswer:"), ("assistant", "Old."), ("user", sent)
        ),
        max_turns=10,
    )
    assert question == asked
    assert history == [Turn(question="How old is it?", answer="Old.")]


def test_a_quote_without_the_kind_asked_for_says_so_before_its_sources() -> None:
    lacking = answered().model_copy(update={"asked_kind": "number", "holds_asked_kind": False})
    lines = message_content(lacking).split("\n")
    assert lines[0] == lacking.answer
    note = lines[2]
    assert note.startswith("Note: the quoted sentence gives no number, which the question asks")
    assert lines[4:6] == ["Sources:", f"- [1] {SOURCE_LINE}"]
    # the fields say it too; the answer alone carries no note
    assert grounding_fields(lacking)["holds_asked_kind"] is False
    assert grounding_fields(lacking)["asked_kind"] == "number"
    assert message_content(lacking, sources=False) == lacking.answer
    # sent back as an earlier turn, it is the answer as it was, without note or list
    assert without_sources(message_content(lacking)) == lacking.answer
    # an answer that holds the kind, or asks for none, gets no note
    for update in ({"asked_kind": "number", "holds_asked_kind": True}, {}):
        assert "Note:" not in message_content(answered().model_copy(update=update))


def test_the_answer_body_carries_every_grounding_field() -> None:
    """Every field `grounding_fields` gives a streamed answer's last chunk is in the plain
    answer's body too, with the same value (the body's model once dropped two of them)."""
    lacking = answered().model_copy(update={"asked_kind": "number", "holds_asked_kind": False})
    service = StandInService(lacking)
    with client_for(service, openai_compat.router) as client:
        r = client.post("/v1/chat/completions", json=CHAT)
    assert r.status_code == 200, r.text
    body = r.json()
    for key, value in grounding_fields(lacking).items():
        assert body[key] == value, key
    assert (body["asked_kind"], body["holds_asked_kind"]) == ("number", False)


def test_a_note_whose_sources_list_the_client_dropped_is_taken_off_too() -> None:
    lacking = answered().model_copy(update={"asked_kind": "number", "holds_asked_kind": False})
    content = message_content(lacking)
    note_only = content[: content.index("\n\nSources:")]
    assert note_only != lacking.answer and "Note:" in note_only
    assert without_sources(note_only) == lacking.answer
    assert without_sources(lacking.answer) == lacking.answer


@pytest.mark.parametrize("kind", ["number", None])
def test_a_reply_cut_anywhere_in_its_note_or_sources_list_is_sent_back_as_its_answer(
    kind: str | None,
) -> None:
    """`max_tokens` or `stop` may end a reply inside its note or its `Sources:` list
    ("Sources:" alone, "- [1]", "Note: the quoted"); sent back as an earlier turn, what is left
    of them is taken off, and the answer stays whole."""
    update = {"asked_kind": kind, "holds_asked_kind": False} if kind else {}
    said = answered().model_copy(update=update)
    content = message_content(said)
    answer_words = len(said.answer.split())
    assert len(content.split()) > answer_words + 3
    for max_words in range(answer_words, len(content.split()) + 1):
        cut, _ = OutputLimits(max_words=max_words).cut(content)
        assert without_sources(cut) == said.answer, cut
    for stop in ("Sources", "- [", "[1] ", "the quoted", "gives"):
        cut, _ = OutputLimits(stops=(stop,)).cut(content)
        if cut.startswith(said.answer):
            assert without_sources(cut) == said.answer, cut


def test_a_line_only_begun_like_the_note_or_a_list_not_ours_is_kept() -> None:
    answer = answered().answer
    for kept in ("\n\nNotes from the field", "\n\nNote: the mayor spoke\nlater", "\n\nSourcesX"):
        assert without_sources(answer + kept) == answer + kept
    for kept in ("\n\nSources:\n- my notes", "\n\nSources:\n- [a] notes"):
        assert without_sources(answer + kept) == answer + kept
