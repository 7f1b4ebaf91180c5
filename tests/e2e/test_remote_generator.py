"""Generate mode with the model on another process: a real `llama_cpp.server` on loopback serving
the bundled Gemma GGUF, and our server started with `QA_GENERATION__BACKEND=openai` pointed at it.

Also: an unreachable generator gives a quick 503 with problem details, not a hang.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from index.generation import resolve_gguf
from index.remote_generation import OpenAICompatibleGenerator
from qa.errors import GeneratorUnavailable
from qa.settings import GenerationSettings
from tests.e2e.conftest import Server, start_server, stop_server
from tests.ports import free_port

pytestmark = pytest.mark.e2e

# answerable from the seeds: asked through our server, the answer written by the remote model
QUESTIONS = [
    "How many special forces troops did North Korea send to Russia for training?",
    "In what year did Kim Jong-un last oversee nuclear testing?",
]
ANSWERABLE = QUESTIONS[0]


def _gguf(models_dir: Path) -> Path:
    spec = os.environ.get("QA_GENERATION__GGUF_PATH", "") or "bundled:gemma-3-270m"
    return resolve_gguf(spec, models_dir)


@pytest.fixture(scope="module")
def llama_server(
    seeds_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """`python -m llama_cpp.server` on a free loopback port: (base URL ending in /v1, its log)."""
    folder = tmp_path_factory.mktemp("llama-server")
    gguf = _gguf(seeds_data_dir / "models")  # assembled there once, like the other e2e servers
    port = free_port()
    log = folder / "llama-server.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf),
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
             "--n_threads", "2", "--verbose", "False"],
            cwd=folder, stdout=handle, stderr=handle,
        )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited:\n{log.read_text()}")
            try:
                if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server not ready:\n{log.read_text()}")
            time.sleep(0.5)
        yield base_url, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def remote_server(
    seeds_data_dir: Path,
    llama_server: tuple[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    base_url, _ = llama_server
    running = start_server(
        seeds_data_dir,
        tmp_path_factory.mktemp("remote-logs") / "server.log",
        QA_GENERATION__BACKEND="openai",
        QA_GENERATION__BASE_URL=base_url,
        # a busy two-core test machine can take tens of seconds for one prompt
        QA_GENERATION__TIMEOUT_S="150",
        QA_SERVER__REQUEST_TIMEOUT_S="180",
    )
    yield running
    stop_server(running)


def _completion_requests(log: Path) -> int:
    return len(re.findall(r"POST /v1/completions", log.read_text(errors="replace")))


def _paragraph_texts(client: httpx.Client, doc_id: str) -> list[str]:
    r = client.get(f"/documents/{doc_id}")
    assert r.status_code == 200, r.text
    return [p["text"] for p in r.json()["paragraphs"]]


@pytest.mark.parametrize("question", QUESTIONS)
def test_generate_mode_with_the_remote_model_passes_only_checked_claims(
    remote_server: Server, llama_server: tuple[str, Path], question: str
) -> None:
    """Generate mode over a real llama.cpp server with the bundled 270M base model: whatever it
    writes, what comes back is claims each supported by the paragraph it cites, or, with its
    unsupported claims listed as removed and never passed on, the article's sentence quoted
    instead (`quoted_instead`), or `insufficient_evidence`."""
    _, log = llama_server
    before = _completion_requests(log)
    with remote_server.client(timeout=240) as client:
        r = client.post("/ask", json={"question": question})
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        assert "write_ms" in body["timings_ms"]  # the model wrote …
        assert body["status"] in ("answered", "insufficient_evidence"), body
        if not body.get("quoted_instead"):  # a quote may hold words the model copied
            for removed in body["removed_claims"]:
                assert removed not in body["answer"]
        if body["status"] == "insufficient_evidence":
            assert body["citations"] == []
            assert body["reason"], body
        else:
            assert body["citations"], body
            for citation in body["citations"]:
                assert citation["verified"] is True
                assert citation["support_score"] >= 0.75
                assert citation["text"] in _paragraph_texts(client, citation["doc_id"])
                assert f"[{citation['marker']}]" in body["answer"]
            # every claim carries a marker: the answer ends with one
            assert re.search(r"\[\d+\]$", body["answer"]), body["answer"]
    assert _completion_requests(log) > before  # … on the remote server


def test_remote_generator_streams_and_chats_against_llama_cpp_server(
    llama_server: tuple[str, Path],
) -> None:
    base_url, _ = llama_server
    settings = GenerationSettings(backend="openai", base_url=base_url, max_tokens=8)
    gen = OpenAICompatibleGenerator(settings)
    try:
        assert gen.warm_up() is True
        pieces = list(gen.stream("The capital of France is", max_tokens=6, stop=["\n"]))
        assert pieces and all(isinstance(p, str) for p in pieces)
        assert "".join(pieces) == gen.complete(
            "The capital of France is", max_tokens=6, stop=["\n"]
        )
        reply = gen.chat([{"role": "user", "content": "Say hello."}], max_tokens=6, stop=[])
        assert isinstance(reply, str)
    finally:
        gen.close()


def test_unreachable_generator_gives_a_quick_503(
    seeds_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    closed = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    running = start_server(
        seeds_data_dir,
        tmp_path_factory.mktemp("unreachable-logs") / "server.log",
        QA_GENERATION__BACKEND="openai",
        QA_GENERATION__BASE_URL=closed,
    )
    try:
        with running.client(timeout=30) as client:
            started = time.monotonic()
            r = client.post("/ask", json={"question": ANSWERABLE})
            elapsed = time.monotonic() - started
            assert r.status_code == 503, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
            problem = r.json()
            assert problem["status"] == 503
            assert problem["title"] == "Language model unavailable"
            assert closed in problem["detail"]
            assert elapsed < 10
            # questions that never reach the model still work while it is down
            assert client.get("/documents").status_code == 200
    finally:
        stop_server(running)
    assert "not reachable yet" in running.log.read_text(errors="replace")


def test_unreachable_generator_error_is_the_unavailable_kind() -> None:
    settings = GenerationSettings(backend="openai", base_url=f"http://127.0.0.1:{free_port()}/v1")
    with pytest.raises(GeneratorUnavailable):
        OpenAICompatibleGenerator(settings).complete("x", max_tokens=1, stop=[])
