"""Hybrid retrieval: dense (FAISS) and lexical (BM25) rankings fused by reciprocal rank fusion."""

from __future__ import annotations

import functools
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from qa.errors import BadInput
from qa.interfaces import Embedder, LexicalSearch, Vectors, VectorSearch
from qa.lexical import content_terms, jaccard
from qa.models import Paragraph, RetrievedParagraph
from qa.settings import RetrievalSettings


@dataclass(frozen=True)
class Hit:
    row: int
    paragraph: RetrievedParagraph


@dataclass(frozen=True)
class Rankings:
    query_vector: Vectors
    dense: list[tuple[int, float]]
    lexical: list[tuple[int, float]]
    fused: list[tuple[int, float]]


@dataclass(frozen=True)
class Retrieval:
    query_vector: Vectors
    hits: list[Hit]


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], *, k: int) -> list[tuple[int, float]]:
    """Sum of 1/(k + rank) over the rankings an item appears in (Cormack et al., 2009)."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


@functools.lru_cache(maxsize=65536)
def _term_set(text: str) -> frozenset[str]:
    """Content words of a paragraph, kept between questions: stemming them again for every
    question was a third of retrieval time after the query embedding."""
    return frozenset(content_terms(text))


def collapse_near_duplicates(
    rows: Sequence[int], texts: Mapping[int, str], *, threshold: float, limit: int | None = None
) -> list[int]:
    """Keep the first of any group of paragraphs whose content words overlap above `threshold`;
    with `limit`, stop once that many are kept (each row is compared with every row kept, so
    collapsing all of two 100-long rankings costs more than the searches)."""
    kept: list[int] = []
    kept_terms: list[frozenset[str]] = []
    for row in rows:
        if limit is not None and len(kept) >= limit:
            break
        terms = _term_set(texts[row])
        if any(jaccard(terms, other) >= threshold for other in kept_terms):
            continue
        kept.append(row)
        kept_terms.append(terms)
    return kept


@dataclass(frozen=True)
class Restriction:
    """Which paragraphs a search keeps (a date range, some articles), and how a refusal names
    it: `nothing_kept` when no paragraph passes, `scope` and `note` for what it left."""

    keep: Callable[[Paragraph], bool]
    scope: str
    nothing_kept: str
    note: str = ""

    def __call__(self, paragraph: Paragraph) -> bool:
        return self.keep(paragraph)


_UNDATED = " (undated articles are left out of a range)"


def published_between(date_from: date | None, date_to: date | None) -> Restriction:
    """Keep paragraphs of articles dated within [date_from, date_to]; undated ones never."""
    low = date_from.isoformat() if date_from else "0000-00-00"
    high = date_to.isoformat() if date_to else "9999-99-99"
    return Restriction(
        keep=lambda p: p.date is not None and low <= p.date[:10] <= high,  # ISO sorts as text
        scope="the date range",
        nothing_kept=f"no article is dated within the date range asked for{_UNDATED}",
        note=_UNDATED,
    )


def in_articles(doc_ids: Iterable[str], articles: Container[str]) -> Restriction:
    """Keep paragraphs of the articles `doc_ids`; `BadInput` names the ids no article has."""
    wanted = frozenset(doc_ids)
    unknown = sorted(d for d in wanted if d not in articles)
    if unknown:
        shown = ", ".join(repr(d) for d in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise BadInput(f"doc_ids: no article has the id(s) {shown}; GET /documents lists the ids")
    return Restriction(
        keep=lambda p: p.doc_id in wanted,
        scope="the articles asked for",
        # every paragraph of those articles repeats one searched in another article
        nothing_kept="no paragraph of the articles asked for is searched: each repeats a "
        "paragraph of another article, which is searched there",
    )


def all_of(restrictions: Sequence[Restriction]) -> Restriction:
    """Keep a paragraph that every one of `restrictions` keeps."""
    if len(restrictions) == 1:
        return restrictions[0]
    scope = " and ".join(r.scope for r in restrictions)
    note = "".join(r.note for r in restrictions)
    return Restriction(
        keep=lambda p: all(r.keep(p) for r in restrictions),
        scope=scope,
        nothing_kept=f"no article is left to search by {scope}{note}",
        note=note,
    )


def scoped_paragraphs(
    paragraphs: Sequence[Paragraph],
    copies: Mapping[int, Sequence[Paragraph]],
    keep: Restriction,
) -> Sequence[Paragraph]:
    """The index's paragraphs as a restricted search should see them. A paragraph that another
    article repeats, word for word or nearly, is searched once, under the article read first
    (`copies`: row → the copies left out of the index). When `keep` leaves out that article
    but keeps a copy's (a dated copy of an undated page, the article asked about), the copy
    takes the row's place, found by the row's vectors and words, so the search finds it and
    the citation names it (and quotes it: `qa.candidates.scoped_corpus`)."""
    view: list[Paragraph] | None = None
    for row, found in copies.items():
        if keep(paragraphs[row]):
            continue
        copy = next((c for c in found if keep(c)), None)
        if copy is not None:
            view = view if view is not None else list(paragraphs)
            view[row] = copy
    return paragraphs if view is None else view


class Retriever:
    def __init__(
        self,
        *,
        embedder: Embedder,
        dense: VectorSearch,
        lexical: LexicalSearch,
        paragraphs: Sequence[Paragraph],
        settings: RetrievalSettings,
        restriction: Restriction | None = None,
        articles: Sequence[Paragraph] | None = None,
    ) -> None:
        self._embedder = embedder
        self._dense = dense
        self._lexical = lexical
        self._paragraphs = paragraphs
        self._settings = settings
        self.restriction = restriction
        # one stand-in per article (its metadata, no text), those whose paragraphs all repeat
        # another article's too: what a restriction keeps is counted on these, as GET
        # /documents counts; by default, the articles with a searched paragraph
        self._articles = articles

    def keeps_any(self) -> bool:
        """Some paragraph is searched (a restriction may leave none: a date range no article
        is dated within)."""
        keep = self.restriction
        return keep is None or any(keep(p) for p in self._paragraphs)

    def articles_kept(self) -> tuple[int, int]:
        """(articles searched, articles in all): what a restriction (a date range) leaves."""
        articles = self._articles if self._articles is not None else self._paragraphs
        every = {p.doc_id for p in articles}
        keep = self.restriction
        if keep is None:
            return len(every), len(every)
        return len({p.doc_id for p in articles if keep(p)}), len(every)

    def restricted(
        self, restriction: Restriction, *, paragraphs: Sequence[Paragraph] | None = None
    ) -> Retriever:
        """The same search over only the paragraphs `restriction` keeps (e.g. a date range);
        `paragraphs` is the index's row by row, some perhaps standing in for others
        (`scoped_paragraphs`)."""
        return Retriever(
            embedder=self._embedder,
            dense=self._dense,
            lexical=self._lexical,
            paragraphs=self._paragraphs if paragraphs is None else paragraphs,
            settings=self._settings,
            restriction=restriction,
            articles=self._articles,
        )

    def rankings(self, question: str, *, limit: int | None = None) -> Rankings:
        """Dense, lexical and fused rankings (fused with near-duplicates collapsed, the first
        `limit` of it, or all of it)."""
        s = self._settings
        query_vector = self._embedder.embed([question])[0]
        keep = self.restriction
        if keep is None:
            dense = self._dense.search(query_vector, s.dense_k)
            lexical = self._lexical.search(question, s.lexical_k)
        else:  # rank everything, then keep the first k that pass: the filter may drop most
            everything = len(self._paragraphs)
            dense = [h for h in self._dense.search(query_vector, everything)
                     if keep(self._paragraphs[h[0]])][: s.dense_k]  # fmt: skip
            lexical = [h for h in self._lexical.search(question, everything)
                       if keep(self._paragraphs[h[0]])][: s.lexical_k]  # fmt: skip
        fused = reciprocal_rank_fusion([[r for r, _ in dense], [r for r, _ in lexical]], k=s.rrf_k)
        kept = collapse_near_duplicates(
            [r for r, _ in fused],
            {r: self._paragraphs[r].text for r, _ in fused},
            threshold=s.near_duplicate_threshold,
            limit=limit,
        )
        fused_scores = dict(fused)
        return Rankings(query_vector, dense, lexical, [(r, fused_scores[r]) for r in kept])

    def retrieve(self, question: str, *, top_k: int | None = None) -> Retrieval:
        ranked = self.rankings(question, limit=top_k or self._settings.top_k)
        query_vector = ranked.query_vector
        dense_scores, lexical_scores = dict(ranked.dense), dict(ranked.lexical)
        fused_scores = dict(ranked.fused)
        rows = [r for r, _ in ranked.fused]
        hits = [
            Hit(
                row,
                RetrievedParagraph(
                    **self._paragraphs[row].model_dump(),
                    score=round(fused_scores[row], 6),
                    dense_score=_rounded(dense_scores.get(row)),
                    lexical_score=_rounded(lexical_scores.get(row)),
                ),
            )
            for row in rows
        ]
        return Retrieval(query_vector=query_vector, hits=hits)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
