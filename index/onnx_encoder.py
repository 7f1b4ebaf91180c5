"""The same sentence-transformers model run by ONNX Runtime, for short texts in the server.

Measured on this 2-core machine (`scripts/embedding_backends.py --threads 1`, quiet): one
question embeds in 8.9 ms with ONNX Runtime against 16.0 ms with torch, with identical top-10
paragraphs on every dev question and a largest cosine distance of 1.2e-7 from torch's vectors.
Batch throughput is no better, so index builds keep torch. Because the vectors are the same, an
index built with torch is searched with ONNX query vectors; that is checked, not assumed: the
exported model must reproduce torch's vectors on probe texts or it is not used.

The export is made locally from the loaded model (nothing is downloaded) into the data folder's
models directory, once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.interfaces import Vectors

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

# Probe texts for the equivalence check: short, long (truncated), and non-English.
PROBES = (
    "Who signed the treaty?",
    "The council approved 4.2 million dollars for the repairs on Tuesday after a long debate. "
    * 40,
    "Le conseil a voté le budget; 議会は予算を可決した。",
)
# Largest cosine distance from torch's vectors accepted on the probes (measured: 1.2e-7).
MAX_COSINE_DISTANCE = 1e-4


class OnnxEncoder:
    """Tokenise, run the exported transformer, mean-pool and L2-normalise (MiniLM's pipeline)."""

    def __init__(self, session: Any, tokenizer: Any, max_length: int) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self._max_length = max_length
        self._inputs = {i.name for i in session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> Vectors:
        encoded = self._tokenizer(
            list(texts), padding=True, truncation=True, max_length=self._max_length,
            return_tensors="np",
        )  # fmt: skip
        feed = {k: v.astype(np.int64) for k, v in encoded.items() if k in self._inputs}
        hidden = np.asarray(self._session.run(None, feed)[0])
        mask = feed["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return np.ascontiguousarray(pooled, dtype=np.float32)


def prepare_onnx_encoder(
    model: SentenceTransformer, model_name: str, folder: Path, *, threads: int | None
) -> OnnxEncoder | None:
    """An ONNX encoder that reproduces `model`'s vectors, or None (with a warning) if it cannot
    be made: another pipeline than transformer + mean pooling + normalise, onnxruntime missing,
    a failed export, or vectors that differ."""
    if not _is_mean_pooled_and_normalised(model):
        log.info("%s is not mean-pooled and normalised: questions embed with torch", model_name)
        return None
    path = folder / f"{_slug(model_name)}.onnx"
    try:
        import onnxruntime as ort

        if not path.exists():
            _export(model, path)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or 0
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        encoder = OnnxEncoder(session, model.tokenizer, int(model.max_seq_length or 256))
        expected = model.encode(
            list(PROBES), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        distance = float(np.max(1.0 - np.sum(encoder.embed(PROBES) * expected, axis=1)))
    except Exception as exc:  # any failure here only costs speed: torch still works
        log.warning("questions embed with torch: the ONNX export could not be used (%s)", exc)
        path.unlink(missing_ok=True)  # a damaged export is made again at the next start
        return None
    if distance > MAX_COSINE_DISTANCE:
        log.warning(
            "questions embed with torch: ONNX vectors differ from torch's (cosine distance %.2g)",
            distance,
        )
        return None
    return encoder


def _is_mean_pooled_and_normalised(model: SentenceTransformer) -> bool:
    modules = [type(m).__name__ for m in model]
    if modules != ["Transformer", "Pooling", "Normalize"]:
        return False
    pooling: Any = model[1]
    config = pooling.get_config_dict()
    return config.get("pooling_mode") == "mean" or bool(config.get("pooling_mode_mean_tokens"))


def _slug(model_name: str) -> str:
    tail = Path(model_name).name or "model"
    return f"{tail}-{hashlib.sha256(model_name.encode()).hexdigest()[:12]}"


def _export(model: SentenceTransformer, path: Path) -> None:
    """Export the transformer (dynamic batch and length) next to a temporary name, then rename:
    a crash mid-export never leaves a half-written model to be loaded."""
    import torch

    first: Any = model[0]
    transformer = first.auto_model.eval()
    example = model.tokenizer(["an example sentence"], return_tensors="pt")
    names = list(example.keys())

    class Encoder(torch.nn.Module):  # positional inputs and one output: what the exporter traces
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, *inputs: Any) -> Any:
            named = dict(zip(names, inputs, strict=True))
            return self.transformer(**named, return_dict=True).last_hidden_state

    axes = {name: {0: "batch", 1: "tokens"} for name in names}
    axes["last_hidden_state"] = {0: "batch", 1: "tokens"}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    # the tracer's and the exporter's warnings (Python values fixed as constants, indexing
    # written as several ONNX operators) concern this one model, which the probe sentences
    # check after the export; they are not for the server's log
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Encoder(), tuple(example[name] for name in names), str(partial),
            input_names=names, output_names=["last_hidden_state"], dynamic_axes=axes,
            opset_version=17, dynamo=False,
        )  # fmt: skip
    os.replace(partial, path)
