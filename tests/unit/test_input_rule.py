"""One input rule on every endpoint: the same bad text gets the same 4xx and message everywhere,
and the service only ever sees normalised text (the real app over a stand-in service)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from qa.settings import SecuritySettings, Settings
from tests.answers import StandInService, insufficient
from tests.clients import LocalClient

pytestmark = pytest.mark.unit

ADMIN_KEY = "unit-input-rule-admin-key"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


@pytest.fixture
def service() -> StandInService:
    settings = Settings(security=SecuritySettings(admin_api_key=ADMIN_KEY))  # type: ignore[arg-type]
    return StandInService(insufficient(), settings=settings)


@pytest.fixture
def client(service: StandInService) -> TestClient:
    app = create_app(service.settings)
    app.state.service = service
    app.state.reloader = object()  # the document routes ask for one; bad input never uses it
    return LocalClient(app, raise_server_exceptions=False)


def post(client: TestClient, path: str, body: dict[str, Any]) -> Any:
    """POST `body` as JSON with \\u escapes, so a lone surrogate travels as it would on the wire."""
    headers = {"content-type": "application/json", **ADMIN}
    return client.post(path, content=json.dumps(body).encode("ascii"), headers=headers)


def asking(text: str) -> list[tuple[str, dict[str, Any]]]:
    """The same question sent to every answering endpoint, streamed and not."""
    chat = {"messages": [{"role": "user", "content": text}]}
    parts = {"messages": [{"role": "user", "content": [{"type": "text", "text": text}]}]}
    return [
        ("/ask", {"question": text}),
        ("/ask/stream", {"question": text}),
        ("/v1/chat/completions", chat),
        ("/v1/chat/completions", {**chat, "stream": True}),
        ("/v1/chat/completions", parts),
    ]


def refused(path: str) -> int:
    """A refused request's status: 422, and OpenAI's 400 under /v1."""
    return 400 if path.startswith("/v1/") else 422


def problem_text(detail: str) -> str:
    """The detail without the field it names (`question: ...`, `messages.0.content: ...`)."""
    return detail.split(": ", 1)[1] if detail.split(": ", 1)[0].count(" ") == 0 else detail


@pytest.mark.parametrize("text", ["Who won?\ud800", "\udfff"], ids=["trailing", "alone"])
def test_a_lone_surrogate_is_the_same_422_on_every_endpoint(
    client: TestClient, service: StandInService, text: str
) -> None:
    problems = set()
    for path, body in [*asking(text), ("/documents", {"text": text})]:
        r = post(client, path, body)
        assert r.status_code == refused(path), (path, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "unpaired surrogate" in r.json()["detail"], (path, r.json())
        problems.add(problem_text(r.json()["detail"]))
    assert len(problems) == 1, problems  # one message, naming the field it was found in
    assert service.asked == []


@pytest.mark.parametrize("text", ["\u0000", "\u0007\u0007", "\u200b\ufeff", " \t\r\n "])
def test_a_question_with_nothing_visible_is_the_same_422_everywhere(
    client: TestClient, service: StandInService, text: str
) -> None:
    details = set()
    for path, body in asking(text):
        r = post(client, path, body)
        assert r.status_code == refused(path), (path, r.text)
        details.add(r.json()["detail"])
    assert details == {
        "question is empty: send a question with at least one visible character (control "
        "characters and invisible ones are removed)"
    }
    assert service.asked == []


@pytest.mark.parametrize("text", ["\u0000", "\u0000\u0000\u0000", "\u0007", "\u200b\ufeff\r"])
def test_an_article_with_nothing_visible_is_a_422(client: TestClient, text: str) -> None:
    r = post(client, "/documents", {"text": text, "title": "Nothing to read"})
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("text is empty: send the article's text")


def test_every_endpoint_hands_the_service_normalised_text(
    client: TestClient, service: StandInService
) -> None:
    raw = "Who\x00 ran the cafe\u0301\u200b?\r\n"
    history = [{"question": "Earlier\x07 question?", "answer": "An\x1b answer."}]
    for path, body in asking(raw):
        if path.startswith("/ask"):
            body = {**body, "history": history}
        assert post(client, path, body).status_code == 200, path
    assert {question for question, _ in service.asked} == {"Who ran the café?\n"}
    turns = [turns for _, turns in service.asked if turns]
    assert turns and all(
        (t.question, t.answer) == ("Earlier question?", "An answer.") for ts in turns for t in ts
    )


def test_an_earlier_question_with_nothing_visible_is_refused(client: TestClient) -> None:
    body = {"question": "And then?", "history": [{"question": "\u0000", "answer": "x"}]}
    r = post(client, "/ask", body)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("history.0.question is empty")
