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
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.docx_exports import DOCX_SUFFIX, docx_entries
from index.exports import Entry, nexis_entries, read_limited, too_large
from index.feed_exports import FEED_SUFFIXES, feed_entries
from index.html_exports import (
    FACTIVA_SUFFIXES,
    FACTIVA_UPLOAD_SUFFIXES,
    factiva_entries,
    factiva_near_miss_of,
    factiva_page,
    is_factiva_export,
)
from index.json_exports import json_entries
from index.pdf_exports import PDF_SUFFIX, is_pdf_export, pdf_export_entries, read_pdf_file
from index.pdf_pages import LIMITS, PdfLimits, article_from_pdf, article_of_pdf
from index.rtf_documents import (
    RTF_SUFFIX,
    article_from_rtf,
    article_of_rtf,
    is_rtf_export,
    read_rtf,
    rtf_export_entries,
)
from index.table_exports import TableReading, table_entries
from index.text_exports import (
    TEXT_EXPORT_SUFFIX,
    export_text,
    is_text_export,
    near_miss_of,
    text_export_entries,
)
from qa.archives import article_from_record, parse_line, record_doc_id, record_of
from qa.articles import article_from_page, content_hash, folded, make_article, slug
from qa.datelines import unread_dateline
from qa.decoding import decode_html, decode_text
from qa.errors import BadInput
from qa.extraction import DEFAULT_OPTIONS, ExtractionOptions
from qa.lexical import is_latin, without_accents
from qa.models import Article
from qa.paragraphs import ID_DIGEST_PATTERN
from qa.saved_pages import SavedPage, page_of_mhtml, page_of_webarchive
from qa.settings import MAX_DOCUMENT_BYTES
from qa.text_input import binary_problem, c1_note, garbled_problem

log = logging.getLogger(__name__)

MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt", *MARKDOWN_SUFFIXES)
PAGE_SUFFIXES = (".html.gz", ".html", ".htm")
MHTML_SUFFIXES = (".mhtml", ".mht")
WEBARCHIVE_SUFFIX = ".webarchive"
# a page saved as one file, by suffix: what takes the page out of it
_SAVED_PAGES: dict[str, Callable[[bytes], SavedPage]] = {
    **dict.fromkeys(MHTML_SUFFIXES, page_of_mhtml),
    WEBARCHIVE_SUFFIX: page_of_webarchive,
}
# a document a reader of its own turns into one article, from its bytes: the files sent to
# POST /documents/import as `content_base64` (either may be an export of many articles)
_DOCUMENTS: dict[str, Callable[[str, bytes, PdfLimits], Article]] = {
    PDF_SUFFIX: lambda doc_id, data, limits: article_from_pdf(doc_id, data, limits=limits),
    RTF_SUFFIX: lambda doc_id, data, _: article_from_rtf(doc_id, data),
}
TABLE_SUFFIXES = (".csv", ".tsv")
ARCHIVE_SUFFIXES = (".jsonl", ".json", *TABLE_SUFFIXES, *FEED_SUFFIXES, DOCX_SUFFIX)
# an archive whose file is no text (a Word document: a Nexis Uni export holds many articles)
BINARY_ARCHIVE_SUFFIXES = (DOCX_SUFFIX,)
# what POST /documents/import takes: an archive, a .txt that is a LexisNexis export, or a page
# that is a Factiva export
IMPORT_SUFFIXES = (*ARCHIVE_SUFFIXES, TEXT_EXPORT_SUFFIX, *FACTIVA_UPLOAD_SUFFIXES)
# what POST /documents/import takes as `content_base64`: a document, or an archive, as bytes
BINARY_SUFFIXES = (*_DOCUMENTS, *BINARY_ARCHIVE_SUFFIXES)
# longest first where they overlap
SUFFIXES = (
    TEXT_SUFFIXES + PAGE_SUFFIXES + MHTML_SUFFIXES + (WEBARCHIVE_SUFFIX,) + ARCHIVE_SUFFIXES
    + tuple(_DOCUMENTS)
)  # fmt: skip

DOC_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,199}$"
DOC_ID = re.compile(DOC_ID_PATTERN)
# a paragraph's id: its article's id, ":" and the digest of its words (qa/paragraphs.py)
PARAGRAPH_ID_PATTERN = f"{DOC_ID_PATTERN.removesuffix('$')}:{ID_DIGEST_PATTERN}$"
_ID_CHARACTER = re.compile(r"[A-Za-z0-9_.\-]")


