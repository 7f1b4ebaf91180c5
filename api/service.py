"""The composition root: builds the models and loads the index, then answers questions.

Used by the app's lifespan and by the scripts (evaluation runs in-process through it). The
index is one `LoadedIndex` reference: `swap` replaces it whole when a new version is loaded
(api/reload.py, which knows the service only as its `Served` protocol), and every call reads
it once, so a request never mixes two versions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from api.import_slot import ImportSlot
from index import journal
from index.checksums import without_paths
from index.embedder import SentenceTransformerEmbedder
from index.generation import LlamaCppGenerator, resolve_gguf
from index.loaded import LoadedIndex, Refusal, open_index
from index.remote_generation import OpenAICompatibleGenerator
from index.selector import OnnxSelector, resolve_selector
from index.store import CorpusIndex
from index.versions import load_last_good, pointed_at
from qa.answering import ProgressCallback, answer_question, no_progress
from qa.candidates import Corpus, scoped_corpus
from qa.errors import Gone, IndexCorrupt, NotFound
from qa.interfaces import Generator, Selector
from qa.lexical import matched_spans
from qa.models import Answer, Article, Paragraph, SearchHit, Turn, UnknownWord
from qa.paragraphs import article_id_of, find_paragraph, split_paragraphs
from qa.retrieval import Retriever, all_of, in_articles, published_between, scoped_paragraphs
from qa.sentences import sentence_spans
from qa.settings import Settings
from qa.spelling import unknown_words
from qa.text_input import normalize_text, require_text, within_length

log = logging.getLogger(__name__)


@dataclass
class QAService:
    settings: Settings
    embedder: SentenceTransformerEmbedder
    index: LoadedIndex
    selector: Selector
    generator: Generator | None
    # the version `current` points at, when it could not be loaded (an older one is served)
    refusal: Refusal | None = None
    # one archive import at a time, waited for before its export is read (api/import_slot.py)
    imports: ImportSlot = field(default_factory=ImportSlot)

    @property
    def corpus(self) -> CorpusIndex:
        return self.index.corpus

    @property
    def retriever(self) -> Retriever:
        return self.index.retriever

    def swap(self, loaded: LoadedIndex) -> None:
        """Serve `loaded` from now on: one reference assignment, atomic for other threads."""
        self.index = loaded
        self.refusal = None

    @classmethod
    def load(cls, settings: Settings) -> QAService:
        embedder = SentenceTransformerEmbedder(
            settings.index.embedding_model,
            batch_size=settings.index.embed_batch_size,
            threads=settings.index.embed_threads,
            onnx_dir=(settings.models_dir / "onnx")
            if settings.index.query_backend == "onnx"
            else None,
        )
        embedder.warm_up()
        # A corrupt current version is refused with a warning naming the damage and the last
        # good one is served (and /readyz says so); a mismatched one (another embedding model)
        # stops start-up.
        refused: dict[Path, str] = {}

        def open_checked(version: Path) -> LoadedIndex:
            try:
                return open_index(version, embedder=embedder, settings=settings)
            except IndexCorrupt as exc:
                refused[version] = without_paths(str(exc), settings.index_dir)
                raise

        loaded, _ = load_last_good(settings.index_dir, open_checked)
        corpus = loaded.corpus
        selector = OnnxSelector(
            resolve_selector(settings.answer.selector_model),
            threads=settings.answer.selector_threads,
            span_length_penalty=settings.answer.span_length_penalty,
        )
        selector.warm_up()
        generator = build_generator(settings)
        _warm_up(embedder)
        log.info(
            "loaded index with %d articles, %d paragraphs; generator %s",
            len(corpus.articles),
            len(corpus.paragraphs),
            generator.model_name if generator else "none",
        )
        service = cls(settings, embedder, loaded, selector, generator)
        current = pointed_at(settings.index_dir)
        if current in refused:
            service.refusal = Refusal(current.name, refused[current])
        return service

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        doc_ids: Sequence[str] | None = None,
        on_progress: ProgressCallback = no_progress,
        should_stop: Callable[[], bool] | None = None,
        time_left: Callable[[], float | None] | None = None,
    ) -> Answer:
        """Answer from the articles; with a date range, only from articles dated within it;
        with `doc_ids`, only from those articles (an id no article has is `BadInput`).

        The texts are normalised here too (the routes already did), so no caller in the
        process hands the models raw text.
        """
        question = require_text(question, field="question", what="a question")
        history = [
            Turn(question=normalize_text(t.question), answer=normalize_text(t.answer))
            for t in history
        ]
        index = self.index  # one version for the whole answer, even if a swap happens now
        retriever, view = _scoped(index, date_from, date_to, doc_ids)
        corpus: Corpus = index.corpus
        if view is not index.corpus.paragraphs:  # a copy's sentences are embedded only here
            corpus = scoped_corpus(index.corpus, view, self.embedder.embed)
        keep = retriever.restriction
        scope_vocabulary = (
            index.vocabulary_within(
                (date_from, date_to, frozenset(doc_ids) if doc_ids is not None else None),
                view,
                keep,
            )
            if keep is not None
            else None
        )
        return answer_question(
            question,
            history=history,
            retriever=retriever,
            corpus=corpus,
            embedder=self.embedder,
            selector=self.selector,
            settings=self.settings,
            generator=self.generator,
            vocabulary=index.vocabulary,
            scope_vocabulary=scope_vocabulary,
            on_progress=on_progress,
            should_stop=should_stop,
            time_left=time_left,
        )

    def search(
        self,
        query: str,
        *,
        limit: int,
        date_from: date | None = None,
        date_to: date | None = None,
        doc_ids: Sequence[str] | None = None,
    ) -> Found:
        """The paragraphs that best match `query`, best first, as an answer's are retrieved
        (meaning and keywords fused, syndicated copies once); with a date range or `doc_ids`,
        only from those articles."""
        query = within_length(
            require_text(query, field="query", what="words to search for"),
            field="query",
            max_chars=self.settings.server.max_question_chars,
            shorter="Search for fewer words.",
        )
        index = self.index
        retriever, _ = _scoped(index, date_from, date_to, doc_ids)
        searched, total = retriever.articles_kept()
        hits = retriever.retrieve(query, top_k=limit).hits if retriever.keeps_any() else []
        unknown = unknown_words(query, index.vocabulary, self.settings.spelling)
        found = [
            SearchHit(**p.model_dump(), matches=matched_spans(query, p.text))
            for p in (hit.paragraph for hit in hits)
        ]
        return Found(found, searched, total, list(unknown))

    def articles(self) -> list[Article]:
        return list(self.index.corpus.articles.values())

    def article(self, doc_id: str) -> tuple[Article, list[Paragraph]]:
        """The article with this id and its paragraphs; `Gone` saying when for one deleted
        through the API (index/journal.py remembers it), `NotFound` for any other id."""
        article = self.index.corpus.articles.get(doc_id)
        if article is None:
            deleted = self._deleted(doc_id)
            if deleted is not None:
                raise Gone(f"document {doc_id!r} {deleted}; GET /documents lists the ids")
            raise NotFound(f"no document with id {doc_id!r}; GET /documents lists the ids")
        return article, split_paragraphs(article)

    def _deleted(self, doc_id: str) -> str | None:
        """When the article `doc_id`, not served, was deleted through the API, in words
        ("was deleted at 2026-12-07T23:50:01Z"), else None (an id never indexed, or gone some
        other way: the journal remembers only deletes through the API)."""
        deletion = journal.deletion(self.settings.index_dir, doc_id)
        if deletion is None:
            return None
        when = f"at {deletion.at}" if deletion.at else "(before deletes were timed)"
        return f"was deleted {when} (DELETE /documents/{doc_id}) and is no longer indexed"

    def paragraph(self, paragraph_id: str) -> Paragraph:
        """The paragraph a citation's `paragraph_id` names, as the index served now holds it;
        `Gone` when its article was deleted through the API (saying when), else `NotFound`
        saying why when it holds none: the article is gone, or no longer holds those words (an
        edited paragraph has a new id, so an old id never finds new words)."""
        doc_id = article_id_of(paragraph_id)
        article = self.index.corpus.articles.get(doc_id)
        if article is None and (deleted := self._deleted(doc_id)) is not None:
            raise Gone(
                f"paragraph {paragraph_id!r} cannot be shown: its article {doc_id!r} {deleted}"
            )
        if article is None:
            raise NotFound(
                f"no article with id {doc_id!r} is indexed, so paragraph {paragraph_id!r} "
                "cannot be shown: the article was deleted, or is indexed under another id "
                "now (GET /documents?q= with words of its title finds it by its title)"
            )
        found = find_paragraph(article, paragraph_id)
        if found is None:
            raise NotFound(
                f"article {doc_id!r} holds no paragraph {paragraph_id!r} now: its words were "
                "changed, or the paragraph removed, since the id was given (an id is made "
                "from the article's id and the paragraph's exact words, so changed words get a "
                f"new id); GET /documents/{doc_id} shows the article as it is now"
            )
        return found


@dataclass(frozen=True)
class Found:
    paragraphs: list[SearchHit]
    articles_searched: int
    articles_total: int
    unknown_words: list[UnknownWord]


def _scoped(
    index: LoadedIndex,
    date_from: date | None,
    date_to: date | None,
    doc_ids: Sequence[str] | None,
) -> tuple[Retriever, Sequence[Paragraph]]:
    """The retriever of the articles a date range and `doc_ids` leave (all of them without
    either), and the paragraphs it sees (the index's, or a view with copies in the place of
    rows whose article is left out); an id no article has is `BadInput`."""
    restrictions = []
    if date_from is not None or date_to is not None:
        restrictions.append(published_between(date_from, date_to))
    if doc_ids is not None:
        restrictions.append(in_articles(doc_ids, index.corpus.articles))
    if not restrictions:
        return index.retriever, index.corpus.paragraphs
    keep = all_of(restrictions)
    view = scoped_paragraphs(index.corpus.paragraphs, index.copies, keep)
    return index.retriever.restricted(keep, paragraphs=view), view


def build_generator(settings: Settings) -> Generator | None:
    """The language model of generate mode, loaded and warmed up; None in extract mode (and a
    warning when a GGUF path is set without the backend that would load it)."""
    if settings.generation.backend == "llama_cpp":
        llama = LlamaCppGenerator(
            resolve_gguf(settings.generation.gguf_path, settings.models_dir),
            settings.generation,
        )
        llama.warm_up()
        return llama
    if settings.generation.backend == "openai":
        remote = OpenAICompatibleGenerator(settings.generation)
        remote.warm_up()  # only warns: until the server is reachable, answers are 503s
        return remote
    if "gguf_path" in settings.generation.model_fields_set:
        log.warning(
            "generation.gguf_path is set but generation.backend is none, so no model is "
            "loaded and answers quote the articles; set QA_GENERATION__BACKEND=llama_cpp "
            "to use it"
        )
    return None


def _warm_up(embedder: SentenceTransformerEmbedder) -> None:
    """Pay first-call costs at start-up, not on the first user's question."""
    embedder.embed(["warm-up"])
    sentence_spans("Warm-up. Done.")
