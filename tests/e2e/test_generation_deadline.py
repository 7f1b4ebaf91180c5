"""Generate mode with the bundled Gemma in process (llama.cpp), and a time limit the model
cannot write within: the model is stopped before the limit and the article's sentence the
selector chose is quoted instead, with `quoted_instead` saying why, rather than a 503 once the
time is up (`generation.stop_before_limit_s`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Server, start_server, stop_server

pytestmark = pytest.mark.e2e

QUESTION = "How many special forces troops did North Korea send to Russia for training?"


@pytest.fixture(scope="module")
def hurried(seeds_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # 60 s to answer, and the model told to stop 59.9 s before: at its first token, whatever
    # the machine's speed (retrieval and the selector alone take longer than 0.1 s)
    running = start_server(
        seeds_data_dir,
        tmp_path_factory.mktemp("deadline-logs") / "server.log",
        QA_GENERATION__BACKEND="llama_cpp",
        QA_SERVER__REQUEST_TIMEOUT_S="60",
        QA_GENERATION__STOP_BEFORE_LIMIT_S="59.9",
    )
    yield running
    stop_server(running)


def test_a_model_out_of_time_gives_way_to_the_quoted_sentence(hurried: Server) -> None:
    with hurried.client() as client:
        r = client.post("/ask", json={"question": QUESTION})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "answered", body
    assert "1,500" in body["answer"], body["answer"]
    assert all(c["quoted"] and c["verified"] for c in body["citations"]), body["citations"]
    assert "had not finished" in (body["quoted_instead"] or ""), body["quoted_instead"]
    assert "write_ms" in body["timings_ms"]
