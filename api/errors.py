"""The one place where errors become HTTP responses."""

from __future__ import annotations

import email.message
import logging
import re
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from qa.errors import (
    BadInput,
    ClientGone,
    Conflict,
    Forbidden,
    GenerationFailed,
    GeneratorUnavailable,
    Gone,
    IndexCorrupt,
    IndexMismatch,
    IndexNotBuilt,
    NotFound,
    Overloaded,
    QAError,
    ShuttingDown,
    StorageFailed,
    TimedOut,
    TooLarge,
    Unauthorized,
)

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
_PROBLEMS_LISTED = 10  # of a request's validation errors, the first ones named in the detail
REQUEST_ID_HEADER = "X-Request-ID"

# The id of the request being handled, set by `api.middleware.RequestLog`; each request runs in
# its own task, so it never leaks into another request's problem details or log lines.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# Set by `api.middleware.RequestLog` for paths under /v1: there an error also carries OpenAI's
# `error` object (what OpenAI clients read and show) and a refused request is OpenAI's 400.
openai_errors: ContextVar[bool] = ContextVar("openai_errors", default=False)
OPENAI_PREFIX = "/v1/"


def is_openai_path(path: str) -> bool:
    """Under /v1, where errors speak OpenAI's shape: `/v1` itself too (a client's base URL,
    asked as it is), which was answered as an ordinary path."""
    return path == OPENAI_PREFIX.rstrip("/") or path.startswith(OPENAI_PREFIX)


# OpenAI's `error.type` and `error.code` by HTTP status; other 4xx are invalid requests, 5xx
# server errors.
_OPENAI_KINDS: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("authentication_error", "invalid_api_key"),
    403: ("permission_error", None),
    404: ("invalid_request_error", "not_found"),
    410: ("invalid_request_error", "not_found"),
    413: ("invalid_request_error", "request_too_large"),
    429: ("rate_limit_error", "rate_limit_exceeded"),
    503: ("server_error", "service_unavailable"),
}


class OpenAIError(BaseModel):
    """OpenAI's error object: `message` is the problem's detail."""

    message: str
    type: str = Field(description="`invalid_request_error`, `authentication_error`, ….")
    param: str | None = Field(default=None, description="The request field at fault, if one.")
    code: str | None = None


class ProblemDetails(BaseModel):
    """RFC 9457 problem details: the body of every error response."""

    type: str = Field(default="about:blank", description="Always `about:blank`.")
    title: str = Field(description="What went wrong, in a few words.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What happened and what to do about it.")
    request_id: str | None = Field(
        default=None, description="The `X-Request-ID` of the request; the logs carry it too."
    )
    error: OpenAIError | None = Field(
        default=None,
        description="Only under `/v1`: the same error in OpenAI's shape, for OpenAI clients.",
    )


# (error kind, HTTP status, title); the first matching kind wins.
STATUS_BY_ERROR: list[tuple[type[QAError], int, str]] = [
    (BadInput, 422, "Invalid request"),
    (TooLarge, 413, "Request too large"),
    (Unauthorized, 401, "API key required"),
    (Forbidden, 403, "Forbidden"),
    (Gone, 410, "Gone"),  # before its base class
    (NotFound, 404, "Not found"),
    (Conflict, 409, "Conflict"),
    (Overloaded, 429, "Too many requests"),
    (TimedOut, 503, "Timed out"),
    (ShuttingDown, 503, "Shutting down"),
    (ClientGone, 499, "Client closed request"),  # nginx's code; logged, never read
    (IndexNotBuilt, 503, "Index not built"),
    (IndexMismatch, 503, "Index does not match the configuration"),
    (IndexCorrupt, 503, "Index unreadable"),
    (StorageFailed, 507, "Insufficient storage"),
    (GeneratorUnavailable, 503, "Language model unavailable"),  # before its base class
    (GenerationFailed, 502, "Language model failed"),
]


def problem_details(exc: BaseException) -> dict[str, object]:
    """RFC 9457 problem details for an error: a QAError says what to fix, anything else is 500."""
    if isinstance(exc, QAError):
        status, title = next(
            ((code, title) for kind, code, title in STATUS_BY_ERROR if isinstance(exc, kind)),
            (500, "Internal error"),
        )
        param = exc.param if isinstance(exc, BadInput) else None
        body = problem_body(status, title, str(exc), param=param)
        if isinstance(exc, BadInput):
            # RFC 9457 extension members, after the standard ones (never over them)
            body.update({k: v for k, v in exc.extensions.items() if k not in body})
        return body
    return problem_body(500, "Internal error", "the server failed; the error was logged")


