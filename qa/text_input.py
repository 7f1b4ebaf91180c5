"""The one rule for text a client sends: questions, history turns, chat messages, articles.

`normalize_text` is applied at the API boundary to every such text (and again by the service
for callers inside the process), so the tokenizer and the model never see raw client input:

* a lone surrogate (`"\\ud800"` in JSON: half of a UTF-16 pair, not a character) is refused:
  it cannot be encoded as UTF-8, and the tokenizer fails on it;
* the text is put in Unicode NFC form (a composed "é" and "e" + combining accent match);
* a C1 control character (U+0080-U+009F) is read as the Windows-1252 character of its byte
  (`c1_controls_as_cp1252`: U+0092 is "’", U+0080 "€"): Windows-1252 text decoded as Latin-1
  holds them in place of its curly quotes, dashes and euro signs, and text hardly ever means
  the controls themselves (U+0085, an EBCDIC line end, becomes "…" too);
* line breaks become newlines (`\\r\\n` and a lone `\\r`); other control characters than
  newline and tab are removed (NUL, BEL, escape, the five C1 controls Windows-1252 leaves
  undefined, ...), and so is the byte-order mark; a zero-width space, invisible and splitting
  words for search, is removed too, or becomes a space where it stood between two words
  (`qa.lexical.without_zero_width_spaces`). Other format characters stay (zero-width joiners
  in emoji and Indic scripts, direction marks in Arabic and Hebrew).

`has_visible_text` says whether anything is left to read; a required text without visible
characters is refused with `empty_text_problem`'s message, the same on every endpoint.

`binary_kind` tells a binary file (a PDF, a ZIP such as a .docx, a PNG, JPEG or GIF image) by
its first bytes, whether it is a file's bytes or a client's reading of them as text: one
detector for `POST /documents` and for the corpus folder's pages and text files, so each says
what the file is and what to do instead (`binary_problem`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from qa.errors import BadInput
from qa.lexical import without_zero_width_spaces

# C0 and C1 controls and DEL except tab and newline; byte-order mark (zero-width spaces are
# gone before: qa.lexical.without_zero_width_spaces; the C1 controls Windows-1252 defines
# before that, `c1_controls_as_cp1252`)
_REMOVED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n?")

# Windows-1252 text decoded as Latin-1 (ISO-8859-1, which a client, a database driver or a
# scraper takes for it, and which Python's "latin-1" codec reads any byte as): each byte
# 0x80-0x9F, Windows-1252's ’ “ ” – — … € ™ Š œ and so on, becomes the C1 control character of
# the same number, U+0080-U+009F, and "the port’s director … “We lost €2.5 million,”" would be
# stored as "the ports director … We lost 2.5 million," once controls are removed. Text hardly
# ever means these controls (HTML forbids them; the HTML standard decodes these bytes as
# Windows-1252 even for a page labelled ISO-8859-1), so each is read as the character of its
# byte, as ftfy's `fix_c1_controls` does (ftfy is not a dependency: this table is all of it).
# The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) stay controls,
# which are removed.
_CP1252_OF_C1 = {
    code: bytes([code]).decode("cp1252")
    for code in range(0x80, 0xA0)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_C1_DEFINED = re.compile("[" + "".join(map(chr, _CP1252_OF_C1)) + "]")


def c1_controls_as_cp1252(text: str) -> str:
    """`text` with each C1 control character that Windows-1252 defines a byte for read as that
    character (U+0092 → "’", U+0080 → "€"); the five it leaves undefined are left as they are."""
    return text.translate(_CP1252_OF_C1)


def c1_note(field: str, text: str) -> str | None:
    """What `c1_controls_as_cp1252` repairs in `text`, said for a client (None when nothing):
    how many C1 controls were read as Windows-1252, which characters they gave, and the fix."""
    found = _C1_DEFINED.findall(text)
    if not found:
        return None
    meant = " ".join(dict.fromkeys(c1_controls_as_cp1252("".join(found))))
    return (
        f"{field}: {len(found)} C1 control character(s) (U+0080-U+009F) were read as the "
        f"Windows-1252 characters of their bytes ({meant}): the text was decoded as Latin-1 "
        "(ISO-8859-1) though it was Windows-1252; decode it as Windows-1252 (cp1252)"
    )


class UnusableText(BadInput):
    """A text the service cannot read at all (a lone surrogate)."""


def surrogate_problem(text: str) -> str | None:
    """Why `text` cannot be read, or None: names the first lone surrogate and where it is."""
    found = _SURROGATE.search(text)
    if found is None:
        return None
    code = ord(found.group())
    return (
        f"has an unpaired surrogate (U+{code:04X}) at character {found.start() + 1}, which is "
        "not a character: send valid Unicode text (a lone \\ud800-\\udfff escape in JSON is not "
        "allowed)"
    )


# a Windows-1252 reading of a UTF-8 lead byte followed by continuation bytes ("Ã©" for "é",
# "â€™" for "’"): the lead is one of the bytes that begin the characters European text has,
# Â-Å (U+0080-U+017F: Latin-1 and Latin Extended-A) or â (U+2000-U+2FFF: punctuation, €, ™),
# each continuation a character cp1252 gives to 0x80-0xBF. An accented letter before a quote
# or an ellipsis ("Perché…»", "CAFÉ’S") can be well-formed UTF-8 by chance, but not from these.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00c5\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]+"
)


def _mojibake(text: str) -> list[tuple[str, str]]:
    """Each run of `text` that is UTF-8 bytes read as Windows-1252, with what it was written
    as: a run that encodes to cp1252 and decodes back as UTF-8 ("Ã©" → "é")."""
    found = []
    for match in _MOJIBAKE.finditer(text):
        try:
            meant = match.group().encode("cp1252").decode("utf-8")
        except UnicodeError:  # "é»" in «Café»: not a UTF-8 sequence
            continue
        found.append((match.group(), meant))
    return found


# what a binary file's bytes 0x80-0xFF become when a client reads it as text: Latin-1's
# characters (and C1 controls), Windows-1252's, or UTF-8's replacement character
_HIGH_BYTES = frozenset([*map(chr, range(0x80, 0x100)), *_CP1252_OF_C1.values(), "\ufffd"])


def _binary_share(text: str) -> float | None:
    """The share of `text`'s visible characters that stand for bytes 0x80-0xFF when it reads
    as a binary file's bytes (random or compressed data) read as text, else None: a third or
    more of them, among as many printable ASCII characters of all kinds as random bytes give,
    and hardly any white space (one byte in 256 is a space; prose has one in six or so).
    Text in the wrong encoding keeps its spaces, and a non-Latin script read as Latin-1 has
    next to no ASCII besides them, so neither is taken for binary."""
    sample = text[:20_000]
    visible = [c for c in sample if not c.isspace()]
    if len(visible) < 50:
        return None
    high = sum(c in _HIGH_BYTES for c in visible)
    ascii_chars = sum(c < "\x80" for c in visible)
    spaces = len(sample) - len(visible)
    binary = (
        high > 0.3 * len(visible)
        and ascii_chars > 0.15 * len(visible)
        and spaces < 0.05 * len(sample)
    )
    return high / len(visible) if binary else None


def garbled_problem(text: str) -> str | None:
    """Why `text` looks binary or wrongly decoded, or None. Binary content is told first (a
    binary file's bytes hold replacement characters and what looks like UTF-8 read as
    Windows-1252 by chance, and advice on encodings would not help): `_binary_share`. Then
    replacement characters (U+FFFD, which a decoder leaves where bytes were not of its
    encoding), UTF-8 read as Windows-1252 ("JosÃ© MartÃ­nez", twice or more), or a text mostly
    of the Latin-1 range's symbols and accented letters (a binary file's bytes read as
    Latin-1; a European language's own text has a few in a hundred)."""
    share = _binary_share(text)
    if share is not None:
        return (
            f"is binary content, not an article's words: {share:.0%} of its characters are "
            "what bytes 0x80-0xFF become when read as text (Latin-1 symbols, U+FFFD "
            "replacement characters), with hardly a space, as in a binary file read as text; "
            "send the article's words (convert a PDF or another document to text first, or "
            "save the web page it came from as HTML)"
        )
    replaced = text.count("\ufffd")
    if replaced:
        return (
            f"holds {replaced} replacement character(s) (U+FFFD), which a decoder leaves where "
            "bytes were not of its encoding: read the file with its real encoding"
        )
    mojibake = _mojibake(text)
    if len(mojibake) >= 2:
        seen, meant = mojibake[0]
        return (
            f"holds {len(mojibake)} sequences of UTF-8 read as Windows-1252 (such as {seen!r} for "
            f"{meant!r}): send the text as it was written, or read its file as UTF-8"
        )
    visible = [c for c in text if not c.isspace()]
    latin1 = sum("\u0080" <= c <= "\u00ff" for c in visible)
    if len(visible) >= 50 and latin1 > 0.3 * len(visible):
        return (
            f"is {latin1 / len(visible):.0%} Latin-1 symbols and accented letters, as a binary "
            "file read as text is: send the article's text"
        )
    return None


