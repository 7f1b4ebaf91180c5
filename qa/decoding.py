"""Bytes to text, as a browser or an editor reads them: a saved page's (`decode_html`: its
byte-order mark, UTF-16 without one, the charset it declares, UTF-8, then a guess) and a plain
text file's (`decode_text`: its byte-order mark, UTF-16 without one, UTF-8 with stray
Windows-1252 bytes read as such, then a guess); both guess an undeclared legacy encoding alike
(`_guess_legacy_encoding`)."""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import NamedTuple

import charset_normalizer
import regex
from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

from qa.text_input import c1_controls_as_cp1252

_MULTIBYTE = {
    "shift_jis", "cp932", "euc_jp", "euc_jis_2004", "euc_jisx0213", "iso2022_jp", "gb2312",
    "gbk", "gb18030", "hz", "big5", "big5hkscs", "cp950", "euc_kr", "cp949", "johab",
    "utf_16", "utf_32",
}  # fmt: skip


def decode_html(data: bytes) -> str:
    """Decode a page as a browser would: byte-order mark, then UTF-16 without one
    (`utf16_without_mark`: Word saves pages so), then the charset the page declares
    (meta tag or XML declaration; `iso-8859-1` read as windows-1252, as the HTML standard
    says), then UTF-8, then a guess for undeclared legacy encodings.

    A page declared windows-1252 (or iso-8859-1) that holds one of the five bytes Windows-1252
    leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) is still read as windows-1252 when it is
    not UTF-8 either, as the HTML standard's decoder reads it (each such byte a C1 control,
    which cleaning removes): Python's strict cp1252 refuses those bytes, and the guess that
    followed read the whole page in another code page ("portís" for "port’s"). A page declared
    windows-1252 that is UTF-8 holding C1 controls (decoded as Latin-1, then saved as UTF-8
    with its declaration kept) is read as UTF-8: as windows-1252 it would read "portÂ’s"."""
    bom_encoding, bom = read_bom(data)
    if bom_encoding is not None and bom is not None:
        return data[len(bom) :].decode(bom_encoding, errors="replace")
    wide = utf16_without_mark(data)  # before the charset: UTF-8 and cp1252 read NULs
    if wide is not None:
        return whole_code_units(data).decode(wide, errors="replace")
    declared = html_body_declared_encoding(data)
    encoding = None
    if declared is not None:
        encoding = resolve_encoding(declared) or declared
        if _is_cp1252(encoding) and _UTF8_C1.search(data):
            try:  # decoded as Latin-1, then saved as UTF-8 with its declaration kept
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration, or a windows-1252 page with an undefined byte
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if encoding is not None and _is_cp1252(encoding):
        return _windows_1252(data)
    return data.decode(_guess_legacy_encoding(data), errors="replace")


# what a text without a byte-order mark that holds NUL bytes may be written in: UTF-16, where a
# space, a digit, a comma or a Latin letter has a NUL beside it (the high byte of its code unit)
_UTF16 = ["utf_16_le", "utf_16_be"]
# the share of code units with a NUL byte, all on one side, that UTF-16 text shows: Latin text
# about every unit, Cyrillic or Greek its spaces and punctuation (one in six or so), a page its
# markup too; a stray NUL in UTF-8, or binary data, does not
_UTF16_MIN_NULS = 0.1
_UTF16_MIN_NUL_COUNT = 8
# a short text (a one-line note) has fewer NULs than that count: it is UTF-16 when its NULs are
# all on one side, at least this many and in at least this share of its code units (a Latin
# note has one in nearly every unit, "Да, 10 мая" one in half), and it reads as UTF-16 with no
# unpaired surrogate, no control character and no a-z letter beside a letter of another script
# in one word (`_MIXED_WORD`: read wrongly, a unit without a NUL is two ASCII bytes, a Chinese
# character between Latin letters, "s敳d"). A UTF-8 text with one or two stray NULs is none (of
# 40,000 pieces of the seeds' lines, 2 to 200 bytes), nor are random bytes but 35 in 19,499
# short ones a third NULs (2 to 64 bytes); a note of one or two letters is too short to tell.
# charset-normalizer, which confirms a longer text, reads a few units either way ("Hi" as
# big-endian). The page's Add form tells it alike (api/static/documents.js: keep them alike)
_UTF16_SHORT_MIN_NULS = 0.5
_UTF16_SHORT_MIN_NUL_COUNT = 3
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # but tab, line and page breaks


