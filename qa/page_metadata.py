"""A saved page's metadata where trafilatura's reading needs help (qa/extraction.py
`extract_page` takes each): its address (the canonical link first, found outside <head> too:
`page_url`), its title without a trailing site name (`title_without_site`), its authors without
the site's or owner's name, a job title or a CMS placeholder (`people_in_byline`), and the date
and the author a byline under the headline gives when the metadata and the text give none
(`byline_date`, `byline_author`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from courlan import extract_domain  # trafilatura's own address library

from qa.addresses import safe_url
from qa.authors import author_name
from qa.cleaning import clean_paragraphs
from qa.dates import MONTH_ABBREVIATIONS, MONTH_NAMES, parse_date
from qa.lexical import without_accents
from qa.page_elements import MIN_PROSE_WORDS, TEXTLESS, element_words, prose_words

_TITLE_SEPARATORS = (" - ", " – ", " — ", " | ")


def page_url(tree: Any, found: str | None) -> str | None:
    """The page's address: its canonical link, then its og:url, then what trafilatura found
    (twitter:url, a relative canonical link made absolute, <base>, else the address the page
    came from); the first that is an absolute http(s) URL.

    trafilatura reads og:url before the canonical link, which names the address the publisher
    wants cited (og:url may name a share domain, or http for https), and reads both only inside
    <head>: a page that closes its head early (an ad script before its metadata) has them in
    <body>, where the HTML parser puts them, so they are looked for in the whole page.
    """
    canonical = (
        link.get("href")
        for link in tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    )
    og_url = (
        meta.get("content")
        for meta in tree.iter("meta")
        if (meta.get("property") or meta.get("name") or "").strip().lower() == "og:url"
    )
    for candidate in (*canonical, *og_url):
        if url := safe_url(candidate):
            return url
    return safe_url(found)


def title_without_site(title: str, url: str | None) -> str:
    """`title` without a trailing " | Site" naming the site of `url` (its domain), as a page's
    title loses it; for a title read from elsewhere than a page (a PDF's metadata)."""
    return without_site_name(title, None, url)


def without_site_name(title: str, sitename: str | None, url: str | None) -> str:
    """`title` without a trailing " - Site", " – Site", " — Site" or " | Site" that names the
    site: its name (og:site_name, or the one trafilatura found), its domain ("ZDNet" on
    zdnet.com, "SpaceNews.com"); compared without case, spaces and punctuation. A trailing part
    that names something else (a section: "| Editorial", "- Auto News"; a subtitle) stays."""
    names = {_name_key(sitename)} if sitename else set()
    domain = extract_domain(url, fast=True) if url else None
    if domain:
        names |= {_name_key(domain), _name_key(domain.split(".")[0])}
    names.discard("")
    while True:
        cuts = [(title.rfind(sep), sep) for sep in _TITLE_SEPARATORS]
        cuts += [  # a site name holding a separator itself ("Remember 80/90 - Memorabilia")
            (len(title) - len(sep) - len(sitename), sep)
            for sep in _TITLE_SEPARATORS
            if sitename and title.casefold().endswith((sep + sitename).casefold())
        ]
        cut = next(
            (
                (at, sep)
                for at, sep in sorted(cuts, reverse=True)
                if at > 0 and _name_key(title[at + len(sep) :]) in names
            ),
            None,
        )
        if cut is None or not _name_key(title[: cut[0]]):
            return title
        title = title[: cut[0]].rstrip()


def people_in_byline(
    author: str | None, tree: Any, sitename: str | None, url: str | None
) -> str | None:
    """`author` ("A; B", as trafilatura joins names) without the names of the site or its
    owner, when a name is left: a page's `<meta name="author">` often names the publisher or
    the company ("Condé Nast", from its copyright line), and trafilatura adds the people its
    structured data names after it ("Condé Nast; Molly Wood"). The site is its name, its domain
    or the holder its `<meta name="copyright">` or `<meta name="publisher">` names; an author
    that is all there is stays (a personal site's author is often its name)."""
    if not author:
        return None
    names = [_as_name(n) for n in author.split("; ")]
    names = [n for n in names if n and not _not_a_name(n)]
    if not names:
        return None
    # a job title beside the person it describes ("Paul Takahashi; Staff writer", "STEVE
    # PEOPLES; AP National Political Writer"): the person
    names = [n for n in names if not _job_title(n)] or names
    owners = [_words(text) for text in _site_names(tree, sitename, url)]
    people = [n for n in names if not any(_within(_words(n), owner) for owner in owners)]
    return "; ".join(people) if people else author


# the words of a class, id or itemprop that name where a page writes its story's date
_DATE_ELEMENT_WORDS = frozenset(
    {"byline", "dateline", "date", "time", "timestamp", "pubdate", "published", "publish",
     "posted", "datepublished"}
)  # fmt: skip
# not where the story's date is: navigation, side rails and footers, comments, event listings
_NOT_THE_STORY = re.compile(r"^(?:nav|aside|footer)$")
_NOT_THE_STORY_WORDS = frozenset({"comment", "comments", "event", "events", "updated", "modified"})
_BYLINE_PARTS = re.compile(r"\s*[|·•]\s*|\s+[—–]\s+")
_PUBLISHED = re.compile(r"^(?:(?:first\s+)?published|posted)(?:\s+on)?\s*:?\s*", re.IGNORECASE)
_UPDATED = re.compile(r"^(?:last\s+)?(?:updated|modified)\b", re.IGNORECASE)
BYLINE_SEARCH_ELEMENTS = 60  # elements after the headline where a byline may stand
BYLINE_MAX_CHARS = 200  # a longer element is running text, not a byline


def _short_elements_under_headline(tree: Any) -> Iterator[tuple[Any, str]]:
    """The first `BYLINE_SEARCH_ELEMENTS` elements after the page's first `h1`, in page order
    (`following::*` holds elements only), with their text on one line: those with some text and
    at most `BYLINE_MAX_CHARS` of it, none inside navigation, an aside or a footer, nor in an
    element named for comments, events or an update."""
    headline = next(tree.iter("h1"), None)
    if headline is None:
        return
    for element in headline.xpath("following::*")[:BYLINE_SEARCH_ELEMENTS]:
        if any(
            _NOT_THE_STORY.match(str(up.tag)) or element_words(up) & _NOT_THE_STORY_WORDS
            for up in (element, *element.iterancestors())
        ):
            continue
        text = " ".join("".join(element.itertext()).split())
        if text and len(text) <= BYLINE_MAX_CHARS:
            yield element, text


def byline_date(tree: Any) -> str | None:
    """The story's date as its byline or date element writes it ("By Nadia Okonkwo | Oct. 10,
    2025", `<span class="time">August 12, 2025, 7:30 AM</span>`), for a page whose metadata
    and text give none: trafilatura's quick date search does not read such elements, and its
    extensive one takes a copyright year for a date.

    Only the first `BYLINE_SEARCH_ELEMENTS` elements after the page's headline (its first
    `h1`) are read, in page order, so a masthead's "today", a rail of latest stories before the
    article and the comments after it are not; nor is anything inside navigation, an aside or a
    footer, or in an element named for comments, events or an update. An element counts when a
    word of its class, id or itemprop names a byline or a date and its text is short; its
    pieces between `|`, `·` and dashes are read after a "Published" or "Posted on" label, a
    piece that is an "Updated" line is not, and only a full calendar date is taken
    (`qa/dates.py: parse_date`)."""
    for element, text in _short_elements_under_headline(tree):
        if not element_words(element) & _DATE_ELEMENT_WORDS:
            continue
        for part in _BYLINE_PARTS.split(text):
            if _UPDATED.match(part):
                continue
            found = parse_date(_PUBLISHED.sub("", part.strip(), count=1))
            if found is not None:
                return found.isoformat()
    return None


def byline_author(tree: Any) -> str | None:
    """The author a byline element under the headline names ("By Rosa Lindgren | 4 March
    2024" in a `<div class="meta">`), for a page whose metadata and body give none: trafilatura
    reads an author from elements whose class names one ("byline", "author"), and leaves such
    a line out of the body. An element is read as a line of text is (`clean_paragraphs`: a
    byline, or a byline with its date), among the first `BYLINE_SEARCH_ELEMENTS` after the
    first `h1`, not in navigation, an aside, a footer or comments, and only before the body's
    second paragraph of prose, so a related story's byline below the article is not taken."""
    prose = 0
    for element, text in _short_elements_under_headline(tree):
        if element.tag in TEXTLESS:
            continue
        if element.tag == "p" and prose_words(text) >= MIN_PROSE_WORDS:
            prose += 1
            if prose == 2:
                return None  # the body has begun
            continue
        found = clean_paragraphs([text]).author
        if found is not None:
            return found
    return None


def _not_a_name(piece: str) -> bool:
    """A piece of a date that trafilatura took for a name from a byline that also dates the
    story ("By Nadia Okonkwo | Oct. 10, 2025" gives "Nadia Okonkwo; Oct"): a month alone, or
    figures; or a blog's placeholder for nobody in particular ("Admin", "Editorial")."""
    word = piece.strip(" .,").lower()
    return (
        word in MONTH_NAMES
        or word in MONTH_ABBREVIATIONS
        or word in _NOBODY
        or any(c.isdigit() for c in piece)
    )


# what a CMS writes where no person is named
_NOBODY = frozenset({"admin", "administrator", "editorial", "webmaster", "editor", "staff"})
# "By", "Analysis by" … before a name, which trafilatura keeps from some pages' bylines
_BY_PREFIX = re.compile(r"^(?:(?:analysis|opinion|commentary|story|words|written|text)\s+)?by\s+",
                        re.IGNORECASE)  # fmt: skip
# a weekday glued on from the dateline after the byline ("Malcolm Owen Monday"): full English
# names only, as a short one ("Sun") is also a family name
_TRAILING_WEEKDAY = re.compile(
    r"\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?$", re.IGNORECASE
)
# the words of a job title, not a name ("Staff writer", "CNN Editor-at-large")
_ROLE_WORDS = frozenset(
    {"writer", "editor", "editor-at-large", "correspondent", "reporter", "contributor",
     "columnist", "staff"}
)  # fmt: skip


def _as_name(piece: str) -> str:
    """A piece of trafilatura's author without a "By" before it (an "Analysis by", or any
    "By" every author loses: `qa.authors.author_name`) or a weekday after it."""
    name = author_name(_BY_PREFIX.sub("", piece.strip())) or ""
    return _TRAILING_WEEKDAY.sub("", name).strip()


def _job_title(piece: str) -> bool:
    return any(word in _ROLE_WORDS for word in piece.lower().split())


def _site_names(tree: Any, sitename: str | None, url: str | None) -> list[str]:
    """The names a page gives its site and owner: site name, domain, copyright holder."""
    names = [sitename] if sitename else []
    domain = extract_domain(url, fast=True) if url else None
    if domain:
        names += [domain, domain.split(".")[0]]
    for meta in tree.iter("meta"):
        if (meta.get("name") or "").strip().lower() in ("copyright", "publisher"):
            names.append(meta.get("content") or "")
    return names


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", _folded(text))


def _within(name: list[str], owner: list[str]) -> bool:
    """Whether `name`'s words are all of `owner`'s, or stand together in it ("Condé Nast" in
    "Copyright (c) Condé Nast 2019"), or are its words run together ("Business Insider",
    businessinsider.de)."""
    if not name:
        return False
    if "".join(name) == "".join(owner):
        return True
    return any(owner[i : i + len(name)] == name for i in range(len(owner) - len(name) + 1))


def _name_key(name: str) -> str:
    """A name compared without case, accents, spaces or punctuation ("SpaceNews.com")."""
    return "".join(c for c in _folded(name) if c.isalnum())


def _folded(text: str) -> str:
    """`text` in lower case without accents ("Condé" → "conde"), as the project drops them."""
    return without_accents(text.casefold())
