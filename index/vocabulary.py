"""The words of an index's articles (qa/interfaces.py: `Vocabulary`), for "did you mean".

Words are compared case- and accent-folded ("Koppen" finds "Köppen"); a suggestion is spelt
as the articles spell it most often. The nearest word is found with rapidfuzz (optimal string
alignment distance: a letter added, dropped, changed, or two neighbours swapped) rather than
by hand; common English words come from symspellpy's frequency list (82,765 words, MIT), so
"harmed" asked of articles that never say it is not reported as a misspelling.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cached_property, lru_cache
from importlib.resources import files

from rapidfuzz import process
from rapidfuzz.distance import OSA

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_ENGLISH_LIST = "frequency_dictionary_en_82_765.txt"


def fold(word: str) -> str:
    """Lower case, accents and a possessive "'s" dropped, typographic apostrophes made plain."""
    decomposed = unicodedata.normalize("NFKD", _POSSESSIVE.sub("", word.lower()).replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Common English words (symspellpy's frequency list), folded."""
    text = (files("symspellpy") / _ENGLISH_LIST).read_text(encoding="utf-8")
    return frozenset(fold(line.split(maxsplit=1)[0]) for line in text.splitlines() if line)


class CorpusVocabulary:
    """The articles' words; counted on first use (about 0.1 s per 2,000 paragraphs), so an
    index that is never asked about an unknown word never pays for it."""

    def __init__(self, texts: Iterable[str], english: frozenset[str] | None = None) -> None:
        self._texts = texts
        self._english = english if english is not None else english_words()

    @cached_property
    def _words(self) -> tuple[dict[str, int], dict[str, str]]:
        """Folded word → count, and → its commonest spelling in the articles."""
        spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for text in self._texts:
            for match in _WORD.findall(text):
                word = _POSSESSIVE.sub("", match)
                spellings[fold(word)][word] += 1
        counts = {key: sum(forms.values()) for key, forms in spellings.items()}
        return counts, {key: forms.most_common(1)[0][0] for key, forms in spellings.items()}

    @cached_property
    def _keys(self) -> list[str]:
        return list(self._words[0])

    def knows(self, word: str) -> bool:
        key = fold(word)
        return key in self._english or key in self._words[0]

    def nearest(self, word: str, max_distance: int) -> str | None:
        key = fold(word)
        close = process.extract(
            key, self._keys, scorer=OSA.distance, score_cutoff=max_distance, limit=None
        )
        if not close:
            return None
        counts, spelt = self._words
        # fewest edits; then a word with the same first letter (a typo seldom changes it), then
        # the articles' commonest
        best = min(close, key=lambda hit: (hit[1], hit[0][0] != key[0], -counts[hit[0]]))
        return spelt[best[0]]
