"""The cleaner's rules on paragraphs (qa/cleaning.py runs them after the block and line
rules): a list gathered into one (rule 11), the title taken (rule 6), a dateline's place,
trailing roles and comment labels dropped (rule 5), sentences split across paragraphs joined
(rule 8; `continues_sentence` is its test for a saved page's line breaks too), section headings
dropped (rule 7) and repeats; with the tests of a paragraph's shape they share (a heading, a
title, an abbreviation at its end)."""

from __future__ import annotations

import re

from qa.cleaning_patterns import CLOSERS, CLOSING_MARKS, KICKER_MAX_WORDS, LIST_LINE, ROLE_WORDS
from qa.sentences import CLOCK_END, goes_on_after_clock

_COMMENTS_LABEL = re.compile(
    r"^(?:\d+\s+)?(?:comments?|(?:leave|add|post|write) a comment|(?:show|view|read) (?:all )?"
    r"comments)\s*(?:\(\d+\))?\s*:?$",
    re.IGNORECASE,
)
_CAP = r"[A-Z][\w.'’-]*"
_PLACE = re.compile(rf"^{_CAP}(?: {_CAP}){{0,2}}, {_CAP}(?: {_CAP}){{0,2}}$")
_TERMINAL = re.compile(rf"[.!?:;…][{CLOSERS}]*$")  # a sentence or clause really ends here
_COMPLETE_END = re.compile(rf"[.!?:;…{CLOSERS}]$")  # rule 8: such a paragraph is complete
_INITIALISM = re.compile(r"(?:\b[A-Za-z]\.){2,}$")  # U.S., U.N., D.C.
_TITLE_ABBREVS = {"mr", "mrs", "ms", "dr", "st", "sen", "rep", "gov", "gen", "lt", "col",
                  "capt", "sgt", "prof", "rev", "mt", "ft"}  # fmt: skip
_DANGLING = {"the", "a", "an", "of", "in", "to", "and", "or", "for", "with", "by", "at",
             "on", "from", "that", "as", "its", "his", "her", "their"}  # fmt: skip
# Capitalised words that usually open a new sentence (so "... the U.S." + "But ..." stays split).
_OPENERS = {
    "The", "But", "And", "However", "He", "She", "It", "They", "We", "I", "In", "On", "At", "A",
    "An", "This", "That", "These", "Those", "There", "His", "Her", "Their", "Its", "After",
    "Before", "When", "While", "If", "As", "Although", "Meanwhile", "Still", "Yet", "So", "Mr",
    "Ms", "Mrs", "Dr", "Our", "My", "You", "Your", "For", "With", "Since", "Because", "Then",
    "Now", "Also", "Some", "Many", "Most", "One", "No", "Not", "Of", "To", "By", "From", "Under",
    "During", "Despite", "Last", "Earlier", "Later", "Today", "Yesterday", "Such", "Both", "All",
    "Each", "Other", "What", "Who", "Why", "How", "Where", "Which", "Instead", "Even", "Only",
    "Here", "Thus", "Or", "Once", "Until", "Unlike", "Like", "Given", "According", "Separately",
    "Furthermore", "Moreover", "Indeed", "Nevertheless", "Nonetheless", "Overall", "Finally",
}  # fmt: skip
_OPEN_QUOTES = "“\"‘'«("
ADDRESS_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)  # a link's line: no sentence
_LIST_MARKER = re.compile(r"^(?:[-*•]|\d{1,3}[.)]|\|)\s*")
# an item longer than this is a paragraph of its own (a briefing's "3. The 30-year-old man
# charged…"), not gathered with the others
_LIST_ITEM_WORDS = 30
_HEADLINE_UNDER_KICKER = 4


def _first_word(text: str) -> str:
    words = text.lstrip(_OPEN_QUOTES).split()
    return words[0].rstrip(".,;:") if words else ""


def _starts_upper(text: str) -> bool:
    """Uppercase start, looking past an opening quote (quotes often open a paragraph)."""
    stripped = text.lstrip(_OPEN_QUOTES)
    return bool(stripped) and stripped[0].isupper()


