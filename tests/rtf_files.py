"""RTF documents the tests write themselves, in the shape word processors, LexisNexis and
Factiva write them: a header with a code page and a font table, then paragraphs ended by
`\\par` (or a table's rows, `\\trowd … \\cell … \\row`), characters beyond ASCII as `\\'xx`
bytes of the code page or `\\uN?`. The articles are invented."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tests.factiva_files import INDEXING, FactivaItem
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
        elif char == "\t":
            out.append("\\tab ")
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
    copyright a line each, the paragraphs, the closing "Document <accession>" line (none for an
    item without its accession number), and an empty paragraph where the page breaks before
    the next article."""
    paragraphs: list[str] = []
    for item in items:
        words = sum(len(p.split()) for p in item.paragraphs)
        paragraphs += [line for line in (item.section, item.title, item.author) if line]
        paragraphs += [f"{words} words", item.date or "", "10:05 GMT"]
        if item.source:
            paragraphs += [item.source, item.source.upper().replace(" ", "")[:6]]
        paragraphs += ["English", f"Copyright 2023 {item.source or 'Factiva'}", *item.paragraphs]
        paragraphs += [f"{item.closer} {item.accession}"] if item.accession else []
        paragraphs += [""]
    return paragraphs


def factiva_indexed_fields(item: FactivaItem) -> list[tuple[str, list[str]]]:
    """The fields of `item` as Factiva's layout with its indexing ("Full Article/Report plus
    Indexing") gives them, in its order: each code and its value's paragraphs."""
    words = sum(len(p.split()) for p in item.paragraphs)
    code = (item.source or "Factiva").upper().replace(" ", "")[:6]
    fields: list[tuple[str, list[str]]] = []
    fields += [("SE", [item.section])] if item.section else []
    fields += [("HD", [item.title])] if item.title else []
    fields += [("BY", [item.author])] if item.author else []
    fields += [("WC", [f"{words} words"])]
    fields += [("PD", [item.date]), ("ET", [item.time or "10:05"])] if item.date else []
    fields += [("SN", [item.source]), ("SC", [code])] if item.source else []
    fields += [("ED", ["Final"]), ("PG", ["4"]), ("LA", ["English"])]
    fields += [("CY", [f"Copyright 2023 {item.source or 'Factiva'}"])]
    lead, text = item.paragraphs[: item.lead], item.paragraphs[item.lead :]
    fields += [("LP", lead)] if lead else []
    fields += [("TD", text)] if text else []
    fields += [(code, [value]) for code, value in INDEXING]
    fields += [("AN", [f"{item.closer} {item.accession}"])] if item.accession else []
    return fields


def factiva_indexed_rtf(items: Sequence[FactivaItem], *, form: str = "table") -> bytes:
    """A Factiva export of `items` downloaded as RTF with its indexing: in the form "table",
    each article a table of a row a field, its code in bold in the first cell and its value in
    the second (a cell's paragraphs ended by `\\par`), a page break after it; in the form
    "tabs", the table as text (Word's "save as text"): a paragraph a field, its code, a tab and
    its value, the value's further paragraphs paragraphs of their own."""
    if form == "tabs":
        paragraphs: list[str] = []
        for item in items:
            for code, values in factiva_indexed_fields(item):
                paragraphs += [f"{code}\t{values[0]}", *values[1:]]
            paragraphs.append("")
        return rtf_document(paragraphs)
    body = ""
    for item in items:
        for code, values in factiva_indexed_fields(item):
            value = "\\par ".join(rtf_escaped(v) for v in values)
            body += (
                "\\trowd\\trgaph108\\trleft-108\\cellx1200\\cellx9600\n"
                f"\\pard\\intbl\\b {code}\\b0\\cell\n\\pard\\intbl {value}\\cell\\row\n"
            )
        body += "\\pard\\page\n"
    return (HEADER + body + "}\n").encode("ascii")
