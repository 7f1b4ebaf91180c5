"""A language model on another machine, behind the same `Generator` protocol as the local GGUF.

`OpenAICompatibleGenerator` talks to any OpenAI-compatible server (llama.cpp's `llama-server`
or `python -m llama_cpp.server`, vLLM, Ollama, a hosted API): `/v1/completions` for the
few-shot completion prompt, `/v1/chat/completions` for chat, streaming over Server-Sent Events.
A server that cannot be reached (refused, down, too slow) raises `GeneratorUnavailable` (503);
one that answers with an error or nonsense raises `GenerationFailed` (502). The 503 carries
`Retry-After`: the server's own when it sent one, else `generation.retry_after_s`.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
from httpx_sse import SSEError, connect_sse

from qa.errors import GenerationFailed, GeneratorUnavailable
from qa.settings import GenerationSettings

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0  # a loopback or LAN server accepts at once; waiting longer only hangs
UNAVAILABLE_STATUSES = frozenset({408, 429, 502, 503, 504})  # the server is there but not now


class OpenAICompatibleGenerator:
    """Thread-safe: one pooled `httpx.Client`; the remote server does its own scheduling."""

    def __init__(
        self, settings: GenerationSettings, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._settings = settings
        headers = {}
        if settings.api_key is not None:
            headers["Authorization"] = f"Bearer {settings.api_key.get_secret_value()}"
        self._client = httpx.Client(
            base_url=settings.base_url.rstrip("/") + "/",
            headers=headers,
            timeout=httpx.Timeout(
                settings.timeout_s, connect=min(CONNECT_TIMEOUT_S, settings.timeout_s)
            ),
            transport=transport,
            trust_env=False,  # a proxy from the environment must not sit between us and it
        )

    @property
    def model_name(self) -> str:
        """The model and where it runs, as /readyz and the log show it (no credentials)."""
        base_url = self._settings.base_url
        return f"{self._settings.model or 'default'} at {without_credentials(base_url, base_url)}"

    @property
    def prompt_format(self) -> Literal["completion", "chat"]:
        return self._settings.prompt_format

    def warm_up(self) -> bool:
        """Check that the server answers (`GET models`); never fails start-up, only warns, so
        the service comes up and answers 503 until the generator is back."""
        try:
            self._client.get("models").raise_for_status()
        except httpx.HTTPError as exc:
            base_url = self._settings.base_url
            log.warning(
                "generator at %s is not reachable yet: %s",
                without_credentials(base_url, base_url),
                without_credentials(str(exc), base_url),  # httpx names the whole URL
            )
            return False
        return True

    def close(self) -> None:
        self._client.close()

    def _body(self, max_tokens: int, stop: Sequence[str]) -> dict[str, Any]:
        s = self._settings
        body: dict[str, Any] = {
            "max_tokens": max_tokens,
            "stop": list(stop),
            "temperature": s.temperature,
            "top_p": s.top_p,
            "seed": s.seed,
        }
        if s.model:
            body["model"] = s.model
        return body

    # One request each: `should_stop` is asked before it is sent (a request under way ends at
    # generation.timeout_s) and, when streaming, between tokens.

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str],
        should_stop: Callable[[], bool] | None = None,
    ) -> str:
        if should_stop is not None and should_stop():
            return ""
        data = self._post("completions", {**self._body(max_tokens, stop), "prompt": prompt})
        return str(_first_choice(data).get("text") or "")

    def stream(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str],
        should_stop: Callable[[], bool] | None = None,
    ) -> Iterator[str]:
        body = {**self._body(max_tokens, stop), "prompt": prompt, "stream": True}
        with (
            self._errors_mapped(),
            connect_sse(self._client, "POST", "completions", json=body) as source,
        ):
            _raise_for_status(source.response, self._settings.retry_after_s)
            for event in source.iter_sse():
                if event.data.strip() == "[DONE]":
                    return
                chunk = _json(event.data)
                if "error" in chunk:
                    raise GenerationFailed(f"{self.model_name}: {chunk['error']}")
                text = _first_choice(chunk).get("text")
                if text:
                    yield str(text)
                if should_stop is not None and should_stop():
                    return

    def chat(
        self,
        messages: list[dict[str, str]],
        *,
        max_tokens: int,
        stop: Sequence[str],
        should_stop: Callable[[], bool] | None = None,
    ) -> str:
        if should_stop is not None and should_stop():
            return ""
        data = self._post(
            "chat/completions", {**self._body(max_tokens, stop), "messages": messages}
        )
        message = _first_choice(data).get("message") or {}
        return str(message.get("content") or "") if isinstance(message, dict) else ""

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        with self._errors_mapped():
            response = self._client.post(path, json=body)
            _raise_for_status(response, self._settings.retry_after_s)
            return _json(response.text)

    def _errors_mapped(self) -> AbstractContextManager[None]:
        s = self._settings
        return _mapped_errors(s.base_url, s.timeout_s, s.retry_after_s)


@contextmanager
def _mapped_errors(base_url: str, timeout_s: float, retry_after_s: int) -> Iterator[None]:
    """httpx failures as the service's errors: unreachable or too slow → GeneratorUnavailable,
    a broken event stream → GenerationFailed."""
    where = f"the language model server at {without_credentials(base_url, base_url)}"
    try:
        yield
    except httpx.TimeoutException as exc:
        raise GeneratorUnavailable(
            f"{where} did not answer within {timeout_s:g} s (setting generation.timeout_s); "
            "try again later",
            retry_after_s=retry_after_s,
        ) from exc
    except SSEError as exc:  # a TransportError subclass: caught first
        shown = without_credentials(str(exc), base_url)
        raise GenerationFailed(f"{where} did not stream Server-Sent Events: {shown}") from exc
    except httpx.TransportError as exc:
        shown = without_credentials(str(exc), base_url)
        raise GeneratorUnavailable(
            f"{where} cannot be reached ({exc.__class__.__name__}: {shown}); "
            "check that it is running (setting generation.base_url)",
            retry_after_s=retry_after_s,
        ) from exc


def without_credentials(text: str, base_url: str) -> str:
    """`text` without the user name and password `base_url` carries (httpx sends them as basic
    authentication, for a generator behind a proxy that asks for it), nor its query: where the
    generator is may be said (in an error any client reads, in /readyz, which is always open,
    and in the log), how to get in never is."""
    parts = urlsplit(base_url)
    userinfo, at, _ = parts.netloc.rpartition("@")
    for secret in (userinfo + at if at else "", f"?{parts.query}" if parts.query else ""):
        if secret:
            text = text.replace(secret, "")
    return text


# a generator's answer that it will not serve this server's key
REFUSED_KEY_STATUSES = frozenset({401, 403})


def _raise_for_status(response: httpx.Response, retry_after_s: int) -> None:
    """An error status as the service's error; a busy or unavailable server's own Retry-After
    (seconds or an HTTP date) is passed on, else `retry_after_s`."""
    if response.status_code < 400:
        return
    response.read()
    if response.status_code in REFUSED_KEY_STATUSES:
        # its words are the log's only: OpenAI's own 401 repeats the key it was sent, in part
        log.warning(
            "the language model server refused this server's request (%d): %s",
            response.status_code,
            response.text[:300],
        )
        detail = (
            "it did not take this server's key; check generation.api_key (the log has its words)"
        )
    else:
        detail = response.text[:300]
    message = f"the language model server answered {response.status_code}: {detail}"
    if response.status_code in UNAVAILABLE_STATUSES:
        told = _retry_after(response.headers.get("Retry-After"))
        raise GeneratorUnavailable(message, retry_after_s=retry_after_s if told is None else told)
    raise GenerationFailed(message)


def _retry_after(value: str | None) -> int | None:
    """A Retry-After header's seconds from now, at least 1; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return max(1, int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(1, math.ceil((when - datetime.now(UTC)).total_seconds()))


def _json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GenerationFailed(f"the language model server sent invalid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise GenerationFailed("the language model server sent JSON that is not an object")
    return data


def _first_choice(data: dict[str, Any]) -> dict[str, Any]:
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise GenerationFailed("the language model server's response has no choices")
    return choices[0]
