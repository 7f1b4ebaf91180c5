"""API keys, CORS and document ids: admin actions closed to strangers, reads open by default."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError
from starlette.types import Message

from api.app import create_app
from api.security import AdminAccess, key_matches
from qa.settings import SecuritySettings, Settings
from tests.answers import StandInService, insufficient
from tests.clients import LocalClient

pytestmark = pytest.mark.unit

ADMIN_KEY = "admin-key-0123456789abcdef"
READ_KEY = "read-key-0123456789abcdef"


def make_app(**security: object) -> FastAPI:
    settings = Settings(security=SecuritySettings(**security))  # type: ignore[arg-type]
    app = create_app(settings)
    app.state.service = StandInService(insufficient(), settings=settings)

    # an admin action as the admin routers declare theirs
    @app.post("/admin/ping", dependencies=[AdminAccess])
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    return app


def client(**security: object) -> TestClient:
    return LocalClient(make_app(**security), raise_server_exceptions=False)


# --- admin -------------------------------------------------------------------------------------


def test_without_a_configured_key_admin_actions_are_disabled_and_say_how_to_enable() -> None:
    for headers in ({}, {"Authorization": "Bearer anything-at-all-here"}):
        r = client().post("/admin/ping", headers=headers)
        assert r.status_code == 403, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "QA_SECURITY__ADMIN_API_KEY" in r.json()["detail"]


MISSING = "needs the admin API key"
WRONG = "the admin API key sent is not this server's"


@pytest.mark.parametrize(
    ("headers", "says"),
    [
        ({}, MISSING),
        ({"Authorization": "Bearer wrong-key-0123456789abcdef"}, WRONG),
        ({"Authorization": f"Bearer {ADMIN_KEY[:-1]}"}, WRONG),  # a prefix is not the key
        ({"Authorization": f"Basic {ADMIN_KEY}"}, MISSING),  # wrong scheme: no key read
        ({"X-API-Key": READ_KEY}, WRONG),  # the read key does not open admin actions
    ],
    ids=["none", "wrong", "prefix", "basic", "read-key"],
)
def test_admin_actions_refuse_a_missing_or_wrong_key(headers: dict[str, str], says: str) -> None:
    r = client(admin_api_key=ADMIN_KEY, read_api_key=READ_KEY).post("/admin/ping", headers=headers)
    assert r.status_code == 401, r.text
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in r.json()["detail"]
    assert says in r.json()["detail"]  # a missing key and a wrong one are told apart
    assert ADMIN_KEY not in r.text


@pytest.mark.parametrize(
    "headers", [{"Authorization": f"Bearer {ADMIN_KEY}"}, {"X-API-Key": ADMIN_KEY}]
)
def test_the_admin_key_opens_admin_actions(headers: dict[str, str]) -> None:
    r = client(admin_api_key=ADMIN_KEY).post("/admin/ping", headers=headers)
    assert r.status_code == 200, r.text


def post_import_counting_reads(app: FastAPI, headers: dict[str, str]) -> tuple[int, int]:
    """POST /documents/import straight through ASGI: its status, and how often the app asked
    for the body (a JSON that does not parse, which a route reading it would refuse with 422)."""
    reads = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b'{"name": "x.jsonl", "co', "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    raw = [(b"content-type", b"application/json"), (b"content-length", b"23")]
    raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/documents/import", "raw_path": b"/documents/import",
        "query_string": b"", "root_path": "", "headers": raw,
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80),
    }  # fmt: skip
    asyncio.run(app(scope, receive, send))
    return next(m["status"] for m in sent if m["type"] == "http.response.start"), reads


@pytest.mark.parametrize(
    ("security", "headers", "status"),
    [
        ({"admin_api_key": ADMIN_KEY}, {}, 401),
        ({"admin_api_key": ADMIN_KEY}, {"Authorization": "Bearer wrong-key-0123456789abcdef"}, 401),
        ({"admin_api_key": ADMIN_KEY, "read_api_key": READ_KEY}, {"X-API-Key": READ_KEY}, 401),
        ({}, {}, 403),
    ],
    ids=["no-key", "wrong-key", "read-key", "admin-off"],
)
def test_an_import_without_the_admin_key_is_refused_before_its_body_is_read(
    security: dict[str, str], headers: dict[str, str], status: int
) -> None:
    # FastAPI reads a route's JSON body before its dependencies: anyone could make the server
    # buffer and parse 16 MiB (server.max_import_body_bytes) only to be told 401
    assert post_import_counting_reads(make_app(**security), headers) == (status, 0)


@pytest.mark.parametrize(
    "headers", [{"Authorization": f"Bearer {ADMIN_KEY}"}, {"X-API-Key": ADMIN_KEY}]
)
def test_an_import_with_the_admin_key_is_read(headers: dict[str, str]) -> None:
    status, reads = post_import_counting_reads(make_app(admin_api_key=ADMIN_KEY), headers)
    assert (status, reads > 0) == (422, True)  # read, and its JSON found broken
    c = client(admin_api_key=ADMIN_KEY)
    r = c.post("/documents/import", json={"name": "x.jsonl"})
    assert r.status_code == 401 and MISSING in r.json()["detail"]
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert "request_id" in r.json()


# --- reads -------------------------------------------------------------------------------------


def test_reads_are_open_by_default_whatever_key_a_client_sends() -> None:
    c = client(admin_api_key=ADMIN_KEY)
    assert c.post("/ask", json={"question": "Who?"}).status_code == 200
    # OpenAI clients always send some key
    r = c.post(
        "/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "Who?"}]},
        headers={"Authorization": "Bearer not-needed"},
    )
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/ask", {"question": "Who?"}),
        ("POST", "/ask/stream", {"question": "Who?"}),
        ("POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": "Who?"}]}),
        ("GET", "/documents", None),
        ("GET", "/v1/models", None),
        ("GET", "/metrics", None),
    ],
)
def test_a_read_key_closes_questions_and_documents(
    method: str, path: str, body: dict[str, object] | None
) -> None:
    c = client(read_api_key=READ_KEY, admin_api_key=ADMIN_KEY)
    refused = c.request(method, path, json=body)
    assert refused.status_code == 401, refused.text
    assert "API key" in refused.json()["detail"]
    for key in (READ_KEY, ADMIN_KEY):
        allowed = c.request(method, path, json=body, headers={"Authorization": f"Bearer {key}"})
        assert allowed.status_code != 401, allowed.text


def test_health_and_the_page_stay_open_with_a_read_key() -> None:
    c = client(read_api_key=READ_KEY)
    assert c.get("/healthz").status_code == 200
    assert c.get("/").status_code == 200


def test_keys_compare_whole_and_exact() -> None:
    key = SecretStr(ADMIN_KEY)
    assert key_matches(ADMIN_KEY, key)
    assert not key_matches(ADMIN_KEY + "x", key)
    assert not key_matches(ADMIN_KEY.upper(), key)
    assert not key_matches("", key)
    assert not key_matches(None, key)
    assert not key_matches("ключ-0123456789abcdef", key)  # non-ASCII compares, does not crash


def test_keys_are_secret_and_long_enough() -> None:
    settings = SecuritySettings(admin_api_key=ADMIN_KEY)  # type: ignore[arg-type]
    assert ADMIN_KEY not in repr(settings)
    assert ADMIN_KEY not in settings.model_dump_json()
    for short in ("", "short-key", " " * 20):
        with pytest.raises(ValidationError, match="at least 16 characters"):
            SecuritySettings(admin_api_key=short)  # type: ignore[arg-type]


def test_a_refused_key_is_not_quoted_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_SECURITY__ADMIN_API_KEY", "Pr0d-Secret-K3y")  # one too short
    with pytest.raises(ValidationError, match="at least 16 characters") as refused:
        Settings()
    assert "Pr0d-Secret-K3y" not in str(refused.value)


def test_keys_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_SECURITY__ADMIN_API_KEY", ADMIN_KEY)
    monkeypatch.setenv("QA_SECURITY__CORS_ALLOW_ORIGINS", '["https://news.example"]')
    settings = Settings()
    assert settings.security.admin_api_key is not None
    assert settings.security.admin_api_key.get_secret_value() == ADMIN_KEY
    assert settings.security.cors_allow_origins == ["https://news.example"]


@pytest.mark.parametrize(
    "origin",
    ["news.example", "https://news.example/", "https://news.example/app", "//news.example"],
)
def test_an_origin_a_browser_never_sends_is_refused_saying_how_to_write_it(
    monkeypatch: pytest.MonkeyPatch, origin: str
) -> None:
    # the CORS middleware compares whole strings: such an entry would silently never match
    monkeypatch.setenv("QA_SECURITY__CORS_ALLOW_ORIGINS", json.dumps([origin]))
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert f"{origin!r} is not an origin" in str(refused.value)
    assert "'https://news.example'" in str(refused.value)


@pytest.mark.parametrize("origin", ["*", "http://localhost:3000", "https://news.example"])
def test_origins_as_browsers_send_them_are_taken(
    monkeypatch: pytest.MonkeyPatch, origin: str
) -> None:
    monkeypatch.setenv("QA_SECURITY__CORS_ALLOW_ORIGINS", json.dumps([origin]))
    assert Settings().security.cors_allow_origins == [origin]


# --- CORS --------------------------------------------------------------------------------------


def preflight(c: TestClient, origin: str) -> dict[str, str]:
    r = c.options(
        "/ask",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )
    return dict(r.headers)


def test_cors_is_off_unless_configured() -> None:
    c = client()
    headers = preflight(c, "https://evil.example")
    assert "access-control-allow-origin" not in headers
    r = c.get("/documents", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_cors_allows_only_the_configured_origins() -> None:
    c = client(cors_allow_origins=["https://news.example"])
    assert preflight(c, "https://news.example")["access-control-allow-origin"] == (
        "https://news.example"
    )
    assert "access-control-allow-origin" not in preflight(c, "https://evil.example")


def test_cors_allows_every_method_a_route_takes() -> None:
    c = client(cors_allow_origins=["https://news.example"])
    methods = {
        (path, method.upper())
        for path, item in make_app().openapi()["paths"].items()
        for method in item
    }
    assert ("/documents/{doc_id}", "DELETE") in methods
    for path, method in methods:
        r = c.options(
            path.replace("{doc_id}", "x").replace("{model}", "grounded-qa"),
            headers={"Origin": "https://news.example", "Access-Control-Request-Method": method},
        )
        assert r.status_code == 200, (path, method, r.text)


def test_cors_lets_a_browser_openai_sdk_send_its_own_headers() -> None:
    """OpenAI's JavaScript SDK (and every client built on it: LangChain.js, the Vercel AI SDK's
    OpenAI provider) adds X-Stainless-* headers to each request; a preflight that refused them
    kept every browser app built on it from calling /v1."""
    sdk_headers = (
        "authorization,content-type,x-stainless-os,x-stainless-lang,x-stainless-arch,"
        "x-stainless-runtime,x-stainless-runtime-version,x-stainless-package-version,"
        "x-stainless-retry-count,x-stainless-timeout,x-stainless-helper-method"
    )
    c = client(cors_allow_origins=["https://news.example"])
    for origin, allowed in (("https://news.example", True), ("https://evil.example", False)):
        r = c.options(
            "/v1/chat/completions",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": sdk_headers,
            },
        )
        assert ("access-control-allow-origin" in r.headers) is allowed, r.headers
        if allowed:
            assert r.status_code == 200, r.text
            listed = r.headers["access-control-allow-headers"].lower()
            assert all(h in listed for h in sdk_headers.split(",")), listed


# --- document ids ------------------------------------------------------------------------------


def test_every_route_taking_an_id_restricts_it_with_a_pattern() -> None:
    """A new route with a `..._id` path parameter and no pattern fails this test."""
    schema = make_app().openapi()
    id_params = [
        (path, parameter)
        for path, item in schema["paths"].items()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path" and parameter["name"].endswith("id")
    ]
    assert id_params, "no route takes an id: the test looks at nothing"
    for path, parameter in id_params:
        pattern = parameter["schema"].get("pattern")
        assert pattern, f"{path}: {parameter['name']} has no pattern"
        for hostile in ("..", "../etc/passwd", "..\\windows", ".env", "a\x00b", "x" * 300):
            assert not re.fullmatch(pattern, hostile), (path, hostile)


@pytest.mark.parametrize(
    "raw_path",
    [
        "/documents/..%2F..%2Fetc%2Fpasswd",
        "/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/documents/..%252F..%252Fetc%252Fpasswd",
        "/documents/..%5C..%5Cwindows",
        "/documents/.env",
        "/documents/a%00b",
        "/documents/%2e%2e",
    ],
)
def test_traversal_style_ids_never_reach_the_service(raw_path: str) -> None:
    asked: list[str] = []

    class Recording(StandInService):
        def article(self, doc_id: str) -> object:
            asked.append(doc_id)
            raise AssertionError("a hostile id reached the service")

    app = make_app()
    app.state.service = Recording(insufficient(), settings=app.state.settings)
    r = LocalClient(app, raise_server_exceptions=False).get(raw_path)
    assert r.status_code in (404, 422), (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/problem+json")
    assert asked == []


# --- host names (DNS rebinding) ----------------------------------------------------------------


def host_client(*, bind: str = "127.0.0.1", hosts: list[str] | None = None) -> TestClient:
    settings = Settings(
        server={"host": bind},  # type: ignore[arg-type]
        security=SecuritySettings(allowed_hosts=hosts or []),
    )
    app = create_app(settings)
    app.state.service = StandInService(insufficient(), settings=settings)
    return LocalClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("path", ["/documents", "/healthz", "/", "/openapi.json"])
def test_a_loopback_server_refuses_a_page_that_reaches_it_under_a_name_of_its_own(
    path: str,
) -> None:
    # a page of rebind.example pointed its name at 127.0.0.1: its requests carry that name
    r = host_client().get(path, headers={"host": "rebind.example:8000"})
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["detail"].startswith(
        "the Host header names this server 'rebind.example', which is not one of the names it "
        "answers to (localhost, 127.0.0.1, ::1; setting security.allowed_hosts"
    )
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST:1"]
)
def test_a_loopback_server_answers_to_this_machines_names(host: str) -> None:
    assert host_client().get("/healthz", headers={"host": host}).status_code == 200


def test_listed_names_replace_the_loopback_ones() -> None:
    c = host_client(hosts=["qa.news.example", "*.corp.example"])
    for host, status in [
        ("qa.news.example", 200),
        ("QA.News.Example:443", 200),
        ("desk.corp.example", 200),
        ("corp.example", 400),  # "*." is for subdomains
        ("evilcorp.example", 400),
        ("localhost:8000", 400),
    ]:
        assert c.get("/healthz", headers={"host": host}).status_code == status, host


@pytest.mark.parametrize(("bind", "hosts"), [("0.0.0.0", None), ("127.0.0.1", ["*"])])
def test_a_server_others_reach_answers_to_any_name_unless_told(
    bind: str, hosts: list[str] | None
) -> None:
    r = host_client(bind=bind, hosts=hosts).get("/healthz", headers={"host": "192.168.1.20:8000"})
    assert r.status_code == 200


@pytest.mark.parametrize(
    "bad", ["http://qa.example", "qa.example:8000", "qa.example/ask", "", "[::1]:8000"]
)
def test_a_host_name_written_as_no_host_header_has_it_stops_the_server_saying_so(
    bad: str,
) -> None:
    with pytest.raises(ValidationError, match="is not a host name: write each as the Host"):
        SecuritySettings(allowed_hosts=[bad])
    assert SecuritySettings(allowed_hosts=["[::1]", "Qa.Example"]).allowed_hosts == [
        "::1",
        "qa.example",
    ]
