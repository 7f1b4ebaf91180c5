"""Deterministic fakes for the protocols in `qa/interfaces.py`, and a tiny in-memory corpus.

Real classes, no mocks: they behave like the real adapters on small made-up inputs and run in
milliseconds, so unit tests never load a model or touch the network.
"""

from __future__ import annotations

import zlib
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Literal

import numpy as np

from index.loaded import vector_search
from index.store import CorpusIndex
from qa.articles import make_article
from qa.interfaces import Selection, SelectorInput, Vectors
from qa.lexical import content_terms, term_found
from qa.models import Paragraph
from qa.retrieval import Retriever
from qa.settings import RetrievalSettings


class HashingEmbedder:
    """Bag of stemmed content words hashed into `dimension` buckets, L2-normalised.

    Texts that share content words get a high cosine; texts that share none get (almost
    always) zero. A text without content words embeds as the zero vector.
    """

    def __init__(self, dimension: int = 64, model_name: str = "fake:hashing-64") -> None:
        self._dimension = dimension
        self._model_name = model_name
        self.calls = 0

    @property
    def model_name(self) -> str:
        return self._model_name

    @property
    def dimension(self) -> int:
        return self._dimension

    def bucket(self, term: str) -> int:
        return zlib.crc32(term.encode("utf-8")) % self._dimension

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        vectors = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for term in content_terms(text):
                vectors[i, self.bucket(term)] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        np.divide(vectors, norms, out=vectors, where=norms > 0)
        return vectors


class OverlapSelector:
    """Scores a sentence by the share of the question's content words it holds, its context
    counting half (a stand-in for the trained cross-encoder); the span is the first number,
    else the first word, of the sentence that the question does not contain. `scores`
    overrides the score of sentences that contain a given text, so a test can script a
    verdict. Records every question it read."""

    def __init__(self, scores: Mapping[str, float] | None = None) -> None:
        self._scores = dict(scores or {})
        self.questions: list[str] = []
        self.read: list[list[str]] = []

    @property
    def model_name(self) -> str:
        return "fake:overlap"

    def select(self, question: str, items: Sequence[SelectorInput]) -> list[Selection]:
        self.questions.append(question)
        self.read.append([i.sentence for i in items])
        asked = set(content_terms(question))
        out = []
        for item in items:
            scripted = [v for k, v in self._scores.items() if k in item.sentence]
            own = set(content_terms(item.sentence))
            around = set(content_terms(f"{item.title} {item.previous}"))
            found = sum(1.0 if term_found(t, own) else 0.5 if term_found(t, around) else 0.0
                        for t in asked)  # fmt: skip
            score = scripted[0] if scripted else found / max(1, len(asked))
            out.append(Selection(score, *_first_new_word(item.sentence, asked)))
        return out


def _first_new_word(sentence: str, asked: set[str]) -> tuple[int | None, int | None]:
    import re

    new = [
        m
        for m in re.finditer(r"[\w,.-]*\w", sentence)
        if (terms := content_terms(m.group(0))) and not any(t in asked for t in terms)
    ]
    if not new:
        return None, None
    # a number first (what "how many" asks for), else the first new word
    match = min(new, key=lambda m: not m.group(0)[0].isdigit())
    return match.start(), match.end()


class ScriptedGenerator:
    """Returns queued completions in order (or `default` when the queue is empty) and records
    every prompt (a string) or message list it was given."""

    def __init__(
        self,
        *completions: str,
        prompt_format: Literal["completion", "chat"] = "completion",
        default: str = "",
        model_name: str = "fake:scripted",
    ) -> None:
        self._queue: deque[str] = deque(completions)
        self._prompt_format: Literal["completion", "chat"] = prompt_format
        self._default = default
        self._model_name = model_name
        self.prompts: list[str] = []
        self.messages: list[list[dict[str, str]]] = []
        self.calls: list[tuple[str, int, tuple[str, ...]]] = []  # (method, max_tokens, stop)

    @property
    def model_name(self) -> str:
        return self._model_name

    @property
    def prompt_format(self) -> Literal["completion", "chat"]:
        return self._prompt_format

    def enqueue(self, text: str) -> ScriptedGenerator:
        self._queue.append(text)
        return self

    def _next(self) -> str:
        return self._queue.popleft() if self._queue else self._default

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str],
        should_stop: Callable[[], bool] | None = None,
    ) -> str:
        self.prompts.append(prompt)
        self.calls.append(("complete", max_tokens, tuple(stop)))
        return self._next()

    def stream(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str],
        should_stop: Callable[[], bool] | None = None,
    ) -> Iterator[str]:
        self.prompts.append(prompt)
        self.calls.append(("stream", max_tokens, tuple(stop)))
        text = self._next()
        size = max(1, len(text) // 3)
        for i in range(0, len(text), size):
            yield text[i : i + size]

    def chat(
        self,
        messages: list[dict[str, str]],
        *,
        max_tokens: int,
        stop: Sequence[str],
        should_stop: Callable[[], bool] | None = None,
    ) -> str:
        self.messages.append([dict(m) for m in messages])
        self.calls.append(("chat", max_tokens, tuple(stop)))
        return self._next()


def build_index(
    articles: Mapping[str, str], embedder: HashingEmbedder | None = None
) -> CorpusIndex:
    """A real `CorpusIndex` (FAISS + BM25) over made-up raw articles, keyed by doc id."""
    embedder = embedder or HashingEmbedder()
    return CorpusIndex.build(
        [make_article(doc_id, raw) for doc_id, raw in articles.items()],
        embedder=embedder,
        cleaner_version="test",
        corpus_dir="memory",
    )


def make_retriever(
    corpus: CorpusIndex,
    embedder: HashingEmbedder,
    settings: RetrievalSettings | None = None,
    *,
    articles: Sequence[Paragraph] | None = None,
) -> Retriever:
    settings = settings or RetrievalSettings()
    return Retriever(
        embedder=embedder,
        dense=vector_search(corpus, settings),
        lexical=corpus.lexical,
        paragraphs=corpus.paragraphs,
        settings=settings,
        articles=articles,
    )


def build_corpus(
    articles: Mapping[str, str], settings: RetrievalSettings | None = None
) -> tuple[CorpusIndex, Retriever, HashingEmbedder]:
    """Index made-up articles with a `HashingEmbedder` and put a `Retriever` over them."""
    embedder = HashingEmbedder()
    corpus = build_index(articles, embedder)
    return corpus, make_retriever(corpus, embedder, settings), embedder
