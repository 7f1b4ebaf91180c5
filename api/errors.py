"""The one place where errors become HTTP responses."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from qa.errors import (
    BadInput,
    GenerationFailed,
    IndexCorrupt,
    IndexMismatch,
    IndexNotBuilt,
    NotFound,
    QAError,
)

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"

# (error kind, HTTP status, title); the first matching kind wins.
STATUS_BY_ERROR: list[tuple[type[QAError], int, str]] = [
    (BadInput, 422, "Invalid request"),
    (NotFound, 404, "Not found"),
    (IndexNotBuilt, 503, "Index not built"),
    (IndexMismatch, 503, "Index does not match the configuration"),
    (IndexCorrupt, 503, "Index unreadable"),
    (GenerationFailed, 502, "Language model failed"),
]


def problem_details(exc: BaseException) -> dict[str, object]:
    """RFC 9457 problem details for an error: a QAError says what to fix, anything else is 500."""
    if isinstance(exc, QAError):
        status, title = next(
            ((code, title) for kind, code, title in STATUS_BY_ERROR if isinstance(exc, kind)),
            (500, "Internal error"),
        )
        return {"type": "about:blank", "title": title, "status": status, "detail": str(exc)}
    detail = "the server failed; the error was logged"
    return {"type": "about:blank", "title": "Internal error", "status": 500, "detail": detail}


def _problem(status: int, title: str, detail: str) -> JSONResponse:
    """RFC 9457 problem details: one shape for every error."""
    return JSONResponse(
        status_code=status,
        content={"type": "about:blank", "title": title, "status": status, "detail": detail},
        media_type=PROBLEM_JSON,
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(QAError)
    async def qa_error(_: Request, exc: QAError) -> JSONResponse:
        body = problem_details(exc)
        return JSONResponse(
            status_code=int(str(body["status"])), content=body, media_type=PROBLEM_JSON
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        content_type = request.headers.get("content-type", "")
        if request.method == "POST" and "json" not in content_type:
            return _problem(
                415 if content_type else 422,
                "Invalid request",
                "send the body as JSON with the header Content-Type: application/json",
            )
        problems = []
        for error in exc.errors():
            if error.get("type") == "json_invalid":
                reason = (error.get("ctx") or {}).get("error", "")
                problems.append(f"the request body is not valid JSON: {reason}".rstrip(": "))
                continue
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
            problems.append(f"{where}: {error.get('msg', 'invalid')}")
        return _problem(422, "Invalid request", "; ".join(problems))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not found", 405: "Method not allowed"}
        detail = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and detail == "Not Found":
            detail = "no such endpoint; GET /docs lists them"
        response = _problem(exc.status_code, titles.get(exc.status_code, "HTTP error"), detail)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(status_code=500, content=problem_details(exc), media_type=PROBLEM_JSON)
