"""End-to-end fixtures: a real index built from the seeds, a real uvicorn server over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_index(
    corpus: Path, data_dir: Path, *, capture: bool = False
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rebuild_index.py"), str(corpus),
         "--data-dir", str(data_dir)],
        check=True, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"},
        capture_output=capture, text=True,
    )  # fmt: skip


class Server:
    def __init__(self, url: str, process: subprocess.Popen[bytes], log: Path) -> None:
        self.url = url
        self.process = process
        self.log = log

    def client(self, timeout: float = 120) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)


def start_server(data_dir: Path, log: Path, **env: str) -> Server:
    port = _free_port()
    environ = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "QA_DATA_DIR": str(data_dir),
        "QA_SERVER__PORT": str(port),
        # the assembled GGUF is shared between test runs rather than re-assembled per data dir
        "QA_GENERATION__GGUF_PATH": os.environ.get("QA_GENERATION__GGUF_PATH", "")
        or "bundled:gemma-3-270m",
        # the machine is shared: a slow answer is not a failure here (tests of the limit set
        # their own)
        "QA_SERVER__REQUEST_TIMEOUT_S": "300",
        **env,
    }
    handle = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "api.main"], cwd=ROOT, env=environ, stdout=handle, stderr=handle
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # a busy shared machine can take minutes
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()}")
        try:
            # /readyz is open even when a read API key guards /documents
            if is_up(httpx.get(f"{url}/readyz", timeout=2)):
                return Server(url, process, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"server did not become ready:\n{log.read_text()}")


def is_up(readyz: httpx.Response) -> bool:
    """Answering: ready, or degraded (serving an older index version than `current`)."""
    if readyz.status_code == 200:
        return True
    is_json = readyz.headers.get("content-type", "") == "application/json"
    return readyz.status_code == 503 and is_json and readyz.json().get("status") == "degraded"


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def seeds_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("seeds-data")
    build_index(ROOT / "seeds", data_dir)
    return data_dir


@pytest.fixture(scope="session")
def server(seeds_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(seeds_data_dir, tmp_path_factory.mktemp("logs") / "server.log")
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def test_output_dir() -> Path:
    folder = ROOT / "test-output"
    folder.mkdir(exist_ok=True)
    return folder
