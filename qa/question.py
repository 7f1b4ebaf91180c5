"""The question, analysed once: what was asked, what is searched, what sentences are judged by.

Every later stage reads this one object instead of working the question out again: retrieval
searches `search_queries`, candidate sentences are scored against `judged`, the selector reads
`read_as`, and a follow-up's own words (`focus`) say what it asks about now.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from qa.article_details import DetailQuestion, asks_about_article
from qa.errors import BadInput
from qa.evidence import AnswerType, answer_type
from qa.followups import (
    DEFAULTS,
    asks_whom_answer_names,
    has_own_terms,
    name_alone,
    named_before_person,
    needs_conversation,
    only_name,
    person_answered,
    refers_back,
    replace_person,
    rewrite_follow_up,
    without_person_pronouns,
)
from qa.interfaces import Vocabulary
from qa.lexical import content_terms
from qa.models import Turn, UnknownWord, is_refusal
from qa.sentences import sentence_spans
from qa.settings import ConversationSettings, SpellingSettings
from qa.spelling import absent_names, in_another_script, mostly_unknown, unknown_words, unreadable
from qa.text_input import within_length


@dataclass(frozen=True)
class QuestionAnalysis:
    asked: str  # the question as asked, white space collapsed
    rewritten: str | None  # a follow-up read with the earlier questions (what is searched)
    judged: str  # what candidate sentences are scored against
    conversation: str | None  # a follow-up with words of its own, read with the earlier ones
    kind: AnswerType  # what the question asks for
    focus: tuple[str, ...]  # a follow-up's own content words: what it asks about now
    history: tuple[Turn, ...] = ()
    parts: tuple[str, ...] = ()  # a question of several parts, each asked on its own
    unknown: tuple[UnknownWord, ...] = ()  # words as asked that no article holds
    absent: tuple[str, ...] = ()  # names asked about that no article mentions (qa/spelling.py)
    # names some article mentions but none of those a date range or `doc_ids` leaves to search
    absent_here: tuple[str, ...] = ()
    other_script: bool = False  # written in a script the articles do not use (qa/spelling.py)
    mostly_unknown: bool = False  # most words in no article nor English: another language?
    # no word in or near any article, most in no English list ("asdfgh qwerty"; qa/spelling.py)
    unreadable: bool = False
    resolved: bool = False  # a pronoun was replaced by a name: the rewrite reads on its own
    typed: str = ""  # as typed, when `asked` is the question taken out of a preamble or request
    # asks for a detail of an article itself (its author, date or source), not its text
    about_article: DetailQuestion | None = None
    # the earlier questions a follow-up is read with, as asked, the last first
    earlier_questions: tuple[str, ...] = ()
    # "What about NATO?" asked as the earlier question of NATO: the name put in its place
    swapped_in: str | None = None
    # "What about NATO?", swapped or not: the name an answer must name
    named_alone: str | None = None

    @property
    def as_typed(self) -> str:
        """The question as the user typed it (white space collapsed), to echo back."""
        return self.typed or self.asked

    def part(self, text: str) -> QuestionAnalysis:
        """One part of the question, analysed as a question of its own."""
        return QuestionAnalysis(text, None, text, None, answer_type(text), (), self.history)

    @property
    def follow_up(self) -> bool:
        return self.rewritten is not None

    @property
    def search_queries(self) -> list[str]:
        """What to search, best first: a follow-up with words of its own is also searched as
        asked, so the earlier question's words do not crowd out its own."""
        if self.rewritten is None:
            return [self.asked]
        if self.judged == self.asked and self.conversation is None:
            return [self.asked, self.rewritten]
        return [self.rewritten]

    @property
    def read_as(self) -> str:
        """The question as the selector reads it: a follow-up that leans on the conversation
        ("Who led the team?") is read with the earlier questions."""
        return self.conversation or self.judged

    @property
    def reads_earlier_questions(self) -> bool:
        """The selector reads this follow-up together with the earlier questions."""
        return self.follow_up and not self.resolved and self.read_as != self.asked

    @property
    def may_stand_alone(self) -> bool:
        """Read as a follow-up only for being short ("Who signed the treaty?"): no pronoun or
        opening "and" points back, so it may be a new question."""
        return self.follow_up and not self.resolved and not refers_back(self.asked)

    @property
    def has_words(self) -> bool:
        return bool(content_terms(self.judged))

    @property
    def yes_no(self) -> bool:
        """Asked with a verb first and no question word ("Did Seoul deny it?", "Is Russia a
        member?"): the answer is yes or no, which no span of a sentence says."""
        return is_yes_no(self.asked)


