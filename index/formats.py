"""Reading one article file of any accepted kind into articles, or into clear reasons to skip it.

    .txt                   one article: text (UTF-8, else decoded as qa/decoding.decode_text
                           says), cleaned by qa/cleaning.py; or, told by its content, a classic
                           LexisNexis export, one article an item (index/text_exports.py)
    .md .markdown          one article in Markdown, read as such (qa/markdown_text.py: the
                           first `# heading` is the title, front matter its metadata), then
                           cleaned as a .txt file
    .html .htm .html.gz    one saved web page, extracted by qa/extraction.py; or, told by its
                           content, a Factiva export, one article an item (index/html_exports.py)
    .mhtml .mht            one web page saved as a single file (a browser's "Webpage, Single
                           File"): its HTML part (qa/saved_pages.py), extracted as a .html file is
    .webarchive            one web page saved by Safari ("Web Archive"): its main resource
                           (qa/saved_pages.py), extracted as a .html file is
    .jsonl                 an archive: one article a line (qa/archives.py)
    .csv .tsv              an archive as a table: one article a row, under a header row
    .json                  an archive as a JSON array of articles (or an object holding one)
    .xml .rss .atom        a news feed (RSS, Atom) or a WordPress export: one article an item
                           (index/feed_exports.py)
    .docx                  a Word document: a Nexis Uni export, one article an item, or one
                           article (index/docx_exports.py)
    .pdf                   one article saved as PDF (a browser's Save as PDF of a news page):
                           its text boxes (index/pdf_pages.py), running headers and footers
                           dropped (qa/pdf_text.py), then cleaned as a .txt file; or, told by
                           its content, a Nexis Uni export, one article an item
                           (index/pdf_exports.py), its pages read once for both
    .rtf                   one article in Rich Text Format: its paragraphs (qa/rtf_text.py),
                           cleaned as a .txt file; or, told by its content, a LexisNexis
                           export saved as RTF (Nexis Uni's or the classic "N of M
                           DOCUMENTS") or a Factiva one (article format), one article an item
                           (index/rtf_documents.py)

A file's (or an archive line's, or a row's named cells') SHA-256 is the article's
`content_hash`; an article in `known` (the current index) with the same id and hash is reused
as it is, without cleaning or extracting it again. Every file, line, row or item that cannot be
used becomes a warning `skipped <file>[ line N| row N| item N]: <why>` instead of failing the
build. Nothing is read past `max_bytes` (a gzipped page is decompressed at most that far), so a
huge or malicious file cannot exhaust memory.

The suffixes and the id a file's name gives are index/file_kinds.py's; an archive's records
and the ids they give, index/archive_records.py's; the warnings of skipped files,
index/skips.py's.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.archive_records import last_records, read_entries, record_unit
from index.exports import Entry, nexis_entries, read_limited
from index.file_kinds import (
    ARCHIVE_SUFFIXES,
    DOCUMENT_READERS,
    MARKDOWN_SUFFIXES,
    MHTML_SUFFIXES,
    PAGE_SUFFIXES,
    WEBARCHIVE_SUFFIX,
    doc_id_of,
    suffix_of,
)
from index.html_exports import FACTIVA_SUFFIXES, factiva_near_miss_of, factiva_page
from index.pdf_exports import PDF_SUFFIX, read_pdf_file
from index.pdf_pages import LIMITS, PdfLimits, article_of_pdf
from index.rtf_documents import RTF_SUFFIX, article_of_rtf, read_rtf
from index.skips import LISTED_SKIPS, FileArticles
from index.text_exports import TEXT_EXPORT_SUFFIX, export_text, near_miss_of
from qa.archives import article_from_record, record_doc_id, record_of
from qa.articles import article_from_page, content_hash, make_article
from qa.datelines import unread_dateline
from qa.decoding import decode_html, decode_text
from qa.errors import BadInput
from qa.extraction import DEFAULT_OPTIONS, ExtractionOptions
from qa.models import Article
from qa.saved_pages import SavedPage, page_of_mhtml, page_of_webarchive
from qa.text_input import binary_problem, c1_note, garbled_problem

log = logging.getLogger(__name__)

# a page saved as one file, by suffix: what takes the page out of it
_SAVED_PAGES: dict[str, Callable[[bytes], SavedPage]] = {
    **dict.fromkeys(MHTML_SUFFIXES, page_of_mhtml),
    WEBARCHIVE_SUFFIX: page_of_webarchive,
}


def read_article_file(
    path: Path,
    *,
    max_bytes: int,
    known: Mapping[str, Article] | None = None,
    extraction: ExtractionOptions = DEFAULT_OPTIONS,
    pdf_limits: PdfLimits = LIMITS,
) -> FileArticles:
    """The articles in `path`. This is the ingestion every index build runs (and the
    extraction benchmark measures). `pdf_limits`: what reading a PDF may take (settings
    `index.pdf_*`)."""
    result = FileArticles()
    suffix = suffix_of(path)
    try:
        if not path.is_file():
            raise BadInput("not a regular file")
        if suffix in ARCHIVE_SUFFIXES:
            _read_archive(path, result, max_bytes=max_bytes, known=known, extraction=extraction)
            return result
        data = read_limited(path, max_bytes=max_bytes, gzipped=suffix == ".html.gz")
        if (suffix == TEXT_EXPORT_SUFFIX and export_text(data) is not None) or (
            suffix in FACTIVA_SUFFIXES and factiva_page(data) is not None
        ):
            # its records read once for both of _read_archive's passes: such an export is
            # parsed whole (it was in memory already), not streamed as a .jsonl is
            entries = list(read_entries(path, max_bytes=max_bytes, say_guess=True))
            _read_archive(
                path, result, max_bytes=max_bytes, known=known, extraction=extraction,
                entries=entries,
            )  # fmt: skip
            return result
        doc_id = doc_id_of(path)
        previous = (known or {}).get(doc_id)
        if previous is not None and previous.content_hash == content_hash(data):
            article = previous
        elif suffix in PAGE_SUFFIXES:
            article = article_from_page(doc_id, data, options=extraction)
            _say_factiva_near_miss(path.name, data)
            if _UTF8_C1.search(data):  # decoded again only then, to say what was repaired
                _say_c1_repaired(path.name, decode_html(data))
        elif suffix in _SAVED_PAGES:
            saved = _SAVED_PAGES[suffix](data)
            article = article_from_page(doc_id, saved.html, url=saved.url, options=extraction)
            article = article.model_copy(update={"content_hash": content_hash(data)})
        elif suffix == PDF_SUFFIX:
            # read once: as a Nexis Uni export's articles, or as one article's pages
            reading = read_pdf_file(data, limits=pdf_limits)
            if reading.articles is not None:
                entries = nexis_entries(reading.articles)
                _read_archive(
                    path, result, max_bytes=max_bytes, known=known, extraction=extraction,
                    entries=entries,
                )  # fmt: skip
                return result
            assert reading.document is not None  # read, being no export
            article = article_of_pdf(doc_id, data, reading.document)
        elif suffix == RTF_SUFFIX:
            rtf = read_rtf(data)  # read once: as an export's articles, or as one article
            if rtf.entries is not None:
                _read_archive(
                    path, result, max_bytes=max_bytes, known=known, extraction=extraction,
                    entries=rtf.entries,
                )  # fmt: skip
                return result
            assert rtf.paragraphs is not None  # read, being no export
            article = article_of_rtf(doc_id, data, rtf.paragraphs)
            _say_unread_date(path, article)
        elif suffix in DOCUMENT_READERS:
            article = DOCUMENT_READERS[suffix](doc_id, data, pdf_limits)
        else:
            markdown = suffix in MARKDOWN_SUFFIXES
            article = _text_article(doc_id, data, name=path.name, markdown=markdown)
            _say_unread_date(path, article)
            _say_near_miss(path.name, data)
    except BadInput as exc:
        result.warnings.skip(path.name, f"skipped {path.name}: {exc}")
    except OSError as exc:
        result.warnings.skip(
            path.name, f"skipped {path.name}: cannot be read ({exc.strerror or exc})"
        )
    else:
        result.articles.append(article)
        result.origins.append(path.name)
    finally:  # every way out, an archive that failed part way too, says what it counted
        result.warnings.close()
    return result


def is_document_export(name: str, data: bytes, *, pdf_limits: PdfLimits = LIMITS) -> bool:
    """Whether the document sent whole as `name` is an export of many articles, to import as
    an archive is: a PDF that is a Nexis Uni export (its reading kept for the import, by its
    bytes), or an RTF document that is a LexisNexis or Factiva export; `BadInput` when the document
    cannot be read at all, saying why."""
    if name.lower().endswith(RTF_SUFFIX):
        return read_rtf(data).entries is not None
    if not name.lower().endswith(PDF_SUFFIX):
        return False
    return read_pdf_file(data, limits=pdf_limits).articles is not None


def read_document(name: str, data: bytes, *, pdf_limits: PdfLimits = LIMITS) -> tuple[str, Article]:
    """The suffix and the article of a document sent whole (`BINARY_SUFFIXES`: a PDF, an RTF
    document), read as the same file in the corpus folder is, under a stand-in id; `BadInput`
    saying why it has no article. (POST /documents/import names it from its title and text,
    then stores it.)"""
    # by its ending alone: the name is no path here (".pdf", a file's name with no stem, is
    # a hidden file's to `suffix_of`, and was refused as not ending in .pdf)
    suffix = next((s for s in DOCUMENT_READERS if name.lower().endswith(s)), None)
    if suffix is None:
        raise BadInput(
            f"name {name!r} does not end in a document's format ({', '.join(DOCUMENT_READERS)})"
        )
    return suffix, DOCUMENT_READERS[suffix]("document", data, pdf_limits)


@dataclass(frozen=True)
class SentDocument:
    """A document sent whole (`BINARY_SUFFIXES`: a PDF, an RTF document) as read once: its one
    `article`, under a stand-in id, stored under `suffix`; or None when it is an export of many
    articles, imported as an archive is (a PDF export's articles kept by its bytes for that
    import: index/pdf_exports.py)."""

    suffix: str
    article: Article | None


def read_sent_document(name: str, data: bytes, *, pdf_limits: PdfLimits = LIMITS) -> SentDocument:
    """The document sent whole as `name` read once, as the same file in the corpus folder is
    read: asked whether it is an export and, when it is none, read as one article from the
    same reading (`is_document_export` then `read_document` read a PDF's pages twice: two
    child processes, a second or more each); `BadInput` saying why it has no article, or
    cannot be read at all."""
    suffix = next((s for s in DOCUMENT_READERS if name.lower().endswith(s)), None)
    if suffix == PDF_SUFFIX:
        reading = read_pdf_file(data, limits=pdf_limits)
        if reading.articles is not None:
            return SentDocument(suffix, None)
        assert reading.document is not None  # read, being no export
        return SentDocument(suffix, article_of_pdf("document", data, reading.document))
    if suffix == RTF_SUFFIX:
        rtf = read_rtf(data)
        if rtf.entries is not None:
            return SentDocument(suffix, None)
        assert rtf.paragraphs is not None  # read, being no export
        return SentDocument(suffix, article_of_rtf("document", data, rtf.paragraphs))
    return SentDocument(*read_document(name, data, pdf_limits=pdf_limits))


# a C1 control character in UTF-8 (b"\xc2\x92" for U+0092), which a page holds when it was
# decoded as Latin-1 and saved as UTF-8
_UTF8_C1 = re.compile(rb"\xc2[\x80-\x9f]")


def _say_c1_repaired(name: str, text: str) -> None:
    """A warning, not a skip, when a file's text holds C1 control characters (Windows-1252
    text decoded as Latin-1 before it was saved): the cleaner reads each as the Windows-1252
    character of its byte ("port\x92s" as "port’s"); the warning says so."""
    note = c1_note(name, text)
    if note is not None:
        log.warning("%s", note)


def _say_near_miss(name: str, data: bytes) -> None:
    """A warning, not a skip, when a text file read as one article has lines like a
    LexisNexis export's markers that do not make it one (index/text_exports.py)."""
    why = near_miss_of(data)
    if why is not None:
        log.warning(
            "%s is read as one article, not as a LexisNexis export: %s; if it is an export, "
            "download it again whole",
            name,
            why,
        )


