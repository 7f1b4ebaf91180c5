"""An answer about an article itself (who wrote it, when, which outlet ran it), told from its
details (`qa/article_details.py`) and cited to the paragraph of it that matched, or the
refusal that names the article when it states no such detail.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from qa.article_details import (
    DetailQuestion,
    article_meant,
    detail_of,
    detail_statement,
    missing_detail,
    quoted_title,
)
from qa.candidates import Corpus
from qa.citations import MARKER
from qa.conversation import quoted_by_last_answer
from qa.interfaces import Embedder
from qa.models import Answer, Citation, Paragraph, RetrievedParagraph
from qa.question import QuestionAnalysis
from qa.quoting import abstain
from qa.settings import Settings


def detail_answer(
    analysis: QuestionAnalysis,
    asked_for: DetailQuestion,
    retrieved: list[RetrievedParagraph],
    corpus: Corpus,
    embedder: Embedder,
    settings: Settings,
    one_article: bool = False,
    scope: str = "",
    keep: Callable[[Paragraph], bool] | None = None,
) -> Answer | None:
    """The article's author, date or source, cited to the paragraph of it that matched what the
    question says the article is about; a refusal that names the article when it states no such
    detail. The article is described by the question ("the article about …"), or pointed at
    ("Who wrote that article?"): the article an earlier answer quoted, or the one article the
    question is asked of (`doc_ids`, the page's "Ask about this article"). None leaves the
    question to the sentences: an article described otherwise ("the op-ed criticizing the
    mayor", "the article in The Lancet"), or pointed at with nothing to point at, may be one
    the news tells of. One that matches no
    article of the corpus well enough (`answer.min_article_match`) is declined saying so."""
    # "Who wrote that article?" after an answer: the article that answer quoted, found by its
    # words where they stand (retrieved first, then any article), else the article that best
    # matches them (an answer a language model worded, or an article's details told before).
    # One the question's scope (`keep`) leaves out is not answered about: another in scope
    # would be a confident wrong answer
    earlier = MARKER.sub("", analysis.history[-1].answer).strip() if analysis.history else ""
    quoted = (
        quoted_by_last_answer(
            analysis,
            itertools.chain(retrieved, corpus.paragraphs),
            settings.conversation.said_before_words,
        )
        if earlier and asked_for.pointing and not asked_for.about and not one_article
        else None
    )
    if quoted is not None and keep is not None and not keep(quoted):
        return abstain(
            analysis, retrieved, {},
            "the article the last answer quoted, "
            f"{quoted_title(quoted.title or quoted.doc_id)}, is not "
            f"among the articles this question is asked of{scope}",
        )  # fmt: skip
    if quoted is not None:
        return _told_detail(analysis, asked_for, quoted, retrieved, one_article, quoted=True)
    if asked_for.about:
        described = asked_for.about
    elif not asked_for.pointing:
        return None
    elif one_article:
        described = analysis.asked
    elif earlier or analysis.rewritten:  # the earlier question, when its answer is not sent
        described = earlier or str(analysis.rewritten)
    else:
        # "When was the article published?" out of the blue: an article its text tells of, if
        # any (such training questions are answered from their paragraph: "May 2006")
        return None
    meant = article_meant(described, retrieved, embedder)
    this_one = one_article and asked_for.pointing
    if meant is None or (meant.match < settings.answer.min_article_match and not this_one):
        # "the article about …" names an article the question takes to be in the corpus: a
        # quote from the text would be no answer to who wrote it
        best = f" (best: {quoted_title(meant.paragraph.title)}, {meant.match:.2f})" if meant else ""
        return abstain(
            analysis, retrieved, {},
            "no article matches what the question says the article is about well enough"
            f"{best}; an article's author, date and source are told for the article it describes"
            f"{scope}",
        )  # fmt: skip
    return _told_detail(analysis, asked_for, meant.paragraph, retrieved, one_article)


def _told_detail(
    analysis: QuestionAnalysis,
    asked_for: DetailQuestion,
    paragraph: Paragraph,
    retrieved: list[RetrievedParagraph],
    one_article: bool,
    *,
    quoted: bool = False,
) -> Answer:
    """The detail of the article `paragraph` stands in, cited to it, or the refusal that names
    the article when it states no such detail (`quoted`: the one the last answer quoted)."""
    value = detail_of(paragraph, asked_for.detail)
    if value is None:
        why = missing_detail(
            paragraph.title, asked_for.detail, asked_of_it=one_article, quoted=quoted
        )
        return abstain(analysis, retrieved, {}, why)
    statement, short = detail_statement(paragraph.title, asked_for.detail, value)
    citation = Citation(
        **Paragraph.model_validate(paragraph, from_attributes=True).model_dump(),
        marker=1,
        verified=True,
        quoted=False,
        support_score=1.0,
        span_start=0,
        span_end=0,
        detail=asked_for.detail.value,
    )
    return Answer(
        question=analysis.as_typed,
        rewritten_question=analysis.rewritten,
        answer=f"{statement} [1]",
        status="answered",
        citations=[citation],
        retrieved=retrieved,
        short_answer=short,
        answers_question=False,  # no sentence was judged: the article's details say it
        unknown_words=list(analysis.unknown),
    )
