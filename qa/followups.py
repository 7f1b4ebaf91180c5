"""Follow-up questions: make "What did he say about the troops?" searchable on its own.

A question is read with the conversation only when it needs it:
- it refers back: a pronoun ("he", "it", "they", "that" …) or an opening "and"/"what about";
- or it is too short to search alone: fewer than `conversation.min_own_terms` content words
  and no name or number of its own ("Who led the team?", "Why?"). "What is the GDP of
  Brazil?" names what it asks about and stands alone, however short. A question that is only
  short may still be a new one ("Who signed the treaty?" after a question about balloons): when
  its reading with the conversation finds no answer, it is answered as asked alone
  (qa/answering.py, `conversation.short_may_stand_alone`).

A follow-up that is another name alone ("What about NATO?", "And South Korea?") is the earlier
question asked of that name (`swap_named`): "How did Russia react to the drone claims?" then
"And South Korea?" is searched as "How did South Korea react to the drone claims?".

A person pronoun ("he", "her", "his" …) is replaced by the name it points at: the one name in
the previous question, else the one name in the previous answer (none is used when a text names
several); after a "Who…?" the person its answer names ("he" after "Who is the Kremlin
spokesman?" is the spokesman, not the Kremlin), and after a question that said "he" too, the
same person (`person_meant`). "What did he say about North Korean troops?" after "Who is Mark
Rutte?" becomes "What did Mark Rutte say about North Korean troops?" and is searched and judged
as a question of its own. Otherwise the question is read together with the previous question
(and, for a chain of follow-ups, the earlier ones back to the last that stood alone): "When was
that? (following: When did the market reopen)". No coreference model is available offline and a
270M model cannot be trusted to rewrite faithfully, so both are rules; the rewritten text is
returned in the answer so the user sees what was searched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from qa.dates import MONTH_ABBREVIATIONS, MONTH_NAMES, WEEKDAY_NAMES
from qa.evidence import AnswerType, answer_type
from qa.lexical import FUNCTION_WORDS, content_terms
from qa.models import Turn
from qa.settings import ConversationSettings

DEFAULTS = ConversationSettings()

_OPENING = re.compile(r"^\s*(and|but|so|also|then|what about|how about)\b", re.IGNORECASE)
_PERSON = re.compile(r"\b(he|she|him|her|his|hers|himself|herself)\b", re.IGNORECASE)
_OTHER = re.compile(
    r"\b(it|its|they|them|their|theirs|that|this|those|these|there|then|the same|such)\b",
    re.IGNORECASE,
)
# A name: a run of capitalised words ("Zelenskyy", "Mark Rutte", "Dr. Amara Okonjo"). A
# capital is any script's (\p{Lu}, with the `regex` package): [A-Z] read "Mayor Henryk Ørsted"
# as "Mayor Henryk", and "Łukasz Nowak" as "Nowak"
_NAME = regex.compile(r"\b(?:\p{Lu}\p{Ll}{1,3}\.\s+)?\p{Lu}[\w’'-]+(?:\s+\p{Lu}[\w’'-]+)*")
# a name or a number of its own: a capitalised word that does not open the question, or a digit
_OWN_ANCHOR = regex.compile(r"(?<!^)(?<![.!?]\s)\b\p{Lu}[\w’'-]+|\d")
_QUESTION_OPENING = re.compile(
    r"^\s*(Who|Whom|Whose|What|Which|When|Where|Why|How|The|A|An|Is|Are|Was|Were|Did|Does|Do)\b"
)
# a request, a word of politeness or an indefinite pronoun opening a turn, capitalised only for
# opening it: "Tell me more", "Please explain", "Anything else?" name no one
_REQUEST_OPENING = re.compile(
    r"^\s*(?:(?:Please|Ok|Okay|Thanks|Thank you|Now|So|Then)\W+)*"
    r"(?:Tell|Give|Show|Explain|Describe|Summari[sz]e|List|Remind|Repeat|Elaborate|Continue|"
    r"Expand|Clarify|Say|Go on|Keep going|Please|Ok|Okay|Thanks|Thank|Anything|Something|"
    r"Nothing|Everything|Anyone|Anybody|Someone|Somebody|Nobody|Everyone|Everybody)\b"
)


@dataclass(frozen=True)
class Rewrite:
    text: str  # what is searched
    standalone: bool  # a pronoun was replaced by a name: the rewrite reads as a question alone
    # the question (pronoun replaced when it could be) after the earlier questions it leans on,
    # as a reader would see them: "When did the market reopen? How many stalls does it have?"
    conversation: str = ""
    # the earlier questions it leans on, as asked, the last first
    earlier: tuple[str, ...] = ()
    # "What about NATO?": the name put in place of the earlier question's own (`swap_named`)
    swapped_in: str | None = None


def has_own_terms(question: str, min_terms: int = DEFAULTS.min_own_terms) -> bool:
    """Enough content words of its own to be judged by them."""
    return len(set(content_terms(question))) >= min_terms


def refers_back(question: str) -> bool:
    """It points at the conversation: a pronoun ("he", "it", "that" …) or an opening "and",
    "what about" …. A question that is only short ("Who signed the treaty?") does not."""
    return bool(_OPENING.search(question) or _PERSON.search(question) or _OTHER.search(question))


def needs_conversation(question: str, min_terms: int = DEFAULTS.min_own_terms) -> bool:
    if refers_back(question):
        return True
    return not has_own_terms(question, min_terms) and not _OWN_ANCHOR.search(question.strip())


def is_follow_up(question: str, min_terms: int = DEFAULTS.min_own_terms) -> bool:
    return needs_conversation(question, min_terms)


def rewrite_follow_up(
    question: str, history: Sequence[Turn], settings: ConversationSettings = DEFAULTS
) -> Rewrite | None:
    """What to search for a question asked after `history`, or None when it stands alone."""
    if not history or not needs_conversation(question, settings.min_own_terms):
        return None
    text = question.strip()
    if settings.swap_named:
        swapped = swap_named(text, history, settings)
        if swapped is not None:
            return Rewrite(
                swapped.text, standalone=True, earlier=(swapped.earlier,), swapped_in=swapped.name
            )
    if _PERSON.search(text):
        name = person_meant(history)
        if name:
            text = replace_person(text, name)
    if text != question.strip() and not _OTHER.search(text) and not _OPENING.search(text):
        return Rewrite(text, standalone=True)
    earlier: list[str] = []
    asked: list[str] = []
    for turn in reversed(history[-settings.max_earlier_questions :]):
        said = turn.question.strip().rstrip("?")
        if said and said not in earlier:
            earlier.append(said)
            asked.append(turn.question.strip())
        if not needs_conversation(turn.question, settings.min_own_terms):
            break
    if not earlier:
        return None
    read = " ".join([*(f"{q}?" for q in reversed(earlier)), text])
    return Rewrite(f"{text} (following: {'; '.join(earlier)})", False, read, tuple(asked))


# "What about NATO?", "How about the U.N.?", "And South Korea?": another name, nothing else
_WHAT_ABOUT = re.compile(
    r"^\s*(?:(?:and|but)\s+)?(?:(?:what|how)\s+about\s+)(?P<other>[^?!]+?)\s*[?!]*\s*$"
    r"|^\s*and\s+(?P<after_and>[^?!]+?)\s*[?!]*\s*$",
    re.IGNORECASE,
)
_INITIALS = re.compile(r"\b(?:[A-Z]\.){2,}$")
# a name alone: up to five capitalised words ("South Korea", "NATO", "Lloyd Austin", "U.N."),
# "of" or "for" between them ("the Joint Chiefs of Staff", "the Bank of England")
_NAME_ALONE = regex.compile(
    r"^(?:the\s+)?(?P<name>\p{Lu}[\w’'.-]*(?:\s+(?:(?:of|for)\s+(?:the\s+)?)?\p{Lu}[\w’'.-]*){0,4})$"
)


# a nationality or other adjective of a name ("the Russian ambassador", "North Korean troops"):
# no name to put another in place of
_ADJECTIVE_OF_A_NAME = re.compile(r"(?:ian|ean|ese|ish|ican)$")
_QUESTION_WORDS = frozenset("who whom whose what which when where why how".split())


@dataclass(frozen=True)
class Swap:
    """A follow-up that is another name alone, asked as the earlier question."""

    text: str  # the earlier question with the name in place of its first
    earlier: str  # the earlier question it was made from
    name: str  # the name put in place


def swap_named(
    question: str, history: Sequence[Turn], settings: ConversationSettings = DEFAULTS
) -> Swap | None:
    """ "What about NATO?" after "What did the Kremlin spokesman call the reports?": the earlier
    question asked of the other name, "What did the NATO spokesman call the reports?"; None when
    the follow-up is not a name alone after "what about", "how about" or "and", or the earlier
    question holds no name to put it in place of, or already names it ("What about Kim?" after
    a question about Kim Jong Un).
    The earlier question is the last one that was not itself another name alone (a chain of
    "What about …?" asks each of the same question), with its "he" or "she" replaced by whom it
    meant when that makes it a question of its own ("What did he say about the drones?" after
    "Who is Dmitry Peskov?"); the name put in place is its first (the one asked about, as a
    rule: "How did Russia react to the drone claims?"), not an adjective ("the Russian
    ambassador": a last word ending in -ian, -ean, -ese, -ish or -ican) unless the name given is
    a possessive ("And Scotland's?" after "Who edits the Irish edition?"). A rule, not a model:
    the rewrite is shown with the answer, so a reader sees what was asked, and an answer whose
    sentence does not name the name given is not kept (qa/answering.py)."""
    other = name_alone(question)
    if other is None:
        return None
    earlier_turns = list(history[-settings.max_earlier_questions :])
    at_turn = next(
        (i for i in range(len(earlier_turns) - 1, -1, -1)
         if name_alone(earlier_turns[i].question) is None),
        None,
    )  # fmt: skip
    if at_turn is None:
        return None
    earlier = earlier_turns[at_turn].question.strip()
    if _PERSON.search(earlier):
        # as it was answered: "What did he say…?" read with the turns before it
        before = history[: len(history) - len(earlier_turns) + at_turn]
        read = rewrite_follow_up(earlier, before, settings) if before else None
        if read is not None and read.standalone:
            earlier = read.text
    # an adjective ("the Irish edition") is put in place only by a possessive ("And Scotland's?")
    possessive = bool(re.search(r"[’']s\W*$", question))
    held = [
        name
        for name in names(earlier)
        if possessive or not _ADJECTIVE_OF_A_NAME.search(name.split()[-1])
    ]
    given = {w.lower() for w in other.split()}
    if not held or any(given <= {w.lower() for w in name.split()} for name in held):
        return None  # no name to put it in place of, or it is already asked about
    meant = held[0]
    at = earlier.find(meant)
    if at < 0:
        return None
    # "How about the U.N.?": its article comes with it when the earlier question has none there
    put = name_alone(question, keep_article=True) or other
    if earlier[:at].lower().endswith("the "):
        put = other
    return Swap(f"{earlier[:at]}{put}{earlier[at + len(meant) :]}", earlier, other)


def name_alone(question: str, *, keep_article: bool = False) -> str | None:
    """The name a follow-up is made of alone after "what about", "how about" or "and" ("What
    about NATO?" → "NATO", "And Turkey's?" → "Turkey"), or None: a time ("And on Monday?"), a
    question word ("And why?"), a phrase with lowercase words ("What about the troops?")."""
    said = _WHAT_ABOUT.match(question)
    if said is None:
        return None
    named = (said.group("other") or said.group("after_and") or "").strip().rstrip("…").rstrip()
    while named.endswith(".") and not _INITIALS.search(named):
        named = named[:-1].rstrip()  # a full stop, not the last of "U.N."
    alone = _NAME_ALONE.match(named)
    if alone is None:
        return None
    other = re.sub(r"[’']s$", "", alone.group("name"))  # "And Turkey's?": the name
    first = other.split()[0].lower().rstrip(".")
    if first in FUNCTION_WORDS or first in _QUESTION_WORDS:
        return None  # "And Why?", "And The?": no name
    if all(_is_calendar_word(w) for w in other.split()):
        return None  # "And on Monday?", "What about March?" ask of another time, not a name
    if keep_article and named.lower().startswith("the "):
        return f"the {other}"
    return other


def _is_calendar_word(word: str) -> bool:
    plain = word.lower().rstrip(".")
    return plain in MONTH_NAMES or plain in MONTH_ABBREVIATIONS or plain in WEEKDAY_NAMES


# "Who is Mark Rutte?": the question names the person it asks about
_WHO_IS_NAME = regex.compile(
    r"^\W*(?i:who\s+(?:is|was|are|were))\s+(?P<name>\p{Lu}[\w’'.-]*(?:\s+\p{Lu}[\w’'.-]*)*)\W*$"
)


def asks_whom_answer_names(question: str) -> bool:
    """It asks who and names no one ("Who is the NATO chief?", "Who led the team?"): the person
    its answer names is whom a "he" or "she" after it means. A name in it ("Who met Peskov?"),
    an initialism aside ("NATO" names an organisation), is whom it is about instead."""
    return answer_type(question) is AnswerType.PERSON and not _named_people(question)


def person_answered(answer: str, short: str | None = None) -> str | None:
    """The person an answer to "Who…?" names: its short answer when that is a name ("Mark
    Rutte"), else the one name of the answer's sentence; None when neither says one."""
    return (only_name(short) if short else None) or only_name(answer)


def named_before_person(text: str) -> bool:
    """A name comes before the text's first person pronoun: "what did Zakharova say he meant"
    may mean Zakharova by "he"; a name after it cannot be whom it means ("what did he tell
    Yoon", "what did he say about North Korean troops")."""
    pronoun = _PERSON.search(text)
    return pronoun is not None and bool(names(text[: pronoun.start()]))


def without_person_pronouns(text: str) -> str:
    """The text with its person pronouns left out (what else in it points back)."""
    return re.sub(r"\s+", " ", _PERSON.sub("", text)).strip()


def person_meant(history: Sequence[Turn]) -> str | None:
    """The name a person pronoun of the next question points at, or None:
    - the previous question said "he" too, or leaned on the conversation naming no one ("Tell
      me more", "When?"): the same person as it meant ("What did he say?", then "When did he
      say it?"), else the one name its answer holds;
    - it asked who ("Who is the Kremlin spokesman?", "Who led the team?"): the person its
      answer names, not a name in the question, unless it asked who a name is ("Who is Mark
      Rutte?");
    - otherwise the one name in the previous question, else in its answer."""
    previous = history[-1]
    leaned = needs_conversation(previous.question) and not names(previous.question)
    if _PERSON.search(previous.question) or leaned:
        carried = person_meant(history[:-1]) if len(history) > 1 else None
        return carried or only_name(previous.answer)
    if answer_type(previous.question) is AnswerType.PERSON:
        named = _WHO_IS_NAME.match(previous.question.strip())
        asked_about = only_name(named.group("name")) if named else None
        return asked_about or only_name(previous.answer)
    return only_name(previous.question) or only_name(previous.answer)


def standalone_question(
    question: str, history: Sequence[Turn], settings: ConversationSettings = DEFAULTS
) -> str | None:
    """The text to search for a follow-up, or None when the question stands alone."""
    rewrite = rewrite_follow_up(question, history, settings)
    return rewrite.text if rewrite else None


def names(text: str) -> list[str]:
    """Runs of capitalised words ("South Korea’s" as "South Korea"), the text's opening
    question word or article not counted, nor a request or word of politeness that opens it
    ("Tell me more", "Please explain"), nor a function word that opens a run because it
    opens a sentence ("In Moscow, …" names Moscow; "The closest …", "Now he …" name nobody),
    nor a run of days and months alone ("in March 2025", "on Monday" name nobody, so an answer
    that dates what its one person said still names one person)."""
    text = _REQUEST_OPENING.sub(lambda m: m.group(0).lower(), text)
    found = _NAME.findall(_QUESTION_OPENING.sub(lambda m: m.group(1).lower(), text))
    kept = []
    for name in found:
        parts = name.split()
        while parts and parts[0].lower() in FUNCTION_WORDS:
            parts.pop(0)
        name = re.sub(r"[’']s$", "", " ".join(parts))
        if name and not all(map(_is_calendar_word, name.split())):  # "Oct.", not "Sunday Times"
            kept.append(name)
    return kept


def only_name(text: str) -> str | None:
    """The one name in a text ("Who is Mark Rutte?", "Dr. Amara Okonjo led it."); None when
    there are none or several ("What did Zelenskyy say about North Korean troops?": which one
    "he" is, is not a rule's call, so the question is read with the conversation instead). An
    initialism ("UN", "NATO", "KCNA") names an organisation, not whom "he" or "she" means."""
    found = _named_people(text)
    return found.pop() if len(found) == 1 else None


def _named_people(text: str) -> set[str]:
    """The names in a text that may be people's: initialisms ("UN", "NATO") are not."""
    return {name for name in names(text) if not name.isupper()}


def replace_person(question: str, name: str) -> str:
    """Each person pronoun replaced by `name` ("his"/"her speech" by "name’s")."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(1).lower()
        follows = question[match.end() :].lstrip()
        possessive = word in {"his", "hers"} or (
            word == "her" and bool(follows) and follows[0].isalpha()
        )
        return f"{name}’s" if possessive else name

    return _PERSON.sub(swap, question)
