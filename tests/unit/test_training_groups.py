"""How `scripts/train_selector.py` draws each question's group of candidates (made-up lists)."""

from __future__ import annotations

import random
from types import ModuleType
from typing import Any

import pytest

from tests.scripts import load_script

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def train_selector() -> ModuleType:
    return load_script("train_selector")


def _question() -> dict[str, Any]:
    """One answer sentence in paragraph row 0, five other sentences there, eight elsewhere."""

    def cand(text: str, row: int, label: int) -> dict[str, Any]:
        return {"text": text, "title": "T", "previous": "", "row": row, "label": label}

    gold = [cand("the answer", 0, 1)] + [cand(f"same {i}", 0, 0) for i in range(5)]
    other = [cand(f"other {i}", 1 + i, 0) for i in range(8)]
    return {"question": "q?", "candidates": other[:4] + gold + other[4:]}


def _same_count(module: ModuleType, same_negatives: int | None, seed: int) -> int:
    group = module.make_group(_question(), random.Random(seed), 5, 0.0, same_negatives)
    assert group is not None and group.has_answer
    assert sum(p.label for p in group.pairs) == 1 and len(group.pairs) == 5
    return sum(p.item.sentence.startswith("same") for p in group.pairs)


def test_default_takes_at_least_one_negative_from_the_answers_paragraph(
    train_selector: ModuleType,
) -> None:
    assert all(_same_count(train_selector, None, seed) >= 1 for seed in range(20))


def test_same_negatives_sets_how_many_come_from_the_answers_paragraph(
    train_selector: ModuleType,
) -> None:
    assert all(_same_count(train_selector, 3, seed) >= 3 for seed in range(20))
    # never more than the group has room for
    assert all(_same_count(train_selector, 9, seed) == 4 for seed in range(5))


def test_default_is_one_same_paragraph_negative_in_a_group_of_five(
    train_selector: ModuleType,
) -> None:
    """The default is the shipped model's (v1's) draw: in a group of five, one of the four
    negatives from the gold paragraph, so the default run reproduces v1."""
    for seed in range(10):
        a = train_selector.make_group(_question(), random.Random(seed), 5, 0.0)
        b = train_selector.make_group(_question(), random.Random(seed), 5, 0.0, 1)
        assert [p.item.sentence for p in a.pairs] == [p.item.sentence for p in b.pairs]
