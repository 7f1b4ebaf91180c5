#!/usr/bin/env python
"""Rebuild the index from a folder of articles (default: QA_INDEX__CORPUS_DIR when set, else
the folder the current index was built from; with no index yet, seeds/).

    python scripts/rebuild_index.py [FOLDER] [--data-dir DIR] [--full] [--wait SECONDS]

The folder may hold text files (.txt; Markdown as .md or .markdown), saved web pages (.html,
.htm, .html.gz; a browser's single-file .mhtml or .mht, Safari's .webarchive), articles saved as
PDF (.pdf) or as RTF (.rtf; a LexisNexis export saved as RTF, Nexis Uni's or a classic one, or
a Factiva one, is one article an item) and archives of many articles: .jsonl, one article a
line; .json, a JSON array of articles; .csv and .tsv, one article a row under a header row; .xml,
.rss and .atom, a news feed or a WordPress export, one article an item; .docx, a Nexis Uni
export (or one article); a classic LexisNexis text export saved as .txt (items opened by "N of
M DOCUMENTS" lines); and a Factiva export saved as .html (articles closed by "Document" and
their accession number).
A file or archive record that cannot be used (binary, empty, no article in it, larger than
index.max_document_bytes, a bad line or row, a file of another kind such as a .zip, or an .xml
that is no feed) is skipped with a warning naming it; the build goes on, and the summary says
how many were skipped.

Incremental by default: only new or changed articles are cleaned and embedded, deleted ones are
dropped, and the vectors of everything else are reused from the current index; --full rebuilds
everything. The new index is written beside the current one and becomes current only when
complete; if anything fails, the previous index stays in place.

exit status:
  0  the index was built and is current, or it was already up to date
  1  the build failed; the previous index is still current
  2  bad command line
  3  another rebuild of the same index was running (waited --wait seconds); nothing was done
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tqdm import tqdm  # noqa: E402
from tqdm.contrib.logging import logging_redirect_tqdm  # noqa: E402

from index.builder import BuildReport, rebuild_configured  # noqa: E402
from index.embedder import SentenceTransformerEmbedder, embedding_model_problem  # noqa: E402
from index.file_kinds import SUFFIXES  # noqa: E402
from index.versions import built_from, complete_versions  # noqa: E402
from qa.errors import Conflict, EmptyCorpus  # noqa: E402
from qa.settings import Settings  # noqa: E402
from scripts.cli import run_cli  # noqa: E402

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3


class FolderGone(Exception):
    """The folder the index was built from is no longer there, or no version can tell it."""


def default_folder(settings: Settings) -> Path:
    """The folder to index when none is given: `QA_INDEX__CORPUS_DIR` when it is set, else the
    folder the current index was built from (a rebuild after `rebuild_index.py ~/articles`
    keeps indexing ~/articles, where the documents API also writes), else the configured
    default (seeds/) when there is no index yet. A current version whose manifest cannot be
    read (or a `current` link to a removed version) gives way to the last good version, the
    one the server serves then. If that folder is gone, or no version tells it, `FolderGone`:
    indexing seeds/ instead would drop every article of the index without a word."""
    if "corpus_dir" in settings.index.model_fields_set:
        return settings.index.corpus_dir
    index_dir = settings.index_dir
    link = index_dir / "current"
    if not link.is_symlink() and not complete_versions(index_dir):  # no index yet
        return settings.index.corpus_dir
    found = built_from(index_dir)
    if found is None:
        raise FolderGone(
            f"no index version in {index_dir} says which folder it was built from (their "
            "manifests cannot be read): give the folder to index (rebuild_index.py FOLDER) or "
            "set QA_INDEX__CORPUS_DIR"
        )
    built, version = found
    if not link.exists() or link.resolve() != version:
        logging.warning(
            "the current index version cannot be read; indexing %s, the folder of the last "
            "good version %s",
            built,
            version.name,
        )
    if not built.is_dir():
        raise FolderGone(
            f"the current index was built from {built}, which is not a folder any more: "
            "give the folder to index (rebuild_index.py FOLDER) or set QA_INDEX__CORPUS_DIR"
        )
    return built


UNITS = {"articles": "article", "paragraphs": "paragraph", "sentences": "sentence"}
LABELS = {"articles": "reading files", "paragraphs": "embedding paragraphs",
          "sentences": "embedding sentences"}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        help=f"folder of {', '.join(SUFFIXES)} files",
    )
    parser.add_argument("--data-dir", type=Path, help="where the index goes (default QA_DATA_DIR)")
    parser.add_argument("--full", action="store_true", help="clean and embed every article again")
    parser.add_argument(
        "--wait",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="how long to wait for another rebuild of the same index to finish (default 600)",
    )
    args = parser.parse_args()
    if args.wait < 0:
        parser.error("--wait must be 0 or more seconds")
    if args.folder is not None and args.folder.is_file():
        parser.error(f"{args.folder} is a file: give the folder that holds the articles")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")

    settings = Settings() if args.data_dir is None else Settings(data_dir=args.data_dir)
    try:
        folder = args.folder or default_folder(settings)
    except FolderGone as exc:
        parser.error(str(exc))
    if (problem := embedding_model_problem(settings.index.embedding_model)) is not None:
        print(f"rebuild_index.py: {problem}", file=sys.stderr)
        return 1
    embedder = SentenceTransformerEmbedder(
        settings.index.embedding_model, batch_size=settings.index.embed_batch_size
    )
    bars: dict[str, tqdm] = {}

    def progress(label: str, done: int, total: int) -> None:
        bar = bars.get(label) or bars.setdefault(
            label, tqdm(total=total, desc=LABELS[label], unit=UNITS[label], file=sys.stderr)
        )
        bar.update(done - bar.n)

    print(f"Indexing {folder} into {settings.index_dir} …", file=sys.stderr)
    try:
        try:
            with logging_redirect_tqdm():  # a warning on a line of its own, not after a bar
                report = rebuild_configured(
                    folder,
                    settings,
                    embedder=embedder,
                    progress=progress,
                    full=args.full,
                    lock_timeout_s=args.wait,
                )
        finally:  # the bars' last lines first: what went wrong is the last line printed
            for bar in bars.values():
                bar.close()
    except Conflict as exc:
        if isinstance(exc, EmptyCorpus):  # a failed build, not another one running
            print(f"rebuild failed: {exc}; the previous index is still current", file=sys.stderr)
            return EXIT_FAILED
        print(f"rebuild not started: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except Exception as exc:  # the previous index is untouched; say why and fail
        print(f"rebuild failed: {exc}; the previous index is still current", file=sys.stderr)
        return EXIT_FAILED
    # each skipped file or line was already reported as a warning by the corpus reader
    print(summary(report))
    return EXIT_OK


def summary(report: BuildReport) -> str:
    skipped = f"\n  skipped {report.skipped} file(s) or archive record(s)" + (
        ": see the warnings above" if report.skipped else ""
    )
    if report.up_to_date:
        return (
            f"Index is up to date: {report.articles} articles, {report.paragraphs} paragraphs "
            f"unchanged ({report.seconds:.1f} s) → {report.version}" + skipped
        )
    kind = "full build" if report.full else "incremental"
    changes = (
        f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed"
    )
    return (
        f"Indexed {report.articles} articles, {report.paragraphs} paragraphs, "
        f"{report.sentences} sentences in {report.seconds:.1f} s → {report.version}\n"
        f"  {kind}: {changes}; embedded {report.embedded_paragraphs} paragraphs and "
        f"{report.embedded_sentences} sentences; {report.duplicates} near-duplicate "
        "paragraphs left out"
        + (
            f"\n  no article file changed; a new version because {report.rewritten}"
            if report.rewritten
            else ""
        )
        + "".join(
            f"\n  {what}: {', '.join(ids)}"
            for what, ids in (
                ("added", report.added if not report.full else []),
                ("changed", report.changed),
                ("removed", report.removed),
            )
            if ids
        )
        + skipped
    )


if __name__ == "__main__":
    run_cli(main)
