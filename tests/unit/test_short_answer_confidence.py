"""The judging helpers `scripts/short_answer_confidence.py` uses, on made-up spans and scores."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.scripts import load_script

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return load_script("short_answer_confidence")


@pytest.mark.parametrize(
    ("span", "answers", "right"),
    [
        ("one-fortieth", ["one-fortieth its total volume"], True),  # inside the gold answer
        ("roughly one-fortieth its volume", ["one-fortieth"], True),  # holds the gold answer
        ("The 3.5%", ["3.5 %"], True),  # case and punctuation aside
        ("3.5%", ["one-fortieth"], False),
        ("", ["anything"], False),  # an empty span is never right
        ("Hartford", ["", "Bridgeport"], False),  # an empty gold answer matches nothing
    ],
)
def test_a_span_is_right_when_it_holds_or_sits_inside_the_gold_answer(
    script: ModuleType, span: str, answers: list[str], right: bool
) -> None:
    assert script.span_is_right(span, answers) is right


def test_auc_counts_ties_as_half_and_is_undefined_without_both_sides(script: ModuleType) -> None:
    auc = script.ts._auc  # the script reports with train_selector's AUC
    assert auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert auc([0.1], [0.9]) == 0.0
    assert auc([0.5], [0.5]) == 0.5
    assert auc([], [0.5]) != auc([], [0.5])  # nan
