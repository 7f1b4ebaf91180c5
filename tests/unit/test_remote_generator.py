"""Unit tests for the OpenAI-compatible generator, against httpx's in-process transport."""

from __future__ import annotations

import email.utils
import json
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from api.errors import problem_details, problem_headers
from index.remote_generation import OpenAICompatibleGenerator
from qa.errors import GenerationFailed, GeneratorUnavailable
from qa.settings import GenerationSettings

BASE = "http://generator.test/v1"
Handler = Callable[[httpx.Request], httpx.Response]


class RecordingServer:
    """An OpenAI-compatible server in one function: records requests, answers from a handler."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def body(self, i: int = -1) -> dict[str, object]:
        return dict(json.loads(self.requests[i].content))


def generator(server: RecordingServer, **settings: object) -> OpenAICompatibleGenerator:
    options: dict[str, object] = {"backend": "openai", "base_url": BASE, **settings}
    return OpenAICompatibleGenerator(
        GenerationSettings.model_validate(options), transport=httpx.MockTransport(server)
    )


def sse(*payloads: str) -> httpx.Response:
    text = "".join(f"data: {p}\n\n" for p in payloads)
    return httpx.Response(200, text=text, headers={"content-type": "text/event-stream"})


@pytest.mark.unit
def test_complete_posts_the_prompt_and_sampling_to_completions() -> None:
    server = RecordingServer(lambda _: httpx.Response(200, json={"choices": [{"text": " 1,500"}]}))
    gen = generator(server, model="gemma", api_key="k" * 20, temperature=0.0, seed=7)
    assert gen.complete("Q: how many?\nA:", max_tokens=12, stop=["\n"]) == " 1,500"
    request = server.requests[0]
    assert request.method == "POST"
    assert request.url == "http://generator.test/v1/completions"
    assert request.headers["authorization"] == "Bearer " + "k" * 20
    body = server.body()
    assert body["prompt"] == "Q: how many?\nA:"
    assert body["model"] == "gemma"
    assert (body["max_tokens"], body["stop"], body["temperature"], body["seed"]) == (
        12,
        ["\n"],
        0.0,
        7,
    )
    assert "stream" not in body


@pytest.mark.unit
def test_without_a_model_or_key_neither_is_sent() -> None:
    server = RecordingServer(lambda _: httpx.Response(200, json={"choices": [{"text": "x"}]}))
    generator(server).complete("p", max_tokens=1, stop=[])
    assert "model" not in server.body()
    assert "authorization" not in server.requests[0].headers


@pytest.mark.unit
def test_chat_posts_messages_to_chat_completions() -> None:
    reply = {"choices": [{"message": {"role": "assistant", "content": "June 19"}}]}
    server = RecordingServer(lambda _: httpx.Response(200, json=reply))
    gen = generator(server, prompt_format="chat")
    messages = [{"role": "user", "content": "When?"}]
    assert gen.prompt_format == "chat"
    assert gen.chat(messages, max_tokens=8, stop=["\n"]) == "June 19"
    assert server.requests[0].url.path == "/v1/chat/completions"
    assert server.body()["messages"] == messages


@pytest.mark.unit
def test_stream_yields_the_text_of_each_event_until_done() -> None:
    chunks = [json.dumps({"choices": [{"text": t}]}) for t in ["The ", "", "treaty", " ends"]]
    server = RecordingServer(lambda _: sse(chunks[0], chunks[1], chunks[2], "[DONE]", chunks[3]))
    pieces = list(generator(server).stream("p", max_tokens=4, stop=[]))
    assert pieces == ["The ", "treaty"]  # empty deltas skipped, nothing after [DONE]
    assert server.body()["stream"] is True


@pytest.mark.unit
def test_an_error_event_in_the_stream_fails_the_generation() -> None:
    server = RecordingServer(lambda _: sse(json.dumps({"error": {"message": "out of memory"}})))
    with pytest.raises(GenerationFailed, match="out of memory"):
        list(generator(server).stream("p", max_tokens=4, stop=[]))


@pytest.mark.unit
def test_a_stream_that_is_not_sse_fails_the_generation() -> None:
    server = RecordingServer(lambda _: httpx.Response(200, json={"choices": [{"text": "x"}]}))
    with pytest.raises(GenerationFailed, match="Server-Sent Events"):
        list(generator(server).stream("p", max_tokens=4, stop=[]))


def _raise(error: Exception) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return handler


@pytest.mark.unit
@pytest.mark.parametrize(
    ("error", "match"),
    [
        (httpx.ConnectError("Connection refused"), "cannot be reached"),
        (httpx.ReadTimeout("timed out"), "did not answer within 30 s"),
        (httpx.ConnectTimeout("timed out"), "did not answer"),
        (httpx.RemoteProtocolError("peer closed connection"), "cannot be reached"),
    ],
    ids=["refused", "read-timeout", "connect-timeout", "dropped"],
)
def test_unreachable_or_slow_server_is_unavailable(error: Exception, match: str) -> None:
    gen = generator(RecordingServer(_raise(error)))
    with pytest.raises(GeneratorUnavailable, match=match):
        gen.complete("p", max_tokens=1, stop=[])
    with pytest.raises(GeneratorUnavailable):
        list(gen.stream("p", max_tokens=1, stop=[]))
    with pytest.raises(GeneratorUnavailable):
        gen.chat([{"role": "user", "content": "q"}], max_tokens=1, stop=[])


@pytest.mark.unit
@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_busy_or_failing_upstream_statuses_are_unavailable(status: int) -> None:
    server = RecordingServer(lambda _: httpx.Response(status, text="loading model"))
    with pytest.raises(GeneratorUnavailable, match=f"answered {status}: loading model"):
        generator(server).complete("p", max_tokens=1, stop=[])


@pytest.mark.unit
@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, 7),  # the setting
        ({"Retry-After": "42"}, 42),  # the server's own seconds
        ({"Retry-After": "0"}, 1),
        ({"Retry-After": "soon"}, 7),  # unreadable: the setting
    ],
    ids=["none", "seconds", "zero", "unreadable"],
)
def test_an_unavailable_generator_says_when_to_retry(
    headers: dict[str, str], expected: int
) -> None:
    server = RecordingServer(lambda _: httpx.Response(503, text="loading", headers=headers))
    with pytest.raises(GeneratorUnavailable) as info:
        generator(server, retry_after_s=7).complete("p", max_tokens=1, stop=[])
    assert info.value.retry_after_s == expected
    assert problem_headers(info.value) == {"Retry-After": str(expected)}


@pytest.mark.unit
def test_a_retry_after_date_is_read_as_seconds_from_now() -> None:
    later = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    server = RecordingServer(lambda _: httpx.Response(429, headers={"Retry-After": later}))
    with pytest.raises(GeneratorUnavailable) as info:
        generator(server).chat([{"role": "user", "content": "q"}], max_tokens=1, stop=[])
    assert 85 <= info.value.retry_after_s <= 91


@pytest.mark.unit
def test_an_unreachable_generator_says_when_to_retry() -> None:
    gen = generator(RecordingServer(_raise(httpx.ConnectError("refused"))), retry_after_s=12)
    with pytest.raises(GeneratorUnavailable) as info:
        list(gen.stream("p", max_tokens=1, stop=[]))
    assert problem_headers(info.value) == {"Retry-After": "12"}


@pytest.mark.unit
@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(500, text="segfault"),
        httpx.Response(400, json={"error": {"message": "prompt too long"}}),
        httpx.Response(200, text="<html>not json</html>"),
        httpx.Response(200, json={"choices": []}),
        httpx.Response(200, json=["not", "an", "object"]),
    ],
    ids=["500", "400", "not-json", "no-choices", "not-an-object"],
)
def test_a_broken_answer_is_a_failed_generation_not_unavailable(response: httpx.Response) -> None:
    gen = generator(RecordingServer(lambda _: response))
    with pytest.raises(GenerationFailed) as info:
        gen.complete("p", max_tokens=1, stop=[])
    assert not isinstance(info.value, GeneratorUnavailable)


@pytest.mark.unit
def test_warm_up_reports_but_does_not_raise() -> None:
    up = RecordingServer(lambda _: httpx.Response(200, json={"data": []}))
    assert generator(up).warm_up() is True
    assert up.requests[0].url == "http://generator.test/v1/models"
    down = RecordingServer(_raise(httpx.ConnectError("Connection refused")))
    assert generator(down).warm_up() is False


@pytest.mark.unit
def test_a_closed_port_fails_fast_over_a_real_socket() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens
    settings = GenerationSettings(backend="openai", base_url=f"http://127.0.0.1:{port}/v1")
    gen = OpenAICompatibleGenerator(settings)
    started = time.monotonic()
    with pytest.raises(GeneratorUnavailable, match=f"127.0.0.1:{port}"):
        gen.complete("p", max_tokens=1, stop=[])
    assert time.monotonic() - started < 5
    gen.close()


@pytest.mark.unit
def test_unavailable_maps_to_503_and_failed_to_502() -> None:
    assert problem_details(GeneratorUnavailable("down", retry_after_s=5))["status"] == 503
    assert problem_details(GenerationFailed("broken"))["status"] == 502


@pytest.mark.unit
def test_api_key_is_kept_secret_in_settings() -> None:
    settings = GenerationSettings(backend="openai", api_key="s3cret-" * 3)
    assert "s3cret" not in repr(settings)
    assert "s3cret" not in settings.model_dump_json()


@pytest.mark.unit
def test_credentials_in_the_base_url_are_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    # /readyz (always open) shows model_name, any client reads a 503's detail, the log the
    # warm-up's warning: each named the whole base_url, a password in it included
    base = "http://alice:s3cretpw@generator.test/v1?key=qkey123"
    refused = RecordingServer(_raise(httpx.ConnectError(f"refused: {base}/completions")))
    gen = generator(refused, base_url=base)
    assert gen.model_name == "default at http://generator.test/v1"
    shown = []
    for call in (
        lambda: gen.complete("p", max_tokens=1, stop=[]),
        lambda: list(gen.stream("p", max_tokens=1, stop=[])),
    ):
        with pytest.raises(GeneratorUnavailable) as info:
            call()
        shown.append(str(info.value))
    denied = RecordingServer(lambda _: httpx.Response(401, json={}))
    with caplog.at_level("WARNING", logger="index.remote_generation"):
        assert generator(denied, base_url=base).warm_up() is False
    shown.append(caplog.text)
    for text in shown:
        assert "generator.test" in text
        assert "s3cretpw" not in text and "alice" not in text and "qkey123" not in text, text
    assert denied.requests[0].headers["authorization"].startswith("Basic ")  # still sent


@pytest.mark.unit
@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_is_not_repeated_to_clients(
    status: int, caplog: pytest.LogCaptureFixture
) -> None:
    # OpenAI's 401 says "Incorrect API key provided: sk-abc1********wxyz": the detail of the
    # error every reader of the API gets carried those words
    said = {"error": {"message": "Incorrect API key provided: sk-abc1********wxyz."}}
    denied = RecordingServer(lambda _: httpx.Response(status, json=said))
    gen = generator(denied, api_key="sk-abc1-0123456789-wxyz")
    for call in (
        lambda: gen.complete("p", max_tokens=1, stop=[]),
        lambda: list(gen.stream("p", max_tokens=1, stop=[])),
    ):
        with (
            caplog.at_level("WARNING", logger="index.remote_generation"),
            pytest.raises(GenerationFailed) as info,
        ):
            call()
        detail = str(info.value)
        assert "sk-abc1" not in detail and "check generation.api_key" in detail
        assert f"answered {status}" in detail
    assert "Incorrect API key provided" in caplog.text  # the log keeps the server's words


@pytest.mark.unit
def test_another_error_still_says_the_generators_words() -> None:
    failed = RecordingServer(lambda _: httpx.Response(400, json={"error": "prompt too long"}))
    with pytest.raises(GenerationFailed, match="answered 400: .*prompt too long"):
        generator(failed).complete("p", max_tokens=1, stop=[])
