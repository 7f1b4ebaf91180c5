"""The seams: small protocols that models and stores implement, so any one can be swapped.

`index/` holds the real adapters (sentence-transformers, FAISS, BM25); `qa/generation.py` the
language-model ones. Deterministic fakes for tests are real classes too (`tests/fakes.py`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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
    """A language model that continues a prompt."""

    @property
    def model_name(self) -> str: ...

    def complete(self, prompt: str, *, max_tokens: int, stop: Sequence[str]) -> str: ...

    def stream(self, prompt: str, *, max_tokens: int, stop: Sequence[str]) -> Iterator[str]: ...

    def chat(
        self, messages: list[dict[str, str]], *, max_tokens: int, stop: Sequence[str]
    ) -> str: ...

    @property
    def prompt_format(self) -> Literal["completion", "chat"]: ...


class VectorSearch(Protocol):
    """Nearest paragraphs to a query vector: (row, cosine) best first."""

    def search(self, query: Vectors, k: int) -> list[tuple[int, float]]: ...


class LexicalSearch(Protocol):
    """Best paragraphs for a query's words: (row, BM25 score) best first."""

    def search(self, query: str, k: int) -> list[tuple[int, float]]: ...
