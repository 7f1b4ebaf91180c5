"""The app factory: `create_app(settings)` builds models and index in the lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.errors import install_error_handlers
from api.routers import ask, documents, openai_compat, stream
from api.service import QAService
from qa.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"
log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Refuses to start on a missing, corrupt or mismatched index: the error says how to fix.
        app.state.service = await run_in_threadpool(QAService.load, settings)
        yield
        app.state.service = None

    app = FastAPI(
        title="Grounded QA",
        summary="Ask questions about a folder of news articles; every answer cites its paragraph.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served below from packaged assets: the machine may have no internet
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(ask.router)
    app.include_router(stream.router)
    app.include_router(documents.router)
    app.include_router(openai_compat.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    async def chat_page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")

    _mount_offline_docs(app)

    return app


def _mount_offline_docs(app: FastAPI) -> None:
    """Swagger UI from the `swagger-ui-bundle` package instead of a CDN."""
    import swagger_ui_bundle

    app.mount(
        "/docs-assets",
        StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
        name="docs-assets",
    )

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )
