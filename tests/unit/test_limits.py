"""The answering queue and the request limits: one answer at a time, a bounded wait, 4xx early.

The queue runs a real single worker thread; the service it calls is a gated stand-in whose
answers are released by the test, so what is running and what is waiting is known exactly.
"""

from __future__ import annotations

import asyncio
import importlib.util
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.queue import GenerationQueue
from qa.answering import ProgressCallback, no_progress
from qa.errors import ClientGone, Overloaded, TimedOut
from qa.models import Answer, Turn
from qa.settings import SecuritySettings, ServerSettings, Settings
from tests.answers import StandInService, insufficient
from tests.clients import LocalClient

pytestmark = pytest.mark.unit


@dataclass
class GatedService:
    """`ask` blocks until the test opens the gate; records what ran and how many at once."""

    settings: Settings = field(default_factory=Settings)
    gate: threading.Event = field(default_factory=threading.Event)
    started: list[str] = field(default_factory=list)
    running: int = 0
    most_at_once: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        on_progress: ProgressCallback = no_progress,
        should_stop: object = None,
        time_left: object = None,
    ) -> Answer:
        on_progress("searching", {"query": question})
        with self._lock:
            self.started.append(question)
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            assert self.gate.wait(timeout=10), "the test never opened the gate"
            return insufficient().model_copy(update={"question": question})
        finally:
            with self._lock:
                self.running -= 1


