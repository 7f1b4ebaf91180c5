"""Unit tests for qa.citations: splitting answers into claims, measuring paragraph support."""

from __future__ import annotations

import pytest

from qa.citations import Claim, check_answer, is_quote, measure_support, split_claims
from qa.models import Paragraph
from tests.fakes import HashingEmbedder

PARAGRAPH = (
    "The ferry to Skarra island resumed service on Monday after a week of storms. "
    "Harbour staff said the new timetable adds two evening crossings. "
    "Islanders had relied on a fishing boat to bring bread and post."
)
SECOND = "Harbour staff said the new timetable adds two evening crossings."


# --- split_claims ---------------------------------------------------------------------------


@pytest.mark.unit
def test_marker_after_a_sentence() -> None:
    assert split_claims("The ferry resumed on Monday. [1]") == [
        Claim("The ferry resumed on Monday.", [1])
    ]


@pytest.mark.unit
def test_each_sentence_keeps_its_own_markers() -> None:
    claims = split_claims("The ferry resumed on Monday. [1] Two crossings were added. [2][3]")
    assert claims == [
        Claim("The ferry resumed on Monday.", [1]),
        Claim("Two crossings were added.", [2, 3]),
    ]


@pytest.mark.unit
def test_markers_glued_or_spaced_are_all_collected() -> None:
    assert split_claims("Storms ended.[4] [12]") == [Claim("Storms ended.", [4, 12])]


@pytest.mark.unit
def test_text_without_markers_is_one_unmarked_claim() -> None:
    assert split_claims("  The ferry resumed on Monday.  ") == [
        Claim("The ferry resumed on Monday.", [])
    ]


@pytest.mark.unit
def test_unmarked_tail_after_a_marked_claim() -> None:
    assert split_claims("The ferry resumed. [1] Nobody said why.") == [
        Claim("The ferry resumed.", [1]),
        Claim("Nobody said why.", []),
    ]


@pytest.mark.unit
def test_marker_at_the_start_never_ends_up_in_claim_text() -> None:
    claims = split_claims("[1] The ferry resumed on Monday.")
    assert [c.text for c in claims] == ["The ferry resumed on Monday."]
    # a marker cites the text before it; a leading marker has none and is dropped
    assert claims[0].markers == []


@pytest.mark.unit
def test_only_markers_or_nothing_gives_no_claims() -> None:
    assert split_claims("[1][2]") == []
    assert split_claims("") == []


# --- measure_support ------------------------------------------------------------------------


@pytest.mark.unit
def test_copied_claim_is_fully_supported_and_span_is_its_sentence() -> None:
    support = measure_support(SECOND, PARAGRAPH, embedder=HashingEmbedder())
    assert support.score > 0.9
    assert support.lexical == 1.0
    assert support.semantic > 0.9
    assert PARAGRAPH[support.span_start : support.span_end] == SECOND


@pytest.mark.unit
def test_span_of_a_shortened_claim_contains_it() -> None:
    claim = "the new timetable adds two evening crossings"
    support = measure_support(claim, PARAGRAPH, embedder=HashingEmbedder())
    span = PARAGRAPH[support.span_start : support.span_end]
    assert claim in span
    assert span == SECOND  # the tightest window: one sentence, not two
    assert support.score > 0.8


@pytest.mark.unit
def test_equal_support_prefers_the_shorter_window() -> None:
    # "It was so." has no content words: adding it to the window changes no score
    paragraph = f"{SECOND} It was so."
    support = measure_support(SECOND, paragraph, embedder=HashingEmbedder())
    assert paragraph[support.span_start : support.span_end] == SECOND


@pytest.mark.unit
def test_a_sentence_repeated_thousands_of_times_is_embedded_once() -> None:
    """A pasted block of one line repeated (9,000 copies once cost 4,500 embedder calls, 160 s
    of one question): a window's score depends on its text alone, so each text is read once,
    and the first copy is the span, as reading them all would find."""
    embedder = HashingEmbedder()
    claim = "Harbour staff said the timetable adds evening crossings."
    paragraph = " ".join([PARAGRAPH.split(". ")[0] + "."] + [SECOND] * 2000)
    support = measure_support(claim, paragraph, embedder=embedder)
    assert embedder.calls <= 2
    assert support.span_start == paragraph.index(SECOND)
    assert paragraph[support.span_start : support.span_end] == SECOND


