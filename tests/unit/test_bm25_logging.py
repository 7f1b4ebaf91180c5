"""bm25s raises its own logger to DEBUG on import; the adapter hands the level back."""

from __future__ import annotations

import logging

import pytest

pytestmark = pytest.mark.unit


def test_bm25s_debug_lines_stay_out_of_a_warning_level_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from index.bm25_store import BM25Store

    caplog.set_level(logging.WARNING)
    BM25Store.build(["The harbour reopened on Monday.", "Frost damaged the apple orchards."])
    assert logging.getLogger("bm25s").getEffectiveLevel() == logging.WARNING
    assert not [r for r in caplog.records if r.name.startswith("bm25s")]