def problem_body(
    status: int, title: str, detail: str, *, param: str | None = None
) -> dict[str, object]:
    """One shape for every error, with the request id the logs carry (set for every request
    the app serves; absent only when a route runs without the middleware, as in unit tests).

    Under /v1 (`openai_errors`) a 422 is sent as 400, as OpenAI does, and the body also holds
    OpenAI's `error` object: its clients raise `BadRequestError` and show `error.message`.
    Callers take the status to send from the body's `status`.
    """
    openai = openai_errors.get()
    if openai and status == 422:
        status = 400
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    body["detail"] = detail
    if (rid := request_id.get()) is not None:
        body["request_id"] = rid
    if openai:
        body["error"] = openai_error(status, detail, param=param)
    return body


def openai_error(status: int, detail: str, *, param: str | None = None) -> dict[str, object]:
    """OpenAI's error object for an error of this status."""
    kind, code = _OPENAI_KINDS.get(
        status, ("server_error" if status >= 500 else "invalid_request_error", None)
    )
    return OpenAIError(message=detail, type=kind, param=param, code=code).model_dump()


def problem_headers(exc: BaseException) -> dict[str, str]:
    """Headers an error needs besides its body: when to retry, how to authenticate."""
    if isinstance(exc, Overloaded | TimedOut | GeneratorUnavailable):
        return {"Retry-After": str(exc.retry_after_s)}
    if isinstance(exc, Unauthorized):
        return {"WWW-Authenticate": 'Bearer realm="grounded-qa"'}
    return {}


def is_json_media_type(content_type: str) -> bool:
    """`application/json` or `application/<something>+json`, parameters (charset) aside: what
    FastAPI parses as JSON. `application/jsonx` or `text/json` are not."""
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _problem(status: int, title: str, detail: str, *, param: str | None = None) -> JSONResponse:
    """RFC 9457 problem details: one shape for every error."""
    body = problem_body(status, title, detail, param=param)
    return JSONResponse(status_code=int(str(body["status"])), content=body, media_type=PROBLEM_JSON)


