"""The one input rule over the real server (session `server`: seeds, real models, uvicorn).

A lone surrogate or a question with nothing visible in it gets the same refusal on every
answering endpoint, streamed or not, before any answering starts (422, and OpenAI's 400 under
/v1); the connection it came on
stays open for the client's next request (a 500 used to close it under the client).
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

QUESTION = "What did Dmitry Peskov call the speculation about North Korean troops?"


def endpoints(text: str) -> list[tuple[str, dict[str, Any]]]:
    chat = {"model": "grounded-qa", "messages": [{"role": "user", "content": text}]}
    return [
        ("/ask", {"question": text}),
        ("/ask/stream", {"question": text}),
        ("/v1/chat/completions", chat),
        ("/v1/chat/completions", {**chat, "stream": True}),
    ]


def refused(path: str) -> int:
    """A refused request's status: 422, and OpenAI's 400 under /v1."""
    return 400 if path.startswith("/v1/") else 422


@pytest.fixture
def connection(server: Server) -> Iterator[http.client.HTTPConnection]:
    """One keep-alive connection, used for every request of a test."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=300)
    yield conn
    conn.close()


def exchange(
    conn: http.client.HTTPConnection, path: str, body: dict[str, Any]
) -> tuple[int, dict[str, str], bytes]:
    """POST `body` (JSON with \\u escapes, as a lone surrogate travels) on the open connection."""
    payload = json.dumps(body).encode("ascii")
    conn.request("POST", path, body=payload, headers={"content-type": "application/json"})
    response = conn.getresponse()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


@pytest.mark.parametrize("text", [f"{QUESTION}\ud800", "\udc00"], ids=["in-a-question", "alone"])
def test_a_lone_surrogate_is_a_422_everywhere_and_the_connection_stays_open(
    connection: http.client.HTTPConnection, text: str
) -> None:
    details = set()
    for path, body in endpoints(text):
        status, headers, raw = exchange(connection, path, body)
        socket = connection.sock
        assert status == refused(path), (path, raw[:300])
        assert headers["content-type"].startswith("application/problem+json")
        assert headers.get("connection", "").lower() != "close"
        detail = json.loads(raw)["detail"]
        details.add(detail.split(": ", 1)[1])  # without the field it names
        # the next request goes over the same, still open connection
        status, _, raw = exchange(connection, "/ask", {"question": QUESTION})
        assert status == 200, raw[:300]
        assert connection.sock is socket, f"the connection was dropped after {path}"
    assert len(details) == 1 and "unpaired surrogate (U+D" in details.pop()


@pytest.mark.parametrize("text", ["\u0000", "\u0007", "\u200b\ufeff", "\u0000\u0007 \t"])
def test_a_question_with_nothing_visible_is_a_422_everywhere(
    connection: http.client.HTTPConnection, text: str
) -> None:
    details = set()
    for path, body in endpoints(text):
        status, headers, raw = exchange(connection, path, body)
        assert status == refused(path), (path, raw[:300])
        assert headers["content-type"].startswith("application/problem+json")
        details.add(json.loads(raw)["detail"])
    assert len(details) == 1 and details.pop().startswith("question is empty")


def test_control_characters_are_removed_before_answering(
    connection: http.client.HTTPConnection,
) -> None:
    plain = json.loads(exchange(connection, "/ask", {"question": QUESTION})[2])
    noisy = f"\u0007{QUESTION[:20]}\u0000{QUESTION[20:]}\u200b"
    status, _, raw = exchange(connection, "/ask", {"question": noisy})
    assert status == 200
    answer = json.loads(raw)
    assert answer["question"] == QUESTION
    assert (answer["status"], answer["answer"]) == (plain["status"], plain["answer"])


def test_windows_1252_read_as_latin1_is_read_as_written_before_answering(
    connection: http.client.HTTPConnection,
) -> None:
    """A client that decoded Windows-1252 as Latin-1 sends its quotes as C1 controls: they are
    read as the quotes (they used to be removed), on the question as on an article."""
    meant = QUESTION.replace("the speculation", "the \u201cspeculation\u201d")
    sent = meant.encode("cp1252").decode("latin-1")
    assert "\x93" in sent
    status, _, raw = exchange(connection, "/ask", {"question": sent})
    assert status == 200, raw[:300]
    assert json.loads(raw)["question"] == meant
