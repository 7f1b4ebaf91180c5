"""Questions about an article itself (its author, date, source), answered from its details.

Detection is checked on questions written here; the answer path with fakes over made-up
articles whose files carry a byline, a dateline and a "Source:" line (the text cleaner turns
them into the article's details, so no sentence of the article says them).
"""

from __future__ import annotations

import pytest

from index.store import CorpusIndex
from qa.answering import answer_question
from qa.article_details import (
    ArticleDetail,
    article_meant,
    asks_about_article,
    detail_statement,
    missing_detail,
    quoted_title,
    spoken_date,
    spoken_names,
    tells_detail,
)
from qa.articles import make_article
from qa.models import Answer, RetrievedParagraph, Turn
from qa.retrieval import Retriever, in_articles
from qa.settings import AnswerSettings, Settings
from tests.fakes import HashingEmbedder, OverlapSelector, build_corpus, make_retriever

pytestmark = [pytest.mark.unit, pytest.mark.usefixtures("no_qa_environment")]

ARTICLES = {
    "harbour": (
        "Harbour reopens after storms\n\nBy Mira Hale\n\nOct. 21, 2024\n\n"
        "The harbour of Skarra reopened on Monday after a week of storms.\n\n"
        "Ferries resume on Tuesday, the port authority said.\n\n"
        "The reopening was first reported by the Skarra Post.\n\nSource: Coast Times"
    ),
    "orchards": (
        "Late frost damages apple orchards in the Brenna valley\n\n"
        "A late frost destroyed about 3,000 tonnes of apples across the Brenna valley.\n\n"
        "Growers asked the province for emergency help to replant the damaged trees."
    ),
}
SETTINGS = Settings(answer=AnswerSettings(min_answer_score=0.6, min_support=0.5))


@pytest.fixture(scope="module")
def corpus() -> tuple[CorpusIndex, Retriever, HashingEmbedder]:
    return build_corpus(ARTICLES)


def no_sentence_answers() -> OverlapSelector:
    """Every sentence scored 0.3, under the bar: no sentence answers the question."""
    return OverlapSelector(scores={"": 0.3})


def ask(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
    question: str,
    settings: Settings = SETTINGS,
    history: tuple[Turn, ...] = (),
    selector: OverlapSelector | None = None,
) -> Answer:
    index, retriever, embedder = corpus
    return answer_question(
        question,
        retriever=retriever,
        corpus=index,
        embedder=embedder,
        selector=selector or no_sentence_answers(),
        settings=settings,
        history=history,
    )


@pytest.mark.parametrize(
    ("question", "detail", "about"),
    [
        ("Who wrote the article about the harbour reopening?", "author", "the harbour reopening"),
        ("who wrote the story?", "author", ""),
        ("What is the byline on the story about the frost?", "author", "the frost"),
        ("Which reporter filed this piece on ferries?", "author", "ferries"),
        ("Who is the author of the news article on apples?", "author", "apples"),
        ("When was the article about the storms published?", "date", "the storms"),
        ("What date was this story published?", "date", ""),
        ("Who wrote the article about it?", "author", ""),  # the one talked of
        ("Who is this article by?", "author", ""),
        ("Who was the story about the frost by?", "author", "the frost"),
        ("Whose article is this?", "author", ""),
        ("In which newspaper did the story about the harbour appear?", "source", "the harbour"),
        ("What newspaper did the article about ferries appear in?", "source", "ferries"),
        ("Which news agency supplied the news report on the harbour?", "source", "the harbour"),
        ("Who was the article about the ferries written by?", "author", "the ferries"),
        ("What is the date of the article about the frost?", "date", "the frost"),
        ("When did the story about the harbour come out?", "date", "the harbour"),
        ("Where was the article about the frost published?", "source", "the frost"),
        ("What news outlet is the latest article on ferries from?", "source", "ferries"),
        ("Who published the piece on the orchards?", "source", "the orchards"),
        (
            "Who wrote the article about the drones, and when was it published?",
            "author",
            "the drones",
        ),
        ("What newspaper ran the story about the frost?", "source", "the frost"),
        ("What is the source of the article about ferries?", "source", "ferries"),
    ],
)
def test_questions_about_the_article_itself(question: str, detail: str, about: str) -> None:
    asked = asks_about_article(question)
    assert asked is not None
    assert asked.detail is ArticleDetail(detail)
    assert asked.about == about


