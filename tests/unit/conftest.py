"""Fixtures shared by the unit tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture
def no_qa_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No `QA_*` variable from the shell leaks into the `Settings` a test builds."""
    for name in list(os.environ):
        if name.upper().startswith("QA_"):
            monkeypatch.delenv(name)
    yield
