"""Quotes that lean on the sentence before: "He said…", "The official added…", "“…,” he noted".

A quote that opens with a pronoun or with "the official" (and the like), or whose words are
given to a pronoun ("“…,” he told reporters"), does not say who is speaking or acting. The
answer then carries the sentence before it, cut to the clauses around its first clause that
opens with a name (or, for words given to a pronoun, around the name the sentence before gives
words to: "said Evan Medeiros"), unless the short answer already names them (a "Who…?"
answered with a name) or the question does (it is not a "Who…?" and holds a name: the reader
knows whom "he" is). A name is told by its capital letter; there is no named-entity model, so
a place or an organisation counts too.
"""

from __future__ import annotations

import re

from qa.dates import MONTH_NAMES, WEEKDAY_NAMES
from qa.lexical import FUNCTION_WORDS, content_terms
from qa.trimming import clause_spans

# a pronoun, or "the" + a role a news story names once and then refers back to
_REFERENCE = re.compile(
    r"^(?:…\s*)?[\"“‘']?(?:he|she|they|his|her|their|it|its|"
    r"the (?:official|officials|spokesman|spokeswoman|spokesperson|minister|ministry|agency|"
    r"company|group|president|leader|statement))\b",
    re.I,
)
# a capitalised word after the first: a name, a place, an organisation
_NAME = re.compile(r"(?<=\s)[\"“‘']?[A-Z][\w'’.-]*[a-z]")
_NOT_NAMES = WEEKDAY_NAMES | MONTH_NAMES
_PRONOUNS = frozenset("he she they his her their it its him them".split())
_ARTICLES = frozenset("the a an".split())
# capitalised words that are not names
_NOT_NAME_WORDS = _PRONOUNS | _ARTICLES | _NOT_NAMES
_MAX_NAME_WORDS = 5
# verbs that give words to a speaker in news writing
_SPEECH = (
    r"said|says|told|tells|added|adds|noted|wrote|stated|explained|continued|argued|warned|"
    r"insisted|claimed|asked|replied|declared|recalled|remarked|acknowledged|admitted|"
    r"observed|predicted|suggested|posted|tweeted|announced|stressed|cautioned|urged"
)
# of those, the ones that never take an object, so a name after them is the speaker
# ("“…,” said Evan Medeiros"; not "told Reuters", "urged Congress")
_INVERTED_SPEECH = (
    r"said|says|added|adds|noted|wrote|stated|explained|continued|argued|insisted|claimed|"
    r"replied|declared|recalled|remarked|acknowledged|admitted|observed|predicted|stressed"
)
# words given to a pronoun: "“…,” he told reporters", "…, she said."
_PRONOUN_SPEAKER = re.compile(rf"(?:[”\"’]|,)\s*(?:he|she|they)\s+(?:{_SPEECH})\b", re.I)
# the speaker after an attribution that follows the quote: "…,” said (union leader) Tomas
# Breckner" (at most three lower-case words of title before the name)
_SPEAKER_AFTER = re.compile(
    rf"(?:[”\"’]|,)\s*(?:{_INVERTED_SPEECH})\s+(?:[a-z][\w'’-]*\s+){{0,3}}(?P<name>[^\W\d_])"
)
# a speech verb after the words before it: "Antonio Guterres warned"
_SPEECH_VERB = re.compile(rf"\s(?:{_SPEECH})\b")
_TOKEN = re.compile(r"\S+")
_EDGE = "\"“”‘’'.,;:()"


def _name_run(run: list[re.Match[str]]) -> tuple[int, int] | None:
    """A run of capitalised words as one name: words that are not names ("On", "Tuesday",
    "The") dropped from its start, at most four words; None if none is left."""
    while run and (
        not _capitalised_name(word := run[0].group().strip(_EDGE)) or word.lower() in FUNCTION_WORDS
    ):
        run = run[1:]
    if not run or len(run) > _MAX_NAME_WORDS - 1:
        return None
    end = run[-1].start() + len(run[-1].group().rstrip(_EDGE))
    return run[0].start(), end


def opens_with_reference(text: str) -> bool:
    """Whether the quote opens with a word that points back to someone named before."""
    return bool(_REFERENCE.match(text.strip()))


def speaker_is_reference(text: str) -> bool:
    """Whether the quote gives its words to a pronoun: "“…,” he told reporters"."""
    return bool(_PRONOUN_SPEAKER.search(text))


def named_speaker(sentence: str) -> tuple[int, int] | None:
    """Offsets of the name a speech verb gives words to: after an attribution that follows a
    quote ("“…,” said Evan Medeiros") or just before the verb ("UN secretary-general Antonio
    Guterres warned"); None if none. Capitalised words are taken for a name (no named-entity
    model), so the rules are narrow: a verb that takes an object ("told Reuters") is only read
    backwards, and a single capitalised word that opens the sentence ("Officials said") is
    not taken for a name."""
    tokens = list(_TOKEN.finditer(sentence))
    after = _SPEAKER_AFTER.search(sentence)
    if after is not None:
        at = after.start("name")
        following = [t for t in tokens if t.start() >= at]
        run: list[re.Match[str]] = []
        for token in following[: _MAX_NAME_WORDS - 1]:
            if not token.group().strip(_EDGE)[:1].isupper():
                break
            run.append(token)
            if token.group()[-1:] in ',.;:”"':
                break  # the name ends at its punctuation
        if (found := _name_run(run)) is not None:
            return found
    for verb in _SPEECH_VERB.finditer(sentence):
        before = [t for t in tokens if t.end() <= verb.start()]
        run = []
        for token in reversed(before[-(_MAX_NAME_WORDS - 1) :]):
            if not token.group().strip(_EDGE)[:1].isupper() or token.group()[-1:] in ",;:":
                break
            run.insert(0, token)
        found = _name_run(run)
        if found is None:
            continue
        opens = found[0] == (tokens[0].start() if tokens else 0)
        if opens and len(sentence[found[0] : found[1]].split()) == 1:
            continue  # "Officials said", "Reporters asked": a capital of the sentence's start
        return found
    return None


def names_someone(text: str) -> bool:
    """Whether a sentence holds a capitalised word past its first (a name, most often)."""
    return any(
        m.group().strip("\"“‘'").rstrip(".").lower() not in _NOT_NAMES for m in _NAME.finditer(text)
    )


def short_answer_names(short_answer: str | None) -> bool:
    """Whether the short answer is a name: at most a few words, one of them capitalised and
    not a pronoun, an article, a day or a month ("Olaf Brandt", "the NATO chief"; not "He",
    "The official")."""
    if not short_answer or len(short_answer.split()) > _MAX_NAME_WORDS:
        return False  # a clause, not a name: "Russia was relying on …"
    return any(_capitalised_name(w.strip("\"“”‘’'.,;:()")) for w in short_answer.split())


def naming_clause(sentence: str) -> tuple[int, int] | None:
    """Offsets of the first clause that opens with a name ("Kim Yo-jong, the powerful sister…",
    "…, Zelenskyy cited…"), skipping openers such as "A day before…" or "In 2012,"; None if no
    clause does. A capitalised word that is not a stop word, pronoun, article, day or month is
    taken for a name."""
    for start, end in clause_spans(sentence):
        words = sentence[start:end].split()
        first = words[0].strip("\"“”‘’'(") if words else ""
        if _capitalised_name(first) and content_terms(first):
            return start, end
    return None


def _capitalised_name(word: str) -> bool:
    """A word taken for (part of) a name: capitalised, and not a pronoun, an article, a day or
    a month."""
    return word[:1].isupper() and word.lower() not in _NOT_NAME_WORDS