def note_openai_path(request: Request) -> None:
    """Note for `problem_body` whether the request is under /v1 (the middleware notes it too,
    for the errors it answers itself; an app without it, as in unit tests, still gets it)."""
    openai_errors.set(is_openai_path(request.url.path))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(QAError)
    async def qa_error(request: Request, exc: QAError) -> JSONResponse:
        note_openai_path(request)
        if isinstance(exc, ClientGone):
            request.state.outcome = "cancelled"  # the access log line says so beside the 499
        body = problem_details(exc)
        return JSONResponse(
            status_code=int(str(body["status"])),
            content=body,
            media_type=PROBLEM_JSON,
            headers=problem_headers(exc),
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        note_openai_path(request)
        content_type = request.headers.get("content-type", "")
        if request.method == "POST" and not is_json_media_type(content_type):
            return _problem(
                415 if content_type else 422,
                "Unsupported media type" if content_type else "Invalid request",
                "send the body as JSON with the header Content-Type: application/json",
            )
        problems = []
        errors = exc.errors()
        # the first body field at fault, for OpenAI's `error.param` ("messages.0.role"); none
        # for JSON that does not parse (its `loc` is a character offset)
        param = next(
            (
                ".".join(str(p) for p in e["loc"][1:])
                for e in errors
                if e.get("type") != "json_invalid" and tuple(e.get("loc", ()))[:1] == ("body",)
            ),
            None,
        )
        for error in errors[:_PROBLEMS_LISTED]:
            if error.get("type") == "json_invalid":
                # the text json.loads read (UTF-16 and a BOM decoded), which its offset counts in
                read = exc.body if isinstance(exc.body, str) else await request.body()
                problems.append(_json_problem(error, read))
                continue
            where = _field_path(error.get("loc", ()))
            message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
            if where:
                problems.append(f"{where}: {message}")
            elif error.get("type") == "missing":  # no body at all
                problems.append("the request body is empty: send a JSON object")
            elif error.get("type") in _NOT_AN_OBJECT:  # null, [], 42, "x"
                sent = type(error.get("input")).__name__
                problems.append(
                    f"the request body is {_JSON_KINDS.get(sent, sent)}, not a JSON object: "
                    "send an object of the fields GET /docs lists for this endpoint"
                )
            else:  # a check of the whole body (e.g. date_from after date_to): its own words
                problems.append(message)
        if len(errors) > _PROBLEMS_LISTED:  # 150,000 unknown fields made a 5 MB reply
            problems.append(f"and {len(errors) - _PROBLEMS_LISTED} more problems")
        return _problem(422, "Invalid request", "; ".join(problems), param=param or None)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        note_openai_path(request)
        titles = {
            404: "Not found",
            405: "Method not allowed",
            413: "Request too large",
            422: "Invalid request",
        }
        status, detail = exc.status_code, exc.detail
        if not isinstance(detail, str):
            detail = "request failed"
        if status == 400 and detail == "There was an error parsing the body":
            # FastAPI's words for a body that is not UTF-8 or nested too deeply to parse: as
            # unusable as invalid JSON, so the same status
            status = 422
            if isinstance(exc.__cause__, UnicodeDecodeError):
                detail = _undecodable_body(exc.__cause__, await _body_read(request))
            else:  # nested too deeply (RecursionError), a number of too many digits
                detail = (
                    "the request body is not valid JSON, or too much of it to read: send UTF-8 "
                    "JSON nested at most a few hundred levels deep, with no number of more than "
                    "4,300 digits"
                )
        if status == 404 and detail == "Not Found":
            path = request.url.path
            if _OPENAI_WITHOUT_PREFIX.match(path) and (v1 := _openai_routes(request)):
                # a client whose base URL lacks /v1: answered as an OpenAI error, which its
                # library shows (a problem document shows as "Error code: 404" alone)
                openai_errors.set(True)
                detail = (
                    f"no such endpoint: {path} is an OpenAI path without the /v1 prefix; set the "
                    f"client's base URL to this server's address followed by /v1. The "
                    f"OpenAI-compatible endpoints are {v1}"
                )
            elif len(path) > 1 and path.endswith("/"):  # no redirect: it would echo the Host
                detail = f"no such endpoint; paths have no trailing slash: {path.rstrip('/')}"
            elif is_openai_path(path) and (v1 := _openai_routes(request)):
                detail = f"no such endpoint; the OpenAI-compatible ones are {v1}"
            else:
                detail = "no such endpoint; GET /docs lists them"
        allowed = (
            allowed_methods(request.app.router.routes, request.scope) if status == 405 else None
        )
        if allowed and detail == "Method Not Allowed":  # Starlette's words: say what is allowed
            detail = f"{request.method} is not allowed on {request.url.path}; send {allowed}"
        response = _problem(status, titles.get(status, "HTTP error"), detail)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        if allowed:
            response.headers["Allow"] = allowed  # else (a mounted app's 405) its own stays
        return response

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        # sent from outside the middleware, so the request id header is added here
        headers = {REQUEST_ID_HEADER: rid} if (rid := request_id.get()) else None
        return JSONResponse(
            status_code=500, content=problem_details(exc), media_type=PROBLEM_JSON, headers=headers
        )


async def _body_read(request: Request) -> bytes | None:
    """The body the route read (Starlette keeps it on the request the handler gets), or None."""
    try:
        return await request.body()
    except Exception:  # noqa: BLE001 - only a better position is lost
        return None


def _undecodable_body(error: UnicodeDecodeError, body: bytes | None) -> str:
    """A body that is not in the encoding JSON is read in (UTF-8; UTF-16 or UTF-32 when its
    first bytes say so), said with the first byte at fault and where it is: a client that sent
    Windows-1252 or Latin-1 bytes ("café" as b"caf\xe9") learns what to fix and where."""
    data, start = bytes(error.object), error.start
    if body is not None and len(body) > len(data) and body.endswith(data):
        start += len(body) - len(data)  # counted in the body sent, its byte-order mark too
        data = body
    encoding = error.encoding.lower().replace("_", "-")
    name = "UTF-8" if encoding.startswith("utf-8") else encoding.upper()
    at_fault = " ".join(f"0x{b:02X}" for b in data[start : max(error.end, start + 1)][:4])
    before = data[max(0, start - 20) : start].decode(error.encoding, errors="ignore")
    after = f", after {before[-16:]!r}" if before.strip() else ""
    return (
        f"the request body is not {name}: byte {at_fault} at position {start} (counted from 0"
        f"{after}) cannot be read as {name} ({error.reason}); encode the JSON as UTF-8 "
        "(convert text in Windows-1252, Latin-1 or another encoding first)"
    )


def _field_path(loc: Sequence[int | str]) -> str:
    """Where in the request a problem is, as "history.0.question" or "path.doc_id": FastAPI's
    leading "body" (the whole JSON body) is left out by position, so a field that is itself
    named `body` ("body: Extra inputs are not permitted") or nested in one keeps its name."""
    parts = list(loc[1:] if tuple(loc[:1]) == ("body",) else loc)
    return ".".join(str(p) for p in parts)


# pydantic's words for a body that is valid JSON but not an object, and the JSON names of what was
_NOT_AN_OBJECT = ("model_attributes_type", "model_type", "dict_type")
_JSON_KINDS = {"NoneType": "null", "list": "an array", "int": "a number", "float": "a number",
               "str": "a string", "bool": "true or false"}  # fmt: skip


def _json_problem(error: Mapping[str, Any], body: str | bytes) -> str:
    """Invalid JSON, said with where: json's own reason ("Expecting ',' delimiter"), the line and
    column, and for a raw control character in a string how to write it instead."""
    reason = str((error.get("ctx") or {}).get("error", "")).removesuffix(" at").strip()
    loc = error.get("loc", ())
    offset = loc[-1] if loc and isinstance(loc[-1], int) else None
    problem = f"the request body is not valid JSON: {reason}".rstrip(": ")
    if offset is not None:
        read = body if isinstance(body, str) else body.decode("utf-8", errors="replace")
        text = read[:offset]
        line = text.count("\n") + 1
        column = offset - (text.rfind("\n") + 1) + 1
        problem += f" at line {line}, column {column}"
    if "control character" in reason.lower():
        problem += r" (a line break or tab inside a string is written \n or \t)"
    return problem


# OpenAI's endpoints asked of the server's root, or under /api or /openai: an OpenAI client
# given the server's address as its base URL, without /v1
_OPENAI_WITHOUT_PREFIX = re.compile(
    r"^(?:/api|/openai)?(?:/v1)?(?<!^/v1)/(?:chat/completions|completions|models(?:/[^/]+)?|"
    r"embeddings|responses)/?$"
)


def _openai_routes(request: Request) -> str:
    """The app's /v1 endpoints ("POST /v1/chat/completions, GET /v1/models, …"), for a client
    that asked for another OpenAI endpoint (/v1/responses, /v1/embeddings): read from the
    OpenAPI schema (built once), which sees inside the included routers."""
    paths = request.app.openapi().get("paths", {})
    return ", ".join(
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        if path.startswith("/v1/")
        for method in operations
        if method.upper() in ("GET", "POST", "PUT", "DELETE", "PATCH")
    )


def allowed_methods(routes: list[BaseRoute], scope: Scope) -> str:
    """Every method some route of the path takes (RFC 9110 15.5.6), HEAD wherever GET is.

    Starlette's 405 names only the methods of the first route whose path matched, so
    `PUT /documents` was told `Allow: GET` though `POST /documents` exists too. Each method is
    tried against the routes as the router would (`BaseRoute.matches`, which also sees inside
    included routers).
    """
    methods = {
        method
        for method in ("DELETE", "GET", "PATCH", "POST", "PUT")
        if any(route.matches({**scope, "method": method})[0] == Match.FULL for route in routes)
    }
    if "GET" in methods:
        methods.add("HEAD")  # api.middleware.HeadAsGet answers it
    return ", ".join(sorted(methods))


# FastAPI's own validation-error schemas: never sent (problem details are), so not documented
_FASTAPI_ERROR_SCHEMAS = ("HTTPValidationError", "ValidationError")


def document_problems(app: FastAPI) -> None:
    """Every error response in the OpenAPI schema is problem details, as it is on the wire.

    Routes list the statuses they can answer with; this adds what every route can get (a body
    over the size limit, an unexpected 500) and gives all of them the problem details schema
    under `application/problem+json`, replacing FastAPI's default validation-error schema.
    """
    build_schema = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build_schema()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem_schema = ProblemDetails.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components.update(problem_schema.pop("$defs", {}))
        components["ProblemDetails"] = problem_schema
        removed = {f"#/components/schemas/{name}" for name in _FASTAPI_ERROR_SCHEMAS}
        for name in _FASTAPI_ERROR_SCHEMAS:
            components.pop(name, None)
        content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
        for path, path_item in schema.get("paths", {}).items():
            for method, operation in path_item.items():
                responses = operation.setdefault("responses", {})
                if path.startswith(OPENAI_PREFIX) and "422" in responses:
                    # refused requests are OpenAI's 400 there (`problem_body`)
                    refused = responses.pop("422")
                    responses.setdefault("400", refused)
                if "requestBody" in operation or method in ("post", "put", "patch"):
                    responses.setdefault("413", {"description": "Body over the size limit."})
                if "requestBody" in operation:
                    responses.setdefault(
                        "415", {"description": "A body sent as another media type than JSON."}
                    )
                responses.setdefault("500", {"description": "Unexpected server failure."})
                if "security" in operation:
                    responses.setdefault("401", {"description": "Missing or wrong API key."})
                for code, response in responses.items():
                    if code[0] in "45":  # a declared JSON model (as /readyz's 503) stays
                        kept = {
                            media: body
                            for media, body in response.get("content", {}).items()
                            if body.get("schema", {}).get("$ref") not in removed
                        }  # FastAPI's validation error, which is never sent, goes
                        response["content"] = {**kept, **content}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
