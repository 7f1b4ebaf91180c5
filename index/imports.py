"""Adding the articles of an archive export in one build (`POST /documents/import`).

An export a user has (`.jsonl`, `.json`, `.csv`, `.tsv`, a feed or WordPress export as `.xml`,
`.rss` or `.atom`, a Word document, a LexisNexis text export as `.txt`, a Factiva export as
`.html` or `.htm`, or a Nexis Uni export saved as PDF or a LexisNexis or Factiva export saved
as RTF; docs/extraction.md) is read exactly as a build reads such a file in the corpus folder,
from a scratch folder first. Its records that give an article are written, one JSON object a
line, to one new archive in the corpus folder (`import-<hash>.jsonl`), holding only the
articles the index does not already hold; then one incremental build makes them current. So the
corpus folder stays the source of truth and `scripts/rebuild_index.py` reads the same articles
back.

- A record the build would skip (not valid JSON, no text …) is refused and named, as a build
  names it, and so is one whose date is no calendar date (a build indexes it undated, with a
  warning; the client can write it as one); the rest are imported.
- An article the current version already holds with the same content is `unchanged`: an
  import sent again (say its answer was lost) adds nothing and builds nothing.
- An article whose id the index (or another file of the folder) already gives with other
  content is refused, so no id is ever given by two files.

A table's dates in figures are read as the whole table says (31/12/2016 in one row tells how
03/04/2016 in another reads); a record is therefore stored with its date as read, in ISO
form, so the stored line reads the same without the rows around it.

The change is written down first (index/journal.py, `op="import"`) and settled after the
build, or by the next holder of the build lock if this process dies: the new archive is
either served with every article it holds or removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index import journal
from index.archive_records import archive_entries, archive_origin, ids_in_folder
from index.builder import BuildReport, Progress, build_lock, rebuild_locked
from index.corpus import files_giving, write_article_file
from index.exports import Entry
from index.file_kinds import IMPORT_SUFFIXES, is_archive
from index.formats import read_article_file
from index.html_exports import FACTIVA_UPLOAD_SUFFIXES, factiva_near_miss_of
from index.manifest import Manifest
from index.pdf_exports import PDF_SUFFIX
from index.pdf_pages import PdfLimits
from index.rtf_documents import RTF_SUFFIX
from index.skips import LISTED_SKIPS
from index.store import read_articles
from index.text_exports import TEXT_EXPORT_SUFFIX, near_miss_of
from index.versions import current_version
from qa.archives import record_of
from qa.articles import same_article
from qa.dates import NOT_A_CALENDAR_DATE
from qa.errors import BadInput
from qa.fields import ALIASES
from qa.interfaces import Embedder
from qa.models import Article
from qa.settings import IndexSettings
from qa.text_input import garbled_problem

IMPORT_PREFIX = "import-"
_DATE_NAMES = {"date", *(name.lower() for name in ALIASES["date"])}
_ORIGIN_NUMBER = re.compile(r" (?:line|row|item) (\d+)$")
_IMPORTED_PLACE = re.compile(rf"({re.escape(IMPORT_PREFIX)}[0-9a-f]{{16}}\.jsonl) line (\d+)")
_MORE_SKIPS = re.compile(r"skipped ([\d,]+) more part\(s\) of ")


@dataclass
class ImportReport:
    """What an import did: the articles added and those already indexed as sent (ids, in the
    export's order), the records refused (each "<file> line N: why", the first
    `LISTED_SKIPS` unreadable ones named and the rest counted in a last line; `not_imported`
    counts them all), the archive written (None when nothing was added) and the build (None
    when nothing was built). `indexed_otherwise`: the ids, among those refused, that the index
    holds with other content and that a delete through the API frees (an earlier version of
    the record, most likely: deleted, the export imported again gives this one)."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    indexed_otherwise: list[str] = field(default_factory=list)
    not_imported: int = 0
    stored_as: str | None = None
    build: BuildReport | None = None