def doc_id_problem(doc_id: str) -> str | None:
    """Why `doc_id` cannot name an article (`DOC_ID_PATTERN`), in words, or None: what is
    allowed, what in it is not, and an id that is, made from it as default ids are made from a
    title (`qa.articles.slug`, accents taken off: "Budget Übersicht 2025" →
    "budget-ubersicht-2025"), or as a file's name is (`usable_id`) when it has letters of
    another script. A client reads this, not the pattern pydantic would quote."""
    if DOC_ID.fullmatch(doc_id):
        return None
    if not doc_id:
        return "is empty: send an id, or leave doc_id out to have one made from the title"
    wrong = list(dict.fromkeys(c for c in doc_id if not _ID_CHARACTER.fullmatch(c)))
    if wrong:
        named = ", ".join(repr(c) for c in wrong[:5]) + (" …" if len(wrong) > 5 else "")
        found = f"{doc_id[:80]!r} has {named}"
    elif len(doc_id) > 200:
        found = f"it is {len(doc_id)} characters long"
    else:
        found = f"{doc_id[:80]!r} starts with {doc_id[0]!r}"
    plain = folded(doc_id)
    other_script = any(c.isalpha() and not is_latin(c) for c in doc_id)
    readable = re.search("[a-z0-9]", plain) and not other_script
    # "Новости 2024" would be "2024" alone: `usable_id` adds a hash of what was lost
    instead = slug(plain, words=40) if readable else usable_id(doc_id)
    return (
        "may hold only letters A-Z (a-z), digits, '-', '_' and '.', starting with a letter or "
        f"digit, at most 200 characters ({found}); e.g. {instead!r}"
    )


# skips named one a line for each file; the rest of a file's are counted in one line after them
LISTED_SKIPS = 20


class Skips(list[str]):
    """A warning for each file or archive record skipped, but at most `LISTED_SKIPS` of one
    file named one by one: the rest of that file's are counted in one line after them (`close`),
    so a table of a million broken rows is 21 lines, in memory, in the log and in the document
    API's answers, not a million. Every skip is `total`."""

    def __init__(self) -> None:
        super().__init__()
        self._listed: dict[str, int] = {}
        self._unlisted: dict[str, int] = {}
        self.counted = 0  # skips not named one by one (in the lines `close` adds)

    @property
    def total(self) -> int:
        """Every file and archive record skipped: the named ones and the counted ones."""
        return len(self) + self.counted

    def skip(self, name: str, warning: str) -> None:
        """`warning` about file `name`: kept, or counted once the file has its share."""
        if self._listed.get(name, 0) < LISTED_SKIPS:
            self._listed[name] = self._listed.get(name, 0) + 1
            self.append(warning)
        else:
            self._unlisted[name] = self._unlisted.get(name, 0) + 1

    def close(self) -> None:
        """A line for each file with skips past its share, saying how many."""
        for name, more in self._unlisted.items():
            self.append(
                f"skipped {more:,} more part(s) of {name}, for reasons like those above (the "
                f"first {LISTED_SKIPS} are named); fix those and rebuild to see the rest"
            )
            self.counted += more - 1  # the line itself is counted as a warning
        self._unlisted.clear()

    def merge(self, other: Skips) -> None:
        """`other`'s warnings after these, each file's share counting what it named there."""
        self.extend(other)
        self.counted += other.counted
        for name, listed in other._listed.items():
            self._listed[name] = self._listed.get(name, 0) + listed


_MORE_OF = re.compile(r"skipped ([\d,]+) more part\(s\) of (.+), for reasons like those above")


def skips_of_files(warnings: Sequence[str], names: Collection[str]) -> tuple[list[str], int]:
    """The warnings of a build's `Skips` that are about the files `names` (the file or a part
    of it skipped, or another file skipped because one of them holds its id already), and how
    many skips those lines count: the document API names a request's own skips and only counts
    the corpus folder's others, which GET /admin/index lists."""
    own: list[str] = []
    counted = 0
    for warning in warnings:
        more = _MORE_OF.match(warning)
        if more is not None:
            if more.group(2) in names:
                own.append(warning)
                counted += int(more.group(1).replace(",", ""))
            continue
        if any(_is_about(warning, name) for name in names):
            own.append(warning)
            counted += 1
    return own, counted


def _is_about(warning: str, name: str) -> bool:
    used = f" is already used by {name}"
    return warning.startswith((f"skipped {name}:", f"skipped {name} ")) or (
        warning.endswith(used) or f"{used} " in warning
    )


