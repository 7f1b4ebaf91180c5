"""Candidate sentences: every sentence of the retrieved paragraphs, with what surrounds it.

A candidate carries its article's title and the sentence before it (looking back into the
previous paragraph of the same article when it opens its paragraph), so "He said …" or "The
treaty was signed …" can be judged with the words that say who or what is meant.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Protocol, cast, overload

import numpy as np

from qa.interfaces import Vectors
from qa.models import Paragraph
from qa.sentences import sentence_spans


class SentenceRefLike(Protocol):
    @property
    def row(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class Corpus(Protocol):
    """What answering needs from the index (implemented by `index.store.CorpusIndex`)."""

    @property
    def paragraphs(self) -> Sequence[Paragraph]: ...
    @property
    def sentences(self) -> Sequence[SentenceRefLike]: ...
    @property
    def sentences_by_row(self) -> Mapping[int, list[int]]: ...
    def vectors_of(self, ids: Sequence[int]) -> Vectors:
        """The vectors of sentences `ids` (indexes into `sentences`), in that order."""
        ...

    @property
    def doc_freq(self) -> Mapping[str, int]: ...


@dataclass(frozen=True)
class _SentenceRef:
    row: int
    start: int
    end: int


class _Extended(Sequence[SentenceRefLike]):
    """`base` then `extra`, read in place (the base's refs are not copied per question)."""

    def __init__(self, base: Sequence[SentenceRefLike], extra: list[SentenceRefLike]) -> None:
        self._base = base
        self._extra = extra

    def __len__(self) -> int:
        return len(self._base) + len(self._extra)

    @overload
    def __getitem__(self, index: int) -> SentenceRefLike: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[SentenceRefLike]: ...
    def __getitem__(self, index: int | slice) -> SentenceRefLike | Sequence[SentenceRefLike]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if index < len(self._base):
            return self._base[index]
        return self._extra[index - len(self._base)]


@dataclass(frozen=True)
class ScopedCorpus:
    """`base` with some paragraphs standing in for others in their rows: copies in another
    article that a restricted search puts in the place of the row they repeat
    (`qa.retrieval.scoped_paragraphs`). A word-for-word copy reads the base's sentences and
    vectors; one whose text differs has its own (`scoped_corpus`), numbered after the base's
    and kept apart from them (`extra_vectors`), so a question does not copy the index's."""

    base: Corpus
    paragraphs: Sequence[Paragraph]
    sentences: Sequence[SentenceRefLike]
    sentences_by_row: Mapping[int, list[int]]
    extra_vectors: Vectors | None = None

    @property
    def doc_freq(self) -> Mapping[str, int]:
        return self.base.doc_freq

    def vectors_of(self, ids: Sequence[int]) -> Vectors:
        if self.extra_vectors is None:
            return self.base.vectors_of(ids)
        cut = len(self.base.sentences)
        from_base = iter(self.base.vectors_of([i for i in ids if i < cut]))
        rows = [next(from_base) if i < cut else self.extra_vectors[i - cut] for i in ids]
        return np.array(rows, dtype=np.float32).reshape(len(rows), self.extra_vectors.shape[1])


def scoped_corpus(
    base: Corpus, view: Sequence[Paragraph], embed: Callable[[Sequence[str]], Vectors]
) -> ScopedCorpus:
    """`base` seen through `view` (its paragraphs, some rows holding a copy instead). The
    sentences of a copy whose text differs from its row's are split as a build splits them and
    embedded now (`embed`), after the base's, so a candidate quotes and offsets the copy."""
    rows = [
        row
        for row, paragraph in enumerate(view)
        if paragraph is not base.paragraphs[row] and paragraph.text != base.paragraphs[row].text
    ]
    if not rows:
        return ScopedCorpus(base, view, base.sentences, base.sentences_by_row)
    extra: list[SentenceRefLike] = []
    own: dict[int, list[int]] = {}
    texts: list[str] = []
    for row in rows:
        text = view[row].text
        own[row] = []
        for span in sentence_spans(text):
            own[row].append(len(base.sentences) + len(extra))
            extra.append(_SentenceRef(row, span.start, span.end))
            texts.append(text[span.start : span.end])
    vectors = embed(texts).astype(np.float32, copy=False) if texts else None
    # the copies' rows first; the base's read in place (a ChainMap only writes to its first map)
    by_row = ChainMap(own, cast(MutableMapping[int, list[int]], base.sentences_by_row))
    return ScopedCorpus(base, view, _Extended(base.sentences, extra), by_row, vectors)


@dataclass(frozen=True)
class Candidate:
    row: int  # paragraph row
    start: int  # offsets inside the paragraph text
    end: int
    text: str
    title: str = ""
    previous: str = ""  # the sentence before, for "he", "the treaty", …
    sentence: int = -1  # index of the whole sentence in the corpus (its vector), -1 if none

    @property
    def context(self) -> str:
        return f"{self.title} {self.previous}".strip()


def candidate_sentences(rows: Sequence[int], corpus: Corpus) -> tuple[list[Candidate], Vectors]:
    """Every sentence of the given paragraphs, in order, and their vectors."""
    candidates: list[Candidate] = []
    for row in rows:
        paragraph = corpus.paragraphs[row]
        for position, sid in enumerate(corpus.sentences_by_row.get(row, [])):
            ref = corpus.sentences[sid]
            candidates.append(
                Candidate(
                    row,
                    ref.start,
                    ref.end,
                    paragraph.text[ref.start : ref.end],
                    paragraph.title,
                    previous_sentence(corpus, row, position),
                    sid,
                )
            )
    return candidates, corpus.vectors_of([c.sentence for c in candidates])


def previous_sentence(corpus: Corpus, row: int, position: int) -> str:
    """The sentence before one, looking back into the article's previous paragraph if needed.

    Scraped articles often put each sentence in its own paragraph, so "The treaty was signed…"
    names its treaty one paragraph up. (An article's paragraphs are consecutive rows, in order.)
    """
    found = sentence_before(corpus, row, position)
    if found is None:
        return ""
    before_row, start, end = found
    return corpus.paragraphs[before_row].text[start:end]


def sentence_before(corpus: Corpus, row: int, position: int) -> tuple[int, int, int] | None:
    """(paragraph row, start, end) of the sentence before the `position`-th of paragraph
    `row`, in the same article; None at an article's opening."""
    sentence_ids = corpus.sentences_by_row.get(row, [])
    paragraph = corpus.paragraphs[row]
    if position > 0:
        ref = corpus.sentences[sentence_ids[position - 1]]
        return row, ref.start, ref.end
    if row == 0 or corpus.paragraphs[row - 1].doc_id != paragraph.doc_id:
        return None
    before = corpus.sentences_by_row.get(row - 1, [])
    if not before:
        return None
    ref = corpus.sentences[before[-1]]
    return row - 1, ref.start, ref.end


def candidate_before(corpus: Corpus, candidate: Candidate) -> Candidate | None:
    """The sentence before a candidate, as a candidate of its own paragraph."""
    starts = [corpus.sentences[sid].start for sid in corpus.sentences_by_row.get(candidate.row, [])]
    if candidate.start not in starts:
        return None
    found = sentence_before(corpus, candidate.row, starts.index(candidate.start))
    if found is None:
        return None
    row, start, end = found
    paragraph = corpus.paragraphs[row]
    return Candidate(row, start, end, paragraph.text[start:end], paragraph.title)
