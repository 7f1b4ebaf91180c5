"""Every test carries the `unit` or `e2e` marker: `make test` selects by marker
(`-m "unit or e2e"`), so a test without one would silently never run."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unmarked = [
        item.nodeid
        for item in items
        if item.get_closest_marker("unit") is None and item.get_closest_marker("e2e") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "tests without a unit or e2e marker (make test would skip them): "
            + ", ".join(unmarked[:10])
        )
