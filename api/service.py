"""The composition root: builds the models and loads the index once, then answers questions.

Used by the app's lifespan and by the scripts (evaluation runs in-process through it).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from index.embedder import SentenceTransformerEmbedder
from index.store import CorpusIndex
from index.versions import current_version
from qa.answering import answer_question, ask_reader
from qa.cleaning import CLEANER_VERSION
from qa.errors import NotFound
from qa.generation import LlamaCppGenerator, resolve_gguf
from qa.interfaces import Generator
from qa.models import Answer, Article, Paragraph, Turn
from qa.paragraphs import split_paragraphs
from qa.retrieval import Retriever
from qa.sentences import sentence_spans
from qa.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class QAService:
    settings: Settings
    embedder: SentenceTransformerEmbedder
    corpus: CorpusIndex
    retriever: Retriever
    generator: Generator | None

    @classmethod
    def load(cls, settings: Settings) -> QAService:
        embedder = SentenceTransformerEmbedder(
            settings.index.embedding_model, batch_size=settings.index.embed_batch_size
        )
        embedder.warm_up()
        corpus = CorpusIndex.load(current_version(settings.index_dir))
        corpus.manifest.check_compatible(
            embedding_model=embedder.model_name, dimension=embedder.dimension
        )
        if corpus.manifest.cleaner_version != CLEANER_VERSION:
            # still consistent in itself, so it is served; a rebuild applies the newer rules
            log.warning(
                "index was cleaned with cleaner %s, the code has %s; rebuild to apply it",
                corpus.manifest.cleaner_version,
                CLEANER_VERSION,
            )
        retriever = Retriever(
            embedder=embedder,
            dense=corpus.dense,
            lexical=corpus.lexical,
            paragraphs=corpus.paragraphs,
            settings=settings.retrieval,
        )
        generator: Generator | None = None
        if settings.generation.backend == "llama_cpp":
            llama = LlamaCppGenerator(
                resolve_gguf(settings.generation.gguf_path, settings.models_dir),
                settings.generation,
            )
            llama.warm_up()
            generator = llama
        _warm_up(embedder, generator)
        log.info(
            "loaded index with %d articles, %d paragraphs; generator %s",
            len(corpus.articles),
            len(corpus.paragraphs),
            generator.model_name if generator else "none",
        )
        return cls(settings, embedder, corpus, retriever, generator)

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        return answer_question(
            question,
            history=history,
            retriever=self.retriever,
            corpus=self.corpus,
            embedder=self.embedder,
            generator=self.generator,
            settings=self.settings,
        )

    def articles(self) -> list[Article]:
        return list(self.corpus.articles.values())

    def article(self, doc_id: str) -> tuple[Article, list[Paragraph]]:
        article = self.corpus.articles.get(doc_id)
        if article is None:
            raise NotFound(f"no document with id {doc_id!r}; GET /documents lists the ids")
        return article, split_paragraphs(article)


def _warm_up(embedder: SentenceTransformerEmbedder, generator: Generator | None) -> None:
    """Pay first-call costs at start-up, not on the first user's question.

    The reader prompt's fixed few-shot prefix also lands in llama.cpp's cache this way, and
    later prompts that share it skip re-reading it.
    """
    embedder.embed(["warm-up"])
    sentence_spans("Warm-up. Done.")
    if generator is not None:
        ask_reader(generator, "What is this?", ["This is a warm-up sentence."], max_tokens=1)
