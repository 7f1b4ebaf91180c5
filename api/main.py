"""`python -m api.main`: serve on the configured host and port."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError

from api.app import create_app
from api.middleware import configure_logging
from qa.settings import Settings, settings_problem


def app_factory() -> FastAPI:
    """One worker's app, for `uvicorn api.main:app_factory --factory --workers N`: every worker
    process reads the same `QA_*` settings and loads the index read-only on its own."""
    configure_logging()
    return create_app(Settings())


def main() -> None:
    configure_logging()  # JSON lines; the app writes its own access log line per request
    try:
        settings = Settings()
    except ValidationError as exc:  # a misspelt or out-of-range QA_* setting: one line
        raise SystemExit(f"api.main: settings refused: {settings_problem(exc)}") from None
    workers = settings.server.workers
    uvicorn.run(
        # several processes need an import string to start the app from; one can take the app
        "api.main:app_factory" if workers > 1 else create_app(settings),
        factory=workers > 1,
        workers=workers,
        host=settings.server.host,
        port=settings.server.port,
        log_config=None,
        access_log=False,
        # Longer than common clients' idle expiry (httpx: 5 s, the same as uvicorn's default):
        # with equal timers a client can reuse a connection the server is closing, and the
        # request fails with "server disconnected" (seen once in a 20-client load run).
        timeout_keep_alive=30,
        server_header=False,  # no "server: uvicorn" banner telling a scanner what runs here
    )


if __name__ == "__main__":
    main()
