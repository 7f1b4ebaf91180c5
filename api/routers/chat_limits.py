"""`max_tokens` and `stop` of `/v1/chat/completions`, honoured as OpenAI documents them.

OpenAI's reference makes both a promise about the text that comes back: `max_tokens` (and
`max_completion_tokens`) is an upper bound on what is generated, and a reply that reaches it
ends with `finish_reason: "length"`; `stop` is up to 4 sequences at which the reply ends, "the
returned text will not contain the stop sequence". OpenAI's own API refuses more than 4;
this server takes any number, as vLLM's and llama.cpp's do, since it can honour them all and
clients written for those (editor plugins sending a chat template's end markers) send more. A
client relies on both (a cost tracker on
the bound, a ReAct-style agent or a completion-style prompt on `stop: ["\\n"]`), so neither is
ignored. Here the reply is a finished, checked article sentence with its `Sources:` list, so
honouring them is cutting that text:

* at the first place any stop sequence begins (`finish_reason` stays `"stop"`);
* then after the first `max_tokens` whitespace-separated words, the unit `usage` counts
  (`finish_reason` becomes `"length"`), so `usage.completion_tokens` never exceeds it.

The grounding fields (`citations`, `retrieved`, …) are the whole answer's either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from qa.text_input import surrogate_problem

FinishReason = Literal["stop", "length"]

_WORD = re.compile(r"\S+")


def stop_sequences(value: Any) -> Any:
    """`stop` as OpenAI takes it: a string or a list of strings (or null), said in those words
    rather than as one pydantic error per member of a union."""
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(s, str) for s in items):
        raise PydanticCustomError("stop", "send a string or a list of strings, or leave stop out")
    for item in items:
        if (problem := surrogate_problem(item)) is not None:
            raise PydanticCustomError("unusable_text", "{problem}", {"problem": problem})
    return items


StopSequences = Annotated[list[str] | None, BeforeValidator(stop_sequences)]


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