@pytest.mark.unit
def test_a_quoted_claim_stops_the_search_at_its_own_sentence() -> None:
    """Once a window scores all a window can (the claim's own sentence), no other is read, even
    when hundreds of others hold every word of the claim too."""
    embedder = HashingEmbedder()
    others = [f"{SECOND[:-1]}, report {k} says." for k in range(300)]
    paragraph = " ".join([SECOND, *others])
    support = measure_support(SECOND, paragraph, embedder=embedder)
    assert embedder.calls <= 2
    assert paragraph[support.span_start : support.span_end] == SECOND


@pytest.mark.unit
def test_span_points_at_the_last_sentence_too() -> None:
    claim = "Islanders had relied on a fishing boat to bring bread and post."
    support = measure_support(claim, PARAGRAPH, embedder=HashingEmbedder())
    assert PARAGRAPH[support.span_start : support.span_end] == claim
    assert support.span_end == len(PARAGRAPH)


@pytest.mark.unit
def test_claim_spanning_two_sentences_gets_a_two_sentence_span() -> None:
    claim = "The ferry resumed service after storms; the timetable adds evening crossings."
    support = measure_support(claim, PARAGRAPH, embedder=HashingEmbedder())
    span = PARAGRAPH[support.span_start : support.span_end]
    assert span.startswith("The ferry to Skarra")
    assert span.endswith("evening crossings.")
    assert support.lexical == 1.0


@pytest.mark.unit
def test_unrelated_claim_gets_low_support() -> None:
    claim = "A village choir won the national folk singing contest."
    support = measure_support(claim, PARAGRAPH, embedder=HashingEmbedder())
    assert support.lexical == 0.0
    assert support.score < 0.3
    assert 0 <= support.span_start < support.span_end <= len(PARAGRAPH)


@pytest.mark.unit
def test_partly_supported_claim_scores_between() -> None:
    embedder = HashingEmbedder()
    full = measure_support(SECOND, PARAGRAPH, embedder=embedder)
    partial = measure_support(
        "Harbour staff said the new timetable adds two crossings for tourists from Norway.",
        PARAGRAPH,
        embedder=embedder,
    )
    unrelated = measure_support("Choir wins folk contest.", PARAGRAPH, embedder=embedder)
    assert full.score > partial.score > unrelated.score
    assert 0.0 < partial.lexical < 1.0


@pytest.mark.unit
def test_empty_paragraph_supports_nothing() -> None:
    support = measure_support("Anything.", "   ", embedder=HashingEmbedder())
    assert (support.score, support.span_start, support.span_end) == (0.0, 0, 0)


@pytest.mark.unit
def test_the_end_written_after_the_last_of_several_markers_is_kept() -> None:
    claims = split_claims("The choir has 28 members [1], [2]. It sang [3].")
    assert [(c.text, c.markers, c.end) for c in claims] == [
        ("The choir has 28 members", [1, 2], "."),
        ("It sang", [3], "."),
    ]


@pytest.mark.unit
def test_full_stop_after_a_marker_is_not_a_claim() -> None:
    assert split_claims("The ferry resumed on Monday [1]. Two crossings were added [2].") == [
        Claim("The ferry resumed on Monday", [1]),
        Claim("Two crossings were added", [2]),
    ]


# --- check_answer -----------------------------------------------------------------------------


def _paragraph(pid: str, text: str) -> Paragraph:
    return Paragraph(
        paragraph_id=pid, doc_id="d", index=0, start=0, end=len(text), text=text, title="T"
    )


@pytest.mark.unit
def test_check_answer_keeps_supported_claims_and_renumbers() -> None:
    ferry = _paragraph("p1", "The ferry service resumed on Monday after the storm passed.")
    budget = _paragraph("p2", "The council approved a budget of 4 million dollars.")
    checked = check_answer(
        "The ferry service resumed on Monday [3]. The council approved 4 million dollars [7].",
        {3: ferry, 7: budget},
        embedder=HashingEmbedder(),
        min_support=0.5,
    )
    # each sentence keeps the full stop written after its marker: they do not run together
    assert checked.text == (
        "The ferry service resumed on Monday [1]. The council approved 4 million dollars [2]."
    )
    assert [c.marker for c in checked.citations] == [1, 2]
    assert [c.paragraph.paragraph_id for c in checked.citations] == ["p1", "p2"]
    assert not checked.removed_claims


@pytest.mark.unit
def test_check_answer_removes_unsupported_citation_and_claim() -> None:
    ferry = _paragraph("p1", "The ferry service resumed on Monday after the storm passed.")
    budget = _paragraph("p2", "The council approved a budget of 4 million dollars.")
    checked = check_answer(
        "The ferry service resumed on Monday [1][2]. Volcanic ash closed the airport [2].",
        {1: ferry, 2: budget},
        embedder=HashingEmbedder(),
        min_support=0.5,
    )
    assert checked.text == "The ferry service resumed on Monday [1]."
    assert [c.paragraph.paragraph_id for c in checked.citations] == ["p1"]
    assert checked.removed_claims == ["Volcanic ash closed the airport"]
    assert checked.removed_citations == 2


