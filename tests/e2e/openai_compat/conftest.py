"""Shared by the OpenAI-compatible endpoint's end-to-end tests: the official `openai` client
pointed at the real uvicorn server (session `server`) with `base_url=.../v1` and a dummy key,
and the questions, written for these tests from the seed articles."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Server

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
    openai = pytest.importorskip("openai")
    return openai.OpenAI(
        base_url=f"{server.url}/v1", api_key="not-needed", max_retries=0, timeout=120
    )


def user(content: str) -> dict[str, str]:
    return {"role": "user", "content": content}