# HTML elements that only a page's markup holds, not an article's words
_MARKUP = re.compile(
    r"</?(?:p|div|br|span|a|h[1-6]|li|ul|ol|table|tr|td|article|section|html|body|head|"
    r"script|style|strong|em|b|i|img|meta|link)\b[^<>]{0,500}>",
    re.IGNORECASE,
)


def markup_problem(text: str) -> str | None:
    """Why `text` looks like a web page's markup rather than an article's words, or None: two
    or more HTML tags ("<p>…</p>"), which would be indexed, quoted and cited as they are. One
    tag can be an article's own words (a story about "<script>" injection)."""
    tags = _MARKUP.findall(text)
    if len(tags) < 2:
        return None
    return (
        f"holds HTML markup ({len(tags)} tags, such as {tags[0][:40]!r}): send a saved web "
        "page as html, which reads the article out of it, or the article's words without tags"
    )


def normalize_text(text: str) -> str:
    """NFC, without control characters (but newline and tab) or invisible padding; C1 controls
    read as the Windows-1252 characters they stand for.

    Raises `UnusableText` for a lone surrogate. The result may be empty: whether that is
    allowed depends on the field (see `has_visible_text`).
    """
    problem = surrogate_problem(text)
    if problem is not None:
        raise UnusableText(f"the text {problem}")
    composed = unicodedata.normalize("NFC", _LINE_BREAK.sub("\n", c1_controls_as_cp1252(text)))
    return _REMOVED.sub("", without_zero_width_spaces(composed))


