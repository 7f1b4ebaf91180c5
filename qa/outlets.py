"""A news outlet's name as the cleaner's rules read it, one definition for them all: the
outlet a byline names after a job title ("By Naomi Fielding, Science Editor, The Lowland
Herald": qa/authors.py), a paper's name on a line beside the byline ("Marlow Evening Post":
qa/cleaning_lines.py), after the byline's names ("By Rhys Morgan, Dale Valley Gazette":
qa/authors.py) or before a date ("Northgate Chronicle, 10 September 2025": qa/cleaning_lines.py).
"""

from __future__ import annotations

import re

__all__ = ["SOURCE_MAX_WORDS", "outlet_name", "paper_name", "paper_not_person"]

# An outlet's name is of this many words at the most; so is a "Source:" line's name (a longer
# "Source: …" line is a sentence of the article: "Source: figures the ministry gave the paper
# in March …")
SOURCE_MAX_WORDS = 8
# capitalised words, with "of", "the", "and", "for" or "&" between them ("The Times of London",
# "Post and Courier", "Journal for Science"): it opens with a capital, so never with "and" (a
# byline's second author: "…, Staff Writer, and Li Wei")
_NAME = re.compile(r"^[A-Z][\w'’.&-]*(?:\s+(?:[A-Z][\w'’.&-]*|of|the|and|for|&))*$")
# the words a newspaper's, agency's or broadcaster's name ends in ("Marlow Evening Post",
# "Northgate Chronicle", "Valley Sport"), which a place or a person's name does not
MASTHEAD_WORDS = frozenset(
    {"post", "times", "herald", "chronicle", "gazette", "news", "journal", "tribune", "daily",
     "press", "review", "observer", "guardian", "telegraph", "mail", "star", "standard",
     "courier", "echo", "express", "record", "mirror", "independent", "sport", "weekly",
     "monitor", "register", "bulletin", "advertiser", "examiner", "dispatch", "inquirer",
     "globe", "sentinel", "citizen", "argus", "leader", "magazine", "wire", "agency", "today"}
)  # fmt: skip
# those that are family names too ("Tom Post", "Frank Press", "Darren Star"): after a person's
# name a comma sets off, such a name may be a second author's
_FAMILY_NAMES = frozenset({"post", "press", "star", "leader", "daily"})
# the words of a paper's name before its last that no person's name holds ("Yorkshire Evening
# Post", "Daily Star", "Sunday Post", "Journal Star")
_EDITION_WORDS = frozenset({"morning", "evening", "sunday", "weekend"}) | MASTHEAD_WORDS


def outlet_name(text: str) -> bool:
    """Whether `text` may be an outlet's name where the context says it is one (after a job
    title: "The Lowland Herald", "Bloomberg", "The Times of London"): one to `SOURCE_MAX_WORDS`
    capitalised words (`_NAME`)."""
    return 1 <= len(text.split()) <= SOURCE_MAX_WORDS and _NAME.match(text) is not None


def paper_name(text: str) -> bool:
    """Whether `text` is a paper's name by itself: an outlet's name (`outlet_name`) of two words
    or more whose last (after a hyphen: "Post-Gazette") is one papers are named with
    (`MASTHEAD_WORDS`: "Marlow Evening Post", "The Kestrel Bay Gazette"; "New York", a place, is
    none, and "The Times of London" is a paper's name after a job title only)."""
    words = text.split()
    last = words[-1].lower().rpartition("-")[2] if words else ""  # "Post-Gazette": "gazette"
    return len(words) >= 2 and outlet_name(text) and last in MASTHEAD_WORDS


def paper_not_person(text: str) -> bool:
    """Whether `text`, set off by a comma after a person's name, is a paper's name and cannot be
    a second person's: a paper's name (`paper_name`) opening with "The", or whose last word is
    no family name ("Dale Valley Gazette", "Harbour Times"), or which holds another paper's word
    before it ("Yorkshire Evening Post", "Daily Star"). "Tom Post" may be a person and
    "Denver Post" cannot be told from one: neither is."""
    if not paper_name(text):
        return False
    words = [word.lower() for word in text.split()]
    return (
        words[0] == "the"
        or words[-1] not in _FAMILY_NAMES
        or any(word in _EDITION_WORDS for word in words[:-1])
    )
