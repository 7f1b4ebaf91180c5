"""The one place where errors become HTTP responses."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from qa.errors import (
    BadInput,
    GenerationFailed,
    IndexCorrupt,
    IndexMismatch,
    IndexNotBuilt,
    NotFound,
    QAError,
)

STATUS_BY_ERROR: list[tuple[type[QAError], int]] = [
    (BadInput, 422),
    (NotFound, 404),
    (IndexNotBuilt, 503),
    (IndexMismatch, 503),
    (IndexCorrupt, 503),
    (GenerationFailed, 502),
]


def _problem(status: int, title: str, detail: str) -> JSONResponse:
    """RFC 9457 problem details: one shape for every error."""
    return JSONResponse(
        status_code=status,
        content={"type": "about:blank", "title": title, "status": status, "detail": detail},
        media_type="application/problem+json",
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(QAError)
    async def qa_error(_: Request, exc: QAError) -> JSONResponse:
        status = next((code for kind, code in STATUS_BY_ERROR if isinstance(exc, kind)), 500)
        return _problem(status, type(exc).__name__, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
            message = error.get("msg", "invalid")
            if error.get("type") == "json_invalid":
                message = "the request body is not valid JSON"
            problems.append(f"{where}: {message}")
        return _problem(422, "Invalid request", "; ".join(problems))
