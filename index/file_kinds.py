"""Which files a build reads, by their suffix (`SUFFIXES`: text, Markdown, pages, pages saved
as one file, archives, documents) and what each kind is taken as (an archive, a document sent
whole, an import); the article id a file's name gives (`doc_id_of`, `usable_id`) and what an id
may hold (`DOC_ID_PATTERN`, `doc_id_problem`); and whether a file holds many articles
(`is_archive`, by its suffix or its content)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from index.docx_exports import DOCX_SUFFIX
from index.feed_exports import FEED_SUFFIXES
from index.html_exports import FACTIVA_SUFFIXES, FACTIVA_UPLOAD_SUFFIXES, is_factiva_export
from index.pdf_exports import PDF_SUFFIX, is_pdf_export
from index.pdf_pages import LIMITS, PdfLimits, article_from_pdf
from index.rtf_documents import RTF_SUFFIX, article_from_rtf, is_rtf_export
from index.text_exports import TEXT_EXPORT_SUFFIX, is_text_export
from qa.articles import folded, slug
from qa.lexical import is_latin, without_accents
from qa.models import Article
from qa.paragraphs import ID_DIGEST_PATTERN
from qa.settings import MAX_DOCUMENT_BYTES

MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt", *MARKDOWN_SUFFIXES)
PAGE_SUFFIXES = (".html.gz", ".html", ".htm")
MHTML_SUFFIXES = (".mhtml", ".mht")
WEBARCHIVE_SUFFIX = ".webarchive"
# a document a reader of its own turns into one article, from its bytes: the files sent to
# POST /documents/import as `content_base64` (either may be an export of many articles)
DOCUMENT_READERS: dict[str, Callable[[str, bytes, PdfLimits], Article]] = {
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
BINARY_SUFFIXES = (*DOCUMENT_READERS, *BINARY_ARCHIVE_SUFFIXES)
# longest first where they overlap
SUFFIXES = (
    TEXT_SUFFIXES + PAGE_SUFFIXES + MHTML_SUFFIXES + (WEBARCHIVE_SUFFIX,) + ARCHIVE_SUFFIXES
    + tuple(DOCUMENT_READERS)
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
