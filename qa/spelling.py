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

from qa.interfaces import Vocabulary
from qa.lexical import FUNCTION_WORDS
from qa.models import UnknownWord
from qa.settings import SpellingSettings

# a run of letters, with inner apostrophes ("O'Neill", "don't"); figures are not words here
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


def unknown_words(
    question: str, vocabulary: Vocabulary, settings: SpellingSettings
) -> tuple[UnknownWord, ...]:
    """The question's words (in order, each once) that `vocabulary` does not know."""
    if not settings.enabled:
        return ()
    found: list[UnknownWord] = []
    seen: set[str] = set()
    for match in _WORD.finditer(question):
        word = _POSSESSIVE.sub("", match.group(0))
        key = word.lower()
        if len(word) < settings.min_word_length or key in seen or key in FUNCTION_WORDS:
            continue
        seen.add(key)
        if vocabulary.knows(word):
            continue
        edits = 2 if len(word) >= settings.two_edits_from else 1
        found.append(UnknownWord(word=word, suggestion=vocabulary.nearest(word, edits)))
    return tuple(found)
