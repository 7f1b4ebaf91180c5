"""Request ids, the JSON access log, security headers, health and metrics, in-process."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import STATIC_DIR, create_app
from api.middleware import PAGE_CSP, configure_logging, new_request_id
from qa.models import Answer
from qa.settings import Settings
from tests.answers import StandInService, insufficient
from tests.clients import LocalClient

pytestmark = pytest.mark.unit


def answer_with_timings() -> Answer:
    return insufficient().model_copy(update={"timings_ms": {"retrieve_ms": 12.5, "score_ms": 1.5}})


def make_app(service: object | None = None) -> FastAPI:
    settings = Settings()
    app = create_app(settings)
    app.state.service = service or StandInService(answer_with_timings(), settings=settings)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    return app


@pytest.fixture
def client() -> TestClient:
    return LocalClient(make_app(), raise_server_exceptions=False)


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging(stream=stream)
    yield stream
    root.handlers[:], level = saved
    root.setLevel(level)


def records(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


# --- request ids -------------------------------------------------------------------------------


def test_every_response_has_a_fresh_request_id(client: TestClient) -> None:
    ids = [client.get("/healthz").headers["X-Request-ID"] for _ in range(3)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids), ids
    assert len(set(ids)) == 3


@pytest.mark.parametrize("incoming", ["abc-123", "0f8fad5b-d9cb-469f-a165-70867728950e"])
def test_a_sane_incoming_id_is_kept(client: TestClient, incoming: str) -> None:
    r = client.get("/healthz", headers={"X-Request-ID": incoming})
    assert r.headers["X-Request-ID"] == incoming


@pytest.mark.parametrize("incoming", ["", "a b", "<script>", "x" * 129, '{"json":1}', "-lead"])
def test_an_odd_incoming_id_is_replaced(incoming: str) -> None:
    assert new_request_id(incoming) != incoming
    assert re.fullmatch(r"[0-9a-f]{32}", new_request_id(incoming))


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/ask", {"question": " "}, 422),
        ("GET", "/nowhere", None, 404),
        ("DELETE", "/ask", None, 405),
        ("GET", "/boom", None, 500),
    ],
)
def test_every_problem_carries_the_request_id_of_its_response(
    client: TestClient, method: str, path: str, body: object, status: int
) -> None:
    r = client.request(method, path, json=body, headers={"X-Request-ID": "req-42"})
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert set(problem) == {"type", "title", "status", "detail", "request_id"}
    assert problem["request_id"] == r.headers["X-Request-ID"] == "req-42"
    assert "secret internals" not in r.text


# --- the access log ----------------------------------------------------------------------------


def test_one_json_line_per_request_with_the_answer_timings(
    client: TestClient, log_lines: io.StringIO
) -> None:
    r = client.post("/ask", json={"question": "Who?"}, headers={"X-Request-ID": "req-7"})
    assert r.status_code == 200
    access = [rec for rec in records(log_lines) if rec["logger"] == "api.access"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "req-7"
    assert (line["method"], line["path"], line["status"]) == ("POST", "/ask", 200)
    assert line["duration_ms"] >= 0
    assert line["outcome"] == "insufficient_evidence"
    assert line["timings_ms"] == {"retrieve_ms": 12.5, "score_ms": 1.5}


def test_a_failure_is_logged_with_the_request_id(
    client: TestClient, log_lines: io.StringIO
) -> None:
    client.get("/boom", headers={"X-Request-ID": "req-500"})
    lines = records(log_lines)
    failure = next(rec for rec in lines if rec["message"] == "unhandled error")
    assert failure["request_id"] == "req-500"
    assert "secret internals" in failure["exc_info"]  # the log has the detail; the body not
    access = next(rec for rec in lines if rec["logger"] == "api.access")
    assert (access["request_id"], access["status"]) == ("req-500", 500)


# --- security headers --------------------------------------------------------------------------


def test_the_page_has_a_strict_content_security_policy(client: TestClient) -> None:
    for path in ("/", "/static/app.js", "/static/style.css"):
        r = client.get(path)
        assert r.status_code == 200, path
        policy = r.headers["Content-Security-Policy"]
        assert policy == PAGE_CSP
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "DENY"


def test_api_responses_forbid_rendering_and_framing(client: TestClient) -> None:
    r = client.post("/ask", json={"question": "Who?"})
    assert r.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


class _InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.inline.append("inline <script>")
        if tag == "style":
            self.inline.append("<style> element")
        self.inline += [f"{tag} {name}=" for name in names if name == "style" or name[:2] == "on"]
        for name, value in attrs:
            if value and value.strip().lower().startswith(("javascript:", "data:")):
                self.inline.append(f"{tag} {name}={value}")


def test_the_page_needs_no_inline_code_or_data_urls() -> None:
    finder = _InlineFinder()
    finder.feed((STATIC_DIR / "index.html").read_text("utf-8"))
    assert finder.inline == []
    script = (STATIC_DIR / "app.js").read_text("utf-8")
    # what a CSP without 'unsafe-inline' / 'unsafe-eval' would block at run time
    for blocked in ("eval(", "new Function", 'setAttribute("style"', "innerHTML", ".onclick ="):
        assert blocked not in script.replace("never through innerHTML", ""), blocked


# --- health and metrics ------------------------------------------------------------------------


def test_healthz_needs_nothing_and_readyz_waits_for_the_service() -> None:
    app = make_app()
    app.state.service = None  # as before the lifespan has loaded anything
    c = LocalClient(app, raise_server_exceptions=False)
    assert c.get("/healthz").json() == {"status": "ok"}
    r = c.get("/readyz")
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "not loaded" in r.json()["detail"]


def metric(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        series, _, value = line.rpartition(" ")
        if series == (f"{name}{{{wanted}}}" if labels else name):
            return float(value)
    raise AssertionError(f"no {name} {labels} in\n{text}")


def test_metrics_count_requests_by_route_template_and_status(client: TestClient) -> None:
    client.post("/ask", json={"question": "Who?"})
    client.post("/ask", json={"question": " "})
    client.get("/v1/models/no-such-model")
    client.get("/random/../scan/path")
    text = client.get("/metrics").text
    assert metric(text, "qa_http_requests_total", method="POST", route="/ask", status="200") == 1
    assert metric(text, "qa_http_requests_total", method="POST", route="/ask", status="422") == 1
    labels = {"method": "GET", "route": "/v1/models/{model}", "status": "404"}
    assert metric(text, "qa_http_requests_total", **labels) == 1
    assert metric(text, "qa_http_requests_total", method="GET", route="unmatched", status="404")
    assert metric(text, "qa_http_request_duration_seconds_count", method="POST", route="/ask") == 2
    assert metric(text, "qa_generation_queue_depth") == 0
    assert metric(text, "qa_generation_queue_capacity") == 9


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b'{"question": "\xff\xfe who"}', "not UTF-8: byte 0xFF at position 14"),
        (b"[" * 50_000 + b"]" * 50_000, "not valid JSON"),
    ],
    ids=["utf8", "deep"],
)
def test_an_unparsable_body_is_a_422_like_invalid_json(
    client: TestClient, raw: bytes, says: str
) -> None:
    r = client.post("/ask", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["title"] == "Invalid request"
    assert says in r.json()["detail"]


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b'{"question": "hi"', "Expecting ',' delimiter at line 1, column 18"),
        (b'{\n  "question": "hi",\n  "history": [}\n', "Expecting value at line 3, column 15"),
        # the position counts what json read: UTF-16 and a BOM are decoded first
        ('{\n  "question": "hi",\n  "history": [}\n'.encode("utf-16"), "line 3, column 15"),
        ('{\n  "question": "hi",\n  "history": [}\n'.encode("utf-8-sig"), "line 3, column 15"),
        (b'{"question": "a\nb"}', r"a line break or tab inside a string is written \n"),
        (b"null", "the request body is null, not a JSON object"),
        (b"[]", "the request body is an array, not a JSON object"),
        (b"42", "the request body is a number, not a JSON object"),
        (b'"why?"', "the request body is a string, not a JSON object"),
        (b'{"question": "x", "date_from": 1' + b"0" * 5000 + b"}", "no number of more than"),
    ],
)
def test_a_body_that_is_not_a_json_object_says_what_and_where(
    client: TestClient, raw: bytes, says: str
) -> None:
    r = client.post("/ask", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert says in r.json()["detail"], r.json()["detail"]
