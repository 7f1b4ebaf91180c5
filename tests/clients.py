"""The in-process client the unit tests call the app with."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


class LocalClient(TestClient):
    """Starlette's TestClient addressing the app as a browser on this machine does
    (`http://localhost`): a server bound to a loopback address answers only to its loopback
    names (`security.allowed_hosts`), and TestClient's own `http://testserver` is none."""

    def __init__(self, app: Any, base_url: str = "http://localhost", **options: Any) -> None:
        super().__init__(app, base_url=base_url, **options)
