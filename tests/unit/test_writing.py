"""Generate mode (qa/writing.py through qa/answering.py): the model writes over numbered
paragraphs, every claim is checked against the paragraphs it cites, an unsupported one is
removed and reported, and an answer left without support is withheld for the sentence the
selector chose, quoted as in extract mode. Fakes only: a scripted generator and the overlap
selector."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import pytest

from index.store import CorpusIndex
from qa.answering import answer_question
from qa.models import Answer
from qa.retrieval import Retriever
from qa.writing import Passage, clean, completion_prompt, write_answer
from tests.fakes import HashingEmbedder, OverlapSelector, ScriptedGenerator, build_corpus
from tests.unit.test_answering import ANSWERABLE, ARTICLES, CHOIR_SIZE, SETTINGS, UNRELATED

pytestmark = pytest.mark.unit

Built = tuple[CorpusIndex, Retriever, HashingEmbedder]


@pytest.fixture(scope="module")
def corpus() -> Built:
    return build_corpus(ARTICLES)


def ask(
    corpus: Built,
    question: str,
    generator: ScriptedGenerator | None,
    on_progress: Callable[[str, dict[str, object]], None] = lambda stage, detail: None,
) -> Answer:
    index, retriever, embedder = corpus
    return answer_question(
        question,
        retriever=retriever,
        corpus=index,
        embedder=embedder,
        selector=OverlapSelector(),
        settings=SETTINGS,
        generator=generator,
        on_progress=on_progress,
    )


def test_a_supported_answer_keeps_its_words_and_citation(corpus: Built) -> None:
    generator = ScriptedGenerator("The choir has 28 members [1].")
    stages: list[str] = []
    answer = ask(corpus, ANSWERABLE, generator, lambda stage, detail: stages.append(stage))
    assert answer.status == "answered"
    assert answer.answer == "The choir has 28 members [1]."
    assert answer.citations[0].doc_id == "elmsby-choir"
    assert answer.citations[0].verified
    assert answer.removed_claims == []
    assert "write_ms" in answer.timings_ms
    assert stages.index("writing") < stages.index("checking")
    # the model saw the question and the chosen paragraph, numbered
    assert f"[1] (Village choir wins national title) {CHOIR_SIZE}" in generator.prompts[0]
    assert generator.prompts[0].rstrip().endswith(f"Question: {ANSWERABLE}\nAnswer:")


def test_a_partly_wrong_answer_loses_the_unsupported_claim(corpus: Built) -> None:
    made_up = "Olympic divers in Melbourne trained underwater with sharks nightly"
    generator = ScriptedGenerator(f"The choir has 28 members [1]. {made_up} [1].")
    answer = ask(corpus, ANSWERABLE, generator)
    assert answer.status == "answered"
    assert answer.answer == "The choir has 28 members [1]."
    assert answer.removed_claims == [made_up]


def quoted(corpus: Built) -> Answer:
    """The extract-mode answer to ANSWERABLE: what a withheld model answer gives way to."""
    return ask(corpus, ANSWERABLE, None)


def test_a_wholly_wrong_answer_is_withheld_for_the_articles_sentence(corpus: Built) -> None:
    """The selector judged that the articles answer: a refusal ("the articles do not hold
    enough evidence") would say otherwise, so the chosen sentence is quoted instead."""
    made_up = "Olympic divers in Melbourne trained underwater with sharks nightly"
    answer = ask(corpus, ANSWERABLE, ScriptedGenerator(f"{made_up} [1]."))
    extract = quoted(corpus)
    assert extract.status == "answered" and CHOIR_SIZE.rstrip(".") in extract.answer
    assert answer.status == "answered"
    assert answer.answer == extract.answer
    assert [c.paragraph_id for c in answer.citations] == [c.paragraph_id for c in extract.citations]
    assert answer.citations[0].quoted
    assert answer.removed_claims == [made_up]
    assert answer.quoted_instead is not None and "not supported" in answer.quoted_instead
    assert answer.reason is None and answer.answers_question
    assert extract.quoted_instead is None


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("", "the model wrote no answer"),
        ("The choir has 28 members.", "cites no paragraph"),
        ("It has 28 members [7].", "not supported by the paragraphs it cites"),
    ],
)
def test_no_model_words_without_a_valid_citation(corpus: Built, written: str, why: str) -> None:
    """Empty, uncited, or citing a passage it was not shown: none of the model's words are
    passed through, the article is quoted instead, and `quoted_instead` says which."""
    answer = ask(corpus, ANSWERABLE, ScriptedGenerator(written))
    assert answer.status == "answered"
    assert answer.answer == quoted(corpus).answer
    assert answer.quoted_instead is not None and why in answer.quoted_instead


def test_a_claim_that_changes_the_figure_is_withheld(corpus: Built) -> None:
    answer = ask(corpus, ANSWERABLE, ScriptedGenerator("The choir has 82 members [1]."))
    assert "82" not in answer.answer and answer.quoted_instead is not None
    assert answer.removed_claims == ["The choir has 82 members"]


