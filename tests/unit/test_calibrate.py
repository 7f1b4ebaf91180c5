"""How `scripts/calibrate.py` chooses the abstention threshold from per-set figures."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.scripts import load_script

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return load_script("calibrate")


def _row(accuracy: float, wrong_share: float) -> dict[str, float]:
    return {"accuracy": accuracy, "abstention": 1.0, "wrong_share": wrong_share}


def test_a_lower_threshold_that_only_adds_wrong_answers_is_not_chosen(script: ModuleType) -> None:
    rows = {
        0.10: [_row(0.90, 0.14), _row(0.80, 0.12)],  # over the limit
        0.15: [_row(0.88, 0.09), _row(0.80, 0.10)],  # within, as many right as 0.20
        0.20: [_row(0.88, 0.07), _row(0.80, 0.08)],  # same right answers, fewer wrong
        0.25: [_row(0.86, 0.06), _row(0.78, 0.07)],  # loses right answers
    }
    assert script.choose(rows, 0.10) == 0.20


def test_the_most_right_answers_within_the_limit_win_over_fewer_wrong(
    script: ModuleType,
) -> None:
    rows = {
        0.15: [_row(0.90, 0.095), _row(0.80, 0.095)],
        0.20: [_row(0.88, 0.05), _row(0.80, 0.05)],
    }
    assert script.choose(rows, 0.10) == 0.15


def test_sets_are_pooled_with_equal_weight_and_none_when_nothing_fits(
    script: ModuleType,
) -> None:
    # one set far under the limit carries the other: pooled (0.02 + 0.16) / 2 = 0.09
    assert script.choose({0.30: [_row(0.9, 0.02), _row(0.7, 0.16)]}, 0.10) == 0.30
    assert script.choose({0.30: [_row(0.9, 0.12), _row(0.7, 0.16)]}, 0.10) is None