@pytest.mark.parametrize(
    "question",
    [
        "Which news agency reported that the harbour reopened?",  # the text names it
        "Who wrote the letter to the council?",  # no article named
        "When was the IPCC Fourth Assessment Report published?",  # a named work
        "When was the FCC's sixth report and order released?",  # someone's report
        "Who issued the report on the failures of the party in 2012?",
        "What magazine wrote an article before the trial?",  # an article, not this one
        "Which kind of approach works better with the writer of the article?",
        # documents and works the news tells of, not the article itself
        "Who wrote the report on bridges overdue for inspection?",
        "Who wrote the audit report on the state bridges?",
        "When was the autopsy report released?",
        "Who filed the police report on the theft?",
        "Who wrote the short story that inspired the film?",
        "Which network carried the report that Kim met Putin?",
        "Which state media outlet carried the report on Kim Jong Un's meeting?",
        "When was the jobs report published?",
        "Who wrote the piece of legislation?",
        "What is the date of the piece of evidence?",
        "When did the ferries resume?",
    ],
)
def test_questions_about_the_text_are_left_to_the_sentences(question: str) -> None:
    assert asks_about_article(question) is None


def test_dates_are_said_in_words() -> None:
    assert spoken_date("2024-10-21") == "October 21, 2024"
    assert spoken_date("2024-03") == "March 2024"
    assert spoken_date("2024") == "2024"
    assert spoken_date("2024-10-21T08:30:00Z") == "October 21, 2024"


