"""Small HTTP edges: HEAD, trailing slashes, what a 413 names, 415 for non-JSON bodies, and an
unexpected error answered without dropping the connection (the real app, stand-in service)."""

from __future__ import annotations

import gzip

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from qa.settings import SecuritySettings, ServerSettings, Settings
from tests.answers import StandInService, insufficient
from tests.clients import LocalClient

pytestmark = pytest.mark.unit

ADMIN = {"Authorization": "Bearer unit-http-edges-admin-key"}


@pytest.fixture
def client() -> TestClient:
    settings = Settings(
        server=ServerSettings(max_body_bytes=2048, max_import_body_bytes=2048),
        security=SecuritySettings(admin_api_key=ADMIN["Authorization"][7:]),  # type: ignore[arg-type]
    )
    app = create_app(settings)
    app.state.service = StandInService(insufficient(), settings=settings)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    return LocalClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("path", ["/", "/healthz", "/v1/models", "/openapi.json", "/docs"])
def test_head_works_wherever_get_does(client: TestClient, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert get.status_code == 200
    assert head.status_code == 200, head.text
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers.get("content-length") == get.headers.get("content-length")


def test_head_where_get_is_refused_is_refused_the_same_way(client: TestClient) -> None:
    assert client.head("/ask").status_code == client.get("/ask").status_code == 405
    assert client.head("/no/such/page").status_code == 404


def test_head_is_counted_under_its_route(client: TestClient) -> None:
    client.head("/healthz")
    text = client.get("/metrics").text
    assert 'qa_http_requests_total{method="HEAD",route="/healthz",status="200"} 1.0' in text


@pytest.mark.parametrize("path", ["/documents/", "/ask/", "/healthz/"])
def test_a_trailing_slash_is_a_404_naming_the_path_without_it(
    client: TestClient, path: str
) -> None:
    r = client.get(path, headers={"host": "localhost:8123"}, follow_redirects=False)
    assert r.status_code == 404
    assert "location" not in r.headers
    assert "8123" not in r.text  # no address built from the Host header
    assert r.json()["detail"].endswith(f"no trailing slash: {path.rstrip('/')}")


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/ask", "shorter question"),
        ("/ask/stream", "shorter question"),
        ("/v1/chat/completions", "shorter messages"),
        ("/documents", "shorter article, or split it into several; a saved web page"),
        ("/documents/import", "Split the export"),
    ],
)
def test_a_413_names_what_was_too_large(client: TestClient, path: str, names: str) -> None:
    r = client.post(path, json={"text": "x" * 4000}, headers=ADMIN)
    assert r.status_code == 413
    detail = r.json()["detail"]
    setting = (
        "server.max_import_body_bytes" if path == "/documents/import" else "server.max_body_bytes"
    )
    assert names in detail and f"(setting {setting})" in detail
    if path.startswith("/documents"):
        assert "question" not in detail
    if path == "/documents/import":
        assert "shorter article" not in detail


@pytest.mark.parametrize(
    "content_type", ["application/jsonx", "text/plain", "text/json", "application/x-www-form"]
)
def test_a_body_that_is_not_json_by_its_media_type_is_a_415(
    client: TestClient, content_type: str
) -> None:
    r = client.post("/ask", content=b'{"question": "Who?"}', headers={"content-type": content_type})
    assert r.status_code == 415, r.text
    assert r.json()["title"] == "Unsupported media type"
    assert "Content-Type: application/json" in r.json()["detail"]


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON",
        "application/x+json",
    ],
)
def test_json_media_types_are_read_as_json(client: TestClient, content_type: str) -> None:
    r = client.post("/ask", content=b'{"question": "Who?"}', headers={"content-type": content_type})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("path", "coding", "headers"),
    [
        ("/ask", "gzip", {}),
        ("/v1/chat/completions", "gzip", {}),
        ("/documents", "br", ADMIN),
        ("/ask/stream", "deflate", {}),
    ],
)
def test_a_compressed_body_is_a_415_that_says_to_send_it_uncompressed(
    client: TestClient, path: str, coding: str, headers: dict[str, str]
) -> None:
    """Read as it was sent, a gzipped body was "not UTF-8", with advice to convert its text
    from Windows-1252."""
    body = gzip.compress(b'{"question": "Who?"}')
    r = client.post(
        path,
        content=body,
        headers={"Content-Type": "application/json", "Content-Encoding": coding, **headers},
    )
    assert r.status_code == 415, r.text
    assert r.headers["accept-encoding"] == "identity"  # RFC 9110 15.5.16
    detail = r.json()["detail"]
    assert f"Content-Encoding: {coding}" in detail and "uncompressed" in detail, detail
    assert "UTF-8" not in detail
    if path.startswith("/v1/"):  # OpenAI's error object, as every /v1 refusal has
        assert r.json()["error"]["message"] == detail


