"""Word documents the tests make with python-docx itself: a Nexis Uni export laid out as Nexis
lays one out (a cover page, then each article's title, publication, date line, labelled fields
with a no-break space after the colon, "Body", the text, the furniture after it and "End of
Document"; JBGruber/LexisNexisTools' reading of the format, qa/nexis.py) and a plain article.
The articles are invented."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import docx

NBSP = "\u00a0"


@dataclass(frozen=True)
class NexisItem:
    title: str
    source: str
    date_line: str
    paragraphs: list[str]
    byline: str | None = None
    section: str | None = "NEWS; Pg. 4"
    extra_header: list[str] = field(default_factory=list)  # edition lines after the date
    graphic: str | None = None  # a caption Nexis puts after the text


LIGHTHOUSE = NexisItem(
    title="Lighthouse keeper retires after 41 years",
    source="The Brindle Coast Courier",
    date_line="March 3, 2019 Sunday",
    byline="By Marit Olsen",
    paragraphs=[
        "Oskar Lind climbed the 212 steps of the Brindle Point lighthouse for the last time on "
        "Saturday, ending 41 years as its keeper.",
        "The light will be run from the harbour office in Vessby from next month, the coast "
        "authority said.",
    ],
    graphic="PHOTO: Oskar Lind at the top of the tower.",
)
FERRY = NexisItem(
    title="Night ferry to Tarn Island cancelled for winter",
    source="Vessby Evening Post",
    date_line="November 12, 2019 Tuesday",
    byline="Jonas Ek",
    extra_header=["Final Edition"],
    paragraphs=[
        "The night ferry to Tarn Island will not sail between December and March, its operator "
        "said on Monday, citing falling passenger numbers.",
        "Link to Image",
        "Islanders have asked the county to pay for at least one sailing a week.",
    ],
)
BRIDGE = NexisItem(
    title="Repairs close Kessel bridge for six weeks",
    source="The Brindle Coast Courier",
    date_line="June 21, 2020 Sunday",
    byline=None,
    section=None,
    paragraphs=[
        "The Kessel bridge will be closed to cars from Monday while its deck is resurfaced, the "
        "road authority said, with a diversion of 14 kilometres through Harrow.",
    ],
)
EXPORT = [LIGHTHOUSE, FERRY, BRIDGE]


def nexis_export(path: Path, items: list[NexisItem], *, cover: bool = True) -> Path:
    """A Nexis Uni export of `items` saved at `path`."""
    document = docx.Document()
    for paragraph in nexis_paragraphs(items, cover=cover):
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def nexis_paragraphs(items: list[NexisItem], *, cover: bool = True) -> list[str]:
    """The paragraphs of a Nexis Uni export of `items`, in order (its Word and its RTF
    download hold the same)."""
    paragraphs: list[str] = []
    add = paragraphs.append
    if cover:
        add(f"User Name:{NBSP}Newsroom Research")
        add(f"Date and Time:{NBSP}Wednesday, March 20, 2024 3:05:00 PM EDT")
        add(f"Job Number:{NBSP}181819")
        add("Documents (3)")
        for number, item in enumerate(items, start=1):
            add(f"{number}. {item.title}")
        add(f"Client/Matter:{NBSP}-None-")
        add(f"Search Terms:{NBSP}harbour OR ferry")
        for _ in range(3):
            add("")
    for item in items:
        add(item.title)
        add(item.source)
        add(item.date_line)
        for line in item.extra_header:
            add(line)
        add(f"Copyright 2019 {item.source} All Rights Reserved")
        if item.section:
            add(f"Section:{NBSP}{item.section}")
        words = sum(len(p.split()) for p in item.paragraphs)
        add(f"Length:{NBSP}{words} words")
        if item.byline:
            add(f"Byline:{NBSP}{item.byline}")
        add("Body")
        for paragraph in item.paragraphs:
            add(paragraph)
        if item.graphic:
            add("Graphic")
            add(item.graphic)
        add("Classification")
        add(f"Language:{NBSP}ENGLISH")
        add(f"Publication-Type:{NBSP}Newspaper")
        add(f"Subject:{NBSP}TRANSPORTATION (90%); PORTS (78%)")
        add(f"Load-Date:{NBSP}{item.date_line}")
        add("End of Document")
    return paragraphs


def word_article(
    path: Path,
    *,
    headline: str | None,
    paragraphs: list[str],
    title_property: str = "",
    author_property: str = "python-docx",
    table: list[list[str]] | None = None,
) -> Path:
    """One article as a Word document: its headline styled Title (none when None), its
    paragraphs, and a table after the first paragraph when one is given."""
    document = docx.Document()
    document.core_properties.title = title_property
    document.core_properties.author = author_property
    if headline is not None:
        document.add_heading(headline, level=0)
    for number, paragraph in enumerate(paragraphs):
        document.add_paragraph(paragraph)
        if table is not None and number == 0:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for row, cells in zip(grid.rows, table, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.text = text
    document.save(str(path))
    return path
