"""The shipped answer selector: the file is the one its card describes, and it reads sensibly.

Real model, no fakes: `models/selector/` as committed, run by ONNX Runtime. The pairs below are
made up for this test (no corpus sentence), each with one clear answer among distractors that
share the question's words.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import onnx
import pytest

from index.onnx_weights import signed_weights, unsigned_weights
from index.selector import BUNDLED_DIR, MODEL_FILE, OnnxSelector, sha256
from qa.interfaces import Selection, SelectorInput
from qa.selection import candidate_features
from qa.settings import AnswerSettings

pytestmark = pytest.mark.e2e

CARD = BUNDLED_DIR / "MODEL_CARD.md"
# the same middling evidence for every sentence: the model's reading decides
NEUTRAL = candidate_features(
    cosine=0.5, term_coverage=0.5, context_coverage=0.5, type_match=0.0, paragraph_rank=0
)


@pytest.fixture(scope="module")
def selector() -> OnnxSelector:
    """The shipped model as the service reads it, with the default span length penalty."""
    model = OnnxSelector(
        BUNDLED_DIR, threads=1, span_length_penalty=AnswerSettings().span_length_penalty
    )
    model.warm_up()
    return model


def test_the_shipped_model_matches_its_cards_hash() -> None:
    card = CARD.read_text(encoding="utf-8")
    stated = re.search(r"sha256[^0-9a-f]*([0-9a-f]{64})", card)
    assert stated, "the model card states no sha256"
    assert sha256(BUNDLED_DIR / MODEL_FILE) == stated.group(1)


CASES = [
    (
        "How many stalls does the market have?",
        "Riverside market reopens",
        [
            "The market reopened on Saturday after a two-year renovation.",
            "It now has 85 stalls selling fruit, fish and bread.",
            "The market's manager said visitors had missed the stalls.",
        ],
        1,
        "85",
    ),
    (
        "Who led the team of astronomers?",
        "Water found on distant planet",
        [
            "Astronomers at the Halden Observatory detected water vapour on the planet.",
            "The planet orbits a small red star about 140 light-years from Earth.",
            "The team was led by Dr. Amara Okonjo, who spent two years on the observations.",
        ],
        2,
        "Amara Okonjo",
    ),
    (
        "When will talks between the union and the port resume?",
        "Dockworkers strike",
        [
            "The union demanded a 14 percent pay rise over three years.",
            "Talks with the port operator will resume on Friday with a mediator.",
            "The port said the strike had halted all loading of cargo.",
        ],
        1,
        "Friday",
    ),
]


@pytest.mark.parametrize(("question", "title", "sentences", "best", "span"), CASES)
def test_the_answering_sentence_scores_highest_and_its_span_is_the_answer(
    selector: OnnxSelector, question: str, title: str, sentences: list[str], best: int, span: str
) -> None:
    items = [
        SelectorInput(s, title, sentences[i - 1] if i else "", NEUTRAL)
        for i, s in enumerate(sentences)
    ]
    verdicts = selector.select(question, items)
    scores = [v.score for v in verdicts]
    assert max(range(len(scores)), key=scores.__getitem__) == best, scores
    assert all(0.0 <= s <= 1.0 for s in scores)
    chosen = verdicts[best]
    assert chosen.span_start is not None and chosen.span_end is not None
    assert span in sentences[best][chosen.span_start : chosen.span_end]


def test_a_span_length_penalty_shortens_the_span_and_leaves_the_scores() -> None:
    question, title, sentences, best, _ = CASES[1]
    items = [SelectorInput(s, title, "", NEUTRAL) for s in sentences]
    plain = OnnxSelector(BUNDLED_DIR, threads=1).select(question, items)
    harsh = OnnxSelector(BUNDLED_DIR, threads=1, span_length_penalty=5.0).select(question, items)
    assert [v.score for v in harsh] == [v.score for v in plain]

    def span(verdict: Selection) -> str:
        return sentences[best][verdict.span_start : verdict.span_end]

    assert span(plain[best]) == "Amara Okonjo"
    assert span(harsh[best]) == "Amara"  # each token past the first costs 5 logits


def test_a_sentence_about_something_else_scores_low(selector: OnnxSelector) -> None:
    [verdict] = selector.select(
        "Who won the cup final in the capital?",
        [
            SelectorInput(
                "The council approved the lighthouse budget on Tuesday.", "Budget", "", NEUTRAL
            )
        ],
    )
    assert verdict.score < 0.2


def test_a_questions_candidates_are_read_together_whatever_their_order(
    selector: OnnxSelector,
) -> None:
    """int8 dynamic quantisation scales activations per run, so a question's candidates are
    read in one run (up to the batch size, 32): their scores do not depend on their order, and
    the same call gives the same scores."""
    question, title, sentences, _, _ = CASES[0]
    items = [SelectorInput(s, title, "", NEUTRAL) for s in sentences] * 3
    first, spans = selector.read(question, items)
    again, _ = selector.read(question, items)
    assert list(again) == list(first)
    order = [8, 3, 5, 0, 7, 1, 6, 2, 4]
    shuffled, shuffled_spans = selector.read(question, [items[i] for i in order])
    assert list(shuffled) == pytest.approx([first[i] for i in order], abs=1e-5)
    assert [s[:2] if s else None for s in shuffled_spans] == [
        spans[i][:2] if spans[i] else None for i in order
    ]


def test_the_scores_are_those_of_exact_integer_products(
    selector: OnnxSelector, tmp_path: Path
) -> None:
    """The shipped file keeps its int8 weights; the same model with them stored as uint8 is
    computed exactly on every CPU, so the service's scores must equal its scores wherever it
    runs (on a CPU whose int8 products saturate, only if the weights are read unsigned)."""
    folder = tmp_path / "unsigned"
    shutil.copytree(BUNDLED_DIR, folder)
    model = onnx.load(str(folder / MODEL_FILE))
    assert signed_weights(model) > 0
    unsigned_weights(model)
    onnx.save(model, str(folder / MODEL_FILE))
    exact = OnnxSelector(folder, threads=1)
    for question, title, sentences, _, _ in CASES:
        items = [SelectorInput(s, title, "", NEUTRAL) for s in sentences]
        served, _ = selector.read(question, items)
        reference, _ = exact.read(question, items)
        assert list(served) == pytest.approx(list(reference), abs=1e-4)


# made up for this test: a question, the sentence that answers it, and the answer's words
RAW_PAIRS = [
    (
        "Which bird nests on the ferry's chimney?",
        "Ferry to Lindholm",
        "A pair of black storks nests on the old ferry's chimney every spring.",
        "black storks",
    ),
    (
        "How much did the new footbridge cost?",
        "Footbridge opens",
        "The footbridge over the Mellow River cost 4.2 million euros to build.",
        "4.2 million euros",
    ),
]


def test_span_logits_give_the_raw_span_head_and_find_the_answer_inside_the_sentence(
    selector: OnnxSelector,
) -> None:
    """`span_logits` is the public way to the span head's raw outputs (the measurement
    scripts read them): one start and one end logit per token of the input, and a best span
    that lies inside the sentence and holds the answer; the same numbers `read` gives."""
    penalty = AnswerSettings().span_length_penalty
    for question, title, sentence, answer in RAW_PAIRS:
        items = [SelectorInput(sentence, title, "", NEUTRAL)]
        [reading] = selector.span_logits(question, items)
        tokens = len(reading.encoded.ids)
        assert reading.starts.shape == (tokens,) and reading.ends.shape == (tokens,)
        assert reading.encoded.sentence_start + len(reading.encoded.offsets) < tokens
        span = reading.best_span(penalty)
        assert span is not None
        start, end, _ = span
        assert 0 <= start < end <= len(sentence)
        assert answer in sentence[start:end], sentence[start:end]
        logits, spans = selector.read(question, items)
        assert float(logits[0]) == reading.relevance
        assert spans == [span]


def test_span_logits_of_a_batch_leave_its_padding_out(selector: OnnxSelector) -> None:
    """Read together, a short and a long item are padded to one width for the model; each
    item's logits come back at its own length, and give the span it gives read alone."""
    question, title, sentence, _ = RAW_PAIRS[1]
    short = SelectorInput("It cost a lot.", title, "", NEUTRAL)
    long = SelectorInput(sentence, title, "The town voted for it in 2021.", NEUTRAL)
    together = selector.span_logits(question, [long, short])
    assert [len(r.starts) for r in together] == [len(r.encoded.ids) for r in together]
    assert len(together[0].starts) > len(together[1].starts)
    for item, reading in zip([long, short], together, strict=True):
        [alone] = selector.span_logits(question, [item])
        assert reading.best_span()[:2] == alone.best_span()[:2]  # type: ignore[index]