def _ends_with_abbreviation(text: str) -> bool:
    """True when the last word is an abbreviation like "U.S." or "Dr." (not a sentence end)."""
    words = text.split()
    if not words:
        return False
    last = words[-1]
    return bool(_INITIALISM.search(last)) or (
        last.endswith(".") and last[:-1].lower() in _TITLE_ABBREVS
    )


def _is_heading_like(text: str) -> bool:
    """Short line with no sentence punctuation: a section heading, not body text."""
    words = text.split()
    if not words or len(words) > 8 or re.search(r"[,;]", text) or text[0].islower():
        return False
    if words[-1].lower() in _DANGLING:  # a heading never ends on "the"/"of": it is a fragment
        return False
    if not _TERMINAL.search(text):
        return True
    # "Ties With the U.S." is a heading; "It was found by Dr." is a sentence fragment.
    capitalised = sum(1 for w in words if w[0].isupper())
    return _ends_with_abbreviation(text) and capitalised >= 0.6 * len(words)


def _is_title_like(text: str) -> bool:
    """Headline: at most 20 words, capitalised, not ending like a sentence or clause; the full
    stop of an initialism it ends on ends no sentence ("Sierra Nevada (U.S.)", "Talks resume
    in Washington, D.C."), while a title's "Dr." leaves a sentence unfinished ("It was found
    by Dr." is the first line of a paragraph broken in two)."""
    words = text.split()
    if not 0 < len(words) <= 20 or not (_starts_upper(text) or text[0].isdigit()):
        return False
    if _INITIALISM.search(words[-1].rstrip(CLOSING_MARKS)):
        return True
    return not re.search(rf"[.,;:…][{CLOSERS}]*$", text)


def gather_lists(paragraphs: list[str]) -> list[str]:
    """Rule 11: a run of list items or table rows is one paragraph, a line each, with the line
    that leads into it when that ends in a colon ("The new service at a glance:"). Its items
    are short and unpunctuated, so one by one they read as headings (rule 7) or fragments; as
    one paragraph, the citation of an item carries what it is an item of, and each line
    still reads as a sentence of its own (qa/sentences.py ends one at a line break). An item
    of more than `_LIST_ITEM_WORDS` words is a paragraph of its own."""
    gathered: list[str] = []
    in_list = False
    for p in paragraphs:
        item = LIST_LINE.match(p) is not None and len(p.split()) <= _LIST_ITEM_WORDS
        lead_in = bool(gathered) and "\n" not in gathered[-1] and gathered[-1].endswith(":")
        if item and (in_list or lead_in):
            gathered[-1] = f"{gathered[-1]}\n{p}"
        else:
            gathered.append(p)
        in_list = item
    return gathered


