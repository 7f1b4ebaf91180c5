"""Factiva HTML exports, made up here in the two layouts Factiva saves (the full article with
its table of coded fields, and the article format: headline, plain lines, paragraphs and a
closing "Document …" line), inside a page with Factiva's banner table and footer, for the unit
and e2e tests of qa/factiva.py and index/html_exports.py."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FactivaItem:
    """One article of an export, as Factiva gives it."""

    title: str | None
    source: str | None
    date: str | None  # as Factiva writes it: "14 March 2023"
    paragraphs: list[str]  # the lead paragraphs first
    accession: str | None
    author: str | None = None  # the byline as written: "By Ines Varga"
    lead: int = 1  # how many of `paragraphs` are lead paragraphs (LP), the rest text (TD)
    section: str | None = "News"
    language: str = "en"
    closer: str = "Document"  # the word before the accession number
    time: str | None = None  # the time of day a newswire's item gives after its date (ET)


LANTERNS = FactivaItem(
    title="Vessby lantern festival moves to the harbour",
    source="Vessby Evening Post",
    date="14 March 2023",
    author="By Ines Varga",
    accession="VSBYEP0020230314ej3e0001a",
    paragraphs=[
        "The Vessby lantern festival will be held on the harbour front this year, its "
        "organisers said on Tuesday.",
        "The old market square could no longer hold the crowds: 9,000 people came last "
        "winter, twice the number the square was built for.",
        "Fishing boats will carry 400 paper lanterns across the harbour on the festival's "
        "last night.",
    ],
)
TRAM = FactivaItem(
    title="Skarra tram line reaches the university",
    source="Skarra Daily",
    date="2 May 2022",
    author="By Tomas Brenner",
    accession="SKARDY0020220502ei520002b",
    lead=2,
    paragraphs=[
        "Skarra's tram line was extended to the university campus on Monday.",
        "The extension adds 3.4 kilometres of track and five new stops to the line.",
        "The city expects 12,000 students and staff to ride it every weekday.",
    ],
)
ORCHARD = FactivaItem(
    title="Cider orchard replants 600 apple trees",
    source="Brindle Coast Courier",
    date="9 September 2021",
    accession="BRCOCO0020210909eh990003c",
    paragraphs=[
        "The Hollin cider orchard replanted 600 apple trees lost to the spring floods.",
        "The owners chose an older variety that stands wet ground better.",
    ],
)
EXPORT = [LANTERNS, TRAM, ORCHARD]

# the fields of the layout with indexing that are codes, contacts and subjects, not text (as
# Factiva writes them: "code : name", several parted by " | "); every item gives them
INDEXING = [
    ("CT", "Harbour office, +46 555 123 45"),
    ("CO", "vsbhar : Vessby Harbour Authority | skrtrm : Skarra Tramways AB"),
    ("IN", "i66 : Travel/Tourism | ilea : Leisure/Arts/Hospitality"),
    ("NS", "gcat : Political/General News | gfest : Festivals"),
    ("RE", "swed : Sweden | eurz : Europe | nordz : Nordic Countries"),
    ("IPC", "NRGN"),
    ("IPD", "Harbours | Festivals"),
    ("PUB", "Vessby Media Group"),
]

_HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html>
<head>
\t<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
\t<title>Factiva</title>
<style type="text/css">.article {page-break-after:always;}</style>
</head>
<body class=''><div id="navcontainer" class="fcpNavContainer">
<table cellpadding="0" cellspacing="0" border="0" width="100%">
<tr>
<td class="factivalogo"><h1>Factiva</h1></td>
<td class="djrlogo" align="right"><span>Dow Jones</span></td>
</tr>
</table>
</div>
<form name="PageBaseForm" method="post" action="/ha/default.aspx" id="PageBaseForm">
<div id="contentWrapper"><div id="contentLeft"><span></span>"""
_FOOT = """<div id="pageFooter"><table width="100%" class="footerBG"><tr><td align="right">\
<span class="copyright">&copy; 2024 Factiva, Inc. All rights reserved.</span></td></tr></table>\
</div></div></div></form>
</body>
</html>
"""


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _row(code: str, value: str, *, paragraph: bool = False) -> str:
    label = f"<p><b>{code}</b>&nbsp;</p>" if paragraph else f"<b>{code}</b>&nbsp;"
    return f'<tr><td align="right" valign="top" class="index">{label}</td><td>{value}</td></tr>\n'


