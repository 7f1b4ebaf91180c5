"""The app factory: `create_app(settings)` builds models and index in the lifespan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.errors import REQUEST_ID_HEADER, document_problems, install_error_handlers
from api.metrics import Metrics, MetricsMiddleware
from api.metrics import router as metrics_router
from api.middleware import (
    AllowedHosts,
    BodySizeLimit,
    CatchAll,
    HeadAsGet,
    ImportKeyFirst,
    RequestLog,
    SecurityHeaders,
    UncompressedBodies,
)
from api.queue import GenerationQueue
from api.reload import IndexReloader, served_state
from api.routers import admin, ask, documents, health, openai_compat, search, stream
from api.security import ReadAccess, answered_hosts, document_open_reads
from api.service import QAService
from index.builder import recover
from qa.errors import StorageFailed
from qa.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"
log = logging.getLogger(__name__)
# every method a route takes (a test holds this to the schema): PUT and DELETE /documents/{id} too
CORS_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE"]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # What a killed process left is settled first: a document change under way is kept or
        # undone, half-removed and unfinished versions are removed (index/journal.py).
        app.state.recovered = await run_in_threadpool(_recover_at_startup, settings)
        # Refuses to start on a missing or mismatched index (the error says how to fix it); a
        # corrupt current version is skipped for the last good one, with a warning.
        app.state.service = await run_in_threadpool(QAService.load, settings)
        app.state.reloader = IndexReloader(app.state.service)
        watcher = None
        if settings.index.reload_interval_s > 0:  # picks up rebuilds without a restart
            watcher = asyncio.create_task(
                app.state.reloader.watch(settings.index.reload_interval_s)
            )
        yield
        if watcher is not None:
            watcher.cancel()
        app.state.service = None
        app.state.generation_queue.shutdown()

    app = FastAPI(
        title="Grounded QA",
        summary="Ask questions about a folder of news articles; every answer cites its paragraph.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served below from packaged assets: the machine may have no internet
        # Starlette would redirect /ask/ to /ask, building the Location from the request's
        # Host header; a trailing slash is a 404 that names the path without it instead.
        redirect_slashes=False,
    )
    app.state.settings = settings
    app.state.recovered = []
    app.state.generation_queue = GenerationQueue.from_settings(settings.server)
    app.state.metrics = Metrics(app.state.generation_queue, degraded=lambda: _degraded(app))
    install_error_handlers(app)
    document_problems(app)
    # the last added runs first: request id and access log wrap everything else; the first
    # added runs last, next to the routes
    app.add_middleware(CatchAll)  # an unexpected error is a 500 that keeps the connection
    app.add_middleware(HeadAsGet)  # HEAD works wherever GET does
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.server.max_body_bytes,
        max_import_bytes=settings.server.max_import_body_bytes,
    )
    app.add_middleware(ImportKeyFirst)  # an import's body is read only for the admin
    app.add_middleware(UncompressedBodies)  # a gzipped body is a 415, not "not UTF-8"
    if settings.security.cors_allow_origins:  # off unless origins are configured
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.security.cors_allow_origins,
            allow_methods=CORS_METHODS,
            # any request header, as the origins are the gate: OpenAI's JavaScript SDK sends
            # its own (X-Stainless-OS, -Retry-Count, -Timeout, …, a new one now and then), and
            # a fixed list refused its preflight, so no browser app built on it could call /v1
            allow_headers=["*"],
            expose_headers=[REQUEST_ID_HEADER, "Retry-After"],
        )
    hosts = answered_hosts(settings)
    if hosts is not None:  # any name, for a server bound to an address others reach
        app.add_middleware(AllowedHosts, hosts=hosts)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(RequestLog)
    # questions and documents are open unless security.read_api_key is set
    read_routers = (ask.router, stream.router, search.router, documents.router,
                    openai_compat.router)  # fmt: skip
    for router in read_routers:
        app.include_router(router, dependencies=[ReadAccess])
    app.include_router(health.router)
    app.include_router(admin.router)  # every route needs the admin key
    app.include_router(metrics_router)  # behind ReadAccess of its own
    document_open_reads(
        app, [route for router in (*read_routers, metrics_router) for route in router.routes]
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # the page's question box carries the server's limit, so the page can warn before sending
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    box = 'id="question" name="question" maxlength="2000"'
    if page.count(box) != 1:
        raise RuntimeError(f"api/static/index.html needs one question box ({box})")
    limit = settings.server.max_question_chars
    # maxlength only stops a runaway paste (it would cut the text silently): the page warns
    # above the limit itself, and the server refuses with a message
    # and the most earlier turns it takes (server.max_history_turns): the page sends no more
    page = page.replace(
        box,
        box.replace('"2000"', f'"{max(2000, 4 * limit)}"')
        + f' data-max-chars="{limit}" data-max-history="{settings.server.max_history_turns}"',
    )

    # whether admin actions are switched on (a key is set; never the key): with them off, the
    # page does not offer to add or delete articles only for the server to refuse
    if page.count("<body>") != 1:
        raise RuntimeError("api/static/index.html needs one <body>")
    admin_state = "on" if settings.security.admin_api_key is not None else "off"
    page = page.replace("<body>", f'<body data-admin="{admin_state}">')

    @app.get("/", include_in_schema=False)
    async def chat_page() -> HTMLResponse:
        return HTMLResponse(page)

    _mount_offline_docs(app)

    return app


def _recover_at_startup(settings: Settings) -> list[str]:
    try:
        recovered = recover(settings.index_dir)
    except StorageFailed as exc:  # e.g. a read-only data folder: serving still works
        log.warning("start-up recovery skipped: %s", exc)
        return []
    except OSError as exc:
        log.warning("start-up recovery skipped: %s", exc.strerror or exc)
        return []
    log.info("start-up recovery: %s", "; ".join(recovered) or "nothing to recover")
    return recovered


def _degraded(app: FastAPI) -> bool:
    service: QAService | None = getattr(app.state, "service", None)
    return service is not None and served_state(service).degraded


def _mount_offline_docs(app: FastAPI) -> None:
    """Swagger UI 5 (it renders the OpenAPI 3.1 schema FastAPI publishes) from the
    `fastapi-swagger` package, which vendors swagger-ui-dist, instead of a CDN."""
    from importlib.resources import files

    assets = Path(str(files("fastapi_swagger.resources")))
    app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )
