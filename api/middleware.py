"""ASGI middleware: request ids and the access log, the body-size limit, an import refused
without the admin key before its body is read, compressed bodies refused, security headers,
HEAD for every GET route, and a 500 for an unexpected error that keeps the connection open.

Each is plain ASGI rather than `BaseHTTPMiddleware`, so streamed answers pass through untouched
and a client that disconnects is seen by the route at once. Also here: `configure_logging`,
which makes every log line one JSON object carrying the id of the request it belongs to.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import IO, Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import (
    PROBLEM_JSON,
    REQUEST_ID_HEADER,
    is_openai_path,
    openai_errors,
    problem_body,
    problem_details,
    problem_headers,
    request_id,
)
from api.security import admin_refusal, host_allowed, host_name, key_in_headers

access_log = logging.getLogger("api.access")
log = logging.getLogger(__name__)

# An incoming id is kept only if it looks like an id (a UUID, a trace id): anything else could
# forge or break log lines, so it is replaced by a fresh one.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}")

# The chat page loads only its own script, style sheet and icon and talks only to this server:
# no inline code, no other origins, no framing.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI starts itself with an inline script and inline styles.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# JSON and event streams are never rendered as documents.
API_CSP = "default-src 'none'; frame-ancestors 'none'"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def new_request_id(incoming: str | None) -> str:
    """The caller's id if it is a sane one, else a fresh random one."""
    if incoming and _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestLog:
    """Gives every request an id (`X-Request-ID`, echoed back) and logs one line when it ends.

    The line holds the id, method, path, status and duration, plus, for questions, the
    answer's outcome and stage timings that the route left in `request.state`.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = new_request_id(Headers(scope=scope).get(REQUEST_ID_HEADER))
        request_id.set(rid)  # this task is this request's: nothing to reset afterwards
        openai_errors.set(is_openai_path(scope["path"]))
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        status = 500  # if the app fails before answering, the error handler sends a 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            fields: dict[str, Any] = {
                "request_id": rid,
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            }
            if "outcome" in state:
                fields["outcome"] = state["outcome"]
            if "timings_ms" in state:
                fields["timings_ms"] = state["timings_ms"]
            access_log.info("request", extra=fields)


IMPORT_PATH = "/documents/import"
# What a too-large body holds on each route, for the 413's advice (by path prefix).
_WHAT_WAS_TOO_LARGE = (
    ("/ask", "Send a shorter question or fewer earlier turns."),
    ("/v1/chat/completions", "Send shorter messages or fewer of them."),
    (
        IMPORT_PATH,
        "Split the export into several files, or put the file into the corpus folder and "
        "rebuild the index, or raise the limit.",
    ),
    (
        "/documents",
        "Send a shorter article, or split it into several; a saved web page that cannot be "
        "split can be put into the corpus folder and indexed by a rebuild, or the limit "
        "raised.",
    ),
)


class BodySizeLimit:
    """Refuses bodies over `max_bytes` with 413: at once when `Content-Length` says so, else as
    soon as the streamed body passes the limit (so an unbounded upload is never buffered).

    FastAPI's own `max_body_size` answers in plain text from outside the user middleware, so
    its 413 would have neither the problem details shape nor the request id.
    """

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, max_import_bytes: int | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # an import carries a whole export or a document in base64: a limit of its own
        self.max_import_bytes = max_bytes if max_import_bytes is None else max_import_bytes

    def _limit(self, path: str) -> tuple[int, str]:
        """The limit for a request to `path`, and the setting that holds it."""
        if path == IMPORT_PATH:
            return self.max_import_bytes, "server.max_import_body_bytes"
        return self.max_bytes, "server.max_body_bytes"

    def _detail(self, size: str, path: str) -> str:
        advice = next(
            (text for prefix, text in _WHAT_WAS_TOO_LARGE if path.startswith(prefix)),
            "Send a smaller body.",
        )
        limit, setting = self._limit(path)
        return (
            f"the request body is {size} bytes; the limit is {limit} (setting {setting}). {advice}"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes, _ = self._limit(scope["path"])
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
            size = declared if declared.isdigit() else "of unreadable length"
            response = JSONResponse(
                problem_body(413, "Request too large", self._detail(size, scope["path"])),
                status_code=413,
                media_type=PROBLEM_JSON,
            )
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    # raised into the route reading the body; the error handler answers 413
                    raise HTTPException(413, self._detail(f"more than {max_bytes}", scope["path"]))
            return message

        await self.app(scope, counting_receive, send)


class ImportKeyFirst:
    """Refuses `POST /documents/import` without the admin key (401, or 403 with admin actions
    off) before any of its body is read. FastAPI reads and parses a route's JSON body before
    its dependencies run, so `require_admin` alone let anyone make the server buffer and parse
    up to `server.max_import_body_bytes` (16 MiB: about 0.5 s of the event loop and 370 MB of
    memory for a body of small JSON objects) only to be told 401; that larger limit is now the
    admin's alone. The route's own `require_admin` still decides."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == IMPORT_PATH:
            expected = scope["app"].state.settings.security.admin_api_key
            refusal = admin_refusal(expected, key_in_headers(Headers(scope=scope)))
            if refusal is not None:
                body = problem_details(refusal)
                response = JSONResponse(
                    body,
                    status_code=int(str(body["status"])),
                    media_type=PROBLEM_JSON,
                    headers=problem_headers(refusal),
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class AllowedHosts:
    """Answers 400 to a request whose Host header names the server otherwise than
    `security.allowed_hosts` (for a server bound to a loopback address, localhost, 127.0.0.1
    and ::1). A web page the user opens can point a name of its own at 127.0.0.1 (DNS
    rebinding) and then read this server's answers and articles as its own origin; its
    requests carry that name. A request with no Host header is no browser's and is let by.

    Starlette's TrustedHostMiddleware does the same check, but answers in plain text,
    "Invalid host header", which does not say which setting to change."""

    def __init__(self, app: ASGIApp, *, hosts: tuple[str, ...]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        header = Headers(scope=scope).get("host") if scope["type"] == "http" else None
        name = None if header is None else host_name(header)
        if name is not None and not host_allowed(name, self.hosts):
            detail = (
                f"the Host header names this server {name!r}, which is not one of "
                f"the names it answers to ({', '.join(self.hosts)}; setting "
                "security.allowed_hosts, QA_SECURITY__ALLOWED_HOSTS). Behind a proxy or on a "
                "network under another name, add that name to the setting"
            )
            response = JSONResponse(
                problem_body(400, "Host not allowed", detail),
                status_code=400,
                media_type=PROBLEM_JSON,
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


# methods whose requests carry a body here
_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


class UncompressedBodies:
    """Refuses a request body sent with a `Content-Encoding` (gzip, br, deflate) with 415 and
    `Accept-Encoding: identity`, as RFC 9110 (15.5.16) has it. Bodies are read as sent; a
    gzipped one used to be told it was "not UTF-8" and to convert its text from Windows-1252,
    which it was not. Not decoding it also keeps `server.max_body_bytes` the size read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in _WITH_BODY:
            coding = Headers(scope=scope).get("content-encoding", "").strip()
            if coding and coding.lower() != "identity":
                detail = (
                    f"the request body is sent with Content-Encoding: {coding[:40]}, and this "
                    "server reads bodies only as they are: send the JSON uncompressed, without "
                    "a Content-Encoding header"
                )
                response = JSONResponse(
                    problem_body(415, "Unsupported media type", detail),
                    status_code=415,
                    media_type=PROBLEM_JSON,
                    headers={"Accept-Encoding": "identity"},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class HeadAsGet:
    """Answers HEAD wherever GET is answered: the route runs as for GET, and only the status
    and headers (Content-Length included) are sent. FastAPI routes, unlike Starlette's, do not
    take HEAD by themselves."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        inner = {**scope, "method": "GET"}  # the server still sees HEAD and sends no body

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(inner, receive, send_headers_only)
        finally:
            for key in ("route", "endpoint", "path_params"):  # for the metrics' route label
                if key in inner:
                    scope[key] = inner[key]


class CatchAll:
    """An unexpected error in a route becomes a 500 problem response here, inside the other
    middleware, so it carries the request id and is logged and counted like any answer; and
    since nothing is re-raised to the server, the client's keep-alive connection stays usable.
    (An error after the response started can only end that response: it is re-raised.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, noting_start)
        except Exception as exc:
            if started:
                raise
            log.exception("unhandled error", exc_info=exc)
            response = JSONResponse(problem_details(exc), status_code=500, media_type=PROBLEM_JSON)
            await response(scope, receive, send)


class SecurityHeaders:
    """Adds a Content-Security-Policy fitting the path, and the usual hardening headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    @staticmethod
    def policy_for(path: str) -> str:
        if path == "/" or path.startswith("/static/"):
            return PAGE_CSP
        if path == "/docs" or path.startswith("/docs-assets/"):
            return DOCS_CSP
        return API_CSP

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self.policy_for(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _RequestIdFilter(logging.Filter):
    """Stamps every log record with the id of the request it was written for, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


def configure_logging(level: int = logging.INFO, stream: IO[str] | None = None) -> None:
    """One JSON object per line (on stderr by default), for the app's lines and uvicorn's."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        JsonFormatter(
            "{asctime}{levelname}{name}{message}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            reserved_attrs=[*RESERVED_ATTRS, "color_message"],  # uvicorn's ANSI-coloured copy
        )
    )
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
