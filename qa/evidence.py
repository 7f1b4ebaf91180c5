"""Find the sentences that answer a question among retrieved paragraphs, and score them.

A small language model cannot be trusted to find the answer by itself, so the service ranks
candidate sentences with signals it can check: meaning (cosine to the question), the question's
rare words found in the sentence or its immediate context, and whether the sentence holds the
kind of thing the question asks for (a number for "how many", a date for "when", a name for
"who").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

from qa.candidates import Candidate
from qa.dates import MONTH_ABBREVIATIONS, MONTH_NAMES, WEEKDAY_NAMES
from qa.interfaces import Vectors
from qa.lexical import content_terms, coverage, idf_weights, term_found, words, written_out_amounts
from qa.settings import EvidenceSettings


class AnswerType(Enum):
    NUMBER = "number"
    DURATION = "duration"  # "how long": a number, or a span of time ("a year", "several months")
    DATE = "date"
    YEAR = "year"
    TIME = "time"
    PERSON = "person"
    STATEMENT = "statement"
    ANY = "any"


# The kind asked for is read from the question's own wh-phrase, from its question word on
# (`_question_word`: "In what year…", "…signed on what date?"): a clause around it sets no kind
# ("What does the beroe do when pursuing prey?" asks for no time, "Who was in charge when…?"
# for a person, "The company which built it was founded in what year?" for a year). A "when"
# that opens a clause ("When the war ended, who signed…?") gives way to the question word after
# it. On the 34,941 training questions, the answer is a time for 12 % of the questions that the
# old reading ("when" anywhere) took for "when" questions though "when" was not their question
# word, and for 82 % of those that open with "When"; over all "when" questions, 61 % before and
# 86 % now. "How many" and its kin set the kind wherever they stand in the phrase ("The area
# where the city sits has been lived in for how many years?").
_QUESTION_WORD = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b", re.I)
# words that may stand before a question word at the head of a clause ("In what year…",
# "According to whom…", "…, and who…"); any other word before it makes it relative ("The
# company which built the bridge was founded in what year?") or a question asked in place
_CLAUSE_OPENERS = frozenset(
    """
    in on at by for from to of with according since until till during after before about under
    into through over between among and or but so then least
    """.split()
)
_AUXILIARIES = frozenset(
    """
    did does do was were is are will would has have had can could should shall may might must
    """.split()
)
# after these, "when" opens a clause: "When the war ended…", "When it is hot…"
_SUBJECT_WORDS = frozenset(
    """
    the a an this that these those his her their its my our your there it he she they we you i
    """.split()
)
_QUESTION_TYPES: list[tuple[re.Pattern[str], AnswerType]] = [
    (re.compile(r"\bhow long\b", re.I), AnswerType.DURATION),
    (re.compile(r"\bhow (many|much|old|far|large|big|high)\b|^what (number|percentage|"
                r"share|proportion|amount)\b", re.I), AnswerType.NUMBER),
    (re.compile(r"^(what|which) (date|day)\b", re.I), AnswerType.DATE),
    (re.compile(r"^(what|which) year\b", re.I), AnswerType.YEAR),
    (re.compile(r"^when\b|^(what|which) (month|time)\b", re.I), AnswerType.TIME),
    (re.compile(r"^(who|whom|whose)\b", re.I), AnswerType.PERSON),
    (re.compile(r"^what (?:did|does|do|has|have|had|will|would)\b.*\b(?:say|said|tell|told|"
                r"claim(?:ed)?|warn(?:ed)?|insist(?:ed)?|announced?|argued?|reply|replied|"
                r"respond(?:ed)?|write|wrote|written)\b", re.I), AnswerType.STATEMENT),
]  # fmt: skip

_CALENDAR_WORDS = MONTH_NAMES | MONTH_ABBREVIATIONS
_DAY_NAMES = WEEKDAY_NAMES | frozenset("today yesterday tomorrow".split())
_TIME_WORDS = (
    _CALENDAR_WORDS
    | _DAY_NAMES
    | frozenset(
        "week month year decade century morning afternoon evening night noon midnight".split()
    )
)
# What a sentence reporting someone's words holds. (Quotation marks alone are no sign: news
# puts single words in quotes for emphasis.)
REPORTING_WORDS = frozenset(
    """
    said says say saying told tells tell warned warns insisted insists claimed stated added
    announced argued argues according wrote writes replied responded noted stressed declared
    asserted maintained denied urged
    """.split()
)  # verbs only: "states", "claims", "notes" are as often nouns ("the United States")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:[- ][A-Z][a-z]+)*")


def answer_type(question: str) -> AnswerType:
    asked = _question_word(question)
    phrase = question[asked.start() :] if asked else ""
    for pattern, kind in _QUESTION_TYPES:
        if pattern.search(phrase):
            return kind
    return AnswerType.ANY


def _question_word(question: str) -> re.Match[str] | None:
    """The question word asked: the first that opens a clause ("In what year…", "…, who…"),
    else the last one (asked in place: "The company which built it was founded in what
    year?"). A "when" that opens a clause of its own does not count ("When the war ended, who
    …?"), unless nothing else is asked ("Tell me when the ferry resumed."), and a yes/no
    question asks for no kind ("Was it built when the mayor was in office?")."""
    found = list(_QUESTION_WORD.finditer(question))
    asking = [m for m in found if _asks(question, m)]
    opening = [m for m in asking if _opens_clause(question, m)]
    if opening:
        first = opening[0]
        if len(opening) > 1 and not _asks(question, first, strictly=True):
            return opening[1]  # "When violence is used, what is it called?"
        return first
    first_words = _words_of(question)[:1]
    if first_words and first_words[0] in _AUXILIARIES:
        return None  # "Is the man who was arrested still held?": yes or no
    if asking:
        return asking[-1]
    return found[0] if found else None


def _words_of(text: str) -> list[str]:
    # not `qa.lexical.words`: that drops the "'s" of "When's…" and reads "one" as "1"
    return re.findall(r"[a-z0-9’']+", text.lower())


def _opens_clause(question: str, word: re.Match[str]) -> bool:
    before = re.split(r"[,;:(?!.]", question[: word.start()])[-1]
    lead = _words_of(before)
    return len(lead) <= 3 and all(w in _CLAUSE_OPENERS for w in lead)


def _asks(question: str, word: re.Match[str], *, strictly: bool = False) -> bool:
    """Is this question word asked, not a conjunction? "When" asks after "since", "by",
    "until" ("By when…"), at the end ("…resumed when?"), right before a verb ("When did…") and,
    unless `strictly`, before one that comes within a few words ("When exactly did…", "When in
    1945 did…", but also "When violence is used, what…"); in "When the war ended…" or "When it
    is hot…" it opens a clause."""
    if word.group(0).lower() != "when":
        return True
    if re.search(r"\b(?:since|by|until|till)\s+$", question[: word.start()], re.I):
        return True
    rest = question[word.end() :]
    if not rest.strip() or rest.lstrip()[0] in "?!.,;:":
        return True
    following = _words_of(re.split(r"[?!.,;:]", rest)[0])
    if not following:
        return True
    if following[0] in _SUBJECT_WORDS:
        return False
    within = 1 if strictly else 4
    return any(w in _AUXILIARIES or w.endswith(("’s", "'s")) for w in following[:within])


def holds_answer_type(kind: AnswerType, sentence: str, question: str) -> bool:
    """Does the sentence hold something of the asked-for kind that the question does not?"""
    if kind is AnswerType.ANY:
        return True
    asked = set(words(question))
    new_words = [w for w in words(sentence) if w not in asked]
    if kind in (AnswerType.NUMBER, AnswerType.DURATION):  # as fitted: a figure
        return any(w[0].isdigit() for w in new_words)
    if kind is AnswerType.DATE:
        return any(w[0].isdigit() or w in _CALENDAR_WORDS for w in new_words)
    if kind is AnswerType.YEAR:
        return any(w.isdigit() and len(w) == 4 for w in new_words)
    if kind is AnswerType.TIME:
        return any(w[0].isdigit() or w in _TIME_WORDS for w in new_words)
    if kind is AnswerType.STATEMENT:
        return any(w in REPORTING_WORDS for w in new_words)
    names = {m.group(0).lower() for m in _CAPITALISED.finditer(sentence)}
    return any(not set(name.split()) <= asked for name in names)


# a span that says when: the time words, and the units a "when" is often answered in
_WHEN_WORDS = _TIME_WORDS | frozenset("day hour minute season".split())
# a span that names a day: "what day…?" is answered "Tuesday" as often as with a date (of the
# training questions' "what day" answers, 73 % are weekdays). Only the short answer reads this;
# the type match the combiner was fitted with (`holds_answer_type`) keeps the calendar words.
_DAY_WORDS = _CALENDAR_WORDS | _DAY_NAMES
# how long something lasts, said without a figure ("a year", "several months", "decades")
_DURATION_WORDS = frozenset(
    "second minute hour night day week month season year decade century lifetime".split()
)
# quantities said in words ("twice as many", "half", "hundreds of", "thirty"; `words` reads
# "zero" to "twelve", "twenty", "hundred", "thousand" and "million" as figures already)
_QUANTITY_WORDS = frozenset(
    """
    half twice double triple quarter third dozen hundred thousand million billion trillion
    percent majority thirteen fourteen fifteen sixteen seventeen eighteen nineteen thirty forty
    fifty sixty seventy eighty ninety
    """.split()
)


# a count written with a thousands separator or a decimal point ("1,000", "2.5") says no when
_COUNT = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d,.])\d+\.\d+(?![\d.])")


