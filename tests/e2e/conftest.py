"""End-to-end fixtures: a real index built from the seeds, a real uvicorn server over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.scripted_generator import ScriptedGenerator
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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
    port = free_port()
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


@dataclass
class BuiltCorpus:
    """A folder built into an index by the real script, and a server answering from it."""

    build_output: str  # what rebuild_index.py printed (its skip warnings, its summary)
    server: Server


@contextmanager
def corpus_server(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    fill: Callable[[Path], None],
    **env: str,
) -> Iterator[BuiltCorpus]:
    """A corpus folder that `fill` writes, built with scripts/rebuild_index.py, served by a real
    server (no language model: the best-scoring sentence answers; questions embedded with torch,
    as this data dir has no ONNX export: a quicker start) with `env` on top; stopped after."""
    corpus = tmp_path_factory.mktemp(f"{name}-corpus")
    fill(corpus)
    data_dir = tmp_path_factory.mktemp(f"{name}-data")
    built = build_index(corpus, data_dir, capture=True)
    server = start_server(
        data_dir,
        tmp_path_factory.mktemp(f"{name}-logs") / "server.log",
        **{"QA_GENERATION__BACKEND": "none", "QA_INDEX__QUERY_BACKEND": "torch", **env},
    )
    try:
        yield BuiltCorpus(built.stdout + built.stderr, server)
    finally:
        stop_server(server)


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


# --- the browser: Debian's Chromium driven by Playwright ------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the chat page tests need Debian's chromium "
            "(install it with `apt-get install -y chromium`)",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        pytest.fail("playwright is not installed: pip install -e '.[dev]'", pytrace=False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageProbe:
    """A page plus what it did that it should not have: dialogs and script errors."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: (
                self.errors.append(f"{msg.text} ({msg.location.get('url')})")
                if msg.type == "error"
                else None
            ),
        )

    def script_errors(self) -> list[str]:
        """The errors, less Chromium's note on each refused request (a 401 or 422 a test
        asked for)."""
        return [e for e in self.errors if "Failed to load resource" not in e]

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


# --- a server for the page's documents panel and chat controls ----------------------------------

PAGE_ADMIN_KEY = "page-admin-key-0123456789abcdef"
# this tab's saved conversation ({version, turns, scope, saved}; null before anything is saved):
# kept in localStorage under the tab's id, which sessionStorage holds (conversation-store.js)
SAVED_CONVERSATION = (
    "JSON.parse(localStorage.getItem('groundedQa.conversation.' + "
    "sessionStorage.getItem('groundedQa.tabConversation')))"
)


def show_saved_conversation(page: Any, saved: dict[str, Any]) -> None:
    """Open the page on `saved` as this tab's saved conversation, everything else cleared."""
    page.goto("/")
    page.evaluate(
        "(v) => { localStorage.clear(); localStorage.setItem('groundedQa.conversation.' + "
        "sessionStorage.getItem('groundedQa.tabConversation'), v); }",
        json.dumps(saved),
    )
    page.reload()


# Made-up articles: one without a date, one without an outlet line, so the panel has to say so.
PAGE_CORPUS = {
    "harbour": """Skarra harbour reopens after a week of storms

Source: Coast Times
Published: 2031-10-21

The harbour of Skarra reopened on Monday after a week of storms had closed it to all ships.

Harbour master Ingrid Talvik said 40 fishing boats left port within the first hour.
""",
    "tram": """Oakhaven opens its first tram line

Published: 2031-03-04

The city of Oakhaven opened its first tram line on Sunday, a 9.5 kilometre route with 14 stops
between the central station and the university.

Transport director Priya Lindqvist said 22,000 passengers rode the trams on the first day.
""",
    "chess": """Teenager wins national chess title

Source: Brenna Courier

Sixteen-year-old Mira Castellano won the national chess championship on Saturday, becoming the
youngest champion in the event's 70-year history.
""",
}


@dataclass
class PageServer:
    server: Server
    generator: ScriptedGenerator
    corpus: Path


@pytest.fixture(scope="session")
def page_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PageServer]:
    """Our server over made-up articles, with an admin key, in generate mode (scripted model)."""
    corpus = tmp_path_factory.mktemp("page-corpus")
    for doc_id, raw in PAGE_CORPUS.items():
        (corpus / f"{doc_id}.txt").write_text(raw, encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("page-data")
    build_index(corpus, data_dir)
    generator = ScriptedGenerator().start()
    running = start_server(
        data_dir,
        tmp_path_factory.mktemp("page-logs") / "server.log",
        QA_GENERATION__BACKEND="openai",
        QA_GENERATION__BASE_URL=generator.base_url,
        QA_SECURITY__ADMIN_API_KEY=PAGE_ADMIN_KEY,
    )
    yield PageServer(running, generator, corpus)
    stop_server(running)
    generator.stop()


@pytest.fixture
def page_probe(browser: Any, page_server: PageServer) -> Iterator[PageProbe]:
    """A fresh browser tab (nothing stored yet) on the page server, at desktop size."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=page_server.server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield PageProbe(page)
    context.close()


def api_answer(server: Server, request: dict[str, Any]) -> dict[str, Any]:
    """What POST /ask answers to the request body the page sent /ask/stream."""
    with server.client(timeout=300) as client:
        response = client.post("/ask", json=request)
    assert response.status_code == 200, response.text
    return dict(response.json())


def log_records(server: Server) -> list[dict[str, Any]]:
    """The server's JSON log lines so far."""
    records = []
    for line in server.log.read_text("utf-8", errors="replace").splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    return records


def sideways_overflow(page: Any) -> float:
    """How far the page scrolls sideways, in CSS pixels (0 or less: it does not)."""
    return float(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


@pytest.fixture
def probe(browser: Any, server: Server) -> Iterator[PageProbe]:
    """A fresh desktop-sized page on the seeds server (a test file may define its own)."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield PageProbe(page)
    context.close()
