"""The words of an index's articles (qa/interfaces.py: `Vocabulary`), for "did you mean".

Words are compared case- and accent-folded ("Koppen" finds "Köppen"); a suggestion is spelt
as the articles spell it most often. The nearest word is found with rapidfuzz (optimal string
alignment distance: a letter added, dropped, changed, or two neighbours swapped) rather than
by hand; common English words come from symspellpy's frequency list (82,765 words, MIT), so
"harmed" asked of articles that never say it is not reported as a misspelling.

The words are counted when the index version is opened (at start-up and on each reload, not
while a question waits): about 0.15 s for the 653 paragraphs of the NYT dev corpus. A lookup
compares a word only with the articles' words of a length it could be within the allowed edits
of, and the same word asked again is not looked up again.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from qa.lexical import english_word_counts, without_accents
from qa.spelling import POSSESSIVE, WORD

_CACHED_LOOKUPS = 4096


def fold(word: str) -> str:
    """Lower case, accents and a possessive "'s" dropped, typographic apostrophes made plain."""
    return without_accents(POSSESSIVE.sub("", word.lower()).replace("’", "'"))


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Common English words (symspellpy's frequency list), folded; read once per process."""
    return frozenset(fold(word) for word in english_word_counts())


class CorpusVocabulary:
    """The articles' words, counted once; never changed after (safe to share between threads)."""

    def __init__(self, texts: Iterable[str], english: frozenset[str] | None = None) -> None:
        self._english = english if english is not None else english_words()
        written: Counter[str] = Counter()
        for text in texts:
            written.update(WORD.findall(text))
        spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for match, count in written.items():  # each spelling folded once, not each occurrence
            word = POSSESSIVE.sub("", match)
            spellings[fold(word)][word] += count
        self._counts = {key: sum(forms.values()) for key, forms in spellings.items()}
        self._letters = frozenset(letter for word in written for letter in word.lower())
        self._spelt = {key: forms.most_common(1)[0][0] for key, forms in spellings.items()}
        by_length: defaultdict[int, list[str]] = defaultdict(list)
        for key in self._counts:
            by_length[len(key)].append(key)
        self._by_length = dict(by_length)
        self._sorted = sorted(self._counts)  # for a word that begins so (`holds_prefix`)
        # the same unknown word asked again is looked up once
        self._nearest = lru_cache(maxsize=_CACHED_LOOKUPS)(self._look_up)

    @property
    def english(self) -> frozenset[str]:
        """The common English words it knows besides the articles'."""
        return self._english

    def knows(self, word: str) -> bool:
        key = fold(word)
        return key in self._english or key in self._counts

    def holds_letter(self, letter: str) -> bool:
        return letter.lower() in self._letters

    def holds_prefix(self, prefix: str) -> bool:
        key = fold(prefix)
        at = bisect_left(self._sorted, key)
        return at < len(self._sorted) and self._sorted[at].startswith(key)

    def nearest(self, word: str, max_distance: int) -> str | None:
        return self._nearest(fold(word), max_distance)

    def _look_up(self, key: str, max_distance: int) -> str | None:
        # a word more than `max_distance` letters longer or shorter is further than that
        pool = [
            other
            for length in range(len(key) - max_distance, len(key) + max_distance + 1)
            for other in self._by_length.get(length, ())
        ]
        close = process.extract(
            key, pool, scorer=OSA.distance, score_cutoff=max_distance, limit=None
        )
        if not close:
            return None
        # fewest edits; then a word with the same first letter (a typo seldom changes it), then
        # the articles' commonest
        best = min(close, key=lambda hit: (hit[1], hit[0][0] != key[0], -self._counts[hit[0]]))
        return self._spelt[best[0]]
