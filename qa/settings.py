"""The single source of configuration: one typed tree, read from `QA_*` environment variables.

Nested groups use `__`: `QA_GENERATION__GGUF_PATH=/models/x.gguf`, `QA_RETRIEVAL__TOP_K=8`.
Unknown keys are an error (`extra="forbid"`), so a misspelt setting never silently falls back.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "QA_"
BUNDLED_EMBEDDER = "bundled:all-MiniLM-L6-v2"
BUNDLED_GEMMA = "bundled:gemma-3-270m"
BUNDLED_SMOLLM2 = "bundled:smollm2-135m-instruct"


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ServerSettings(_Group):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    max_question_chars: int = Field(default=500, ge=10, description="Longer questions get a 422.")
    max_history_turns: int = Field(
        default=10, ge=0, description="Earlier turns a follow-up may send; more get a 422."
    )


class IndexSettings(_Group):
    corpus_dir: Path = Field(default=Path("seeds"), description="Folder of .txt articles.")
    embedding_model: str = Field(
        default=BUNDLED_EMBEDDER,
        description="sentence-transformers model path, or the bundled MiniLM.",
    )
    embed_batch_size: int = Field(default=32, ge=1)


class RetrievalSettings(_Group):
    dense_k: int = Field(default=20, ge=1, description="Paragraphs taken from the FAISS search.")
    lexical_k: int = Field(default=20, ge=1, description="Paragraphs taken from the BM25 search.")
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal rank fusion constant.")
    top_k: int = Field(default=8, ge=1, description="Fused paragraphs considered for an answer.")
    near_duplicate_threshold: float = Field(
        default=0.9, ge=0.0, le=1.0, description="Token overlap above which paragraphs collapse."
    )


class GenerationSettings(_Group):
    backend: Literal["llama_cpp", "none"] = Field(
        default="llama_cpp",
        description="`none` answers extractively without a language model.",
    )
    gguf_path: str = Field(
        default=BUNDLED_GEMMA,
        description="A .gguf path, or bundled:gemma-3-270m / bundled:smollm2-135m-instruct.",
    )
    prompt_format: Literal["completion", "chat"] = Field(
        default="completion",
        description="`completion` for base models; `chat` uses the GGUF's own chat template.",
    )
    n_ctx: int = Field(default=2048, ge=256)
    n_threads: int = Field(default=2, ge=1)
    max_tokens: int = Field(default=32, ge=1, le=1024)
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    top_p: float = Field(default=1.0, gt=0.0, le=1.0)
    seed: int = 0


class AnswerSettings(_Group):
    candidate_sentences: int = Field(
        default=3, ge=1, description="Best-scoring sentences the reader looks at."
    )
    context_token_budget: int = Field(
        default=400, ge=50, description="Upper bound on passage tokens shown to the model."
    )
    max_answer_words: int = Field(default=40, ge=5)
    min_support: float = Field(
        default=0.75, ge=0.0, le=1.0, description="Support a citation needs to count as verified."
    )
    min_answer_score: float = Field(
        default=0.58,
        ge=0.0,
        le=1.0,
        description="Below this evidence score the service abstains (see docs/grounding.md).",
    )


class Settings(BaseSettings):
    """Everything the service can be told. Built once and handed to the components."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    data_dir: Path = Field(
        default=Path("data"), description="Built index and assembled model files (git-ignored)."
    )
    server: ServerSettings = ServerSettings()
    index: IndexSettings = IndexSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    generation: GenerationSettings = GenerationSettings()
    answer: AnswerSettings = AnswerSettings()

    @model_validator(mode="after")
    def _no_unknown_environment(self) -> Settings:
        """pydantic-settings ignores QA_* variables it has no field for; a typo must not pass."""
        for name in os.environ:
            if not name.upper().startswith(ENV_PREFIX):
                continue
            path = name[len(ENV_PREFIX) :].lower().split("__")
            model: type[BaseModel] = type(self)
            for part in path:
                field = model.model_fields.get(part)
                if field is None:
                    raise ValueError(
                        f"unknown setting {name}; known ones: "
                        + ", ".join(f"{ENV_PREFIX}{f.upper()}" for f in model.model_fields)
                    )
                annotation = field.annotation
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    model = annotation
        return self

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"