def test_no_model_is_asked_when_the_selector_abstains(corpus: Built) -> None:
    generator = ScriptedGenerator("The cup went to the capital's team [1].")
    answer = ask(corpus, UNRELATED, generator)
    assert answer.status == "insufficient_evidence"
    assert generator.prompts == [] and generator.messages == []


def test_chat_models_get_the_passages_in_the_user_message() -> None:
    generator = ScriptedGenerator("It has 28 [1].", prompt_format="chat")
    passages = [Passage("Choir", CHOIR_SIZE)]
    written = write_answer(generator, "How big is it?", passages, max_tokens=16)
    assert written.text == "It has 28 [1]."
    assert f"[1] (Choir) {CHOIR_SIZE}" in generator.messages[0][1]["content"]
    assert generator.calls[0][1] == 16


def test_clean_keeps_the_first_paragraph() -> None:
    assert clean("  The port   reopened [1] .\n\nQuestion: more") == "The port reopened [1]."
    assert clean("\n") == ""
    assert "Question: q\nAnswer:" in completion_prompt("q", [Passage("t", "s")])


# --- a question given up while the model writes ------------------------------------------------


class EndlessModel:
    """Stands in for llama_cpp.Llama: writes a word at a time for ever, counting the words."""

    def __init__(self) -> None:
        self.words = 0

    def _words(self, chat: bool) -> Iterator[dict[str, Any]]:
        while True:
            self.words += 1
            yield {"choices": [{"delta": {"content": "word "}} if chat else {"text": "word "}]}

    def __call__(self, prompt: str, *, stream: bool, **sampling: Any) -> Iterator[dict[str, Any]]:
        return self._words(chat=False)

    def create_chat_completion(self, *, stream: bool, **sampling: Any) -> Iterator[dict[str, Any]]:
        return self._words(chat=True)


@pytest.mark.parametrize("prompt_format", ["completion", "chat"])
def test_the_local_model_stops_writing_once_the_question_is_given_up(
    prompt_format: Literal["completion", "chat"],
) -> None:
    """A question past its time limit (or whose client left) stopped only at the next stage, so
    the model wrote on to max_tokens, and every question behind it waited or timed out too."""
    from index.generation import LlamaCppGenerator
    from qa.settings import GenerationSettings

    generator = LlamaCppGenerator(
        Path("model.gguf"), GenerationSettings(prompt_format=prompt_format)
    )
    model = EndlessModel()
    generator._llm = model  # no GGUF loaded: the stand-in writes
    asked: list[int] = []

    def given_up() -> bool:
        asked.append(model.words)
        return model.words >= 5

    written = write_answer(
        generator, "How big is it?", [Passage("t", "s")], max_tokens=10**9,
        should_stop=given_up,
    )  # fmt: skip
    assert model.words == 5
    assert written.text == "word word word word word"
    assert asked == [1, 2, 3, 4, 5]  # asked after every word


class _SlowGenerator(ScriptedGenerator):
    """Writes a token at a time, asking `should_stop` between tokens, as llama.cpp's does."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens = 0

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str],
        should_stop: Callable[[], bool] | None = None,
    ) -> str:
        words = []
        for _ in range(max_tokens):
            if should_stop is not None and should_stop():
                break
            self.tokens += 1
            words.append("choir")
        return " ".join(words)


def test_a_model_still_writing_near_the_time_limit_is_stopped_and_the_sentence_quoted(
    corpus: Built,
) -> None:
    index, retriever, embedder = corpus
    generator = _SlowGenerator()
    left = iter([60.0, 50.0, 40.0] + [2.0] * 1000)  # seconds left, asked between tokens
    answer = answer_question(
        ANSWERABLE, retriever=retriever, corpus=index, embedder=embedder,
        selector=OverlapSelector(), settings=SETTINGS, generator=generator,
        time_left=lambda: next(left),
    )  # fmt: skip
    assert generator.tokens < 5  # stopped once under generation.stop_before_limit_s (3 s)
    assert answer.status == "answered" and answer.citations[0].quoted
    assert answer.quoted_instead is not None and "had not finished" in answer.quoted_instead
    # with time to spare it writes on (and its words are then checked as usual)
    ample = _SlowGenerator()
    answer_question(
        ANSWERABLE, retriever=retriever, corpus=index, embedder=embedder,
        selector=OverlapSelector(), settings=SETTINGS, generator=ample,
        time_left=lambda: 60.0,
    )  # fmt: skip
    assert ample.tokens == SETTINGS.generation.max_tokens


def test_a_model_that_finished_in_time_keeps_its_answer_however_little_time_is_left(
    corpus: Built,
) -> None:
    """Only a model told to stop for want of time gives way to the quote: one that finished
    before it was ever told to keeps its (checked) words, even if the check is then late."""
    index, retriever, embedder = corpus
    answer = answer_question(
        ANSWERABLE, retriever=retriever, corpus=index, embedder=embedder,
        selector=OverlapSelector(), settings=SETTINGS,
        generator=ScriptedGenerator("The choir has 28 members [1]."),
        time_left=lambda: 1.0,  # never asked by a model that does not stream
    )  # fmt: skip
    assert answer.status == "answered" and answer.quoted_instead is None, answer
    assert answer.answer == "The choir has 28 members [1]."