@pytest.mark.unit
def test_check_answer_drops_markers_that_point_at_nothing() -> None:
    checked = check_answer(
        "The bridge reopened [4].", {}, embedder=HashingEmbedder(), min_support=0.1
    )
    assert checked.text == ""
    assert checked.citations == []
    assert checked.removed_claims == ["The bridge reopened"]


# --- measure_support embeds only the windows that could win ---------------------------------


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.texts = 0

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.texts += len(texts)
        return super().embed(texts)


def _every_window(claim: str, paragraph: str, lexical_weight: float = 0.6):  # type: ignore[no-untyped-def]
    """The support as a full pass finds it: every window embedded (the reference)."""
    import numpy as np

    from qa.citations import Support
    from qa.lexical import content_terms
    from qa.sentences import sentence_spans

    spans = sentence_spans(paragraph) or []
    windows = [(s.start, s.end) for s in spans]
    windows += [(a.start, b.end) for a, b in zip(spans, spans[1:], strict=False)]
    terms = set(content_terms(claim))
    texts = [paragraph[a:b] for a, b in windows]
    vectors = HashingEmbedder().embed([claim, *texts])
    best = None
    for (a, b), text, cos in zip(windows, texts, vectors[1:] @ vectors[0], strict=True):
        lexical = len(terms & set(content_terms(text))) / len(terms) if terms else 0.0
        semantic = float(np.clip(cos, 0.0, 1.0))
        score = lexical_weight * lexical + (1 - lexical_weight) * semantic
        if best is None or score > best.score + 1e-9:
            best = Support(round(score, 4), round(lexical, 4), round(semantic, 4), a, b)
    return best


LONG = " ".join(
    [
        "The council met on Tuesday to discuss the harbour budget.",
        "Fishermen asked for a new breakwater after the winter storms.",
        "The mayor said the money would come from the ferry levy.",
        "Shopkeepers complained that the levy had already doubled.",
        "A vote is expected next month, the clerk said.",
        "Tourism fell by a third last summer.",
        "The harbour master warned that the old wall could fail.",
        "Engineers put the cost at four million crowns.",
    ]
)


@pytest.mark.unit
@pytest.mark.parametrize(
    "claim",
    [
        "The mayor said the money would come from the ferry levy.",  # a quoted sentence
        "Engineers put the cost at four million crowns.",  # the last sentence
        "Fishermen asked for a new breakwater … after the winter storms.",  # a cut quote
        "The clerk expects a vote next month on the harbour budget.",  # reworded, two sentences
        "Choir wins folk contest.",  # nothing to do with it
        "",  # no words at all
    ],
)
def test_support_is_what_embedding_every_window_finds(claim: str) -> None:
    assert measure_support(claim, LONG, embedder=HashingEmbedder()) == _every_window(claim, LONG)


@pytest.mark.unit
def test_a_quoted_sentence_embeds_only_the_windows_that_hold_its_words() -> None:
    embedder = CountingEmbedder()
    support = measure_support(
        "The mayor said the money would come from the ferry levy.", LONG, embedder=embedder
    )
    assert support.lexical == 1.0
    # 8 sentences make 15 windows; a full pass embeds them all and the claim (16 texts)
    assert embedder.texts < 16


class MeaningEmbedder(HashingEmbedder):
    """The claim and one chosen window mean the same (cosine 1); every other text is unrelated
    to the claim (cosine 0): the window with fewer shared words must still win."""

    def __init__(self, claim: str, same: str) -> None:
        super().__init__()
        self.claim, self.same = claim, same

    def embed(self, texts):  # type: ignore[no-untyped-def]
        import numpy as np

        rows = np.zeros((len(texts), 2), dtype=np.float32)
        for row, text in zip(rows, texts, strict=True):
            row[0 if text in (self.claim, self.same) else 1] = 1.0
        return rows


@pytest.mark.unit
def test_a_window_with_fewer_shared_words_but_the_same_meaning_is_still_found() -> None:
    claim = "Otters, herons, beavers and salmon returned."
    sentences = [
        "Otters, herons, beavers and salmon were counted.",  # 4 of 5 words: 0.48 + 0
        "Otters, herons and beavers were seen.",  # 3 of 5: at most 0.36 + 0.4
        "Otters, herons and beavers fed.",
        "Otters, herons and beavers rested.",
        "Nobody came.",
        "Beavers and salmon are back.",  # 2 of 5, same meaning: 0.24 + 0.4 = 0.64
    ]
    paragraph = " ".join(sentences)
    embedder = MeaningEmbedder(claim, sentences[-1])
    support = measure_support(claim, paragraph, embedder=embedder)
    assert paragraph[support.span_start : support.span_end] == sentences[-1]
    assert support.score == pytest.approx(0.64)


