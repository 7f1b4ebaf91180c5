"""Question words the articles do not hold, each with the nearest word they do ("did you mean").

A name typed wrong ("Youseff" for "Youssef") is neither searched nor read well, and the answer
does not say why. The words of the question that no article holds, and that are not common
English words either, are reported beside the answer with the articles' nearest word, if one is
an edit or two away. The question itself is never changed: a name the articles do not hold is
often simply not in them, and its nearest neighbour is somebody else ("Grier" is not "Greer"),
so the reader decides and asks again.
"""

from __future__ import annotations

import re

from qa.dates import MONTH_NAMES, WEEKDAY_NAMES
from qa.interfaces import Vocabulary
from qa.lexical import FUNCTION_WORDS, is_latin
from qa.models import UnknownWord
from qa.settings import SpellingSettings

# a run of letters, with inner apostrophes ("O'Neill", "don't"); figures are not words here
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
# the English word list and spelling by edits are for the Latin script (accents allowed);
# a word of another script is not checked
_LONGEST_WORD = 30  # longer "words" are unspaced text or a pasted address, not a misspelling


def unknown_words(
    question: str, vocabulary: Vocabulary, settings: SpellingSettings
) -> tuple[UnknownWord, ...]:
    """The question's words (in order, each once, at most `settings.max_words`) that
    `vocabulary` does not know. Only words in the Latin script are checked."""
    if not settings.enabled:
        return ()
    found: list[UnknownWord] = []
    for word in checked_words(question, settings):
        if vocabulary.knows(word):
            continue
        suggestion = vocabulary.nearest(word, _suggestion_edits(word, settings))
        found.append(UnknownWord(word=word, suggestion=suggestion))
        if len(found) == settings.max_words:
            break
    return tuple(found)


def checked_words(question: str, settings: SpellingSettings) -> list[str]:
    """The question's words that are looked up (in order, each once): Latin words of
    `settings.min_word_length` letters or more that are not function words."""
    words: list[str] = []
    seen: set[str] = set()
    for match in WORD.finditer(question):
        word = POSSESSIVE.sub("", match.group(0))
        key = word.lower()
        if not settings.min_word_length <= len(word) <= _LONGEST_WORD:
            continue
        if key in seen or key in FUNCTION_WORDS or not is_latin(word):
            continue
        seen.add(key)
        words.append(word)
    return words


def mostly_unknown(question: str, vocabulary: Vocabulary, settings: SpellingSettings) -> bool:
    """Most of the question's words are in no article and no English word list: at least
    `settings.other_language_min_words` (3), and at least `settings.other_language_share`
    (half) of those looked up ("Quand la Corée du Nord a-t-elle envoyé des troupes en Russie?"
    over English articles). Asked in another language, the question finds little and the
    selector, trained on English, reads it poorly; a refusal then says so. (Counted over every
    word looked up, not the `max_words` that are reported.)"""
    checked = checked_words(question, settings)
    unknown = sum(not vocabulary.knows(word) for word in checked)
    return (
        unknown >= settings.other_language_min_words
        and unknown >= settings.other_language_share * len(checked)
    )


def unreadable(question: str, vocabulary: Vocabulary, settings: SpellingSettings) -> bool:
    """None of the question's words is in any article, begins one or is spelt nearly so (the
    edits "did you mean" allows), and at least `settings.other_language_share` of them are in
    no English word list either: "asdfgh qwerty", typed at random. Every word counts here,
    whatever its length (a short name such as "Kim" is something to search), but function
    words do not; a question with a figure or a word in another script has something else to
    search, so is never such. Words of English the articles lack ("zebra giraffe") are not:
    that the articles say nothing of them is the selector's to find."""
    if not settings.decline_unreadable or any(c.isdigit() for c in question):
        return False
    said = [POSSESSIVE.sub("", m.group(0)) for m in WORD.finditer(question)]
    said = [w for w in said if w.lower() not in FUNCTION_WORDS]
    if not said or not all(is_latin(w) for w in said):
        return False
    for word in said:
        if vocabulary.holds_prefix(word) or vocabulary.nearest(
            word, _suggestion_edits(word, settings)
        ):
            return False  # an article holds it, a longer form of it, or one spelt nearly so
    foreign = sum(not vocabulary.knows(word) for word in said)
    return foreign > 0 and foreign >= settings.other_language_share * len(said)


def in_another_script(question: str, vocabulary: Vocabulary) -> bool:
    """Whether the question is written in a script the articles do not use: it has letters,
    none of them Latin and none found in any article's words ("러시아는 언제…" over English
    articles). Its words then cannot be searched, and the selector, trained on English, reads
    it as noise. A question with any Latin letter ("What is 러시아?", "G7 제재?") is read as
    usual, and so is one in the articles' own script (Korean over Korean articles)."""
    letters = [c for c in question if c.isalpha()]
    if not letters or any(is_latin(c) for c in letters):
        return False
    return not any(vocabulary.holds_letter(c) for c in letters)


def absent_names(
    question: str, vocabulary: Vocabulary, settings: SpellingSettings
) -> tuple[str, ...]:
    """The names the question asks about that no article mentions: among the words looked up
    (every one, not the `max_words` reported), those written with a capital, not opening the
    question, that no article holds and that are either no common English word and more than
    `settings.absent_name_edits` edits (or the edits "did you mean" allows) from every word the
    articles hold, or a common English word no article holds in any form
    (`_absent_common_name`). "What did Sergei Lavrov say?" over articles that never name him
    gives ("Lavrov",), "Did Japan comment?" over articles that never name Japan ("Japan",);
    "Cyndi Whitehead" over articles that name Cindy Whitehead gives nothing (two edits: a
    misspelling). No sentence can say what someone absent did, however well it matches the
    rest of the question."""
    if not settings.decline_absent_names:
        return ()
    first = WORD.search(question)
    opening = POSSESSIVE.sub("", first.group(0)) if first else ""
    absent = []
    for word in checked_words(question, settings):
        if not word[:1].isupper() or word == opening:
            continue
        if vocabulary.knows(word) and not _absent_common_name(word, vocabulary, settings):
            continue
        edits = max(settings.absent_name_edits, _suggestion_edits(word, settings))
        if vocabulary.nearest(word, edits) is None:
            absent.append(word)
    return tuple(absent)


# Endings of words that name a people or a language ("American", "Korean", "Japanese",
# "British", "Israeli", "Filipino"): a question may say "the American envoy" of articles that
# only ever say "the U.S. envoy", so such a word is never taken for a name no article mentions.
_PEOPLE = re.compile(r"(?:ian|ean|can|ese|ish|ic|i|ino)$")


def _absent_common_name(word: str, vocabulary: Vocabulary, settings: SpellingSettings) -> bool:
    """Whether a capitalised word of the English word list ("Japan", "Assembly") may be one no
    article holds in any form: no article word begins with its first `absent_name_prefix`
    letters (and, as for any name, none is within a misspelling's edits of it: "Crises" for the
    articles' "Crisis"). A word that names a people or a language, a weekday or a month never
    is."""
    prefix = settings.absent_name_prefix
    lower = word.lower()
    # a weekday or a month names a time, which an article may give as a date ("on Monday" of
    # one that says "Oct. 14"), not something it must name
    if not prefix or _PEOPLE.search(lower) or lower in MONTH_NAMES or lower in WEEKDAY_NAMES:
        return False
    return not vocabulary.holds_prefix(word[:prefix])


def _suggestion_edits(word: str, settings: SpellingSettings) -> int:
    """How far "did you mean" looks for `word`: two edits from `two_edits_from` letters."""
    return 2 if len(word) >= settings.two_edits_from else 1