def take_title(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """Rule 6: the first paragraph is the title when it reads as a headline (a list never
    does); drop repeats. A kicker above the headline (a section's label of one or two words,
    "POLITICS", "Local news") is dropped, and the headline under it is the title."""
    if len(paragraphs) > 1 and _is_kicker(paragraphs[0], paragraphs[1]):
        paragraphs = paragraphs[1:]
    if not paragraphs or "\n" in paragraphs[0] or not _is_title_like(paragraphs[0]):
        return None, paragraphs
    title = paragraphs[0]
    key = title.casefold()
    return title, [p for p in paragraphs[1:] if p.casefold() != key]


def _is_kicker(first: str, second: str) -> bool:
    """A section's label above the headline: one or two words that do not end a sentence,
    then a headline of at least `_HEADLINE_UNDER_KICKER` words (a headline of two words,
    "Obituary" and a sentence under it, is the title still)."""
    words = first.split()
    return (
        0 < len(words) <= KICKER_MAX_WORDS
        and "\n" not in first + second
        and _is_title_like(first)
        and _is_title_like(second)
        and len(second.split()) >= _HEADLINE_UNDER_KICKER
    )


def drop_dateline_place(paragraphs: list[str]) -> list[str]:
    """Rule 5: a bare "City, Country" line in the header region (before the body) is a dateline."""
    kept: list[str] = []
    in_header = True
    for p in paragraphs:
        if in_header and _PLACE.match(p) and len(p.split()) <= 5:
            continue
        in_header = in_header and not _TERMINAL.search(p)
        kept.append(p)
    return kept


def drop_trailing_roles(paragraphs: list[str]) -> list[str]:
    """Rule 5: author role lines ("Staff Writer") trail the body; drop them from the end."""
    while paragraphs:
        words = paragraphs[-1].split()
        if len(words) > 4 or words[-1].lower() not in ROLE_WORDS:
            break
        paragraphs = paragraphs[:-1]
    return paragraphs


def drop_trailing_comment_labels(paragraphs: list[str]) -> list[str]:
    """Rule 5: a comments section's label ("Comments", "12 comments", "Leave a comment") left
    after the article by its comment widget is dropped from the end; never mid-text."""
    while paragraphs and _COMMENTS_LABEL.match(paragraphs[-1]):
        paragraphs = paragraphs[:-1]
    return paragraphs


def _continues(a: str, b: str) -> bool:
    """Rule 8: does paragraph b continue the sentence that paragraph a leaves unfinished?"""
    if b[0].islower():
        return _ends_with_abbreviation(a) or not _COMPLETE_END.search(a)
    if not _starts_upper(b) or b[0] in _OPEN_QUOTES:
        return False  # a quotation opens a new paragraph, never continues one
    if _ends_with_abbreviation(a):
        if CLOCK_END.search(a):  # "at 3 a.m." ends a sentence unless "Monday"/"EDT" goes on
            return goes_on_after_clock(b)
        return not _is_heading_like(a) and _first_word(b) not in _OPENERS
    last = a.split()[-1].lower()
    return last in _DANGLING and len(a.split()) > 1  # "... talks in" + "Geneva on Monday"


def continues_sentence(line: str, after: str) -> bool:
    """Whether `after` goes on with the sentence `line` leaves unfinished (rule 8's test): it
    opens in lower case after a line that does not end a sentence ("… journeys between" +
    "the town centre …"), or goes on after a dangling word or a title's abbreviation ("… talks
    in" + "Geneva on Monday", "Dr." + "Ruth Adeyemi"). For a saved page's line breaks (`<br>`)
    inside a paragraph (qa/extraction.py), where a line that reads as a heading or a label
    ("About my6sense", "Flos Showroom") is left on its own line, whatever follows it."""
    if not line or not after or _is_heading_like(line) or ADDRESS_LINE.match(after):
        return False
    return _continues(line, after)


def join_broken_paragraphs(paragraphs: list[str]) -> list[str]:
    """Rule 8: rejoin sentences split across paragraphs."""
    joined: list[str] = []
    for p in paragraphs:
        if joined and _continues(joined[-1], p):
            joined[-1] = f"{joined[-1]} {p}"
        else:
            joined.append(p)
    return joined


def drop_subheadings(paragraphs: list[str]) -> list[str]:
    """Rule 7: a heading-like line followed by a capitalised paragraph is a section heading.

    The first paragraph is spared: right under the title it is a dek, and a section
    heading always has body text above it. A list or a table (`gather_lists`) is content,
    however short its lines; a heading above one is still a heading.
    """
    return [
        p
        for i, p in enumerate(paragraphs)
        if not (
            0 < i < len(paragraphs) - 1
            and "\n" not in p
            and not LIST_LINE.match(p)
            and _is_heading_like(p)
            and _starts_upper(_LIST_MARKER.sub("", paragraphs[i + 1]))
        )
    ]


def dedupe(paragraphs: list[str]) -> list[str]:
    """Repeated identical paragraphs (scraped twice) are kept once."""
    return [p for i, p in enumerate(paragraphs) if i == 0 or p != paragraphs[i - 1]]