TREATY = (
    "The treaty was signed by Putin and North Korean leader Kim Jong Un on June 19 in "
    "Pyongyang. North Korea fired artillery rounds across the border, and 1,500 special "
    "forces troops were sent to Russia."
)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("claim", "missing"),
    [
        ("The treaty was signed on June 19, 2019, by Putin.", ["2019"]),
        ("The treaty was signed by the Russian President.", ["Russian", "President"]),
        ("North Korea sent 15,000 special forces troops to Russia.", ["15,000"]),
        ("North Korea had not sent any special forces troops to Russia.", ["not"]),
        ("South Korea fired artillery rounds across the border.", ["South"]),
        ("The treaty was signed in Krasnoyarsk.", ["Krasnoyarsk"]),
        # what the paragraph (or its title) does hold passes
        ("Putin and Kim Jong Un signed the treaty on June 19.", []),
        ("North Korea sent 1500 special forces troops to Russia.", []),
        ("The Summit treaty was signed in Pyongyang.", []),  # "Summit" is in the title
        ("Officials said North Korea fired artillery rounds.", []),  # a capital opens it
    ],
)
def test_a_claim_that_changes_a_figure_name_or_negation_is_caught(
    claim: str, missing: list[str]
) -> None:
    from qa.citations import facts_missing

    assert facts_missing(claim, TREATY, "Summit in Pyongyang") == missing


@pytest.mark.unit
@pytest.mark.parametrize(
    ("claim", "paragraph", "missing"),
    [
        ("The grant was worth £45,000.", "The council paid a £45k grant.", []),
        ("The grant was worth £45k.", "The council paid a £45,000 grant.", []),
        ("The grant was worth £1,500.", "The council paid a £1.5k grant.", []),
        ("The grant was worth £4,500.", "The council paid a £45k grant.", ["4,500"]),
    ],
)
def test_an_amount_written_short_holds_the_figure_written_out(
    claim: str, paragraph: str, missing: list[str]
) -> None:
    """The word matches read "£45k" as "£45,000" (`qa.lexical.written_out_amounts`); the figure
    check read "45" against "45000", so a claim that wrote the paragraph's amount out was
    removed as changing it."""
    from qa.citations import facts_missing

    assert facts_missing(claim, paragraph) == missing


@pytest.mark.unit
def test_check_answer_removes_a_claim_whose_figure_its_paragraph_lacks() -> None:
    troops = _paragraph("p1", TREATY)
    checked = check_answer(
        "North Korea sent 15,000 special forces troops to Russia [1]. "
        "North Korea sent 1,500 special forces troops to Russia [1].",
        {1: troops},
        embedder=HashingEmbedder(),
        min_support=0.0,  # only the facts decide here
    )
    assert checked.removed_claims == ["North Korea sent 15,000 special forces troops to Russia"]
    assert checked.text == "North Korea sent 1,500 special forces troops to Russia [1]."


# --- claims a model worded -------------------------------------------------------------------

ADMISSION = (
    "The Brenna glass museum would not charge admission during its first year, the mayor said."
)
CURATOR = "Curator Ines Moreau invited the painter Tomas Eriksen to open it."
MUSEUM = f"{ADMISSION} {CURATOR}"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("claim", "window", "why"),
    [
        ("The museum would charge admission in its first year.", ADMISSION, "no “not”"),
        ("The museum would never open.", CURATOR, "“never”"),
        ("Tomas Eriksen invited Ines Moreau to open the museum.", CURATOR, "other way round"),
    ],
)
def test_a_reworded_claim_that_reverses_its_sentence_conflicts_with_it(
    claim: str, window: str, why: str
) -> None:
    from qa.citations import window_conflicts

    conflicts = window_conflicts(claim, window)
    assert len(conflicts) == 1 and why in conflicts[0]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("claim", "window"),
    [
        ("The museum would not charge admission in its first year.", ADMISSION),
        ("Ines Moreau asked Tomas Eriksen to open the museum.", CURATOR),
        # an apposition turned round is no swap: no word of a relation stands between
        ("Ines Moreau, the Curator, invited the painter Tomas Eriksen to open it.", CURATOR),
        ("The museum was opened by the painter.", CURATOR),  # no name: nothing to compare
    ],
)
def test_a_faithful_rewording_does_not_conflict(claim: str, window: str) -> None:
    from qa.citations import window_conflicts

    assert window_conflicts(claim, window) == []


