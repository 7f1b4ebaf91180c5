"""Unit tests for qa.evaluation: answer matching, judging one response, summarising a run."""

from __future__ import annotations

from typing import Any

import pytest

from qa.evaluation import (
    LONG_ANSWER_WORDS,
    Judgement,
    answer_words,
    contains,
    judge,
    normalise,
    percentile,
    summarise,
    wilson_interval,
)

QUESTION: dict[str, Any] = {
    "id": "ferry-crossings",
    "kind": "single",
    "question": "How many evening crossings does the new ferry timetable add?",
    "answers": [["two", "2"]],
    "evidence": [{"doc": "skarra-ferry", "text": "adds two evening crossings"}],
}
UNANSWERABLE: dict[str, Any] = {
    "id": "ferry-captain",
    "kind": "unanswerable",
    "question": "What is the name of the ferry's captain?",
    "answers": [],
    "evidence": [],
}
PARAGRAPH = "Harbour staff said the new timetable adds two evening crossings."


def answered(answer: str, citations: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"status": "answered", "answer": answer, "citations": citations or []}


def cite(doc_id: str = "skarra-ferry", text: str = PARAGRAPH) -> dict[str, Any]:
    return {"doc_id": doc_id, "text": text, "marker": 1}


ABSTAINED: dict[str, Any] = {
    "status": "insufficient_evidence",
    "answer": "The articles do not hold enough evidence to answer this.",
    "citations": [],
}


# --- matching -------------------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Toll: 12,000 Sheep!", "the toll 12000 sheep"),
        ("  Port   Alder\n(harbour) ", "port alder harbour"),
        ("1,250,000 people", "1250000 people"),
        ("well-known", "well known"),
        ("“Quoted,” she said.", "quoted she said"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.unit
def test_contains_ignores_case_punctuation_and_thousands_commas() -> None:
    assert contains("The flood drowned 12,000 sheep.", "12000 sheep")
    assert contains("The flood drowned 12000 sheep.", "12,000")
    assert contains("MAYOR INGRID TALVIK said so", "Ingrid Talvik")
    assert contains("the keeper (Ingrid) left", "keeper Ingrid")


@pytest.mark.unit
def test_contains_respects_word_boundaries() -> None:
    assert not contains("The cathedral was repaired.", "cat")
    assert not contains("It cost 120,000 dollars.", "20,000")
    assert not contains("It cost 12,0005 dollars.", "12,000")
    assert contains("A cat sat.", "cat")


@pytest.mark.unit
def test_contains_phrase_must_be_contiguous() -> None:
    assert not contains("two new evening crossings", "two evening crossings")


@pytest.mark.unit
def test_answer_words_ignore_markers_and_ellipses() -> None:
    assert answer_words("… two evening crossings [1] [2]") == 3
    assert answer_words("one two…three [1]") == 3


@pytest.mark.unit
def test_a_lone_quotation_mark_or_a_spaced_dash_is_no_word() -> None:
    assert answer_words("“ The ferry will run , ” she said — on Monday - at 9 [1]") == 10
    assert answer_words('" Yes , " the mayor said – twice .') == 5
    assert answer_words("Anna-Liisa Virtanen’s “quiet” harbour, 1,200 tonnes") == 6


# --- judge ----------------------------------------------------------------------------------


@pytest.mark.unit
def test_correct_answer_with_right_citation() -> None:
    j = judge(QUESTION, answered("The timetable adds 2 evening crossings. [1]", [cite()]), 0.25)
    assert j.correct is True
    assert (j.id, j.kind) == ("ferry-crossings", "single")
    assert j.words == 6
    assert j.latency_s == 0.25
    assert (j.cited, j.cited_right, j.evidence_found) == (1, 1, 1.0)
    assert j.notes == []


@pytest.mark.unit
def test_an_article_detail_is_cited_by_the_detail_not_by_words() -> None:
    question = {
        **QUESTION,
        "question": "Who wrote the article about the ferry timetable?",
        "answers": [["Mira Hale"]],
        "evidence": [{"doc": "skarra-ferry", "detail": "author"}],
    }
    told = {**cite(), "detail": "author"}
    j = judge(question, answered("“Ferry timetable” is by Mira Hale. [1]", [told]), 0.1)
    assert (j.correct, j.cited, j.cited_right) == (True, 1, 1)
    other = {**cite(), "detail": "date"}
    j = judge(question, answered("“Ferry timetable” is by Mira Hale. [1]", [other]), 0.1)
    assert (j.cited, j.cited_right) == (1, 0)
    j = judge(question, answered("Mira Hale said so. [1]", [cite()]), 0.1)  # a quote
    assert j.cited_right == 0


@pytest.mark.unit
def test_wrong_answer() -> None:
    j = judge(QUESTION, answered("The timetable adds three crossings. [1]", [cite()]), 0.1)
    assert j.correct is False
    assert j.cited_right == 1  # the citation can still be right when the answer is not


@pytest.mark.unit
def test_answer_must_match_every_group() -> None:
    question = dict(QUESTION, answers=[["two", "2"], ["evening"]])
    assert judge(question, answered("two evening crossings [1]"), 0).correct
    assert not judge(question, answered("two morning crossings [1]"), 0).correct


@pytest.mark.unit
def test_over_long_answer_counts_as_wrong() -> None:
    filler = " ".join(["word"] * (LONG_ANSWER_WORDS - 2))
    at_limit = f"two crossings {filler} [1]"
    over = f"two crossings {filler} more [1]"
    assert answer_words(at_limit) == LONG_ANSWER_WORDS
    ok = judge(QUESTION, answered(at_limit), 0)
    long = judge(QUESTION, answered(over), 0)
    assert ok.correct is True
    assert long.correct is False
    assert long.words == LONG_ANSWER_WORDS + 1
    assert any("words" in note for note in long.notes)


@pytest.mark.unit
def test_abstaining_on_an_answerable_question_is_wrong() -> None:
    j = judge(QUESTION, ABSTAINED, 0.3)
    assert j.correct is False
    assert j.notes == ["abstained"]
    assert (j.words, j.cited, j.cited_right, j.evidence_found) == (0, 0, 0, 0.0)


@pytest.mark.unit
def test_abstaining_on_an_unanswerable_question_is_right() -> None:
    j = judge(UNANSWERABLE, ABSTAINED, 0.3)
    assert j.correct is True
    assert j.words == 0


@pytest.mark.unit
def test_answering_an_unanswerable_question_is_wrong() -> None:
    j = judge(UNANSWERABLE, answered("Captain Olsen. [1]", [cite()]), 0.3)
    assert j.correct is False
    assert j.notes == ["answered an unanswerable question"]


@pytest.mark.unit
def test_citation_counts_only_with_the_right_doc_and_phrase() -> None:
    citations = [
        cite(),  # right article, holds the phrase
        cite(doc_id="other-article"),  # phrase, but the wrong article
        cite(text="The ferry resumed service on Monday."),  # right article, wrong paragraph
    ]
    j = judge(QUESTION, answered("two crossings [1][2][3]", citations), 0)
    assert (j.cited, j.cited_right) == (3, 1)
    assert j.evidence_found == 1.0


@pytest.mark.unit
def test_evidence_found_is_the_share_of_evidence_cited() -> None:
    question = dict(
        QUESTION,
        kind="multi",
        evidence=[
            {"doc": "skarra-ferry", "text": "two evening crossings"},
            {"doc": "skarra-harbour", "text": "the harbour reopened"},
        ],
    )
    j = judge(question, answered("two crossings [1]", [cite()]), 0)
    assert j.evidence_found == 0.5
    both = [cite(), cite("skarra-harbour", "After repairs the harbour reopened in May.")]
    assert judge(question, answered("two crossings [1][2]", both), 0).evidence_found == 1.0


# --- summarise ------------------------------------------------------------------------------


@pytest.mark.unit
def test_summarise_numbers() -> None:
    judgements = [
        Judgement("a", "single", True, cited=1, cited_right=1, evidence_found=1.0, words=4,
                  latency_s=1.0),
        Judgement("b", "single", False, cited=2, cited_right=1, evidence_found=0.5, words=10,
                  latency_s=2.0),
        Judgement("c", "multi", False, latency_s=3.0),  # abstained
        Judgement("d", "unanswerable", True, latency_s=4.0),
        Judgement("e", "unanswerable", False, words=7, latency_s=5.0),
    ]  # fmt: skip
    summary = summarise(judgements)
    assert summary["questions"] == 5
    assert summary["answer_accuracy"] == pytest.approx(1 / 3, abs=1e-4)
    low, high = summary["answer_accuracy_low"], summary["answer_accuracy_high"]
    assert 0 < low < 1 / 3 < high < 1
    assert summary["abstention_accuracy"] == 0.5
    assert summary["citation_precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert summary["evidence_recall"] == 0.5
    assert summary["median_answer_words"] == 7
    assert summary["latency_p50_s"] == 3.0
    assert summary["latency_p95_s"] == 5.0


@pytest.mark.unit
def test_summarise_nothing_is_all_zero() -> None:
    summary = summarise([])
    assert summary["questions"] == 0
    assert all(v == 0 for v in summary.values())


@pytest.mark.unit
def test_wilson_interval_matches_the_textbook_values() -> None:
    # 42 of 50 (84 %): the interval of the NYT dev set's size
    assert wilson_interval(42, 50) == pytest.approx((0.7149, 0.9166), abs=1e-4)
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson_interval(10, 10) == pytest.approx((0.7225, 1.0), abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 0.0)
    # more questions, a narrower interval around the same share
    small, large = wilson_interval(42, 50), wilson_interval(168, 200)
    assert large[1] - large[0] < small[1] - small[0]


@pytest.mark.unit
def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 21)]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 20.0
    assert percentile(values, 95) == 19.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([], 50) == 0.0


