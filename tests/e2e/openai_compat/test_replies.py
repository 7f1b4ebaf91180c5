"""Non-streamed replies of the OpenAI-compatible endpoint over the seed articles, read with the
official `openai` client: the model list, an answer with its sources, a refusal, a follow-up,
a misspelt name, and the reply cut by `max_tokens` and `stop`.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.openai_compat.conftest import (
    FIRST,
    FOLLOW_UP,
    MODEL,
    TROOPS,
    UNANSWERABLE,
    ZELENSKYY_ARTICLES,
    user,
)

openai = pytest.importorskip("openai")

pytestmark = pytest.mark.e2e


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
    cited = response.model_extra["citations"][0]
    # where it stood, and the id that finds it again after its article changed
    assert f"paragraph {cited['index'] + 1} of {cited['doc_id']}, id {cited['paragraph_id']}" in (
        sources
    ), content

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
