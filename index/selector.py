"""The learned answer selector run by ONNX Runtime: one cross-encoder pass per candidate.

The model (`models/selector/`, trained by `scripts/train_selector.py`) reads a question with a
candidate sentence and, after it, the sentence's context (its article's title and the sentence
before it):

    [CLS] question [SEP] sentence [SEP] title. previous sentence [SEP]

(token type 0 for the question, 1 after it; a model trained with `mark_matches` reads type 2
on every sentence or context token whose word is one of the question's content terms, the
exact-match feature of DrQA, Chen et al. 2017) and returns a relevance logit (does this
sentence answer the question?) and, for every token, start and end logits of the answer span.
The encoding below is the one the model was trained with; `scripts/train_selector.py` imports
it from here, so the two cannot drift apart.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.onnx_weights import model_for_this_cpu
from qa.errors import QAError
from qa.interfaces import Selection, SelectorInput
from qa.lexical import PLAIN_LETTERS, content_term_spans, content_terms, term_found

# the selector trained for this project, committed beside the code with its model card
BUNDLED_DIR = Path(__file__).resolve().parents[1] / "models" / "selector"
MODEL_FILE = "selector.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "selector.json"
COMBINER_FILE = "combiner.json"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """Token budgets of the input, fixed when the model is trained (saved in its config)."""

    question: int = 48
    sentence: int = 96
    context: int = 40
    span: int = 24  # longest answer span, in tokens


class SelectorUnavailable(QAError):
    """The selector model is missing or does not match its card."""


@dataclass(frozen=True)
class Encoded:
    ids: list[int]
    types: list[int]
    sentence_start: int  # index of the sentence's first token in `ids`
    offsets: list[tuple[int, int]]  # character offsets in the sentence, one per sentence token
    # the word each sentence token belongs to (the tokenizer's word ids), so that a span is
    # snapped to whole words; empty when unknown
    words: list[int | None] = field(default_factory=list)


def context_text(title: str, previous: str) -> str:
    title = title.strip()
    if title and previous:
        return f"{title}. {previous}"
    return title or previous


# the token type of a sentence or context token whose word the question holds (`mark_matches`)
MATCH_TYPE = 2


class Encoder:
    """Token ids for (question, sentence, context), with the sentence tokens' offsets."""

    def __init__(
        self,
        tokenizer_file: Path,
        limits: Limits = Limits(),  # noqa: B008
        *,
        mark_matches: bool = False,
    ) -> None:
        from tokenizers import Tokenizer, normalizers

        self.limits = limits
        self.mark_matches = mark_matches
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        # BERT's normaliser drops accent marks ("é" → "e") but keeps letters that have none to
        # drop ("ø", "ł", "ß"): spelled out first, "Sønderborg" reads as "Sonderborg" does
        # (offsets still point into the text as given)
        self._tokenizer.normalizer = normalizers.Sequence(
            [normalizers.Replace(letter, plain) for letter, plain in PLAIN_LETTERS.items()]
            + ([self._tokenizer.normalizer] if self._tokenizer.normalizer else [])
        )
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self.cls = self._require("[CLS]")
        self.sep = self._require("[SEP]")

    def _require(self, token: str) -> int:
        found = self._tokenizer.token_to_id(token)
        if found is None:  # pragma: no cover - every BERT vocabulary has them
            raise SelectorUnavailable(f"the selector's tokenizer has no {token} token")
        return int(found)

    def encode(self, question: str, items: Sequence[SelectorInput]) -> list[Encoded]:
        texts = (
            [question]
            + [i.sentence for i in items]
            + [context_text(i.title, i.previous) for i in items]
        )
        batch = self._tokenizer.encode_batch(texts, add_special_tokens=False)
        q = batch[0].ids[: self.limits.question]
        asked = set(content_terms(question)) if self.mark_matches else set()
        n = len(items)
        out: list[Encoded] = []
        for k in range(n):
            sentence, context = batch[1 + k], batch[1 + n + k]
            s_ids = sentence.ids[: self.limits.sentence]
            offsets = [tuple(o) for o in sentence.offsets[: self.limits.sentence]]
            words = list(sentence.word_ids[: self.limits.sentence])
            c_ids = context.ids[: self.limits.context]
            ids = [self.cls, *q, self.sep, *s_ids, self.sep, *c_ids, self.sep]
            head = len(q) + 2
            if asked:
                s_types = _match_types(sentence, texts[1 + k], len(s_ids), asked)
                c_types = _match_types(context, texts[1 + n + k], len(c_ids), asked)
                types = [0] * head + s_types + [1] + c_types + [1]
            else:
                types = [0] * head + [1] * (len(ids) - head)
            out.append(Encoded(ids, types, head, offsets, words))  # type: ignore[arg-type]
        return out


def _match_types(encoding: Any, text: str, count: int, asked: set[str]) -> list[int]:
    """Type 1 for each of the first `count` tokens, `MATCH_TYPE` where the token lies inside
    a word of `text` that is one of the question's content terms (`asked`)."""
    matched = [(a, b) for a, b, term in content_term_spans(text) if term_found(term, asked)]
    return [
        MATCH_TYPE if any(a < end and start < b for a, b in matched) else 1
        for start, end in encoding.offsets[:count]
    ]