# a second question joined by "and" + a question word: "What did X say, and how did Y answer?"
_PART_BREAK = re.compile(
    r"\s*,?\s+and\s+(?=(?:who|whom|whose|what|when|where|why|how|which)\b)", re.IGNORECASE
)
_WH = re.compile(r"^\s*(who|whom|whose|what|when|where|why|how|which)\b\s*", re.IGNORECASE)


_YES_NO = re.compile(
    r"^\W*(?:(?:did|does|do|was|were|is|are|will|would|has|have|had|can|could|should|shall|"
    r"may|might|must)(?:n['’]?t)?|won['’]?t|shan['’]?t)\b"
    r"(?!.*\b(?:who|whom|whose|what|when|where|why|how|which)\b)",
    re.IGNORECASE,
)
# a request put as a question ("Can you tell me the name…?") and a choice ("…in Paris or
# Berlin?") ask for a span, not for yes or no
_NOT_YES_NO = re.compile(
    r"^\W*(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell|give|name|list|say|show|"
    r"explain|describe|find|summari[sz]e|let)\b|\bor\b",
    re.IGNORECASE,
)


def is_yes_no(question: str) -> bool:
    """A question asked with a verb first and no question word anywhere ("Did X deny it?"; not
    "Do you know who signed it?", which asks who), that is neither a request ("Can you name
    the ship?") nor a choice ("Was it signed in Paris or Berlin?")."""
    return bool(_YES_NO.match(question)) and not _NOT_YES_NO.search(question)


def _pieces(question: str) -> list[str]:
    pieces = [p.strip(" ?,") for p in _PART_BREAK.split(question.strip())]
    return [p for p in pieces if p]


def question_parts(question: str) -> tuple[str, ...]:
    """The parts of a question that asks several things, each a question of its own; () for a
    question of one part. A part without words of its own ("… and why?") borrows the first
    part's: "Who crossed the border and why?" → "Who crossed the border?", "why crossed the
    border?". A later part's "he" or "she" is the one person the first part names, as a
    follow-up's is the previous question's (`followups.replace_person`): "When did Peskov
    dismiss the reports, and what did he call them?" → "What did Peskov call them?"; a part
    that names someone before its pronoun ("what did Zakharova say he meant"), or a first part
    that names several, is left as asked. A first part that asks who and names no one ("Who is
    the NATO chief…") leaves the pronoun to the person its answer names (`part_after`)."""
    pieces = _pieces(question)
    if len(pieces) < 2:
        return ()
    first_rest = _WH.sub("", pieces[0])
    person = only_name(pieces[0])
    parts = []
    for i, piece in enumerate(pieces):
        if not content_terms(piece) and _WH.match(piece):
            piece = f"{piece} {first_rest}"
        elif i and person is not None and not named_before_person(piece):
            piece = replace_person(piece, person)
        parts.append(f"{piece[0].upper()}{piece[1:]}?")
    return tuple(parts)


def part_after(part: str, first: str, answer: str, short: str | None = None) -> str:
    """A later part as asked once the first part is answered: when the first part asks who and
    names no one ("Who is the NATO chief?"), the later part's "he" or "she" is the person its
    answer names (its short answer when that is a name, else the sentence's one name), as a
    follow-up's is after a "Who…?" (`followups.person_meant`): "What did he say about North
    Korean troops?" → "What did Mark Rutte say about North Korean troops?". Left as asked when
    the answer names no one person, or the part names someone before its pronoun."""
    if not asks_whom_answer_names(first) or named_before_person(part):
        return part
    person = person_answered(answer, short)
    return replace_person(part, person) if person else part


def _says_who_it_means(question: str, min_terms: int) -> bool:
    """A question of several parts whose first part says whom a later part's "he" or "she"
    means (it names one person, or asks who: "Who is the NATO chief and what did he say?") and
    that, those pronouns aside, does not lean on the conversation: it stands alone."""
    pieces = _pieces(question)
    if len(question_parts(question)) < 2:
        return False
    first, later = pieces[0], [without_person_pronouns(p) for p in pieces[1:]]
    if later == pieces[1:]:
        return False  # no later part says "he" or "she"
    if only_name(first) is None and not asks_whom_answer_names(first):
        return False
    return not needs_conversation(" ".join([first, *later]), min_terms)