@dataclass
class FileArticles:
    """What one file gave: its articles, and a warning for each part of it that was skipped
    (`Skips`: at most `LISTED_SKIPS` named, the rest counted)."""

    articles: list[Article] = field(default_factory=list)
    warnings: Skips = field(default_factory=Skips)
    origins: list[str] = field(default_factory=list)  # "file" or "file line N", per article


def suffix_of(path: Path) -> str | None:
    """The accepted suffix `path` ends with (case-insensitive), or None."""
    name = path.name.lower()
    return next((s for s in SUFFIXES if name.endswith(s) and len(name) > len(s)), None)


def name_stem(path: Path) -> str:
    """A file's name without the accepted suffix."""
    suffix = suffix_of(path)
    return path.name[: -len(suffix)] if suffix else path.stem


def usable_id(stem: str) -> str:
    """`stem` made a document id ("Fire - Post (1)" → "Fire-Post-1"): accents dropped, every
    run of other characters one hyphen. A stem that loses letters of another script gets a
    hash of itself (composed, NFC) after what is left, and one with no letter or digit left is
    "article-" and that hash, so two such files still differ."""
    stem = unicodedata.normalize("NFC", stem)  # a name stored decomposed (macOS) is the same
    plain = without_accents(stem).encode("ascii", "ignore").decode()  # "Łódź" → "Lodz"
    usable = re.sub(r"[^A-Za-z0-9_.]+", "-", plain).strip("-._")[:191].rstrip("-._")
    digest = hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]
    if not usable:
        return f"article-{digest}"
    if any(c.isalpha() and not is_latin(c) for c in stem):
        # letters of another script were lost: "Новости 2024" and "Москва 2024" differ
        return f"{usable}-{digest}"
    return usable


def doc_id_of(path: Path) -> str:
    """A single-article file's id: its name without the accepted suffix, or, when that name is
    not a document id (a browser saves pages as "Title - Site.html"), the id made of it."""
    stem = name_stem(path)
    return stem if DOC_ID.fullmatch(stem) else usable_id(stem)


def is_renamed(path: Path) -> bool:
    """Whether the file's id is not its own name (`doc_id_of` made one of it)."""
    return doc_id_of(path) != name_stem(path)


def is_archive(
    path: Path,
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    read_pdfs: bool = True,
    pdf_limits: PdfLimits = LIMITS,
) -> bool:
    """Whether the article file `path` holds many articles: an archive by its suffix, or by its
    content a `.txt` that is a LexisNexis export (index/text_exports.py), a saved page that
    is a Factiva export (index/html_exports.py), an RTF document that is a LexisNexis or
    Factiva export (index/rtf_documents.py) or a PDF that is a Nexis Uni export
    (index/pdf_exports.py: read under `pdf_limits`, the build's, once for its bytes, then
    known by them; `read_pdfs=False` leaves PDFs unread and says they are not)."""
    suffix = suffix_of(path)
    return (
        suffix in ARCHIVE_SUFFIXES
        or (suffix == TEXT_EXPORT_SUFFIX and is_text_export(path, max_bytes=max_bytes))
        or (suffix in FACTIVA_SUFFIXES and is_factiva_export(path, max_bytes=max_bytes))
        or (suffix == RTF_SUFFIX and is_rtf_export(path, max_bytes=max_bytes))
        or (
            suffix == PDF_SUFFIX
            and read_pdfs
            and is_pdf_export(path, max_bytes=max_bytes, limits=pdf_limits)
        )
    )


def article_files(folder: Path) -> list[Path]:
    """The files of `folder` that may hold articles, sorted by name (hidden ones left out)."""
    return sorted(
        p for p in folder.iterdir() if not p.name.startswith(".") and suffix_of(p) is not None
    )


