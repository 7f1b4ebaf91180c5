"""What an index was built from and with; the server refuses an index that does not match."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field

from index.checksums import without_paths
from index.durable import replace_atomically
from qa.errors import IndexCorrupt, IndexMismatch

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
# warning lines of skipped files kept in a manifest: a folder of many broken files (each file's
# own already at most `index.skips.LISTED_SKIPS`) cannot grow it, nor GET /admin/index, unbounded
RECORDED_SKIPS = 200


class Duplicate(BaseModel):
    """A paragraph left out of search because it repeats an earlier one (a syndicated copy)."""

    paragraph_id: str
    duplicate_of: str = Field(description="The earlier paragraph it repeats, which is searched.")
    similarity: float = Field(description="Content-word overlap (Jaccard) of the two, 0..1.")


class Changes(BaseModel):
    """What this build changed relative to the version it started from."""

    base_version: str | None = Field(
        default=None, description="Version whose vectors were reused; None for a full build."
    )
    added: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    embedded_paragraphs: int = 0
    embedded_sentences: int = 0


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
    # Indexes built before checksums, duplicates and change records load with these empty.
    files: dict[str, str] = Field(
        default_factory=dict, description="SHA-256 of every other file of the version."
    )
    near_duplicate_threshold: float | None = None
    duplicates: list[Duplicate] = Field(default_factory=list)
    changes: Changes = Field(default_factory=Changes)
    skipped: int = Field(
        default=0, description="Files and archive records of the corpus folder the build skipped."
    )
    skips: list[str] = Field(
        default_factory=list,
        description="Why each was skipped, as the build warned (`recorded_skips`): kept so an "
        "operator can see them after the build, not only in its output.",
    )

    def save(self, folder: Path) -> None:
        """Written to a temporary name, flushed, then renamed: never seen half-written."""
        replace_atomically(
            folder / MANIFEST_NAME,
            self.model_dump_json(indent=2).encode("utf-8"),
            tmp=folder / f".{MANIFEST_NAME}.tmp",
        )

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_NAME
        try:
            return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise IndexCorrupt(
                f"cannot read {MANIFEST_NAME} of index version {folder.name}: "
                f"{without_paths(str(exc), folder)}. Rebuild it: python scripts/rebuild_index.py"
            ) from exc

    def check_format(self) -> None:
        """Refuse an index written in another format."""
        if self.format_version != FORMAT_VERSION:
            raise IndexMismatch(
                f"index format {self.format_version} is not {FORMAT_VERSION}; "
                "rebuild it: python scripts/rebuild_index.py"
            )

    def check_model_name(self, embedding_model: str) -> None:
        """Refuse an index built with another embedding model, known by name alone: what the
        server can say before it loads any model (api/main.py: start_problem)."""
        if self.embedding_model != embedding_model:
            raise IndexMismatch(
                f"the index was built with the embedding model {self.embedding_model!r}, but "
                f"the service is configured for {embedding_model!r} (setting "
                "index.embedding_model, QA_INDEX__EMBEDDING_MODEL): set it back, or rebuild the "
                "index with it: python scripts/rebuild_index.py"
            )

    def check_compatible(self, *, embedding_model: str, dimension: int) -> None:
        """Refuse an index whose vectors came from another model: they would be meaningless."""
        self.check_format()
        if self.embedding_model != embedding_model or self.dimension != dimension:
            raise IndexMismatch(
                f"index was built with {self.embedding_model!r} ({self.dimension} dimensions) but "
                f"the service is configured for {embedding_model!r} ({dimension} dimensions); "
                "rebuild it: python scripts/rebuild_index.py"
            )


def recorded_skips(warnings: Sequence[str]) -> list[str]:
    """The build's skip warnings as a manifest keeps them: the first `RECORDED_SKIPS`, and a
    last line counting the lines left out."""
    if len(warnings) <= RECORDED_SKIPS:
        return list(warnings)
    more = len(warnings) - RECORDED_SKIPS
    return [
        *warnings[:RECORDED_SKIPS],
        f"{more:,} more warning line(s) of skipped files are not kept here; "
        "python scripts/rebuild_index.py prints them all",
    ]
