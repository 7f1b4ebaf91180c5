"""Classic LexisNexis text exports (`.TXT`), made up here in the layout LexisNexis Academic
writes them (a cover page, centred "N of M DOCUMENTS" markers, the publication and date line
centred, labelled fields in capitals, hard-wrapped paragraphs, the fields and copyright LexisNexis
adds after the text), for the unit and e2e tests of index/text_exports.py and qa/nexis_text.py."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

COVER = """\



Download Request: Selected Items: 1-3
Time Of Request: Tuesday, March 19, 2024  10:02:11

Terms: (harbour and ferry)

Source: Regional Newspapers
Project ID: None


"""


@dataclass(frozen=True)
class TextItem:
    """One article of an export, as LexisNexis lays it out."""

    title: str
    source: str | None
    date_line: str | None
    paragraphs: list[str]
    byline: str | None = None
    section: str | None = "NEWS; Pg. 4"
    edition: list[str] = field(default_factory=list)
    length: bool = True
    tail: list[str] = field(
        default_factory=lambda: [
            "LOAD-DATE: March 19, 2024",
            "LANGUAGE: ENGLISH",
            "PUBLICATION-TYPE: Newspaper",
        ]
    )


def _centred(line: str) -> str:
    return line.center(78).rstrip()


def item_text(number: int, total: int, item: TextItem) -> str:
    """One item of the export, its marker first."""
    lines = [_centred(f"{number} of {total} DOCUMENTS"), "", "", ""]
    if item.source is not None:
        lines += [_centred(item.source), ""]
    if item.date_line is not None:
        lines += [_centred(item.date_line), *(_centred(e) for e in item.edition), ""]
    lines += [*textwrap.wrap(item.title, 78), ""]
    if item.byline is not None:
        lines += [f"BYLINE: {item.byline}", ""]
    if item.section is not None:
        lines += [f"SECTION: {item.section}", ""]
    if item.length:
        words = sum(len(p.split()) for p in item.paragraphs)
        lines += [f"LENGTH: {words} words", "", ""]
    for paragraph in item.paragraphs:
        lines += [*textwrap.wrap(paragraph, 78, break_on_hyphens=False), ""]
    for tail in item.tail:
        lines += [tail, ""]
    if item.source is not None:
        notice = [_centred(f"Copyright 2024 {item.source}"), _centred("All Rights Reserved")]
        lines += ["", *notice, ""]
    return "\n".join(lines) + "\n"


def export_text(items: Sequence[TextItem], *, first: int = 1, total: int | None = None,
                cover: bool = True) -> str:  # fmt: skip
    """The export's text: the cover page, then each item numbered from `first` of `total`."""
    total = total if total is not None else first - 1 + len(items)
    return (COVER if cover else "") + "".join(
        item_text(first + i, total, item) for i, item in enumerate(items)
    )


def write_export(path: Path, items: Sequence[TextItem], *, crlf: bool = False,
                 encoding: str = "utf-8", **kwargs: object) -> Path:  # fmt: skip
    text = export_text(items, **kwargs)  # type: ignore[arg-type]
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes(text.encode(encoding))
    return path


LIGHTHOUSE = TextItem(
    title="Lighthouse keeper on Skarra retires after forty-one years on the rock",
    source="The Brindle Coast Courier",
    date_line="March 3, 2019 Sunday",
    byline="By Marit Olsen",
    paragraphs=[
        "Ada Lind, who kept the light on Skarra for forty-one years, handed the keys to the "
        "harbour board on Saturday and left the island on the morning boat.",
        "The light will be run from the mainland from April, the board said, a well-known "
        "change that saves 90,000 crowns a year.",
    ],
)
FERRY = TextItem(
    title="Night ferry to Tarn Island will not sail in winter",
    source="Vessby Evening Post",
    date_line="November 12, 2019 Tuesday",
    edition=["Final Edition"],
    byline="JONAS EK",
    section=None,
    paragraphs=[
        "The night ferry to Tarn Island will not sail between December and March, the "
        "county's transport office said, because too few passengers used it last winter.",
        "Islanders who work late in Vessby will have to take the last day boat at 17.40.",
    ],
)
BRIDGE = TextItem(
    title="Old swing bridge at Mora opens for walkers",
    source="Mora Weekly",
    date_line="June 21, 2020",
    paragraphs=["The old swing bridge at Mora reopened on Saturday for walkers and cyclists."],
    tail=["LOAD-DATE: June 22, 2020", "LANGUAGE: ENGLISH", "URL: https://mora.example/bridge"],
)
EXPORT = [LIGHTHOUSE, FERRY, BRIDGE]
