"""Which encoder embeds what (index/embedder.py): ONNX Runtime a question or a few texts, torch
a build's many texts in batches. In one ONNX run, the 3,762 sentences of an import through the
document API were padded to the longest and held at once (8 GB in the server)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from index.embedder import SentenceTransformerEmbedder
from qa.interfaces import Vectors

pytestmark = pytest.mark.unit


class OnnxRecorder:
    def __init__(self) -> None:
        self.runs: list[int] = []

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.runs.append(len(texts))
        return np.ones((len(texts), 2), dtype=np.float32)


class TorchRecorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def encode(self, texts: list[str], *, batch_size: int, **_: Any) -> Vectors:
        self.calls.append((len(texts), batch_size))
        return np.zeros((len(texts), 2), dtype=np.float32)


def embedder() -> tuple[SentenceTransformerEmbedder, OnnxRecorder, TorchRecorder]:
    made = SentenceTransformerEmbedder("unused", batch_size=32)
    onnx, torch = OnnxRecorder(), TorchRecorder()
    made._onnx, made._model = onnx, torch  # type: ignore[assignment]  # stand-ins, no model
    return made, onnx, torch


def test_a_question_is_embedded_by_onnx_runtime() -> None:
    made, onnx, torch = embedder()
    assert made.embed(["Who signed the treaty?"]).shape == (1, 2)
    assert onnx.runs == [1] and torch.calls == []


def test_a_builds_many_texts_go_to_torch_in_batches_never_one_onnx_run() -> None:
    made, onnx, torch = embedder()
    assert made.embed([f"sentence {n}" for n in range(3762)]).shape == (3762, 2)
    assert onnx.runs == [] and torch.calls == [(3762, 32)]