@pytest.mark.unit
def test_claims_kept_and_removed_are_counted() -> None:
    question = {"id": "q", "kind": "single", "answers": [["28"]], "evidence": []}
    response = {
        "status": "answered",
        "answer": "The choir has 28 members [1]. It won in 2031 [2].",
        "citations": [],
        "removed_claims": ["It sang on the moon"],
    }
    j = judge(question, response, 0.1)
    assert (j.claims_kept, j.claims_removed) == (2, 1)
    summary = summarise([j, judge(question, {"status": "insufficient_evidence"}, 0.1)])
    assert (summary["claims_kept"], summary["claims_removed"]) == (2, 1)


@pytest.mark.unit
def test_answers_lacking_the_asked_kind_are_counted_with_how_many_were_right() -> None:
    lacking = {**answered("Harbour staff said the timetable adds two evening crossings [1]."),
               "holds_asked_kind": False}  # fmt: skip
    wrong = {**answered("Harbour staff praised the timetable [1]."), "holds_asked_kind": False}
    holding = {**answered("It adds two evening crossings [1]."), "holds_asked_kind": True}
    declined = {**ABSTAINED, "holds_asked_kind": False}  # never set on a refusal; not counted
    judgements = [
        judge(QUESTION, lacking, 0.1),
        judge(QUESTION, wrong, 0.1),
        judge(QUESTION, holding, 0.1),
        judge(QUESTION, declined, 0.1),
        judge(UNANSWERABLE, wrong, 0.1),
    ]
    summary = summarise(judgements)
    assert summary["lacking_asked_kind"] == 3
    assert summary["lacking_asked_kind_right"] == 1
