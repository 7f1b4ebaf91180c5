"""What an index was built from and with; the server refuses an index that does not match."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field

from qa.errors import IndexCorrupt, IndexMismatch

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"


class Manifest(BaseModel):
    format_version: int = FORMAT_VERSION
    embedding_model: str
    dimension: int
    cleaner_version: str
    built_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    corpus_dir: str
    articles: dict[str, str] = Field(description="doc_id -> SHA-256 of the raw article file.")
    paragraph_count: int
    sentence_count: int

    def save(self, folder: Path) -> None:
        (folder / MANIFEST_NAME).write_text(self.model_dump_json(indent=2), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_NAME
        try:
            return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise IndexCorrupt(
                f"cannot read {path}: {exc}. Rebuild it: python scripts/rebuild_index.py"
            ) from exc

    def check_compatible(self, *, embedding_model: str, dimension: int) -> None:
        """Refuse an index whose vectors came from another model: they would be meaningless."""
        if self.format_version != FORMAT_VERSION:
            raise IndexMismatch(
                f"index format {self.format_version} is not {FORMAT_VERSION}; "
                "rebuild it: python scripts/rebuild_index.py"
            )
        if self.embedding_model != embedding_model or self.dimension != dimension:
            raise IndexMismatch(
                f"index was built with {self.embedding_model!r} ({self.dimension} dimensions) but "
                f"the service is configured for {embedding_model!r} ({dimension} dimensions); "
                "rebuild it: python scripts/rebuild_index.py"
            )
