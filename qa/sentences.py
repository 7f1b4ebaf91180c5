"""Sentence spans inside a paragraph (pysbd: rule-based, handles "U.S." and "Oct. 10").

Saved Wikipedia pages (and other pages with numbered notes) put a note mark straight after a
sentence's full stop: `…in 2000.[12] Marie Colvin…`, `…applications.[citation needed] Windows…`.
pysbd does not end a sentence there, or ends it before the mark and opens the next sentence
with it, so such a paragraph reads as one long sentence. The marks are kept in the text (it is
what the source says, and what a citation points at); they only decide where sentences end:
after the mark, which stays with the sentence it annotates.

pysbd also runs on past a sentence written whole inside round brackets, `(It closes at 5 p.m.)
“The idea…`: it ends after the closing bracket. Only a bracket that opens a sentence counts, so
an aside inside one, `Alphabet (Google Inc.) Chief…`, `Sen. Ted Cruz (R-Tex.) Tuesday…`, is
left whole.

pysbd ends a sentence too early at a dateline's abbreviation, `CHANTILLY, Va. — On a recent…`,
and at a clock time followed by a day, `at 5:30 a.m. Monday, and…`: those are joined again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd

from qa.dates import MONTH_ABBREVIATIONS, MONTH_NAMES, WEEKDAY_NAMES


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def sentence_spans(text: str) -> list[Span]:
    """Sentences of `text` with offsets into it, surrounding white space trimmed."""
    return list(_sentence_spans(text))


# a question reads the same paragraphs' sentences at several stages (candidates, the citation
# check); pysbd is the slowest part of each reading
@lru_cache(maxsize=512)
def _sentence_spans(text: str) -> tuple[Span, ...]:
    spans: list[Span] = []
    for offset, part in _parts(text):
        for piece in _segmenter().segment(part):
            raw = piece.sent
            stripped = raw.strip()
            if not stripped:
                continue
            start = offset + piece.start + raw.index(stripped)
            spans.append(Span(start, start + len(stripped), stripped))
    joined = _join_continuations(text, _merge_closing_quotes(text, spans))
    return tuple(_split_missed_ends(text, _marks_to_previous(text, joined)))


# pysbd's time grows with the square of a text's length (it rescans the whole text for each
# abbreviation it finds): a paragraph of 74,000 characters took 5.7 s, one of 300,000 over a
# minute. A paragraph longer than `_READ_WHOLE` (no news paragraph is: the longest of the
# three validation corpora has 4,070) is read in parts of at most `_PART` characters, each cut
# after a sentence's end that cannot be an abbreviation's.
_READ_WHOLE = 6_000
_PART = 3_000
# a full stop, question or exclamation mark after a lower-case word of four letters or more,
# then a capital: the end of a sentence, not of "U.S.", "Gov." or "Oct."
_SAFE_END = re.compile(r"(?<=[a-z]{4}[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z])")


def _quotes_closed(text: str) -> bool:
    """Whether every quotation opened in `text` is closed: as many “ as ”, and an even count
    of straight double quotes."""
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0


def _parts(text: str) -> list[tuple[int, str]]:
    """`text` as (offset, part) pairs: whole when short enough, else cut at safe sentence ends
    (or, in a part with none, at its last white space)."""
    if len(text) <= _READ_WHOLE:
        return [(0, text)]
    parts: list[tuple[int, str]] = []
    at = 0
    while len(text) - at > _PART:
        window = text[at + _PART // 2 : at + _PART]
        ends = [m.end() for m in _SAFE_END.finditer(window)]
        # not inside a quotation ("“The war is over. Now we rebuild.”"), where one can be had
        outside = [e for e in ends if _quotes_closed(text[at : at + _PART // 2 + e])]
        ends = outside or ends
        cut = ends[-1] if ends else window.rfind(" ") + 1
        end = at + _PART // 2 + cut if cut > 0 else at + _PART
        parts.append((at, text[at:end]))
        at = end
    parts.append((at, text[at:]))
    return parts


# what a sentence cannot open with: a dash, which continues a dateline ("CHANTILLY, Va. — On a
# recent Wednesday…", where pysbd ends a sentence at the state's abbreviation)
_CONTINUES = re.compile(r"[—–]")
# a clock time's "a.m." or "p.m." at a sentence's end ...
CLOCK_END = re.compile(r"\b[ap]\.m\.$", re.IGNORECASE)
# ... and what after it says the sentence goes on: a day or a month (dateutil's names, as
# qa/dates.py reads them: "at 5:30 a.m. Monday, and…", "at 3 p.m. Oct. 4") or a time zone
# ("at 9 a.m. EDT")
_CALENDAR_WORDS = WEEKDAY_NAMES | MONTH_NAMES | MONTH_ABBREVIATIONS
_FIRST_WORD = re.compile(r"[A-Z][a-z]*\b")
_TIME_ZONE = re.compile(r"(?:[ECMP][SD]?T|GMT|UTC|BST|CET|CEST|[A-Z]ST)\b|local time\b")


def goes_on_after_clock(sentence: str) -> bool:
    """Whether `sentence`, after one that ends in "a.m." or "p.m.", continues it."""
    word = _FIRST_WORD.match(sentence)
    return bool(word and word[0].lower() in _CALENDAR_WORDS) or bool(_TIME_ZONE.match(sentence))


def _join_continuations(text: str, spans: list[Span]) -> list[Span]:
    """Sentences pysbd ends too early are joined to the next: before a dash (a dateline), and
    after "a.m."/"p.m." when a day, month or time zone follows."""
    joined: list[Span] = []
    for span in spans:
        if joined and (
            _CONTINUES.match(span.text)
            or (CLOCK_END.search(joined[-1].text) and goes_on_after_clock(span.text))
        ):
            prev = joined.pop()
            joined.append(Span(prev.start, span.end, text[prev.start : span.end]))
        else:
            joined.append(span)
    return joined


# a note mark: a number, a letter or a few lower-case words in brackets ("[3]", "[c]",
# "[citation needed]"); several may follow each other ("[2][3]")
_NOTES = r"(?:\[(?:\d{1,3}|[a-z][a-z ]{0,29})\])+"
# a sentence's end followed by note marks, then the next sentence (a capital, digit or quote);
# not the full stop of an initial or abbreviation such as "U.S."
_END_WITH_NOTES = re.compile(rf"(?<!\b[A-Z])[.!?][\"”’)]?{_NOTES}(?=\s+[\"“‘(]?[A-Z0-9])")
_OPENING_NOTES = re.compile(rf"{_NOTES}(?=\s)")
# a sentence's end inside round brackets, then the next sentence (a capital, digit or quote, or
# another bracket); not an initial's full stop such as "(U.S.) Army"
_END_IN_BRACKETS = re.compile(r"(?<!\b[A-Z])[.!?][\"”’]?\)(?=\s+[\"“‘'(]?[A-Z0-9])")
# what comes before a bracket that opens a sentence: nothing, or a sentence's end that is not
# the stop of a short capitalised abbreviation ("Lt. Gen. (Ret.) Mark…")
_BEFORE_OPENING = re.compile(r"(?:^|(?P<word>\S*)[.!?][\"”’)]?\s+)$")
_ABBREVIATION = re.compile(r"[A-Z][a-z]{0,3}")


def _bracketed_sentence_ends(sentence: str) -> list[int]:
    """Offsets just after each closing bracket of `sentence` that ends a sentence in brackets."""
    ends = []
    for match in _END_IN_BRACKETS.finditer(sentence):
        opening = sentence.rfind("(", 0, match.start())
        if opening < 0 or ")" in sentence[opening : match.start()]:
            continue
        before = _BEFORE_OPENING.search(sentence[:opening])
        if before and not _ABBREVIATION.fullmatch(before["word"] or ""):
            ends.append(match.end())
    return ends


def _marks_to_previous(text: str, spans: list[Span]) -> list[Span]:
    """A sentence that opens with note marks hands them back to the sentence before."""
    out: list[Span] = []
    for span in spans:
        opening = _OPENING_NOTES.match(span.text)
        if out and opening and text[out[-1].end : span.start].strip() == "":
            prev = out.pop()
            end = span.start + opening.end()
            out.append(Span(prev.start, end, text[prev.start : end]))
            start = _past_space(text, end, span.end)
            if start < span.end:
                out.append(Span(start, span.end, text[start : span.end]))
        else:
            out.append(span)
    return out


def _split_missed_ends(text: str, spans: list[Span]) -> list[Span]:
    """A sentence the splitter left joined at a note mark, or after a sentence in brackets, is
    cut after the mark or bracket."""
    out: list[Span] = []
    for span in spans:
        start = span.start
        ends = sorted(
            {m.end() for m in _END_WITH_NOTES.finditer(span.text)}
            | set(_bracketed_sentence_ends(span.text))
        )
        for match_end in ends:
            end = span.start + match_end
            out.append(Span(start, end, text[start:end]))
            start = _past_space(text, end, span.end)
        out.append(Span(start, span.end, text[start : span.end]))
    return out


def _past_space(text: str, at: int, end: int) -> int:
    """The first offset from `at` (up to `end`) that is not white space."""
    return at + len(text[at:end]) - len(text[at:end].lstrip())


def _merge_closing_quotes(text: str, spans: list[Span]) -> list[Span]:
    """pysbd sometimes leaves a closing quote or bracket as its own 'sentence'; glue it back."""
    merged: list[Span] = []
    for span in spans:
        if merged and (len(span.text) <= 2 or not any(c.isalnum() for c in span.text)):
            prev = merged.pop()
            merged.append(Span(prev.start, span.end, text[prev.start : span.end]))
        else:
            merged.append(span)
    return merged
