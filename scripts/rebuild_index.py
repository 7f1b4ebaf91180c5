#!/usr/bin/env python
"""Rebuild the index from a folder of .txt articles (default: the configured corpus, seeds/).

    python scripts/rebuild_index.py [FOLDER] [--data-dir DIR]

The new index is written beside the current one and becomes current only when complete;
if anything fails, the previous index stays in place and the exit code is 1.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tqdm import tqdm  # noqa: E402

from index.builder import rebuild_index  # noqa: E402
from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from qa.settings import Settings  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help="folder of .txt articles")
    parser.add_argument("--data-dir", type=Path, help="where the index goes (default QA_DATA_DIR)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")

    settings = Settings() if args.data_dir is None else Settings(data_dir=args.data_dir)
    folder = args.folder or settings.index.corpus_dir
    embedder = SentenceTransformerEmbedder(
        settings.index.embedding_model, batch_size=settings.index.embed_batch_size
    )
    bars: dict[str, tqdm] = {}

    def progress(label: str, done: int, total: int) -> None:
        bar = bars.get(label) or bars.setdefault(
            label, tqdm(total=total, desc=f"embedding {label}", unit=label[:-1], file=sys.stderr)
        )
        bar.update(done - bar.n)

    print(f"Indexing {folder} into {settings.index_dir} …", file=sys.stderr)
    try:
        report = rebuild_index(folder, settings.index_dir, embedder=embedder, progress=progress)
    except Exception as exc:  # the previous index is untouched; say why and fail
        print(f"rebuild failed: {exc}; the previous index is still current", file=sys.stderr)
        return 1
    finally:
        for bar in bars.values():
            bar.close()
    # skipped files were already reported as warnings by the corpus reader (logging)
    print(
        f"Indexed {report.articles} articles, {report.paragraphs} paragraphs, "
        f"{report.sentences} sentences in {report.seconds:.1f} s → {report.version}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