def test_an_identity_content_encoding_is_read_as_it_is(client: TestClient) -> None:
    r = client.post(
        "/ask",
        content=b'{"question": "Who?"}',
        headers={"Content-Type": "application/json", "Content-Encoding": "identity"},
    )
    assert r.status_code == 200, r.text


def test_an_unexpected_error_is_a_500_answered_inside_the_middleware(client: TestClient) -> None:
    r = client.get("/boom", headers={"X-Request-ID": "edge-1"})
    assert r.status_code == 500
    assert r.headers["X-Request-ID"] == "edge-1"  # the request id middleware saw the answer
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "secret" not in r.text
    assert r.json()["request_id"] == "edge-1"
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/documents", {"GET", "HEAD", "POST"}),
        ("DELETE", "/documents", {"GET", "HEAD", "POST"}),
        ("PATCH", "/documents/some-article", {"DELETE", "GET", "HEAD", "PUT"}),
        ("GET", "/ask", {"POST"}),
    ],
)
def test_a_405_allows_every_method_the_path_takes(
    client: TestClient, method: str, path: str, allowed: set[str]
) -> None:
    r = client.request(method, path, headers=ADMIN)
    assert r.status_code == 405, r.text
    assert {m.strip() for m in r.headers["allow"].split(",")} == allowed
    # and says so in its detail, not only "Method Not Allowed"
    assert r.json()["detail"] == (
        f"{method} is not allowed on {path}; send {r.headers['allow']}"
    ), r.json()


@pytest.mark.parametrize(
    ("path", "body", "detail"),
    [
        (
            "/ask",
            {"question": "What happened?", "date_from": "2024-11-01", "date_to": "2024-10-31"},
            "date_to: date_from 2024-11-01 is after date_to 2024-10-31",
        ),
    ],
)
def test_a_check_of_the_whole_body_is_refused_in_its_own_words(
    client: TestClient, path: str, body: dict[str, str], detail: str
) -> None:
    r = client.post(path, json=body, headers=ADMIN)
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(detail), r.json()["detail"]


@pytest.mark.parametrize("path", ["/ask", "/v1/chat/completions"])
def test_an_id_no_article_can_have_is_told_in_words(client: TestClient, path: str) -> None:
    # not pydantic's "String should match pattern '^[A-Za-z0-9]…'"
    question = "What happened?"
    body: dict[str, object] = {"doc_ids": ["harbour", "Budget Übersicht"]}
    if path == "/ask":
        body["question"] = question
    else:
        body |= {"model": "grounded-qa", "messages": [{"role": "user", "content": question}]}
    r = client.post(path, json=body, headers=ADMIN)
    assert r.status_code in (400, 422), r.text
    detail = r.json()["detail"]
    assert "no article has the id 'Budget Übersicht'" in detail, detail
    assert "GET /documents lists the ids" in detail and "pattern" not in detail


def test_an_id_in_the_path_that_cannot_name_a_file_is_told_in_words(client: TestClient) -> None:
    # (PUT and DELETE, which need a real index, in tests/e2e/test_documents_api.py)
    r = client.get("/documents/Budget Übersicht", headers=ADMIN)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail.startswith("path.doc_id: may hold only letters"), detail
    assert "may hold only letters" in detail and "'budget-ubersicht'" in detail, detail
    assert "pattern" not in detail


def test_a_reversed_date_range_names_a_field(client: TestClient) -> None:
    r = client.post(
        "/v1/chat/completions",
        json={
            "model": "grounded-qa",
            "messages": [{"role": "user", "content": "What happened?"}],
            "date_from": "2024-11-01",
            "date_to": "2024-10-31",
        },
    )
    assert r.status_code == 400, r.text
    assert r.json()["error"]["param"] == "date_to", r.json()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/chat/completions"),
        ("GET", "/models"),
        ("POST", "/api/v1/chat/completions"),
        ("POST", "/embeddings"),
    ],
)
def test_an_openai_path_without_v1_says_to_add_it_as_an_openai_error(
    client: TestClient, method: str, path: str
) -> None:
    # an OpenAI client shows an `error` object's message; a problem document as "Error code: 404"
    r = client.request(method, path, json={"model": "grounded-qa", "messages": []})
    assert r.status_code == 404, r.text
    message = r.json()["error"]["message"]
    assert "without the /v1 prefix" in message and "POST /v1/chat/completions" in message


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_v1_itself_lists_the_openai_endpoints_as_an_openai_error(
    client: TestClient, method: str
) -> None:
    # a client's base URL asked as it is: it was a plain "GET /docs lists them" problem
    r = client.request(method, "/v1")
    assert r.status_code == 404, r.text
    message = r.json()["error"]["message"]
    assert "the OpenAI-compatible ones are" in message and "POST /v1/chat/completions" in message