def utf16_without_mark(data: bytes) -> str | None:
    """The UTF-16 that `data` is written in without a byte-order mark (Word and other Windows
    programs save pages and text so: "Unicode" in their encoding options), or None. Such bytes
    are also well-formed UTF-8 and windows-1252 when the text is ASCII (each NUL read as a NUL,
    which made the page "binary content"), so this is asked first. Told by where the NUL bytes
    stand (a tenth of the code units or more have one, all on the same side: little- or
    big-endian), then confirmed by charset-normalizer reading the bytes as UTF-16 alone, so
    binary data and UTF-8 with a stray NUL are none; a short text with fewer than eight NULs by
    a rule of its own (`_short_utf16`). Text in a script far from ASCII (Chinese without
    markup) has too few NULs to tell, and is left to the guess after UTF-8. A last odd byte is
    no code unit: `whole_code_units` leaves it out."""
    if b"\x00" not in data:
        return None
    whole = whole_code_units(data)
    units = len(whole) // 2
    even, odd = whole[0::2].count(0), whole[1::2].count(0)
    most, fewest = max(even, odd), min(even, odd)
    if most < _UTF16_MIN_NUL_COUNT:
        return _short_utf16(whole, even, odd)
    if most < _UTF16_MIN_NULS * units or fewest > most / 10:
        return None
    # a sample cut inside a character (a table's opening) is read up to the last whole one
    best = charset_normalizer.from_bytes(whole, cp_isolation=_UTF16).best()
    return codecs.lookup(best.encoding).name if best is not None else None


def _short_utf16(whole: bytes, even: int, odd: int) -> str | None:
    """`utf16_without_mark` of a text with few NULs (`_UTF16_SHORT_MIN_NULS`)."""
    most = max(even, odd)
    if min(even, odd) or most < max(
        _UTF16_SHORT_MIN_NUL_COUNT, _UTF16_SHORT_MIN_NULS * len(whole) / 2
    ):
        return None
    # the high byte comes first in big-endian: its NULs stand on the even positions
    encoding = "utf-16-be" if even else "utf-16-le"
    try:
        text = whole.decode(encoding)
    except UnicodeDecodeError:  # an unpaired surrogate
        return None
    # read wrongly, the units without a NUL are characters of scripts far apart ("s敳d")
    return encoding if not _MIXED_WORD.search(text) and not _CONTROL.search(text) else None