def test_the_author_is_told_from_the_byline_and_cited_to_the_article(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    answer = ask(corpus, "Who wrote the article about the harbour of Skarra reopening?")
    assert answer.status == "answered"
    assert answer.answer == "“Harbour reopens after storms” is by Mira Hale. [1]"
    assert answer.short_answer == "Mira Hale"
    (citation,) = answer.citations
    assert citation.detail == "author"
    assert citation.doc_id == "harbour"
    assert citation.author == "Mira Hale"
    assert (citation.span_start, citation.span_end, citation.quoted) == (0, 0, False)


def test_date_and_source(corpus: tuple[CorpusIndex, Retriever, HashingEmbedder]) -> None:
    dated = ask(corpus, "When was the story about the Skarra harbour published?")
    assert dated.answer == "“Harbour reopens after storms” is dated October 21, 2024. [1]"
    assert dated.citations[0].detail == "date"
    source = ask(corpus, "Which newspaper published the article about the Skarra harbour?")
    assert source.answer == "“Harbour reopens after storms” comes from Coast Times. [1]"
    assert source.short_answer == "Coast Times"


@pytest.mark.parametrize(
    ("stored", "spoken"),
    [
        ("Mira Hale", "Mira Hale"),
        ("Park Ji-won; Lee Han", "Park Ji-won and Lee Han"),
        ("Park Ji-won; Lee Han; Kim Soo-min", "Park Ji-won, Lee Han and Kim Soo-min"),
        ("A; B; C; D", "A, B, C and D"),
        ("Jane Doe and Li Wei", "Jane Doe and Li Wei"),  # a byline as written stays
        ("Park Ji-won; ", "Park Ji-won"),  # an empty name is no name
    ],
)
def test_several_names_are_joined_in_prose(stored: str, spoken: str) -> None:
    assert spoken_names(stored) == spoken
    assert detail_statement("T", ArticleDetail.AUTHOR, stored) == (f"“T” is by {spoken}.", spoken)
    assert detail_statement("T", ArticleDetail.SOURCE, stored)[0] == f"“T” comes from {spoken}."


@pytest.mark.parametrize(
    ("title", "quoted"),
    [
        ("Ferry returns", "“Ferry returns”"),
        # marks within a title are made single, as a quotation within a quotation is written
        ("“Fake news,” Kremlin says", "“‘Fake news,’ Kremlin says”"),
        ('"Fake news," Kremlin says', "“‘Fake news,’ Kremlin says”"),
        ("Kremlin calls report “fake news”", "“Kremlin calls report ‘fake news’”"),
        ('Voters say "no" to the tram (and "yes" to buses)',
         "“Voters say ‘no’ to the tram (and ‘yes’ to buses)”"),
        ("The port’s “last” ferry", "“The port’s ‘last’ ferry”"),
        # a title wholly in quotation marks keeps them, not doubled
        ("“We will rebuild”", "“We will rebuild”"),
        ('"We will rebuild"', "“We will rebuild”"),
        ("“A” and “B”", "“‘A’ and ‘B’”"),  # quoted at both ends, but not wholly
        # German marks („…“, its closing mark the English opening one) are made German single
        # ones (‚…‘); they were „Fake News‘, and a title wholly in them keeps them as ours
        ("„Fake News“, sagt der Kreml", "“‚Fake News‘, sagt der Kreml”"),
        ("Kreml nennt Bericht „Fake News“", "“Kreml nennt Bericht ‚Fake News‘”"),
        ("„Wir bauen wieder auf“", "“Wir bauen wieder auf”"),
    ],
)  # fmt: skip
def test_a_title_is_quoted_without_doubled_marks(title: str, quoted: str) -> None:
    """A title holding quotation marks of its own was wrapped in another pair ("““Fake
    news,” Kremlin says”", "““We will rebuild””") wherever an answer or a reason names it."""
    assert quoted_title(title) == quoted
    assert detail_statement(title, ArticleDetail.DATE, "2024-06-19")[0].startswith(quoted)
    assert f", {quoted}, " in missing_detail(title, ArticleDetail.AUTHOR)


def test_an_article_by_several_authors_names_them_in_prose() -> None:
    """Authors are stored "; "-joined (an archive's `authors` list, a page's metadata); the
    answer names them as a sentence would, and the citation keeps the stored value."""
    article = make_article(
        "kaesong",
        "Kaesong factory park stays shut\n\nThe Kaesong factory park stays shut this winter, "
        "the unification ministry said on Monday.\n\nIts 120 companies were told to wait.",
    ).model_copy(update={"author": "Park Ji-won; Lee Han"})
    embedder = HashingEmbedder()
    index = CorpusIndex.build(
        [article], embedder=embedder, cleaner_version="test", corpus_dir="memory"
    )
    answer = ask(
        (index, make_retriever(index, embedder), embedder),
        "Who wrote the article about the Kaesong factory park?",
    )
    assert answer.answer == "“Kaesong factory park stays shut” is by Park Ji-won and Lee Han. [1]"
    assert answer.short_answer == "Park Ji-won and Lee Han"
    assert answer.citations[0].author == "Park Ji-won; Lee Han"  # stored as it was


def test_an_article_without_a_byline_is_not_given_one(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    answer = ask(corpus, "Who wrote the article about frost in the apple orchards?")
    assert answer.status == "insufficient_evidence"
    assert answer.citations == []
    assert answer.reason is not None
    assert "“Late frost damages apple orchards in the Brenna valley”" in answer.reason
    assert "does not name its author" in answer.reason


def test_an_article_nobody_wrote_here_is_no_article(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    answer = ask(corpus, "Who wrote the article about the football cup final in the capital?")
    assert answer.status == "insufficient_evidence"
    assert answer.reason is not None
    assert answer.reason.startswith("no article matches what the question says")


@pytest.mark.parametrize(
    "question",
    [
        "Who wrote the op-ed criticizing the harbour authority?",  # one the news tells of
        "When was the article in the port authority's newsletter published?",
    ],
)
def test_an_article_described_by_what_it_did_is_left_to_the_sentences(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder], question: str
) -> None:
    asked = asks_about_article(question)
    assert asked is not None and not asked.about and not asked.pointing
    answer = ask(corpus, question)
    assert all(c.detail is None for c in answer.citations)


def test_a_missing_source_of_the_article_is_said(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    question = "Which newspaper published the article about late frost in the apple orchards?"
    answer = ask(corpus, question)
    assert answer.status == "insufficient_evidence"
    assert answer.reason is not None and "does not name its source" in answer.reason


def test_a_sentence_that_answers_well_is_given_instead(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    # the news may say who ran a story it reports on ("…, Reuters reported"): a sentence that
    # scores at least answer.text_over_details_score answers, not the article's details
    question = "Which newspaper published the story about the harbour of Skarra reopening?"
    scripted = OverlapSelector(scores={"first reported by": 0.9})
    answer = ask(corpus, question, selector=scripted)
    assert answer.status == "answered"
    assert answer.answer.startswith("The reopening was first reported by the Skarra Post")
    assert all(c.detail is None for c in answer.citations)
    barely = OverlapSelector(scores={"first reported by": 0.59})
    told = ask(corpus, question, selector=barely)
    assert told.short_answer == "Coast Times"


@pytest.mark.parametrize(
    ("question", "told"),
    [
        ("Who wrote the article on the harbour of Skarra reopening?", "Mira Hale"),
        (
            "Which newspaper published the story about the harbour of Skarra reopening?",
            "Coast Times",
        ),
    ],
)
def test_a_sentence_that_says_nothing_of_writing_or_publishing_is_no_answer(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder], question: str, told: str
) -> None:
    # the sentence about the story's subject matches the question's other words well, but it
    # does not say who wrote or ran anything: the article's details answer
    scripted = OverlapSelector(scores={"reopened on Monday": 0.9})
    answer = ask(corpus, question, selector=scripted)
    assert answer.short_answer == told
    assert [c.detail for c in answer.citations] == [asked_detail(question)]


def asked_detail(question: str) -> str:
    asked = asks_about_article(question)
    assert asked is not None
    return asked.detail.value


@pytest.mark.parametrize(
    ("detail", "sentence", "tells"),
    [
        (ArticleDetail.AUTHOR, "The op-ed, written by Senator Tom Calder, drew replies.", True),
        (ArticleDetail.AUTHOR, "In a column for the Post, Lund argued for tolls.", True),
        (ArticleDetail.AUTHOR, "Ole Strand retires after 40 years at the lighthouse.", False),
        (ArticleDetail.SOURCE, "Peskov spoke to reporters, the AFP news agency reported.", True),
        (ArticleDetail.SOURCE, "The bill was sent to the Duma, according to Sputnik.", True),
        (ArticleDetail.SOURCE, "Nordlys Ferries ordered two electric ships.", False),
        (ArticleDetail.DATE, "The essay was first published in 1998.", True),
        (ArticleDetail.DATE, "The museum returned the bronze mask on Friday.", False),
    ],
)
def test_which_sentences_can_tell_a_detail(
    detail: ArticleDetail, sentence: str, tells: bool
) -> None:
    assert tells_detail(detail, sentence) is tells


def test_the_setting_turns_it_off(corpus: tuple[CorpusIndex, Retriever, HashingEmbedder]) -> None:
    off = Settings(
        answer=AnswerSettings(min_answer_score=0.6, min_support=0.5, article_details=False)
    )
    answer = ask(corpus, "Who wrote the article about the harbour of Skarra reopening?", off)
    assert all(c.detail is None for c in answer.citations)
    assert "Mira Hale" not in answer.answer


def test_asked_of_one_article_this_article_is_that_one(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    index, retriever, embedder = corpus

    def asked_of(doc_id: str) -> Answer:
        return answer_question(
            "Who wrote this article?",
            retriever=retriever.restricted(in_articles([doc_id], index.articles)),
            corpus=index, embedder=embedder, selector=no_sentence_answers(), settings=SETTINGS,
        )  # fmt: skip

    answer = asked_of("harbour")
    assert answer.status == "answered", answer.reason
    assert answer.short_answer == "Mira Hale"
    answer = asked_of("orchards")
    assert answer.reason is not None
    assert answer.reason.startswith("the article asked about, “Late frost damages apple")


def test_this_article_out_of_the_blue_is_left_to_the_sentences(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    # no conversation, every article searched: an article the text tells of, if any
    answer = ask(corpus, "Who wrote this article?")
    assert all(c.detail is None for c in answer.citations)
    assert answer.reason is None or "does not name its author" not in answer.reason


def test_a_follow_up_finds_the_article_through_the_conversation(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    history = (Turn(question="When did the harbour of Skarra reopen?", answer=""),)
    answer = ask(corpus, "Who wrote the article?", history=history)
    assert answer.status == "answered"
    assert answer.short_answer == "Mira Hale"


def test_that_article_after_an_answer_is_the_article_it_quoted(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    # the earlier question is about both articles; its answer quoted the harbour one
    history = (
        Turn(
            question="What happened after the storms and the frost in the valley?",
            answer="The harbour of Skarra reopened on Monday after a week of storms. [1]",
        ),
    )
    answer = ask(corpus, "When was that article published?", history=history)
    assert answer.status == "answered", answer.reason
    assert answer.short_answer == "October 21, 2024"
    assert answer.citations[0].doc_id == "harbour"


def test_it_after_a_question_about_an_article_is_that_article(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    """ "Who wrote the article about …?" then "When was it published?": "it" is the article (a
    reviewer, helper-89, was refused: no sentence of the text says when it was published)."""
    asked = "Who wrote the article about the harbour of Skarra reopening?"
    first = ask(corpus, asked)
    assert first.short_answer == "Mira Hale"
    history = (Turn(question=asked, answer=first.answer),)
    answer = ask(corpus, "When was it published?", history=history)
    assert answer.status == "answered", answer.reason
    assert answer.short_answer == "October 21, 2024"
    assert answer.citations[0].doc_id == "harbour"
    assert answer.citations[0].detail == "date"
    # the same words after a question about the text ask about the text
    history = (Turn(question="When did the harbour of Skarra reopen?", answer=first.answer),)
    answer = ask(corpus, "When was it published?", history=history)
    assert all(c.detail is None for c in answer.citations)


def test_the_article_meant_weighs_title_and_paragraph(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    index, _, embedder = corpus
    hits = [RetrievedParagraph(**p.model_dump(), score=0.0) for p in index.paragraphs]
    meant = article_meant("apple orchards frost", hits, embedder)
    assert meant is not None
    assert meant.paragraph.doc_id == "orchards"
    assert 0 < meant.match <= 1
    assert article_meant("anything", [], embedder) is None


def test_an_article_left_out_by_the_scope_is_said_to_be_left_out(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    # the harbour article is there, but the question is asked of the orchards one only: the
    # refusal says what the scope left, as every other refusal does
    index, retriever, embedder = corpus
    answer = answer_question(
        "Who wrote the article about the harbour reopening?",
        retriever=retriever.restricted(in_articles(["orchards"], index.articles)),
        corpus=index, embedder=embedder, selector=no_sentence_answers(), settings=SETTINGS,
    )  # fmt: skip
    assert answer.status == "insufficient_evidence"
    assert answer.reason is not None
    assert answer.reason.startswith("no article matches what the question says")
    assert answer.reason.endswith("; the articles asked for left 1 of the 2 articles to search")


def test_that_article_is_the_one_the_answer_quoted_and_out_of_scope_it_is_declined() -> None:
    ferry = (
        "Ferry fares rise in May\n\nBy Tom Reyes\n\nFerry fares to Skarra rise by a tenth in May."
    )
    index, retriever, embedder = build_corpus({**ARTICLES, "ferry": ferry})
    said = (
        Turn(
            question="When did the harbour reopen?",
            answer="The harbour of Skarra reopened on Monday after a week of storms. [1]",
        ),
    )

    def pointed(scope: list[str] | None, answer: Turn = said[0]) -> Answer:
        return answer_question(
            "Who wrote that article?",
            retriever=retriever if scope is None
            else retriever.restricted(in_articles(scope, index.articles)),
            corpus=index, embedder=embedder, selector=no_sentence_answers(), settings=SETTINGS,
            history=(answer,),
        )  # fmt: skip

    found = pointed(None)
    assert found.status == "answered" and found.short_answer == "Mira Hale", found.reason
    # the quoted article names no author: the refusal says it is the one quoted
    no_byline = Turn(
        question="How much apple was lost?",
        answer="A late frost destroyed about 3,000 tonnes of apples across the Brenna valley. [1]",
    )
    assert (pointed(None, no_byline).reason or "").startswith(
        "the article the last answer quoted, “Late frost damages apple orchards"
    )
    # asked of two other articles: not that one's author, nor another's
    declined = pointed(["orchards", "ferry"])
    assert declined.status == "insufficient_evidence"
    assert "the article the last answer quoted, “Harbour reopens after storms”" in (
        declined.reason or ""
    )
    # a piece shorter than 8 words ("on Monday after a week") is no quote to find it by
    short = Turn(question="When?", answer="… on Monday after a week … [1]")
    assert "quoted" not in (pointed(["orchards", "ferry"], short).reason or "")


@pytest.mark.parametrize(
    ("question", "previous", "detail"),
    [
        ("When was it published?", ["Who wrote the article about the drones?"], "date"),
        ("Which outlet published it?", ["Who wrote the story on the vote?"], "source"),
        ("Who wrote that?", ["When was this article published?"], "author"),
        # a chain of them, each "it" the same article
        ("Who wrote it?", ["Who ran the article on the vote?", "When was it published?"], "author"),
        # no question about an article just before: "it" may be a book or a law the news tells of
        ("When was it published?", [], None),
        ("When was it published?", ["Which novel did Rivka Galchen write?"], None),
        ("Who wrote it?", ["Who ran the article on the vote?", "Who won it?"], None),
    ],
)
def test_it_names_the_article_only_after_a_question_about_one(
    question: str, previous: list[str], detail: str | None
) -> None:
    found = asks_about_article(question, previous)
    assert (found.detail.value if found else None) == detail
    assert found is None or (found.pointing and not found.about)