@pytest.mark.unit
def test_a_reversed_or_uncited_sentence_of_a_model_is_removed() -> None:
    museum = Paragraph(paragraph_id="m1", doc_id="museum", index=0, start=0,
                       end=len(MUSEUM), text=MUSEUM, title="Brenna glass museum opens")  # fmt: skip
    checked = check_answer(
        "The museum was a huge success with visitors. Curator Ines Moreau invited the painter "
        "Tomas Eriksen to open it [1]. The museum would charge admission during its first "
        "year [1].",
        {1: museum},
        embedder=HashingEmbedder(),
        min_support=0.5,
    )
    assert checked.text == ("Curator Ines Moreau invited the painter Tomas Eriksen to open it [1].")
    assert checked.removed_claims == [
        "The museum was a huge success with visitors.",
        "The museum would charge admission during its first year",
    ]
    # the article's own sentences, quoted, are one claim however many sentences they hold
    quoted = check_answer(f"{MUSEUM} [1]", {1: museum}, embedder=HashingEmbedder(), min_support=0.5)
    assert quoted.removed_claims == [] and quoted.citations[0].quoted


@pytest.mark.unit
@pytest.mark.parametrize(
    ("claim", "quoted"),
    [
        ("The Brenna glass museum would not charge admission during its first year", True),
        ("… would not charge admission during its first year, the mayor said. …", True),
        ("The Brenna glass museum … charge admission during its first year", False),  # not
        ("Tomas Eriksen … invited … Ines Moreau", False),  # out of the paragraph's order
        # a "…" between two pieces may leave out anything: no quote, even when faithful
        ("Curator Ines Moreau invited … Tomas Eriksen to open it.", False),
        ("The Brenna glass museum would not … open it", False),  # across a sentence end
    ],
)
def test_a_quote_cut_with_an_ellipsis_only_at_its_ends(claim: str, quoted: bool) -> None:
    from qa.citations import is_quote

    assert is_quote(claim, MUSEUM) is quoted


@pytest.mark.unit
def test_an_ellipsis_does_not_take_a_reversed_claim_past_the_check() -> None:
    museum = Paragraph(paragraph_id="m1", doc_id="museum", index=0, start=0,
                       end=len(MUSEUM), text=MUSEUM, title="Brenna glass museum opens")  # fmt: skip
    for claim in (
        "The Brenna glass museum would … charge admission during its first year [1].",
        "Tomas Eriksen … invited … Ines Moreau [1].",
    ):
        checked = check_answer(claim, {1: museum}, embedder=HashingEmbedder(), min_support=0.5)
        assert checked.citations == [], claim


@pytest.mark.unit
def test_a_quote_cut_inside_a_quotation_with_its_marks_kept_is_still_a_quote() -> None:
    paragraph = (
        "“It is costly,” the harbour board said, “to keep two ferries running all winter, and "
        "to repair the old pier again and again, when one new boat would carry them all.”"
    )
    assert is_quote(
        "“It is costly,” the harbour board said, “to keep two ferries running” …", paragraph
    )
    assert is_quote("… “when one new boat would carry them all.”", paragraph)
    assert is_quote("… “to repair the old pier again and again” …", paragraph)
    # a "…" between two pieces still makes it no quote
    assert not is_quote("“It is costly,” … “when one new boat would carry them all.”", paragraph)


@pytest.mark.unit
def test_a_quote_cut_inside_brackets_with_their_marks_kept_is_still_a_quote() -> None:
    paragraph = (
        "The ferry board (which met in Brenna, Osterby and Vik over three days) voted to sell "
        "the old boat [the Marta] for scrap."
    )
    assert is_quote("… (Osterby and Vik over three days) voted to sell the old boat …", paragraph)
    assert is_quote("The ferry board (which met in Brenna) …", paragraph)
    assert is_quote("… [the Marta] for scrap.", paragraph)
    assert not is_quote("… (Osterby and Vik over four days) voted …", paragraph)


@pytest.mark.unit
def test_a_quote_without_the_paragraphs_note_marks_is_still_a_quote() -> None:
    paragraph = (
        "The lighthouse[3] was built in 1871.[12][13] It was sold in a statement [1] in 2019."
    )
    assert is_quote("The lighthouse was built in 1871.", paragraph)
    assert is_quote("… It was sold in a statement in 2019.", paragraph)
    assert not is_quote("The lighthouse was built in 1872.", paragraph)