def pad(encoded: Sequence[Encoded]) -> dict[str, np.ndarray]:
    """The batch as int64 arrays, padded to its longest member."""
    width = max(len(e.ids) for e in encoded)
    ids = np.zeros((len(encoded), width), dtype=np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros_like(ids)
    for i, e in enumerate(encoded):
        ids[i, : len(e.ids)] = e.ids
        types[i, : len(e.types)] = e.types
        mask[i, : len(e.ids)] = 1
    return {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}


def best_span(
    start_logits: np.ndarray,
    end_logits: np.ndarray,
    e: Encoded,
    max_tokens: int,
    length_penalty: float = 0.0,
) -> tuple[int, int, float] | None:
    """Character offsets of the best answer span inside the sentence, and its score: the
    highest start + end logit with start ≤ end < start + max_tokens, widened to whole words
    (the model may mark a word piece: "Maria Zakhar" of "Maria Zakharova")."""
    first, count = e.sentence_start, len(e.offsets)
    if count == 0:
        return None
    starts = np.asarray(start_logits[first : first + count], dtype=np.float32)
    ends = np.asarray(end_logits[first : first + count], dtype=np.float32)
    pairs = starts[:, None] + ends[None, :]
    i, j = np.indices(pairs.shape)
    if length_penalty:
        pairs -= np.float32(length_penalty) * (j - i).astype(np.float32)
    pairs[(j < i) | (j >= i + max_tokens)] = -np.inf
    i_best, j_best = np.unravel_index(int(np.argmax(pairs)), pairs.shape)
    score = float(pairs[i_best, j_best])
    i_word, j_word = int(i_best), int(j_best)
    if len(e.words) == count:
        while i_word > 0 and e.words[i_word] is not None and e.words[i_word - 1] == e.words[i_word]:
            i_word -= 1
        while (
            j_word + 1 < count
            and e.words[j_word] is not None
            and e.words[j_word + 1] == e.words[j_word]
        ):
            j_word += 1
    return e.offsets[i_word][0], e.offsets[j_word][1], score


@dataclass(frozen=True)
class SpanLogits:
    """What the cross-encoder read of one item, before any span is chosen: its relevance
    logit and, for every token of `encoded.ids` (question and context included), the span
    head's start and end logits."""

    encoded: Encoded
    relevance: float
    starts: np.ndarray  # float32, one per token of `encoded.ids`
    ends: np.ndarray
    max_tokens: int  # the longest span, in tokens (the model's `Limits.span`)

    def best_span(self, length_penalty: float = 0.0) -> tuple[int, int, float] | None:
        """The best span inside the sentence as `best_span` finds it (character offsets and
        score), under `length_penalty` per token past the first."""
        return best_span(self.starts, self.ends, self.encoded, self.max_tokens, length_penalty)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class OnnxSelector:
    """Cheap to construct; `warm_up()` loads the model. Scores candidates in small batches."""

    def __init__(
        self,
        model_dir: Path,
        *,
        threads: int | None = None,
        batch_size: int = 32,
        use_combiner: bool = True,
        span_length_penalty: float = 0.0,
    ) -> None:
        self._dir = model_dir
        self._span_length_penalty = span_length_penalty
        self._use_combiner = use_combiner
        self._threads = threads
        self._batch_size = batch_size
        self._session: Any = None
        self._encoder: Encoder | None = None
        self._config: dict[str, Any] = {}
        self._combiner: Combiner | None = None

    @property
    def model_name(self) -> str:
        return str(self._config.get("name", self._dir.name))

    def warm_up(self) -> None:
        if self._session is not None:
            return
        model = self._dir / MODEL_FILE
        for needed in (model, self._dir / TOKENIZER_FILE, self._dir / CONFIG_FILE):
            if not needed.exists():
                raise SelectorUnavailable(
                    f"the answer selector is missing {needed.name} in {self._dir.name}/; "
                    "train it with scripts/train_selector.py or restore it from git"
                )
        self._config = json.loads((self._dir / CONFIG_FILE).read_text(encoding="utf-8"))
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = self._threads or 0
        options.inter_op_num_threads = 1
        # int8 weights are read as uint8 where this CPU's int8 products saturate: the same
        # integers, so the scores do not depend on the machine (index/onnx_weights.py)
        with model_for_this_cpu(model) as (source, unsigned):
            if unsigned:
                log.info("selector: int8 products saturate on this CPU; weights read as uint8")
            self._session = ort.InferenceSession(
                str(source), options, providers=["CPUExecutionProvider"]
            )
        combiner = self._dir / COMBINER_FILE
        if combiner.exists():
            self._combiner = Combiner.from_dict(json.loads(combiner.read_text(encoding="utf-8")))
        limits = Limits(**self._config.get("limits", {}))
        self._encoder = Encoder(
            self._dir / TOKENIZER_FILE,
            limits,
            mark_matches=bool(self._config.get("mark_matches", False)),
        )
        self.read("Warm-up?", [SelectorInput("Warm-up sentence.", "", "")])

    def span_logits(self, question: str, items: Sequence[SelectorInput]) -> list[SpanLogits]:
        """The cross-encoder's raw outputs per item, in the order given, batched as `read`
        batches them (so the same numbers): for measurements that weigh the span head
        themselves (`SpanLogits.best_span` under another penalty, a span's probability)."""
        self.warm_up()
        assert self._encoder is not None
        encoded = self._encoder.encode(question, items)
        found: list[SpanLogits | None] = [None] * len(encoded)
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].ids))
        for at in range(0, len(order), self._batch_size):
            chunk = order[at : at + self._batch_size]
            relevance, starts, ends = self._session.run(None, pad([encoded[i] for i in chunk]))
            for k, i in enumerate(chunk):
                width = len(encoded[i].ids)  # the batch's padding left out
                found[i] = SpanLogits(
                    encoded[i],
                    float(relevance[k]),
                    np.asarray(starts[k][:width], dtype=np.float32),
                    np.asarray(ends[k][:width], dtype=np.float32),
                    self._encoder.limits.span,
                )
        return [f for f in found if f is not None]

    def read(
        self, question: str, items: Sequence[SelectorInput]
    ) -> tuple[np.ndarray, list[tuple[int, int, float] | None]]:
        """The cross-encoder alone: a relevance logit and the best answer span per item (under
        the selector's span length penalty)."""
        readings = self.span_logits(question, items)
        logits = np.array([r.relevance for r in readings], dtype=np.float32)
        spans = [r.best_span(self._span_length_penalty) for r in readings]
        return logits, spans

    def select(self, question: str, items: Sequence[SelectorInput]) -> list[Selection]:
        """One `Selection` per item, in the order given. With a combiner, an item's score also
        weighs its features and how its reading compares with the others' in this call."""
        if not items:
            return []
        logits, spans = self.read(question, items)
        if self._combiner is not None and self._use_combiner:
            features: list[Mapping[str, float]] = [item.features for item in items]
            if self._combiner.reads_spans:
                asked = set(content_terms(question))
                features = [
                    {**named, **reading_features(span, item.sentence, asked)}
                    for named, span, item in zip(features, spans, items, strict=True)
                ]
            scores = self._combiner.scores(logits, features)
        else:
            scores = [_sigmoid(float(x)) for x in logits]
        return [
            Selection(score, span[0] if span else None, span[1] if span else None)
            for score, span in zip(scores, spans, strict=True)
        ]


