"""The training lists' retrieval options: recorded by selector_data.py, stated by the card."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scripts import load_script

pytestmark = pytest.mark.unit


def test_options_are_recorded_per_source_and_read_back(tmp_path: Path) -> None:
    data, train = load_script("selector_data"), load_script("train_selector")
    data.record_options(tmp_path, "squad", {"retrieval_depth": 20, "sentence_scores": "off"})
    data.record_options(tmp_path, "reddit", {"retrieval_depth": 100, "sentence_scores": "on"})
    data.record_options(tmp_path, "squad", {"retrieval_depth": 20, "sentence_scores": "on"})
    options = train.list_options(tmp_path, ["squad", "reddit", "amazon"])
    assert options == {
        "squad": {"retrieval_depth": 20, "sentence_scores": "on"},
        "reddit": {"retrieval_depth": 100, "sentence_scores": "on"},
    }
    text = train._lists_text(options)
    assert "squad: each ranking cut at 20" in text and "reddit: each ranking cut at 100" in text


def test_the_card_says_when_nothing_was_recorded(tmp_path: Path) -> None:
    train = load_script("train_selector")
    assert train.list_options(tmp_path, ["squad"]) == {}
    assert train._lists_text({}) == "retrieval options not recorded"
    one = train._lists_text({"squad": {"retrieval_depth": 20, "sentence_scores": "off"}})
    assert one.startswith("each ranking cut at 20") and "`--sentence-scores off`" in one