def import_archive(
    index_dir: Path,
    name: str,
    data: bytes,
    *,
    embedder: Embedder,
    index_settings: IndexSettings,
    near_duplicate_threshold: float | None,
    progress: Progress | None = None,
    while_locked: Callable[[], AbstractContextManager[None]] = nullcontext,
) -> ImportReport:
    """Add the articles of the export `data` (named `name`, whose ending says its format) to
    the corpus folder of the current version and make an index holding them current.
    `while_locked` is entered once the build lock is taken, and left before it is released
    (the server tells a write sent meanwhile which import holds it: api/import_slot.py).

    `BadInput` when no record of it gives an article (each record's reason is in the
    message); otherwise the report says what was added, what was already there and what was
    refused."""
    # a PDF or an RTF document comes here when it is an export (`read_sent_document`); any
    # other is one article, stored as it is (index/documents.py)
    documents = (PDF_SUFFIX, RTF_SUFFIX)
    suffix = next((s for s in (*IMPORT_SUFFIXES, *documents) if name.lower().endswith(s)), None)
    if suffix is None:
        raise BadInput(
            f"name {name!r} does not end in an archive's format ({', '.join(IMPORT_SUFFIXES)})"
        )
    max_bytes = index_settings.max_document_bytes
    limits = PdfLimits.of(index_settings)  # the build's: the same files are exports here
    with build_lock(index_dir, timeout_s=index_settings.build_lock_timeout_s), while_locked():
        version = current_version(index_dir)
        manifest = Manifest.load(version)
        folder = Path(os.path.abspath(manifest.corpus_dir))
        report = ImportReport()
        articles, lines, origins, undated, unlisted = _read_export(
            name, suffix, data, max_bytes=max_bytes, pdf_limits=limits, refused=report.refused
        )
        # the indexed articles of ids the export gives with another record's hash: the same
        # article all the same (from an archive put into the folder by hand, whose line is
        # written otherwise) is no new content
        served = _served_articles(
            version,
            {
                a.doc_id
                for a in articles
                if manifest.articles.get(a.doc_id) not in (None, a.content_hash)
            },
        )
        kept: dict[str, str] = {}  # id → content hash, of the articles to add
        stored: list[str] = []
        in_folder: dict[str, str] | None = None  # read once, when an id needs it
        for article, line, where, unread in zip(articles, lines, origins, undated, strict=True):
            indexed = manifest.articles.get(article.doc_id)
            if indexed == article.content_hash or _same_article(
                served.get(article.doc_id), article
            ):
                report.unchanged.append(article.doc_id)
                continue
            if unread is not None:  # stored undated, its date would be lost without a word
                report.refused.append(f"{where} (id {article.doc_id}): {unread}")
                continue
            # as POST /documents refuses such a text: a client that decoded the export wrongly
            garbled = _garbled(line, article)
            if garbled is not None:
                report.refused.append(f"{where} (id {article.doc_id}): its text {garbled}")
                continue
            if in_folder is None:
                in_folder = ids_in_folder(folder, max_bytes=max_bytes, pdf_limits=limits)
            problem = (
                _indexed_otherwise(article.doc_id, in_folder.get(article.doc_id))
                if indexed is not None
                else _given_elsewhere(article.doc_id, in_folder)
            )
            if problem is not None:
                report.refused.append(f"{where} (id {article.doc_id}): {problem}")
                if indexed is not None and _deletable(in_folder.get(article.doc_id)):
                    report.indexed_otherwise.append(article.doc_id)
                continue
            kept[article.doc_id] = article.content_hash
            stored.append(line)
            report.added.append(article.doc_id)
        report.refused.sort(key=_record_number)  # in the export's order
        refusals = len(report.refused) + unlisted
        report.not_imported = refusals
        if unlisted:
            report.refused.append(
                f"and {unlisted:,} more record(s) of {name} not imported, for reasons like "
                f"those above (only the first {LISTED_SKIPS} are named)"
            )
        if not kept:
            if not report.unchanged:
                raise BadInput(
                    f"no article of {name} could be imported: "
                    + "; ".join(report.refused[:5])
                    + (f"; and {refusals - 5:,} more" if refusals > 5 else ""),
                    # as the answer of an import that added some names them (ImportedArchive)
                    extensions={"indexed_otherwise": report.indexed_otherwise}
                    if report.indexed_otherwise
                    else None,
                )
            return report
        raw = ("\n".join(stored) + "\n").encode("utf-8")
        stem = f"{IMPORT_PREFIX}{hashlib.sha256(raw).hexdigest()[:16]}"
        target = folder / f"{stem}.jsonl"
        if target.exists():  # the same articles, written before and not indexed as they are
            raise BadInput(
                f"the corpus folder already holds {target.name}, which the index does not serve "
                "as it is; remove it or rebuild the index, then import again"
            )
        report.stored_as = target.name
        change = journal.PendingChange(
            op="import", doc_id=stem, content_hash=hashlib.sha256(raw).hexdigest(),
            corpus_dir=str(folder), suffix=".jsonl", articles=kept, archive=target.name,
        )  # fmt: skip
        journal.begin(index_dir, change)
        try:
            write_article_file(folder, stem, raw, suffix=".jsonl")
            report.build = rebuild_locked(
                folder,
                index_dir,
                embedder=embedder,
                progress=progress,
                dense_settings=index_settings,
                near_duplicate_threshold=near_duplicate_threshold,
                require=kept,  # else nothing is made current, and the file goes
            )
        finally:
            journal.settle(index_dir)
        return report


