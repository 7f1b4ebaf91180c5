"""From a raw article (a text file, a saved web page) to a cleaned `Article`, and back for
articles sent by API."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from qa.addresses import safe_url
from qa.authors import author_name
from qa.cleaning import clean_article
from qa.dates import parse_date
from qa.errors import BadInput
from qa.extraction import DEFAULT_OPTIONS, ExtractionOptions, extract_page
from qa.lexical import without_accents
from qa.markdown_text import split_front_matter
from qa.models import Article
from qa.outlets import SOURCE_MAX_WORDS

__all__ = ["LookAlike", "address_look_alike", "article_from_page", "article_from_request",
           "compose_raw", "content_hash", "headline_look_alike", "ids_by_headline", "ids_by_url",
           "indexed_as", "look_alikes", "make_article", "new_doc_id", "parse_date",
           "same_article", "slug", "title_matches"]  # fmt: skip

_WORD = re.compile(r"\w+")


def content_hash(raw: str | bytes) -> str:
    """SHA-256 of a raw article: of its UTF-8 bytes for text, as it is for bytes."""
    return hashlib.sha256(raw.encode("utf-8") if isinstance(raw, str) else raw).hexdigest()


def make_article(doc_id: str, raw: str, *, markdown: bool = False) -> Article:
    """The cleaned article of a raw text; `markdown`: the text is Markdown (a `.md` file), read
    as such even without a heading at its start (`qa.cleaning.clean_article`)."""
    cleaned = clean_article(raw, markdown=markdown)
    return Article(
        doc_id=doc_id,
        title=cleaned.title,
        source=cleaned.source,
        date=cleaned.date,
        author=cleaned.author,
        url=safe_url(cleaned.url),
        text=cleaned.text,
        content_hash=content_hash(raw),
    )


def article_from_page(
    doc_id: str,
    raw: str | bytes,
    *,
    url: str | None = None,
    options: ExtractionOptions = DEFAULT_OPTIONS,
) -> Article:
    """The article of a saved web page (`BadInput` when it has none): the extracted body, and
    the page's title, date, site name (as `source`), author and canonical address. `url` is
    where the page came from, used when the page does not state its own address."""
    page = extract_page(raw, url=url, options=options)
    date = parse_date(page.date) if page.date else None
    return Article(
        doc_id=doc_id,
        title=page.title,
        source=page.sitename,
        date=date.isoformat() if date else None,
        author=page.author,
        url=page.url,
        text=page.text,
        content_hash=content_hash(raw),
    )


def compose_raw(
    text: str,
    *,
    title: str | None,
    source: str | None,
    date: dt.date | None,
    author: str | None = None,
) -> str:
    """The file for an article sent by API, in the shape the cleaner reads back: a `Title:`
    line (the title as sent, whatever its shape), a byline, a `Source:` line and a
    `Published:` date line, then the body. Front matter the text opens with stays first, where
    the cleaner reads it (what was sent beside it wins over what it says)."""
    front, text = split_front_matter(text.strip())
    header = [
        f"Title: {' '.join(title.split())}" if title and title.strip() else None,
        f"By {author.strip()}" if author and author.strip() else None,
        f"Source: {source.strip()}" if source and source.strip() else None,
        f"Published: {date.isoformat()}" if date else None,
    ]
    return front + "\n\n".join([h for h in header if h] + [text.strip()]) + "\n"


def article_from_request(
    doc_id: str,
    text: str,
    *,
    title: str | None,
    source: str | None,
    date: dt.date | None,
    author: str | None = None,
) -> tuple[Article, str]:
    """The cleaned article and the raw file text; `BadInput` when cleaning leaves no text, or
    does not read `author` back as the byline (the file is what every later build reads).
    `author` is stored as every author is (`qa.authors.author_name`: one line, single spaces,
    no "By" before it), so "By Eva Lund" gives the byline "By Eva Lund", not "By By Eva Lund"."""
    author = author_name(author)
    raw = compose_raw(text, title=title, source=source, date=date, author=author)
    article = make_article(doc_id, raw)
    if not article.text.strip():
        raise BadInput(
            "the article has no usable text: after removing boilerplate (share buttons, "
            "captions, credits, bylines, date and source lines) nothing is left"
        )
    sent = " ".join((source or "").split()).rstrip(".")
    if sent and article.source != sent:
        raise BadInput(
            f"source {sent!r} is not read back as the article's source: send the publisher's "
            f"or agency's name in at most {SOURCE_MAX_WORDS} words, or leave it out"
        )
    if author and article.author != author:
        raise BadInput(
            f"author {author!r} is not read back as a byline: send the name as it "
            "would follow 'By', capitalised words up to nine ('Jane Doe and Li Wei') and "
            "role words after them ('Reuters staff'), or leave it out"
        )
    return article, raw


def slug(text: str, *, words: int = 8) -> str:
    """Lower-case words of `text` joined by hyphens, for readable ids ("article" if none)."""
    found = re.findall(r"[a-z0-9]+", text.lower())[:words]
    return "-".join(found)[:60].strip("-") or "article"


def folded(text: str) -> str:
    """Lower case without accents, as typed on a keyboard without them: "Kraków" → "krakow",
    "Łukasik" → "lukasik"."""
    return without_accents(text).casefold()


def new_doc_id(title: str | None, text: str) -> str:
    """A readable, unique-enough id: the title's (or opening words') slug, accents taken off
    ("krakow-tram-…", not "krak-w-tram-…"), and a content hash. (Archive records and the
    training corpora keep `slug` as it was: their ids must not change.)"""
    return f"{slug(folded(title or text))}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def same_article(a: Article, b: Article) -> bool:
    """The same article as read: cleaned text, title and details equal. Two files can differ
    where cleaning does not look (spaces doubled, blank lines added at the end, a page's markup)
    and still hold the same article."""
    fields = ("title", "source", "date", "author", "url", "text")
    return all(getattr(a, f) == getattr(b, f) for f in fields)


def indexed_as(article: Article, articles: Mapping[str, Article]) -> str | None:
    """The id of an indexed article that is `article` as read, among those whose id has the
    same readable part (`new_doc_id` gives both the same slug: same title or opening words),
    or None."""
    stem = article.doc_id.rpartition("-")[0]
    for doc_id, other in articles.items():
        if doc_id.rpartition("-")[0] == stem and same_article(article, other):
            return doc_id
    return None


def address_key(url: str) -> str:
    """An address as `address_look_alike` compares it: as stored (`safe_url`: without the
    tracking parameters that every id is made without, `utm_source`, `fbclid`, …), less its
    fragment, its host's case and a default port, so a feed's "?utm_source=rss" copy of a story
    is the same address as the story and "?story=12" is not "?story=13"; the address as given
    when it cannot be read. Not courlan's normalisation (which trafilatura uses): it drops
    parameters such as `ref` or `story` that `safe_url` keeps, and would call two articles one."""
    try:
        parts = urlsplit(safe_url(url) or url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port in (None, default) else f"{host}:{port}"
    if parts.username or parts.password:
        netloc = f"{parts.netloc.rpartition('@')[0]}@{netloc}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def ids_by_url(articles: Mapping[str, Article]) -> dict[str, list[str]]:
    """The ids of the articles with each address (`address_key`), in id order, for
    `address_look_alike`: read once however many articles an import adds."""
    found: dict[str, list[str]] = {}
    for doc_id in sorted(articles):
        url = articles[doc_id].url
        if url:
            found.setdefault(address_key(url), []).append(doc_id)
    return found


@dataclass(frozen=True)
class LookAlike:
    """An article added (or replaced) that looks like indexed articles under `others` (other
    ids, in id order, at most `MAX_LOOK_ALIKES`: the warning counts the rest): it `shares`
    their url, or, having none, their headline, outlet and date. Both are kept; `warning` tells
    an API client so, and how to keep one (a line of the response's `warnings`); the chat page
    offers to open the others instead."""

    doc_id: str
    shares: Literal["url", "headline"]
    others: tuple[str, ...]
    warning: str
    more: int = 0  # the look-alikes past `others`, counted, not listed


def address_look_alike(article: Article, ids_at: Mapping[str, Sequence[str]]) -> LookAlike | None:
    """Whether `article` (added or replaced) has the address of indexed articles under other
    ids (`ids_at`: `ids_by_url` of the index): the same page saved again, or an archive's
    record of an article sent as a page, would otherwise stand twice in the index without a
    word (an id hashes the content, or an archive record's address, so the id does not catch
    it). Both are kept, as a client may mean to; the warning says how to keep one instead."""
    others = [d for d in ids_at.get(address_key(article.url or ""), ()) if d != article.doc_id]
    if not others:
        return None
    warning = (
        f"{article.doc_id!r} has the same url ({article.url}) as the indexed "
        f"{_articles_named(others)}; both are kept: to replace "
        f"{others[0]!r} instead, send this article with PUT /documents/{others[0]} and delete "
        f"{article.doc_id!r} with DELETE /documents/{article.doc_id}"
    )
    return _look_alike(article, "url", others, warning)


def headline_key(article: Article) -> tuple[str, str, str] | None:
    """An article without an address as `headline_look_alike` compares it: its headline,
    outlet and date, case, accents and spacing aside; None for one that has an address (the
    address tells it, `address_look_alike`), no headline of its own or no date."""
    if article.url or not article.title or not article.date:
        return None  # undated: every undated "Letters" of an outlet would look alike

    def key(text: str | None) -> str:
        return " ".join(folded(text or "").split())

    return key(article.title), key(article.source), article.date or ""


def ids_by_headline(articles: Mapping[str, Article]) -> dict[tuple[str, str, str], list[str]]:
    """The ids of the articles with each `headline_key`, in id order, for
    `headline_look_alike`: read once however many articles an import adds."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for doc_id in sorted(articles):
        key = headline_key(articles[doc_id])
        if key is not None:
            found.setdefault(key, []).append(doc_id)
    return found


def headline_look_alike(
    article: Article, ids_at: Mapping[tuple[str, str, str], Sequence[str]]
) -> LookAlike | None:
    """Whether `article` (added or replaced), with no address, has the headline, outlet and
    date of indexed articles without one under other ids (`ids_at`: `ids_by_headline` of the
    index). An archive record or a text without a url is named by its words, so an edited
    version of it (a corrected paragraph) is a second article beside the first, and answers
    may quote the words that were corrected; no rule can tell that from a headline an outlet
    prints more than once a day ("Letters", "Corrections") or a syndicated copy, so both are
    kept and the client is told how to keep one."""
    key = headline_key(article)
    others = [d for d in ids_at.get(key, ()) if d != article.doc_id] if key else []
    if not others:
        return None
    warning = (
        f"{article.doc_id!r} has the same headline, outlet and date as the indexed "
        f"{_articles_named(others)}, and none has a url: if it is an "
        f"edited version, both are kept all the same; to keep only this one, delete "
        f"{others[0]!r} with DELETE /documents/{others[0]}"
    )
    return _look_alike(article, "headline", others, warning)


# the indexed look-alikes a warning names and `LookAlike.others` lists (the first in id order;
# the rest are counted): a thousand records under one headline and date must not answer with a
# million ids
MAX_LOOK_ALIKES = 5


def look_alikes(
    article: Article,
    ids_at: Mapping[str, Sequence[str]],
    headlines: Mapping[tuple[str, str, str], Sequence[str]],
) -> list[LookAlike]:
    """The indexed articles `article` looks like (`ids_at`: `ids_by_url` of the index,
    `headlines`: its `ids_by_headline`): those with its url, or, having none, its headline,
    outlet and date, if any."""
    found = (address_look_alike(article, ids_at), headline_look_alike(article, headlines))
    return [look_alike for look_alike in found if look_alike is not None]


def _look_alike(
    article: Article, shares: Literal["url", "headline"], others: Sequence[str], warning: str
) -> LookAlike:
    listed = tuple(others[:MAX_LOOK_ALIKES])
    return LookAlike(article.doc_id, shares, listed, warning, more=len(others) - len(listed))


def _articles_named(ids: Sequence[str]) -> str:
    """How a warning names indexed articles: "article 'a'", "articles 'a' and 'b'", "articles
    'a' and … and 'e' and 12 more"."""
    named = " and ".join(repr(doc_id) for doc_id in ids[:MAX_LOOK_ALIKES])
    more = len(ids) - MAX_LOOK_ALIKES
    return f"article{'s' if len(ids) > 1 else ''} {named}" + (
        f" and {more} more" if more > 0 else ""
    )


def title_matches(title: str, query: str) -> bool:
    """Every word of `query` begins a word of `title`, ignoring case and accents: a filter as
    you type ("korea summ" matches "South Korea summons …", "krakow" "Kraków trams …")."""
    words = set(_WORD.findall(folded(title)))
    parts = _WORD.findall(folded(query))
    # a symbol no word holds ("🌉", "€"): found anywhere in the title, not left out of the filter
    symbols = {c for c in query if unicodedata.category(c).startswith("S")}
    return all(any(word.startswith(part) for word in words) for part in parts) and all(
        symbol in title for symbol in symbols
    )