# what the cross-encoder's own reading adds beside its relevance logit (`reading_features`)
READING_FEATURES = ("span_confidence", "span_echo")


def reading_features(
    span: tuple[int, int, float] | None, sentence: str, asked: set[str]
) -> dict[str, float]:
    """What the cross-encoder's own reading adds beside its relevance logit:
    - `span_confidence`: how sure its span head is of an answer inside the sentence (start +
      end logit of the best span; a sentence that only shares the question's words has no
      clear span);
    - `span_echo`: the share of the best span's content terms that the question already
      holds (an answer repeats little of its question; 0 when the span has no content term).
    `asked` is the question's content terms, computed once for all of its candidates.
    """
    if span is None:
        return {"span_confidence": 0.0, "span_echo": 0.0}
    return {
        "span_confidence": span[2],
        "span_echo": span_echo(sentence[span[0] : span[1]], asked),
    }


def span_echo(span_text: str, asked: set[str]) -> float:
    terms = content_terms(span_text)
    if not terms:
        return 0.0
    return sum(term_found(t, asked) for t in terms) / len(terms)


@dataclass(frozen=True)
class Combiner:
    """A logistic regression over the cross-encoder's logit and named candidate features,
    fitted on held-out training questions by scripts/train_selector.py."""

    weights: dict[str, float]
    bias: float

    @property
    def reads_spans(self) -> bool:
        """Whether it weighs what the span head read (`reading_features`)."""
        return any(name in self.weights for name in READING_FEATURES)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Combiner:
        return cls({str(k): float(v) for k, v in data["weights"].items()}, float(data["bias"]))

    def scores(self, logits: np.ndarray, features: Sequence[Mapping[str, float]]) -> list[float]:
        best = float(np.max(logits))
        out = []
        for logit, named in zip(logits, features, strict=True):
            values = {**named, "relevance": float(logit), "relevance_gap": float(logit) - best}
            missing = set(self.weights) - set(values)
            if missing:
                raise SelectorUnavailable(
                    f"the selector's combiner needs features {sorted(missing)} it was not given"
                )
            z = self.bias + sum(w * values[name] for name, w in self.weights.items())
            out.append(_sigmoid(z))
        return out


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x))))


def resolve_selector(spec: str) -> Path:
    """The selector's folder from a setting: a path, or the one committed with the project."""
    from qa.settings import BUNDLED_SELECTOR

    if spec == BUNDLED_SELECTOR:
        return BUNDLED_DIR
    return Path(spec)
