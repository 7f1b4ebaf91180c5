"""Made-up article text for the cleaner's unit tests (tests/unit/test_cleaning*.py)."""

from __future__ import annotations

from qa.cleaning import clean_article

HEADLINE = "Harbour town votes to rebuild its old lighthouse"
BODY_1 = "The council approved the plan on Tuesday after a long debate about costs."
BODY_2 = "Work is expected to start next spring, officials said."


def doc(*blocks: str) -> str:
    """A made-up article: a headline, then the given blocks separated by blank lines."""
    return "\n\n".join([HEADLINE, *blocks])


def body(*blocks: str) -> list[str]:
    """Cleaned paragraphs of a made-up article with a headline."""
    cleaned = clean_article(doc(*blocks))
    assert cleaned.title == HEADLINE
    return cleaned.paragraphs