def _say_factiva_near_miss(name: str, data: bytes) -> None:
    """A warning, not a skip, when a page read as one article has divs like a Factiva export's
    articles that do not make it one (index/html_exports.py)."""
    why = factiva_near_miss_of(data)
    if why is not None:
        log.warning(
            "%s is read as one page, not as a Factiva export: %s; if it is an export, save it "
            "from Factiva again whole",
            name,
            why,
        )


def _say_unread_date(path: Path, article: Article) -> None:
    """A warning, not a skip, when a text article is undated because its date line has no one
    reading: the article is indexed, but a date range will leave it out."""
    if article.date is not None:
        return
    line = next((p for p in article.text.split("\n\n")[:5] if unread_dateline(p)), None)
    if line is not None:
        log.warning(
            "%s is indexed undated: its date line %r has no one reading (the day and month "
            "could be either, or it is no calendar date); write the date as year-month-day, "
            "e.g. 2024-04-03",
            path.name,
            line,
        )


def _text_article(doc_id: str, data: bytes, *, name: str, markdown: bool = False) -> Article:
    """A text file's article (`markdown`: a .md file, read as Markdown). A file in another
    encoding than UTF-8 is read in the encoding a byte-order mark names or, without one, the
    likeliest legacy encoding, with a warning that says which (a wrong guess shows as odd
    letters in the answers)."""
    decoded = decode_text(data)
    raw = decoded.text
    binary = binary_problem(data, wanted="text", text=raw)  # a PDF saved as .txt, say
    if binary is not None:
        raise BadInput(binary)
    # a guess, a mixture or a stray byte-order mark may read bytes that are no text at all
    if (decoded.encoding != "utf-8" or decoded.guessed) and garbled_problem(raw) is not None:
        raise BadInput("not text: neither UTF-8 nor any other encoding reads it as text")
    if not raw.strip():
        raise BadInput("the file is empty")
    article = make_article(doc_id, raw, markdown=markdown)
    if not article.text.strip():
        raise BadInput("no article text after cleaning")
    if not any(c.isalnum() for c in article.text):
        raise BadInput("no words in the article text, only punctuation or symbols")
    if decoded.foreign_bytes:
        log.warning(
            "%s is not all UTF-8: read as UTF-8, with %d byte(s) that are not UTF-8 read as "
            "cp1252; if its letters look wrong in the answers, save it as UTF-8 and rebuild",
            name,
            decoded.foreign_bytes,
        )
    elif decoded.guessed:
        log.warning(
            "%s is not UTF-8: read as %s, the likeliest encoding; if its letters look wrong in "
            "the answers, save it as UTF-8 and rebuild",
            name,
            decoded.encoding,
        )
    _say_c1_repaired(name, raw)
    # the hash is of the file's bytes, as the check for an unchanged file computes it
    return article.model_copy(update={"content_hash": content_hash(data)})