def says_when(text: str) -> bool:
    """Does `text` hold a figure that can say when: any figure but a count written with a
    thousands separator or a decimal point ("more than 1,000", "2.5")? A bare figure may be a
    year, a day, a clock time or an age ("When did she start driving?" "16"). An amount written
    short is read written out, as the word matches read it ("£2k" is "£2,000", a count)."""
    return any(ch.isdigit() for ch in _COUNT.sub(" ", written_out_amounts(text)))


def _figure_plurals(read: Sequence[str]) -> set[int]:
    """Where a figure takes a plural: "1990s" is read as "1990" + "s", and that "s" is the
    figure's, not a word."""
    return {i - 1 for i, t in enumerate(read) if t == "s" and i and read[i - 1][0].isdigit()}


# A date written with a month's name, which is capitalised ("may" and "march" are verbs): the day
# beside it ("June 19", "19th June", "the 19th of June", "Oct. 3"), with its year ("June 19,
# 2024"), or a month and year ("May 2023"); not a count that follows a month ("In May 5,000
# fled"). A regex: a date parser reads one date, not a date inside a sentence.
_MONTH = (
    "(?:"
    # the months of qa/dates, capitalised, longest first ("March" before "Mar")
    + "|".join(sorted((m.capitalize() for m in _CALENDAR_WORDS), key=lambda m: (-len(m), m)))
    + r")\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?![\d,.]?\d)"
_YEAR = r"(?:,?\s+\d{4}\b(?![,.]?\d))?"
_DATE = re.compile(
    rf"\b{_MONTH}\s+{_DAY}{_YEAR}|\b{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}"
    rf"|\b{_MONTH}\s+\d{{4}}\b(?![,.]?\d)"
)


def _holds_count(text: str, asked: set[str]) -> bool:
    """A figure that the question lacks and that is no part of a date: "How old is he?" is
    not answered by "June 19"."""
    return any(w[0].isdigit() and w not in asked for w in words(_DATE.sub(" ", text)))


def short_answer_fits(kind: AnswerType, short: str, *, min_statement_words: int = 1) -> bool:
    """Is a short answer of the kind asked for? A number (in figures or words) for "how many",
    that or a span of time ("a year", "decades") for "how long", a year for "what year", a date
    or a day ("Tuesday") for "what date", a time for "when"; for "who", anything but a bare time
    or number ("Monday" is no one); for "what did X say", at least `min_statement_words` words.
    Plurals count as their singular ("days", "thousands"), except that a decade ("1990s") is no
    year."""
    read = words(short)
    plural = _figure_plurals(read)
    tokens = [t for i, t in enumerate(read) if i - 1 not in plural]  # the "s" after a figure
    if not tokens:
        return False
    forms = set(tokens) | {t[:-1] for t in tokens if len(t) > 1 and t.endswith("s")}
    has_figure = any(t[0].isdigit() for t in tokens)
    if kind is AnswerType.NUMBER:  # "June 19" is a date, no count
        return _holds_count(short, set()) or bool(forms & _QUANTITY_WORDS)
    if kind is AnswerType.DURATION:
        return has_figure or bool(forms & (_QUANTITY_WORDS | _DURATION_WORDS))
    if kind is AnswerType.YEAR:  # a decade ("the 1990s") is not a year, nor a count ("1,000")
        dated = words(_COUNT.sub(" ", written_out_amounts(short)))  # "£2k" is "£2,000"
        decades = _figure_plurals(dated)
        return any(t.isdigit() and len(t) == 4 and i not in decades for i, t in enumerate(dated))
    if kind is AnswerType.DATE:
        return says_when(short) or bool(forms & _DAY_WORDS)
    if kind is AnswerType.TIME:
        return says_when(short) or bool(forms & _WHEN_WORDS)
    if kind is AnswerType.PERSON:
        return not all(t[0].isdigit() or t in _WHEN_WORDS for t in forms)
    if kind is AnswerType.STATEMENT:
        return len(tokens) >= min_statement_words
    return True


# what a reader is told the quote lacks, by the kind asked for
KIND_NOUNS: Mapping[AnswerType, str] = {
    AnswerType.NUMBER: "number",
    AnswerType.DURATION: "length of time",
    AnswerType.DATE: "date",
    AnswerType.YEAR: "year",
    AnswerType.TIME: "time or date",
}
# the kinds whose absence a quote is checked for: a figure, a date or a time word is easy to
# see. Not a person (a name opening a sentence, "Macron won…", reads as no name; any
# capitalised word, "in Washington", as one) nor a statement ("vowed", "called it a
# disgrace"): too many right answers would be marked.
CHECKED_KINDS = frozenset(
    {AnswerType.NUMBER, AnswerType.DURATION, AnswerType.DATE, AnswerType.YEAR, AnswerType.TIME}
)
# how many, or when, said without a figure ("prices doubled", "a couple of hostages",
# "overnight", "last summer"), by the kind asked for; read for this check only, not for short
# answers
_COUNT_WITHOUT_FIGURES = frozenset("doubled tripled quadrupled halved couple score scores".split())
_WHEN_WITHOUT_FIGURES = frozenset("overnight dawn dusk weekend summer winter spring autumn".split())
_WITHOUT_FIGURES: Mapping[AnswerType, frozenset[str]] = {
    AnswerType.NUMBER: _COUNT_WITHOUT_FIGURES,
    AnswerType.DURATION: _COUNT_WITHOUT_FIGURES,
    AnswerType.DATE: _WHEN_WITHOUT_FIGURES,
    AnswerType.TIME: _WHEN_WITHOUT_FIGURES,
}


def kind_noun(asked_kind: str) -> str:
    """What a reader is told a quote lacks, for an answer's `asked_kind` ("number", "time")."""
    return KIND_NOUNS[AnswerType(asked_kind)]


def holds_asked_kind(kind: AnswerType, text: str, question: str) -> bool | None:
    """Does an answer's text hold something of the kind the question asks for that the question
    does not already hold: a figure or a quantity word ("twice", "a dozen", "doubled") for "how
    many", a date, a day or a time word for "when"? None for a kind not checked (`CHECKED_KINDS`:
    no particular kind, a person, a statement). Reported beside an answer, it changes no answer:
    a quote that lacks it may be the closest the articles come ("How old is the ambassador?"
    answered with the sentence that names him), or answer in other words ("after the deal was
    signed", "a man and a woman"), which is why it is a hint to check, not a refusal."""
    if kind not in CHECKED_KINDS:
        return None
    asked = set(words(question))
    new = [w for w in words(text) if w not in asked]
    if kind is AnswerType.NUMBER:
        if _holds_count(text, asked):  # a figure, but not the day of a date
            return True
        new = [w for w in new if not w[0].isdigit()]  # its figures are read: only dates
    elif holds_answer_type(kind, text, question):
        return True
    if any(w in _WITHOUT_FIGURES.get(kind, frozenset()) for w in new):
        return True
    return bool(new) and short_answer_fits(kind, " ".join(new))


_HOW_MANY = re.compile(r"\bhow (?:many|much)\s+((?:[\w’'-]+\s+){0,3}[\w’'-]+)", re.I)


def type_match_strength(kind: AnswerType, sentence: str, question: str) -> float:
    """1.0 for a clear match, 0.5 for a weak one, 0.0 for none.

    For "how many X" a number is a clear match only when it counts X ("1,500 troops" for "how
    many troops"): "three times" does not answer "how many drones".
    """
    if not holds_answer_type(kind, sentence, question):
        return 0.0
    if kind is not AnswerType.NUMBER:
        return 1.0
    asked = _HOW_MANY.search(question)
    if not asked:
        return 1.0
    counted = set(content_terms(asked.group(1)))
    if not counted:
        return 1.0
    tokens = words(sentence)
    question_words = set(words(question))
    for i, token in enumerate(tokens):
        if token[0].isdigit() and token not in question_words:
            following = set(content_terms(" ".join(tokens[i + 1 : i + 4])))
            if any(term_found(t, following) for t in counted):
                return 1.0
    return 0.5


@dataclass(frozen=True)
class ScoredSentence:
    index: int  # position in the candidate list handed in
    row: int  # paragraph row
    start: int  # offsets inside the paragraph text
    end: int
    text: str
    score: float
    cosine: float
    term_coverage: float
    context_coverage: float
    type_match: float


def score_sentences(
    question: str,
    query_vector: Vectors,
    candidates: Sequence[Candidate],
    vectors: Vectors,
    *,
    doc_freq: Mapping[str, int],
    n_docs: int,
    weights: EvidenceSettings = EvidenceSettings(),  # noqa: B008 - frozen defaults
    conversation: str | None = None,
    keep_echoes: bool = False,
    kind: AnswerType | None = None,
) -> list[ScoredSentence]:
    """Candidates scored and sorted best first. A sentence that only repeats the question's
    words (nothing new to say) is left out.

    `kind` is what the question asks for, as its analysis read it (`QuestionAnalysis.kind`);
    without one (training lists, tests) it is read from `question`.

    `conversation` is a follow-up read with the earlier question ("Who led the team?
    (following: What did astronomers detect?)"): term coverage counts the follow-up's own
    words, context coverage the whole conversation's, and a sentence whose context holds
    under `weights.min_conversation_coverage` of the earlier questions' words is left out.
    """
    question_terms = content_terms(question)
    if not question_terms:
        return []  # nothing asked in words ("🚀🔥", "what?"): no sentence can be shown to answer
    context_terms = (content_terms(conversation) if conversation else []) or question_terms
    # the earlier questions' own words: a follow-up's answer must stand among some of them
    earlier_terms = set(context_terms) - set(question_terms)
    idf = idf_weights(doc_freq, n_docs, [*question_terms, *context_terms])
    if kind is None:
        kind = answer_type(question)
    cosines = vectors @ query_vector if len(candidates) else np.zeros(0)
    scored: list[ScoredSentence] = []
    for i, cand in enumerate(candidates):
        terms = set(content_terms(cand.text))
        if weights.drop_echoes and not keep_echoes and not terms - set(question_terms):
            continue
        term_cov = coverage(question_terms, terms, idf)
        in_context = terms | set(content_terms(cand.context))
        if (
            earlier_terms
            and coverage(earlier_terms, in_context, idf) < weights.min_conversation_coverage
        ):
            continue  # holds the follow-up's words but is about something else
        ctx_cov = coverage(context_terms, in_context, idf)

        type_ok = type_match_strength(kind, cand.text, question)

        score = (
            weights.cosine * float(cosines[i])
            + weights.term_coverage * term_cov
            + weights.context_coverage * ctx_cov
            + weights.type_match * type_ok
        )
        scored.append(
            ScoredSentence(
                index=i,
                row=cand.row,
                start=cand.start,
                end=cand.end,
                text=cand.text,
                score=score,
                cosine=float(cosines[i]),
                term_coverage=term_cov,
                context_coverage=ctx_cov,
                type_match=type_ok,
            )
        )
    scored.sort(key=lambda s: -s.score)
    return scored
