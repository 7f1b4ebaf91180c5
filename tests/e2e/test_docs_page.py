"""/docs in a real headless Chromium: the bundled Swagger UI renders the OpenAPI 3.1 schema
the app publishes, offline (its assets come from the server, under the docs' own policy)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import PageProbe, Server

pytestmark = pytest.mark.e2e


def test_docs_render_every_operation(browser: Any, server: Server, test_output_dir: Path) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 1000}, base_url=server.url)
    try:
        page = context.new_page()
        probe = PageProbe(page)
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto("/docs")
        schema = page.request.get("/openapi.json").json()
        assert schema["openapi"].startswith("3.1")

        operations = page.locator(".opblock")
        expect(operations.first).to_be_visible(timeout=30_000)
        paths = [path for path, item in schema["paths"].items() for _ in item]
        expect(operations).to_have_count(len(paths))
        for path in ("/ask", "/ask/stream", "/documents", "/documents/{doc_id}"):
            expect(page.locator(f".opblock-summary-path[data-path='{path}']").first).to_be_visible()
        expect(page.get_by_text("Unable to render this definition")).to_have_count(0)
        expect(page.locator(".info .title")).to_contain_text("Grounded QA")

        # an operation opens with its parameters and responses
        page.locator(".opblock-summary-path[data-path='/documents']").first.click()
        expect(page.locator(".opblock.is-open .parameters").first).to_contain_text("offset")
        page.screenshot(path=str(test_output_dir / "docs-swagger.png"), full_page=False)

        # nothing came from another origin, and the page ran without script errors
        assert all(url.startswith(server.url) for url in requested), requested
        assert not probe.errors, probe.errors
    finally:
        context.close()
