"""The articles of a classic LexisNexis plain-text export: a `.txt` file whose content is one
(qa/nexis_text.py), told from any other `.txt` (one article) by its content alone.

The file is decoded as every text file is (`qa.decoding.decode_text`: a byte-order mark's
encoding, else UTF-8, else the likeliest legacy one), its lines split at any line break (CRLF
included), with one difference (`decode_export`): a legacy guess whose reading gives a mark or a
symbol where Windows-1252 gives a letter is read as Windows-1252. A news export's names come
from many languages ("Café", "Zürich", "Sørlie"), so no one language's alphabet holds its
letters and the guess can fall on another code page (Arabic windows-1256 reads "ø" as a
shadda); Windows-1252, the Western code page of the English, German and French exports this
reader knows, is what the chat page's Add form reads such a file in too.

Each article comes out as an `Entry` (index/exports.py) numbered as the export's marker numbers
it ("3 of 10 DOCUMENTS" is item 3), whose fields are an archive record's, so it
is checked, cleaned and given its id as any archive record is (qa/archives.py): from its
`URL:` when it has one, else from its title and text, the same however often the export is
downloaded again or renamed.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from index.exports import Entry, nexis_entries, too_large
from qa.decoding import DecodedText, decode_text
from qa.errors import BadInput
from qa.nexis_text import near_miss, nexis_text_articles, nexis_text_items

log = logging.getLogger(__name__)

TEXT_EXPORT_SUFFIX = ".txt"
# what an export's bytes hold, in any encoding that is ASCII for these letters; a UTF-16 or
# UTF-32 file (its byte-order mark) is decoded to be sure
_MARKER_BYTES = (b"DOCUMENT", b"Dokument ", b"Document ")
_WIDE_MARKS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def _may_be_export(data: bytes) -> bool:
    return data.startswith(_WIDE_MARKS) or any(word in data for word in _MARKER_BYTES)


def _is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


def decode_export(data: bytes) -> DecodedText:
    """`data`'s text as `decode_text` reads it, except that a legacy guess that gives a mark or
    a symbol wherever it differs from Windows-1252, which gives a letter there, is read as
    Windows-1252 (see the module's docstring). A guess whose letters are another script's
    (windows-1251 Cyrillic: "П" where Windows-1252 has "Ï") or another Latin alphabet's
    (windows-1250 "ł" where Windows-1252 has "³") stays."""
    decoded = decode_text(data)
    if not decoded.guessed or decoded.foreign_bytes or decoded.encoding == "cp1252":
        return decoded
    western = data.decode("cp1252", errors="replace")
    if len(western) != len(decoded.text):  # a multi-byte guess (Shift-JIS, GB18030): kept
        return decoded
    differ = [(w, g) for w, g in zip(western, decoded.text, strict=True) if w != g]
    if differ and all(_is_letter(w) and not _is_letter(g) for w, g in differ):
        return DecodedText(western, "cp1252", True)
    return decoded


def export_text(data: bytes) -> DecodedText | None:
    """The decoded text of `data` when it is a LexisNexis text export, else None."""
    if not _may_be_export(data):
        return None
    decoded = decode_export(data)
    return decoded if nexis_text_items(decoded.text) is not None else None


def export_refusal(data: bytes) -> str | None:
    """Why `data`, sent as one article's text, is refused: it is a LexisNexis export, whose
    articles are imported one by one (POST /documents/import), not added as one article that
    mixes them all; None when it is no export."""
    decoded = export_text(data)
    if decoded is None:
        return None
    items = nexis_text_items(decoded.text) or []
    return (
        f"the text is a LexisNexis export of {len(items):,} article(s) (its lines 'N of M "
        "DOCUMENTS'), not one article: send the file to POST /documents/import as `content` "
        "with a `name` ending in .txt (the page's Add form does so for a .txt file) to index "
        "each of its articles; nothing was added"
    )


def near_miss_of(data: bytes) -> str | None:
    """Why a text file with lines like an export's markers is not read as an export, if it
    has such lines (`qa.nexis_text.near_miss`)."""
    return near_miss(decode_export(data).text) if _may_be_export(data) else None


def is_text_export(path: Path, *, max_bytes: int) -> bool:
    """Whether the `.txt` file `path` is a LexisNexis export (read up to `max_bytes`: a larger
    one is refused as too large when it is read, as any text file is)."""
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes)
    except OSError:
        return False
    return export_text(data) is not None


def text_export_entries(path: Path, *, max_bytes: int, say_guess: bool = False) -> Iterator[Entry]:
    """The articles of the export `path`, each an `Entry`; `BadInput` (before the first) when
    the file is too large or no export. `say_guess`: warn when its encoding was guessed."""
    with path.open("rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise BadInput(too_large(max_bytes))
    decoded = decode_export(data)
    articles = nexis_text_articles(decoded.text)
    if articles is None:
        raise BadInput("not a LexisNexis text export (no numbered 'N of M DOCUMENTS' lines)")
    if say_guess and decoded.foreign_bytes:
        log.warning(
            "%s is not all UTF-8: read as UTF-8, with %d byte(s) that are not UTF-8 read as "
            "cp1252; if its letters look wrong in the answers, save it as UTF-8 and rebuild",
            path.name,
            decoded.foreign_bytes,
        )
    elif say_guess and decoded.guessed:
        log.warning(
            "%s is not UTF-8: read as %s, the likeliest encoding; if its letters look wrong in "
            "the answers, save it as UTF-8 and rebuild",
            path.name,
            decoded.encoding,
        )
    yield from nexis_entries(articles)
