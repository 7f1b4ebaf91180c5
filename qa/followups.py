"""Follow-up questions: make "And what did Seoul say to that?" searchable on its own.

A 270M model cannot be trusted to rewrite a question faithfully, so the rewrite is a rule:
a question that leans on the conversation (a pronoun or "that" with nothing to point at, an
opening "and"/"what about", or very few words of its own) is searched together with the
previous question (and, for a chain of follow-ups, the earlier ones back to the last that
stood on its own). The rewritten text is returned so the user sees what was searched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.lexical import content_terms
from qa.models import Turn

_LEANS_BACK = re.compile(
    r"^\s*(and|but|so|also|then|what about|how about)\b"
    r"|\b(he|she|it|they|him|her|them|his|hers|its|their|theirs|that|this|those|these|"
    r"there|then|the same|such)\b",
    re.IGNORECASE,
)
MIN_OWN_TERMS = 3  # a question with fewer content words of its own cannot stand alone


def has_own_terms(question: str) -> bool:
    return len(set(content_terms(question))) >= MIN_OWN_TERMS


def is_follow_up(question: str) -> bool:
    return bool(_LEANS_BACK.search(question)) or not has_own_terms(question)


MAX_EARLIER_QUESTIONS = 3  # how far back a chain of follow-ups is followed


def standalone_question(question: str, history: Sequence[Turn]) -> str | None:
    """The question to search, or None when it needs no rewriting.

    It is read with the previous question and, if that was a follow-up too, the ones before
    it back to the last that stood on its own (at most MAX_EARLIER_QUESTIONS, each once):
    "What did the manager say about the hall?" after "When did the market reopen?" and "How
    many stalls does it have?" still names the market.
    """
    if not history or not is_follow_up(question):
        return None
    earlier: list[str] = []
    for turn in reversed(history[-MAX_EARLIER_QUESTIONS:]):
        text = turn.question.strip().rstrip("?")
        if text and text not in earlier:
            earlier.append(text)
        if not is_follow_up(turn.question):
            break
    if not earlier:
        return None
    return f"{question.strip()} (following: {'; '.join(earlier)})"
