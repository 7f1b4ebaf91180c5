"""OpenAI-style chat messages read as a question and history, and an answer written back as the
assistant message's text: what `/v1/chat/completions` (api/routers/openai_compat.py) does
besides HTTP, as pure functions of the messages and the `Answer` (no request, response or
event in them, so they sit with the rest of the answering logic).

* Reading (`chat_input`): the last `user` message is the question (the text of a prompt
  template's `<user_query>` tag or after its "Question:" label, when it has one:
  `labelled_question`); earlier `user`/`assistant` pairs are the history (`Turn`s), an earlier
  answer without the `Sources:` list this server added (`without_sources`).
* Writing (`message_content`): the answer with its `[n]` markers and a `Sources:` list naming
  what each points at (after a `Note:` line when the quote holds nothing of the kind asked for,
  `lacking_note`), or for a refusal the refusal, why, and the articles of the closest
  paragraphs, since a chat client shows the content alone.
* Limits (`OutputLimits`; api/inputs.py's `StopSequences` reads the request's `stop`):
  `max_tokens` and `stop`, honoured as OpenAI documents them.
  OpenAI's reference makes both a promise about the text that comes back: `max_tokens` (and
  `max_completion_tokens`) is an upper bound on what is generated, and a reply that reaches it
  ends with `finish_reason: "length"`; `stop` is up to 4 sequences at which the reply ends,
  "the returned text will not contain the stop sequence". OpenAI's own API refuses more than
  4; this server takes any number, as vLLM's and llama.cpp's do, since it can honour them all
  and clients written for those (editor plugins sending a chat template's end markers) send
  more. A client relies on both (a cost tracker on the bound, a ReAct-style agent or a
  completion-style prompt on `stop: ["\\n"]`), so neither is ignored. Here the reply is a
  finished, checked article sentence with its `Sources:` list, so honouring them is cutting
  that text (`chat_reply`): at the first place any stop sequence begins (`finish_reason` stays
  `"stop"`); then after the first `max_tokens` whitespace-separated words, the unit `usage`
  counts (`finish_reason` becomes `"length"`), so `usage.completion_tokens` never exceeds it.
  The grounding fields (`citations`, `retrieved`, …) are the whole answer's either way.
* The reply (`chat_reply`, a `Reply`): that text and its `finish_reason`, built once per
  answer; the route sends it whole or word by word, so a stream joins to the plain content.

api/openai_request.py reads and checks the request, api/openai_response.py builds OpenAI's
response objects and chunks from the `Reply`, and the route frames the stream.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from pydantic import ValidationError

from qa.answering import reader_reason
from qa.errors import BadInput
from qa.evidence import kind_noun
from qa.models import (
    DECLINED,
    TURN_ANSWER_MAX_CHARS,
    TURN_QUESTION_MAX_CHARS,
    Answer,
    Citation,
    Turn,
    is_refusal,
)
from qa.text_input import has_visible_text

# --- reading the messages ----------------------------------------------------------------------


class MessagePart(Protocol):
    """One part of a message's content (the request's `ContentPart`)."""

    @property
    def type(self) -> str: ...

    @property
    def text(self) -> str | None: ...


class Message(Protocol):
    """A chat message as the request holds it (the request's `ChatMessage`): its role, and its
    content as text or parts, already normalised."""

    @property
    def role(self) -> str: ...

    @property
    def content(self) -> str | Sequence[MessagePart] | None: ...


# a prompt template's label before the question, in any case, opening a line or a sentence
# ("… cite sources. Question: Who is …?", "QUESTION: …", "q: …", "… articles. question: …"), and
# a line's label that ends it ("Answer:", "Context:"); "what is the question: who paid?" has none
# A label may be dressed in Markdown, as templates often are: "### Query:", "**Question:**",
# "__Q__:". A question a template wraps in tags is read from them: Open WebUI's default RAG
# template ends "<user_query>\n{{QUERY}}\n</user_query>".
_MARKUP = r"(?:\*\*|__|\*|_)?"
_QUESTION_LABEL = re.compile(
    rf"(?:^|(?<=[.!?])[ \t]+)[ \t]*(?:#{{1,6}}[ \t]*)?{_MARKUP}(?i:question|query|q)"
    rf"{_MARKUP}[ \t]*:[ \t]*{_MARKUP}[ \t]*",
    re.MULTILINE,
)
_AFTER_QUESTION = re.compile(
    rf"^[ \t]*(?:#{{1,6}}[ \t]*)?{_MARKUP}(?i:helpful answer|answer|a|context|sources?){_MARKUP}"
    r"[ \t]*:",
    re.MULTILINE,
)
_QUESTION_TAG = re.compile(
    r"<(?P<tag>(?i:user_query|user_question|query|question))>(?P<asked>.*?)</(?P=tag)>",
    re.DOTALL,
)


def labelled_question(text: str) -> str:
    """The question a prompt template wraps in instructions: the text of its last
    <user_query> (or <query>, <question>) tag, else the text after its last "Question:" label
    (Markdown around it is no matter), up to an "Answer:" or "Context:" line. Frameworks put
    such templates in the user message, and the instructions' words would be searched as the
    question's. Text without a label, or with nothing after it, is the question as it is."""
    tagged = [m.group("asked").strip() for m in _QUESTION_TAG.finditer(text)]
    if tagged and has_visible_text(tagged[-1]):
        return tagged[-1]
    labels = list(_QUESTION_LABEL.finditer(text))
    if not labels:
        return text
    after = text[labels[-1].end() :]
    asked = _AFTER_QUESTION.split(after, maxsplit=1)[0].strip()
    return asked if has_visible_text(asked) else text


def message_text(message: Message, index: int, *, asked: bool = False) -> str:
    """The text of a message (`messages[index]`): a string, or its text parts joined by
    newlines. Other parts (an image) are refused in the question (`asked`) and left out of
    earlier turns. An earlier assistant answer loses the `Sources:` list this server added."""
    if message.content is None:
        return ""
    if isinstance(message.content, str):
        text = message.content
    else:
        texts = []
        for number, part in enumerate(message.content):
            if part.type != "text" and not asked:
                continue
            if part.type != "text":
                raise BadInput(
                    f"messages.{index}: only text content is supported, but content part "
                    f"{number} is of type {part.type!r}; send the question as text",
                    param=f"messages.{index}.content",
                )
            texts.append(part.text or "")
        text = "\n".join(texts)
    return without_sources(text) if message.role == "assistant" else labelled_question(text)


def chat_input(messages: Sequence[Message], *, max_turns: int) -> tuple[str, list[Turn]]:
    """The question (the last `user` message) and the history before it, oldest first.

    A `user` message followed by an `assistant` message is one turn; a `user` message nobody
    answered is a turn with an empty answer; an `assistant` message with no question before it
    (a greeting), blank questions, turns too long to carry, and `system`/`developer`/`tool`
    messages are left out. Only the last `max_turns` turns are kept. The question itself is
    not checked here.
    """
    last_user = next((i for i in reversed(range(len(messages))) if messages[i].role == "user"), -1)
    if last_user < 0:
        raise BadInput(
            "messages has no user message: the last user message is the question",
            param="messages",
        )
    after = [m.role for m in messages[last_user + 1 :]]
    if "assistant" in after:
        # the earlier question would be answered again, as if the reply had not been sent
        what = " and ".join(dict.fromkeys(f"{role!r}" for role in after))
        raise BadInput(
            f"messages end with {what} after the last user message; this server answers the "
            "last user message and calls no tools, so it does not continue an assistant "
            "message or read tool results: end messages with the user's question",
            param=f"messages.{last_user + 1}",
        )
    question = message_text(messages[last_user], last_user, asked=True)

    # (question, answer, and the index in `messages` of each, to name one that is refused)
    pairs: list[tuple[str, str, int, int | None]] = []
    pending: tuple[str, int] | None = None
    for index, message in enumerate(messages[:last_user]):
        if message.role == "user":
            if pending is not None:
                pairs.append((pending[0], "", pending[1], None))
            pending = (message_text(message, index), index)
        elif message.role == "assistant" and pending is not None:
            said = message_text(message, index)
            if not has_visible_text(said):
                continue  # a tool call with no text: the answer comes after the tool's result
            pairs.append((pending[0], said, pending[1], index))
            pending = None
    if pending is not None:
        pairs.append((pending[0], "", pending[1], None))
    # a turn too long to carry (a pasted article) is left out rather than refused: a chat app
    # resends the whole conversation, and its user cannot edit what was sent before
    pairs = [
        pair
        for pair in pairs
        if has_visible_text(pair[0])
        and len(pair[0]) <= TURN_QUESTION_MAX_CHARS
        and len(pair[1]) <= TURN_ANSWER_MAX_CHARS
    ]
    pairs = pairs[len(pairs) - max_turns :] if max_turns > 0 else []
    try:
        history = [Turn(question=q, answer=a) for q, a, _, _ in pairs]
    except ValidationError as exc:  # the checks above should leave nothing for this
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise BadInput(f"messages: an earlier turn is unusable ({problems})") from exc
    return question, history


# --- writing the answer ------------------------------------------------------------------------


SOURCES_HEADING = "Sources:"
# the list `message_content` ends an answer with: what `without_sources` takes off again
# (however a client re-spaced it: one blank line or more, "-" or "*" bullets, a part of its own)
# the line before the list when the quote lacks the kind of answer asked for (`lacking_note`)
LACKING_NOTE = "Note: the quoted sentence gives no "
# A reply cut by `max_tokens` or `stop` (`OutputLimits`) may end inside the list ("Sources:"
# alone, "- [1]") or inside the note ("Note: the quoted"), and is sent back so too.
_SOURCES = re.compile(
    r"(?:\s*\n" + re.escape(LACKING_NOTE) + r"[^\n]*)?"
    r"\s*\n" + re.escape(SOURCES_HEADING)
    + r"[ \t]*(?:\n[ \t]*[-*](?:[ \t]+\[(?:\d+(?:\](?:[ \t][^\n]*)?)?)?)?)*\s*\Z"
)  # fmt: skip


def lacking_note(answer: Answer) -> str | None:
    """What a chat client, which shows the content alone, is told when the quote holds nothing
    of the kind the question asks for (`holds_asked_kind` false): a number for "How many…?"."""
    if answer.status != "answered" or answer.holds_asked_kind is not False:
        return None
    if answer.asked_kind is None:  # never so when holds_asked_kind is given; typed for mypy
        return None
    return (
        f"{LACKING_NOTE}{kind_noun(answer.asked_kind)}, which the question asks for: it is the "
        "closest the articles come; check whether it answers the question."
    )


def message_content(answer: Answer, *, sources: bool = True, titles: int = 3) -> str:
    """The assistant message's text, which is all a chat client shows: the answer, ending
    with a `Sources:` list that says what each `[n]` marker points at (unless not `sources`),
    with a `Note:` line before it when the quote holds nothing of the kind asked for
    (`lacking_note`);
    for a refusal, the refusal, why when there is more to say than that, and the articles of
    the closest paragraphs (at most `titles` of them; they are in `retrieved`, which a chat
    client does not show)."""
    if answer.status != "insufficient_evidence" or not is_refusal(answer.answer):
        if not sources or not answer.citations:
            return answer.answer
        listed = {c.marker: c for c in answer.citations if c.marker is not None}
        lines = [f"- [{marker}] {source_line(c)}" for marker, c in sorted(listed.items())]
        note = lacking_note(answer)
        return "\n\n".join(
            [answer.answer, *([note] if note else []), "\n".join([SOURCES_HEADING, *lines])]
        )
    why = reader_reason(answer.reason)
    said = DECLINED + (f" {why[0].upper()}{why[1:].rstrip('.')}." if why else "")
    named = list(dict.fromkeys(p.title for p in answer.retrieved))[:titles]
    if not named:
        return said
    titled = "; ".join(named)
    stop = "" if titled.endswith((".", "…", "?", "!")) else "."
    return f"{said} The closest paragraphs are from these articles: {titled}{stop}"


def source_line(citation: Citation) -> str:
    """One entry of the `Sources:` list: the article's title, source and date, the paragraph
    (counted from 1) and the article's id (`GET /documents/{id}`), the paragraph's id (which
    `GET /paragraphs/{id}` finds again after paragraphs before it were added, when its number
    has moved), and its address if known."""
    about = ", ".join(x for x in (citation.source, citation.date) if x)
    where = f"paragraph {citation.index + 1} of {citation.doc_id}, id {citation.paragraph_id}"
    if citation.detail is not None:  # told from the article's details, not the paragraph's words
        value = getattr(citation, citation.detail)
        where = f"the article's {citation.detail} ({value}), as {citation.doc_id} gives it"
    parts = [citation.title + (f" ({about})" if about else ""), where, citation.url]
    return " — ".join(p for p in parts if p)


def _note_or_its_start() -> str:
    """The note's line, whole or cut after any of its words: "Note:", "Note: the quoted"…"""
    first, *rest = LACKING_NOTE.split()
    tail = r"(?:[ \t][^\n]*)?"  # the kind and the rest, past the note's fixed words
    for word in reversed(rest):
        tail = rf"(?:[ \t]+{re.escape(word)}{tail})?"
    return re.escape(first) + tail


_LONE_NOTE = re.compile(r"\s*\n" + _note_or_its_start() + r"\s*\Z")


def without_sources(text: str) -> str:
    """An answer as it was before `message_content` added its `Sources:` list (and the note
    before it), which a client sends back as an earlier assistant message; a note left alone,
    its list dropped by the client, is taken off too."""
    return _LONE_NOTE.sub("", _SOURCES.sub("", text, count=1), count=1).rstrip()


# --- the request's limits ----------------------------------------------------------------------

FinishReason = Literal["stop", "length"]

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class OutputLimits:
    """What a request allows of the reply's text: at most `max_words` words (None: no limit),
    ending before any of `stops` (an empty sequence stops nothing)."""

    max_words: int | None = None
    stops: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, *, max_tokens: int | None, max_completion_tokens: int | None, stop: list[str] | None
    ) -> OutputLimits:
        """The limits a request asks for; given both token fields, the smaller bounds it."""
        bounds = [n for n in (max_tokens, max_completion_tokens) if n is not None]
        return cls(
            max_words=min(bounds) if bounds else None,
            stops=tuple(s for s in stop or () if s),
        )

    def cut(self, text: str) -> tuple[str, FinishReason]:
        """`text` as the reply may hold it, and why the reply ends: `"stop"` when it is whole
        or ends before a stop sequence, `"length"` when `max_words` cut it."""
        found = [at for at in (text.find(s) for s in self.stops) if at >= 0]
        if found:
            text = text[: min(found)]
        if self.max_words is not None:
            words = list(_WORD.finditer(text))
            if len(words) > self.max_words:
                return text[: words[self.max_words - 1].end()], "length"
        return text, "stop"


NO_LIMITS = OutputLimits()


@dataclass(frozen=True)
class Reply:
    """The assistant message as the client gets it, whole in a `chat.completion` or word by word
    in its chunks (the same text either way, built once by `chat_reply`), and why it ends."""

    content: str
    finish_reason: FinishReason = "stop"

    @property
    def words(self) -> int:
        """Its length as `usage.completion_tokens` counts it: whitespace-separated words."""
        return len(self.content.split())


def chat_reply(answer: Answer, *, sources: bool = True, limits: OutputLimits = NO_LIMITS) -> Reply:
    """The message's text as the request's `max_tokens` and `stop` allow it, and the
    `finish_reason` that says whether they cut it (`OutputLimits`)."""
    return Reply(*limits.cut(message_content(answer, sources=sources)))