def _paragraphs(item: FactivaItem, paragraphs: Sequence[str]) -> str:
    lang = item.language
    return "\n".join(
        f'<p class="articleParagraph {lang}articleParagraph">{_e(p)}</p>' for p in paragraphs
    )


def table_article(item: FactivaItem) -> str:
    """The article with its coded fields ("Full Article/Report plus Indexing")."""
    rows = ""
    if item.section is not None:
        rows += _row("SE", _e(item.section))
    if item.title is not None:
        rows += _row("HD", f"<b class='{item.language}Headline'>{_e(item.title)}</b>\n")
    if item.author is not None:
        rows += _row("BY", _e(item.author))
    rows += _row("WC", f"{sum(len(p.split()) for p in item.paragraphs)} words")
    if item.date is not None:
        rows += _row("PD", _e(item.date)) + _row("ET", _e(item.time or "10:02"))
    if item.source is not None:
        rows += _row("SN", _e(item.source)) + _row("SC", "XXXX")
    rows += _row("LA", "English") + _row("CY", "(c) 2024 The Publisher. All rights reserved.")
    lead, text = item.paragraphs[: item.lead], item.paragraphs[item.lead :]
    if lead:
        rows += _row("LP", _paragraphs(item, lead) + "\n", paragraph=True)
    if text:
        rows += _row("TD", _paragraphs(item, text) + "\n", paragraph=True)
    rows += "".join(_row(code, _e(value)) for code, value in INDEXING)
    if item.accession is not None:
        rows += _row("AN", f"<br/>{item.closer} {item.accession}")
    return (
        f'<div class="article {item.language}Article"><table cellpadding="1" cellspacing="1" '
        f'border="0">{rows}</table><br/></div><br/><span></span>'
    )


def format_article(item: FactivaItem) -> str:
    """The article as Factiva shows it ("Article Format"): no table of fields."""
    lang = item.language
    lines = "<p>\n</p>"
    if item.section is not None:
        lines += f"<div>{_e(item.section)}</div>\n"
    if item.title is not None:
        lines += f'<div id="hd"><span class="{lang}Headline">{_e(item.title)}  </span>\n</div>'
    if item.author is not None:
        lines += f'<div class="author">{_e(item.author)}  </div>'
    lines += f"<div>{sum(len(p.split()) for p in item.paragraphs)} words</div>"
    if item.date is not None:
        lines += f"<div>{_e(item.date)}</div>"
    if item.time is not None:
        lines += f"<div>{_e(item.time)}</div>"
    if item.source is not None:
        lines += f"<div>{_e(item.source)}</div><div>XXXX</div>"
    lines += "<div>English</div><div>(c) 2024 The Publisher. All rights reserved.</div>\n<p></p>\n"
    lines += _paragraphs(item, item.paragraphs) + "\n"
    if item.accession is not None:
        lines += f"<p>{item.closer} {item.accession}</p>"
    outer = f' id="article-{item.accession}"' if item.accession else ""
    return (
        f'<div{outer} class="article"><div class="article {lang}Article">{lines}</div></div>'
        "<br><span></span>"
    )


def export_page(items: Sequence[FactivaItem], *, layout: str = "table") -> str:
    """A Factiva export of `items` in the layout "table" or "format"."""
    article = table_article if layout == "table" else format_article
    return _HEAD + "".join(article(item) for item in items) + _FOOT


def write_export(path: Path, items: Sequence[FactivaItem], *, layout: str = "table") -> Path:
    path.write_text(export_page(items, layout=layout), encoding="utf-8")
    return path
