"""The shared-norm span loss of `scripts/train_selector.py` (made-up logits)."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.scripts import load_script

pytestmark = pytest.mark.unit

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def train_selector() -> ModuleType:
    return load_script("train_selector")


def _encoded(module: ModuleType, start: int, tokens: int) -> object:
    return module.Encoded(
        ids=[0] * (start + tokens + 1),
        types=[0] * (start + tokens + 1),
        sentence_start=start,
        offsets=[(k, k + 1) for k in range(tokens)],
    )


def _loss(
    module: ModuleType,
    has_answer: bool,
    starts: list[list[float]],
    ends: list[list[float]],
    null: tuple[float, float] = (0.0, 0.0),
) -> float:
    """Two candidates of one question, three sentence tokens each after a two-token question;
    the answer (when there is one) is the second candidate's tokens 1..2."""
    group = module.Group("q?", [], has_answer=has_answer)
    encoded = [_encoded(module, 2, 3), _encoded(module, 2, 3)]
    spans = [None, (3, 4) if has_answer else None]
    loss = module.shared_span_loss(
        [group],
        encoded,
        [0, 0],
        spans,
        torch.tensor(starts),
        torch.tensor(ends),
        torch.tensor(null),
    )
    return float(loss)


def test_the_answer_must_beat_the_tokens_of_every_candidate(train_selector: ModuleType) -> None:
    pad = [0.0, 0.0]
    # the answer's start and end tokens lead in their own sentence either way; the loss is
    # lower only when they also lead over the other candidate's tokens
    beaten = _loss(train_selector, True, [pad + [9, 0, 0], pad + [0, 5, 0]],
                   [pad + [0, 0, 9], pad + [0, 0, 5]], null=(-9, -9))  # fmt: skip
    leading = _loss(train_selector, True, [pad + [1, 0, 0], pad + [0, 5, 0]],
                    [pad + [0, 0, 1], pad + [0, 0, 5]], null=(-9, -9))  # fmt: skip
    assert leading < 0.1 < beaten


def test_a_list_without_the_answer_is_learned_as_no_answer(train_selector: ModuleType) -> None:
    tokens = [[0.0, 0.0, 3, 3, 3], [0.0, 0.0, 3, 3, 3]]
    assert _loss(train_selector, False, tokens, tokens, null=(12, 12)) < 0.01
    assert _loss(train_selector, False, tokens, tokens, null=(0, 0)) > 1.0


def test_tokens_outside_the_sentences_do_not_count(train_selector: ModuleType) -> None:
    quiet = [[0.0, 0.0, 0, 0, 0], [0.0, 0.0, 0, 9, 0]]
    loud = [[50.0, 50.0, 0, 0, 0], [50.0, 50.0, 0, 9, 0]]  # the question's tokens
    ends = [[0.0, 0.0, 0, 0, 0], [0.0, 0.0, 0, 0, 9]]
    assert _loss(train_selector, True, quiet, ends, null=(-9, -9)) == pytest.approx(
        _loss(train_selector, True, loud, ends, null=(-9, -9))
    )


def test_an_answer_whose_tokens_are_unknown_adds_no_loss(train_selector: ModuleType) -> None:
    group = train_selector.Group("q?", [], has_answer=True)
    encoded = [_encoded(train_selector, 2, 3)]
    logits = torch.zeros(1, 6)
    loss = train_selector.shared_span_loss(
        [group], encoded, [0], [None], logits, logits, torch.zeros(2)
    )
    assert float(loss) == 0.0