def has_visible_text(text: str) -> bool:
    """True when some character is neither white space nor a control or format character."""
    return any(unicodedata.category(c)[0] not in "ZC" for c in text)


def empty_text_problem(field: str, what: str) -> str:
    """The one message for a required text with nothing visible in it."""
    return (
        f"{field} is empty: send {what} with at least one visible character "
        "(control characters and invisible ones are removed)"
    )


def within_length(text: str, *, field: str, max_chars: int, shorter: str) -> str:
    """`text` with its white space collapsed, as its length is counted; `BadInput` naming
    `field`, its length and the limit, then `shorter` (what to send instead), when that is
    over `max_chars`. The one length rule of a question and of a search's query."""
    collapsed = " ".join(text.split())
    if len(collapsed) > max_chars:
        raise BadInput(
            f"{field} is {len(collapsed)} characters long; the limit is {max_chars}. {shorter}"
        )
    return collapsed


def require_text(text: str, *, field: str, what: str) -> str:
    """`normalize_text(text)`, or `BadInput` when nothing visible is left."""
    normalized = normalize_text(text)
    if not has_visible_text(normalized):
        raise BadInput(empty_text_problem(field, what))
    return normalized


# --- binary files sent or saved as text ----------------------------------------------------

# what to do with each kind: the words a client or a corpus folder's owner needs, not only
# "binary content"
_READ_AS_PDF = (
    "the index reads PDFs: put it in the corpus folder named .pdf, or send it to POST "
    "/documents/import as content_base64 (the page's Add form does)"
)
_SAVE_AS_TEXT = "save the document as plain text (.txt)"
_NO_TEXT = "an image holds no article text; send the article's words"
_OR_PAGE = ", or save the web page it came from as HTML (File > Save Page As)"
# the first bytes of the binary files most often sent or saved in place of an article or a
# page (their "magic numbers"), what they are, and what to do instead
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF document", _READ_AS_PDF),
    (b"PK\x03\x04", "a ZIP archive (as a .docx, .odt or .epub document is)", _SAVE_AS_TEXT),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", _NO_TEXT),
    (b"\xff\xd8\xff", "a JPEG image", _NO_TEXT),
    (b"GIF87a", "a GIF image", _NO_TEXT),
    (b"GIF89a", "a GIF image", _NO_TEXT),
    (b"bplist00", "a binary property list (as Safari's .webarchive is)",
     "put a .webarchive file in the corpus folder, which reads it"),
)  # fmt: skip
_HEAD = 16  # characters (or bytes) enough for every signature


