"""Quotes that lean on the sentence before: "He said…", "The official added…".

A quote that opens with a pronoun or with "the official" (and the like) does not say who is
speaking or acting. The answer then carries the sentence before it, when that sentence names
someone, unless the short answer already names them (a "Who…?" answered with a name) or the
question does (it is not a "Who…?" and holds a name: the reader knows whom "he" is). A name is
told by its capital letter; there is no named-entity model, so a place or an organisation
counts too.
"""

from __future__ import annotations

import re

# a pronoun, or "the" + a role a news story names once and then refers back to
_REFERENCE = re.compile(
    r"^(?:…\s*)?[\"“‘']?(?:he|she|they|his|her|their|it|its|"
    r"the (?:official|officials|spokesman|spokeswoman|spokesperson|minister|ministry|agency|"
    r"company|group|president|leader|statement))\b",
    re.I,
)
# a capitalised word after the first: a name, a place, an organisation
_NAME = re.compile(r"(?<=\s)[\"“‘']?[A-Z][\w'’.-]*[a-z]")
_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december".split()
)
_PRONOUNS = frozenset("he she they his her their it its him them".split())


def opens_with_reference(text: str) -> bool:
    """Whether the quote opens with a word that points back to someone named before."""
    return bool(_REFERENCE.match(text.strip()))


def names_someone(text: str) -> bool:
    """Whether a sentence holds a capitalised word past its first (a name, most often)."""
    return any(
        m.group().strip("\"“‘'").rstrip(".").lower() not in _NOT_NAMES for m in _NAME.finditer(text)
    )


def short_answer_names(short_answer: str | None) -> bool:
    """Whether the short answer is itself a name (capitalised, not a pronoun)."""
    if not short_answer:
        return False
    first = short_answer.split()[0].strip("\"“‘'")
    return first[:1].isupper() and first.lower() not in _PRONOUNS