def wait_until(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


@pytest.fixture
def queue() -> Iterator[GenerationQueue]:
    q = GenerationQueue(max_waiting=1, timeout_s=5.0)
    yield q
    q.shutdown()


# --- the queue on its own ----------------------------------------------------------------------


def test_answers_run_one_at_a_time_in_arrival_order(queue: GenerationQueue) -> None:
    service = GatedService()

    async def scenario() -> list[Answer]:
        first = asyncio.ensure_future(queue.run(service.ask, "first"))
        second = asyncio.ensure_future(queue.run(service.ask, "second"))
        await asyncio.sleep(0.05)
        assert service.started == ["first"]  # the second waits for the worker
        assert queue.depth == 2
        service.gate.set()
        return list(await asyncio.gather(first, second))

    answers = asyncio.run(scenario())
    assert [a.question for a in answers] == ["first", "second"]
    assert service.most_at_once == 1
    assert queue.depth == 0


def test_a_full_queue_refuses_at_once_with_a_retry_hint(queue: GenerationQueue) -> None:
    service = GatedService()

    async def scenario() -> None:
        running = asyncio.ensure_future(queue.run(service.ask, "running"))
        waiting = asyncio.ensure_future(queue.run(service.ask, "waiting"))
        await asyncio.sleep(0.05)
        with pytest.raises(Overloaded) as refused:
            queue.submit(service.ask, "one too many")
        assert refused.value.retry_after_s >= 1
        assert "server.generation_queue_size" in str(refused.value)
        service.gate.set()
        await asyncio.gather(running, waiting)

    asyncio.run(scenario())
    assert "one too many" not in service.started
    assert queue.depth == 0


def test_with_no_waiting_room_the_refusal_counts_one_question() -> None:
    queue = GenerationQueue(max_waiting=0, timeout_s=5.0)
    service = GatedService()

    async def scenario() -> None:
        running = asyncio.ensure_future(queue.run(service.ask, "running"))
        await asyncio.sleep(0.05)
        with pytest.raises(Overloaded, match="^1 question is already being answered "):
            queue.submit(service.ask, "one too many")
        service.gate.set()
        await running

    asyncio.run(scenario())
    queue.shutdown()


def test_a_waiting_question_past_the_time_limit_times_out_and_never_runs() -> None:
    queue = GenerationQueue(max_waiting=1, timeout_s=0.2)
    service = GatedService()

    async def scenario() -> None:
        running = asyncio.ensure_future(queue.run(service.ask, "slow"))
        await asyncio.sleep(0.05)
        with pytest.raises(TimedOut) as late:
            await queue.run(service.ask, "late")
        assert late.value.retry_after_s >= 1
        assert queue.depth == 1  # the late job left the queue; the slow one still runs
        service.gate.set()
        # the slow one timed out as well (its caller gave up) but the worker finishes it
        with pytest.raises(TimedOut):
            await running

    try:
        asyncio.run(scenario())
        wait_until(lambda: queue.depth == 0)
        assert service.started == ["slow"]
    finally:
        queue.shutdown()


def test_a_question_with_none_ahead_is_let_in_however_slow_the_last_answers_were() -> None:
    """Refusing it would keep the average (updated by answers that finish) high for good: with
    a slow model every later question was refused until a restart."""
    queue = GenerationQueue(max_waiting=5, timeout_s=0.4)

    async def scenario() -> None:
        await queue.submit(time.sleep, 0.35).result()  # 0.35 s, past 3/4 of the limit
        assert await queue.submit(lambda: "answered").result() == "answered"

    try:
        asyncio.run(scenario())
    finally:
        queue.shutdown()


def test_a_question_that_would_wait_past_the_time_limit_is_refused_up_front() -> None:
    queue = GenerationQueue(max_waiting=5, timeout_s=0.7)
    service = GatedService()

    async def scenario() -> None:
        service.gate.set()
        # measured: each answer takes about 0.2 s
        await queue.run(lambda q: (time.sleep(0.2), service.ask(q))[1], "timed")
        service.gate.clear()
        running = asyncio.ensure_future(queue.run(service.ask, "running"))
        waiting = asyncio.ensure_future(queue.run(service.ask, "waiting"))
        await asyncio.sleep(0.05)
        # two ahead and itself at ~0.2 s each is past 3/4 of 0.7 s: refused now, not a 503 later
        with pytest.raises(Overloaded, match="server.request_timeout_s") as refused:
            queue.submit(service.ask, "third")
        # a wait under 10 s in tenths: "about 1 s, past the time limit of 1 s" said nothing
        wording = r"about 0\.\d s, more than 75% of the time limit of 0.7 s"
        assert re.search(wording, str(refused.value)), refused.value
        service.gate.set()
        await asyncio.gather(running, waiting)

    try:
        asyncio.run(scenario())
        assert "third" not in service.started
    finally:
        queue.shutdown()


def test_one_slow_answer_does_not_hold_back_the_questions_after_it() -> None:
    """The time per answer is the median of the last answers': one question slowed by its own
    paragraph (a huge pasted article) must not get the ordinary questions after it refused. A
    running average weighing slower answers more refused them for forty answers after one."""
    queue = GenerationQueue(max_waiting=5, timeout_s=1.0)
    service = GatedService()

    async def scenario() -> None:
        service.gate.set()
        for _ in range(2):
            await queue.run(lambda q: (time.sleep(0.05), service.ask(q))[1], "quick")
        await queue.run(lambda q: (time.sleep(0.9), service.ask(q))[1], "outlier")
        service.gate.clear()
        running = asyncio.ensure_future(queue.run(service.ask, "running"))
        await asyncio.sleep(0.05)
        # one ahead and itself at ~0.05 s each: let in (the average, ~0.5 s, refused it)
        waiting = asyncio.ensure_future(queue.run(service.ask, "waiting"))
        await asyncio.sleep(0.05)
        assert queue.depth == 2
        assert queue.retry_after_s() == 1
        service.gate.set()
        await asyncio.gather(running, waiting)

    try:
        asyncio.run(scenario())
        assert "waiting" in service.started
    finally:
        queue.shutdown()


def test_answers_stopped_at_the_time_limit_still_teach_the_queue_to_refuse_early() -> None:
    """Every answer runs past the limit and is stopped part-way, so none finishes to be timed:
    the time each ran before it stopped is a lower bound, and it is enough to refuse a question
    that would wait behind another (429 now) rather than let it in to time out (503 later)."""
    from api.queue import Cancellation, stoppable

    queue = GenerationQueue(max_waiting=5, timeout_s=0.3)

    def slow_ask(
        question: str,
        history: object,
        on_progress: ProgressCallback,
        should_stop: object,
        time_left: object = None,
    ) -> Answer:
        for _ in range(40):  # 2 s in stages of 50 ms, each a point where it can be stopped
            on_progress("searching", {"query": question})
            time.sleep(0.05)
        return insufficient()

    async def ask(question: str) -> None:
        stop = Cancellation()
        await queue.run(stoppable(slow_ask, stop), question, [], stop=stop)

    async def scenario() -> None:
        with pytest.raises(TimedOut):
            await ask("first")
        wait_until(lambda: queue.depth == 0)  # stopped at its next stage, and timed
        running = asyncio.ensure_future(ask("second"))
        await asyncio.sleep(0.05)
        with pytest.raises(Overloaded, match="server.request_timeout_s"):
            queue.submit(lambda: "third")
        with pytest.raises(TimedOut):
            await running

    try:
        asyncio.run(scenario())
    finally:
        queue.shutdown()


def test_a_question_past_its_time_limit_stops_the_model_writing_at_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The time limit stops a model in the middle of writing (it asks `should_stop` between
    tokens), so the worker is free for the next question, and the log says why it stopped."""
    from api.queue import Cancellation, stoppable

    queue = GenerationQueue(max_waiting=5, timeout_s=0.3)
    tokens: list[int] = []

    def writing_ask(
        question: str,
        history: object,
        on_progress: ProgressCallback,
        should_stop: Callable[[], bool],
        time_left: object = None,
    ) -> Answer:
        on_progress("writing", {"passages": 1})
        for token in range(400):  # 4 s of writing, 10 ms a token, unless stopped
            if should_stop():
                break
            tokens.append(token)
            time.sleep(0.01)
        on_progress("checking", {})
        return insufficient()

    async def scenario() -> None:
        stop = Cancellation()
        with pytest.raises(TimedOut):
            await queue.run(stoppable(writing_ask, stop), "slow", [], stop=stop)
        started = time.monotonic()
        wait_until(lambda: queue.depth == 0, timeout=2)
        assert time.monotonic() - started < 1.0  # not the 3.7 s left of the writing
        assert await queue.run(lambda: "next") == "next"

    caplog.set_level("INFO", logger="api.queue")
    try:
        asyncio.run(scenario())
    finally:
        queue.shutdown()
    assert len(tokens) < 200, len(tokens)  # about 0.3 s of tokens, then stopped, not 4 s
    said = {r.getMessage() for r in caplog.records if r.getMessage().startswith("stopped")}
    # (another test's job may stop in this one's log too, for its own reason)
    assert "stopped answering: the time limit passed" in said, said


def test_a_caller_that_goes_away_frees_its_waiting_slot(queue: GenerationQueue) -> None:
    service = GatedService()

    async def scenario() -> None:
        running = asyncio.ensure_future(queue.run(service.ask, "running"))
        waiting = asyncio.ensure_future(queue.run(service.ask, "abandoned"))
        await asyncio.sleep(0.05)
        assert queue.depth == 2
        waiting.cancel()  # what sse-starlette does when the client disconnects
        await asyncio.sleep(0.05)
        assert queue.depth == 1
        # so a new question fits again
        replacement = asyncio.ensure_future(queue.run(service.ask, "replacement"))
        service.gate.set()
        await asyncio.gather(running, replacement)

    asyncio.run(scenario())
    assert service.started == ["running", "replacement"]
    assert queue.depth == 0


def test_an_error_in_the_service_reaches_the_caller_and_frees_the_slot(
    queue: GenerationQueue,
) -> None:
    def broken(question: str) -> Answer:
        raise ValueError(f"cannot answer {question}")

    with pytest.raises(ValueError, match="cannot answer x"):
        asyncio.run(queue.run(broken, "x"))
    wait_until(lambda: queue.depth == 0)


# --- over HTTP ---------------------------------------------------------------------------------


def app_client(service: object, **server: object) -> TestClient:
    """The real app (middleware, routers, error handlers) over a stand-in service."""
    settings = Settings(server=ServerSettings(**server))  # type: ignore[arg-type]
    app = create_app(settings)
    app.state.service = service
    return LocalClient(app, raise_server_exceptions=False)


def post_in_thread(client: TestClient, results: list[httpx.Response], **kwargs: object) -> None:
    results.append(client.post(**kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize("path", ["/ask", "/ask/stream", "/v1/chat/completions"])
def test_beyond_capacity_a_request_gets_429_with_retry_after(path: str) -> None:
    service = GatedService()
    client = app_client(service, generation_queue_size=0)
    service.settings = client.app.state.settings  # type: ignore[attr-defined]
    body: dict[str, object] = (
        {"messages": [{"role": "user", "content": "Who?"}]}
        if path.startswith("/v1")
        else {"question": "Who?"}
    )
    results: list[httpx.Response] = []
    first = threading.Thread(
        target=post_in_thread, args=(client, results), kwargs={"url": path, "json": body}
    )
    first.start()
    wait_until(lambda: service.started)
    refused = client.post(path, json=body)
    service.gate.set()
    first.join(timeout=10)

    assert refused.status_code == 429, refused.text
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["title"] == "Too many requests"
    assert problem["request_id"] == refused.headers["X-Request-ID"]
    assert results[0].status_code == 200
    assert service.started == ["Who?"]


def test_a_waiting_stream_says_how_many_questions_are_ahead() -> None:
    service = GatedService()
    client = app_client(service, generation_queue_size=1)
    service.settings = client.app.state.settings  # type: ignore[attr-defined]
    results: list[httpx.Response] = []
    first = threading.Thread(
        target=post_in_thread,
        args=(client, results),
        kwargs={"url": "/ask", "json": {"question": "First?"}},
    )
    first.start()
    wait_until(lambda: service.started)
    with client.stream("POST", "/ask/stream", json={"question": "Second?"}) as r:
        lines = r.iter_lines()
        assert next(lines) == "event: status"
        assert next(lines) == 'data: {"stage":"queued","ahead":1}'
        service.gate.set()  # the first answer finishes; the second is searched and answered
        rest = "\n".join(lines)
    first.join(timeout=10)
    assert results[0].status_code == 200
    assert rest.index('"stage":"searching"') < rest.index("event: done"), rest
    assert service.started == ["First?", "Second?"]


class ClientThatLeaves:
    """What `GenerationQueue.run` uses of a request: `receive`, which reports the disconnect
    once the test sets `left`."""

    def __init__(self) -> None:
        self.left = asyncio.Event()

    async def receive(self) -> dict[str, str]:
        await self.left.wait()
        return {"type": "http.disconnect"}


def test_a_client_that_leaves_gives_up_its_waiting_job() -> None:
    gate = threading.Event()
    ran: list[str] = []

    def slow(name: str) -> str:
        ran.append(name)
        assert gate.wait(timeout=10), "the test never opened the gate"
        return name

    async def scenario() -> None:
        queue = GenerationQueue(max_waiting=1, timeout_s=10)
        first = queue.submit(slow, "first")
        client = ClientThatLeaves()
        second = asyncio.ensure_future(queue.run(slow, "second", client=client))  # type: ignore[arg-type]
        await asyncio.sleep(0.05)
        assert queue.depth == 2
        client.left.set()
        with pytest.raises(ClientGone, match="disconnected"):
            await second
        assert queue.depth == 1  # the slot is free at once, not when the first answer is done
        gate.set()
        assert await first.result() == "first"
        queue.shutdown()

    asyncio.run(scenario())
    assert ran == ["first"]  # the abandoned question was never answered


def test_past_the_time_limit_a_request_gets_503_with_retry_after() -> None:
    service = GatedService()
    client = app_client(service, request_timeout_s=0.2)
    try:
        r = client.post("/ask", json={"question": "Who?"})
    finally:
        service.gate.set()
    assert r.status_code == 503, r.text
    assert int(r.headers["Retry-After"]) >= 1
    assert r.json()["title"] == "Timed out"
    assert "0.2 s" in r.json()["detail"]


def test_a_stream_past_the_time_limit_ends_with_an_error_event() -> None:
    service = GatedService()
    client = app_client(service, request_timeout_s=0.2)
    try:
        r = client.post("/ask/stream", json={"question": "Who?"})
    finally:
        service.gate.set()
    assert r.status_code == 200
    assert "event: error" in r.text
    assert '"status":503' in r.text


# --- the limits on input -----------------------------------------------------------------------


def limited_client() -> TestClient:
    service = StandInService(insufficient())
    client = app_client(service, max_question_chars=20, max_history_turns=1, max_body_bytes=2048)
    service.settings = client.app.state.settings  # type: ignore[attr-defined]
    return client


TWO_TURNS = [{"question": "One?", "answer": "a"}, {"question": "Two?", "answer": "b"}]


@pytest.mark.parametrize(
    ("path", "body", "status", "hint"),
    [
        ("/ask", {"question": "x" * 21}, 422, "the limit is 20"),
        ("/ask/stream", {"question": "x" * 21}, 422, "the limit is 20"),
        ("/ask", {"question": "Who?", "history": TWO_TURNS}, 422, "history has 2 turns"),
        ("/ask/stream", {"question": "Who?", "history": TWO_TURNS}, 422, "history has 2 turns"),
        (
            "/v1/chat/completions",
            {"messages": [{"role": "user", "content": "Who?"}], "max_tokens": 10**6},
            400,
            "server.max_completion_tokens",
        ),
        (
            "/v1/chat/completions",
            {"messages": [{"role": "user", "content": "Who?"}], "max_completion_tokens": 0},
            400,
            "max_completion_tokens",
        ),
        ("/ask", {"question": "Who?", "padding": "x" * 4000}, 413, "server.max_body_bytes"),
    ],
)
def test_each_limit_is_a_4xx_with_a_clear_message(
    path: str, body: dict[str, object], status: int, hint: str
) -> None:
    r = limited_client().post(path, json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert hint in r.json()["detail"], r.json()


def test_a_streamed_body_over_the_limit_is_cut_off_with_413() -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    r = limited_client().post(
        "/ask", content=chunks(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413, r.text
    assert "server.max_body_bytes" in r.json()["detail"]


ADMIN_KEY = "limits-admin-key-0123456789"


def test_an_import_has_a_body_limit_of_its_own() -> None:
    # an export or a PDF in base64 is far larger than a question: a 1 MiB limit refused most
    # PDFs printed from a browser before the route could read them
    settings = Settings(
        server=ServerSettings(max_body_bytes=2048, max_import_body_bytes=8192),
        security=SecuritySettings(admin_api_key=ADMIN_KEY),  # type: ignore[arg-type]
    )
    app = create_app(settings)
    app.state.service = StandInService(insufficient(), settings=settings)
    client = LocalClient(app, raise_server_exceptions=False, headers={"X-API-Key": ADMIN_KEY})
    body = {"name": "x.jsonl", "content": "x" * 4000}
    within = client.post("/documents/import", json=body)
    # past the size check and the key: read, and sent on to a service with no index here
    assert within.status_code == 503, within.text
    page = client.post("/documents", json={"text": "x" * 4000})
    assert page.status_code == 413 and "server.max_body_bytes" in page.json()["detail"]
    over = client.post("/documents/import", json={**body, "content": "x" * 9000})
    assert over.status_code == 413, over.text
    assert "the limit is 8192 (setting server.max_import_body_bytes)" in over.json()["detail"]

    def chunks() -> Iterator[bytes]:
        yield b'{"name": "x.jsonl", "content": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    streamed = client.post(
        "/documents/import", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413, streamed.text
    assert "server.max_import_body_bytes" in streamed.json()["detail"]


def test_within_the_limits_the_question_is_answered() -> None:
    client = limited_client()
    r = client.post("/ask", json={"question": "Who?", "history": TWO_TURNS[:1]})
    assert r.status_code == 200, r.text
    small = client.post(
        "/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "Who?"}], "max_tokens": 16},
    )
    assert small.status_code == 200, small.text


# --- the load script's own bounds --------------------------------------------------------------


def _load_script() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "scripts" / "load_test.py"
    spec = importlib.util.spec_from_file_location("load_test_script", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


load_test = _load_script()


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://127.9.9.9:80", True),
        ("http://localhost:8000", True),
        ("http://[::1]:8000", True),
        ("http://10.0.0.5:8000", False),
        ("http://192.168.1.2", False),
        ("https://example.com", False),
        ("http://127.0.0.1.example.com", False),
    ],
)
def test_the_load_script_only_targets_this_machine(url: str, allowed: bool) -> None:
    assert load_test.is_loopback(url) is allowed


def test_the_load_script_refuses_unbounded_runs() -> None:
    for argv in (["--clients", "65"], ["--duration", "601"], ["--url", "http://10.1.1.1"]):
        with pytest.raises(SystemExit) as exit_:
            load_test.main(argv)
        assert exit_.value.code == 2


def test_the_load_summary_counts_5xx_and_missing_answers_as_server_errors() -> None:
    run = load_test.Run(wall_s=2.0)
    for status in ["200", "200", "429", "503", "timeout", "stream-error-503", "422"]:
        run.outcomes.append(load_test.Outcome(status, 0.5))
    result = load_test.summary(run, clients=2, duration_s=2, endpoint="ask")
    assert result["requests"] == 7
    assert result["by_status"]["200"] == 2
    assert result["errors"] == 5
    assert result["server_errors"] == 3  # 503, timeout, stream-error-503
    assert result["latency_ok_s"]["p50"] == 0.5