# Sentences round the question that are not about the world: an instruction or a greeting
# ("Ignore previous instructions.", "Please answer briefly.", "Thanks!"), or the asker saying
# what they are doing ("I am writing a story and need to check a fact for my editor."). Read
# with the question, their words crowd out its own (docs/grounding.md, "Questions asked with a
# preamble"). A sentence about the world stays, whatever its first word ("US troops arrived on
# Monday. Who led them?", "Background: …", "My city council voted to close it. Why?"): its words
# are the question's context. Openers are matched as written (capitalised), so "us" is no "US".
_INSTRUCTION = re.compile(
    r"^\W*(?:Please|Kindly|Ignore|Disregard|Forget|Thanks|Thank you|Hi|Hello|Hey|Dear)\b"
)
# "I" as a word, not the initial of "I.B.M." or "I-95"
_ASKER = re.compile(r"^\W*(?:I(?=\s)|I['’](?:m|ve|d|ll)\b|(?:We|We['’](?:re|ve|d)|My|Our)\b)")
_ASKER_INTENT = re.compile(
    r"\b(?:writ(?:e|ing)|working on|research(?:ing)?|fact[- ]?check(?:ing)?|check(?:ing)?|"
    r"verify(?:ing)?|need|want|would like|['’]d like|trying|curious|wondering|help|editor|"
    r"deadline|assignment)\b",
    re.IGNORECASE,
)
# after the question, only what the answer should look like ("Please answer briefly.", "Cite
# your sources.", "Thanks.")
_FORM_NOTE = re.compile(
    r"^\W*(?:Please|Kindly|Thanks|Thank you|Answer|Respond|Reply|Cite|Keep it|Be brief|"
    r"Be concise|Use only|Only use)\b"
)
# a request set off by commas round where to look ("Could you please tell me, based on the
# articles you have, in what year…?"): taken off whatever word the question starts with
_REQUEST_CLAUSE = re.compile(
    r"^\W*(?:(?:please\s+)?(?:(?:could|can|would|will)\s+you\s+(?:please\s+)?)?"
    r"(?:tell|show|let)\s+me(?:\s+know)?\s*,\s*)?"
    r"(?:based\s+on|according\s+to|from|using|in)\s+(?:the|your|these|those)\s+"
    r"(?:articles?|documents?|sources?|texts?|stories|news)"
    r"(?:\s+(?:you\s+have|provided|given|above|here|indexed))?\s*,\s*(?=\S)",
    re.IGNORECASE,
)
# a request wrapped round the question: "Could you please tell me, based on the articles you
# have, how many…?" asks "how many…?"; stripped only before a question word
_REQUEST = re.compile(
    r"^\W*(?:(?:please\s+)?(?:(?:could|can|would|will)\s+you\s+(?:please\s+)?)?"
    r"(?:tell|show|let)\s+me(?:\s+know)?|i\s+(?:want|need|would\s+like|['’]d\s+like)\s+to\s+"
    r"know|do\s+you\s+know)?[\s,]*"
    r"(?:(?:based\s+on|according\s+to|from|using|in)\s+(?:the|your|these|those)\s+"
    r"(?:articles?|documents?|sources?|texts?|stories|news)"
    r"(?:\s+(?:you\s+have|provided|given|above|here|indexed))?[\s,]*)?"
    r"(?=(?:who|whom|whose|what|when|where|why|how|which)\b)",
    re.IGNORECASE,
)


def core_question(question: str) -> str:
    """The question a user wrapped in words about themselves or in a request: leading
    sentences that speak of the asker or instruct ("I am writing a story and need to check a
    fact for my editor.") are left out when a question follows, and a request round the
    question ("Could you please tell me, based on the articles you have, how many…?") is
    taken off before its question word. Anything else is the question as asked."""
    spans = sentence_spans(question)
    sentences = [question[span.start : span.end] for span in spans]

    def before(sentence: str) -> bool:
        if sentence.endswith("?"):
            return False
        if _INSTRUCTION.match(sentence):
            return True
        return bool(_ASKER.match(sentence)) and bool(_ASKER_INTENT.search(sentence))

    while len(sentences) > 1 and before(sentences[0]):
        sentences = sentences[1:]  # an instruction, or the asker on what they are doing
    while (
        len(sentences) > 1 and not sentences[-1].endswith("?") and _FORM_NOTE.match(sentences[-1])
    ):
        sentences = sentences[:-1]  # "Please answer briefly."
    core = " ".join(sentences).strip()
    request = _REQUEST_CLAUSE.match(core) or _REQUEST.match(core)
    if request and request.end() > 0:
        core = core[request.end() :]
        core = core[:1].upper() + core[1:]
    return core if core and content_terms(core) else question


