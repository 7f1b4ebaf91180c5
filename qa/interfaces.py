"""The seams: small protocols that models and stores implement, so any one can be swapped.

`index/` holds the real adapters (sentence-transformers, FAISS, BM25, the ONNX selector, and the
language models: `index/generation.py`, `index/remote_generation.py`). Deterministic fakes for
tests are real classes too (`tests/fakes.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors (so a dot product is a cosine)."""

    @property
    def model_name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...


class Generator(Protocol):
    """A language model that continues a prompt. `should_stop`, when given, is asked between
    tokens (or before a request that cannot be interrupted): once it says yes, the model stops
    and what it wrote so far is returned."""

    @property
    def model_name(self) -> str: ...

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str],
        should_stop: Callable[[], bool] | None = None,
    ) -> str: ...

    def stream(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str],
        should_stop: Callable[[], bool] | None = None,
    ) -> Iterator[str]: ...

    def chat(
        self,
        messages: list[dict[str, str]],
        *,
        max_tokens: int,
        stop: Sequence[str],
        should_stop: Callable[[], bool] | None = None,
    ) -> str: ...

    @property
    def prompt_format(self) -> Literal["completion", "chat"]: ...


class VectorSearch(Protocol):
    """Nearest paragraphs to a query vector: (row, cosine) best first."""

    def search(self, query: Vectors, k: int) -> list[tuple[int, float]]: ...


class LexicalSearch(Protocol):
    """Best paragraphs for a query's words: (row, BM25 score) best first."""

    def search(self, query: str, k: int) -> list[tuple[int, float]]: ...


@dataclass(frozen=True)
class SelectorInput:
    """A candidate sentence as the selector reads it: with its article's title and the
    sentence before it."""

    sentence: str
    title: str
    previous: str
    # named features of the candidate the selector may weigh with its own reading
    # (qa/selection.py: `candidate_features`); empty when there are none
    features: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Selection:
    """The selector's verdict on one candidate: how likely it answers the question (0..1), and
    where in the sentence the answer stands (character offsets), if it found a span."""

    score: float
    span_start: int | None = None
    span_end: int | None = None


class Selector(Protocol):
    """Reads a question with each candidate sentence and scores it (a cross-encoder)."""

    @property
    def model_name(self) -> str: ...

    def select(self, question: str, items: Sequence[SelectorInput]) -> list[Selection]: ...


class Vocabulary(Protocol):
    """The words of the indexed articles, for telling a question word they do not hold."""

    def knows(self, word: str) -> bool:
        """The articles hold the word, or it is a common English word."""
        ...

    def holds_letter(self, letter: str) -> bool:
        """Some article's word holds the letter (any case): whether the articles use its
        script."""
        ...

    def holds_prefix(self, prefix: str) -> bool:
        """Some article's word begins with `prefix` (compared as `knows` compares): whether
        the articles hold a word or a form of it ("Japan" in "Japanese")."""
        ...

    def nearest(self, word: str, max_distance: int) -> str | None:
        """The articles' word nearest to `word`, at most `max_distance` edits away."""
        ...
