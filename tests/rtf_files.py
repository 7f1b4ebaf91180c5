"""RTF documents the tests write themselves, in the shape word processors and LexisNexis write
them: a header with a code page and a font table, then paragraphs ended by `\\par`, characters
beyond ASCII as `\\'xx` bytes of the code page or `\\uN?`. The articles are invented."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tests.factiva_files import FactivaItem
from tests.nexis_text_files import TextItem
from tests.word_files import NexisItem, nexis_paragraphs

HEADER = (
    "{\\rtf1\\ansi\\ansicpg1252\\deff0\\nouicompat{\\fonttbl{\\f0\\fnil\\fcharset0 Calibri;}}\n"
    "{\\colortbl ;\\red0\\green0\\blue255;}\n{\\*\\generator Riched20 10.0.19041}\\viewkind4\\uc1\n"
    "\\pard\\sa200\\sl276\\slmult1\\f0\\fs22\\lang9 "
)


def rtf_escaped(text: str) -> str:
    """`text` as RTF: its control characters escaped, a letter of Windows-1252 as its byte
    (`\\'e9`), any other as `\\uN?`, a line break within a paragraph as `\\line`."""
    out: list[str] = []
    for char in text:
        if char in "\\{}":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\line ")
        elif ord(char) < 128:
            out.append(char)
        else:
            try:
                out.append(f"\\'{char.encode('cp1252')[0]:02x}")
            except UnicodeEncodeError:
                for unit in range(0, len(char.encode("utf-16-le")), 2):
                    code = int.from_bytes(char.encode("utf-16-le")[unit : unit + 2], "little")
                    out.append(f"\\u{code - 65536 if code > 32767 else code}?")
    return "".join(out)


def rtf_document(paragraphs: Sequence[str]) -> bytes:
    """An RTF document of `paragraphs`, each ended by `\\par` (an empty one too)."""
    body = "".join(f"{rtf_escaped(p)}\\par\n" for p in paragraphs)
    return (HEADER + body + "}\n").encode("ascii")


def nexis_uni_rtf(path: Path, items: list[NexisItem], *, cover: bool = True) -> Path:
    """A Nexis Uni export of `items` downloaded as RTF: the paragraphs of its Word download."""
    path.write_bytes(rtf_document(nexis_paragraphs(items, cover=cover)))
    return path


def classic_nexis_paragraphs(items: Sequence[TextItem]) -> list[str]:
    """A classic LexisNexis export of `items` as its RTF download lays it out: the marker, the
    header lines and each field a paragraph, each paragraph of the text one (not wrapped), an
    empty paragraph between blocks."""
    paragraphs: list[str] = ["Download Request: Selected Items: 1-3", "", ""]
    total = len(items)
    for number, item in enumerate(items, start=1):
        paragraphs += [f"{number} of {total} DOCUMENTS", ""]
        if item.source is not None:
            paragraphs += [item.source, ""]
        if item.date_line is not None:
            paragraphs += [item.date_line, ""]
        paragraphs += [item.title, ""]
        if item.byline is not None:
            paragraphs += [f"BYLINE: {item.byline}"]
        if item.section is not None:
            paragraphs += [f"SECTION: {item.section}"]
        words = sum(len(p.split()) for p in item.paragraphs)
        paragraphs += [f"LENGTH: {words} words", ""]
        for paragraph in item.paragraphs:
            paragraphs += [paragraph, ""]
        paragraphs += [*item.tail, "", f"Copyright 2024 {item.source}", ""]
    return paragraphs


def classic_nexis_rtf(path: Path, items: Sequence[TextItem]) -> Path:
    path.write_bytes(rtf_document(classic_nexis_paragraphs(items)))
    return path


def factiva_rtf_paragraphs(items: Sequence[FactivaItem]) -> list[str]:
    """A Factiva export of `items` as its "RTF – Article Format" download lays it out: the
    section, headline, byline, word count, date, time, source, source code, language and
    copyright a line each, the paragraphs, the closing "Document <accession>" line, and an
    empty paragraph where the page breaks before the next article."""
    paragraphs: list[str] = []
    for item in items:
        words = sum(len(p.split()) for p in item.paragraphs)
        paragraphs += [line for line in (item.section, item.title, item.author) if line]
        paragraphs += [f"{words} words", item.date or "", "10:05 GMT"]
        if item.source:
            paragraphs += [item.source, item.source.upper().replace(" ", "")[:6]]
        paragraphs += ["English", f"Copyright 2023 {item.source or 'Factiva'}", *item.paragraphs]
        paragraphs += [f"{item.closer} {item.accession}", ""]
    return paragraphs