def unread_files(folder: Path) -> list[Path]:
    """The files of `folder` a build does not read, by their suffix (a .zip export, an .xlsx
    workbook), sorted by name; hidden files left out."""
    return sorted(
        p
        for p in folder.iterdir()
        if not p.name.startswith(".") and suffix_of(p) is None and p.is_file()
    )


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
            entries = list(_entries(path, max_bytes=max_bytes, say_guess=True))
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
        elif suffix in _DOCUMENTS:
            article = _DOCUMENTS[suffix](doc_id, data, pdf_limits)
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
    suffix = next((s for s in _DOCUMENTS if name.lower().endswith(s)), None)
    if suffix is None:
        raise BadInput(
            f"name {name!r} does not end in a document's format ({', '.join(_DOCUMENTS)})"
        )
    return suffix, _DOCUMENTS[suffix]("document", data, pdf_limits)


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
    unit = _unit(path)
    last = _last_records(path, max_bytes=max_bytes, entries=entries)
    # id → its record number, its article so far and what is wrong with a date it wrote
    chosen: dict[str, tuple[int, Article, str | None]] = {}
    records = (
        entries if entries is not None else _entries(path, max_bytes=max_bytes, say_guess=True)
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


def _unit(path: Path) -> str:
    """What a record of the archive is called where it is named: a line, a table's row, or an
    item of a JSON array, a feed, a Word document, a text export or a Factiva page."""
    suffix = suffix_of(path)
    if suffix in TABLE_SUFFIXES:
        return "row"
    items = (
        ".json", DOCX_SUFFIX, PDF_SUFFIX, RTF_SUFFIX, TEXT_EXPORT_SUFFIX, *FEED_SUFFIXES,
        *FACTIVA_SUFFIXES,
    )  # fmt: skip
    return "item" if suffix in items else "line"


def archive_entries(
    path: Path, *, max_bytes: int, pdf_limits: PdfLimits = LIMITS
) -> Iterator[Entry]:
    """The records of the archive `path` as read from it, before each is checked as a record
    (the document API's import stores them again)."""
    return _entries(path, max_bytes=max_bytes, pdf_limits=pdf_limits)


def _entries(
    path: Path, *, max_bytes: int, say_guess: bool = False, pdf_limits: PdfLimits = LIMITS
) -> Iterator[Entry]:
    """The records of an archive, blank ones left out. A problem with the whole file (a table
    without a header row naming a text column) is `BadInput`. `say_guess`: warn when a table's
    encoding was guessed or some of its rows were read in another, or when a JSON export holds
    articles in a list not read (once a build). `pdf_limits`: what reading a PDF export may
    take, the build's (settings `index.pdf_*`)."""
    suffix = suffix_of(path)
    if suffix == ".json":
        yield from json_entries(path, max_bytes=max_bytes, say_others=say_guess)
        return
    if suffix in FEED_SUFFIXES:
        yield from feed_entries(path, max_bytes=max_bytes)
        return
    if suffix == DOCX_SUFFIX:
        yield from docx_entries(path, max_bytes=max_bytes)
        return
    if suffix == TEXT_EXPORT_SUFFIX:
        yield from text_export_entries(path, max_bytes=max_bytes, say_guess=say_guess)
        return
    if suffix in FACTIVA_SUFFIXES:
        yield from factiva_entries(path, max_bytes=max_bytes)
        return
    if suffix == PDF_SUFFIX:
        yield from pdf_export_entries(path, max_bytes=max_bytes, limits=pdf_limits)
        return
    if suffix == RTF_SUFFIX:
        yield from rtf_export_entries(path, max_bytes=max_bytes)
        return
    if suffix in TABLE_SUFFIXES:
        reading = TableReading()
        yield from table_entries(path, max_bytes=max_bytes, tsv=suffix == ".tsv", reading=reading)
        if say_guess:
            _say_table_encoding(path, reading)
        return
    for number, line in _lines(path, max_bytes=max_bytes):
        if line is None:
            yield Entry(number, problem=too_large(max_bytes, what="the line"))
            continue
        try:
            text = _line_text(line)
        except UnicodeDecodeError:
            yield Entry(number, problem="not UTF-8 text")
            continue
        if not text.strip():
            continue
        try:
            value = parse_line(text)
        except BadInput as exc:
            yield Entry(number, problem=str(exc))
            continue
        # the line's own bytes are its hash, as indexes built before tables were read hold it
        yield Entry(number, raw=line.strip(), fields=value)


def _say_table_encoding(path: Path, reading: TableReading) -> None:
    if reading.guessed:
        log.warning(
            "%s is not UTF-8: read as %s, the likeliest encoding; if its letters look wrong in "
            "the answers, save it as UTF-8 and rebuild",
            path.name,
            reading.encoding,
        )
    if reading.stray_rows:
        log.warning(
            "%s is not all UTF-8: %d row(s) hold bytes that are not, read as cp1252; if their "
            "letters look wrong in the answers, save the file as UTF-8 and rebuild",
            path.name,
            reading.stray_rows,
        )


def _record_ids(
    path: Path,
    *,
    max_bytes: int,
    entries: Sequence[Entry] | None = None,
    pdf_limits: PdfLimits = LIMITS,
) -> Iterator[tuple[int, str, bytes]]:
    """(record number, article id, raw record) of each archive record that is one (bad records
    are left for `_read_archive` to report, and a file that is no archive gives none);
    `entries`: the records, when they were read already."""
    try:
        records = (
            entries
            if entries is not None
            else _entries(path, max_bytes=max_bytes, pdf_limits=pdf_limits)
        )
        for entry in records:
            if entry.problem is not None:
                continue
            try:
                yield entry.number, record_doc_id(record_of(entry.fields)), entry.raw
            except BadInput:
                continue
    except BadInput:
        return


def ids_in_folder(
    folder: Path, *, max_bytes: int, pdf_limits: PdfLimits = LIMITS
) -> dict[str, str]:
    """Every id a file or archive record of `folder` gives, and where ("harbour.txt",
    "export.jsonl line 3"; the first file, in name order), read in one pass: what an import
    checks its new ids against, however many it brings. Of an archive's records with the same
    id, the place is the last good one, which the build keeps (`_read_archive`): a refusal
    that sends the user to edit the record must not name one the build skipped. `max_bytes`
    and `pdf_limits` are the build's (settings `index.max_document_bytes`, `index.pdf_*`), so
    that a file is an export here exactly when the build reads it as one."""
    places: dict[str, str] = {}
    for path in article_files(folder):
        if not is_archive(path, max_bytes=max_bytes, pdf_limits=pdf_limits):
            places.setdefault(doc_id_of(path), path.name)
            continue
        unit = _unit(path)
        last = _last_records(path, max_bytes=max_bytes, pdf_limits=pdf_limits)
        for doc_id, (number, _) in last.items():
            places.setdefault(doc_id, f"{path.name} {unit} {number}")
    return places


def _last_records(
    path: Path,
    *,
    max_bytes: int,
    entries: Sequence[Entry] | None = None,
    pdf_limits: PdfLimits = LIMITS,
) -> dict[str, tuple[int, str]]:
    """Each id's last good record in the archive, and that record's hash."""
    ids = _record_ids(path, max_bytes=max_bytes, entries=entries, pdf_limits=pdf_limits)
    return {doc_id: (number, content_hash(raw)) for number, doc_id, raw in ids}


def _line_text(line: bytes) -> str:
    """A line as text; the byte-order mark Windows tools put before the first one goes."""
    return line.decode("utf-8").removeprefix("\ufeff")


def _lines(path: Path, *, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line; None for a line longer than `max_bytes`, which is
    skipped without being held in memory."""
    with path.open("rb") as f:
        number = 0
        while True:
            line = f.readline(max_bytes + 1)
            if not line:
                return
            number += 1
            if len(line) <= max_bytes or line.endswith(b"\n"):
                yield number, line
                continue
            while line and not line.endswith(b"\n"):  # skip the rest of the long line
                line = f.readline(1 << 20)
            yield number, None


@dataclass(frozen=True)
class ArchiveOrigin:
    """Where the archives of a folder hold an article: "<archive> line N" (a table's "row N",
    a JSON export's "item N"), or "lines N and M", for each archive that gives it."""

    places: tuple[str, ...]
    units: frozenset[str]  # "line", "row", "item"

    def __str__(self) -> str:
        return "; ".join(self.places)

    @property
    def those(self) -> str:
        """ "that line", "those rows", "those lines and rows": what to remove."""
        several = len(self.places) > 1 or any(
            f" {u}s " in p for p in self.places for u in self.units
        )
        nouns = [f"{u}s" if several else u for u in sorted(self.units)]
        return f"{'those' if several else 'that'} {' and '.join(nouns)}"


def archive_origin(
    folder: Path,
    doc_id: str,
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    pdf_limits: PdfLimits = LIMITS,
) -> ArchiveOrigin | None:
    """Where the archives in `folder` hold the article `doc_id`, for every archive that gives
    it (a build reads the last record of the first archive; removing only that would bring
    back another); None when none does. `max_bytes`, `pdf_limits`: the build's."""
    places: list[str] = []
    units: set[str] = set()
    for path in article_files(folder):
        if not is_archive(path, max_bytes=max_bytes, pdf_limits=pdf_limits):
            continue
        unit = _unit(path)
        ids = _record_ids(path, max_bytes=max_bytes, pdf_limits=pdf_limits)
        numbers = [str(n) for n, found, _ in ids if found == doc_id]
        if len(numbers) == 1:
            places.append(f"{path.name} {unit} {numbers[0]}")
        elif numbers:
            places.append(f"{path.name} {unit}s {', '.join(numbers[:-1])} and {numbers[-1]}")
        if numbers:
            units.add(unit)
    return ArchiveOrigin(tuple(places), frozenset(units)) if places else None