def whole_code_units(data: bytes) -> bytes:
    """`data` without a last odd byte, which is no UTF-16 code unit (a line break a tool added,
    a file cut short): decoded, it would be a U+FFFD at the end of the text, which is refused.
    Only for UTF-16 told without a mark, by its NULs, which one byte more does not change: after
    a byte-order mark an odd length is a sign the two bytes were a mark by chance (FF FE, then
    " not text"), and the U+FFFD keeps such a file refused."""
    return data[: len(data) // 2 * 2]


# a C1 control character in UTF-8 (b"\xc2\x92" for U+0092): what a windows-1252 page holds
# once it was decoded as Latin-1 and saved as UTF-8 with its <meta charset="windows-1252">
# kept; read as windows-1252, each would be "Â" and a quote ("portÂ’s"), which no text holds
_UTF8_C1 = re.compile(rb"\xc2[\x80-\x9f]")


def _is_cp1252(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name == "cp1252"
    except LookupError:
        return False


def _windows_1252(data: bytes) -> str:
    """`data` decoded as the HTML standard's windows-1252: every byte is read, the five that
    Windows-1252 leaves undefined as the C1 controls of their numbers (Python's "cp1252"
    refuses them)."""
    return c1_controls_as_cp1252(data.decode("latin-1"))


class DecodedText(NamedTuple):
    text: str
    encoding: str  # Python's name for it: "utf-8", "utf-16-le", "cp1252", …
    guessed: bool  # not all of it UTF-8, nor named by a byte-order mark
    foreign_bytes: int = 0  # in a UTF-8 text, bytes that are not UTF-8, read as windows-1252


def decode_text(data: bytes) -> DecodedText:
    """A plain-text file's text: in the encoding its byte-order mark names (UTF-8, UTF-16 or
    UTF-32, as Windows Notepad writes them), else UTF-16 without a mark (`utf16_without_mark`,
    said as a guess), else UTF-8, else the likeliest legacy encoding (a
    text saved as Windows-1252 or Shift-JIS declares nothing). A UTF-8 text with a pasted-in
    Windows-1252 paragraph (bytes that are not UTF-8 among ones that are) keeps its UTF-8 and
    reads the others as Windows-1252. A guess can be wrong where a short text reads well in
    two encodings, so the caller says which files were guessed."""
    bom_encoding, bom = read_bom(data)
    if bom_encoding is not None and bom is not None and bom_encoding != "utf-8":
        return DecodedText(
            data[len(bom) :].decode(bom_encoding, errors="replace"), bom_encoding, False
        )
    body = data[len(bom) :] if bom is not None else data
    wide = utf16_without_mark(body) if bom is None else None
    if wide is not None:
        return DecodedText(whole_code_units(body).decode(wide, errors="replace"), wide, True)
    try:
        return DecodedText(body.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    # the stray bytes come back from the decoder as lone surrogates U+DC80-U+DCFF
    escaped = body.decode("utf-8", errors="surrogateescape")
    foreign = len(escaped) - len(escaped.encode("utf-8", "ignore").decode("utf-8"))
    # mostly UTF-8: marked so, or as many well-formed sequences as stray bytes and a reading
    # whose letters fit one language (a windows-1252 "ß“" is well-formed UTF-8 by chance too);
    # a legacy text, with a stray byte for each of its letters beyond ASCII, stops at the count
    if bom is not None or len(_UTF8_MULTIBYTE.findall(body)) >= foreign:
        text = escaped.translate(_CP1252_OF_STRAY)  # each stray byte read as windows-1252
        if bom is not None or _fits_one_alphabet(text[:SAMPLE_CHARS]):
            return DecodedText(text, "utf-8", True, foreign)
    encoding = codecs.lookup(_guess_legacy_encoding(body)).name
    return DecodedText(body.decode(encoding, errors="replace"), encoding, True)


# a well-formed UTF-8 sequence of two to four bytes (RFC 3629): rare in a legacy text
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


# a stray byte b, as "surrogateescape" gives it back (U+DC00 + b), → b read as windows-1252
# (its five unassigned bytes as U+FFFD)
_CP1252_OF_STRAY = {
    0xDC00 + b: bytes([b]).decode("cp1252", errors="replace") for b in range(0x80, 0x100)
}


def stray_bytes_as_cp1252(text: str) -> str:
    """`text` decoded with "surrogateescape", each byte the decoder could not read (a lone
    surrogate U+DC80-U+DCFF) read as windows-1252 instead."""
    return text.translate(_CP1252_OF_STRAY)


# a decoded text's opening that the plausibility checks read (they are linear in Python; the
# opening tells as well as the whole for a text in one encoding)
SAMPLE_CHARS = 100_000


# the code pages text is written in, by region (charset_normalizer also tries DOS, Mac-Greek,
# HP-Roman8 and others, which win on short texts by accident: "Núñez" as "N·±ez")
_LIKELY_ENCODINGS = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_9", "iso8859_15", "koi8_r", "koi8_u",
    "mac_roman", "cp932", "euc_jp", "iso2022_jp", "gb18030", "big5", "cp949", "utf_16",
    "utf_16_le", "utf_16_be", "utf_32",
]  # fmt: skip


_IN_WORD_MARKS = "·"  # the Catalan middle dot ("col·lecció")


def _odd_in_words(text: str) -> int:
    """Symbols, digits of another kind, control characters and stray punctuation (not quotes,
    brackets or dashes) between two letters, as a wrong code page leaves them ("Ma³gorzata",
    "M¸ller", "k‰ytt‰j‰"); letters, marks, "Smith’s" and spaces there are normal."""
    return sum(
        1
        for i in range(1, len(text) - 1)
        if ord(text[i]) > 127
        and (
            unicodedata.category(text[i])[0] in "NSC"
            or (unicodedata.category(text[i]) == "Po" and text[i] not in _IN_WORD_MARKS)
        )
        and text[i - 1].isalpha()
        and text[i + 1].isalpha()
    )


# the letters beyond a-z of the languages written in the Latin code pages above (their
# standard alphabets): a reading whose letters no one language has mixes code pages' letters
_LATIN_ALPHABETS = (
    "áčďéěíňóřšťúůýž", "áäčďéíĺľňóôŕšťúýž", "ąćęłńóśźż", "áéíóöőúüű", "čćđšž", "ăâîșțşţ",
    "çğıöşüâîû", "äöüßé", "àâæçéèêëîïôœùûüÿ", "áéíñóúü", "áâãàçéêíóôõú", "àèéìíîòóùú",
    "áéëïóöü", "æøåéó", "åäöé", "äöåšž", "áðéíóúýþæö", "àçèéíïòóúü", "äõöüšž", "āčēģīķļņšūž",
    "ąčęėįšųūž", "ċġħżà", "çë", "âêîôûŵŷáéíóú", "äöüéèà",
)  # fmt: skip


# an a-z letter beside a letter of another script, in one word: letters only (\p{L}, as the
# page's MIXED_WORD in api/static/documents.js), so "m²", "CO₂" or "x½" is none (Python's \w
# would take the superscript, subscript or fraction for a letter)
_MIXED_WORD = regex.compile(
    r"[A-Za-z](?![A-Za-z\u00c0-\u024f])\p{L}|(?![A-Za-z\u00c0-\u024f])\p{L}[A-Za-z]"
)


def _fits_one_alphabet(text: str) -> bool:
    """Whether the letters beyond a-z in `text` all belong to one language's alphabet, or all
    to one other script (Cyrillic, Greek, …): true of text read in its own code page, and
    rarely of one read in another's ("Ýstanbul … Þiþli", "Dvoøák")."""
    letters = {c for c in text.lower() if c.isalpha() and ord(c) > 127}
    if not letters:
        return True
    scripts = {unicodedata.name(c, "?").split(" ")[0] for c in letters}
    if scripts != {"LATIN"}:  # one other script, in words of its own ("unterstќtzt" is not)
        return len(scripts) == 1 and not _MIXED_WORD.search(text)
    return any(letters <= set(alphabet) for alphabet in _LATIN_ALPHABETS)


def _guess_legacy_encoding(data: bytes) -> str:
    """charset_normalizer's guess among the likely code pages, weighed by two signs of a wrong
    code page that its scores miss on short texts: symbols inside words ("Ma³gorzata"), and
    letters that no one language has together ("Ýstanbul … Þiþli"). Among the readings with
    the fewest symbols in words and about as little chaos, one whose letters fit a language
    wins, and windows-1252 before the others: it is what undeclared Western text is written in
    (the HTML standard's default for pages), and a short text reads about as well in any
    cp125x."""
    results = list(charset_normalizer.from_bytes(data, cp_isolation=_LIKELY_ENCODINGS))
    if not results:
        return "cp1252"
    if codecs.lookup(results[0].encoding).name.replace("-", "_") in _MULTIBYTE:
        return results[0].encoding
    ranked = sorted(
        ((_odd_in_words(str(r)[:SAMPLE_CHARS]), r.chaos, n, r) for n, r in enumerate(results)),
        key=lambda t: t[:3],
    )
    odd, chaos = ranked[0][0], ranked[0][1]
    ties = [r for o, c, _, r in ranked if o == odd and c <= chaos + 0.1]
    group = [r for r in ties if _fits_one_alphabet(str(r)[:SAMPLE_CHARS])] or ties
    if any("cp1252" in r.could_be_from_charset for r in group):
        return "cp1252"
    return group[0].encoding