def _read_export(
    name: str,
    suffix: str,
    data: bytes,
    *,
    max_bytes: int,
    pdf_limits: PdfLimits,
    refused: list[str],
) -> tuple[list[Article], list[str], list[str], list[str | None], int]:
    """The articles of the export as a build reads them, for each the JSON line that gives it
    again in an archive of its own, where in the export it is ("export.csv row 3") and why a
    date it writes was not read (`_unread_date`); a record that gives no article is added to
    `refused` (past the first `LISTED_SKIPS`, only counted: the last value returned)."""
    scratch = Path(tempfile.mkdtemp(prefix="qa-import-"))
    try:
        upload = scratch / _safe_name(name, suffix)
        upload.write_bytes(data)
        export = is_archive(upload, max_bytes=max_bytes, pdf_limits=pdf_limits)
        if suffix == TEXT_EXPORT_SUFFIX and not export:
            raise BadInput(_no_text_export(name, data))
        if suffix in FACTIVA_UPLOAD_SUFFIXES and not export:
            raise BadInput(_no_factiva_export(name, data))
        if suffix == PDF_SUFFIX and not export:
            raise BadInput(f"{name} is not a Nexis Uni export, so it is one article: nothing added")
        if suffix == RTF_SUFFIX and not export:
            raise BadInput(
                f"{name} is not a LexisNexis or Factiva export, so one article: nothing added"
            )
        read = read_article_file(upload, max_bytes=max_bytes, pdf_limits=pdf_limits)
        read.warnings.close()
        unlisted = 0
        for warning in read.warnings:
            more = _MORE_SKIPS.match(warning)
            if more is not None:  # said again after the refusals, as an import's
                unlisted += int(more.group(1).replace(",", ""))
            else:
                refused.append(warning.removeprefix("skipped "))
        if not read.articles and not refused:
            refused.append(f"{upload.name}: it holds no record (it is empty, or blank lines only)")
        # (a file with no record read is not read again: its problem is in `refused` already)
        entries = (
            {
                entry.number: entry
                for entry in archive_entries(upload, max_bytes=max_bytes, pdf_limits=pdf_limits)
            }
            if read.articles
            else {}
        )
        pairs = [
            (entries[_number(origin)], article)
            for origin, article in zip(read.origins, read.articles, strict=True)
        ]
        lines = [_line(entry, article) for entry, article in pairs]
        undated = [_unread_date(entry, article) for entry, article in pairs]
        # read the lines back as the build will: the same ids, and the hashes it will index
        again = scratch / "normalised.jsonl"
        again.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        stored = read_article_file(again, max_bytes=max_bytes)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if [a.doc_id for a in stored.articles] != [a.doc_id for a in read.articles]:
        raise BadInput(f"{name} could not be read back the same way once stored; nothing changed")
    return stored.articles, lines, read.origins, undated, unlisted


