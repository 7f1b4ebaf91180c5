"""Data shapes shared by every stage: articles, paragraphs, retrieved hits, citations, answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

TITLE_MAX_CHARS = 100  # a title made of an untitled article's opening words


class Article(BaseModel):
    """A cleaned article: `text` is what paragraph offsets point into."""

    model_config = ConfigDict(frozen=True)

    doc_id: str = Field(description="The article's file stem.")
    title: str | None = Field(default=None, description="Headline, when the article has one.")
    source: str | None = Field(default=None, description="Publisher or agency, when stated.")
    date: str | None = Field(default=None, description="Publication or update date (ISO 8601).")
    author: str | None = Field(default=None, description="Author(s), when the page names them.")
    url: str | None = Field(
        default=None, description="The article's address (http or https), when known."
    )
    text: str = Field(description="Cleaned article body; paragraphs separated by blank lines.")
    content_hash: str = Field(
        description="SHA-256 of the raw file (or archive line), used to detect changes."
    )

    @property
    def display_title(self) -> str:
        """A title for people: the headline, else the opening words of the article."""
        if self.title:
            return self.title
        words = self.text.split()
        opening = " ".join(words[:10])
        if len(opening) > TITLE_MAX_CHARS:  # a script written without spaces (Chinese, Japanese)
            return opening[: TITLE_MAX_CHARS - 1].rstrip() + "…"
        return opening + ("…" if len(words) > 10 else "")


class Paragraph(BaseModel):
    """The citation unit: `article.text[start:end] == text`."""

    model_config = ConfigDict(frozen=True)

    paragraph_id: str = Field(description="Stable id: the same text in the same article keeps it.")
    doc_id: str
    index: int = Field(description="Position of the paragraph in its article, from 0.")
    start: int = Field(description="Character offset of the paragraph in the cleaned article.")
    end: int = Field(description="Offset one past the paragraph's last character.")
    text: str
    title: str = Field(description="The article's display title.")
    source: str | None = None
    date: str | None = None
    # optional, so indexes written before they existed still load
    author: str | None = None
    url: str | None = Field(default=None, description="The article's address, when known.")


class RetrievedParagraph(Paragraph):
    """A paragraph considered for an answer, with how it ranked."""

    score: float = Field(description="Fused retrieval score (reciprocal rank fusion).")
    dense_score: float | None = Field(
        default=None, description="Cosine similarity to the question."
    )
    lexical_score: float | None = Field(default=None, description="BM25 score for the question.")


class SearchHit(RetrievedParagraph):
    """A paragraph a search found, with where it holds the words searched for."""

    matches: list[tuple[int, int]] = Field(
        default_factory=list,
        description="(start, end) offsets inside the paragraph's text of the query's words it "
        "holds, in any form ('drones' finds 'drone'); neighbouring words are one span. Empty "
        "when the paragraph was found by meaning alone.",
    )


class Citation(Paragraph):
    """A paragraph an answer points at with marker `[n]`, and how well it supports its sentence."""

    marker: int = Field(description="The n of the `[n]` marker in the answer text.")
    verified: bool = Field(
        description="True when the cited paragraph supports the claim (support_score at least "
        "answer.min_support); every returned citation is."
    )
    quoted: bool = Field(
        default=True,
        description="True when the words citing it stand word for word in the paragraph (a "
        "quote); false when the paragraph supports them in other words (generate mode).",
    )
    support_score: float = Field(description="Support of the claim by the paragraph, 0..1.")
    span_start: int = Field(
        description="Start of the supporting span, offset inside the paragraph."
    )
    span_end: int = Field(description="End of the supporting span, offset inside the paragraph.")
    detail: Literal["author", "date", "source"] | None = Field(
        default=None,
        description="Set when the claim states one of the article's details (its author, date "
        "or source, as its file or page gives them) rather than words of the paragraph: the "
        "paragraph is then the one that matched what the question said the article is about, "
        "and the span is empty.",
    )


class UnknownWord(BaseModel):
    """A question word that no article holds (nor a common English word list)."""

    word: str = Field(description="The word as asked.")
    suggestion: str | None = Field(
        default=None,
        description="The nearest word the articles hold, one or two letters away (as the "
        "articles spell it); null when none is that close.",
    )


# the longest earlier question and answer a conversation may carry (characters)
TURN_QUESTION_MAX_CHARS = 2000
TURN_ANSWER_MAX_CHARS = 20000


class Turn(BaseModel):
    """One earlier exchange of a conversation."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=TURN_QUESTION_MAX_CHARS)
    answer: str = Field(default="", max_length=TURN_ANSWER_MAX_CHARS)

    @field_validator("answer", mode="before")
    @classmethod
    def _no_answer(cls, value: object) -> object:
        """`null` is how many clients write a turn that got no answer: the same as none."""
        return "" if value is None else value