def test_n_is_named_in_the_words_it_was_sent_in(client: TestClient) -> None:
    r = client.post(
        "/v1/chat/completions",
        json={"model": "grounded-qa", "messages": [{"role": "user", "content": "Hi?"}], "n": True},
    )
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"].startswith("n is true;"), r.json()


@pytest.mark.parametrize("path", ["/ask", "/ask/stream", "/v1/chat/completions"])
def test_an_empty_body_is_told_to_send_a_json_object(client: TestClient, path: str) -> None:
    r = client.post(path, headers={"Content-Type": "application/json", **ADMIN})
    assert r.status_code == (400 if path.startswith("/v1/") else 422), r.text
    assert r.json()["detail"] == "the request body is empty: send a JSON object"


def test_a_chat_message_of_an_unknown_role_is_named(client: TestClient) -> None:
    r = client.post(
        "/v1/chat/completions",
        json={"model": "grounded-qa", "messages": [{"role": "wizard", "content": "Hello?"}]},
    )
    assert r.status_code == 400, r.text  # OpenAI's status for a refused request
    assert r.json()["detail"].startswith("messages.0.role: Input should be 'user', 'assistant'")
    assert r.json()["error"]["param"] == "messages.0.role"


def test_a_405_from_a_mounted_app_sends_no_empty_allow(client: TestClient) -> None:
    r = client.post("/static/app.js", headers=ADMIN)
    assert r.status_code == 405
    assert r.headers.get("allow", "GET") != ""


def test_the_page_carries_the_servers_question_limit() -> None:
    settings = Settings(server=ServerSettings(max_question_chars=3000))
    page = LocalClient(create_app(settings)).get("/").text
    assert 'data-max-chars="3000"' in page
    assert 'maxlength="12000"' in page  # never under the limit: a paste is not cut silently


def test_a_body_with_many_problems_names_the_first_ten(client: TestClient) -> None:
    body = {"question": "What happened?", **{f"k{i}": 1 for i in range(100)}}
    r = client.post("/ask", json=body)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail.startswith("k0: Extra inputs are not permitted")
    assert detail.count("Extra inputs") == 10 and detail.endswith("and 90 more problems")


@pytest.mark.parametrize(
    ("path", "body", "named"),
    [
        ("/ask", {"question": "Who?", "body": 1}, "body"),
        ("/ask", {"question": "Who?", "foo": 1}, "foo"),
        ("/ask/stream", {"question": "Who?", "body": 1}, "body"),
        ("/search", {"query": "harbour", "body": 1}, "body"),
        ("/ask", {"question": "Who?", "history": [{"question": "Q", "body": 1}]},
         "history.0.body"),
        ("/documents", {"text": "The harbour reopened.", "body": 1}, "body"),
        ("/documents/import", {"name": "a.jsonl", "content": "{}", "body": 1}, "body"),
    ],
)  # fmt: skip
def test_an_unknown_field_is_named_even_when_it_is_called_body(
    client: TestClient, path: str, body: dict[str, object], named: str
) -> None:
    """FastAPI puts "body" before the field's name; only that first "body" is left out."""
    client.app.state.reloader = object()  # type: ignore[attr-defined]  # reached after the body
    r = client.post(path, json=body, headers=ADMIN)
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == f"{named}: Extra inputs are not permitted"


@pytest.mark.parametrize("name", ["body", "content", "article"])
def test_an_articles_text_under_another_name_is_told_to_be_sent_as_text(
    client: TestClient, name: str
) -> None:
    client.app.state.reloader = object()  # type: ignore[attr-defined]
    for r in (
        client.post("/documents", json={"title": "Harbour", name: "It reopened."}, headers=ADMIN),
        client.put("/documents/harbour", json={name: "It reopened."}, headers=ADMIN),
    ):
        assert r.status_code == 422, r.text
        assert r.json()["detail"] == (
            f"{name}: not a field of an article: send the article's text as `text` (or a saved "
            "web page, whole, as `html`)"
        )


