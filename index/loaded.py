"""One index version loaded into memory, checked, with the retriever over it.

`open_index` loads a version (every file checked against its checksum), checks that it fits the
embedding model, and puts a `Retriever` over it. The service serves one `LoadedIndex` at a time;
api/reload.py swaps in a new one whole.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from index.sentence_search import BestSentenceSearch
from index.store import CorpusIndex
from index.vocabulary import CorpusVocabulary
from qa.cleaning import CLEANER_VERSION
from qa.interfaces import Embedder, VectorSearch
from qa.models import Article, Paragraph
from qa.paragraphs import split_paragraphs
from qa.retrieval import Retriever
from qa.settings import RetrievalSettings, Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedIndex:
    """One index version in memory with the retriever over it; never changed once built."""

    version: Path
    corpus: CorpusIndex
    retriever: Retriever
    vocabulary: CorpusVocabulary  # the articles' words, for "did you mean"
    # row → paragraphs of other articles that repeat it, word for word or nearly (left out of
    # the index: the manifest's duplicates), which a restricted search may put in its place
    copies: Mapping[int, Sequence[Paragraph]] = field(default_factory=dict)
    # the words of the articles a restricted search keeps, by restriction (`vocabulary_within`)
    _scoped: OrderedDict[Hashable, CorpusVocabulary] = field(
        default_factory=OrderedDict, compare=False, repr=False
    )
    _scoped_lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def vocabulary_within(
        self, key: Hashable, view: Sequence[Paragraph], keep: Callable[[Paragraph], bool]
    ) -> CorpusVocabulary:
        """The words of the articles a restriction keeps (`keep`, over the paragraphs a
        restricted search sees, `view`): their titles, authors and outlets and the kept
        paragraphs, counted as `vocabulary` counts the whole index's. A question about a name
        none of them holds is declined (qa/spelling.py: absent_names), as one about a name no
        article holds is. Counted once per restriction (`key`) for the last
        `_SCOPED_VOCABULARIES` asked: a conversation keeps its date range or articles."""
        with self._scoped_lock:
            found = self._scoped.get(key)
            if found is not None:
                self._scoped.move_to_end(key)
                return found
        kept = [paragraph for paragraph in view if keep(paragraph)]
        articles = dict.fromkeys(paragraph.doc_id for paragraph in kept)
        found = CorpusVocabulary(
            chain(
                (_details(self.corpus.articles[doc_id]) for doc_id in articles),
                (paragraph.text for paragraph in kept),
            ),
            english=self.vocabulary.english,
        )
        with self._scoped_lock:
            self._scoped[key] = found
            while len(self._scoped) > _SCOPED_VOCABULARIES:
                self._scoped.popitem(last=False)
        return found


# restrictions whose words are kept counted (`LoadedIndex.vocabulary_within`)
_SCOPED_VOCABULARIES = 16


def _details(article: Article) -> str:
    """An article's title, author and outlet: its names are in the article too."""
    return " ".join(filter(None, (article.title, article.author, article.source)))


def open_index(version: Path, *, embedder: Embedder, settings: Settings) -> LoadedIndex:
    """Load `version` (every file checked against its checksum) and check it fits the model."""
    corpus = CorpusIndex.load(version)
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
    if not corpus.lexical.folds_accents:
        log.warning(
            "index keyword search reads words with their accents ('Krakow' misses 'Kraków'); "
            "rebuild to read them without"
        )
    if not corpus.lexical.writes_out_amounts:
        log.warning(
            "index keyword search reads amounts as written ('£620m' misses '£620 million'); "
            "rebuild to read them written out"
        )
    elif not corpus.lexical.keeps_short_amounts:
        log.warning(
            "index keyword search reads amounts written short as written out alone ('620m' "
            "misses '£620m'); rebuild to keep their short form beside"
        )
    retriever = Retriever(
        embedder=embedder,
        dense=vector_search(corpus, settings.retrieval),
        lexical=corpus.lexical,
        paragraphs=corpus.paragraphs,
        settings=settings.retrieval,
        articles=[
            Paragraph(
                paragraph_id=f"{article.doc_id}:article",
                doc_id=article.doc_id,
                index=0,
                start=0,
                end=0,
                text="",
                title=article.display_title,
                source=article.source,
                date=article.date,
            )
            for article in corpus.articles.values()
        ],
    )
    copies = paragraph_copies(corpus)
    vocabulary = CorpusVocabulary(  # counted now, not while a question waits
        chain(
            # a byline or outlet is in the article too: its names are not "found in no article"
            (_details(article) for article in corpus.articles.values()),
            (paragraph.text for paragraph in corpus.paragraphs),
            # and so is a near-copy left out of the searched rows (a scoped question quotes it)
            (copy.text for found in copies.values() for copy in found),
        )
    )
    return LoadedIndex(version, corpus, retriever, vocabulary, copies)


def paragraph_copies(corpus: CorpusIndex) -> dict[int, list[Paragraph]]:
    """Each searched paragraph's copies in other articles: the near-duplicates left out of the
    index, word for word or nearly (a copy whose text differs has its own sentences, which a
    restricted search splits and embeds when it puts the copy in the row's place)."""
    rows = {p.paragraph_id: row for row, p in enumerate(corpus.paragraphs)}
    by_article: dict[str, dict[str, Paragraph]] = {}
    copies: dict[int, list[Paragraph]] = {}
    for duplicate in corpus.manifest.duplicates:
        row = rows.get(duplicate.duplicate_of)
        doc_id = duplicate.paragraph_id.split(":", 1)[0]
        article = corpus.articles.get(doc_id)
        if row is None or article is None:
            continue
        if doc_id not in by_article:
            by_article[doc_id] = {p.paragraph_id: p for p in split_paragraphs(article)}
        copy = by_article[doc_id].get(duplicate.paragraph_id)
        if copy is not None:
            copies.setdefault(row, []).append(copy)
    return copies


def vector_search(corpus: CorpusIndex, settings: RetrievalSettings) -> VectorSearch:
    """The paragraph vectors' search, scored by the best sentence too unless turned off."""
    if not settings.sentence_scores:
        return corpus.dense
    if len(corpus.sentences) > settings.sentence_scores_max:
        log.info(
            "%d sentences: over retrieval.sentence_scores_max (%d), searching paragraph "
            "vectors only",
            len(corpus.sentences),
            settings.sentence_scores_max,
        )
        return corpus.dense
    return BestSentenceSearch(
        corpus.dense, corpus.sentence_vectors, [ref.row for ref in corpus.sentences]
    )


@dataclass(frozen=True)
class Refusal:
    """A version `current` pointed at that could not be loaded, and why."""

    version: str
    reason: str
