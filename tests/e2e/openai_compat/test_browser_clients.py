"""A browser app built on OpenAI's JavaScript SDK calling the OpenAI-compatible endpoint across
origins: the CORS preflight lets the SDK's own headers through (a server of its own, with an
allowed origin).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Server, start_server, stop_server
from tests.e2e.openai_compat.conftest import MODEL, TROOPS, user

pytestmark = pytest.mark.e2e


# what OpenAI's JavaScript SDK adds to each request (LangChain.js and others are built on it)
SDK_HEADERS = {
    "X-Stainless-OS": "MacOS",
    "X-Stainless-Lang": "js",
    "X-Stainless-Arch": "arm64",
    "X-Stainless-Runtime": "browser:chrome",
    "X-Stainless-Runtime-Version": "131.0.0",
    "X-Stainless-Package-Version": "4.77.0",
    "X-Stainless-Retry-Count": "0",
    "X-Stainless-Timeout": "600",
}
APP_ORIGIN = "http://localhost:5173"


@pytest.fixture(scope="module")
def cors_server(seeds_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(
        seeds_data_dir,
        tmp_path_factory.mktemp("cors-logs") / "server.log",
        QA_SECURITY__CORS_ALLOW_ORIGINS=f'["{APP_ORIGIN}"]',
    )
    yield running
    stop_server(running)


def test_a_browser_app_on_openais_sdk_passes_the_preflight(cors_server: Server) -> None:
    """The browser asks first whether the SDK's own headers may be sent; refused, the app's
    request never leaves the browser."""
    with cors_server.client() as http:
        preflight = http.options(
            "/v1/chat/completions",
            headers={
                "Origin": APP_ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": ",".join(
                    ["authorization", "content-type", *(h.lower() for h in SDK_HEADERS)]
                ),
            },
        )
        assert preflight.status_code == 200, preflight.text
        assert preflight.headers["access-control-allow-origin"] == APP_ORIGIN
        allowed = preflight.headers["access-control-allow-headers"].lower()
        assert all(h.lower() in allowed for h in SDK_HEADERS), allowed

        asked = http.post(
            "/v1/chat/completions",
            headers={"Origin": APP_ORIGIN, "Authorization": "Bearer not-needed", **SDK_HEADERS},
            json={"model": MODEL, "messages": [user(TROOPS[0])]},
        )
        assert asked.status_code == 200, asked.text
        assert asked.headers["access-control-allow-origin"] == APP_ORIGIN
        assert asked.json()["status"] == "answered"
