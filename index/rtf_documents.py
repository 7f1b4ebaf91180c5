"""An RTF document (`.rtf`): one article, or, told by its content, a LexisNexis or Factiva
export saved as RTF, one article an item.

The document's paragraphs come from qa/rtf_text.py (striprtf, with paragraphs, line breaks and
tables kept). A Nexis Uni RTF download has the paragraphs of its Word download, and a classic
LexisNexis RTF the lines of its text download ("1 of 10 DOCUMENTS"): such a document is read as
those exports are (qa/nexis.py, qa/nexis_text.py), each article an `Entry` (index/exports.py:
`nexis_entries`) numbered as its item ("results.rtf item 3") and given its id as any archive
record is (qa/archives.py), the id the same articles' .docx or .txt export gives. Factiva's RTF
download, in the article format (qa/factiva_rtf.py) or with its indexing (each field under its
code, HD, BY, PD …, in a table: qa/factiva_indexing.py, which needs a table's cells' paragraphs,
`rtf_paragraphs(…, cell_breaks=True)`), gives entries under their accession numbers, as its HTML
download's are (index/html_exports.py). Any other RTF is one article: its
paragraphs, a blank line between two, read as a `.txt` file's text is (the first line its
title, then qa/cleaning.py), its content hash of the file's bytes.

An RTF's content alone says whether it is an export, and parsing a large one takes seconds
(about 4 s for an export of 5 MB): what was found is kept by the SHA-256 of its bytes
(index/verdicts.py, as a PDF's is), so the questions asked of a corpus folder on every import
and delete (which files are exports, which ids they give) parse an RTF only when its bytes are
new (or, for an export, when its articles were let go to keep the memory they take bounded).
A document whose bytes hold none of the words every export holds, nor a Factiva accession
number standing alone (not within a picture's hex digits), is not parsed for them at all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from index.exports import Entry, export_entries, nexis_entries, read_limited
from index.verdicts import Verdicts
from qa.articles import content_hash, make_article
from qa.errors import BadInput
from qa.factiva import ACCESSION
from qa.factiva_indexing import factiva_indexed_articles
from qa.factiva_rtf import factiva_rtf_articles
from qa.models import Article
from qa.rtf_text import rtf_export_articles, rtf_paragraphs, without_cell_breaks
from qa.text_input import binary_problem, garbled_problem

RTF_SUFFIX = ".rtf"
# a word every export's text holds ("End of Document", "1 of 10 DOCUMENTS", "Dokument 1 von
# 10"), in the RTF's own bytes, or a Factiva accession number (its closing line's label may be
# in another script, "Документ", "文档", which RTF writes as escapes): a document without any
# is no export, unread as one
_EXPORT_WORDS = (b"Document", b"DOCUMENT", b"Dokument")  # Factiva's closing "Document …" too
# the number standing alone: after a space, a colon, a brace, the "?" of a "\u6587?" escape or
# a "\'b5" one (a label's last letter), and before a control word, a space or a brace; not in a
# run of letters and figures such as a picture's hex digits, which hold numbers of its shape by
# chance (a dozen in a picture of 200 KB), so a Word RTF with a picture was parsed for an export
_ACCESSION = re.compile(
    rb"(?:(?<![0-9A-Za-z])|(?<=\\'[0-9a-fA-F]{2}))"
    + ACCESSION.encode("ascii")
    + rb"(?![0-9A-Za-z])"
)


def _may_be_export(data: bytes) -> bool:
    return any(word in data for word in _EXPORT_WORDS) or _ACCESSION.search(data) is not None


def _size(entries: tuple[Entry, ...]) -> int:
    """What the entries hold, in bytes of their records."""
    return sum(len(entry.raw) for entry in entries)


# whether each RTF is an export, and exports' entries up to 32 MB of their records
_FOUND: Verdicts[str, tuple[Entry, ...]] = Verdicts(size=_size)


@dataclass(frozen=True)
class RtfReading:
    """An RTF document's paragraphs (None only for an export known from before), and its
    articles as entries when it is an export (else None)."""

    paragraphs: list[str] | None
    entries: list[Entry] | None


def read_rtf(data: bytes) -> RtfReading:
    """The RTF document `data` read, an export at most once: one known by its bytes is not
    read again (its `paragraphs` then None); `BadInput` when it is no RTF document (another
    kind of file named .rtf, binary junk) or a damaged one."""
    return _read(data, _key(data))


def _key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(data: bytes, key: str) -> RtfReading:
    """`read_rtf`, the SHA-256 of `data` given (`key`)."""
    kept = _FOUND.kept(key)
    if kept is not None:
        return RtfReading(None, list(kept))
    celled = _paragraphs(data, cell_breaks=True)  # parsed once, for both readings
    paragraphs = without_cell_breaks(celled)
    if not _may_be_export(data):
        return RtfReading(paragraphs, None)
    entries = _export_entries(paragraphs, celled)
    _FOUND.put(key, None if entries is None else tuple(entries))
    return RtfReading(paragraphs, entries)


def _export_entries(paragraphs: list[str], celled: list[str]) -> list[Entry] | None:
    """The articles of an export's paragraphs as entries (`celled`: the same paragraphs with
    their table cells' paragraphs parted): a LexisNexis export's with their address when they
    give one, a Factiva export's with their accession number (the id its HTML export gives them
    too: index/html_exports.py), in either of its layouts; None when they are no export."""
    nexis = rtf_export_articles(paragraphs)
    if nexis is not None:
        return nexis_entries(nexis)
    factiva = factiva_indexed_articles(celled) or factiva_rtf_articles(paragraphs)
    if factiva is not None:
        return list(export_entries(factiva, lambda a: {"accession_number": a.accession}))
    return None


def article_of_rtf(doc_id: str, data: bytes, paragraphs: list[str]) -> Article:
    """The one article of the RTF document `data` whose `paragraphs` were read; `BadInput`
    saying why it has none."""
    raw = "\n\n".join(paragraph for paragraph in paragraphs if paragraph.strip())
    if not raw:
        raise BadInput("no text in the RTF document (it is empty, or holds only pictures)")
    garbled = garbled_problem(raw)
    if garbled is not None:
        raise BadInput(f"its text {garbled}")
    article = make_article(doc_id, raw)
    if not article.text.strip():
        raise BadInput("no article text after cleaning")
    if not any(c.isalnum() for c in article.text):
        raise BadInput("no words in the article text, only punctuation or symbols")
    # the hash is of the file's bytes, as the check for an unchanged file computes it
    return article.model_copy(update={"content_hash": content_hash(data)})


def article_from_rtf(doc_id: str, data: bytes) -> Article:
    """The RTF document `data` read as one article, whatever it holds (a document sent whole
    is told to be an export first, by `read_rtf`'s `entries`)."""
    return article_of_rtf(doc_id, data, _paragraphs(data))


def _paragraphs(data: bytes, *, cell_breaks: bool = False) -> list[str]:
    """The RTF document's paragraphs, whatever it holds (`rtf_paragraphs`); `BadInput` as
    `read_rtf`."""
    binary = binary_problem(data, wanted="an RTF document")
    if binary is not None:
        raise BadInput(binary)
    return rtf_paragraphs(data, cell_breaks=cell_breaks)


def rtf_export_of(data: bytes) -> list[Entry] | None:
    """The articles of the RTF document `data` when it is an export, else None (parsed only
    when its bytes are new); `BadInput` when it cannot be read."""
    key = _key(data)
    if _FOUND.verdict(key) is False:
        return None
    return _read(data, key).entries


def is_rtf_export(path: Path, *, max_bytes: int) -> bool:
    """Whether the `.rtf` file `path` is an export (one that cannot be read is not: it is
    skipped as the article it would be, saying why)."""
    try:
        data = read_limited(path, max_bytes=max_bytes, gzipped=False)
        if not _may_be_export(data):
            return False
        return rtf_export_of(data) is not None
    except (OSError, BadInput):
        return False


def rtf_export_entries(path: Path, *, max_bytes: int) -> Iterator[Entry]:
    """The articles of the export `path`, each an `Entry`; `BadInput` (before the first) when
    the file is too large, cannot be read, or is no export."""
    entries = rtf_export_of(read_limited(path, max_bytes=max_bytes, gzipped=False))
    if entries is None:
        raise BadInput(
            "not a LexisNexis or Factiva export (no 'End of Document' line with a 'Body' line "
            "before it, no numbered 'N of M DOCUMENTS' lines, no 'Document' and accession "
            "number lines, no HD and AN fields), so one article"
        )
    yield from entries