def _bytes_read_as(text: str) -> list[int | None]:
    """The bytes `text`'s first characters were read from, as a client may have read a binary
    file: Latin-1 (a C1 control is its byte), Windows-1252 ("‰" is 0x89), or UTF-8 with
    replacement characters, each None for a byte of 0x80-0xFF that is not known."""
    found: list[int | None] = []
    for char in text[:_HEAD]:
        if ord(char) < 0x100:
            found.append(ord(char))
            continue
        try:
            found.append(char.encode("cp1252")[0])
        except UnicodeEncodeError:
            found.append(None)  # U+FFFD, or another decoder's reading
    return found


def _starts_with(head: Sequence[int | None], signature: bytes) -> bool:
    """`head` begins with `signature`, an unknown byte standing for any of 0x80-0xFF, and at
    least three bytes known ("\ufffd\ufffd\ufffd" alone is no JPEG)."""
    if len(head) < len(signature):
        return False
    pairs = list(zip(head, signature, strict=False))
    matched = all(b == s or (b is None and s >= 0x80) for b, s in pairs)
    return matched and sum(b is not None for b, _ in pairs) >= 3


def _without_controls(head: Sequence[int | None]) -> list[int | None]:
    """`head` without C0 control bytes, as the input rule leaves a text: a PNG's
    "\\r\\n\\x1a\\n" is gone from it."""
    return [b for b in head if b is None or b >= 0x20]


def binary_kind(data: bytes | str) -> tuple[str, str] | None:
    """What binary file `data` is by its first bytes, and what to do instead, or None: a PDF, a
    ZIP (a .docx), a PNG, JPEG or GIF image. `data` may be the file's bytes or its text as a
    client read it (Latin-1, Windows-1252, UTF-8 with replacement characters), before or after
    the input rule removed its control characters."""
    if isinstance(data, bytes):
        start = data.removeprefix(b"\xef\xbb\xbf").lstrip()[:_HEAD]
        head: list[int | None] = list(start)
    else:
        head = _bytes_read_as(data.lstrip("\ufeff \t\r\n"))
    for signature, kind, instead in _SIGNATURES:
        if _starts_with(head, signature):
            return kind, instead
        # the input rule removed its control bytes ("PK" alone is too short to tell)
        if _starts_with(_without_controls(head), bytes(b for b in signature if b >= 0x20)):
            return kind, instead
    return None


def binary_problem(data: bytes | str, *, wanted: str, text: str | None = None) -> str | None:
    """Why `data` is a binary file rather than `wanted` ("an HTML page", "text"), or None: its
    kind by its first bytes (`binary_kind`) and what to send or save instead; else, when the
    `text` it was decoded to is given, NUL characters or many other control characters in
    it, which no text or page holds ("binary content"). Without `text` only the kind is
    looked for: a client's text with a stray NUL is not refused, the input rule removes it."""
    found = binary_kind(data)
    if found is not None:
        kind, instead = found
        return f"binary content: {kind}, not {wanted}; {instead}{_OR_PAGE}"
    if text is None:
        return None
    sample = text[:8192]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f")
    if "\x00" in text or controls > 0.02 * len(sample):
        return "binary content" if wanted == "text" else f"binary content, not {wanted}"
    return None
