"""`max_tokens` and `stop` of /v1/chat/completions cut the reply's text, as OpenAI documents:
an upper bound on the reply (`finish_reason: "length"` when reached) and sequences the reply
ends before. Made-up answers over a stand-in service; no models, no server."""

from __future__ import annotations

import json
from typing import Any

import pytest

from api.openai_response import MODEL_ID, answer_chunks
from api.routers import openai_compat
from qa.chat import OutputLimits, chat_reply, message_content
from tests.answers import StandInService, answered, client_for

pytestmark = pytest.mark.unit

ANSWER_TEXT = "It has guided boats since 1887 [1]."  # answered().answer


def post(extra: dict[str, Any]) -> tuple[StandInService, Any]:
    service = StandInService(answered())
    body = {"model": MODEL_ID, "messages": [{"role": "user", "content": "How old is it?"}]}
    with client_for(service, openai_compat.router) as client:
        r = client.post("/v1/chat/completions", json={**body, **extra})
    return service, r


def streamed(extra: dict[str, Any]) -> list[dict[str, Any]]:
    service = StandInService(answered())
    body = {
        "model": MODEL_ID,
        "messages": [{"role": "user", "content": "How old is it?"}],
        "stream": True,
        "stream_options": {"include_usage": True},
        **extra,
    }
    with (
        client_for(service, openai_compat.router) as client,
        client.stream("POST", "/v1/chat/completions", json=body) as r,
    ):
        assert r.status_code == 200, r.read()
        frames = [line[6:] for line in r.iter_lines() if line.startswith("data: ")]
    assert frames[-1] == "[DONE]"
    return [json.loads(f) for f in frames[:-1]]


# --- the cut itself ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limits", "expected"),
    [
        (OutputLimits(), (ANSWER_TEXT, "stop")),
        (OutputLimits(max_words=7), (ANSWER_TEXT, "stop")),  # exactly its 7 words
        (OutputLimits(max_words=3), ("It has guided", "length")),
        (OutputLimits(max_words=1), ("It", "length")),
        (OutputLimits(stops=("1887",)), ("It has guided boats since ", "stop")),
        # the earliest of the sequences, wherever it stands in the list
        (OutputLimits(stops=("[1]", "boats")), ("It has guided ", "stop")),
        (OutputLimits(stops=("absent",)), (ANSWER_TEXT, "stop")),
        # a stop before the word limit: it is the stop that ended the reply
        (OutputLimits(max_words=5, stops=("guided",)), ("It has ", "stop")),
        (OutputLimits(max_words=2, stops=("since",)), ("It has", "length")),
    ],
)
def test_limits_cut_the_text_and_say_why(limits: OutputLimits, expected: tuple[str, str]) -> None:
    assert limits.cut(ANSWER_TEXT) == expected


def test_both_token_fields_the_smaller_bounds_and_empty_stops_stop_nothing() -> None:
    limits = OutputLimits.of(max_tokens=9, max_completion_tokens=4, stop=["", "\n"])
    assert limits == OutputLimits(max_words=4, stops=("\n",))
    assert OutputLimits.of(max_tokens=None, max_completion_tokens=None, stop=None) == (
        OutputLimits()
    )


def test_streamed_chunks_join_to_the_cut_text_and_end_with_length() -> None:
    reply = chat_reply(answered(), limits=OutputLimits(max_words=2))
    chunks = answer_chunks(answered(), reply, completion_id="c", created=1)
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks) == "It has"
    assert chunks[-1]["choices"][0]["finish_reason"] == "length"
    assert chunks[-1]["status"] == "answered"  # the grounding is the whole answer's


# --- over the route ----------------------------------------------------------------------------


def test_max_tokens_bounds_the_content_and_the_usage() -> None:
    _, r = post({"max_tokens": 4})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["choices"][0]["message"]["content"] == "It has guided boats"
    assert body["choices"][0]["finish_reason"] == "length"
    assert body["usage"]["completion_tokens"] == 4
    assert body["citations"][0]["marker"] == 1  # the grounding is still the whole answer's


def test_max_completion_tokens_too() -> None:
    _, r = post({"max_completion_tokens": 2, "sources_in_text": False})
    assert r.json()["choices"][0]["message"]["content"] == "It has"
    assert r.json()["choices"][0]["finish_reason"] == "length"


def test_a_limit_the_reply_fits_changes_nothing() -> None:
    _, r = post({"max_tokens": 500})
    assert r.json()["choices"][0]["message"]["content"] == message_content(answered())
    assert r.json()["choices"][0]["finish_reason"] == "stop"


def test_stop_ends_the_reply_before_the_sequence() -> None:
    # "\n" is what completion-style prompts send: the answer without its Sources list
    _, r = post({"stop": "\n"})
    assert r.json()["choices"][0]["message"]["content"] == ANSWER_TEXT
    assert r.json()["choices"][0]["finish_reason"] == "stop"
    _, r = post({"stop": ["since", "never"], "sources_in_text": False})
    assert r.json()["choices"][0]["message"]["content"] == "It has guided boats "
    assert r.json()["usage"]["completion_tokens"] == 4


def test_streamed_reply_is_cut_the_same_way() -> None:
    chunks = streamed({"max_tokens": 3})
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text == "It has guided"
    assert chunks[-2]["choices"][0]["finish_reason"] == "length"
    assert chunks[-1]["usage"]["completion_tokens"] == 3
    chunks = streamed({"stop": ["boats"]})
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text == "It has guided "
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"


@pytest.mark.parametrize("stop", [5, ["a", 1], {"seq": "a"}], ids=["number", "mixed", "object"])
def test_a_stop_that_is_no_string_is_a_400_naming_stop(stop: Any) -> None:
    service, r = post({"stop": stop})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["param"] == "stop"
    assert "a string or a list of strings" in r.json()["error"]["message"]
    assert service.asked == []


def test_more_stop_sequences_than_openais_four_are_honoured_too() -> None:
    # as vLLM's and llama.cpp's servers take them: a chat template's end markers, then ours
    stops = ["<|im_end|>", "<|eot_id|>", "</s>", "<end_of_turn>", "[1]"]
    _, r = post({"stop": stops, "sources_in_text": False})
    assert r.status_code == 200, r.text
    assert r.json()["choices"][0]["message"]["content"] == "It has guided boats since 1887 "
