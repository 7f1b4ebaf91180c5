"""The exact-match token types a selector trained with `--mark-matches` reads
(`index/selector.py: Encoder`, `MATCH_TYPE`): made-up sentences, the committed tokenizer."""

from __future__ import annotations

import pytest

from index.selector import BUNDLED_DIR, MATCH_TYPE, TOKENIZER_FILE, Encoder
from qa.interfaces import SelectorInput
from qa.lexical import content_term_spans

pytestmark = pytest.mark.unit

QUESTION = "When did the harbour council approve the 12,000-tonne crane?"
ITEM = SelectorInput(
    "The councils approved a crane of 12,000 tonnes in May, and the mayor's office agreed.",
    "Port news",
    "The harbor was busy.",
)


def typed(mark: bool) -> list[tuple[str, int]]:
    encoder = Encoder(BUNDLED_DIR / TOKENIZER_FILE, mark_matches=mark)
    (encoded,) = encoder.encode(QUESTION, [ITEM])
    vocab = encoder._tokenizer  # the tokenizer the ids came from
    return [(vocab.id_to_token(i), t) for i, t in zip(encoded.ids, encoded.types, strict=True)]


def test_without_marking_the_types_are_question_then_the_rest() -> None:
    types = [t for _, t in typed(False)]
    head = types.index(1)
    assert set(types[:head]) == {0} and set(types[head:]) == {1}


def test_words_the_question_holds_are_marked_in_sentence_and_context() -> None:
    tokens = typed(True)
    head = next(i for i, (_, t) in enumerate(tokens) if t != 0)
    assert {t for _, t in tokens[:head]} == {0}  # the question itself is never marked
    marked = {tok for tok, t in tokens[head:] if t == MATCH_TYPE}
    # stems and spellings as qa.lexical matches them: councils ~ council, approved ~ approve,
    # harbor (context) ~ harbour; a number's pieces share its mark
    assert {"councils", "approved", "crane", "12", ",", "000", "harbor"} <= marked
    plain = {tok for tok, t in tokens[head:] if t == 1}
    # function words, words the question lacks, and the separators stay type 1
    assert {"the", "in", "may", "mayor", "office", "agreed", "[SEP]"} <= plain
    assert "[SEP]" not in marked


def test_term_spans_point_at_their_words() -> None:
    text = "The Mayor's 12,000 cranes"
    spans = content_term_spans(text)
    assert [text[a:b] for a, b, _ in spans] == ["Mayor's", "12,000", "cranes"]
    assert [term for *_, term in spans] == ["mayor", "12000", "crane"]


def test_letters_without_an_accent_mark_read_as_their_plain_spelling() -> None:
    encoder = Encoder(BUNDLED_DIR / TOKENIZER_FILE)
    accented = SelectorInput("The Sønderborg ferry left Łódź's twin town.", "Straße news", "")
    plain = SelectorInput("The Sonderborg ferry left Lodz's twin town.", "Strasse news", "")
    (a,) = encoder.encode("Where did the Sønderborg ferry go?", [accented])
    (b,) = encoder.encode("Where did the Sonderborg ferry go?", [plain])
    assert a.ids == b.ids  # one reading, with or without them
    words = [accented.sentence[start:end] for start, end in a.offsets]
    assert "Søn" in words and "Łó" in words  # offsets point into the sentence as given
