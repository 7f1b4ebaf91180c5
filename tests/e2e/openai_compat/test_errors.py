"""Requests the OpenAI-compatible endpoint refuses, as OpenAI's clients read them: an OpenAI
error object naming what to fix, a 400 for bad input, a 404 for the base URL itself.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Server
from tests.e2e.openai_compat.conftest import FIRST, MODEL, user

openai = pytest.importorskip("openai")

pytestmark = pytest.mark.e2e


def test_the_base_url_itself_lists_the_endpoints_as_an_openai_error(server: Server) -> None:
    with server.client() as http:
        r = http.get("/v1")
    assert r.status_code == 404
    assert "POST /v1/chat/completions" in r.json()["error"]["message"], r.json()


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