NOT_UTF8 = (
    "the request body is not UTF-8: byte 0xE9 at position {at} (counted from 0, after {before}) "
    "cannot be read as UTF-8 (invalid continuation byte); encode the JSON as UTF-8 (convert text "
    "in Windows-1252, Latin-1 or another encoding first)"
)


@pytest.mark.parametrize(
    ("method", "path", "body", "at", "before"),
    [
        ("POST", "/ask", b'{"question": "caf\xe9?"}', 17, "'\"question\": \"caf'"),
        ("POST", "/ask/stream", b'{"question": "caf\xe9?"}', 17, "'\"question\": \"caf'"),
        ("POST", "/search", b'{"query": "caf\xe9"}', 14, "'{\"query\": \"caf'"),
        ("POST", "/documents", b'{"text": "caf\xe9"}', 13, "'{\"text\": \"caf'"),
        ("PUT", "/documents/cafe", b'{"text": "caf\xe9"}', 13, "'{\"text\": \"caf'"),
        ("POST", "/documents/import", b'{"name": "a.jsonl", "content": "caf\xe9"}', 35,
         "' \"content\": \"caf'"),
        ("POST", "/v1/chat/completions",
         b'{"model": "m", "messages": [{"role": "user", "content": "caf\xe9"}]}', 60,
         "' \"content\": \"caf'"),
        # counted in the body as sent, its UTF-8 byte-order mark too
        ("POST", "/ask", b'\xef\xbb\xbf{"question": "caf\xe9?"}', 20, "'\"question\": \"caf'"),
    ],
)  # fmt: skip
def test_a_body_that_is_not_utf8_is_told_so_with_the_bytes_position(
    client: TestClient, method: str, path: str, body: bytes, at: int, before: str
) -> None:
    """Windows-1252 bytes ("café" as caf\xe9) used to get "not valid JSON, or too much of it
    to read …", which named neither the encoding nor the place."""
    client.app.state.reloader = object()  # type: ignore[attr-defined]  # reached after the body
    r = client.request(
        method, path, content=body, headers={**ADMIN, "content-type": "application/json"}
    )
    assert r.status_code == (400 if path.startswith("/v1/") else 422), r.text
    assert r.json()["detail"] == NOT_UTF8.format(at=at, before=before)


def test_a_body_too_deeply_nested_is_still_told_so(client: TestClient) -> None:
    r = client.post("/ask", content=b"[" * 2000, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"].startswith("the request body is not valid JSON, or too much of it")


def test_a_utf16_body_cut_short_names_utf16(client: TestClient) -> None:
    body = '{"question": "Who?"}'.encode("utf-16-le") + b"\x00"  # one byte too many
    r = client.post("/ask", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"].startswith(
        "the request body is not UTF-16-LE: byte 0x00 at position 40"
    )


@pytest.mark.parametrize("path", ["/v1/responses", "/v1/embeddings", "/v1/completions"])
def test_another_openai_endpoint_is_a_404_naming_the_ones_there_are(
    client: TestClient, path: str
) -> None:
    r = client.post(path, json={"model": "grounded-qa", "input": "Who?"})
    assert r.status_code == 404
    detail = r.json()["detail"]
    assert "POST /v1/chat/completions" in detail and "GET /v1/models" in detail
    assert client.post("/no/such/page").json()["detail"] == "no such endpoint; GET /docs lists them"


def test_a_history_turn_whose_answer_is_null_is_taken_as_one_without_an_answer(
    client: TestClient,
) -> None:
    history = [{"question": "Who led the team?", "answer": None}]
    r = client.post("/ask", json={"question": "When did they start?", "history": history})
    assert r.status_code == 200, r.text
    r = client.post("/ask", json={"question": "When?", "history": [{"question": None}]})
    assert r.status_code == 422  # a turn's question is still required


def test_a_null_history_is_no_history(client: TestClient) -> None:
    nulled = client.post("/ask", json={"question": "Who led the team?", "history": None})
    assert nulled.status_code == 200, nulled.text
    left_out = client.post("/ask", json={"question": "Who led the team?"})
    assert nulled.json()["answer"] == left_out.json()["answer"]
    assert nulled.json()["rewritten_question"] is None
    r = client.post("/ask", json={"question": "Who?", "history": "none"})
    assert r.status_code == 422  # anything else that is no list is still refused