def _no_text_export(name: str, data: bytes) -> str:
    """Why a `.txt` sent to import is refused: it is no LexisNexis export, so one article."""
    why = near_miss_of(data)
    return (
        f"{name} is not a LexisNexis text export ("
        + (why or "it has no lines '1 of N DOCUMENTS', '2 of N DOCUMENTS' … opening its items")
        + "), so it is one article: add it with POST /documents, its text as `text`"
    )


def _no_factiva_export(name: str, data: bytes) -> str:
    """Why a page sent to import is refused: it is no Factiva export, so one article."""
    why = factiva_near_miss_of(data)
    return (
        f"{name} is not a Factiva export ("
        + (
            why
            or "it has no article divs of class 'article xxArticle' closed by 'Document' and "
            "an accession number"
        )
        + "), so it is one page: add it with POST /documents, the page as `html`"
    )


def _number(origin: str) -> int:
    match = _ORIGIN_NUMBER.search(origin)
    if match is None:  # every archive article's origin names its record
        raise ValueError(f"no record number in {origin!r}")
    return int(match.group(1))


def _record_number(refusal: str) -> int:
    match = re.search(r" (?:line|row|item) (\d+)\b", refusal)
    return int(match.group(1)) if match else 0


def _garbled(line: str, article: Article) -> str | None:
    """Why a record's words look wrongly decoded (`garbled_problem`), or None: its fields as
    written (the cleaner would drop a garbled paragraph without a word), and for a page the
    article read out of it (its markup is not read)."""
    fields = json.loads(line)
    written = "\n".join(
        value for key, value in fields.items() if isinstance(value, str) and key.lower() != "html"
    )
    return garbled_problem(written) or (
        garbled_problem(f"{article.title}\n{article.text}")
        if any(key.lower() == "html" for key in fields)
        else None
    )


# written as a date is, in figures ("45/45/2024", "2024-13-01"); a flag or a word under a
# date's other name ("published": true, "yes", "1") is not one
_DATE_SHAPED = re.compile(r"\d{1,4}\s*([/.-])\s*\d{1,2}\s*\1\s*\d{1,4}\b")


def _unread_date(entry: Entry, article: Article) -> str | None:
    """Why a record read as undated is refused, or None: its `date` is no calendar date (a
    build indexes such a record undated, with a warning in the log; an import can say so to
    the client, who can write the date as one), or it writes a date in figures under one of
    the date's other names ("published": "45/45/2024") that is no calendar date (such a value
    is passed over, so that a field of that name meant otherwise, "published": true, lets a
    line load). Either way the article would be stored without its date and without a word
    to the client. (An archive put in the corpus folder by hand is read as a build reads it:
    its articles are not refused.)"""
    if article.date is not None:
        return None
    written = record_of(entry.fields).date_problem
    if written is not None:  # a build indexes it undated, with a warning; an import asks
        return written
    for key, value in entry.fields.items():
        named = isinstance(key, str) and key.lower() in _DATE_NAMES and key.lower() != "date"
        if named and isinstance(value, str) and _DATE_SHAPED.search(value):
            return (
                f"`{key}` {value.strip()!r}, read as the article's date, {NOT_A_CALENDAR_DATE}; "
                "write it as year-month-day, e.g. 2024-10-21, or leave it out"
            )
    return None