def validate_question(question: str, *, max_chars: int) -> str:
    if not question.split():
        raise BadInput("question is empty: send a question as a non-empty string")
    return within_length(
        question,
        field="question",
        max_chars=max_chars,
        shorter="Ask a shorter question. (Counted with white space collapsed, after Unicode "
        "normalisation to NFC, which writes some characters as two.)",
    )


def analyse_question(
    question: str,
    history: Sequence[Turn] = (),
    *,
    max_chars: int,
    max_history_turns: int,
    conversation: ConversationSettings = DEFAULTS,
    vocabulary: Vocabulary | None = None,
    spelling: SpellingSettings | None = None,
    scope_vocabulary: Vocabulary | None = None,
) -> QuestionAnalysis:
    """The question read once. With `vocabulary`, its words that no article holds are noted,
    and the names among them that no article mentions (qa/spelling.py); with
    `scope_vocabulary` (the words of the articles a restricted search keeps), the names that
    some article mentions but none of those (`absent_here`), and whether it is `unreadable`
    (then it is never read as a follow-up). The question itself is not changed."""
    spelling = spelling or SpellingSettings()
    at_random = (
        (lambda asked: unreadable(asked, vocabulary, spelling)) if vocabulary is not None else None
    )
    analysis = _analysed(question, history, max_chars, max_history_turns, conversation, at_random)
    previous = [turn.question for turn in analysis.history]
    analysis = replace(analysis, about_article=asks_about_article(analysis.asked, previous))
    if vocabulary is None:
        return analysis
    unknown = unknown_words(analysis.asked, vocabulary, spelling)
    absent = absent_names(analysis.asked, vocabulary, spelling)
    here = absent_names(analysis.asked, scope_vocabulary, spelling) if scope_vocabulary else ()
    other_script = in_another_script(analysis.asked, vocabulary)
    return replace(
        analysis,
        unknown=unknown,
        absent=absent,
        absent_here=tuple(name for name in here if name not in absent),
        other_script=other_script,
        mostly_unknown=mostly_unknown(analysis.asked, vocabulary, spelling),
    )


def _analysed(
    question: str,
    history: Sequence[Turn],
    max_chars: int,
    max_history_turns: int,
    conversation: ConversationSettings,
    at_random: Callable[[str], bool] | None = None,
) -> QuestionAnalysis:
    """The question and its conversation read; `at_random` tells a question typed at random
    ("asdfgh qwerty", `spelling.unreadable`), which is short but leans on no earlier turn, so
    is never read as a follow-up."""
    typed = validate_question(question, max_chars=max_chars)
    asked = core_question(typed)
    typed = typed if asked != typed else ""
    if len(history) > max_history_turns:
        raise BadInput(
            f"history has {len(history)} turns; the limit is {max_history_turns}. "
            "Send only the most recent turns."
        )
    # a refusal carried back by the client is a question nobody answered: no name ("The") or
    # sentence is read from its text
    history = [Turn(question=t.question, answer="") if is_refusal(t.answer) else t for t in history]
    # earlier questions come back as typed (the answers echo them so): read as their core too,
    # or a preamble's words would be searched with every follow-up
    history = [t.model_copy(update={"question": core_question(t.question)}) for t in history]
    random = at_random is not None and at_random(asked)
    rewrite = (
        None
        if random or _says_who_it_means(asked, conversation.min_own_terms)
        else rewrite_follow_up(asked, history, conversation)
    )
    if rewrite is None:
        return QuestionAnalysis(
            asked, None, asked, None, answer_type(asked), (), tuple(history),
            question_parts(asked), typed=typed, unreadable=random,
        )  # fmt: skip
    rewritten = rewrite.text
    focus = tuple(content_terms(asked))
    named = name_alone(asked) if conversation.answer_names_named else None
    if rewrite.standalone:  # "What did he say …?" → "What did Mark Rutte say …?"
        return QuestionAnalysis(
            asked, rewritten, rewritten, None, answer_type(rewritten), focus, tuple(history),
            resolved=True, typed=typed, swapped_in=rewrite.swapped_in, named_alone=named,
        )  # fmt: skip
    # Judged by its own words when it has enough of them; else by the whole rewrite. A
    # follow-up with some words of its own ("Who led the team?") is judged by those, with
    # the earlier questions' words counted in the sentence's context.
    standalone = has_own_terms(asked, conversation.min_own_terms)
    leans_back = not standalone and bool(focus)
    judged = asked if standalone or leans_back else rewritten
    return QuestionAnalysis(
        asked,
        rewritten,
        judged,
        rewrite.conversation if leans_back else None,
        answer_type(asked),
        focus,
        tuple(history),
        typed=typed,
        earlier_questions=rewrite.earlier,
        named_alone=named,
    )