Status = Literal["answered", "insufficient_evidence"]
# `qa.evidence.AnswerType`'s values but "any"
AskedKind = Literal["number", "duration", "date", "year", "time", "person", "statement"]
# how every refusal's text opens (qa/answering.py: `_abstain`; /v1 goes on with the reason)
DECLINED = "The articles do not hold enough evidence to answer this."


def is_refusal(text: str) -> bool:
    """The text of a refusal, as /ask or /v1 gave it: no answer to read a name or a sentence
    from when a client carries it back as a conversation's earlier turn."""
    return text.lstrip().startswith(DECLINED[:-1])


class Answer(BaseModel):
    """What `/ask` returns."""

    question: str
    rewritten_question: str | None = Field(
        default=None, description="What was searched, when a follow-up was rewritten."
    )
    answer: str = Field(description="Concise answer with inline `[n]` markers.")
    status: Status
    citations: list[Citation]
    retrieved: list[RetrievedParagraph] = Field(
        description="Paragraphs considered, best first; on insufficient evidence, the closest ones."
    )
    short_answer: str | None = Field(
        default=None,
        description="The direct answer inside the cited sentence (a name, number, date or "
        "phrase), as the selector marked it; null when it marked none.",
    )
    evidence_score: float | None = Field(
        default=None,
        description="The answer selector's score (0..1) that the cited sentence answers the "
        "question; null on abstention (the best score is then in `reason`).",
    )
    answers_question: bool = Field(
        default=False,
        description="True when the selector judged that the articles answer the question (its "
        "score cleared answer.min_answer_score). A separate check from `verified`/`quoted`, which "
        "say the cited paragraph holds the words. False for an answer told from an article's "
        "details (a citation with `detail`): no sentence was judged.",
    )
    asked_kind: AskedKind | None = Field(
        default=None,
        description="The kind of answer the question asks for, read from its question word: "
        "number ('How many…?'), duration ('How long…?'), date, year, time ('When…?'), person "
        "('Who…?') or statement ('What did X say…?'); null when it asks for no particular kind "
        "(most 'What…?' questions), for a question of several parts (asked on its own: a "
        "follow-up is not split), on abstention and for an answer told from an article's "
        "details.",
    )
    holds_asked_kind: bool | None = Field(
        default=None,
        description="For a number, duration, date, year or time asked for: whether the answer's "
        "text holds one that the question does not already hold (a figure, 'twice', 'doubled' "
        "for 'How many…?'; a date, a day or a time word for 'When…?'). False is a hint to check "
        "the quote: it may be the closest the articles come ('How old is the ambassador?' "
        "answered with the sentence that names him), or answer in other words ('after the deal "
        "was signed'). It changes no answer. Null when `asked_kind` is, for a person or a "
        "statement (not checked), and for a question of several parts.",
    )
    reason: str | None = Field(
        default=None, description="Why the service abstained, when status is insufficient_evidence."
    )
    removed_claims: list[str] = Field(
        default_factory=list,
        description="Sentences taken out because no cited paragraph supported them.",
    )
    quoted_instead: str | None = Field(
        default=None,
        description="Generate mode: why the model's answer was withheld (it wrote nothing, "
        "cited no paragraph, or no claim of it was supported), so the answer quotes the "
        "article's sentence the selector chose instead; null otherwise.",
    )
    unknown_words: list[UnknownWord] = Field(
        default_factory=list,
        description="Question words found in no article: a misspelling ('Youseff', where the "
        "articles say 'Youssef') or something the articles never mention. Reported only; the "
        "question was searched as asked.",
    )
    timings_ms: dict[str, float] = Field(default_factory=dict)