def _line(entry: Entry, article: Article) -> str:
    """The record as one JSON line, its date as read (a table's "03/04/2016" is only
    unambiguous beside its other rows)."""
    fields: dict[str, Any] = {
        key: value
        for key, value in entry.fields.items()
        if not (isinstance(key, str) and key.lower() in _DATE_NAMES)
    }
    if article.date:
        fields["date"] = article.date
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def _served_articles(version: Path, ids: set[str]) -> dict[str, Article]:
    """The articles `ids` as the version `version` holds them (none read when `ids` is empty)."""
    if not ids:
        return {}
    return {a.doc_id: a for a in read_articles(version) if a.doc_id in ids}


def _same_article(indexed: Article | None, article: Article) -> bool:
    """Whether the index holds `article` as read from the export, whatever record gave it."""
    return indexed is not None and same_article(indexed, article)


def _deletable(place: str | None) -> bool:
    """Whether the article an id gives from `place` in the corpus folder (its file, or an
    archive's line) goes with a delete through the API: not one of an archive put into the
    folder by hand, which the API does not delete."""
    return not (
        place is not None and _ORIGIN_NUMBER.search(place) and not _IMPORTED_PLACE.fullmatch(place)
    )


def _indexed_otherwise(doc_id: str, place: str | None) -> str:
    """Why an id the index holds with other content is refused, and what lets the record in:
    a delete through the API, or, for an article from an archive put into the folder by hand
    (which the API does not delete), an edit of that archive."""
    if not _deletable(place):
        return (
            f"an article with this id is already indexed with other content, from the corpus "
            f"folder's {place} (change it there and rebuild the index to replace it; or leave "
            "this record out)"
        )
    return (
        "an article with this id is already indexed with other content (to replace it, delete "
        f"it with DELETE /documents/{doc_id} and import again; or leave this record out)"
    )


def _given_elsewhere(doc_id: str, in_folder: dict[str, str]) -> str | None:
    """Why an id the index lacks cannot be added: a file or archive record of the folder gives
    it already (one the build skipped as a duplicate or as unreadable)."""
    place = in_folder.get(doc_id)
    if not place:
        return None
    return (
        f"the corpus folder's {place} gives this id already, though the index does not serve "
        "it (added since the last build, or skipped by it): rebuild the index or remove it, "
        "then import again; or leave this record out"
    )


_MAX_NAME_BYTES = 200  # a file name's limit is 255 bytes on most file systems


def _safe_name(name: str, suffix: str) -> str:
    """`name` as a file name in the scratch folder: its last part, other characters dropped,
    ending in `suffix` after at least one character (".jsonl" alone is no archive's name, and
    would be read as a text file), and short enough in bytes for any file system."""
    base = re.sub(r"[^\w.\- ]+", "_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    ending = base[-len(suffix) :] if base.lower().endswith(suffix) else suffix  # as written
    stem = base[: -len(suffix)].rstrip(" .") if base.lower().endswith(suffix) else ""
    while len(stem.encode("utf-8")) > _MAX_NAME_BYTES:
        stem = stem[:-1]
    return f"{stem or 'export'}{ending}"


def imported_line(
    folder: Path, doc_id: str, *, index_settings: IndexSettings
) -> tuple[Path, int] | None:
    """The import archive (one this module wrote) and the line of it that alone gives
    `doc_id` in the folder; None when the article comes from anywhere else too, or from
    elsewhere only. Such an article is deleted by taking its line out (`without_line`). The
    folder's files are told apart as the build with `index_settings` tells them."""
    max_bytes, limits = index_settings.max_document_bytes, PdfLimits.of(index_settings)
    if files_giving(folder, doc_id, max_bytes=max_bytes, pdf_limits=limits):
        return None
    origin = archive_origin(folder, doc_id, max_bytes=max_bytes, pdf_limits=limits)
    if origin is None or len(origin.places) != 1:
        return None
    match = _IMPORTED_PLACE.fullmatch(origin.places[0])
    return (folder / match.group(1), int(match.group(2))) if match else None


def without_line(raw: bytes, number: int) -> bytes:
    """An import archive's bytes without line `number` (counted from 1)."""
    lines = raw.split(b"\n")
    kept = lines[: number - 1] + lines[number:]
    return b"\n".join(kept) if any(line.strip() for line in kept) else b""