def _read_archive(
    path: Path,
    result: FileArticles,
    *,
    max_bytes: int,
    known: Mapping[str, Article] | None,
    extraction: ExtractionOptions,
    entries: Sequence[Entry] | None = None,
) -> None:
    """Every good record of an archive; a bad one is one warning and the rest still counts. Of
    records with the same id (the same address), the last that gives an article is the article:
    an export that appends an article's updates ends with the latest. An earlier version is
    not even read when the last one is already indexed as it is (`known`). `entries`: the
    archive's records when they were read already (a PDF's, whose reading takes seconds; a
    text or Factiva export's, parsed whole), else they are read from `path` as they stream,
    twice."""
    unit = record_unit(path)
    last = last_records(path, max_bytes=max_bytes, entries=entries)
    # id → its record number, its article so far and what is wrong with a date it wrote
    chosen: dict[str, tuple[int, Article, str | None]] = {}
    records = (
        entries if entries is not None else read_entries(path, max_bytes=max_bytes, say_guess=True)
    )
    for entry in records:
        where = f"{path.name} {unit} {entry.number}"
        try:
            if entry.problem is not None:
                raise BadInput(entry.problem)
            record = record_of(entry.fields)
            doc_id = record_doc_id(record)
            record_hash = content_hash(entry.raw)
            # both passes read a record alike, so it is there; were it not, it is its own last
            final, final_hash = last.get(doc_id, (entry.number, record_hash))
            previous = (known or {}).get(doc_id)
            if final != entry.number and final_hash == record_hash:
                raise BadInput(f"the same article as {unit} {final} (id {doc_id})")
            if (
                final != entry.number
                and previous is not None
                and previous.content_hash == final_hash
            ):
                raise BadInput(_replaced(unit, final, doc_id))
            if previous is not None and previous.content_hash == record_hash:
                article = previous
            else:
                article = article_from_record(
                    record, doc_id=doc_id, line_hash=record_hash, options=extraction
                )
        except BadInput as exc:
            where = f"{path.name} {entry.where}" if entry.where else where
            result.warnings.skip(path.name, f"skipped {where}: {exc}")
            continue
        earlier = chosen.get(doc_id)
        if earlier is not None:  # said only now: a later record that gives no article keeps it
            result.warnings.skip(
                path.name,
                f"skipped {path.name} {unit} {earlier[0]}: {_replaced(unit, entry.number, doc_id)}",
            )
        chosen[doc_id] = (entry.number, article, record.date_problem)
    undated = 0
    for number, article, unread in sorted(chosen.values(), key=lambda kept: kept[0]):
        result.articles.append(article)
        result.origins.append(f"{path.name} {unit} {number}")
        if unread is not None and article.date is None:
            undated += 1
            if undated <= LISTED_SKIPS:
                log.warning("%s %s %d is indexed undated: %s", path.name, unit, number, unread)
    if undated > LISTED_SKIPS:
        log.warning(
            "%d more %ss of %s are indexed undated, for dates like those above (the first %d "
            "are named)",
            undated - LISTED_SKIPS,
            unit,
            path.name,
            LISTED_SKIPS,
        )


def _replaced(unit: str, later: int, doc_id: str) -> str:
    return (
        f"{unit} {later} has the same id ({doc_id}) with other content, and the later {unit} is "
        "kept"
    )
